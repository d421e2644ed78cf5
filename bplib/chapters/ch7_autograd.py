"""Chapter 7, from the layers you wrote to automatic differentiation: the pictures and tools of its
sliders and proofs. The autograd itself is ``bplib.autograd``; this module only looks at it.

- ``recorded_graph(output)``: the graph autograd recorded, as a ``bplib.viz.graph.Graph`` whose op
  nodes are ``RecordedLayer``s: running it replays autograd's own numbers, so the chapter 1 drawing
  (``draw``, ``graph_figure``) draws what autograd computed.
- ``apple_orange_tensors(...)``: problem 2 as one line of arithmetic on Tensors, run backward.
- Update functions (``update_x(fig=None, **values) -> Figure``; each prints a few rounded numbers,
  draws into ``fig`` and returns it; a notebook calls each once with fixed values and wires the same
  function to sliders): ``update_autograd_apples`` (prices, counts, tax), ``update_autograd_steps``
  (backward one recorded tensor at a time), ``update_fork`` (a subtotal used twice),
  ``update_no_clear`` (gradient descent that forgets to clear ``.grad``).
- ``AutogradNet``: chapter 6's two-layer network in a few lines of autograd, trainable by
  ``bplib.training.train``; ``tape_table`` (what its tape keeps) and ``compare_cost`` (its time
  against the hand-written layers').
"""

import statistics
import time
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from ..autograd import Tensor, no_grad, relu, softmax_cross_entropy, tape_nbytes, topological_order
from ..viz.draw import draw
from ..viz.graph import GRAD_COLOR, Graph, fmt
from ..viz.picture import axes, canvas, describe, dynamic, part
from ..words import pad, say

FULL = (0.01, 0.01, 0.98, 0.87)  # axes rect of a figure holding one graph


# --- the recorded graph, drawn with chapter 1's drawing ------------------------------------------
class RecordedLayer:
    """An op node of a recorded graph. ``forward`` returns the value autograd computed for
    ``tensor``; ``backward`` the gradients autograd sent along each of its input arrows (kept by
    ``backward(keep_edges=True)``). Both refuse numbers other than the ones autograd saw, so a
    drawing can only show what autograd did."""

    def __init__(self, tensor):
        self.tensor = tensor

    def forward(self, *inputs):
        recorded = [x.data for x in self.tensor.inputs]
        if len(inputs) != len(recorded) or not all(map(np.array_equal, inputs, recorded)):
            raise ValueError(say("a recorded graph replays autograd's numbers; its inputs cannot change"))
        return self.tensor.data

    def backward(self, dout):
        if not np.array_equal(dout, self.tensor.grad):
            raise ValueError(
                say("a recorded graph replays autograd's backward; it starts where autograd started")
            )
        return self.tensor.edge_grads


def recorded_graph(output, title=None):
    """The graph autograd recorded for ``output``, run, as a ``Graph`` to draw.

    ``output.backward(keep_edges=True)`` must have run. Nodes are added in autograd's topological
    order, so ``graph.steps`` (the op nodes right to left) is the order backward visited them.
    Inputs (leaves and constants) are labelled with their tensor's name, or their value; op nodes
    with their op ("×", "+", ...); the output's arrow with its name.
    """
    order = topological_order(output)
    if output.grad is None or any(t.grad_fn is not None and t.edge_grads is None for t in order):
        raise ValueError(say("recorded_graph: run output.backward(keep_edges=True) first"))
    names = {t: f"t{k}" for k, t in enumerate(order)}  # the Graph's node names; drawings show labels
    graph = Graph(say("the graph autograd recorded") if title is None else title)
    for t in order:
        if t.grad_fn is None:
            graph.input(names[t], t.data, label=t.name or fmt(t.data))
        else:
            inputs = [names[x] for x in t.inputs]
            graph.op(RecordedLayer(t), *inputs, name=names[t], label=t.op, caption=t.name or say("output"))
    return graph.run(output.grad)


def apple_orange_tensors(apple=100.0, apple_num=2.0, orange=150.0, orange_num=3.0, tax=1.1):
    """Problem 2 as one line of arithmetic on Tensors, run backward (keep_edges=True): returns
    (the five input tensors by the names of chapter 3, the payment)."""
    inputs = {
        "apple": Tensor(apple, name=say("apple price")),
        "apple_num": Tensor(apple_num, name=say("apple count")),
        "orange": Tensor(orange, name=say("orange price")),
        "orange_num": Tensor(orange_num, name=say("orange count")),
        "tax": Tensor(tax, name=say("tax")),
    }
    a, n, o, m, tax = inputs.values()
    price = ((a * n + o * m) * tax).named(say("payment"))
    price.backward(keep_edges=True)
    return inputs, price


