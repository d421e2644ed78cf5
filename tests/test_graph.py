"""Computational graphs: the book's figures, fan-out, step-by-step backward, errors, drawing."""

import math

import numpy as np
import pytest
from matplotlib.patches import Circle

from bplib import Affine, softmax
from bplib.chapters.book_graphs import (
    add_node_graph,
    affine_graph,
    apple_graph,
    apple_orange_graph,
    apple_others_graph,
    basket_graph,
    mul_node_graph,
    sigmoid_graph,
    softmax_with_loss_graph,
    square_sum_graph,
)
from bplib.viz.draw import draw, figsize_for, graph_figure, layout
from bplib.viz.graph import GRAD_COLOR, Graph, fmt, fmt_shape
from bplib.viz.sliders import new_figure


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def texts(ax, color=None):
    """The strings written on the axes (optionally only those of one colour); a number not shown
    yet is an empty text, kept for when it is."""
    return [t.get_text() for t in ax.texts if t.get_text() and (color is None or t.get_color() == color)]


def drawn(graph, **kwargs):
    fig = graph_figure(graph, **kwargs)
    return fig.axes[0]


# --- the book's numbers ------------------------------------------------------------------
@pytest.mark.parametrize("constants", [False, True])
def test_problem_1_apple(constants):
    g = apple_graph(constants=constants)
    assert close(g.value("price"), 220) and close(g.value("apple_price"), 200)
    assert close(g.grad("apple"), 2.2)
    assert close(g.edge_grad("price", 0), 1.1)  # 1 -> 1.1 -> 2.2 backwards
    if not constants:
        assert close(g.grad("apple_num"), 110) and close(g.grad("tax"), 200)
    assert g.value("price") == 220.00000000000003  # what floating point really gives


def test_problem_2_apples_and_oranges():
    g = apple_orange_graph()
    assert close(g.value("all_price"), 650) and close(g.value("price"), 715)
    expected = {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650}
    for name, want in expected.items():
        assert close(g.grad(name), want), name


def test_local_computation_the_add_node_only_sees_its_inputs():
    g = apple_others_graph()
    assert close(g.value("all_price"), 4200) and close(g.value("price"), 4620)
    assert close(g.grad("others"), 1.1) and close(g.grad("apple"), 2.2)
    # 4000 computed some other way: the add node and everything after it is the same
    h = Graph()
    h.input("a", 200)
    h.input("b", 8)
    h.input("c", 500)
    h.op("×", "b", "c", name="others")
    h.op("+", "a", "others", name="all_price")
    h.op("×", "all_price", const=1.1, name="price")
    h.run()
    assert close(h.value("all_price"), g.value("all_price")) and close(h.grad("others"), g.grad("others"))


@pytest.mark.parametrize("x, y", [(1.0, 2.0), (-3.0, 0.5), (0.0, 0.0), (2.5, -2.5)])
def test_square_sum_gradient_is_two_x_plus_y(x, y):
    g = square_sum_graph(x, y)
    assert close(g.value("z"), (x + y) ** 2)
    assert close(g.grad("z"), 1.0)  # the first backward signal dz/dz
    assert close(g.grad("t"), 2 * (x + y))
    assert close(g.grad("x"), 2 * (x + y)) and close(g.grad("y"), 2 * (x + y))


def test_lone_add_and_mul_nodes_with_upstream_1_3():
    add = add_node_graph()
    assert add.value("z") == 15 and add.grad("x") == 1.3 and add.grad("y") == 1.3
    mul = mul_node_graph()
    assert mul.value("z") == 50 and close(mul.grad("x"), 6.5) and close(mul.grad("y"), 13)


@pytest.mark.parametrize("x, dout", [(1.0, 1.0), (-2.0, 0.7), (0.0, 1.0), (4.0, -3.0)])
def test_sigmoid_graph_backward_is_y_one_minus_y(x, dout):
    g = sigmoid_graph(x, dout)
    y = 1 / (1 + math.exp(-x))
    assert close(g.value("y"), y)
    assert math.isclose(g.grad("x"), dout * y * (1 - y), rel_tol=1e-12)
    # the four steps of the book: / multiplies by -y², + passes, exp by exp(-x), × by -1
    assert math.isclose(g.grad("1+exp(-x)"), dout * -(y**2), rel_tol=1e-12)
    assert g.grad("exp(-x)") == g.grad("1+exp(-x)")
    assert math.isclose(g.grad("-x"), g.grad("exp(-x)") * math.exp(-x), rel_tol=1e-12)
    assert g.grad("x") == -g.grad("-x")
    assert [g.nodes[n].label for n in reversed(g.steps)] == ["×(−1)", "exp", "+1", "/"]


