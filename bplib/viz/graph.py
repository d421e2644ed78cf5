"""Computational graphs (计算图): build one, run it forward and backward (drawn by ``bplib.viz.draw``).

Every op node is run by a bplib layer (MulLayer, AddLayer and the nodes of bplib.viz.nodes), so
the numbers in a picture are exactly what the layers compute.

Build and run::

    g = Graph("two apples")
    g.input("apple", 100, label="apple price")
    g.input("apple_num", 2, label="apple count")
    g.input("tax", 1.1)
    g.op("×", "apple", "apple_num", name="apple_price")
    g.op("×", "apple_price", "tax", name="price")  # the last op added is the output
    g.run()                         # forward, then backward starting from 1
    g.value("price"), g.grad("apple"), g.grad("tax")   # 220, 2.2, 200 (up to rounding)

Ops: "×" (MulLayer), "+" (AddLayer; SumLayer for three or more inputs), "**2", "exp",
"/" (1/x), "log", "dot" (matrix product). "×" or "+" with ``const=c`` and one input is the
"×c" / "+c" node (``const=-1`` is drawn "×(−1)"). Any layer object can be an op:
``g.op(Sigmoid(), "x", label="sigmoid")``; inputs it returns no gradient for (labels of
``SoftmaxWithLoss``) get none. A value feeding several nodes (fan-out) gets the sum of
their gradients. Mistakes (an unknown op, a cycle, an input without a value, a name
used twice, a node that does not lead to the output) raise ValueError naming the node.
``g.numerical_gradients()`` gives central-difference estimates of the same gradients;
``g.forward_passes`` / ``g.backward_passes`` count the passes each way really made;
``g.steps`` lists the op nodes in backward order and ``g.describe_step(k)`` says in words
what step k does.

Draw::

    fig = graph_figure(g)            # or draw(g, ax) into your own axes

Forward values are written above each arrow, gradients below it in red. Options of
``draw``: ``reveal=k`` shows only the first k backward steps (step 1 puts the starting
gradient on the output arrow, each later step one node, right to left; ``g.n_steps`` in
all), so a slider can show the chain rule happening; ``labels="shapes"`` writes array
shapes instead of values, with ``dims={"N": 5}`` writing a size of 5 as "N";
``names=True`` writes "t = 5" and "∂z/∂t = 10" for nodes given an explicit name.
The layout is automatic: inputs on the left, the output on the right, one column per depth
(``Graph(spacing=(between columns, between rows))`` spreads a crowded graph), or by hand
(``Graph(positions={name: (x, y)})``). A value feeding several nodes is written on each of its
arrows with room (``Graph(fork_values="once")``: on one), and the sum of its gradients above it.
``fmt(x)`` is the short text used for every number (220.00000000000003 -> "220").

The book's graphs, ready made (each already run; keyword arguments are the inputs):
``apple_graph`` (two drawings: ``constants=True`` puts "×2"/"×1.1" in the nodes),
``apple_orange_graph``, ``apple_others_graph`` (local computation, 4000 of other things),
``square_sum_graph`` (z = (x + y)²), ``add_node_graph`` / ``mul_node_graph`` (10 and 5,
upstream 1.3), ``sigmoid_graph`` (×(−1), exp, +1, /), ``basket_graph`` (any number of
fruits, for counting passes), and for chapter 5 ``affine_graph(X, W, B)`` (dot, +; draw
it with ``labels="shapes"``) and ``softmax_with_loss_graph(a, t)`` (the book's 3-class
graph, with its exp nodes and 1/S node feeding several branches).
"""

import math
from dataclasses import dataclass

import numpy as np

from ..gradcheck import numerical_gradient
from ..layers import AddLayer, MulLayer
from ..words import pad, say
from .nodes import (
    DotLayer,
    ExpLayer,
    LogLayer,
    ReciprocalLayer,
    ScaleLayer,
    ShiftLayer,
    SquareLayer,
    SumLayer,
)

