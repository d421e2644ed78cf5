"""Chapter 4, activation layers (激活函数层): the numbers and pictures behind its sliders.

Update functions (``update_x(fig=None, **values) -> Figure``) compute, print a few
rounded numbers, draw into ``fig`` (a new ``bplib.viz.sliders.new_figure`` when None) and
return it; the notebook calls each once with fixed values and wires it to sliders.

- ``update_relu(x, dout)``: ReLU as a switch, its curve and gradient.
- ``update_sigmoid(x, dout, step)``: the expanded sigmoid graph (×(−1), exp, +1, /) with
  its four backward steps, and what the collapsed "sigmoid" node sends back;
  ``sigmoid_node_figure(x, dout)`` (a picture, no slider) draws that one node.
- ``activation_curves()`` (a static picture): σ and σ′ = y(1 − y); ReLU and its gradient.
- ``update_vanishing(depth)``: the gradient reaching each layer of a stack of
  sigmoid layers, against a stack of ReLU layers.
"""

from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullLocator

from ..functions import sigmoid
from ..layers import Affine, Relu, Sigmoid
from ..viz.draw import describe_graph, draw
from ..viz.graph import Graph, fmt
from ..viz.picture import axes, canvas, describe, dynamic, part
from ..words import pad, say, sentences
from .book_graphs import sigmoid_graph

SIGMOID_COLOR, RELU_COLOR, GRAD_COLOR = "tab:blue", "tab:green", "#c0392b"
LABEL_BOX = {"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none"}  # the grid stops at a curve's name


@dataclass(frozen=True)
class SigmoidSteps:
    """The expanded sigmoid graph run forward and backward, one number per edge.

    Forward: x -> ×(−1) -> neg_x -> exp -> exp_neg_x -> +1 -> denom -> / -> y.
    Backward, right to left: ``step1`` leaves "/" (dout · −y²), ``step2`` leaves "+1"
    (unchanged), ``step3`` leaves "exp" (· exp(−x)), ``step4`` leaves "×(−1)" (· −1) and
    is ∂L/∂x.
    """

    x: float
    dout: float
    neg_x: float
    exp_neg_x: float
    denom: float
    y: float
    step1: float
    step2: float
    step3: float
    step4: float

    @property
    def collapsed(self):
        """What the one "sigmoid" node sends back: dout · y · (1 − y)."""
        return self.dout * self.y * (1.0 - self.y)


def sigmoid_steps(x, dout=1.0, graph=None):
    """Read the four backward steps off ``bplib.chapters.book_graphs.sigmoid_graph(x, dout)``; x, dout:
    numbers. ``graph``: that graph, already run, to read instead of building it again."""
    g = sigmoid_graph(float(x), float(dout)) if graph is None else graph
    return SigmoidSteps(
        x=float(x),
        dout=float(dout),
        neg_x=float(g.value("-x")),
        exp_neg_x=float(g.value("exp(-x)")),
        denom=float(g.value("1+exp(-x)")),
        y=float(g.value("y")),
        step1=float(g.grad("1+exp(-x)")),  # what "/" sends back
        step2=float(g.grad("exp(-x)")),  # what "+1" sends back
        step3=float(g.grad("-x")),  # what "exp" sends back
        step4=float(g.grad("x")),  # what "×(−1)" sends back: ∂L/∂x
    )


def relu_grad(x):
    """ReLU's local gradient: 1 where x > 0, else 0 (also at exactly 0, as ``bplib.Relu``)."""
    return (np.asarray(x) > 0).astype(float)


def _check_stack(depth, activation):
    """A clear ValueError for a depth or an activation ``stacked_gradients`` cannot build."""
    if int(depth) != depth or depth < 1:
        raise ValueError(
            say("stacked_gradients: depth must be a whole number >= 1, got {depth!r}", depth=depth)
        )
    if activation not in ("sigmoid", "relu"):
        raise ValueError(
            say("stacked_gradients: activation must be 'sigmoid' or 'relu', got {a!r}", a=activation)
        )


