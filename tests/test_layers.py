"""The layers: gradient checks, the book's figures, the book's pitfalls, bad input."""

import math

import numpy as np
import pytest

from bplib import AddLayer, Affine, MulLayer, Relu, Sigmoid, SoftmaxWithLoss, check_layer

RNG = np.random.default_rng(20261122)
SHAPES = [(1, 1), (3, 4), (5, 2), (2, 7)]


def _logits(shape):
    return RNG.standard_normal(shape) * 3


@pytest.mark.parametrize("shape", SHAPES)
def test_mul_and_add_pass_gradient_check(shape):
    x, y = RNG.standard_normal(shape), RNG.standard_normal(shape)
    assert check_layer(MulLayer(), x, y, verbose=False).passed
    assert check_layer(AddLayer(), x, y, verbose=False).passed


@pytest.mark.parametrize("xs,ys", [((3, 4), (4,)), ((3, 1), (1, 5)), ((2, 3), ())])
def test_mul_and_add_broadcast_gradients_keep_input_shapes(xs, ys):
    x, y = RNG.standard_normal(xs), RNG.standard_normal(ys)
    for layer in (MulLayer(), AddLayer()):
        result = check_layer(layer, x, y, verbose=False)
        assert result.passed, result.table()
        dx, dy = layer.backward(np.ones(np.broadcast_shapes(xs, ys)))
        assert np.shape(dx) == xs and np.shape(dy) == ys


@pytest.mark.parametrize("shape", SHAPES + [(2, 3, 4)])
def test_activations_pass_gradient_check(shape):
    x = RNG.standard_normal(shape)
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU's kink away from the finite differences
    assert check_layer(Relu(), x, verbose=False).passed
    assert check_layer(Sigmoid(), x, verbose=False).passed


@pytest.mark.parametrize("x_shape,w_shape", [((2, 3), (3, 4)), ((5, 1, 2, 2), (4, 3)), ((1, 6), (6, 1))])
def test_affine_passes_gradient_check_for_any_rank(x_shape, w_shape):
    layer = Affine(RNG.standard_normal(w_shape), RNG.standard_normal(w_shape[1]))
    x = RNG.standard_normal(x_shape)
    result = check_layer(layer, x, verbose=False)
    assert result.passed and set(result.errors) == {"dx", "dW", "db"}
    assert layer.backward(np.ones((x_shape[0], w_shape[1]))).shape == x_shape


@pytest.mark.parametrize("n,c", [(1, 3), (4, 5), (6, 10)])
def test_softmax_with_loss_passes_gradient_check_with_labels_and_one_hot(n, c):
    x, t = _logits((n, c)), RNG.integers(0, c, n)
    assert check_layer(SoftmaxWithLoss(), x, t, verbose=False).passed
    assert check_layer(SoftmaxWithLoss(), x, targets=np.eye(c)[t], verbose=False).passed


def test_labels_and_one_hot_give_same_loss_and_gradient():
    x, t = _logits((4, 3)), np.array([0, 2, 1, 2])
    a, b = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert a.forward(x, t) == pytest.approx(b.forward(x, np.eye(3)[t]), rel=1e-15)
    np.testing.assert_allclose(a.backward(), b.backward(), rtol=1e-15)


# --- the book's chapter-3 figures -------------------------------------------------------


def test_apple_figures():
    mul_apple, mul_tax = MulLayer(), MulLayer()
    price = mul_tax.forward(mul_apple.forward(100, 2), 1.1)
    assert price == pytest.approx(220)
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    assert (dapple, dapple_num, dtax) == pytest.approx((2.2, 110, 200))


def test_apple_orange_figures():
    mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    total = add.forward(mul_apple.forward(100, 2), mul_orange.forward(150, 3))
    price = mul_tax.forward(total, 1.1)
    assert price == pytest.approx(715)
    dtotal, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add.backward(dtotal)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    got = (dapple, dapple_num, dorange, dorange_num, dtax)
    assert got == pytest.approx((2.2, 110, 3.3, 165, 650))
    assert all(isinstance(v, float | int) for v in got)  # scalars stay Python numbers


# --- the book's pitfalls ------------------------------------------------------------------


def test_pitfall1_no_layer_changes_its_arguments():
    x = RNG.standard_normal((4, 5))
    x[0, 0] = 0.0
    cases = [
        (Relu(), (x,)),
        (Sigmoid(), (x,)),
        (Affine(RNG.standard_normal((5, 3)), RNG.standard_normal(3)), (x,)),
        (MulLayer(), (x, x[0])),
        (AddLayer(), (x, x[0])),
    ]
    for layer, args in cases:
        copies = [a.copy() for a in args]
        out = layer.forward(*args)
        dout = RNG.standard_normal(np.shape(out))
        dout_copy = dout.copy()
        layer.backward(dout)
        np.testing.assert_array_equal(dout, dout_copy, err_msg=type(layer).__name__)
        for a, c in zip(args, copies, strict=True):
            np.testing.assert_array_equal(a, c, err_msg=type(layer).__name__)
    logits, labels = x[:, :3].copy(), np.array([0, 1, 2, 0])
    layer = SoftmaxWithLoss()
    layer.forward(logits, labels)
    layer.backward()
    np.testing.assert_array_equal(logits, x[:, :3])
    np.testing.assert_array_equal(labels, [0, 1, 2, 0])


