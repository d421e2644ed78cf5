"""numerical_gradient, relative_error and check_layer."""

import numpy as np
import pytest

from bplib import Layer, Relu, check_layer, numerical_gradient, relative_error


def test_pitfall5_integer_array_is_refused_by_name_and_left_alone():
    x = np.array([1, 2])
    with pytest.raises(ValueError, match="dtype int64, which cannot hold x \\+ h"):
        numerical_gradient(lambda v: np.sum(v**2), x)
    assert x.tolist() == [1, 2] and x.dtype == np.int64


def test_numbers_and_lists_of_integers_give_the_right_gradient():
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**2), [1, 2]), [2.0, 4.0], rtol=1e-9)
    assert numerical_gradient(lambda v: float(v) ** 3, 2) == pytest.approx(12.0, rel=1e-8)


def test_the_books_idiom_sees_the_array_change_in_place():
    """The book's network passes a loss that ignores its argument: lambda W: net.loss(x, t)."""
    W = np.array([[1.0, -2.0], [0.5, 3.0]])
    x = np.array([2.0, 1.0])
    grad = numerical_gradient(lambda _: float(np.sum((x @ W) ** 2)), W)
    np.testing.assert_allclose(grad, 2 * np.outer(x, x @ W), rtol=1e-8)


def test_caller_array_is_restored_bit_for_bit():
    x = np.array([0.1, -0.0, 1e-300, 3.0, np.pi])
    before = x.tobytes()
    numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    assert x.tobytes() == before


def test_caller_array_is_restored_when_f_raises():
    x = np.array([[0.1, 0.2], [0.3, 0.4]])
    before = x.tobytes()
    calls = []

    def f(v):
        calls.append(v[0, 1])
        if len(calls) == 3:  # on element (0, 1), while it is nudged up
            raise ArithmeticError("f broke")
        return float(np.sum(v))

    with pytest.raises(ArithmeticError, match="f broke"):
        numerical_gradient(f, x)
    assert calls[2] != 0.2 and x.tobytes() == before


def test_read_only_array_is_refused_by_name():
    x = np.ones(3)
    x.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        numerical_gradient(np.sum, x)


def test_float32_agrees_with_backprop_to_the_stated_tolerance():
    """The docstring's promise: on a float32 two-layer network, mean |difference| < 1e-4."""
    from bplib import TwoLayerNet

    rng = np.random.default_rng(0)
    x, t = rng.random((3, 784)).astype(np.float32), np.array([1, 2, 3])
    net = TwoLayerNet(784, 50, 10, dtype=np.float32, seed=1)
    exact = TwoLayerNet(784, 50, 10, seed=1).gradient(x.astype(np.float64), t)
    for key in ("b1", "W2", "b2"):
        grad = numerical_gradient(lambda W: net.loss(x, t), net.params[key])
        assert grad.dtype == np.float32
        assert np.mean(np.abs(grad - exact[key])) < 1e-4, key
    smooth = rng.standard_normal(20).astype(np.float32)
    grad = numerical_gradient(lambda v: np.sum(v**2), smooth)
    assert relative_error(grad, 2 * smooth) < 1e-3


def test_numerical_gradient_refuses_non_scalar_f():
    with pytest.raises(ValueError, match="one number"):
        numerical_gradient(lambda v: v * 2, np.ones(2))


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0, 0.0], [1.1, 0.0]) == pytest.approx(0.1 / 2.1)
    with pytest.raises(ValueError, match="shapes"):
        relative_error([1.0], [1.0, 2.0])


class WrongRelu(Layer):
    """A learner's mistake: the gradient should be masked, but is passed through."""

    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout


def test_check_layer_catches_a_wrong_backward(capsys):
    x = np.array([[1.0, -2.0], [3.0, -4.0]])
    result = check_layer(WrongRelu(), x)
    assert not result.passed
    assert "FAIL" in capsys.readouterr().out
    assert check_layer(Relu(), x, verbose=False).passed


def test_check_layer_reports_a_stub_not_yet_written(capsys):
    class Stub(Layer):
        def forward(self, x):
            return x

        def backward(self, dout):
            raise NotImplementedError("your code here")

    result = check_layer(Stub(), [1.0])
    assert not result.passed and "not written yet" in capsys.readouterr().out


def test_check_layer_leaves_float32_parameters_as_they_were():
    from bplib import Affine

    W = np.ones((2, 3), np.float32)
    layer = Affine(W, np.zeros(3, np.float32))
    assert check_layer(layer, np.ones((1, 2)), verbose=False).passed
    assert layer.W is W and layer.W.dtype == np.float32 and layer.b.dtype == np.float32