def stacked_gradients(depth, activation="sigmoid", width=32, batch=16, seed=0):
    """Mean |gradient| reaching the input of each of ``depth`` Affine + activation layers.

    Weights are seeded normal, scaled sqrt(1/width) for sigmoid (Xavier) and
    sqrt(2/width) for ReLU (He), biases 0; the backward pass starts from a gradient of
    ones at the top. Returns an array of ``depth`` numbers, index 0 = the first layer
    (next to the data), index depth − 1 = the last (where backward starts).
    """
    _check_stack(depth, activation)
    rng = np.random.default_rng(seed)
    scale = np.sqrt((1.0 if activation == "sigmoid" else 2.0) / width)
    layers = []
    for _ in range(int(depth)):
        layers.append(Affine(rng.standard_normal((width, width)) * scale, np.zeros(width)))
        layers.append(Sigmoid() if activation == "sigmoid" else Relu())
    h = rng.standard_normal((batch, width))
    for layer in layers:
        h = layer.forward(h)
    grad, sizes = np.ones_like(h), []
    for layer in reversed(layers):
        grad = layer.backward(grad)
        if isinstance(layer, Affine):
            sizes.append(float(np.mean(np.abs(grad))))
    return np.array(sizes[::-1])


def activation_curves(fig=None):
    """Left: σ(x) and σ′(x) = y(1 − y), its peak 0.25 at x = 0 marked. Right: ReLU and its
    gradient, 0 up to and including x = 0, then 1. A static picture (no slider)."""
    fig = canvas(fig, (8, 3))
    xs = np.linspace(-6, 6, 241)
    y = sigmoid(xs)
    left, right = fig.add_axes((0.07, 0.15, 0.41, 0.75)), fig.add_axes((0.575, 0.15, 0.41, 0.75))
    left.plot(xs, y, color=SIGMOID_COLOR)
    left.plot(xs, y * (1 - y), color=GRAD_COLOR)
    left.plot([0], [0.25], "o", color="black", ms=5)
    left.annotate(say("0.25 at x = 0"), (0, 0.25), (0.6, 0.36), fontsize=9, bbox=LABEL_BOX)
    left.text(-5.7, 0.9, "σ(x)", color=SIGMOID_COLOR, bbox=LABEL_BOX)
    left.text(-5.7, 0.3, "σ′(x) = y(1 − y)", color=GRAD_COLOR, bbox=LABEL_BOX)
    left.set(
        title=say("Sigmoid and its gradient"), xlabel="x", ylabel=say("output / gradient"), ylim=(-0.05, 1.05)
    )
    right.plot(xs, np.maximum(xs, 0), color=RELU_COLOR)
    right.plot(xs, relu_grad(xs), color=GRAD_COLOR, drawstyle="steps-post")
    right.plot([0], [0], "o", color="black", ms=5)
    right.text(-5.7, 5.2, "ReLU(x)", color=RELU_COLOR, bbox=LABEL_BOX)
    right.text(-5.7, 1.5, say("gradient (0 at x = 0)"), color=GRAD_COLOR, bbox=LABEL_BOX)
    right.set(
        title=say("ReLU and its gradient"), xlabel="x", ylabel=say("output / gradient"), ylim=(-0.3, 6.3)
    )
    for ax in (left, right):
        ax.grid(alpha=0.3)
    describe(fig, "curves", say(
        "Left: σ(x) rises from 0 to 1; its gradient σ′(x) = y(1 − y) peaks at 0.25 at x = 0 "
        "and falls towards 0 on both sides. Right: ReLU(x) is 0 up to x = 0, then x; "
        "its gradient is 0 up to and including x = 0, then 1."
    ))  # fmt: skip
    return fig


