"""Computational graphs (计算图) you can see: build one, run it forward and backward, draw it.

Every op node is run by a bplib layer (MulLayer, AddLayer and the nodes of bplib.nodes), so
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
(``Graph(spacing=(between columns, between rows))`` spreads a crowded graph).
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
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.transforms import offset_copy

from .gradcheck import numerical_gradient
from .layers import AddLayer, MulLayer
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
from .sliders import new_figure

VALUE_COLOR = "black"
GRAD_COLOR = "#c0392b"  # the backward pass: red, below the arrows
EDGE_COLOR = "0.35"


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
        raise ValueError(f"node {name!r}: op {op!r} is neither a known op nor a layer")
    if op not in OPS:
        raise ValueError(f"node {name!r}: unknown op {op!r}; known ops: {', '.join(OPS)}, or a layer object")
    if const is not None:
        if op not in ("×", "+") or n != 1:
            raise ValueError(f"node {name!r}: const= needs op '×' or '+' and exactly one input")
        layer = ScaleLayer(const) if op == "×" else ShiftLayer(const)
        return layer, _const_label(op, const)
    if op == "+":
        if n < 2:
            raise ValueError(f"node {name!r}: op '+' takes two or more inputs (or one with const=), got {n}")
        return (AddLayer() if n == 2 else SumLayer()), "+"
    cls, arity = OPS[op]
    if n != arity:
        raise ValueError(f"node {name!r}: op {op!r} takes {arity} input(s), got {n}")
    return cls(), op


def _check_input(name, value):
    if value is None:
        raise ValueError(f"input {name!r} has no value; give it one: g.forward({name}=...)")
    try:
        finite = np.all(np.isfinite(np.asarray(value, dtype=float)))
    except (TypeError, ValueError):
        raise ValueError(f"input {name!r} must be a number or an array of numbers, got {value!r}") from None
    if not finite:
        raise ValueError(f"input {name!r} contains NaN or inf")


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

    def __init__(self, title="computational graph", output=None, spacing=(1.9, 1.0)):
        self.title, self._output = title, output
        self.spacing = spacing  # (between columns, between rows) in the drawing
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
            raise ValueError(f"a node name must be a non-empty string, got {name!r}")
        if name in self.nodes:
            raise ValueError(f"node name {name!r} is used twice")

    def _clear(self):
        self._order = None
        self._done = None  # None, "forward" or "backward"
        self.grads, self._edge_grads, self.dout = {}, {}, None

    # --- structure ------------------------------------------------------------
    @property
    def output(self):
        ops = [n.name for n in self.nodes.values() if not n.is_input]
        if not ops:
            raise ValueError("the graph has no op nodes")
        if self._output is not None and self._output not in self.nodes:
            raise ValueError(f"the output {self._output!r} is not in the graph")
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
                    raise ValueError(f"node {node.name!r} takes input {src!r}, which is not in the graph")
        order, state = [], {}  # state: 1 while on the DFS path, 2 when finished

        def visit(name, path):
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = path[path.index(name) :] + [name]
                raise ValueError("the graph has a cycle: " + " → ".join(cycle))
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
                raise ValueError(f"node {name!r} does not lead to the output {out!r}")
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
                raise ValueError(f"{name!r} is not an input of the graph; the inputs are {self.inputs}")
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
                raise ValueError(f"node {name!r} ({node.label}): {err}") from None
        self._done, self.grads, self._edge_grads = "forward", {}, {}
        return self.nodes[self.output].value

    def backward(self, dout=1.0):
        """Run every node right to left, starting from d(output)/d(output) = dout.
        Returns {input name: gradient} (None for an input no node sends a gradient to)."""
        self._check_dout(dout)
        total, edge = {self.output: dout}, {}  # d(output)/d(node) for the nodes reached so far
        for name in self.steps:  # right to left
            if name not in total:
                continue  # nothing flows back here (e.g. only into labels)
            node = self.nodes[name]
            grads = node.layer.backward(total[name])  # upstream gradient × local derivative(s)
            grads = tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)
            grads += (None,) * (len(node.inputs) - len(grads))
            for k, (src, g) in enumerate(zip(node.inputs, grads, strict=True)):
                edge[(name, k)] = g
                if g is not None:  # fan-out: the gradients of every branch add up
                    total[src] = total[src] + g if src in total else g
        self.grads, self._edge_grads, self.dout, self._done = total, edge, dout, "backward"
        self.backward_passes += 1
        return {name: total.get(name) for name in self.inputs}

    def _check_dout(self, dout):
        if self._done is None:
            raise RuntimeError("Graph.backward called before forward")
        shape = np.shape(self.nodes[self.output].value)
        if np.shape(dout) != shape:
            raise ValueError(
                f"backward: dout has shape {np.shape(dout)}, the output {self.output!r} has shape {shape}"
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
            raise ValueError(f"no node {name!r}; the nodes are {list(self.nodes)}")
        if self._done is None or (stage == "backward" and self._done != "backward"):
            raise RuntimeError(f"run {stage} first (g.run())")

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
        rows = [f"{'input':<14}{'value':>10}{'gradient':>12}"]
        for name in self.inputs:
            rows.append(
                f"{self.nodes[name].label:<14}{fmt(self.value(name), digits):>10}"
                f"{fmt(self.grad(name), digits):>12}"
            )
        return "\n".join(rows)

    def describe_step(self, k):
        """In words, what backward step k (1 .. n_steps) does, as drawn by ``reveal=k``;
        0 is 'not started'."""
        self._need(self.output, "backward")
        if not 0 <= k <= self.n_steps:
            raise ValueError(f"step {k} is outside 0 .. {self.n_steps}")
        out = self.output
        if k == 0:
            return "forward pass done; backward not started"
        if k == 1:
            return f"step 1: start with d{out}/d{out} = {fmt(self.dout)} on the output arrow"
        name = self.steps[k - 2]
        node = self.nodes[name]
        sent = ", ".join(fmt(self._edge_grads.get((name, j))) or "-" for j in range(len(node.inputs)))
        return f"step {k}: the '{node.label}' node gets {fmt(self.grads.get(name))} and sends {sent}"


# --- layout and drawing -------------------------------------------------------------
LEAF = 0.6  # an input's arrow starts this much less than a column gap left of its node
NAMES_STRETCH = 1.45  # columns are this much wider when arrows carry "t = 3" and "∂z/∂t = 6"
RADIUS = 0.27  # of a node circle with a short label; longer labels get a bigger circle
OUT = 1.3  # length of the output arrow


def radius(graph, name):
    """The circle radius of an op node (0 for an input: its arrow starts at a point)."""
    node = graph.nodes[name]
    return 0.0 if node.is_input else RADIUS + 0.05 * max(0, len(node.label) - 3)


def layout(graph, stretch=1.0):
    """{name: (x, y)} for every node, the output at y = 0; ``stretch`` widens the columns.

    Op nodes stand in columns by depth. A node continues the row of its first computed
    input (a "+" with several computed inputs sits between them); each input is a short
    arrow starting left of its node, or below-left for a node's later inputs. Then any
    node or input lying on an arrow or on another node is moved down a row."""
    order = graph.order()
    col_gap, row_gap = graph.spacing
    col_gap, row_gap = col_gap * stretch, row_gap * stretch  # longer labels (names=True) need room
    col = {}
    for name in order:
        node = graph.nodes[name]
        if not node.is_input:
            col[name] = 1 + max((col[s] for s in node.inputs if s in col), default=0)
    pos = {}

    def place(name, top):
        """Place ``name``'s subtree with its top row at ``top``; return its lowest y."""
        node = graph.nodes[name]
        ops = list(dict.fromkeys(s for s in node.inputs if s in col))
        bottom, row = top, top
        for src in ops:
            if src not in pos:
                bottom = min(bottom, place(src, row))
                row = bottom - row_gap
        if not ops:
            y = top
        elif isinstance(node.layer, (AddLayer, SumLayer)):
            y = float(np.mean([pos[s][1] for s in ops]))
        else:
            y = pos[ops[0]][1]
        x = col[name] * col_gap
        pos[name] = (x, y)
        leaves = [s for s in dict.fromkeys(node.inputs) if s not in col and s not in pos]
        for j, leaf in enumerate(leaves):
            pos[leaf] = (x - (col_gap - LEAF), y - row_gap * (j + (1 if ops else 0)))
            bottom = min(bottom, pos[leaf][1])
        return bottom

    place(graph.output, 0.0)
    _untangle(graph, pos, row_gap)
    return pos