GRAD_COLOR = "#c0392b"  # the backward pass: red, below the arrows


def fmt(x, digits=4):
    """Short, stable text for a number or a small array.

    At least ``digits`` significant digits, every digit before the point kept, trailing
    zeros dropped: 220.00000000000003 -> "220", 2.2 -> "2.2", 0.19661193 -> "0.1966",
    -0.0 -> "0", 1e-05 -> "1e-05". Arrays of up to 4 numbers: "[0.3, -0.8, 0.5]";
    larger ones: "array (2, 3)". None -> "".
    """
    if x is None:
        return ""
    a = np.asarray(x)
    if a.ndim > 0:
        if a.size <= 4:
            inner = ", ".join(fmt(v, digits) for v in a)
            return f"[{inner}]"
        return f"array {fmt_shape(a.shape)}"
    v = float(a)
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    if abs(v) >= 1e7 or abs(v) < 1e-4:
        mantissa, exponent = f"{v:.{digits - 1}e}".split("e")
        return mantissa.rstrip("0").rstrip(".") + "e" + exponent
    if abs(v) < 1:
        text = f"{v:.{digits}g}"
    else:
        decimals = max(0, digits - len(str(int(abs(v)))))
        text = f"{v:.{decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "0") else text


def fmt_operand(x):
    """fmt(x) in parentheses when negative, for writing sums: '4 + (-3)'."""
    text = fmt(x)
    return f"({text})" if text.startswith("-") else text


def fmt_shape(shape, dims=None):
    """'(N, 3)' for shape (5, 3) with dims={"N": 5}; '()' for a scalar."""
    names = {size: name for name, size in (dims or {}).items()}
    parts = [str(names.get(n, n)) for n in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


# op symbol -> (layer class, number of inputs; None: two or more)
OPS = {
    "×": (MulLayer, 2),
    "+": (None, None),
    "**2": (SquareLayer, 1),
    "exp": (ExpLayer, 1),
    "/": (ReciprocalLayer, 1),
    "log": (LogLayer, 1),
    "dot": (DotLayer, 2),
}


def _const_label(op, c):
    text = fmt(c).replace("-", "−")
    return f"{op}({text})" if c < 0 else f"{op}{text}"


def _make_layer(op, n, const, name):
    """The layer that runs an op node, and the node's default label."""
    if not isinstance(op, str):
        if callable(getattr(op, "forward", None)) and callable(getattr(op, "backward", None)):
            return op, type(op).__name__
        raise ValueError(say("node {name!r}: op {op!r} is neither a known op nor a layer", name=name, op=op))
    if op not in OPS:
        known = ", ".join(OPS)
        raise ValueError(
            say(
                "node {name!r}: unknown op {op!r}; known ops: {known}, or a layer object",
                name=name,
                op=op,
                known=known,
            )
        )
    if const is not None:
        if op not in ("×", "+") or n != 1:
            raise ValueError(
                say("node {name!r}: const= needs op '×' or '+' and exactly one input", name=name)
            )
        layer = ScaleLayer(const) if op == "×" else ShiftLayer(const)
        return layer, _const_label(op, const)
    if op == "+":
        if n < 2:
            raise ValueError(
                say(
                    "node {name!r}: op '+' takes two or more inputs (or one with const=), got {n}",
                    name=name,
                    n=n,
                )
            )
        return (AddLayer() if n == 2 else SumLayer()), "+"
    cls, arity = OPS[op]
    if n != arity:
        raise ValueError(
            say(
                "node {name!r}: op {op!r} takes {arity} input(s), got {n}", name=name, op=op, arity=arity, n=n
            )
        )
    return cls(), op


def _check_input(name, value):
    if value is None:
        raise ValueError(say("input {name!r} has no value; give it one: g.forward({name}=...)", name=name))
    try:
        finite = np.all(np.isfinite(np.asarray(value, dtype=float)))
    except (TypeError, ValueError):
        raise ValueError(
            say(
                "input {name!r} must be a number or an array of numbers, got {value!r}",
                name=name,
                value=value,
            )
        ) from None
    if not finite:
        raise ValueError(say("input {name!r} contains NaN or inf", name=name))


def _one_per_input(grads, inputs):
    """A layer's backward result as one gradient (or None) per input: a single array becomes a
    tuple, and a loss layer's missing gradients for its labels are None."""
    grads = tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)
    return grads + (None,) * (len(inputs) - len(grads))


