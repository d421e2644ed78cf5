"""Chapter 5, Affine and Softmax-with-Loss layers: the numbers and pictures behind its sliders.

Update functions (``update_x(fig=None, **values) -> Figure``) compute, print a few
rounded numbers, draw into ``fig`` (a new ``bplib.viz.sliders.new_figure`` when None) and
return it; the notebook calls each once with fixed values and wires it to sliders.

- ``update_affine_shapes(N, input_size, output_size)``: the Affine graph with the shape
  of every array and gradient, and how the backward formulas make the shapes fit.
- ``softmax_graph_figure(a1, a2, a3, true_class, step)`` (a picture, no slider): the
  book's 3-class Softmax-with-Loss graph, backward revealed up to ``step``.
- ``update_softmax_loss(a1, a2, a3, true_class)``: the logits, then y, t and y − t as
  bars, and the loss.
"""

import numpy as np

from ..layers import SoftmaxWithLoss
from ..viz.draw import draw
from ..viz.graph import fmt_shape
from ..viz.picture import axes, canvas, describe, dynamic, part
from ..words import say
from .book_graphs import affine_graph, softmax_with_loss_graph

CLASS_COLORS = {"y": "tab:blue", "t": "0.6", "y − t": "#c0392b"}
FIGSIZE = (13, 4.6)  # of the Softmax-with-Loss graph


def signed(v, decimals=3):
    """'+0.300' / '-0.800'; a value that rounds to zero is '+0.000', never '-0.000'."""
    return f"{round(float(v), decimals) + 0.0:+.{decimals}f}"


BARS = ((-0.27, "y"), (0.0, "t"), (0.27, "y − t"))  # each bar's offset from its class, and name


def _bars(ax, xs, name):
    """Three bars of one colour whose heights change with the sliders."""
    rects = ax.bar(xs, [0, 0, 0], width=0.25, color=CLASS_COLORS[name], label=name)
    dynamic(*rects)
    return rects


def _score(ax, k):
    """The score of class k, written under its name."""
    return dynamic(ax.text(k, -0.15, "", transform=ax.get_xaxis_transform(), ha="center", va="top"))


def update_softmax_loss(fig=None, a1=0.3, a2=2.9, a3=4.0, true_class=3):
    """Softmax-with-Loss on three logits; ``true_class`` is 1, 2 or 3 (as the book's t1..t3).

    Per class: bars of y = softmax(a), the one-hot t and the gradient y − t sent back to
    the logits; the logits under the class names; the loss in the title (figure 8 × 3).
    """
    if true_class not in (1, 2, 3):
        raise ValueError(say("update_softmax_loss: true_class must be 1, 2 or 3, got {k!r}", k=true_class))
    fig = canvas(fig, (8, 3), key="softmax loss")
    a = np.array([a1, a2, a3], dtype=float)
    layer = SoftmaxWithLoss()
    loss = layer.forward(a, true_class - 1)
    grad = layer.backward()  # N = 1, so this is y − t itself
    y, t = layer.y[0], layer.t[0]
    classes = np.arange(1, 4)
    ax = axes(fig, (0.1, 0.3, 0.88, 0.6))
    if not ax.get_ylabel():  # axes, ticks, grid and the legend: drawn once
        ax.axhline(0, color="black", lw=0.8)
        ax.set(ylabel=say("probability / gradient"), xlim=(0.5, 3.5), ylim=(-1.1, 1.1), yticks=[-1, 0, 1])
        ax.set_xticks(classes, [say("class {k}", k=k) for k in classes])
        ax.set_xlabel(say("class k (its score a_k)"), labelpad=20)  # room for the scores under the names
        ax.grid(alpha=0.3, axis="y")
        for x, name in zip((0.6, 0.75, 0.9), CLASS_COLORS, strict=True):  # a legend: cheaper to redraw
            ax.text(x, -0.95, name, color=CLASS_COLORS[name], fontweight="bold")
    bars = part(ax, "bars", lambda: [_bars(ax, classes + offset, name) for offset, name in BARS])
    for rects, values in zip(bars, (y, t, grad), strict=True):
        for rect, v in zip(rects, values, strict=True):
            rect.set_height(v)
    scores = part(ax, "scores", lambda: [_score(ax, k) for k in classes])
    for text, k, v in zip(scores, classes, a, strict=True):
        text.set_text(f"a{k} = {v:.1f}")
    title = part(ax, "title", lambda: dynamic(ax.set_title("", y=1.0, pad=4)))
    title.set_text(say("Softmax-with-Loss: true class {k}, loss L = {loss:.3f}", k=true_class, loss=loss))
    rows = [(name, values) for name, values in (("y    ", y), ("t    ", t), ("y - t", grad))]
    describe(fig, "bars", title.get_text() + ". " + "; ".join(
        f"{name.strip()} = " + ", ".join(signed(v) for v in values) for name, values in rows
    ) + ".")  # fmt: skip
    for name, values in rows:
        print(f"{name} = " + "  ".join(signed(v) for v in values))
    print(say("loss  = {loss:.4f}", loss=loss))
    return fig


