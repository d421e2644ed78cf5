"""Drawing a computational graph: automatic layout, values above the arrows, gradients below.

``graph_figure(g)`` draws a graph that has been run into a new figure; ``draw(g, ax)``
into your own axes. See ``bplib.viz.graph`` for building graphs and the drawing options.
"""

import math

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.transforms import offset_copy

from ..layers import AddLayer
from .graph import GRAD_COLOR, fmt, fmt_shape
from .nodes import SumLayer
from .sliders import new_figure

VALUE_COLOR = "black"
EDGE_COLOR = "0.35"

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
