"""Drawing a computational graph: laid out once, values above the arrows, gradients below.

``graph_figure(g)`` draws a graph that has been run into a new figure; ``draw(g, ax)`` into your own
axes. See ``bplib.viz.graph`` for building graphs and the drawing options.

A drawing is made once per *shape* of graph (its nodes, labels and arrows) and kept on its axes:
drawing a graph of the same shape again (a slider moved) only changes the numbers, the red ring of
the current step and the title, which are the drawing's dynamic artists (``bplib.viz.picture``).
Where each number goes is decided when the drawing is made, from the room the layout leaves, not
from the numbers, so a picture never jumps while a slider moves.
"""

import math

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.transforms import offset_copy

from ..layers import AddLayer
from ..words import display_width, say, sentences
from .graph import GRAD_COLOR, fmt, fmt_shape
from .nodes import SumLayer
from .picture import axes, describe, dynamic, invalidate, new_figure

VALUE_COLOR = "black"
COLORS = (VALUE_COLOR, GRAD_COLOR)  # an arrow's value above it, its gradient below
EDGE_COLOR = "0.35"

LEAF = 0.6  # an input's arrow starts this much less than a column gap left of its node
NAMES_STRETCH = 1.45  # columns are this much wider when arrows carry "t = 3" and "∂z/∂t = 6"
RADIUS = 0.27  # of a node circle with a short label; longer labels get a bigger circle
OUT = 1.3  # length of the output arrow
ROOM = 8  # characters kept free for a number on an arrow ("-0.01832")
PLACES = tuple(
    sorted((k / 20 for k in range(2, 19)), key=lambda t: abs(t - 0.5))
)  # spots along an arrow, middle first


def radius(graph, name):
    """The circle radius of an op node (0 for an input: its arrow starts at a point)."""
    node = graph.nodes[name]
    return 0.0 if node.is_input else RADIUS + 0.05 * max(0, display_width(node.label) - 2)


def layout(graph, stretch=1.0):
    """{name: (x, y)} for every node, the output at y = 0; ``stretch`` widens the columns.

    A graph built with ``positions`` is placed there. Otherwise op nodes stand in columns by
    depth; a node continues the row of its first computed input (a "+" with several computed
    inputs sits between them); each input is a short arrow starting left of its node, or
    below-left for a node's later inputs. Then any node or input lying on an arrow or on another
    node is moved down a row."""
    if graph.positions is not None:
        return {name: (x * stretch, y * stretch) for name, (x, y) in graph.positions.items()}
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


def _extent(graph, pos, stretch=1.0):
    """(x0, x1, y0, y1) that holds the whole drawing, labels included."""
    out = graph.output
    xs = [p[0] for p in pos.values()] + [pos[out][0] + radius(graph, out) + OUT * stretch]
    ys = [p[1] for p in pos.values()]
    # names are written in the figure's font: a Chinese character is about two columns wide
    left = max((display_width(graph.nodes[n].label) for n in graph.inputs), default=0) * 0.13
    right = display_width(graph.nodes[out].caption) * 0.13
    return min(xs) - left - 0.3, max(xs) + right + 0.3, min(ys) - 0.6, max(ys) + 0.6


def figsize_for(graph, scale=0.6, names=False):
    """A figure size (inches) that fits ``graph`` at ``scale`` inches per unit of layout."""
    stretch = NAMES_STRETCH if names else 1.0
    x0, x1, y0, y1 = _extent(graph, layout(graph, stretch), stretch)
    return (round(scale * (x1 - x0) + 0.3, 1), round(scale * (y1 - y0) + 0.6, 1))


def shape_of(graph, labels="values", names=False, fontsize=11):
    """What a drawing depends on besides the numbers: two graphs of the same shape share a drawing."""
    nodes = tuple((n.name, n.label, n.inputs, n.is_input, n.caption, n.named) for n in graph.nodes.values())
    positions = None if graph.positions is None else tuple(sorted(graph.positions.items()))
    return (nodes, graph.output, graph.spacing, positions, graph.fork_values, labels, names, fontsize)


def _turned(ux, uy, angle):
    """The direction (ux, uy) turned by ``angle`` radians, counter-clockwise."""
    return ux * math.cos(angle) - uy * math.sin(angle), ux * math.sin(angle) + uy * math.cos(angle)


class _Arrow:
    """One arrow of the drawing: into input ``slot`` of ``dst`` (None: the output arrow)."""

    def __init__(self, src, dst, slot, start, end):
        self.src, self.dst, self.slot, self.start, self.end = src, dst, slot, start, end
        self.value = self.grad = None  # their Text artists


