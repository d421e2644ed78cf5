"""Chapter 7's module: the recorded graph shows autograd's own numbers (which are chapter 1's), its
steps are backward's order, forks add, the pitfall of never clearing ``.grad``, the two-layer network
in autograd, the tape's table, and the refusals."""

import contextlib
import io
import math
import re

import numpy as np
import pytest

from bplib import TwoLayerNet
from bplib.autograd import Tensor, softmax_cross_entropy, tape_nbytes, topological_order
from bplib.chapters import ch7_autograd as ch7
from bplib.chapters.book_graphs import apple_orange_graph
from bplib.training import SGD, train

PROBLEM_2 = ["apple", "apple_num", "orange", "orange_num", "tax"]


def quiet(f, *args, **kwargs):
    """f's result and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = f(*args, **kwargs)
    return result, out.getvalue()


# --- the recorded graph --------------------------------------------------------------------
@pytest.mark.parametrize(
    "values", [(100.0, 2.0, 150.0, 3.0, 1.1), (120.0, 4.0, 90.0, 5.0, 1.08), (50.0, 0.0, 300.0, 10.0, 1.3)]
)
def test_the_drawn_graph_holds_autograds_numbers_which_are_chapter_1s(values):
    inputs, price = ch7.apple_orange_tensors(*values)
    drawn, book = ch7.recorded_graph(price), apple_orange_graph(*values)
    assert drawn.value(drawn.output) == price.data == book.value("price")
    for mine, name in zip(drawn.inputs, PROBLEM_2, strict=True):
        assert drawn.grad(mine) == inputs[name].grad == book.grad(name)  # bit for bit, all three
        assert drawn.nodes[mine].label == book.nodes[name].label  # "apple price", ...
    for mine, theirs in zip(drawn.steps, book.steps, strict=True):  # every node and every arrow
        assert drawn.nodes[mine].label == book.nodes[theirs].label
        assert drawn.value(mine) == book.value(theirs)
        assert all(drawn.edge_grad(mine, k) == book.edge_grad(theirs, k) for k in (0, 1))
    assert drawn.nodes[drawn.output].caption == "payment"


def test_the_step_through_is_backwards_order_reverse_topological():
    _, price = ch7.apple_orange_tensors()
    drawn = ch7.recorded_graph(price)
    ops = [t for t in reversed(topological_order(price)) if t.grad_fn is not None]
    assert [drawn.nodes[n].layer.tensor for n in drawn.steps] == ops
    assert ops[0] is price and [t.op for t in ops] == ["×", "+", "×", "×"]
    for k in range(drawn.n_steps + 1):  # each step says what chapter 3's step says
        assert drawn.describe_step(k) == apple_orange_graph().describe_step(k)
    _, printed = quiet(ch7.update_autograd_steps, step=3)
    assert printed == "step 3: the '+' node gets 1.1 and sends back 1.1 and 1.1\n"


def test_forks_add_on_the_graph_and_in_grad():
    price, count, rate, subtotal, pay = ch7.fork_tensors(100.0, 2.0, 0.1)
    assert math.isclose(pay.item(), 220.0) and subtotal.grad == 1.0 + 0.1
    assert pay.edge_grads[0] == 1.0 and pay.inputs[1].edge_grads[0] == 0.1  # one arrow each
    assert math.isclose(price.grad, 2.2) and math.isclose(count.grad, 110) and math.isclose(rate.grad, 200)
    drawn = ch7.recorded_graph(pay)
    node = next(n for n in drawn.nodes if drawn.nodes[n].layer and drawn.nodes[n].layer.tensor is subtotal)
    assert drawn.grad(node) == subtotal.grad  # the "Σ" the drawing writes
    _, printed = quiet(ch7.update_fork, apple_num=2, rate=0.1)
    assert printed == "the subtotal gets 1 from the '+' node and 0.1 from the '×' node: .grad = 1.1\n"
    x = Tensor(3.0)
    y = x * x
    y.backward(keep_edges=True)
    assert y.edge_grads == (3.0, 3.0) and x.grad == 6.0  # the swap sends x to each slot: 2x in all


def test_constants_are_drawn_with_their_value():
    x = Tensor(2.0, name="x")
    y = x * 3.0 + 1.0
    y.backward(keep_edges=True)
    drawn = ch7.recorded_graph(y, "y")
    assert [drawn.nodes[n].label for n in drawn.inputs] == ["x", "3", "1"]
    assert drawn.grad(drawn.inputs[0]) == 3.0 and drawn.grad(drawn.inputs[1]) is None
    assert drawn.nodes[drawn.output].caption == "output"


def test_a_recorded_graph_refuses_to_show_anything_but_autograds_numbers():
    x = Tensor(2.0, name="x")
    y = x * x
    with pytest.raises(ValueError, match=r"run output.backward\(keep_edges=True\) first"):
        ch7.recorded_graph(y)
    y.backward()  # without keep_edges: no arrow gradients to draw
    with pytest.raises(ValueError, match=r"keep_edges=True"):
        ch7.recorded_graph(y)
    z = x * 5.0
    z.backward(keep_edges=True)
    drawn = ch7.recorded_graph(z)
    with pytest.raises(ValueError, match="its inputs cannot change"):
        drawn.forward(**{drawn.inputs[0]: 7.0})
    with pytest.raises(ValueError, match="it starts where autograd started"):
        ch7.recorded_graph(z).backward(2.0)


@pytest.mark.parametrize(
    ("update", "values", "words"),
    [
        (ch7.update_autograd_steps, dict(step=6), "step must be in 0 .. 5, got 6"),
        (ch7.update_no_clear, dict(steps=31), "steps must be in 0 .. 30, got 31"),
        (ch7.update_no_clear, dict(steps=-1), "steps must be in 0 .. 30, got -1"),
    ],
)
def test_update_functions_refuse_positions_off_their_sliders(update, values, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        update(**values)


# --- the pitfall: gradients add up until cleared -----------------------------------------------
def test_never_clearing_uses_the_sum_of_every_gradient_so_far():
    ws_clear, g_clear = ch7.descend(30, clear=True)
    ws_kept, g_kept = ch7.descend(30, clear=False)
    assert abs(ws_clear[-1] - 3.0) < 0.01 and np.all(np.diff(ws_clear) > 0)  # creeps up to the minimum
    before = np.r_[0.0, ws_kept[:-1]]  # w when each step's gradient was taken
    assert np.allclose(g_kept, np.cumsum(before - 3.0))  # .grad: the sum of all gradients so far
    assert np.allclose(g_clear, np.r_[0.0, ws_clear[:-1]] - 3.0)  # .grad: this step's only
    assert ws_kept.max() > 5.9 and ws_kept.min() < 0.1 and abs(ws_kept[-1] - 3.0) > 1  # never settles


def test_the_no_clear_picture_prints_and_describes_both_runs():
    fig, printed = quiet(ch7.update_no_clear, steps=12)
    ws_clear, g_clear = ch7.descend(12)
    assert f"cleared, w = {ws_clear[-1]:.2f} (its .grad {g_clear[-1]:.2f})" in printed
    assert "the sum of 12 gradients" in printed and "12 steps" in repr(fig)
    _, printed = quiet(ch7.update_no_clear, steps=0)
    assert printed == "before the first step both runs are at w = 0\n"


# --- the two-layer network -----------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_autograd_net_gradients_are_the_layers_bit_for_bit(dtype):
    rng = np.random.default_rng(1)
    x, t = rng.random((20, 784)).astype(dtype), rng.integers(0, 10, 20)
    net = TwoLayerNet(784, 50, 10, weight_init_std=0.1, dtype=dtype, seed=3)
    auto = ch7.AutogradNet(net.params)
    expected, grads = net.gradient(x, t), auto.gradient(x, t)
    for key in expected:
        assert grads[key].dtype == dtype and np.array_equal(grads[key], expected[key]), key
    assert auto.last_layer.loss == pytest.approx(net.last_layer.loss, rel=1e-6)
    assert np.array_equal(auto.predict(x), net.predict(x)) and auto.accuracy(x, t) == net.accuracy(x, t)
    assert auto.params["W1"] is not net.params["W1"]  # a copy: training one leaves the other alone


def test_autograd_net_trains_to_the_same_weights(small_task):
    x_train, t_train, x_test, t_test = small_task()
    net = TwoLayerNet(20, 8, 3, dtype=np.float32, seed=2)
    auto = ch7.AutogradNet(net.params)
    settings = dict(iters=50, batch_size=10, seed=4, reporter=False)
    a = train(net, x_train, t_train, x_test, t_test, optimizer=SGD(lr=0.1), **settings)
    b = train(auto, x_train, t_train, x_test, t_test, optimizer=SGD(lr=0.1), **settings)
    assert all(np.array_equal(auto.params[k], net.params[k]) for k in net.params)
    assert np.array_equal(a.test_acc, b.test_acc) and np.allclose(a.loss, b.loss, rtol=1e-6)
    assert all(auto.params[k] is auto.tensors[k].data for k in auto.params)  # SGD changed the tensors


def test_without_zero_grad_the_gradients_add_up():
    rng = np.random.default_rng(2)
    x, t = rng.random((5, 784)), rng.integers(0, 10, 5)
    params = TwoLayerNet(784, 50, 10, seed=0).params
    careful, careless = ch7.AutogradNet(params), ch7.AutogradNet(params, zero_grad=False)
    once = {k: g.copy() for k, g in careful.gradient(x, t).items()}
    assert all(np.array_equal(careful.gradient(x, t)[k], once[k]) for k in once)
    careless.gradient(x, t)
    twice = careless.gradient(x, t)
    assert all(np.allclose(twice[k], 2 * once[k]) for k in once)


def test_tape_table_lists_what_each_operation_keeps():
    rng = np.random.default_rng(0)
    x, t = rng.random((100, 784)).astype(np.float32), rng.integers(0, 10, 100)
    auto = ch7.AutogradNet(TwoLayerNet(784, 50, 10, dtype=np.float32, seed=0).params)
    loss = softmax_cross_entropy(auto.forward(x), t)
    lines = ch7.tape_table(loss).splitlines()
    assert [line.split()[0] for line in lines[1:-1]] == ["dot", "+", "relu", "dot", "+", "softmax-with-loss"]
    assert lines[1].endswith("313,600") and "(100, 784) float32" in lines[1] and "nothing" in lines[2]
    assert lines[-1].endswith(f"{tape_nbytes(loss):,}") and tape_nbytes(loss) == 100 * 3466 + 2000


def test_compare_cost_times_both_alternately():
    rng = np.random.default_rng(0)
    x, t = rng.random((4, 784)), rng.integers(0, 10, 4)
    net = TwoLayerNet(784, 50, 10, seed=0)
    cost = ch7.compare_cost(net, ch7.AutogradNet(net.params), x, t, repeat=3)
    assert cost.repeat == 3 and cost.ratio == cost.autograd / cost.layers  # no claim about the times


# --- what a Chinese learner sees ----------------------------------------------------------------
UPDATES = [
    (ch7.update_autograd_apples, {}),
    (ch7.update_autograd_steps, dict(step=2)),
    (ch7.update_fork, {}),
    (ch7.update_no_clear, dict(steps=5)),
    (ch7.update_no_clear, dict(steps=0)),
]
KEPT = {"grad"}  # ".grad" is the attribute's name, as in PyTorch


@pytest.mark.parametrize(("update", "values"), UPDATES, ids=lambda v: getattr(v, "__name__", ""))
def test_chinese_pictures_and_printouts_carry_no_english_words(chinese, update, values):
    fig, printed = quiet(update, **values)
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    texts += [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    for text in [*texts, *printed.splitlines(), repr(fig)]:
        assert not set(re.findall(r"[A-Za-z]{4,}", text)) - KEPT, text