@pytest.mark.parametrize(
    "a, t", [((0.3, 2.9, 4.0), (0, 0, 1)), ((1.0, 1.0, 1.0), (0, 1, 0)), ((-5, 0, 5), (1, 0, 0))]
)
def test_softmax_with_loss_graph_gives_y_minus_t(a, t):
    g = softmax_with_loss_graph(a, t)
    y = softmax(np.array(a, dtype=float))
    assert close(g.value("L"), -float(np.sum(np.array(t) * np.log(y))))
    for k in range(3):
        assert math.isclose(g.grad(f"a{k + 1}"), y[k] - t[k], rel_tol=1e-9, abs_tol=1e-12)
    # the 1/S node feeds three branches, whose gradients add up
    assert close(g.grad("1/S"), sum(g.edge_grad(f"y{k}", 1) for k in (1, 2, 3)))


def test_affine_graph_matches_the_affine_layer_and_leaves_inputs_alone():
    rng = np.random.default_rng(0)
    X, W, B = rng.standard_normal((4, 2)), rng.standard_normal((2, 3)), rng.standard_normal(3)
    dY = rng.standard_normal((4, 3))
    saved = [X.copy(), W.copy(), B.copy()]
    g = affine_graph(X, W, B, dout=dY)
    layer = Affine(W.copy(), B.copy())
    np.testing.assert_allclose(g.value("Y"), layer.forward(X))
    np.testing.assert_allclose(g.grad("X"), layer.backward(dY))
    np.testing.assert_allclose(g.grad("W"), layer.dW)
    np.testing.assert_allclose(g.grad("B"), layer.db)
    for a, b in zip([X, W, B], saved, strict=True):
        np.testing.assert_array_equal(a, b)
    # the batch example: the bias gradient sums dY over the rows
    g = affine_graph(
        np.array([[0.0], [1.0]]),
        np.full((1, 3), 10.0),
        np.array([1.0, 2.0, 3.0]),
        dout=np.array([[1.0, 2, 3], [4, 5, 6]]),
    )
    np.testing.assert_array_equal(g.value("Y"), [[1, 2, 3], [11, 12, 13]])
    np.testing.assert_array_equal(g.grad("B"), [5, 7, 9])


# --- fan-out, counting, numerical check -------------------------------------------------
def test_fan_out_sums_the_gradients_of_every_branch():
    g = Graph("x feeds two nodes")
    g.input("x", 3.0)
    g.op("exp", "x", name="e")
    g.op("**2", "x", name="s")
    g.op("+", "e", "s", name="out")
    g.run()
    branch = [g.edge_grad("e", 0), g.edge_grad("s", 0)]
    assert close(branch[0], math.exp(3.0)) and close(branch[1], 6.0)
    assert close(g.grad("x"), math.exp(3.0) + 6.0)
    # a node used twice by one node: x * x
    h = Graph()
    h.input("x", 5.0)
    h.op("×", "x", "x", name="sq")
    h.run()
    assert h.grad("x") == 10.0
    # the drawing writes the sum at the fork
    assert any(s.startswith("Σ ") for s in texts(drawn(g)))


def test_numerical_gradients_agree_and_cost_two_passes_per_input():
    for g in [
        apple_orange_graph(),
        sigmoid_graph(0.3),
        softmax_with_loss_graph(),
        square_sum_graph(1.5, -0.2),
    ]:
        before = dict(g.grads)
        passes = g.forward_passes
        est = g.numerical_gradients()
        assert g.forward_passes - passes == 2 * len(g.inputs)
        for name in g.inputs:
            assert math.isclose(est[name], g.grad(name), rel_tol=1e-6, abs_tol=1e-7), name
        assert g.grads.keys() == before.keys()  # the graph is left as it was
        assert all(np.all(g.grads[k] == before[k]) for k in before)


