"""Pictures that keep up with the hand draw what a full redraw draws.

A slider move changes only what moved in a picture that is kept between moves, and pastes texts it
has drawn before (``bplib.viz.picture``). Here every update function of the course is moved through
its slider positions, the ends included and back again (so that pasted texts are used), in both
languages, and each picture is compared, pixel for pixel, with the same picture drawn from scratch
in a new figure.
"""

import contextlib
import io

import numpy as np
import pytest
from PIL import Image

from bplib.chapters import ch1_3_graphs as ch123
from bplib.chapters import ch4_activations as ch4
from bplib.chapters import ch5_affine_softmax as ch5
from bplib.chapters import ch7_autograd as ch7
from bplib.viz import sliders
from bplib.viz.picture import full_png, png

# update function -> slider positions to move through: the ends of every slider, and back
MOVES = {
    sliders.update_demo: [dict(slope=s) for s in (1.0, -3.0, 3.0, 0.0, 1.0)],
    ch123.update_apple: [
        dict(price=100, count=2, tax=1.1),
        dict(price=50, count=0, tax=1.0),
        dict(price=300, count=10, tax=1.3),
        dict(price=100, count=2, tax=1.1),
    ],
    ch123.update_chain: [dict(x=1.0, y=2.0), dict(x=-3.0, y=-3.0), dict(x=3.0, y=3.0), dict(x=1.0, y=2.0)],
    ch123.update_chain_steps: [dict(step=s) for s in (0, 1, 2, 3, 0)],
    ch123.update_nodes: [
        dict(x=10.0, y=5.0, upstream=1.3),
        dict(x=10.0, y=5.0, upstream=-2.0),
        dict(x=10.0, y=5.0, upstream=2.0),
        dict(x=10.0, y=5.0, upstream=1.3),
    ],
    ch123.update_apple_steps: [dict(step=s) for s in (0, 3, 1, 2, 0)],
    ch123.update_apple_orange_steps: [dict(step=s) for s in (0, 5, 2, 3, 0)],
    ch123.update_apple_orange: [
        dict(),
        dict(apple=50, apple_num=0, orange=50, orange_num=0, tax=1.0, upstream=-2.0),
        dict(apple=300, apple_num=10, orange=300, orange_num=10, tax=1.3, upstream=2.0),
        dict(),
    ],
    ch4.update_relu: [
        dict(x=1.0, dout=1.5),
        dict(x=-3.0, dout=-2.0),
        dict(x=3.0, dout=2.0),
        dict(x=1.0, dout=1.5),
    ],
    ch4.update_sigmoid: [
        dict(x=1.0, dout=1.0, step=4),
        dict(x=-5.0, dout=-2.0, step=0),
        dict(x=5.0, dout=2.0, step=2),
        dict(x=1.0, dout=1.0, step=4),
    ],
    ch4.update_vanishing: [dict(depth=d) for d in (5, 1, 15, 5)],
    ch5.update_affine_shapes: [
        dict(N=4, input_size=2, output_size=3),
        dict(N=1, input_size=1, output_size=1),
        dict(N=10, input_size=8, output_size=8),
        dict(N=4, input_size=2, output_size=3),
    ],
    ch5.update_affine_index: [dict(i=1, j=2), dict(i=1, j=1), dict(i=2, j=3), dict(i=1, j=2)],
    ch5.update_softmax_loss: [
        dict(a1=0.3, a2=2.9, a3=4.0, true_class=3),
        dict(a1=-10.0, a2=-10.0, a3=-10.0, true_class=1),
        dict(a1=10.0, a2=10.0, a3=10.0, true_class=3),
        dict(a1=0.3, a2=2.9, a3=4.0, true_class=3),
    ],
    ch7.update_autograd_apples: [
        dict(),
        dict(apple=50, apple_num=0, orange=50, orange_num=0, tax=1.0),
        dict(apple=300, apple_num=10, orange=300, orange_num=10, tax=1.3),
        dict(),
    ],
    ch7.update_autograd_steps: [dict(step=s) for s in (0, 5, 2, 3, 0)],
    ch7.update_fork: [
        dict(apple_num=2, rate=0.1),
        dict(apple_num=0, rate=0.0),
        dict(apple_num=10, rate=0.3),
        dict(apple_num=2, rate=0.1),
    ],
    ch7.update_no_clear: [dict(steps=s) for s in (10, 0, 30, 1, 10)],
}


def pixels(png_bytes):
    return np.asarray(Image.open(io.BytesIO(png_bytes)).convert("RGB")).astype(int)