def update_vanishing(fig=None, depth=5):
    """The mean |gradient| reaching each layer, sigmoid stack against ReLU stack, log scale
    (figure 7 × 3.2)."""
    fig = canvas(fig, (7, 3.2), key="vanishing")
    ax = axes(fig, (0.11, 0.15, 0.86, 0.76))
    if not ax.get_xlabel():  # axes, ticks, grid and names: drawn once
        ax.set_yscale("log")
        ax.set(
            xlabel=say("layer (1 = next to the data)"),
            ylabel=say("mean |gradient|"),
            xlim=(0.5, 15.5),
            ylim=(1e-11, 1e2),
            xticks=[1, 5, 10, 15],
        )
        powers = np.arange(-9, 1, 3)
        ax.set_yticks(10.0**powers, [f"1e{p}" if p else "1" for p in powers])
        ax.yaxis.set_minor_locator(NullLocator())
        ax.grid(alpha=0.3)
        # a key with each curve's marker: the sigmoid curve's end moves with the depth, so a name written
        # beside it would be far from it at some depths; the lower right stays empty at every depth
        keys = [
            Line2D([], [], marker="s", color=RELU_COLOR, label=say("ReLU layers")),
            Line2D([], [], marker="o", color=SIGMOID_COLOR, label=say("Sigmoid layers")),
        ]
        ax.legend(handles=keys, loc="lower right", framealpha=1)
    sig_line = part(ax, "sigmoid", lambda: dynamic(ax.plot([], [], "o-", color=SIGMOID_COLOR)[0]))
    relu_line = part(ax, "relu", lambda: dynamic(ax.plot([], [], "s-", color=RELU_COLOR)[0]))
    title = part(ax, "title", lambda: dynamic(ax.set_title("", y=1.0, pad=4)))
    layers = np.arange(1, depth + 1)
    sig, relu = stacked_gradients(depth, "sigmoid"), stacked_gradients(depth, "relu")
    sig_line.set_data(layers, sig)
    relu_line.set_data(layers, relu)
    title.set_text(say("Gradient reaching each layer, depth {depth}", depth=depth))
    line = say(
        "depth {depth}: mean |gradient| at layer 1 is {sigmoid:.2e} (sigmoid) vs {relu:.2e} (ReLU)",
        depth=depth, sigmoid=sig[0], relu=relu[0],
    )  # fmt: skip
    describe(
        fig,
        "vanishing",
        sentences(
            [
                say("The mean |gradient| reaching each layer, on a log scale."),
                say("{sentence}.", sentence=line),
            ]
        ),
    )
    print(line)
    return fig


def relu_graph(x=1.0, dout=1.0):
    """The one-node graph x -> relu -> y, run forward and backward by ``bplib.Relu``."""
    g = Graph(say("ReLU node"))
    g.input("x", float(x))
    g.op(Relu(), "x", label="relu", name="y")
    return g.run(np.asarray(float(dout)))


def update_relu(fig=None, x=1.0, dout=1.0):
    """Left: the ReLU curve with a dot at ``x``. Right: the relu node with x and y above its
    arrows and the upstream gradient ``dout`` and what passes the switch below them (figure 8 × 2.6)."""
    fig = canvas(fig, (8, 2.6), key="relu")
    g = relu_graph(x, dout)
    on = x > 0
    left = axes(fig, (0.07, 0.17, 0.33, 0.72))
    if not left.get_xlabel():  # the curve and its axes: drawn once
        xs = np.linspace(-3, 3, 121)
        left.plot(xs, np.maximum(xs, 0), color=RELU_COLOR)
        left.set(title="y = ReLU(x)", xlabel="x", ylabel="y", xlim=(-3, 3), ylim=(-0.3, 3.2))
        left.set(xticks=[-3, -2, -1, 0, 1, 2, 3], yticks=[0, 1, 2, 3])
        left.grid(alpha=0.3)
    dot = part(left, "dot", lambda: dynamic(left.plot([], [], "o", color="black", ms=5)[0]))
    dot.set_data([x], [max(x, 0.0)])
    describe(
        fig,
        "curve",
        say("Left: the ReLU curve, with x = {x} marked (y = {y}).", x=fmt(x), y=fmt(max(x, 0.0))),
    )
    draw(g, axes(fig, (0.44, 0.02, 0.55, 0.87)),
         title=say("switch on: the gradient passes" if on else "switch off: the gradient stops"))  # fmt: skip
    dx = float(g.grad("x"))
    switch = say("switch on" if on else "switch off")
    print(
        say(
            "x = {x:.2f} -> y = {y:.2f}; upstream {dout:.2f} -> dx = {dx:.2f} ({switch})",
            x=x, y=max(x, 0.0), dout=dout, dx=dx + 0.0, switch=switch,
        )
    )  # fmt: skip
    return fig


