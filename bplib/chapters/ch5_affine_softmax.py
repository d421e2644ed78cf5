"""Chapter 5, Affine and Softmax-with-Loss layers: the numbers and pictures behind its sliders.

Update functions (``update_x(fig=None, **values) -> Figure``) compute, print a few
rounded numbers, draw into ``fig`` (a new ``bplib.viz.sliders.new_figure`` when None) and
return it; the notebook calls each once with fixed values and wires it to sliders.

- ``update_affine_index(i, j)``: the Affine layer's gradients for one example, entry by entry:
  ∂L/∂Wᵢⱼ = Xᵢ · ∂L/∂Yⱼ and ∂L/∂Xᵢ = Σⱼ Wᵢⱼ · ∂L/∂Yⱼ, on tables of the chapter's numbers.
- ``update_affine_shapes(N, input_size, output_size)``: the backward formulas for a batch as
  blocks of their shapes: dX = dY·Wᵀ, dW = Xᵀ·dY, and dB = dY summed over its rows.
- ``softmax_graph_figure(a1, a2, a3, true_class, step)`` (a picture, no slider): the
  book's 3-class Softmax-with-Loss graph, backward revealed up to ``step``.
- ``update_softmax_loss(a1, a2, a3, true_class)``: the logits, then y, t and y − t as
  bars, and the loss.
"""

import numpy as np
from matplotlib.patches import Rectangle

from ..layers import SoftmaxWithLoss
from ..viz.draw import draw
from ..viz.graph import GRAD_COLOR, fmt, fmt_operand, fmt_shape
from ..viz.picture import axes, canvas, describe, dynamic, part
from ..words import pad, say
from .book_graphs import softmax_with_loss_graph

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
    rows = [("y", y), ("t", t), ("y − t", grad)]
    bars = say("; ").join(f"{name} = " + say(", ").join(signed(v) for v in values) for name, values in rows)
    describe(fig, "bars", say("{title}: {steps}.", title=title.get_text(), steps=bars))
    for name, values in rows:
        print(f"{pad(name, 5)} = " + "  ".join(signed(v) for v in values))
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


# The blocks of update_affine_shapes: each array a rectangle of one square per number, laid out
# for the sliders' largest sizes, so a block grows in place while the others stay where they are.
BLOCK_COLORS = {"X": "#d6e6f5", "W": "#d9efd9", "grad": "#f6d5d1"}  # inputs blue, W green, gradients red
SLIDER_MAX = (10, 8, 8)  # N, input size, output size
GAP, BETWEEN = 2.4, 4.0  # room for an operator between two blocks; between two formulas


def _layout(ax, rooms):
    """The static parts of update_affine_shapes' drawing, for blocks of up to ``rooms`` = (N, D, M)
    squares: each formula's title and note, and the operators between its blocks. Returns each
    block's (name, kind, left edge), in drawing order."""
    room_n, room_d, room_m = rooms
    formulas = [  # (title, note, [a block (name, kind, room), or an operator])
        (say("dX = dY · Wᵀ"), say("each row of dY against each row of W"),
         [("dY", "grad", room_m), "·", ("Wᵀ", "W", room_d), "=", ("dX", "grad", room_d)]),
        (say("dW = Xᵀ · dY"), say("the product adds up the N examples"),
         [("Xᵀ", "X", room_n), "·", ("dY", "grad", room_m), "=", ("dW", "grad", room_m)]),
        (say("dB = dY summed over its rows"), say("B was added to each of the N rows"),
         [("dY", "grad", room_m), "Σ", ("dB", "grad", room_m)]),
    ]  # fmt: skip
    bottom, x, placed = -max(rooms), 0.0, []
    for title, note, items in formulas:
        ax.text(x, 2.3, title, ha="left", va="bottom", fontsize=11, fontweight="bold")
        ax.text(x, bottom - 0.5, note, ha="left", va="top", fontsize=10, color="0.25")
        for item in items:
            if isinstance(item, str):  # an operator between two blocks
                ax.text(x + GAP / 2, -0.5, item, ha="center", va="center", fontsize=13)
                x += GAP
            else:
                placed.append((item[0], item[1], x))
                x += item[2]
        x += BETWEEN
    ax.set(xlim=(-0.3, x - BETWEEN + 0.3), ylim=(bottom - 1.9, 3.4))
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    return placed


