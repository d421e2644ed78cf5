"""Chapters 1-3: computational graphs, the chain rule, backward through nodes.

Update functions (``update_x(fig=None, **values) -> Figure``) print a few rounded numbers,
draw into ``fig`` (cleared first; a new ``bplib.viz.sliders.new_figure`` of the size in the
docstring when None) and return it. A notebook calls each once with fixed values in a
checked cell and wires the same function to sliders.

Chapter 1  ``update_apple(price, count, tax)``: problem 1, finite differences beside the
           gradients. ``pass_counts`` / ``plot_pass_counts``: forward passes a numerical
           gradient needs, against one forward and one backward pass.
Chapter 2  ``update_chain(x, y)``: z = (x + y)² as a graph, and z along x with its tangent.
           ``update_chain_steps(step)``: the same graph, backward one node at a time.
Chapter 3  ``update_nodes(x, y, upstream)``: the lone add and multiply nodes.
           ``update_apple_steps(step)``, ``update_apple_orange_steps(step)``: backward
           step by step. ``update_apple_orange(apple, apple_num, orange, orange_num, tax,
           upstream)``: every gradient against its formula.
"""

from dataclasses import dataclass

import numpy as np

from ..viz.draw import draw
from ..viz.graph import GRAD_COLOR, fmt, fmt_operand
from ..viz.picture import axes, canvas, describe, dynamic, part
from ..words import pad, say
from .book_graphs import (
    add_node_graph,
    apple_graph,
    apple_orange_graph,
    basket_graph,
    mul_node_graph,
    square_sum_graph,
)

FULL = (0.01, 0.01, 0.98, 0.87)  # axes rect of a figure holding one graph
PAYMENT_DIGITS = 6  # the printed payment keeps its decimals: 1004.4 yen, where the picture shows 1004


def gradient_table(graph, estimates=None, digits=4):
    """Text: one row per input with its value and backprop gradient, and the
    finite-difference estimate beside it when ``estimates`` ({input: number}) is given."""
    head = pad(say("input"), 14) + pad(say("value"), 8, ">") + pad(say("backprop"), 11, ">")
    rows = [head + (pad(say("finite difference"), 20, ">") if estimates else "")]
    for name in graph.inputs:
        row = (
            pad(graph.nodes[name].label, 14)
            + f"{fmt(graph.value(name)):>8}{fmt(graph.grad(name), digits):>11}"
        )
        rows.append(row + (f"{fmt(estimates[name], digits):>20}" if estimates else ""))
    return "\n".join(rows)


def _step_picture(fig, graph, step, figsize, key, **draw_kwargs):
    fig = canvas(fig, figsize, key)
    n = graph.n_steps
    if not 0 <= step <= n:
        raise ValueError(say("step must be in 0 .. {n}, got {step}", n=n, step=step))
    draw(
        graph,
        axes(fig, FULL),
        reveal=step,
        title=say("{title}: backward step {step} of {n}", title=graph.title, step=step, n=n),
        **draw_kwargs,
    )
    print(graph.describe_step(step))
    return fig


# --- chapter 1 ------------------------------------------------------------------------
def update_apple(fig=None, price=100, count=2, tax=1.1):
    """Problem 1 with count and tax as inputs (figure 6.4 × 2.4): values above the arrows,
    gradients below; prints each gradient beside its finite-difference estimate."""
    g = apple_graph(price, count, tax)
    fig = canvas(fig, (6.4, 2.4), key="apple")
    draw(
        g, axes(fig, FULL), title=say("Problem 1, with the count and the tax as inputs too")
    )  # its numbers: on the arrows
    print(say("payment = {price} yen", price=fmt(g.value("price"), PAYMENT_DIGITS)))
    print(gradient_table(g, g.numerical_gradients()))
    return fig


@dataclass(frozen=True)
class PassCounts:
    """Passes through a whole graph to get every gradient, for graphs of growing size."""

    inputs: list  # number of inputs of each graph
    numerical: list  # forward passes central differences needed (counted)
    backprop: list  # forward + backward passes backprop needed (counted)