def update_autograd_apples(fig=None, apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1):
    """Problem 2 computed by autograd, drawn from its record (figure 7.2 × 3.4); prints the payment
    and every input's ``.grad``."""
    inputs, price = apple_orange_tensors(apple, apple_num, orange, orange_num, tax)
    graph = recorded_graph(price, say("Problem 2, recorded by autograd"))
    fig = canvas(fig, (7.2, 3.4), key="autograd apples")
    draw(graph, axes(fig, FULL))
    print(say("payment = {price} yen", price=fmt(price.item(), 6)))
    for t in inputs.values():
        print(pad(t.name, 14) + f"{fmt(t.data):>6}   .grad = {fmt(t.grad)}")
    return fig


def update_autograd_steps(fig=None, step=5):
    """Problem 2's recorded graph, backward shown up to ``step`` (0 .. 5: the starting gradient, then
    one recorded operation per step, in the order backward visits them; figure 7.2 × 3.4)."""
    _, price = apple_orange_tensors()
    graph = recorded_graph(price, say("Problem 2, recorded by autograd"))
    n = graph.n_steps
    if not 0 <= step <= n:
        raise ValueError(say("step must be in 0 .. {n}, got {step}", n=n, step=step))
    fig = canvas(fig, (7.2, 3.4), key="autograd steps")
    title = say("{title}: backward step {step} of {n}", title=graph.title, step=step, n=n)
    draw(graph, axes(fig, FULL), reveal=step, title=title)
    print(graph.describe_step(step))
    return fig


def fork_tensors(apple=100.0, apple_num=2.0, rate=0.1):
    """A value used twice: the subtotal (apple price × count) is added to the payment and taxed, so
    payment = subtotal + subtotal × rate. Run backward (keep_edges=True); returns (the apple price,
    the count, the rate, the subtotal, the payment)."""
    price = Tensor(apple, name=say("apple price"))
    count = Tensor(apple_num, name=say("apple count"))
    share = Tensor(rate, name=say("tax rate"))
    subtotal = price * count
    pay = (subtotal + subtotal * share).named(say("payment"))
    pay.backward(keep_edges=True)
    return price, count, share, subtotal, pay


def update_fork(fig=None, apple_num=2, rate=0.1):
    """The subtotal feeds two nodes (figure 6.4 × 2.6): the "+" sends back 1, the "×" sends back the
    rate, and the subtotal's gradient is their sum, written "Σ" above it."""
    price, count, share, subtotal, pay = fork_tensors(100.0, apple_num, rate)
    graph = recorded_graph(pay, say("A value used twice: the subtotal"))
    fig = canvas(fig, (6.4, 2.6), key="fork")
    draw(graph, axes(fig, FULL))
    plus, times = pay.edge_grads[0], pay.inputs[1].edge_grads[0]
    words = say(
        "the subtotal gets {plus} from the '+' node and {times} from the '×' node: .grad = {total}",
        plus=fmt(plus),
        times=fmt(times),
        total=fmt(subtotal.grad),
    )
    print(words)
    return fig


# --- the PyTorch pitfall: gradients add up until cleared --------------------------------------------
TARGET, RATE = 3.0, 0.2  # L(w) = (w − 3)² / 2 and the learning rate of update_no_clear


def descend(steps, clear=True, w0=0.0, lr=RATE):
    """Gradient descent on L(w) = (w − 3)² / 2 with autograd, from w = w0: ``steps`` updates
    ``w -= lr * w.grad``, clearing ``w.grad`` before each backward or (clear=False) never.
    Returns (w after each step, the .grad each step used), both of length ``steps``."""
    w, ws, grads = Tensor(w0, name="w"), [], []
    for _ in range(steps):
        if clear:
            w.grad = None  # zero_grad()
        loss = 0.5 * (w - TARGET) ** 2
        loss.backward()
        with no_grad():
            w -= lr * w.grad
        ws.append(w.item())
        grads.append(float(w.grad))
    return np.array(ws), np.array(grads)


MAX_STEPS = 30  # the slider's end; the axes are laid out for it


def update_no_clear(fig=None, steps=10):
    """w after each of ``steps`` steps (0 .. 30) of gradient descent on L(w) = (w − 3)² / 2, learning
    rate 0.2, once clearing ``.grad`` every step and once never (figure 7 × 3)."""
    if not 0 <= steps <= MAX_STEPS:
        raise ValueError(say("steps must be in 0 .. {n}, got {steps}", n=MAX_STEPS, steps=steps))
    fig = canvas(fig, (7.0, 3.0), key="no clear")
    ax = axes(fig, (0.1, 0.17, 0.86, 0.7))
    if not ax.get_xlabel():  # the axes, the minimum and the legend: drawn once
        ax.set(xlim=(0, MAX_STEPS), ylim=(-1, 8.6), xlabel=say("step"), ylabel="w", yticks=range(0, 7, 2))
        ax.grid(alpha=0.3)
        ax.axhline(TARGET, color="0.4", ls=":", lw=1.2, label=say("minimum, w = 3"))
        ax.plot([], [], "o-", ms=3, color="tab:blue", label=say("cleared every step"))
        ax.plot([], [], "s-", ms=3, color=GRAD_COLOR, label=say("never cleared"))
        ax.legend(loc="upper center", ncol=3, fontsize=9, framealpha=1)
    cleared = part(ax, "cleared", lambda: dynamic(ax.plot([], [], "o-", ms=3, color="tab:blue")[0]))
    kept = part(ax, "kept", lambda: dynamic(ax.plot([], [], "s-", ms=3, color=GRAD_COLOR)[0]))
    title = part(ax, "title", lambda: dynamic(ax.set_title("", y=1.0, pad=4)))
    ws_clear, g_clear = descend(steps, clear=True)
    ws_kept, g_kept = descend(steps, clear=False)
    k = np.arange(steps + 1)
    cleared.set_data(k, np.r_[0.0, ws_clear])
    kept.set_data(k, np.r_[0.0, ws_kept])
    title.set_text(say("Gradient descent on (w − 3)² / 2, learning rate 0.2: {k} steps", k=steps))
    if steps == 0:
        words = say("before the first step both runs are at w = 0")
    else:
        w1, g1, w2, g2 = (f"{v[-1]:.2f}" for v in (ws_clear, g_clear, ws_kept, g_kept))
        words = say(
            "after {k} steps: cleared, w = {w1} (its .grad {g1}); never cleared, w = {w2} "
            "(its .grad {g2}, the sum of {k} gradients)",
            k=steps, w1=w1, g1=g1, w2=w2, g2=g2,
        )  # fmt: skip
    describe(fig, "descent", say("{title}: {steps}.", title=title.get_text(), steps=words))
    print(words)
    return fig