@dataclass
class Node:
    """An input (layer None) or an op node run by ``layer``."""

    name: str
    label: str
    inputs: tuple = ()
    layer: object = None
    value: object = None
    named: bool = False  # given an explicit name: drawn as "name = value" with names=True
    caption: str = ""  # the output's words at the end of its arrow (default: its name)

    @property
    def is_input(self):
        return self.layer is None


class Graph:
    """A small computational graph: named inputs and op nodes, one output.

    ``output`` names the output node; by default it is the last op added.
    After ``run``: ``value(name)``, ``grad(name)`` (d output / d that value, summed over
    fan-out), ``edge_grad(dst, slot)`` (the gradient on one arrow), ``steps`` (op nodes in
    backward order).
    """

    def __init__(self, title=None, output=None, spacing=(1.9, 1.0), positions=None, fork_values="each"):
        self.title, self._output = say("computational graph") if title is None else title, output
        self.spacing = spacing  # (between columns, between rows) in the drawing
        self.positions = positions  # {name: (x, y)} for every node, or None: laid out automatically
        # a value feeding several nodes: written on "each" of its arrows that has room, or "once"
        self.fork_values = fork_values
        self.nodes = {}
        self.forward_passes = self.backward_passes = 0
        self._clear()

    # --- building -------------------------------------------------------------
    def input(self, name, value=None, label=None):
        """Add an input; returns its name."""
        self._check_new(name)
        self.nodes[name] = Node(name, label or name, value=value, named=True)
        self._clear()
        return name

    def op(self, op, *inputs, name=None, label=None, const=None, caption=None):
        """Add an op node fed by ``inputs`` (names); returns its name. ``label``: the text in
        the circle (default: the op); ``caption``: words written at the output arrow."""
        given = name is not None
        name = name if given else f"{op if isinstance(op, str) else type(op).__name__}#{len(self.nodes)}"
        self._check_new(name)
        layer, default = _make_layer(op, len(inputs), const, name)
        self.nodes[name] = Node(
            name, label or default, tuple(inputs), layer, named=given, caption=caption or name
        )
        self._clear()
        return name

    def _check_new(self, name):
        if not isinstance(name, str) or not name:
            raise ValueError(say("a node name must be a non-empty string, got {name!r}", name=name))
        if name in self.nodes:
            raise ValueError(say("node name {name!r} is used twice", name=name))

    def _clear(self):
        self._order = None
        self._done = None  # None, "forward" or "backward"
        self.grads, self._edge_grads, self.dout = {}, {}, None

    # --- structure ------------------------------------------------------------
    @property
    def output(self):
        ops = [n.name for n in self.nodes.values() if not n.is_input]
        if not ops:
            raise ValueError(say("the graph has no op nodes"))
        if self._output is not None and self._output not in self.nodes:
            raise ValueError(say("the output {out!r} is not in the graph", out=self._output))
        return self._output or ops[-1]

    @property
    def inputs(self):
        return [n.name for n in self.nodes.values() if n.is_input]

    def order(self):
        """All node names in topological order (a node after its inputs). Validates the graph."""
        if self._order is None:
            self._order = self._validate()
        return self._order

    def _validate(self):
        for node in self.nodes.values():
            for src in node.inputs:
                if src not in self.nodes:
                    raise ValueError(
                        say(
                            "node {name!r} takes input {src!r}, which is not in the graph",
                            name=node.name,
                            src=src,
                        )
                    )
        order, state = [], {}  # state: 1 while on the DFS path, 2 when finished

        def visit(name, path):
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = path[path.index(name) :] + [name]
                raise ValueError(say("the graph has a cycle: {cycle}", cycle=" → ".join(cycle)))
            state[name] = 1
            for src in self.nodes[name].inputs:
                visit(src, path + [name])
            state[name] = 2
            order.append(name)

        for name in self.nodes:
            visit(name, [])
        out = self.output
        needed, stack = set(), [out]
        while stack:
            name = stack.pop()
            if name not in needed:
                needed.add(name)
                stack.extend(self.nodes[name].inputs)
        for name in order:
            if name not in needed:
                raise ValueError(say("node {name!r} does not lead to the output {out!r}", name=name, out=out))
        return order

    def edges(self):
        """(src, dst, slot) for every arrow into an op node, in topological order of dst."""
        return [(src, n, k) for n in self.order() for k, src in enumerate(self.nodes[n].inputs)]

    @property
    def steps(self):
        """Op node names in the order backward visits them (right to left)."""
        return [n for n in reversed(self.order()) if not self.nodes[n].is_input]

    @property
    def n_steps(self):
        """Backward steps a drawing can reveal: the starting gradient, then one per op node."""
        return 1 + len(self.steps)

    # --- running ----------------------------------------------------------------
    def set(self, **values):
        """Give inputs new values (by name); the results so far are cleared."""
        for name, value in values.items():
            if name not in self.nodes or not self.nodes[name].is_input:
                raise ValueError(
                    say(
                        "{name!r} is not an input of the graph; the inputs are {inputs}",
                        name=name,
                        inputs=self.inputs,
                    )
                )
            self.nodes[name].value = value
        self._done = None
        return self

    def forward(self, **values):
        """Set any input values given, run every node left to right; returns the output value."""
        self.set(**values)
        self.forward_passes += 1
        return self._forward()

    def _forward(self):
        for name in self.order():
            node = self.nodes[name]
            if node.is_input:
                _check_input(name, node.value)
                continue
            args = [self.nodes[src].value for src in node.inputs]
            try:
                node.value = node.layer.forward(*args)
            except (ValueError, TypeError) as err:
                raise ValueError(
                    say("node {name!r} ({label}): {err}", name=name, label=node.label, err=err)
                ) from None
        self._done, self.grads, self._edge_grads = "forward", {}, {}
        return self.nodes[self.output].value

    def backward(self, dout=1.0):
        """Run every node right to left, starting from d(output)/d(output) = dout.
        Returns {input name: gradient} (None for an input no node sends a gradient to)."""
        self._check_dout(dout)
        grads, sent = {self.output: dout}, {}  # d(output)/d(node), and what each arrow carried back
        for name in self.steps:  # right to left: every node a value feeds has already sent its part
            if name not in grads:
                continue  # nothing flows back here (e.g. only into labels)
            node = self.nodes[name]
            for k, g in enumerate(_one_per_input(node.layer.backward(grads[name]), node.inputs)):
                sent[name, k] = g  # upstream gradient × the local derivative for input k
                src = node.inputs[k]
                if g is not None:  # a value feeding several nodes: the gradients of its branches add up
                    grads[src] = grads[src] + g if src in grads else g
        self.grads = grads  # what the drawing writes below the arrows
        self._edge_grads = sent
        self.dout = dout
        self._done = "backward"
        self.backward_passes += 1
        return {name: grads.get(name) for name in self.inputs}

    def _check_dout(self, dout):
        if self._done is None:
            raise RuntimeError(say("Graph.backward called before forward"))
        shape = np.shape(self.nodes[self.output].value)
        if np.shape(dout) != shape:
            raise ValueError(
                say(
                    "backward: dout has shape {got}, the output {out!r} has shape {shape}",
                    got=np.shape(dout),
                    out=self.output,
                    shape=shape,
                )
            )

    def run(self, dout=1.0, **values):
        """forward(**values), then backward(dout); returns the graph."""
        self.forward(**values)
        self.backward(dout)
        return self

    # --- reading results ------------------------------------------------------------
    def value(self, name):
        """The forward value of a node (or an input)."""
        self._need(name, "forward")
        return self.nodes[name].value

    def grad(self, name):
        """d(output)/d(value of ``name``), summed over every branch it feeds."""
        self._need(name, "backward")
        return self.grads.get(name)

    def edge_grad(self, dst, slot):
        """The gradient sent back along the arrow into input ``slot`` of node ``dst``."""
        self._need(dst, "backward")
        return self._edge_grads.get((dst, slot))

    def _need(self, name, stage):
        if name not in self.nodes:
            raise ValueError(
                say("no node {name!r}; the nodes are {nodes}", name=name, nodes=list(self.nodes))
            )
        if self._done is None:
            raise RuntimeError(say("run the graph first (g.run())"))
        if stage == "backward" and self._done != "backward":
            raise RuntimeError(say("run the backward pass first (g.run())"))

    def numerical_gradients(self, h=1e-4):
        """Central-difference estimates of the gradient of sum(output · dout) for every input:
        two extra forward passes per number in the inputs (counted in ``forward_passes``).
        They estimate what ``grad(input)`` computes; the graph is left as it was."""
        self._need(self.output, "backward")
        dout, estimates = self.dout, {}
        for name in self.inputs:
            node = self.nodes[name]
            original = node.value

            def f(v, node=node):
                node.value = v
                self.forward_passes += 1
                return np.sum(self._forward() * dout)

            est = numerical_gradient(f, original, h)
            node.value = original
            estimates[name] = float(est) if est.ndim == 0 else est
        counts = self.forward_passes, self.backward_passes
        self._forward()  # restore the state the gradients belong to (not counted)
        self.backward(dout)
        self.forward_passes, self.backward_passes = counts
        return estimates

    def table(self, digits=4):
        """One line per input: value, backprop gradient (text)."""
        rows = [pad(say("input"), 14) + pad(say("value"), 10, ">") + pad(say("gradient"), 12, ">")]
        for name in self.inputs:
            rows.append(
                pad(self.nodes[name].label, 14) + f"{fmt(self.value(name), digits):>10}"
                f"{fmt(self.grad(name), digits):>12}"
            )
        return "\n".join(rows)

    def describe_step(self, k):
        """In words, what backward step k (1 .. n_steps) does, as drawn by ``reveal=k``;
        0 is 'not started'."""
        self._need(self.output, "backward")
        if not 0 <= k <= self.n_steps:
            raise ValueError(say("step {k} is outside 0 .. {n}", k=k, n=self.n_steps))
        if k == 0:
            return say("forward pass done; backward not started")
        if k == 1:
            caption = self.nodes[self.output].caption  # "z", or words such as "payment": d(payment)
            out = caption if len(caption) == 1 else f"({caption})"
            return say(
                "step 1: start with ∂{out}/∂{out} = {dout} on the output arrow", out=out, dout=fmt(self.dout)
            )
        name = self.steps[k - 2]
        node = self.nodes[name]
        sent = [fmt(self._edge_grads.get((name, j))) or "-" for j in range(len(node.inputs))]
        if len(sent) > 1:  # "1.1 and 200", "1, 2 and 3"
            sent[-2:] = [say("{first} and {last}", first=sent[-2], last=sent[-1])]
        return say(
            "step {k}: the '{label}' node gets {grad} and sends back {sent}",
            k=k,
            label=node.label,
            grad=fmt(self.grads.get(name)),
            sent=say(", ").join(sent),
        )