def _blocks(ax, placed):
    """The parts that move with the sliders: a rectangle and a label per block, and the lines between
    the rows that dB adds up. The title says what the blocks are, once (the sizes are in the labels)."""
    blocks = []
    for name, kind, left in placed:
        edge, color = (GRAD_COLOR, GRAD_COLOR) if kind == "grad" else ("0.3", "black")
        rect = ax.add_patch(Rectangle((left, -1), 1, 1, fc=BLOCK_COLORS[kind], ec=edge, lw=1.2))
        label = ax.text(left, 0.35, "", ha="left", va="bottom", fontsize=10, color=color)
        blocks.append((name, dynamic(rect), dynamic(label)))
    rows = dynamic(ax.plot([], [], color=GRAD_COLOR, lw=0.6)[0])
    ax.set_title(
        say("Affine's backward pass: each array drawn as a block of its shape"), y=1.0, pad=10, fontsize=12
    )
    return blocks, rows


def update_affine_shapes(fig=None, N=4, input_size=2, output_size=3):
    """The backward formulas of Y = X·W + B for X (N, input_size), W (input_size, output_size),
    B (output_size,), each array a block of its shape: dX = dY·Wᵀ, dW = Xᵀ·dY (the product adds
    up the N examples) and dB = dY summed over its N rows (figure 12 x 2.9). Prints the shapes."""
    n, d, m = int(N), int(input_size), int(output_size)
    if min(n, d, m) < 1:
        raise ValueError(
            f"update_affine_shapes: sizes must be >= 1, got N={N}, input={input_size}, output={output_size}"
        )
    rooms = tuple(max(size, top) for size, top in zip((n, d, m), SLIDER_MAX, strict=True))
    fig = canvas(fig, (12, 2.9), key=("affine shapes", rooms))  # past a slider's end: a wider layout
    ax = axes(fig, (0.01, 0.02, 0.98, 0.8))
    placed = part(ax, "layout", lambda: _layout(ax, rooms))
    blocks, rows = part(ax, "blocks", lambda: _blocks(ax, placed))
    shapes = {"dY": (n, m), "Wᵀ": (m, d), "dX": (n, d), "Xᵀ": (d, n), "dW": (d, m), "dB": (m,)}
    for name, rect, label in blocks:
        height, width = shapes[name] if name != "dB" else (1, m)
        rect.set_bounds(rect.get_x(), -height, width, height)
        label.set_text(f"{name} {fmt_shape(shapes[name])}")
    left = placed[-2][2]  # the dY whose rows dB adds up
    xs = [x for r in range(1, n) for x in (left, left + m, np.nan)]
    rows.set_data(xs, [y for r in range(1, n) for y in (-r, -r, np.nan)])
    heading = say("Affine shapes: N = {n}, input size {d}, output size {m}", n=n, d=d, m=m)
    lines = affine_shape_lines(n, d, m)
    steps = say("; ").join(" ".join(line.split()) for line in lines)
    describe(fig, "blocks", say("{title}: {steps}.", title=heading, steps=steps))
    print("\n".join(lines))
    return fig


# The chapter's Affine layer for one example: X (2,), W (2, 3), and an upstream gradient dY (3,).
AFFINE_X = np.array([1.0, 2.0])
AFFINE_W = np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
AFFINE_DY = np.array([1.0, -1.0, 0.5])
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def affine_index_lines(i, j, X=AFFINE_X, W=AFFINE_W, dY=AFFINE_DY):
    """The two index formulas at entry (i, j), counted from 1 as in the prose, with their numbers:
    ∂L/∂Wᵢⱼ = Xᵢ · ∂L/∂Yⱼ, and ∂L/∂Xᵢ = Σⱼ Wᵢⱼ · ∂L/∂Yⱼ."""
    si, sj = str(i).translate(SUBSCRIPTS), str(j).translate(SUBSCRIPTS)
    x, g, row = X[i - 1], dY[j - 1], W[i - 1]
    terms = " + ".join(f"{fmt_operand(w)}·{fmt_operand(v)}" for w, v in zip(row, dY, strict=True))
    return [
        f"∂L/∂W{si}{sj} = X{si} · ∂L/∂Y{sj} = {fmt_operand(x)} × {fmt_operand(g)} = {fmt(x * g)}",
        f"∂L/∂X{si} = Σⱼ W{si}ⱼ · ∂L/∂Yⱼ = {terms} = {fmt(row @ dY)}",
    ]