def test_pitfall1_relu_backward_returns_new_array():
    relu = Relu()
    relu.forward(np.array([-1.0, 2.0]))
    dout = np.array([5.0, 7.0])
    dx = relu.backward(dout)
    assert dx is not dout and dout.tolist() == [5.0, 7.0] and dx.tolist() == [0.0, 7.0]


def test_pitfall2_softmax_with_loss_honours_dout():
    layer = SoftmaxWithLoss()
    layer.forward(_logits((3, 4)), [0, 1, 2])
    g1 = layer.backward(1.0)
    np.testing.assert_allclose(layer.backward(2.5), 2.5 * g1, rtol=1e-15)
    np.testing.assert_allclose(layer.backward(0.0), 0.0)


def test_pitfall7_relu_gradient_at_zero_is_zero():
    relu = Relu()
    assert relu.forward(np.array([0.0])).tolist() == [0.0]
    assert relu.backward(np.array([1.0])).tolist() == [0.0]
    assert relu.mask.tolist() == [True]


def test_relu_mask_example():
    relu = Relu()
    relu.forward(np.array([[1.0, -0.5], [-2.0, 3.0]]))
    assert relu.mask.tolist() == [[False, True], [True, False]]


def test_float32_in_float32_out():
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    for layer in (Relu(), Sigmoid(), Affine(np.ones((4, 2), np.float32), np.zeros(2, np.float32))):
        out = layer.forward(x)
        assert out.dtype == np.float32
        assert layer.backward(np.ones_like(out)).dtype == np.float32
    sm = SoftmaxWithLoss()
    sm.forward(x, [0, 1, 2])
    assert sm.backward().dtype == np.float32


# --- bad input: a clear error, nothing of the caller's changed ------------------------------


@pytest.mark.parametrize(
    "layer",
    [MulLayer(), AddLayer(), Relu(), Sigmoid(), Affine(np.ones((2, 2)), np.zeros(2)), SoftmaxWithLoss()],
)
def test_backward_before_forward_says_so(layer):
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(1.0)


def test_affine_width_mismatch_names_shapes():
    layer = Affine(np.ones((784, 50)), np.zeros(50))
    with pytest.raises(ValueError, match=r"width 100.*784 rows"):
        layer.forward(np.ones((3, 100)))


@pytest.mark.parametrize(
    "layer,args,bad_dout",
    [
        (Relu(), (np.ones((2, 3)),), np.ones((3, 2))),
        (Sigmoid(), (np.ones((2, 3)),), np.ones(3)),
        (Affine(np.ones((3, 4)), np.zeros(4)), (np.ones((2, 3)),), np.ones((2, 3))),
        (MulLayer(), (np.ones(3), np.ones(3)), np.ones(4)),
        (AddLayer(), (np.ones(3), 2.0), np.ones((1, 3))),
        (SoftmaxWithLoss(), (np.ones((2, 3)), [0, 1]), np.ones((2, 3))),
    ],
)
def test_dout_of_wrong_shape_names_both_shapes(layer, args, bad_dout):
    layer.forward(*args)
    with pytest.raises(ValueError, match=r"dout has shape .* expected"):
        layer.backward(bad_dout)


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0], [0.5, 1]])
def test_labels_outside_range_are_refused(labels):
    with pytest.raises(ValueError, match="label|whole numbers"):
        SoftmaxWithLoss().forward(np.ones((2, 3)), labels)


def test_one_hot_rows_of_wrong_width_are_refused():
    with pytest.raises(ValueError, match=r"shape \(2, 4\)"):
        SoftmaxWithLoss().forward(np.ones((2, 3)), np.eye(4)[:2])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_logits_are_refused(bad):
    x = np.ones((2, 3))
    x[1, 2] = bad
    with pytest.raises(ValueError, match=r"NaN or inf .*\(1, 2\)"):
        SoftmaxWithLoss().forward(x, [0, 1])
    assert x[0].tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("layer", [MulLayer(), AddLayer()])
def test_inputs_that_cannot_broadcast_are_refused(layer):
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(4,\) cannot broadcast"):
        layer.forward(np.ones((2, 3)), np.ones(4))


# --- targets: labels, one-hot rows, probability rows; anything else refused ---------------


def test_probability_rows_are_targets_whose_gradient_is_y_minus_t():
    x, t = _logits((3, 4)), RNG.dirichlet(np.ones(4), size=3)  # each row >= 0, summing to 1
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.sum(t * np.log(y)) / 3, rel=1e-12)
    np.testing.assert_allclose(layer.backward(), (y - t) / 3, rtol=1e-12)
    assert check_layer(SoftmaxWithLoss(), x, targets=t, verbose=False).passed