def _box(graph, name, x, y):
    """The area a node needs: its circle, or an input's name left of its start."""
    if graph.nodes[name].is_input:
        return (x - 0.13 * len(graph.nodes[name].label) - 0.1, x, y - 0.3, y + 0.3)
    r = radius(graph, name)
    return (x - r, x + r, y - r - 0.2, y + r + 0.2)


def _crosses(box, p, q):
    """Whether the segment p-q passes through the box (x0, x1, y0, y1)."""
    x0, x1, y0, y1 = box
    (px, py), (qx, qy) = sorted([p, q])
    lo, hi = max(x0, px), min(x1, qx)
    if lo > hi:
        return False
    if qx - px < 1e-9:
        ys = (py, qy)
    else:
        ys = tuple(py + (qy - py) * (x - px) / (qx - px) for x in (lo, hi))
    return max(ys) >= y0 and min(ys) <= y1


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _untangle(graph, pos, row_gap, passes=8):
    """Move down, a row at a time, every node that lies on an arrow it is not part of,
    or on a node placed before it."""
    edges = [(src, dst) for src, dst, _ in graph.edges()]
    for _ in range(passes):
        moved = False
        done = []
        for name in graph.order():
            for _tries in range(12):
                box = _box(graph, name, *pos[name])
                clash = any(_overlaps(box, _box(graph, other, *pos[other])) for other in done) or any(
                    _crosses(box, pos[src], pos[dst]) for src, dst in edges if name not in (src, dst)
                )
                if not clash:
                    break
                pos[name] = (pos[name][0], pos[name][1] - row_gap)
                moved = True
            done.append(name)
        if not moved:
            return


