"""Chapters 1-3 update functions: the numbers they print, the pictures they draw, and that no
slider position breaks them."""

import itertools
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from bplib.chapters import ch1_3_graphs as L
from bplib.chapters.book_graphs import apple_orange_graph
from bplib.viz.graph import GRAD_COLOR
from bplib.viz.sliders import new_figure


def all_texts(fig):
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + [t.get_text() for t in ax.texts]
    return found


def test_update_apple_prints_gradients_beside_finite_differences(capsys):
    fig = L.update_apple(price=100, count=2, tax=1.1)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "payment = 220 yen"
    assert out[2].split() == ["apple", "price", "100", "2.2", "2.2"]
    assert out[3].split() == ["apple", "count", "2", "110", "110"]
    assert out[4].split() == ["tax", "1.1", "200", "200"]
    assert isinstance(fig, Figure) and "Problem 1, with the count and the tax as inputs too" in all_texts(fig)
    assert "apple price 100 × apple count 2 = 200" in repr(fig)  # the numbers, in its words


def test_pass_counts_are_counted_not_assumed():
    counts = L.pass_counts(6)
    assert counts.inputs == [2 * k + 1 for k in range(1, 7)]
    assert counts.numerical == [2 * n for n in counts.inputs]
    assert counts.backprop == [2] * 6
    fig = L.plot_pass_counts(counts=counts)
    lines = fig.axes[0].lines
    assert list(lines[0].get_ydata()) == counts.numerical and list(lines[1].get_ydata()) == counts.backprop


def test_update_chain_tangent_slope_is_the_backprop_gradient(capsys):
    for x, y in [(1.0, 2.0), (-2.5, 0.5), (0.0, 0.0)]:
        fig = L.update_chain(x=x, y=y)
        line = next(ln for ln in fig.axes[1].lines if ln.get_label() == "tangent")
        (x0, x1), (z0, z1) = line.get_xdata(), line.get_ydata()
        assert math.isclose((z1 - z0) / (x1 - x0), 2 * (x + y), abs_tol=1e-12)
    assert capsys.readouterr().out.splitlines()[0] == "z = 9   ∂z/∂x = 6   ∂z/∂y = 6   2(x + y) = 6"


def test_update_nodes_prints_the_book_numbers(capsys):
    L.update_nodes(x=10, y=5, upstream=1.3)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "add:      10 + 5 = 15; sends back 1.3 and 1.3 (upstream 1.3, unchanged)"
    assert out[1] == "multiply: 10 × 5 = 50; sends back 1.3 × 5 = 6.5 and 1.3 × 10 = 13 (the inputs swapped)"


def test_step_pictures_reveal_and_describe(capsys):
    fig = L.update_apple_steps(step=2)
    assert capsys.readouterr().out == "step 2: the '×' node gets 1 and sends back 1.1 and 200\n"
    grads = [t.get_text() for t in fig.axes[0].texts if t.get_color() == GRAD_COLOR and t.get_text()]
    assert sorted(grads) == ["1", "1.1", "200"]
    assert "Problem 1: 2 apples at 100 yen, tax ×1.1: backward step 2 of 3" in all_texts(fig)
    with pytest.raises(ValueError, match="step must be in 0 .. 5"):
        L.update_apple_orange_steps(step=6)


def test_apple_orange_formulas_match_backprop(capsys):
    for values in [(100, 2, 150, 3, 1.1, 1.0), (250, 0, 80, 7, 1.3, 2.0), (60, 9, 300, 1, 1.0, -1.0)]:
        g = apple_orange_graph(*values)
        for name, (_, value) in L.apple_orange_formulas(*values).items():
            assert math.isclose(g.grad(name), value, rel_tol=1e-12, abs_tol=1e-12), name
    L.update_apple_orange()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "payment = 715 yen, upstream gradient 1"
    L.update_apple_orange(apple=120, apple_num=4, orange=90, orange_num=5, tax=1.08, upstream=2.0)
    assert capsys.readouterr().out.splitlines()[0] == "payment = 1004.4 yen, upstream gradient 2"  # not 1004
    assert out[-1].split()[:2] == ["tax", "650"]


SLIDER_EDGES = [
    (L.update_apple, dict(price=[50, 300], count=[0, 10], tax=[1.0, 1.3])),
    (L.update_chain, dict(x=[-3.0, 3.0], y=[-3.0, 3.0])),
    (L.update_chain_steps, dict(step=[0, 1, 2, 3])),
    (L.update_nodes, dict(x=[-10.0, 0.0, 20.0], y=[-10.0, 0.0, 20.0], upstream=[-2.0, 0.0, 2.0])),
    (L.update_apple_steps, dict(step=[0, 3])),
    (L.update_apple_orange_steps, dict(step=[0, 5])),
    (
        L.update_apple_orange,
        dict(
            apple=[50, 300],
            apple_num=[0, 10],
            orange=[50, 300],
            orange_num=[0, 10],
            tax=[1.0, 1.3],
            upstream=[-2.0, 0.0, 2.0],
        ),
    ),
]


@pytest.mark.parametrize("update, ranges", SLIDER_EDGES, ids=[u.__name__ for u, _ in SLIDER_EDGES])
def test_no_slider_position_raises_and_the_figure_is_reused(update, ranges, capsys):
    fig = new_figure()
    combos = list(itertools.product(*ranges.values()))[:24]
    for combo in combos:
        out = update(fig=fig, **dict(zip(ranges, combo, strict=True)))
        assert out is fig and fig.axes and all(ax.get_title() for ax in fig.axes)
        numbers = [t for t in all_texts(fig) if t]
        assert not any("nan" in t or "inf" in t for t in numbers)
    text = capsys.readouterr().out
    assert "nan" not in text and "np.float" not in text


def test_every_update_draws_with_titles_and_without_constrained_layout():
    for update, _ in SLIDER_EDGES:
        fig = update()
        engine = fig.get_layout_engine()  # fixed axes: fast slider updates
        assert engine is None or type(engine).__name__ == "PlaceHolderLayoutEngine"
        assert all(ax.get_title() for ax in fig.axes)
        assert np.all(fig.get_size_inches() < 10)