def pass_counts(max_fruits=20):
    """Count, on baskets of 1 .. max_fruits fruits (2n + 1 inputs: prices, counts, tax),
    the passes each way of getting all the gradients really makes."""
    inputs, numerical, backprop = [], [], []
    for k in range(1, max_fruits + 1):
        g = basket_graph([100] * k, [2] * k)  # built and run: one forward, one backward
        backprop.append(g.forward_passes + g.backward_passes)
        before = g.forward_passes
        g.numerical_gradients()
        numerical.append(g.forward_passes - before)
        inputs.append(len(g.inputs))
    return PassCounts(inputs, numerical, backprop)


def plot_pass_counts(fig=None, counts=None):
    """Passes through the graph against its number of inputs (figure 6 × 3)."""
    counts = counts or pass_counts()
    fig = canvas(fig, (6.0, 3.0))
    ax = fig.add_axes((0.11, 0.16, 0.86, 0.74))
    ax.plot(
        counts.inputs,
        counts.numerical,
        "o-",
        color="tab:orange",
        ms=4,
        label=say("numerical: 2 forward passes per input"),
    )
    ax.plot(
        counts.inputs,
        counts.backprop,
        "o-",
        color="tab:blue",
        ms=4,
        label=say("backprop: 1 forward + 1 backward pass"),
    )
    ax.set(
        xlabel=say("number of inputs"),
        ylabel=say("passes through the graph"),
        title=say("Getting every gradient of a shopping basket"),
    )
    ax.set_title(ax.get_title(), y=1.0, pad=4)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=9, framealpha=1)  # opaque: the grid stops at its edge
    words = say(
        "{title}: for {n} inputs, {numerical} forward passes numerically "
        "against {backprop} passes with backprop.",
        title=say("Getting every gradient of a shopping basket"),
        n=counts.inputs[-1], numerical=counts.numerical[-1], backprop=counts.backprop[-1],
    )  # fmt: skip
    describe(fig, "passes", words)
    return fig


# --- chapter 2 ------------------------------------------------------------------------
def update_chain(fig=None, x=1.0, y=2.0):
    """z = (x + y)² (figure 9 × 2.8): left, the graph with t = x + y and every gradient;
    right, z along x (y fixed) and the tangent at x, whose slope is the backprop dz/dx."""
    g = square_sum_graph(x, y)
    fig = canvas(fig, (9.0, 2.8), key="chain")
    draw(g, axes(fig, (0.0, 0.02, 0.5, 0.86)), names=True)
    ax = axes(fig, (0.59, 0.17, 0.39, 0.7))
    if not ax.get_xlabel():  # the axes, ticks and grid: drawn once
        ax.set(
            xlabel="x",
            ylabel="z",
            xlim=(-6, 6),
            ylim=(-4, 40),
            xticks=range(-6, 7, 2),
            yticks=range(0, 41, 5),
        )
        ax.grid(alpha=0.3)
    curve = part(ax, "curve", lambda: dynamic(ax.plot([], [], color="black", lw=1.5, label="z")[0]))
    guide = part(ax, "guide", lambda: dynamic(ax.plot([], [], ":", color="0.5", lw=1)[0]))
    tangent = part(
        ax, "tangent", lambda: dynamic(ax.plot([], [], color=GRAD_COLOR, lw=1.5, gid="tangent")[0])
    )
    dot = part(ax, "dot", lambda: dynamic(ax.plot([], [], "o", color=GRAD_COLOR, ms=5)[0]))
    title = part(ax, "title", lambda: dynamic(ax.set_title("", y=1.0, pad=4, fontsize=10)))
    dzdx, z = float(g.grad("x")), float(g.value("z"))
    xs = np.linspace(-6, 6, 121)
    curve.set_data(xs, (xs + y) ** 2)
    near = np.array([x - 1.5, x + 1.5])
    tangent.set_data(near, z + dzdx * (near - x))
    tangent.set_label(say("tangent"))
    guide.set_data([x, x, -6], [-4, z, z])
    dot.set_data([x], [z])
    title.set_text(say("z along x (y = {y}): the tangent's slope is {slope}", y=fmt(y), slope=fmt(dzdx)))
    words = say(
        "Right: z = (x + y)² along x for y = {y}; at x = {x}, z = {z} and the tangent's slope is {slope}.",
        y=fmt(y), x=fmt(x), z=fmt(z), slope=fmt(dzdx),
    )  # fmt: skip
    describe(fig, "tangent", words)
    print(f"z = {fmt(z)}   ∂z/∂x = {fmt(dzdx)}   ∂z/∂y = {fmt(g.grad('y'))}   2(x + y) = {fmt(2 * (x + y))}")
    return fig