def _side(dx, dy):
    """Where the two labels of an arrow go: 'flat', 'up', 'down' or 'vertical'."""
    if abs(dx) < 1e-9:
        return "vertical"
    slope = dy / dx
    return "flat" if abs(slope) < 0.15 else ("up" if slope > 0 else "down")


# (value label, gradient label) placement for each kind of arrow: ha, va, offset in points
_PLACES = {
    "flat": (("center", "bottom", 0, 2), ("center", "top", 0, -2)),
    "up": (("right", "bottom", -2, 1), ("left", "top", 3, -1)),
    "down": (("left", "bottom", 3, 1), ("right", "top", -2, -1)),
    "vertical": (("right", "center", -4, 0), ("left", "center", 4, 0)),
}


def draw(graph, ax, reveal=None, labels="values", dims=None, names=False, title=None, fontsize=11):
    """Draw a graph that has been run into ``ax``: op nodes as circles labelled with their
    op, each arrow with its forward value above and its gradient (red) below; returns ax.

    reveal: None shows every gradient; k shows the first k backward steps (0: none, 1: the
        starting gradient on the output arrow, then one node per step, right to left, the
        node of the last step outlined in red; ``graph.n_steps`` in all).
    labels: "values", or "shapes" to write array shapes, a size listed in ``dims``
        ({"N": 5}) written as its name.
    names: write "t = 3" above and "∂z/∂t = 6" below the arrows of named nodes (∂L/∂t when
        the backward pass started from something other than 1: the gradient of an outer L).
    title: instead of ``graph.title``. A node feeding several nodes gets "Σ total" above it.
    """
    if graph._done is None:
        raise RuntimeError("draw: run the graph first (g.run())")
    if labels not in ("values", "shapes"):
        raise ValueError(f"draw: labels must be 'values' or 'shapes', got {labels!r}")
    n_steps = graph.n_steps
    stepping = reveal is not None  # then the node of the last step shown is outlined
    if reveal is None:
        reveal = n_steps if graph._done == "backward" else 0
    if not 0 <= reveal <= n_steps:
        raise ValueError(f"draw: reveal={reveal} is outside 0 .. {n_steps}")
    if reveal and graph._done != "backward":
        raise RuntimeError("draw: reveal needs the backward pass (g.run())")
    shown = set(graph.steps[: max(reveal - 1, 0)])  # op nodes whose input arrows show gradients
    current = graph.steps[reveal - 2] if reveal >= 2 and stepping else None
    out = graph.output
    stretch = NAMES_STRETCH if names else 1.0
    pos = layout(graph, stretch)
    # d(out)/d(name) when the backward pass started from 1, else the gradient of an outer L
    top = out if graph.dout is None or np.all(np.asarray(graph.dout) == 1) else "L"
    fig = ax.figure

    def text_of(name, value, grad=False):
        body = fmt_shape(np.shape(value), dims) if labels == "shapes" else fmt(value)
        if names and graph.nodes[name].named:
            return f"∂{top}/∂{name} = {body}" if grad else f"{name} = {body}"
        return body

    offsets = {}

    def label(xy, text, place, color):
        ha, va, dx, dy = place
        if (dx, dy) not in offsets:
            offsets[dx, dy] = offset_copy(ax.transData, fig=fig, x=dx, y=dy, units="points")
        ax.text(*xy, text, ha=ha, va=va, color=color, fontsize=fontsize - 1, transform=offsets[dx, dy])

    def arrow(src, q, r_end, grad, show_grad):
        (x0, y0), (x1, y1), r0 = pos[src], q, radius(graph, src)
        d = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        start, end = (x0 + r0 * ux, y0 + r0 * uy), (x1 - r_end * ux, y1 - r_end * uy)
        ax.add_artist(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=11,
                lw=1.2,
                color=EDGE_COLOR,
                shrinkA=0,
                shrinkB=0,
                zorder=1,
            )
        )
        mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        above, below = _PLACES[_side(end[0] - start[0], end[1] - start[1])]
        label(mid, text_of(src, graph.nodes[src].value), above, VALUE_COLOR)
        if show_grad and grad is not None:
            label(mid, text_of(src, grad, grad=True), below, GRAD_COLOR)

    # arrows into op nodes, and the output arrow
    ox, oy = pos[out]
    out_end = (ox + radius(graph, out) + OUT * stretch, oy)
    for src, dst, k in graph.edges():
        arrow(src, pos[dst], radius(graph, dst), graph._edge_grads.get((dst, k)), dst in shown)
    arrow(out, out_end, 0.0, graph.dout, reveal >= 1)
    caption = graph.nodes[out].caption
    if not (names and caption == out):  # "z = 9" on the arrow already says it
        ax.text(out_end[0] + 0.08, oy, caption, ha="left", va="center", fontsize=fontsize)

    # op nodes, input names, and the sums at forks
    consumers = {}
    for src, dst, _ in graph.edges():
        consumers.setdefault(src, []).append(dst)
    for name, (x, y) in pos.items():
        node = graph.nodes[name]
        if node.is_input:
            if not (names and node.label == name):  # "x = 1" on the arrow already says it
                ax.text(x - 0.07, y, node.label, ha="right", va="center", fontsize=fontsize)
        else:
            hot = name == current
            ax.add_artist(
                Circle(
                    (x, y),
                    radius(graph, name),
                    fc="white",
                    ec=GRAD_COLOR if hot else "black",
                    lw=2.4 if hot else 1.3,
                    zorder=3,
                )
            )
            size = fontsize + 1 if len(node.label) <= 2 else fontsize - (1 if len(node.label) <= 4 else 2)
            ax.text(x, y, node.label, ha="center", va="center", fontsize=size, zorder=4)
        fork = consumers.get(name, [])
        if len(fork) > 1 and all(c in shown for c in fork) and graph.grads.get(name) is not None:
            total = "Σ " + text_of(name, graph.grads[name], grad=True)
            small = fontsize - 2
            ax.text(
                x,
                y + radius(graph, name) + 0.06,
                total,
                ha="center",
                va="bottom",
                color=GRAD_COLOR,
                fontsize=small,
            )

    x0, x1, y0, y1 = _extent(graph, pos, stretch)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    # a fixed y skips matplotlib's search for tick labels above the axes (costly per draw)
    ax.set_title(title if title is not None else graph.title, fontsize=fontsize + 1, y=1.0, pad=4)
    return ax