class GraphDrawing:
    """The artists of one graph's drawing in ``ax``: static ones (circles, arrows, names) made here,
    dynamic ones (numbers, sums at forks, the current step's ring, the title) changed by ``show``."""

    def __init__(self, graph, ax, labels="values", names=False, fontsize=11):
        self.shape, self.ax, self.fontsize = shape_of(graph, labels, names, fontsize), ax, fontsize
        self.labels, self.names = labels, names
        self.stretch = NAMES_STRETCH if names else 1.0
        self.pos = pos = layout(graph, self.stretch)
        out = graph.output
        self.out_end = (pos[out][0] + radius(graph, out) + OUT * self.stretch, pos[out][1])
        x0, x1, y0, y1 = _extent(graph, pos, self.stretch)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal", adjustable="box")
        ax.set_axis_off()
        self.arrows = [self._arrow(graph, src, dst, k) for src, dst, k in graph.edges()]
        self.arrows.append(self._arrow(graph, out, None, None))
        self._static_texts(graph)
        consumers = {}
        for src, dst, _ in graph.edges():
            consumers.setdefault(src, []).append(dst)
        self.forks = {name: dsts for name, dsts in consumers.items() if len(dsts) > 1}
        self.sums = {}  # fork node -> the text "Σ total" above (or below) it
        self._place_numbers(graph)
        self.ring = dynamic(Circle((0, 0), 0.1, fc="none", ec=GRAD_COLOR, lw=2.4, zorder=4, visible=False))
        ax.add_artist(self.ring)
        self.title = dynamic(ax.set_title("", fontsize=fontsize + 1, y=1.0, pad=4))  # fixed y: no search

    def _arrow(self, graph, src, dst, slot):
        """The arrow into input ``slot`` of ``dst``. A node that takes the same value twice (x · x)
        gets two arcs, bowed up and down; its numbers sit at the top (bottom) of each arc."""
        (x0, y0), r0 = self.pos[src], radius(graph, src)
        (x1, y1), r1 = (self.pos[dst], radius(graph, dst)) if dst is not None else (self.out_end, 0.0)
        d = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        twins = [k for k, s in enumerate(graph.nodes[dst].inputs) if s == src] if dst is not None else [slot]
        bow = 0.0 if len(twins) == 1 else 0.5 * (1 if twins.index(slot) % 2 == 0 else -1)
        turn = math.radians(45 * (1 if bow > 0 else -1)) if bow else 0.0  # leave and arrive at an angle
        (sx, sy), (ex, ey) = _turned(ux, uy, turn), _turned(ux, uy, -turn)
        start, end = (x0 + r0 * sx, y0 + r0 * sy), (x1 - r1 * ex, y1 - r1 * ey)
        self.ax.add_artist(
            FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=11, lw=1.2, color=EDGE_COLOR,
                            shrinkA=0, shrinkB=0, zorder=1, connectionstyle=f"arc3,rad={-bow}")
        )  # fmt: skip
        if bow:  # the numbers go along the chord moved to the arc's middle: half the bow's height
            lift = bow / 2 * math.hypot(end[0] - start[0], end[1] - start[1])
            nx, ny = -(end[1] - start[1]), end[0] - start[0]
            norm = math.hypot(nx, ny)
            start = (start[0] + lift * nx / norm, start[1] + lift * ny / norm)
            end = (end[0] + lift * nx / norm, end[1] + lift * ny / norm)
        return _Arrow(src, dst, slot, start, end)

    def _static_texts(self, graph):
        """Node circles with their op, input names, and the output's words: made once."""
        ax, fs = self.ax, self.fontsize
        out = graph.output
        caption = graph.nodes[out].caption
        if not (self.names and caption == out):  # "z = 9" on the arrow already says it
            ax.text(self.out_end[0] + 0.08, self.out_end[1], caption, ha="left", va="center", fontsize=fs)
        for name, (x, y) in self.pos.items():
            node = graph.nodes[name]
            if node.is_input:
                if not (self.names and node.label == name):  # "x = 1" on the arrow already says it
                    ax.text(x - 0.07, y, node.label, ha="right", va="center", fontsize=fs)
                continue
            ax.add_artist(Circle((x, y), radius(graph, name), fc="white", ec="black", lw=1.3, zorder=3))
            size = fs + 1 if len(node.label) <= 2 else fs - (1 if len(node.label) <= 4 else 2)
            ax.text(x, y, node.label, ha="center", va="center", fontsize=size, zorder=4)

    def _place_numbers(self, graph):
        """Put each arrow's two numbers, and each fork's sum, where they cover no circle, arrow, name
        or other number, judged with room for ``ROOM`` characters: the first free spot found."""
        ax, fig = self.ax, self.ax.figure
        unit = _pixels_per_unit(ax)
        points = fig.dpi / 72 / unit  # layout units per typographic point
        renderer = fig.canvas.get_renderer()

        def size(words, fontsize):
            """(width, height) of ``words`` in layout units, as the renderer will draw them."""
            w, h, _ = renderer.get_text_width_height_descent(
                words, FontProperties(size=fontsize), ismath=False
            )
            return w / unit, h / unit

        number = size("-0" + "0" * (ROOM - 2), self.fontsize - 1)[0]
        line = size("lp", self.fontsize - 1)[1]  # a line's height, descent included, as a text's box has
        taken = [_circle_box(p, radius(graph, n)) for n, p in self.pos.items() if not graph.nodes[n].is_input]
        for name, (x, y) in self.pos.items():
            if graph.nodes[name].is_input:  # its name, right-aligned before the start of its arrow
                width, height = size(graph.nodes[name].label, self.fontsize)
                taken.append((x - 0.07 - width, x - 0.07, y - height / 2, y + height / 2))
        segments = [(a.start, a.end) for a in self.arrows]

        labels = []  # numbers placed so far: kept apart by half a line, so two never read as one pair
        gap = line / 2

        def clashes(boxes, own=None):
            near = [(b[0] - gap, b[1] + gap, b[2] - gap, b[3] + gap) for b in boxes]
            hard = sum(_overlaps(b, o) for b in boxes for o in taken + labels) + sum(
                _crosses(b, p, q) for b in boxes for p, q in segments if (p, q) != own
            )
            return 10 * hard + sum(
                _overlaps(b, o) for b in near for o in labels
            )  # crowding is the lesser evil

        offsets = {}

        def text(at, place, color, size):
            ha, va, dx, dy = place
            if (dx, dy) not in offsets:
                offsets[dx, dy] = offset_copy(ax.transData, fig=fig, x=dx, y=dy, units="points")
            label = ax.text(
                *at, "", ha=ha, va=va, color=color, fontsize=size, transform=offsets[dx, dy], zorder=5
            )
            return dynamic(label)

        for name in self.forks:  # "Σ total": above the node, or below it if that is taken
            (x, y), r = self.pos[name], radius(graph, name)
            width, height = (
                size("Σ -0" + "0" * (ROOM - 2), self.fontsize - 2)[0],
                size("lp", self.fontsize - 2)[1],
            )
            if graph.nodes[name].is_input:  # above or below its name, which ends where its arrow starts
                name_height = size(graph.nodes[name].label, self.fontsize)[1]
                spots = [
                    ((x - 0.07, y + name_height / 2), ("right", "bottom", 0, 1)),
                    ((x - 0.07, y - name_height / 2), ("right", "top", 0, -1)),
                ]
            else:
                spots = [
                    ((x, y + r + 0.06), ("center", "bottom", 0, 0)),
                    ((x, y - r - 0.06), ("center", "top", 0, 0)),
                ]
            scored = [
                (clashes([_label_box(at, place, width, height, points)]), k)
                for k, (at, place) in enumerate(spots)
            ]
            at, place = spots[min(scored)[1]]
            labels.append(_label_box(at, place, width, height, points))
            self.sums[name] = text(at, place, GRAD_COLOR, self.fontsize - 2)

        def spot(arrow, choices, width):
            """(clashes, where, boxes, places) of the freest spot along ``arrow`` for its labels."""
            best = None
            for t in PLACES:
                at = (arrow.start[0] + t * (arrow.end[0] - arrow.start[0]),
                      arrow.start[1] + t * (arrow.end[1] - arrow.start[1]))  # fmt: skip
                for chosen in choices:
                    boxes = [_label_box(at, place, width, line, points) for place in chosen]
                    score = clashes(boxes, own=(arrow.start, arrow.end))
                    if best is None or score < best[0]:
                        best = (score, at, boxes, chosen)
                if best[0] == 0:
                    return best
            return best

        # A value feeding several nodes is written on the flattest of its arrows where it fits, and on
        # every other branch with room for it (Graph(fork_values="once"): not, in a crowded graph);
        # each branch shows its own gradient.
        carries = {}
        for arrow in self.arrows:
            named = self.names and graph.nodes[arrow.src].named
            width = number + (size(f"∂L/∂{arrow.src} = ", self.fontsize - 1)[0] if named else 0)
            if arrow.src not in carries:
                branches = sorted((a for a in self.arrows if a.src == arrow.src), key=_steepness)
                fits = [a for a in branches if spot(a, [_places(a)], width)[0] == 0]
                carries[arrow.src] = (fits or branches)[0]
            places = _places(arrow)
            # its value on every branch where value and gradient fit; on the others, its gradient alone
            room = 10 if graph.fork_values == "each" else 0  # "each": a crowded spot will do; "once": none
            with_value = carries[arrow.src] is arrow or spot(arrow, [places], width)[0] < room
            _, at, boxes, chosen = spot(arrow, [places] if with_value else [places[1:], places[:1]], width)
            labels += boxes
            colors = COLORS if with_value else (GRAD_COLOR,)
            texts = [
                text(at, place, color, self.fontsize - 1) for place, color in zip(chosen, colors, strict=True)
            ]
            arrow.value, arrow.grad = texts if with_value else (None, texts[0])

    def show(self, graph, reveal, stepping, dims=None, title=None):
        """Write ``graph``'s numbers: every value, and the gradients of the first ``reveal`` steps."""
        shown = set(graph.steps[: max(reveal - 1, 0)])  # op nodes whose input arrows show gradients
        current = graph.steps[reveal - 2] if reveal >= 2 and stepping else None
        top = graph.output if graph.dout is None or np.all(np.asarray(graph.dout) == 1) else "L"

        def text_of(name, value, grad=False):
            body = fmt_shape(np.shape(value), dims) if self.labels == "shapes" else fmt(value)
            if self.names and graph.nodes[name].named:
                return f"∂{top}/∂{name} = {body}" if grad else f"{name} = {body}"
            return body

        for arrow in self.arrows:
            if arrow.value is not None:
                arrow.value.set_text(text_of(arrow.src, graph.nodes[arrow.src].value))
            if arrow.dst is None:
                grad, visible = graph.dout, reveal >= 1
            else:
                grad, visible = graph._edge_grads.get((arrow.dst, arrow.slot)), arrow.dst in shown
            arrow.grad.set_text(text_of(arrow.src, grad, grad=True) if visible and grad is not None else "")
        for name, text in self.sums.items():
            done = all(c in shown for c in self.forks[name]) and graph.grads.get(name) is not None
            text.set_text("Σ " + text_of(name, graph.grads[name], grad=True) if done else "")
        if current is not None:
            self.ring.set_center(self.pos[current])
            self.ring.set_radius(radius(graph, current))
        self.ring.set_visible(current is not None)
        self.title.set_text(title if title is not None else graph.title)