def update_chain_steps(fig=None, step=3):
    """z = (x + y)² for x = 1, y = 2, backward shown up to ``step`` (0 .. 3; figure 5 × 2.2)."""
    return _step_picture(fig, square_sum_graph(1.0, 2.0), step, (5.0, 2.2), "chain steps", names=True)


# --- chapter 3 ------------------------------------------------------------------------
def update_nodes(fig=None, x=10.0, y=5.0, upstream=1.3):
    """The lone add node and the lone multiply node side by side (figure 7 × 2)."""
    add, mul = add_node_graph(x, y, upstream), mul_node_graph(x, y, upstream)
    fig = canvas(fig, (7.0, 2.0), key="nodes")
    draw(add, axes(fig, (0.0, 0.02, 0.48, 0.84)))
    draw(mul, axes(fig, (0.52, 0.02, 0.48, 0.84)))
    u, a, b = fmt_operand(upstream), fmt_operand(x), fmt_operand(y)
    gx, gy, z = fmt(add.grad("x")), fmt(add.grad("y")), fmt(add.value("z"))
    print(
        say(
            "add:      {x} + {b} = {z}; sends back {gx} and {gy} (upstream {upstream}, unchanged)",
            x=fmt(x),
            b=b,
            z=z,
            gx=gx,
            gy=gy,
            upstream=fmt(upstream),
        )
    )
    gx, gy, z = fmt(mul.grad("x")), fmt(mul.grad("y")), fmt(mul.value("z"))
    print(
        say(
            "multiply: {x} × {b} = {z}; sends back {u} × {b} = {gx} and {u} × {a} = {gy} "
            "(the inputs swapped)",
            x=fmt(x),
            b=b,
            z=z,
            u=u,
            a=a,
            gx=gx,
            gy=gy,
        )
    )
    return fig


def update_apple_steps(fig=None, step=3):
    """Problem 1 backward up to ``step`` (0 .. 3; figure 6.4 × 2.4)."""
    return _step_picture(fig, apple_graph(), step, (6.4, 2.4), "apple steps")


def update_apple_orange_steps(fig=None, step=5):
    """Problem 2 backward up to ``step`` (0 .. 5; figure 7.2 × 3.4)."""
    return _step_picture(fig, apple_orange_graph(), step, (7.2, 3.4), "apple orange steps")


def apple_orange_formulas(apple, apple_num, orange, orange_num, tax, upstream=1.0):
    """The partial derivatives of upstream · (apple·apple_num + orange·orange_num)·tax,
    worked out by hand: {input: (formula, value)}."""
    subtotal = apple * apple_num + orange * orange_num
    return {
        "apple": (say("apple_num · tax"), apple_num * tax * upstream),
        "apple_num": (say("apple · tax"), apple * tax * upstream),
        "orange": (say("orange_num · tax"), orange_num * tax * upstream),
        "orange_num": (say("orange · tax"), orange * tax * upstream),
        "tax": (say("apple · apple_num + orange · orange_num"), subtotal * upstream),
    }


def update_apple_orange(fig=None, apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1, upstream=1.0):
    """Problem 2 (figure 7.2 × 3.4); prints every backprop gradient beside its formula
    (times the upstream gradient)."""
    g = apple_orange_graph(apple, apple_num, orange, orange_num, tax, upstream)
    fig = canvas(fig, (7.2, 3.4), key="apple orange")
    draw(g, axes(fig, FULL))
    print(
        say(
            "payment = {price} yen, upstream gradient {upstream}",
            price=fmt(g.value("price"), PAYMENT_DIGITS),
            upstream=fmt(upstream),
        )
    )
    print(pad(say("input"), 14) + pad(say("backprop"), 10, ">") + "   " + say("formula (× upstream)"))
    for name, (formula, value) in apple_orange_formulas(
        apple, apple_num, orange, orange_num, tax, upstream
    ).items():
        print(pad(g.nodes[name].label, 14) + f"{fmt(g.grad(name)):>10}   {formula} = {fmt(value)}")
    return fig