def affine_shape_lines(n, d, m):
    """The shapes of Y = X·W + B and of its backward formulas, for X (n, d), W (d, m), one per line."""
    f = fmt_shape
    return [
        say("forward   Y = X·W + B   {x}·{w} + {b} -> {y}", x=f((n, d)), w=f((d, m)), b=f((m,)), y=f((n, m))),
        say(
            "backward  dX = dY·Wᵀ    {dy}·{wt} -> {x}, the shape of X",
            dy=f((n, m)),
            wt=f((m, d)),
            x=f((n, d)),
        ),
        say(
            "          dW = Xᵀ·dY    {xt}·{dy} -> {w}, the shape of W",
            xt=f((d, n)),
            dy=f((n, m)),
            w=f((d, m)),
        ),
        say(
            "          dB = Σ rows   {dy} summed over axis 0 -> {b}, the shape of B", dy=f((n, m)), b=f((m,))
        ),
    ]


def update_affine_shapes(fig=None, N=4, input_size=2, output_size=3):
    """The Affine graph for X (N, input_size), W (input_size, output_size), B (output_size,),
    every arrow labelled with its array's shape (forward above, gradient below)."""
    n, d, m = int(N), int(input_size), int(output_size)
    if min(n, d, m) < 1:
        raise ValueError(
            f"update_affine_shapes: sizes must be >= 1, got N={N}, input={input_size}, output={output_size}"
        )
    fig = canvas(fig, (7, 2.4), key="affine shapes")
    rng = np.random.default_rng(0)
    g = affine_graph(rng.standard_normal((n, d)), rng.standard_normal((d, m)), np.zeros(m))
    ax = axes(fig, (0.01, 0.01, 0.98, 0.87))
    draw(
        g,
        ax,
        labels="shapes",
        title=say("Affine shapes: N = {n}, input size {d}, output size {m}", n=n, d=d, m=m),
    )
    print("\n".join(affine_shape_lines(n, d, m)))
    return fig


def softmax_graph_figure(fig=None, a1=0.3, a2=2.9, a3=4.0, true_class=3, step=None):
    """The book's Softmax-with-Loss graph for logits (a1, a2, a3) and the one-hot label of
    ``true_class`` (1..3); ``step`` reveals the backward pass up to that step (0 .. 17,
    as ``bplib.viz.draw.draw``'s ``reveal``; None: all of it). A picture for fixed values:
    with about 70 labels it takes too long to redraw on every slider move."""
    if true_class not in (1, 2, 3):
        raise ValueError(say("softmax_graph_figure: true_class must be 1, 2 or 3, got {k!r}", k=true_class))
    g = softmax_with_loss_graph((a1, a2, a3), np.eye(3)[true_class - 1])
    n = g.n_steps
    shown = n if step is None else int(step)
    if not 0 <= shown <= n:
        raise ValueError(say("softmax_graph_figure: step must be in 0 .. {n}, got {step!r}", n=n, step=step))
    fig = canvas(fig, FIGSIZE, key="softmax graph")
    ax = axes(fig, (0.01, 0.01, 0.98, 0.91))
    title = say(
        "Softmax-with-Loss, true class {k}: backward step {step} of {n}", k=true_class, step=shown, n=n
    )
    draw(g, ax, reveal=None if step is None else shown, title=title)
    if shown < n:
        print(g.describe_step(shown))
    else:
        grads = "  ".join(signed(g.grad(f"a{k}"), 4) for k in (1, 2, 3))
        print(
            say(
                "step {n}: backward done; the gradients reaching a1, a2, a3 are y − t = {grads}",
                n=n,
                grads=grads,
            )
        )
    print(say("loss L = {loss:.4f}", loss=float(g.value("L"))))
    return fig
