"""Tests for lstm.diagram: the cell picture every chapter opens with."""

import matplotlib

matplotlib.use("Agg")  # headless; tests only, the library never switches backends

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text

from lstm.diagram import CELL_COLOR, FADED_ALPHA, GATE_COLORS, HIDDEN_COLOR, PARTS, alt_text, draw_cell


def texts(fig: Figure) -> list[str]:
    """The cell's own labels, without the key's."""
    return [t.get_text() for t in fig.findobj(Text) if not str(t.get_gid()).startswith("key")]


def cielab(color: str) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB colour, from the published sRGB and CIELAB formulas."""
    rgb = np.array(to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805],
                    [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def contrast_ratio(a, b) -> float:
    """WCAG 2 contrast ratio of two colours."""
    def luminance(color):
        rgb = np.array(to_rgb(color))
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(linear @ [0.2126, 0.7152, 0.0722])
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def artist(fig: Figure, gid: str):
    (found,) = [a for a in fig.findobj() if a.get_gid() == gid]
    return found


@pytest.fixture
def close_figs():
    figs: list[Figure] = []
    yield figs
    for fig in figs:
        plt.close(fig)


@pytest.mark.parametrize("highlight", [None, *PARTS, ("input", "candidate"), ["forget", "output"]])
def test_draws_every_highlight(highlight, close_figs):
    fig = draw_cell(highlight)
    close_figs.append(fig)
    assert isinstance(fig, Figure)
    labels = texts(fig)
    assert labels.count(r"$\sigma$") == 3
    assert labels.count(r"$\tanh$") == 2  # candidate layer and tanh(c_t)
    assert labels.count(r"$\odot$") == 3
    for sym in ["c_{t-1}", "c_t", "h_{t-1}", "h_t", "x_t", "f_t", "i_t", "g_t", "o_t"]:
        assert rf"$\mathbf{{{sym[0]}}}_{sym[2:]}$" in labels, sym
    fig.canvas.draw()  # rendering, not just building, must work (mathtext included)


def test_highlight_lights_only_named_part(close_figs):
    fig = draw_cell("forget")
    close_figs.append(fig)
    assert artist(fig, "forget").get_alpha() == 1.0
    assert artist(fig, "output").get_alpha() == FADED_ALPHA
    assert artist(fig, "cell_state").get_alpha() == FADED_ALPHA


def test_multi_highlight_and_none(close_figs):
    fig = draw_cell(["input", "candidate"])
    close_figs.append(fig)
    assert artist(fig, "input").get_alpha() == 1.0
    assert artist(fig, "candidate").get_alpha() == 1.0
    assert artist(fig, "ig_mul").get_alpha() == 1.0  # shared by both parts
    assert artist(fig, "forget").get_alpha() == FADED_ALPHA

    fig = draw_cell()
    close_figs.append(fig)
    assert all(artist(fig, p).get_alpha() == 1.0 for p in PARTS)


def test_gids_are_unique(close_figs):
    fig = draw_cell()
    close_figs.append(fig)
    gids = [a.get_gid() for a in fig.findobj() if a.get_gid()]
    assert len(gids) == len(set(gids))


def test_draws_into_given_axes_with_title(close_figs):
    fig, ax = plt.subplots()
    close_figs.append(fig)
    assert draw_cell("output", ax=ax, title="The output gate") is fig
    assert "The output gate" in texts(fig)


def test_unknown_part_raises_value_error():
    with pytest.raises(ValueError) as err:
        draw_cell("forgett")
    msg = str(err.value)
    assert "'forgett'" in msg
    assert all(p in msg for p in PARTS)
    with pytest.raises(ValueError, match="'nope'"):
        draw_cell(["forget", "nope"])


@pytest.mark.parametrize("bad", [3, 1.5, object(), ["forget", 2]])
def test_non_string_raises_type_error(bad):
    with pytest.raises(TypeError, match="highlight"):
        draw_cell(bad)


def test_does_not_touch_global_state(close_figs):
    before = dict(matplotlib.rcParams)
    open_before = plt.get_fignums()
    fig = draw_cell("hidden_state", title="h")
    close_figs.append(fig)
    assert dict(matplotlib.rcParams) == before
    # exactly one new pyplot figure, the one returned, so a notebook shows it once
    assert plt.get_fignums() == [*open_before, fig.number]


@pytest.mark.parametrize("part", PARTS)
def test_alt_text_names_highlight(part):
    text = alt_text(part)
    assert "LSTM cell" in text
    assert part.replace("_", " ") in text
    spoken = {"cell_state": "cell state", "forget": "forget gate", "input": "input gate",
              "candidate": "candidate", "output": "output gate", "hidden_state": "hidden state"}
    assert f"the {spoken[part]} highlighted." in text


@pytest.mark.parametrize("gate", list(GATE_COLORS))
@pytest.mark.parametrize("state", [CELL_COLOR, HIDDEN_COLOR])
def test_gate_colours_stay_clear_of_the_state_colours(gate, state):
    # Delta E (CIE76) above 45: the old vermillion forget gate was 33 from the orange cell line and
    # the old sky-blue output gate 26 from the blue hidden line, both too close to tell apart.
    assert np.linalg.norm(cielab(GATE_COLORS[gate]) - cielab(state)) > 45


@pytest.mark.parametrize("gate", list(GATE_COLORS))
def test_box_symbols_are_legible(gate, close_figs):
    fig = draw_cell()
    close_figs.append(fig)
    symbol = artist(fig, f"{gate}:symbol")
    assert contrast_ratio(symbol.get_color(), artist(fig, gate).get_facecolor()) >= 4.5


def test_key_explains_boxes_and_circles_and_never_fades(close_figs):
    fig = draw_cell("forget")
    close_figs.append(fig)
    assert "learned layer" in artist(fig, "key:layer_label").get_text()
    assert "pointwise" in artist(fig, "key:pointwise_label").get_text()
    for gid in ("key:layer", "key:pointwise", "key:layer_label", "key:pointwise_label"):
        assert artist(fig, gid).get_alpha() in (None, 1.0), gid
    # the key's circle looks like the pointwise nodes of the cell, its box like no gate in particular
    key_edge, node_edge = (artist(fig, g).get_edgecolor()[:3] for g in ("key:pointwise", "output:mul"))
    assert key_edge == node_edge
    key_box = to_rgba(artist(fig, "key:layer").get_facecolor())
    assert all(key_box != to_rgba(c) for c in GATE_COLORS.values())


def test_read_out_tanh_is_neutral_not_output_coloured(close_figs):
    fig = draw_cell()
    close_figs.append(fig)
    edge = artist(fig, "output:tanh_c").get_edgecolor()
    for color in [*GATE_COLORS.values(), CELL_COLOR, HIDDEN_COLOR]:
        assert edge != to_rgba(color)
    # same outline as the other weightless operation on that wire, the product o_t * tanh(c_t)
    assert edge == artist(fig, "output:mul").get_edgecolor()


def test_alt_text_without_and_with_several_highlights():
    assert "highlighted" not in alt_text()
    assert "input gate and candidate highlighted" in alt_text(["candidate", "input"])
    for highlight in (None, "forget", []):
        assert "learned layers" in alt_text(highlight)
        assert "pointwise operations" in alt_text(highlight)
    with pytest.raises(ValueError):
        alt_text("forgett")