def test_backprop_needs_one_forward_and_one_backward_for_all_inputs():
    for n in [1, 2, 5]:
        g = basket_graph([100] * n, [2] * n)
        assert (g.forward_passes, g.backward_passes) == (1, 1)
        assert len(g.inputs) == 2 * n + 1
        assert all(g.grad(name) is not None for name in g.inputs)


# --- fmt --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "x, text",
    [
        (220.00000000000003, "220"),
        (110.00000000000001, "110"),
        (715.0000000000001, "715"),
        (2.2, "2.2"),
        (3.3000000000000003, "3.3"),
        (0.19661193324148185, "0.1966"),
        (-0.8, "-0.8"),
        (-0.0, "0"),
        (0, "0"),
        (1.3, "1.3"),
        (4620.000000000001, "4620"),
        (1e-05, "1e-05"),
        (12345678.0, "1.235e+07"),
        (np.float64(2.2), "2.2"),
        (np.array(6.5), "6.5"),
        (7, "7"),
        (float("nan"), "nan"),
        (None, ""),
        (np.array([0.3, -0.8, 0.5]), "[0.3, -0.8, 0.5]"),
        (np.zeros((2, 3)), "array (2, 3)"),
    ],
)
def test_fmt_gives_short_stable_text(x, text):
    assert fmt(x) == text


def test_fmt_shape():
    assert fmt_shape((5, 3), {"N": 5}) == "(N, 3)"
    assert fmt_shape((3,)) == "(3,)"
    assert fmt_shape(()) == "()"


# --- stepping backward ------------------------------------------------------------------
def test_steps_go_right_to_left_and_reveal_one_node_at_a_time():
    g = apple_graph()
    assert g.steps == ["price", "apple_price"] and g.n_steps == 3
    shown = [sorted(texts(drawn(g, reveal=k), GRAD_COLOR)) for k in range(g.n_steps + 1)]
    assert shown[0] == []
    assert shown[1] == ["1"]
    assert shown[2] == sorted(["1", "1.1", "200"])
    assert shown[3] == sorted(["1", "1.1", "200", "2.2", "110"])
    assert sorted(texts(drawn(g), GRAD_COLOR)) == shown[3]  # reveal=None shows everything
    assert g.describe_step(1) == "step 1: start with ∂(payment)/∂(payment) = 1 on the output arrow"
    assert g.describe_step(2) == "step 2: the '×' node gets 1 and sends back 1.1 and 200"
    assert g.describe_step(3) == "step 3: the '×' node gets 1.1 and sends back 2.2 and 110"
    assert square_sum_graph().describe_step(1) == "step 1: start with ∂z/∂z = 1 on the output arrow"
    three = basket_graph([100] * 3, [2] * 3)  # a "+" node of three inputs: "a, b and c"
    assert three.describe_step(3) == "step 3: the '+' node gets 1.1 and sends back 1.1, 1.1 and 1.1"
    with pytest.raises(ValueError, match="outside 0 .. 3"):
        g.describe_step(4)


def test_steps_are_told_in_chinese(chinese):
    g = apple_graph()
    assert g.describe_step(1) == "第 1 步：从输出箭头上的 ∂(支付金额)/∂(支付金额) = 1 开始"
    assert g.describe_step(2) == "第 2 步：“×”节点收到 1，向左传回 1.1 和 200"


def test_step_highlights_the_node_of_the_last_step():
    g = apple_orange_graph()
    ax = drawn(g, reveal=3)  # start, then the tax node, then the + node
    hot = [p for p in ax.patches if isinstance(p, Circle) and p.get_linewidth() > 2]
    assert len(hot) == 1 and hot[0].center == layout(g)["all_price"]


# --- errors -----------------------------------------------------------------------------
def test_cycle_is_refused_naming_the_nodes():
    g = Graph()
    g.input("x", 1.0)
    g.op("+", "x", "d", name="c")
    g.op("exp", "c", name="d")
    with pytest.raises(ValueError, match="cycle: c → d → c"):
        g.forward()


def test_unknown_op_is_refused_naming_the_node():
    g = Graph()
    g.input("x", 1.0)
    with pytest.raises(ValueError, match="node 'r': unknown op 'sqrt'"):
        g.op("sqrt", "x", name="r")