def sigmoid_node_graph(x=1.0, dout=1.0):
    """The collapsed graph x -> sigmoid -> y, one node run by ``bplib.Sigmoid``."""
    g = Graph(say('The same, as one "sigmoid" node'))
    g.input("x", float(x))
    g.op(Sigmoid(), "x", label="sigmoid", name="y")
    return g.run(np.asarray(float(dout)))


def sigmoid_node_figure(fig=None, x=1.0, dout=1.0):
    """A picture (no slider): the collapsed "sigmoid" node for ``x`` and upstream ``dout``."""
    fig = canvas(fig, (4, 1.6), key="sigmoid node")
    g = sigmoid_node_graph(x, dout)
    draw(g, axes(fig, (0.01, 0.01, 0.98, 0.85)), title=g.title)
    return fig


def update_sigmoid(fig=None, x=1.0, dout=1.0, step=4):
    """The expanded sigmoid graph after the book's backward ``step`` (0: only dL/dy on the
    output arrow; 1 "/", 2 "+1", 3 "exp", 4 "×(−1)": done); under it, once done, what the
    collapsed "sigmoid" node sends back: the same number, in one step."""
    step = int(step)
    if not 0 <= step <= 4:
        raise ValueError(say("update_sigmoid: step must be in 0 .. 4, got {step}", step=step))
    fig = canvas(fig, (8, 2.2), key="sigmoid")
    g = sigmoid_graph(float(x), float(dout))
    s = sigmoid_steps(x, dout, graph=g)
    if step:
        title = say("Sigmoid as four nodes: backward step {step} of 4", step=step)
    else:
        title = say("Sigmoid as four nodes: backward not started")
    graph_ax = axes(fig, (0.01, 0.15, 0.98, 0.77))
    draw(g, graph_ax, reveal=step + 1, title=title)
    if step < 4:  # the graph kit counts dL/dy's arrival as a step: say it in this picture's four
        waiting = say(
            "Backward from {start}: {step} of 4 steps done, x has no gradient yet.",
            start=fmt(dout),
            step=step,
        )
        describe(fig, graph_ax, sentences([describe_graph(g, reveal=0, title=title), waiting]))
    result = part(fig, "result", lambda: dynamic(fig.text(0.5, 0.05, "", ha="center", color=GRAD_COLOR)))
    if step == 4:
        result.set_text(say("what reaches x: dL/dy · y² · exp(−x) = {value}", value=f"{s.step4 + 0.0:+.4f}"))
    else:
        result.set_text(say("what reaches x: dL/dy · y² · exp(−x) = ? (known after step 4)"))
    print(say("x = {x:.2f}, y = {y:.4f}, upstream dL/dy = {dout:.2f}", x=x, y=s.y, dout=dout))
    rows = [
        (say('"{node}"', node="/"), "× (−y²)", s.step1),
        (say('"{node}"', node="+1"), say("passes on"), s.step2),
        (say('"{node}"', node="exp"), "× exp(−x)", s.step3),
        (say('"{node}"', node="×(−1)"), "× (−1)", s.step4),
    ]
    for k, (node, rule, value) in enumerate(rows, start=1):
        shown = f"{value + 0.0:+.4f}" if step >= k else say("(not yet)")
        print(say("step {k} {node} {rule} {value}", k=k, node=pad(node, 7), rule=pad(rule, 11), value=shown))
    if step == 4:
        print(say("what reaches x: dL/dy · y² · exp(−x) = {value:+.4f}", value=s.step4 + 0.0))
    return fig