CELL = (1.5, 0.9)  # width and height of a number's cell in update_affine_index's tables
MARK = "#e67e22"  # the frame around the entry and the row the sliders choose


def _table(ax, left, top, values, color):
    """A table of numbers in cells, its top-left corner at (left, top)."""
    w, h = CELL
    for (r, c), v in np.ndenumerate(values):
        ax.add_patch(Rectangle((left + w * c, top - h * (r + 1)), w, h, fc="none", ec="0.6", lw=0.8))
        ax.text(left + w * (c + 0.5), top - h * (r + 0.5), fmt(v), ha="center", va="center", color=color)


def update_affine_index(fig=None, i=1, j=2):
    """The Affine layer's gradients one entry at a time, for the chapter's X (2,), W (2, 3), dY (3,).
    Left: the table ∂L/∂W, entry (i, j) = Xᵢ · ∂L/∂Yⱼ framed. Right: W, its row i framed, which
    meets ∂L/∂Y to give ∂L/∂Xᵢ. i: 1 or 2, j: 1, 2 or 3 (figure 12 x 3.2). Prints both formulas."""
    if i not in (1, 2) or j not in (1, 2, 3):
        raise ValueError(
            say("update_affine_index: i must be 1 or 2 and j 1, 2 or 3, got i={i!r}, j={j!r}", i=i, j=j)
        )
    X, W, dY = AFFINE_X, AFFINE_W, AFFINE_DY
    (w, h), tables, top = CELL, (3.6, 16.1), 4.3  # the tables' left edges, their top
    fig = canvas(fig, (12, 3.2), key="affine index")
    ax = axes(fig, (0.01, 0.02, 0.98, 0.96))
    if not ax.texts:  # the tables: drawn once
        ax.set(xlim=(0.0, 24.0), ylim=(0.4, 6.6))
        ax.set_axis_off()
        titles = (say("∂L/∂W: entry (i, j) is Xᵢ · ∂L/∂Yⱼ"), say("∂L/∂X: row i of W times ∂L/∂Y, added up"))
        for left, title in zip(tables, titles, strict=True):
            ax.text(left - 3.4, 6.5, title, ha="left", va="top", fontsize=12, fontweight="bold")
            ax.text(left - 0.3, top + 0.55, "∂L/∂Y", ha="right", va="center", color=GRAD_COLOR)
            for c, v in enumerate(dY):
                ax.text(left + w * (c + 0.5), top + 0.55, fmt(v), ha="center", va="center", color=GRAD_COLOR)
        _table(ax, tables[0], top, np.outer(X, dY), GRAD_COLOR)
        _table(ax, tables[1], top, W, "black")
        for r, x in enumerate(X):
            y, s = top - h * (r + 0.5), str(r + 1).translate(SUBSCRIPTS)
            ax.text(tables[0] - 0.3, y, f"X{s} = {fmt(x)}", ha="right", va="center", color="tab:blue")
            ax.text(tables[1] - 0.3, y, f"W{s}ⱼ", ha="right", va="center")
            ax.text(tables[1] + 3 * w + 0.3, y, f"→ ∂L/∂X{s} = {fmt(W[r] @ dY)}", ha="left", va="center",
                    color=GRAD_COLOR)  # fmt: skip

    def frame(width, height):
        return dynamic(ax.add_patch(Rectangle((0, 0), width, height, fc="none", ec=MARK, lw=2.5)))

    entry, upstream, row = part(ax, "frames", lambda: [frame(w, h), frame(w, 0.7), frame(3 * w, h)])
    entry.set_xy((tables[0] + w * (j - 1), top - h * i))
    upstream.set_xy((tables[0] + w * (j - 1), top + 0.2))
    row.set_xy((tables[1], top - h * i))
    lines = affine_index_lines(i, j)
    texts = part(ax, "formulas", lambda: [
        dynamic(ax.text(left - 3.4, 1.0, "", ha="left", va="center", fontsize=11)) for left in tables
    ])  # fmt: skip
    for text, line in zip(texts, lines, strict=True):
        text.set_text(line)
    words = say(
        "The Affine layer's gradients entry by entry, X = {x}, ∂L/∂Y = {dy}: {formulas}.",
        x=fmt(X),
        dy=fmt(dY),
        formulas=say("; ").join(lines),
    )
    describe(fig, "tables", words)
    print("\n".join(lines))
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