def _extent(graph, pos, stretch=1.0):
    """(x0, x1, y0, y1) that holds the whole drawing, labels included."""
    out = graph.output
    xs = [p[0] for p in pos.values()] + [pos[out][0] + radius(graph, out) + OUT * stretch]
    ys = [p[1] for p in pos.values()]
    left = max((len(graph.nodes[n].label) for n in graph.inputs), default=0) * 0.13
    right = len(graph.nodes[out].caption) * 0.13
    return min(xs) - left - 0.3, max(xs) + right + 0.3, min(ys) - 0.6, max(ys) + 0.6


def figsize_for(graph, scale=0.6, names=False):
    """A figure size (inches) that fits ``graph`` at ``scale`` inches per unit of layout."""
    stretch = NAMES_STRETCH if names else 1.0
    x0, x1, y0, y1 = _extent(graph, layout(graph, stretch), stretch)
    return (round(scale * (x1 - x0) + 0.3, 1), round(scale * (y1 - y0) + 0.6, 1))


def graph_figure(graph, fig=None, figsize=None, **draw_kwargs):
    """Draw ``graph`` into ``fig`` (a new small figure when None) and return the figure."""
    if fig is None:
        fig = new_figure(figsize or figsize_for(graph, names=draw_kwargs.get("names", False)))
    fig.set_layout_engine("none")  # constrained layout would measure every label: too slow for sliders
    draw(graph, fig.add_axes((0.01, 0.01, 0.98, 0.88)), **draw_kwargs)
    return fig