def test_input_without_value_is_refused_naming_it():
    g = Graph()
    g.input("x", 1.0)
    g.input("tax")
    g.op("×", "x", "tax")
    with pytest.raises(ValueError, match="input 'tax' has no value"):
        g.run()
    assert g.run(tax=1.1).grad("x") == 1.1  # giving it a value fixes it


def test_other_mistakes_are_refused_clearly():
    g = Graph()
    g.input("x", 1.0)
    with pytest.raises(ValueError, match="used twice"):
        g.input("x", 2.0)
    with pytest.raises(ValueError, match="takes 1 input"):
        g.op("exp", "x", "x")
    with pytest.raises(ValueError, match="const="):
        g.op("exp", "x", const=2)
    with pytest.raises(ValueError, match="no op nodes"):
        g.forward()
    g.op("×", "x", "nowhere", name="m")
    with pytest.raises(ValueError, match="'nowhere', which is not in the graph"):
        g.forward()
    h = Graph()
    h.input("x", 1.0)
    h.op("exp", "x", name="lost")
    h.op("**2", "x", name="out")
    with pytest.raises(ValueError, match="'lost' does not lead to the output 'out'"):
        h.forward()
    k = Graph()
    k.input("x", 0.0)
    k.op("/", "x", name="r")
    with pytest.raises(ValueError, match="node 'r' \\(/\\): .*1/0"):
        k.forward()
    with pytest.raises(ValueError, match="not an input"):
        k.forward(r=2.0)
    with pytest.raises(ValueError, match="input 'x' contains NaN"):
        k.forward(x=float("nan"))
    with pytest.raises(ValueError, match="input 'x' must be a number"):
        k.forward(x="ten")
    s = square_sum_graph()
    with pytest.raises(ValueError, match="shape"):
        s.backward(np.ones(2))
    with pytest.raises(RuntimeError, match="before forward"):
        Graph().backward()
    with pytest.raises(ValueError, match="reveal=9"):
        draw(s, new_figure().add_subplot(), reveal=9)


# --- drawing ----------------------------------------------------------------------------
def test_drawing_puts_values_gradients_names_and_title_on_the_axes():
    g = apple_orange_graph()
    ax = drawn(g)
    values = texts(ax, "black")
    for want in ["100", "2", "150", "3", "1.1", "200", "450", "650", "715", "apple price", "tax", "payment"]:
        assert want in values, want
    grads = texts(ax, GRAD_COLOR)
    for want in ["2.2", "110", "3.3", "165", "650", "1.1", "1"]:
        assert want in grads, want
    assert ax.get_title() == "Problem 2: apples and oranges"
    circles = [p for p in ax.patches if isinstance(p, Circle) and p.get_visible()]
    assert len(circles) == 4  # one per op node (the ring of a backward step is hidden)
    assert "220.00000000000003" not in texts(drawn(apple_graph()))


def test_constants_are_drawn_inside_their_nodes():
    ax = drawn(apple_graph(constants=True))
    assert "×2" in texts(ax) and "×1.1" in texts(ax)
    assert "×(−1)" in texts(drawn(sigmoid_graph()))


def test_shape_and_name_labels():
    X, W, B = np.ones((5, 2)), np.ones((2, 3)), np.ones(3)
    ax = drawn(affine_graph(X, W, B), labels="shapes", dims={"N": 5})
    assert {"(N, 2)", "(2, 3)", "(3,)", "(N, 3)"} <= set(texts(ax))
    assert texts(ax, GRAD_COLOR).count("(N, 3)") == 2  # dY into +, and d(X·W)
    ax = drawn(square_sum_graph(1.0, 2.0), names=True)
    assert "t = 3" in texts(ax) and "∂z/∂t = 6" in texts(ax) and "∂z/∂x = 6" in texts(ax)


def test_layout_inputs_left_output_right_and_no_overlaps():
    for g in [
        apple_graph(),
        apple_orange_graph(),
        sigmoid_graph(),
        softmax_with_loss_graph(),
        basket_graph([1] * 4, [2] * 4),
    ]:
        pos = layout(g)
        out_x = pos[g.output][0]
        assert all(pos[n][0] < out_x for n in g.nodes if n != g.output)
        for src, dst, _ in g.edges():
            assert pos[src][0] < pos[dst][0]  # every arrow points right
        points = sorted(pos.values())
        assert len(set(points)) == len(points)
        w, h = figsize_for(g)
        assert 1 < w < 16 and 1 < h < 8