# --- the two-layer network of chapter 6, in autograd ------------------------------------------------
class AutogradNet:
    """Chapter 6's two-layer network written with autograd: the same numbers as ``TwoLayerNet``.

    params: {"W1", "b1", "W2", "b2"} -> arrays, e.g. a TwoLayerNet's ``params`` (copied, dtype kept).
    ``bplib.training.train`` trains it as it trains a TwoLayerNet: ``params`` are the arrays the
    optimizer changes in place, ``gradient`` returns the gradients, ``last_layer.loss`` is the
    mini-batch loss. zero_grad=False forgets to clear the gradients between steps.
    """

    def __init__(self, params, zero_grad=True):
        self.tensors = {key: Tensor(value, name=key) for key, value in params.items()}
        self.params = {key: t.data for key, t in self.tensors.items()}  # the optimizer updates these
        self.zero_grad, self.last_layer = zero_grad, SimpleNamespace(loss=None)  # train() reads its loss

    def forward(self, x):
        """Scores (N, 10) for images x (N, 784), recorded on the tape: the network in one line."""
        p = self.tensors
        return relu(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]

    def gradient(self, x, t):
        """The gradients of the mini-batch loss: one forward pass, then ``loss.backward()``."""
        if self.zero_grad:
            for p in self.tensors.values():
                p.grad = None  # PyTorch's optimizer.zero_grad()
        loss = softmax_cross_entropy(self.forward(x), t)
        loss.backward()
        self.last_layer.loss = loss.item()
        return {key: p.grad for key, p in self.tensors.items()}

    def predict(self, x):
        """Scores (N, 10) as an array, recording nothing: inference."""
        with no_grad():
            return self.forward(x).data

    def accuracy(self, x, t, chunk=2000):
        """Fraction of rows whose highest score is the true class."""
        t = np.argmax(t, axis=1) if np.ndim(t) != 1 else np.asarray(t)
        hits = sum(
            np.count_nonzero(np.argmax(self.predict(x[i : i + chunk]), axis=1) == t[i : i + chunk])
            for i in range(0, len(x), chunk)
        )
        return hits / len(x)


def tape_table(output):
    """Text: what each recorded operation keeps for backward (shapes, dtypes, bytes) and the total."""
    rows = [pad(say("operation"), 20) + pad(say("keeps for backward"), 44) + pad(say("bytes"), 10, ">")]
    for t in topological_order(output):
        if t.grad_fn is None:
            continue
        kept = [a for a in t.saved or () if isinstance(a, np.ndarray)]
        what = ", ".join(f"{a.shape} {a.dtype}" for a in kept) or say("nothing")
        rows.append(pad(t.op, 20) + pad(what, 44) + f"{sum(a.nbytes for a in kept):>10,}")
    rows.append(pad(say("total"), 64) + f"{tape_nbytes(output):>10,}")
    return "\n".join(rows)


@dataclass
class Cost:
    """Median seconds of one gradient by the hand-written layers and by autograd, timed alternately."""

    layers: float
    autograd: float
    repeat: int

    @property
    def ratio(self):
        return self.autograd / self.layers


def compare_cost(layers_net, autograd_net, x, t, repeat=50):
    """Time ``layers_net.gradient(x, t)`` (a TwoLayerNet) against ``autograd_net.gradient(x, t)``,
    call for call, alternating (so whatever else the machine does weighs on both alike); medians."""
    times = {"layers": [], "autograd": []}
    for _ in range(repeat):
        for key, net in (("layers", layers_net), ("autograd", autograd_net)):
            began = time.perf_counter()
            net.gradient(x, t)
            times[key].append(time.perf_counter() - began)
    return Cost(statistics.median(times["layers"]), statistics.median(times["autograd"]), repeat)