@pytest.mark.parametrize(
    "rows,message",
    [
        ([[0.0, 1.0, 0.0], [0.5, 0.6, 0.0]], r"target row 1 sums to 1\.1, not 1"),
        ([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]], r"target row 1 sums to 2, not 1"),
        ([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]], r"target row 0 sums to 0, not 1"),
        ([[1.0, 0.0, 0.0], [1.2, -0.2, 0.0]], r"target row 1 has a negative entry \(-0\.2\)"),
    ],
)
def test_rows_that_are_not_probabilities_are_refused_by_row(rows, message):
    """Rows not summing to 1 used to pass as one-hot, and then y - t mismatched the loss."""
    t = np.array(rows)
    with pytest.raises(ValueError, match="SoftmaxWithLoss: " + message):
        SoftmaxWithLoss().forward(np.ones((2, 3)), t)
    from bplib import cross_entropy_error

    with pytest.raises(ValueError, match="cross_entropy_error: " + message):
        cross_entropy_error(np.full((2, 3), 1 / 3), t)
    assert t.tolist() == rows


def test_float32_probability_rows_within_rounding_are_accepted():
    t = np.full((2, 3), 1 / 3, dtype=np.float32)  # sums to 1 only up to float32 rounding
    sm = SoftmaxWithLoss()
    sm.forward(np.zeros((2, 3), np.float32), t)
    assert sm.backward().dtype == np.float32


def test_one_hot_targets_take_the_scores_dtype():
    sm = SoftmaxWithLoss()
    sm.forward(np.zeros((2, 3), np.float32), np.eye(3)[[0, 2]])  # float64 rows, float32 scores
    assert sm.backward().dtype == np.float32


def test_one_scores_row_with_a_label_or_a_row():
    a, b = SoftmaxWithLoss(), SoftmaxWithLoss()
    x = np.array([0.3, 2.9, 4.0])
    assert a.forward(x, 2) == pytest.approx(b.forward(x, [0.0, 0.0, 1.0]), rel=1e-15)
    assert a.backward().shape == (3,)
    assert check_layer(SoftmaxWithLoss(), x, np.array(2), verbose=False).passed


# --- sum_to: the gradient of an input that broadcasting stretched ---------------------------


def test_sum_to_adds_the_gradient_over_the_broadcast_axes():
    from bplib.layers import sum_to

    g = np.arange(6.0).reshape(2, 3)
    assert sum_to(g, (2, 3)) is g
    assert sum_to(g, (3,)).tolist() == [3.0, 5.0, 7.0]
    assert sum_to(g, (2, 1)).tolist() == [[3.0], [12.0]]
    assert sum_to(g, ()) == 15.0 and isinstance(sum_to(g, ()), float)


# --- the shown source: the book's idea, one guard line, nothing else ----------------------


def test_each_backward_is_the_books_lines_after_one_guard_line():
    import inspect

    for layer in (MulLayer, AddLayer, Relu, Sigmoid, Affine, SoftmaxWithLoss):
        body = inspect.getsource(layer.backward).splitlines()[1:]
        assert body[0].strip().startswith(("self._check_dout(dout", "dout = self._check_dout(dout")), layer
        assert len(body) <= 5, layer
        assert "_need_forward" not in inspect.getsource(layer)


# --- the messages in Chinese ----------------------------------------------------------------


def test_layer_errors_in_chinese(chinese):
    with pytest.raises(ValueError, match=r"^Affine：形状为 \(3, 100\) 的输入每行有 100 个值，但 W 有 784 行"):
        Affine(np.ones((784, 50)), np.zeros(50)).forward(np.ones((3, 100)))
    with pytest.raises(RuntimeError, match=r"^Relu\.backward 在 forward 之前被调用了"):
        Relu().backward(np.ones(2))
    with pytest.raises(ValueError, match=r"^MulLayer：形状为 \(2, 3\) 和 \(4,\) 的两个输入无法广播"):
        MulLayer().forward(np.ones((2, 3)), np.ones(4))
    with pytest.raises(ValueError, match=r"^SoftmaxWithLoss：标签 3 超出了 3 个类别的范围 \[0, 3\)"):
        SoftmaxWithLoss().forward(np.ones((2, 3)), [0, 3])
    with pytest.raises(ValueError, match=r"^SoftmaxWithLoss：监督标签第 1 行的和是 1\.1，不是 1"):
        SoftmaxWithLoss().forward(np.ones((2, 3)), [[0.0, 1.0, 0.0], [0.5, 0.6, 0.0]])
    layer = Sigmoid()
    layer.forward(np.ones(3))
    with pytest.raises(
        ValueError, match=r"^Sigmoid\.backward：dout 的形状是 \(2,\)，应与正向传播输出的形状 \(3,\) 相同"
    ):
        layer.backward(np.ones(2))


def test_softmax_with_loss_of_a_certain_answer_is_exactly_zero_and_stays_exact_far_out():
    layer = SoftmaxWithLoss()
    loss = layer.forward(np.array([[1000.0, -1000.0, 0.0]]), [0])
    assert loss == 0.0 and math.copysign(1.0, loss) == 1.0  # not -0.0
    far = SoftmaxWithLoss().forward(np.array([[0.0, 2000.0, 1000.0]]), [0])
    assert far == 2000.0  # -log(softmax) of a score 2000 below the best, not a clipped log(0)
