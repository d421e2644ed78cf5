"""The book's computational graphs, ready made and already run (keyword arguments are the inputs).

Chapters 1-3: the apples (``constants=True`` puts "×2"/"×1.1" inside the nodes), apples and
oranges, local computation, z = (x + y)², the lone add and multiply nodes, a basket of any
size. Chapter 4: the sigmoid as four nodes. Chapter 5: the Affine layer and the
3-class Softmax-with-Loss graph.
"""

import numpy as np

from ..viz.graph import Graph, fmt, fmt_operand
from ..words import say


def apple_graph(price=100, count=2, tax=1.1, constants=False, dout=1.0):
    """Problem 1: two apples at 100 yen, 10% tax -> 220. ``constants=True``: the count and
    the tax are inside the nodes ("×2", "×1.1"); otherwise they are inputs too."""
    g = Graph(say("Problem 1: {n} apples at {p} yen, tax ×{t}", n=fmt(count), p=fmt(price), t=fmt(tax)))
    g.input("apple", price, label=say("apple price"))
    if constants:
        g.op("×", "apple", const=count, name="apple_price")
        g.op("×", "apple_price", const=tax, name="price", caption=say("payment"))
    else:
        g.input("apple_num", count, label=say("apple count"))
        g.op("×", "apple", "apple_num", name="apple_price")
        g.input("tax", tax, label=say("tax"))
        g.op("×", "apple_price", "tax", name="price", caption=say("payment"))
    return g.run(dout)


def apple_orange_graph(apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1, dout=1.0):
    """Problem 2: apples and oranges with tax -> 715 (the book's names for every value)."""
    g = Graph(say("Problem 2: apples and oranges"))
    g.input("apple", apple, label=say("apple price"))
    g.input("apple_num", apple_num, label=say("apple count"))
    g.input("orange", orange, label=say("orange price"))
    g.input("orange_num", orange_num, label=say("orange count"))
    g.input("tax", tax, label=say("tax"))
    g.op("×", "apple", "apple_num", name="apple_price")
    g.op("×", "orange", "orange_num", name="orange_price")
    g.op("+", "apple_price", "orange_price", name="all_price")
    g.op("×", "all_price", "tax", name="price", caption=say("payment"))
    return g.run(dout)


def apple_others_graph(apple=100, apple_num=2, others=4000, tax=1.1, dout=1.0):
    """Local computation: 2 apples (200) plus 4000 yen of other things -> 4200 -> ×1.1."""
    g = Graph(say("Local computation: the + node only sees 200 and 4000"))
    g.input("apple", apple, label=say("apple price"))
    g.input("others", others, label=say("other things"))
    g.op("×", "apple", const=apple_num, name="apple_price")
    g.op("+", "apple_price", "others", name="all_price")
    g.op("×", "all_price", const=tax, name="price", caption=say("payment"))
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
    g = Graph(say("add node: {x} + {y}", x=fmt(x), y=fmt_operand(y)))
    g.input("x", x)
    g.input("y", y)
    g.op("+", "x", "y", name="z")
    return g.run(dout)


def mul_node_graph(x=10, y=5, dout=1.3):
    """The lone multiply node: 10 × 5 = 50; upstream 1.3 goes back as 1.3·5 and 1.3·10."""
    g = Graph(say("multiply node: {x} × {y}", x=fmt(x), y=fmt_operand(y)))
    g.input("x", x)
    g.input("y", y)
    g.op("×", "x", "y", name="z")
    return g.run(dout)


def sigmoid_graph(x=1.0, dout=1.0):
    """y = 1 / (1 + exp(-x)) as the nodes ×(−1), exp, +1, /. dx = dout · y(1 − y)."""
    g = Graph(say("sigmoid as four nodes"))
    g.input("x", x)
    g.op("×", "x", const=-1, name="-x")
    g.op("exp", "-x", name="exp(-x)")
    g.op("+", "exp(-x)", const=1, name="1+exp(-x)")
    g.op("/", "1+exp(-x)", name="y")
    return g.run(dout)


def basket_graph(prices, counts, tax=1.1, dout=1.0):
    """Any number of fruits: payment = (Σ price_i · count_i) · tax; 2n + 1 inputs."""
    if len(prices) != len(counts) or not prices:
        raise ValueError(say("basket_graph: give one count per price, and at least one fruit"))
    g = Graph(say("a basket of {n} fruits", n=len(prices)))
    totals = []
    for i, (p, c) in enumerate(zip(prices, counts, strict=True)):
        g.input(f"price{i}", p, label=say("price{i}", i=i))
        g.input(f"count{i}", c, label=say("count{i}", i=i))
        totals.append(g.op("×", f"price{i}", f"count{i}", name=f"total{i}"))
    g.input("tax", tax, label=say("tax"))
    total = g.op("+", *totals, name="sum") if len(totals) > 1 else totals[0]
    g.op("×", total, "tax", name="payment", caption=say("payment"))
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


# Where the book draws each node of the Softmax-with-Loss graph: a row per class (top: class 1),
# the sum S and its reciprocal below them; the exp and 1/S branches cross, their numbers do not.
ROWS = {1: 3.0, 2: 1.5, 3: 0.0}
SOFTMAX_LAYOUT = {
    **{f"a{k}": (0.0, y) for k, y in ROWS.items()},
    **{f"e{k}": (1.4, y) for k, y in ROWS.items()},
    "S": (3.9, -1.8),
    "1/S": (5.7, -1.8),
    **{f"y{k}": (7.6, y) for k, y in ROWS.items()},
    **{f"log y{k}": (9.4, y) for k, y in ROWS.items()},
    **{f"t{k} log y{k}": (11.2, y) for k, y in ROWS.items()},
    "Σ t log y": (13.0, 1.5),
    "L": (14.7, 1.5),
}


def softmax_with_loss_graph(a=(0.3, 2.9, 4.0), t=(0, 0, 1), dout=1.0):
    """The book's Softmax-with-Loss graph for 3 classes, one scalar per arrow:
    e_k = exp(a_k), S = e1 + e2 + e3, r = 1/S, y_k = e_k · r (softmax), then
    L = -(t1 log y1 + t2 log y2 + t3 log y3) (cross-entropy error), the labels t_k being
    constants inside the "×t_k" nodes.
    The exp nodes and the 1/S node feed several branches, whose gradients add up;
    the gradient reaching a_k is y_k - t_k."""
    a, t = np.asarray(a, dtype=float), np.asarray(t, dtype=float)
    if a.shape != (3,) or t.shape != (3,):
        raise ValueError(
            say("softmax_with_loss_graph: a and t must have 3 numbers, got {a} and {t}", a=a.shape, t=t.shape)
        )
    # crowded: the value of an exp node or of 1/S is written once, on its flattest arrow
    g = Graph("Softmax-with-Loss", positions=SOFTMAX_LAYOUT, fork_values="once")
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