def moved(update, language, request):
    """(the update function's figure, the slider values), move after move through MOVES, one figure
    kept as a slider keeps it, in ``language``."""
    if language == "zh":
        request.getfixturevalue("chinese")
    fig = None
    with contextlib.redirect_stdout(io.StringIO()):
        for values in MOVES[update]:
            fig = update(fig=fig, **values)
            yield fig, values


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("update", MOVES, ids=lambda f: f.__name__)
def test_a_moved_picture_equals_the_picture_drawn_from_scratch(update, language, request):
    for fig, values in moved(update, language, request):  # what update functions print is kept out
        moved_png = pixels(png(fig))
        fresh = pixels(full_png(update(**values)))
        assert moved_png.shape == fresh.shape, values
        differ = np.abs(moved_png - fresh).max(axis=2) > 0
        assert not differ.any(), f"{update.__name__}{values}: {differ.sum()} pixels differ"


def test_a_move_redraws_only_the_dynamic_artists():
    """After the first picture, a move draws from the cached background: the static artists are
    not drawn again (matplotlib's canvas.draw is not called)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    calls = []
    with contextlib.redirect_stdout(io.StringIO()):
        fig = ch123.update_apple_orange()
        png(fig)
        original = FigureCanvasAgg.draw
        FigureCanvasAgg.draw = lambda canvas: (calls.append(1), original(canvas))[1]
        try:
            for apple in (110, 120, 130):
                png(ch123.update_apple_orange(fig=fig, apple=apple))
        finally:
            FigureCanvasAgg.draw = original
    assert calls == []


def test_a_new_shape_clears_the_picture():
    """Another update function drawing into the same figure starts from an empty figure."""
    with contextlib.redirect_stdout(io.StringIO()):
        fig = ch123.update_apple()
        fig = ch4.update_vanishing(fig=fig)
    assert len(fig.axes) == 1 and fig.key == "vanishing"


# --- legible: no text over another, no line through a text, none too small ---------------------
def _twice():
    from bplib.viz.graph import Graph

    g = Graph("y = x · x")
    g.input("x", 3.0)
    g.op("×", "x", "x", name="y")
    return g.run()


def _shared():
    """An input feeding two nodes: its sum goes beside its name."""
    from bplib.viz.graph import Graph

    g = Graph("a shared weight")
    for name, value in (("w", 2.0), ("a", 1.0), ("b", 3.0)):
        g.input(name, value)
    g.op("×", "a", "w", name="p")
    g.op("×", "b", "w", name="q")
    g.op("+", "p", "q", name="s")
    return g.run()


def _static_pictures():
    """The pictures the chapters draw once, without a slider."""
    from bplib.chapters import book_graphs as book
    from bplib.viz.draw import graph_figure

    return {
        "apple": lambda: graph_figure(book.apple_graph()),
        "apple, constants": lambda: graph_figure(book.apple_graph(constants=True)),
        "apple, before backward": lambda: graph_figure(book.apple_graph(), reveal=0),
        "apples and oranges": lambda: graph_figure(book.apple_orange_graph(), reveal=0),
        "local computation": lambda: graph_figure(book.apple_others_graph(), reveal=0),
        "chain rule": lambda: graph_figure(book.square_sum_graph(1.0, 2.0), names=True),
        "basket of 4": lambda: graph_figure(book.basket_graph([100] * 4, [2] * 4)),
        "x · x: one value, both inputs": lambda: graph_figure(_twice(), figsize=(3.5, 2.2)),
        "a shared weight": lambda: graph_figure(_shared()),
        "pass counts": ch123.plot_pass_counts,
        "activation curves": ch4.activation_curves,
        "sigmoid node": lambda: ch4.sigmoid_node_figure(x=-0.5, dout=1.5),
        "affine graph": lambda: graph_figure(
            book.affine_graph(np.ones(2), np.ones((2, 3)), np.ones(3)), labels="shapes", figsize=(7, 2.2)
        ),
        **{
            f"softmax graph, step {step}": (lambda step=step: ch5.softmax_graph_figure(step=step))
            for step in (1, 5, 9, 13, 17)
        },
        "softmax graph, class 1": lambda: ch5.softmax_graph_figure(a1=-10.0, a2=10.0, a3=0.0, true_class=1),
        "problem 2, recorded by autograd": lambda: graph_figure(
            ch7.recorded_graph(ch7.apple_orange_tensors()[1]), figsize=(7.2, 3.4)
        ),
        **_chapter_6_pictures(),
    }


def _runs():
    """Three short made-up runs of chapter 6's panel (label -> History), with the longest labels it makes."""
    from bplib.chapters.ch6_training import SETTINGS, run_label
    from bplib.training import History
    from bplib.words import say

    runs = {}
    for n, (lr, end) in enumerate([(0.1, 0.3), (0.01, 1.2), (10.0, 2.35)], start=1):
        loss = np.linspace(2.3, end, 1000) + 0.05 * np.sin(np.arange(1000))
        history = History(
            loss, np.array([0, 600, 1000]), np.array([0.1, 0.8, 0.9]), np.array([0.1, 0.79, 0.9]), 600
        )
        runs[say("run {n}: {settings}", n=n, settings=run_label(**{**SETTINGS, "lr": lr}))] = history
    return runs


