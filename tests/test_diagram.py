"""Tests for lstm.diagram: the cell picture every chapter opens with."""

import matplotlib

matplotlib.use("Agg")  # headless; tests only, the library never switches backends

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from lstm.diagram import FADED_ALPHA, PARTS, alt_text, draw_cell


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


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
    assert text.endswith("highlighted.")


def test_alt_text_without_and_with_several_highlights():
    assert "highlighted" not in alt_text()
    assert "input gate and candidate highlighted" in alt_text(["candidate", "input"])
    with pytest.raises(ValueError):
        alt_text("forgett")