# --- the book's graphs --------------------------------------------------------------
def apple_graph(price=100, count=2, tax=1.1, constants=False, dout=1.0):
    """Problem 1: two apples at 100 yen, 10% tax -> 220. ``constants=True``: the count and
    the tax are inside the nodes ("×2", "×1.1"); otherwise they are inputs too."""
    g = Graph(f"Problem 1: {fmt(count)} apples at {fmt(price)} yen, tax ×{fmt(tax)}")
    g.input("apple", price, label="apple price")
    if constants:
        g.op("×", "apple", const=count, name="apple_price")
        g.op("×", "apple_price", const=tax, name="price", caption="payment")
    else:
        g.input("apple_num", count, label="apple count")
        g.op("×", "apple", "apple_num", name="apple_price")
        g.input("tax", tax)
        g.op("×", "apple_price", "tax", name="price", caption="payment")
    return g.run(dout)


def apple_orange_graph(apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1, dout=1.0):
    """Problem 2: apples and oranges with tax -> 715 (the book's names for every value)."""
    g = Graph("Problem 2: apples and oranges")
    g.input("apple", apple, label="apple price")
    g.input("apple_num", apple_num, label="apple count")
    g.input("orange", orange, label="orange price")
    g.input("orange_num", orange_num, label="orange count")
    g.input("tax", tax)
    g.op("×", "apple", "apple_num", name="apple_price")
    g.op("×", "orange", "orange_num", name="orange_price")
    g.op("+", "apple_price", "orange_price", name="all_price")
    g.op("×", "all_price", "tax", name="price", caption="payment")
    return g.run(dout)


def apple_others_graph(apple=100, apple_num=2, others=4000, tax=1.1, dout=1.0):
    """Local computation: 2 apples (200) plus 4000 yen of other things -> 4200 -> ×1.1."""
    g = Graph("Local computation: the + node only sees 200 and 4000")
    g.input("apple", apple, label="apple price")
    g.input("others", others, label="other things")
    g.op("×", "apple", const=apple_num, name="apple_price")
    g.op("+", "apple_price", "others", name="all_price")
    g.op("×", "all_price", const=tax, name="price", caption="payment")
    return g.run(dout)


def square_sum_graph(x=1.0, y=2.0, dout=1.0):
    """z = (x + y)² as t = x + y, z = t**2; dz/dx = dz/dy = 2(x + y)."""
    g = Graph("z = (x + y)²")
    g.input("x", x)
    g.input("y", y)
    g.op("+", "x", "y", name="t")
    g.op("**2", "t", name="z")
    return g.run(dout)


def add_node_graph(x=10, y=5, dout=1.3):
    """The lone add node: 10 + 5 = 15; upstream 1.3 goes back unchanged to both inputs."""
    g = Graph(f"add node: {fmt(x)} + {fmt_operand(y)}")
    g.input("x", x)
    g.input("y", y)
    g.op("+", "x", "y", name="z")
    return g.run(dout)