def _chapter_6_pictures():
    """Chapter 6's pictures on small fixed data (training on MNIST would be slow)."""
    from bplib.chapters import ch6_training as ch6
    from bplib.chapters.solutions import Momentum
    from bplib.training import SGD, plot_history

    rng = np.random.default_rng(0)
    digits = rng.random((20, 784))
    counts = rng.integers(0, 30, (10, 10)) + np.diag(rng.integers(880, 1130, 10))
    errors = {"W2": np.logspace(-5, -11, 4).tolist() + np.logspace(-10, -3, 8).tolist(), "b1": [0.1] * 12}
    return {
        "ch6 four steps": ch6.four_steps_figure,
        "ch6 digits": lambda: ch6.digits_figure(
            digits, [f"{k % 10} → {(k + 3) % 10} (100%)" for k in range(20)], "t"
        ),
        "ch6 weights": lambda: ch6.weights_figure(rng.standard_normal((784, 50))),
        "ch6 confusion": lambda: ch6.confusion_figure(counts),
        "ch6 history": lambda: plot_history(next(iter(_runs().values()))),
        "ch6 runs": lambda: ch6.plot_runs(_runs()),
        "ch6 runs, loss only": lambda: ch6.plot_runs(_runs(), accuracy=False),
        "ch6 step sizes": lambda: ch6.step_size_figure(
            ch6.STEPS_H, {k: np.array(v) for k, v in errors.items()}
        ),
        "ch6 valley": lambda: ch6.valley_figure(
            ch6.valley_paths(
                {
                    "SGD, lr 1.0": SGD(lr=1.0),
                    "SGD, lr 0.95": SGD(lr=0.95),
                    "momentum 0.9, lr 0.1": Momentum(lr=0.1),
                }
            )
        ),
    }


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("update", MOVES, ids=lambda f: f.__name__)
def test_every_slider_picture_is_legible_at_every_slider_end(update, language, request):
    from bplib.viz.legible import problems

    for fig, values in moved(update, language, request):
        assert problems(fig) == [], values


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("name", list(_static_pictures()))
def test_every_picture_of_the_chapters_is_legible(name, language, request):
    from bplib.viz.legible import problems

    if language == "zh":
        request.getfixturevalue("chinese")
    with contextlib.redirect_stdout(io.StringIO()):
        fig = _static_pictures()[name]()
    assert problems(fig) == []


def test_the_legibility_check_finds_what_it_should():
    """It must fail on a text over a text, a line through a text, and a tiny text."""
    from bplib.viz.legible import problems
    from bplib.viz.picture import axes, canvas

    fig = canvas(None, (4, 2))
    ax = axes(fig, (0.1, 0.1, 0.8, 0.8))
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.text(0.5, 0.5, "one label", fontsize=12)
    ax.text(0.52, 0.52, "another label", fontsize=12)
    ax.plot([0, 1], [0.53, 0.53])
    ax.text(0.1, 0.1, "tiny", fontsize=5)
    found = " | ".join(problems(fig))
    assert "'one label' overlaps 'another label'" in found
    assert "a line (Line2D) crosses 'one label'" in found
    assert "'tiny' is 5.6 px high" in found


def test_a_picture_shown_as_output_lets_its_pixels_go_and_draws_the_same_again():
    """IPython keeps every output figure in ``Out``: a shown Picture drops its pixel buffers (a
    learner's kernel stays small), and showing it again draws the same picture."""
    from bplib.viz.picture import _shown_once

    with contextlib.redirect_stdout(io.StringIO()):
        fig = ch5.update_softmax_loss(a1=0.3, a2=2.9, a3=4.0, true_class=2)
    first = _shown_once(fig)
    assert "renderer" not in fig.canvas.__dict__ and fig._background is None and not fig._sprites
    again = _shown_once(fig)
    assert np.array_equal(pixels(first), pixels(again))
