"""The LSTM cell as a picture, with the part a chapter is about lit up.

Every chapter opens with the same figure (Olah-style: cell state along the
top, hidden state along the bottom, four layers in between) so the reader
always sees where the new piece sits in the whole cell::

    fig = draw_cell(highlight="forget")

Artists carry a ``gid`` (``"forget"``, ``"output"``, ``"cell_state"``, ...)
so tests and curious readers can find them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import matplotlib.axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

PARTS = ("cell_state", "forget", "input", "candidate", "output", "hidden_state")

# The two states keep the Okabe-Ito orange and blue everywhere in the book. The gates take hues far
# from both (no vermillion next to the orange line, no sky blue next to the blue one), from the
# Okabe-Ito and Paul Tol palettes, which stay apart under the common colour-vision deficiencies.
CELL_COLOR = "#E69F00"  # orange: the cell state c
HIDDEN_COLOR = "#0072B2"  # blue: the hidden state h
GATE_COLORS = {
    "forget": "#882255",  # wine (Tol)
    "input": "#009E73",  # bluish green (Okabe-Ito)
    "candidate": "#CC79A7",  # reddish purple (Okabe-Ito)
    "output": "#332288",  # indigo (Tol)
}
INK = "#222222"  # text, and wires that belong to no single part (x_t, the shared bus)
NEUTRAL = "#6E6E6E"  # outline of the pointwise operations that belong to no single colour
PANEL_COLOR = "#F7F7F2"  # light cell body, so dark text survives a dark-mode page
FADED_ALPHA = 0.2
# The box symbol (sigma, tanh) is white on the two dark gate colours, ink on the light ones.
_SYMBOL_ON = {"forget": "white", "input": INK, "candidate": INK, "output": "white"}

_NAMES = {
    "cell_state": "cell state",
    "forget": "forget gate",
    "input": "input gate",
    "candidate": "candidate",
    "output": "output gate",
    "hidden_state": "hidden state",
}

# Layout in data units; the axes span 16 x 9, matching the 16:9 figure.
CARRY_Y, BUS_Y, BOX_Y = 7.2, 1.5, 3.3
POS = {
    "forget": (4.5, BOX_Y),
    "input": (6.2, BOX_Y),
    "candidate": (8.0, BOX_Y),
    "output": (9.8, BOX_Y),
    "forget_mul": (4.5, CARRY_Y),
    "add": (8.0, CARRY_Y),
    "ig_mul": (8.0, 5.2),
    "tanh_c": (11.8, 5.25),
    "out_mul": (11.8, BOX_Y),
    "merge": (3.0, BUS_Y),  # where x_t joins h_{t-1}
    "split": (13.0, BUS_Y),  # where h_t leaves both right and up
}
BOX_W, BOX_H, NODE_R = 1.15, 0.75, 0.3


def _parse(highlight: str | Iterable[str] | None) -> frozenset[str] | None:
    """Validate ``highlight``; None means 'light everything'."""
    if highlight is None:
        return None
    if isinstance(highlight, str):
        names = [highlight]
    elif isinstance(highlight, Iterable):
        names = list(highlight)
    else:
        raise TypeError(
            "highlight must be a part name, an iterable of part names, or None; "
            f"got {type(highlight).__name__}"
        )
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"highlight part names must be strings; got {name!r}")
        if name not in PARTS:
            raise ValueError(
                f"unknown part {name!r} for highlight; "
                f"expected one or more of: {', '.join(PARTS)}"
            )
    return frozenset(names)


def alt_text(highlight: str | Iterable[str] | None = None) -> str:
    """One-sentence description of ``draw_cell(highlight)`` for image alt text."""
    lit = _parse(highlight)
    text = (
        "Diagram of an LSTM cell: the cell state runs along the top from c(t-1) "
        "to c(t), multiplied by the forget gate and then added to the input gate "
        "times the tanh candidate, while h(t-1) and x(t) feed the three sigmoid "
        "gates and the candidate, and the output gate times tanh of the new cell "
        "state gives the new hidden state h(t)"
    )
    key = (
        " A key below the cell tells the two kinds of node apart: coloured boxes "
        "are learned layers, each with its own weights, and white circles are "
        "pointwise operations without weights."
    )
    if lit is None:
        return text + "." + key
    names = [_NAMES[p] for p in PARTS if p in lit]  # canonical order reads better
    if not names:
        return text + ", with every part faded." + key
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{text}, with the {joined} highlighted.{key}"


def draw_cell(
    highlight: str | Iterable[str] | None = None,
    *,
    ax: matplotlib.axes.Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the LSTM cell, lighting up the parts named in ``highlight``.

    Parameters
    ----------
    highlight
        One of :data:`PARTS`, an iterable of them, or None to draw every part
        at full strength. Parts not named are drawn faded.
    ax
        Axes to draw into. By default a new 8 x 4.5 inch figure is made.
    title
        Optional title, drawn above the cell.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the drawing (``ax.figure`` when ``ax`` is given).

    Raises
    ------
    ValueError
        If a name in ``highlight`` is not one of :data:`PARTS`.
    TypeError
        If ``highlight`` is neither None, a string, nor an iterable of strings.
    """
    lit = _parse(highlight)  # validate before creating anything

    if ax is None:
        # A pyplot figure, so a notebook cell `draw_cell("forget");` shows it once, like any plot.
        # pyplot is imported here, not at the top: importing lstm must not load it.
        # Transparent page; the panel below is the backdrop for the drawing.
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(8, 4.5), facecolor="none")
        ax = fig.add_axes((0, 0, 1, 1))
    fig = cast(Figure, ax.figure)  # a SubFigure works too; typed as the usual case
    ax.set_xlim(0, 16)
    ax.set_ylim(0, 9.7 if title else 9)
    ax.set_aspect("equal")
    ax.set_axis_off()

    def style(artist, gid: str, parts: set[str]):
        # An artist is lit when any part it belongs to is highlighted; wires
        # that belong to no part (x_t, the shared bus) only light with None.
        on = lit is None or bool(parts & lit)
        artist.set_gid(gid)
        artist.set_alpha(1.0 if on else FADED_ALPHA)
        return on

    def wire(points, color, gid, parts, arrow=True, zorder=2):
        codes = [Path.MOVETO] + [Path.LINETO] * (len(points) - 1)
        patch = FancyArrowPatch(
            path=Path(points, codes),
            arrowstyle="-|>,head_length=0.5,head_width=0.25" if arrow else "-",
            mutation_scale=12,
            color=color,
            joinstyle="round",
            capstyle="butt",
            zorder=zorder,
        )
        on = style(patch, gid, parts)
        patch.set_linewidth(2.6 if on and lit is not None else 1.8)
        ax.add_patch(patch)

    def label(xy, text, gid, parts, boxed=False, **kw):
        # Labels outside the panel get a white box so they read on dark pages.
        bbox = dict(boxstyle="round,pad=0.2", fc="white", ec="none") if boxed else None
        kw = {"color": INK, "fontsize": 13, "ha": "center", "va": "center", **kw}
        t = ax.text(xy[0], xy[1], text, bbox=bbox, zorder=6, **kw)
        style(t, gid, parts)

    def node(name, symbol, color, gid, parts):
        c = Circle(POS[name], NODE_R, fc="white", ec=color, lw=2, zorder=4)
        style(c, gid, parts)
        ax.add_patch(c)
        label(POS[name], symbol, f"{gid}:symbol", parts, fontsize=15)

    def dot(xy, color, gid, parts):
        d = Circle(xy, 0.08, color=color, zorder=3)
        style(d, gid, parts)
        ax.add_patch(d)

    # The cell body.
    ax.add_patch(FancyBboxPatch((2.0, 0.95), 11.8, 7.1, boxstyle="round,pad=0,rounding_size=0.5",
                                fc=PANEL_COLOR, ec="#9A9A9A", lw=1.2, zorder=0, gid="panel"))

    # Cell-state carry line along the top: c_{t-1} -> (x f) -> (+) -> c_t.
    (fx, _), (ax_, _) = POS["forget_mul"], POS["add"]
    cs = {"cell_state"}
    wire([(1.25, CARRY_Y), (fx - NODE_R, CARRY_Y)], CELL_COLOR, "cell_state", cs)
    wire([(fx + NODE_R, CARRY_Y), (ax_ - NODE_R, CARRY_Y)], CELL_COLOR, "cell_state:mid", cs)
    # The carry line passes over the rising h_t wire; a panel-coloured
    # underlay cuts a gap in that wire so the crossing reads as a bridge.
    gap = FancyArrowPatch(path=Path([(12.6, CARRY_Y), (13.4, CARRY_Y)]), arrowstyle="-",
                          color=PANEL_COLOR, lw=9, zorder=2.5)
    ax.add_patch(gap)
    wire([(ax_ + NODE_R, CARRY_Y), (14.75, CARRY_Y)], CELL_COLOR, "cell_state:out", cs, zorder=3)
    node("forget_mul", r"$\odot$", CELL_COLOR, "cell_state:forget_mul", {"cell_state", "forget"})
    node("add", r"$+$", CELL_COLOR, "cell_state:add", cs)
    label((0.65, CARRY_Y), r"$\mathbf{c}_{t-1}$", "cell_state:label_in", cs, boxed=True)
    label((15.35, CARRY_Y), r"$\mathbf{c}_t$", "cell_state:label_out", cs, boxed=True)

    # Inputs: h_{t-1} from the left and x_t from below merge into one bus that
    # fans out to the four layers (each sees the concatenation [h_{t-1}, x_t]).
    mx, _ = POS["merge"]
    hs = {"hidden_state"}
    wire([(1.25, BUS_Y), (mx, BUS_Y)], HIDDEN_COLOR, "hidden_state", hs, arrow=False)
    label((0.65, BUS_Y), r"$\mathbf{h}_{t-1}$", "hidden_state:label_in", hs, boxed=True)
    # The x_t label sits right under the panel so its dark wire never shows on a dark page.
    wire([(mx, 0.6), (mx, BUS_Y)], INK, "x", set(), arrow=False)
    label((mx, 0.6), r"$\mathbf{x}_t$", "x:label", set(), boxed=True)
    wire([(mx, BUS_Y), (POS["output"][0], BUS_Y)], INK, "bus", set(), arrow=False)
    dot((mx, BUS_Y), INK, "bus:merge", set())

    # The four layers: sigma, sigma, tanh, sigma.
    for name, symbol in [("forget", r"$\sigma$"), ("input", r"$\sigma$"),
                         ("candidate", r"$\tanh$"), ("output", r"$\sigma$")]:
        x, y = POS[name]
        color = GATE_COLORS[name]
        wire([(x, BUS_Y), (x, y - BOX_H / 2)], INK, f"{name}:in", {name})
        if name != "output":
            dot((x, BUS_Y), INK, f"{name}:fork", {name})
        box = FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H,
                             boxstyle="round,pad=0,rounding_size=0.12",
                             fc=color, ec=color, lw=2, zorder=4)
        style(box, name, {name})
        ax.add_patch(box)
        label((x, y), symbol, f"{name}:symbol", {name}, fontsize=15, color=_SYMBOL_ON[name])

    top = BOX_Y + BOX_H / 2
    gx, gy = POS["ig_mul"]
    # f_t scales the old cell state.
    wire([(fx, top), (fx, CARRY_Y - NODE_R)], GATE_COLORS["forget"], "forget:out", {"forget"})
    label((fx + 0.35, 5.3), r"$\mathbf{f}_t$", "forget:label", {"forget"})
    # i_t * g_t is the new content written into the cell state.
    ix, _ = POS["input"]
    wire([(ix, top), (ix, gy), (gx - NODE_R, gy)], GATE_COLORS["input"], "input:out", {"input"})
    label((ix + 0.35, 4.55), r"$\mathbf{i}_t$", "input:label", {"input"})
    wire([(gx, top), (gx, gy - NODE_R)], GATE_COLORS["candidate"], "candidate:out", {"candidate"})
    label((gx + 0.35, 4.55), r"$\mathbf{g}_t$", "candidate:label", {"candidate"})
    node("ig_mul", r"$\odot$", NEUTRAL, "ig_mul", {"input", "candidate"})
    wire([(gx, gy + NODE_R), (gx, CARRY_Y - NODE_R)], INK, "ig_mul:out",
         {"input", "candidate", "cell_state"})

    # Output: h_t = o_t * tanh(c_t); c_t is tapped off the carry line.
    tx, ty = POS["tanh_c"]
    ox, oy = POS["out_mul"]
    dot((tx, CARRY_Y), CELL_COLOR, "output:tap_dot", {"output", "cell_state"})
    wire([(tx, CARRY_Y), (tx, ty + 0.4)], CELL_COLOR, "output:tap", {"output"})
    # tanh(c_t) has no weights: a pointwise operation, drawn neutral like the other white nodes,
    # not in the output gate's colour (it belongs to the read-out, lit with the output gate).
    ell = Ellipse((tx, ty), 1.25, 0.8, fc="white", ec=NEUTRAL, lw=2, zorder=4)
    style(ell, "output:tanh_c", {"output"})
    ax.add_patch(ell)
    label((tx, ty), r"$\tanh$", "output:tanh_c_label", {"output"})
    wire([(tx, ty - 0.4), (ox, oy + NODE_R)], INK, "output:tanh_out", {"output"})
    wire([(POS["output"][0] + BOX_W / 2, oy), (ox - NODE_R, oy)], GATE_COLORS["output"],
         "output:out", {"output"})
    label((10.85, oy + 0.32), r"$\mathbf{o}_t$", "output:label", {"output"})
    node("out_mul", r"$\odot$", NEUTRAL, "output:mul", {"output"})

    # h_t leaves to the right (next time step) and up (next layer / prediction).
    sx, sy = POS["split"]
    wire([(ox, oy - NODE_R), (ox, BUS_Y), (14.75, BUS_Y)], HIDDEN_COLOR, "hidden_state:out", hs)
    wire([(sx, BUS_Y), (sx, 8.35)], HIDDEN_COLOR, "hidden_state:up", hs)
    dot((sx, BUS_Y), HIDDEN_COLOR, "hidden_state:split", hs)
    label((15.35, BUS_Y), r"$\mathbf{h}_t$", "hidden_state:label_out", hs, boxed=True)
    label((sx, 8.65), r"$\mathbf{h}_t$", "hidden_state:label_up", hs, boxed=True)

    _draw_key(ax)

    if title:
        ax.text(8, 9.35, title, fontsize=14, ha="center", va="center", color=INK,
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="none"), gid="title")
    return fig


def _draw_key(ax: matplotlib.axes.Axes) -> None:
    """The legend under the cell: a learned layer (box) versus a pointwise operation (circle).

    Drawn at full strength whatever is highlighted: it explains shapes, not parts.
    """
    y = 0.42
    box = FancyBboxPatch((4.3, y - 0.2), 0.6, 0.4, boxstyle="round,pad=0,rounding_size=0.08",
                         fc="#BBBBBB", ec="#BBBBBB", lw=1.5, zorder=4, gid="key:layer")
    ax.add_patch(box)
    dot = Circle((9.25, y), 0.2, fc="white", ec=NEUTRAL, lw=1.5, zorder=4, gid="key:pointwise")
    ax.add_patch(dot)
    for x, text, gid in [(5.05, "learned layer (has weights)", "key:layer_label"),
                         (9.6, "pointwise operation (no weights)", "key:pointwise_label")]:
        ax.text(x, y, text, fontsize=10, ha="left", va="center", color=INK, zorder=6, gid=gid,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