def mul_node_graph(x=10, y=5, dout=1.3):
    """The lone multiply node: 10 × 5 = 50; upstream 1.3 goes back as 1.3·5 and 1.3·10."""
    g = Graph(f"multiply node: {fmt(x)} × {fmt_operand(y)}")
    g.input("x", x)
    g.input("y", y)
    g.op("×", "x", "y", name="z")
    return g.run(dout)


def sigmoid_graph(x=1.0, dout=1.0):
    """y = 1 / (1 + exp(-x)) as the nodes ×(−1), exp, +1, /. dx = dout · y(1 − y)."""
    g = Graph("sigmoid as four nodes")
    g.input("x", x)
    g.op("×", "x", const=-1, name="-x")
    g.op("exp", "-x", name="exp(-x)")
    g.op("+", "exp(-x)", const=1, name="1+exp(-x)")
    g.op("/", "1+exp(-x)", name="y")
    return g.run(dout)


def basket_graph(prices, counts, tax=1.1, dout=1.0):
    """Any number of fruits: payment = (Σ price_i · count_i) · tax; 2n + 1 inputs."""
    if len(prices) != len(counts) or not prices:
        raise ValueError("basket_graph: give one count per price, and at least one fruit")
    g = Graph(f"a basket of {len(prices)} fruits")
    totals = []
    for i, (p, c) in enumerate(zip(prices, counts, strict=True)):
        g.input(f"price{i}", p)
        g.input(f"count{i}", c)
        totals.append(g.op("×", f"price{i}", f"count{i}", name=f"total{i}"))
    g.input("tax", tax)
    total = g.op("+", *totals, name="sum") if len(totals) > 1 else totals[0]
    g.op("×", total, "tax", name="payment")
    return g.run(dout)


def affine_graph(X, W, B, dout=None):
    """Chapter 5's Affine layer as a graph: Y = X·W + B (a "dot" node, then "+").
    X: (N, D) or (D,); W: (D, M); B: (M,). dout defaults to ones of Y's shape.
    Draw with ``labels="shapes", dims={"N": N}``: every gradient has its variable's shape."""
    g = Graph("Affine: Y = X · W + B")
    g.input("X", X)
    g.input("W", W)
    g.input("B", B)
    g.op("dot", "X", "W", name="X·W")
    g.op("+", "X·W", "B", name="Y")
    y = g.forward()
    g.backward(np.ones_like(y, dtype=float) if dout is None else dout)
    return g


def softmax_with_loss_graph(a=(0.3, 2.9, 4.0), t=(0, 0, 1), dout=1.0):
    """The book's Softmax-with-Loss graph for 3 classes, one scalar per arrow:
    e_k = exp(a_k), S = e1 + e2 + e3, r = 1/S, y_k = e_k · r (softmax), then
    L = -(t1 log y1 + t2 log y2 + t3 log y3) (cross-entropy error), the labels t_k being
    constants inside the "×t_k" nodes.
    The exp nodes and the 1/S node feed several branches, whose gradients add up;
    the gradient reaching a_k is y_k - t_k."""
    a, t = np.asarray(a, dtype=float), np.asarray(t, dtype=float)
    if a.shape != (3,) or t.shape != (3,):
        raise ValueError(f"softmax_with_loss_graph: a and t must have 3 numbers, got {a.shape} and {t.shape}")
    g = Graph("Softmax-with-Loss", spacing=(2.5, 1.3))
    for k in range(1, 4):
        g.input(f"a{k}", float(a[k - 1]))
    for k in range(1, 4):
        g.op("exp", f"a{k}", name=f"e{k}")
    g.op("+", "e1", "e2", "e3", name="S")
    g.op("/", "S", name="1/S")
    terms = []
    for k in range(1, 4):
        g.op("×", f"e{k}", "1/S", name=f"y{k}")
        g.op("log", f"y{k}", name=f"log y{k}")
        terms.append(g.op("×", f"log y{k}", const=float(t[k - 1]), label=f"×t{k}", name=f"t{k} log y{k}"))
    g.op("+", *terms, name="Σ t log y")
    g.op("×", "Σ t log y", const=-1, name="L")
    return g.run(dout)
