"""numerical_gradient, relative_error and check_layer."""

import numpy as np
import pytest

from bplib import Layer, Relu, check_layer, numerical_gradient, relative_error


def test_pitfall5_integer_array_gives_right_gradient_and_is_unchanged():
    x = np.array([1, 2])
    grad = numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_allclose(grad, [2.0, 4.0], rtol=1e-9)
    assert x.tolist() == [1, 2] and x.dtype.kind == "i"


def test_pitfall5_caller_array_is_never_changed_while_f_runs():
    x = np.array([3.0, 4.0])
    seen = []

    def f(v):
        seen.append(x.copy())  # what the caller's array holds during the computation
        return float(np.sum(v**2))

    numerical_gradient(f, x)
    assert all(s.tolist() == [3.0, 4.0] for s in seen)


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