def _steepness(arrow):
    return abs(arrow.end[1] - arrow.start[1]) / max(abs(arrow.end[0] - arrow.start[0]), 1e-9)


def _places(arrow):
    """(value place, gradient place) for an arrow of this direction."""
    return _PLACES[_side(arrow.end[0] - arrow.start[0], arrow.end[1] - arrow.start[1])]


def _pixels_per_unit(ax):
    """Display pixels per layout unit, once the equal-aspect axes has shrunk to fit its limits."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    box = ax.get_position().transformed(ax.figure.transFigure)
    return min(box.width / (x1 - x0), box.height / (y1 - y0))


def _circle_box(p, r):
    return (p[0] - r, p[0] + r, p[1] - r, p[1] + r)


def _label_box(at, place, width, height, points):
    """The box (in layout units) a label of ``width`` x ``height`` takes at ``at``, placed so;
    ``points``: layout units per typographic point (a place's offsets are in points)."""
    ha, va, dx, dy = place
    x, y = at[0] + dx * points, at[1] + dy * points
    left = {"left": x, "center": x - width / 2, "right": x - width}[ha]
    bottom = {"bottom": y, "center": y - height / 2, "top": y - height}[va]
    return (left, left + width, bottom, bottom + height)


def draw(graph, ax, reveal=None, labels="values", dims=None, names=False, title=None, fontsize=11):
    """Draw a graph that has been run into ``ax``: op nodes as circles labelled with their
    op, each arrow with its forward value above and its gradient (red) below; returns ax.

    reveal: None shows every gradient; k shows the first k backward steps (0: none, 1: the
        starting gradient on the output arrow, then one node per step, right to left, the
        node of the last step ringed in red; ``graph.n_steps`` in all).
    labels: "values", or "shapes" to write array shapes, a size listed in ``dims``
        ({"N": 5}) written as its name.
    names: write "t = 3" above and "∂z/∂t = 6" below the arrows of named nodes (∂L/∂t when
        the backward pass started from something other than 1: the gradient of an outer L).
    title: instead of ``graph.title``. A node feeding several nodes gets "Σ total" above it.
    The drawing is made once per shape of graph and axes; drawing again only changes the numbers.
    """
    if graph._done is None:
        raise RuntimeError(say("draw: run the graph first (g.run())"))
    if labels not in ("values", "shapes"):
        raise ValueError(say("draw: labels must be 'values' or 'shapes', got {labels!r}", labels=labels))
    n_steps = graph.n_steps
    stepping = reveal is not None  # then the node of the last step shown is ringed
    if reveal is None:
        reveal = n_steps if graph._done == "backward" else 0
    if not 0 <= reveal <= n_steps:
        raise ValueError(say("draw: reveal={reveal} is outside 0 .. {n}", reveal=reveal, n=n_steps))
    if reveal and graph._done != "backward":
        raise RuntimeError(say("draw: reveal needs the backward pass (g.run())"))
    drawing = getattr(ax, "_bplib_graph", None)
    if drawing is None or drawing.shape != shape_of(graph, labels, names, fontsize):
        ax.clear()
        drawing = ax._bplib_graph = GraphDrawing(graph, ax, labels, names, fontsize)
        invalidate(ax.figure)
    drawing.show(graph, reveal, stepping, dims, title)
    describe(ax.figure, ax, describe_graph(graph, reveal, labels, dims, title))
    return ax


def describe_graph(graph, reveal=None, labels="values", dims=None, title=None):
    """The drawing in words: its title, each node's calculation with its numbers, and the gradients
    that have reached the inputs (all of them, or those of the first ``reveal`` steps)."""

    def number(v):
        return fmt_shape(np.shape(v), dims) if labels == "shapes" else fmt(v)

    def operand(name, calls):
        """An input as "apple price 100" (or "x = 1" inside a function's parentheses), else its value."""
        node = graph.nodes[name]
        if not node.is_input:
            return number(node.value)
        return f"{node.label} = {number(node.value)}" if calls else f"{node.label} {number(node.value)}"

    steps = []
    for name in graph.order():
        node = graph.nodes[name]
        if not node.is_input:
            calls = len(node.inputs) == 1 and node.label[0] not in "×+"
            result = number(node.value)
            if name == graph.output and node.caption:
                result = say("{value} ({caption})", value=result, caption=node.caption)
            steps.append(f"{_formula(node, [operand(s, calls) for s in node.inputs])} = {result}")
    title = title if title is not None else graph.title
    words = [say("{title}: {steps}.", title=title, steps=say("; ").join(steps))]
    n_steps = graph.n_steps
    reveal = (n_steps if graph._done == "backward" else 0) if reveal is None else reveal
    if reveal >= 1 and graph._done == "backward":
        shown = set(graph.steps[: max(reveal - 1, 0)])
        reached = [
            (graph.nodes[n].label, number(graph.grads[n]))
            for n in graph.inputs
            if graph.grads.get(n) is not None
            and all(dst in shown for src, dst, _ in graph.edges() if src == n)
        ]
        start = number(graph.dout)
        if reached:
            grads = say(", ").join(say("{name} {grad}", name=a, grad=g) for a, g in reached)
            words.append(say("Backward from {start}: the gradients at the inputs are {grads}.",
                             start=start, grads=grads))  # fmt: skip
        else:
            words.append(say("Backward from {start}: step {k} of {n}, the inputs have no gradient yet.",
                             start=start, k=reveal, n=n_steps))  # fmt: skip
    return sentences(words)


def _formula(node, args):
    """A node's calculation as text: "100 × 2", "exp(0.3)", "1/74.12", "3²", "sigmoid(1)"."""
    label = node.label
    if len(args) >= 2:
        return f" {'·' if label == 'dot' else label} ".join(args)
    if label[0] in "×+" and len(label) > 1:  # a constant inside the node: "×2", "+1", "×(−1)"
        return f"{args[0]} {label[0]} {label[1:]}"
    if label == "/":
        return f"1/{args[0]}"
    if label == "**2":
        return f"({args[0]})²"
    return f"{label}({args[0]})"


def graph_figure(graph, fig=None, figsize=None, **draw_kwargs):
    """Draw ``graph`` into ``fig`` (a new small figure when None) and return the figure."""
    if fig is None:
        fig = new_figure(figsize or figsize_for(graph, names=draw_kwargs.get("names", False)))
    fig.set_layout_engine("none")  # constrained layout would measure every label: too slow for sliders
    draw(graph, axes(fig, (0.01, 0.01, 0.98, 0.88)), **draw_kwargs)
    return fig
