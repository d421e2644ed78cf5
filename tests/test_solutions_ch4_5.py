"""The reference solutions of chapters 4 and 5 (Tanh, IdentityWithLoss) pass the gradient check."""

import numpy as np
import pytest

from bplib import SoftmaxWithLoss, check_layer
from bplib.chapters.solutions import IdentityWithLoss, Tanh

RNG = np.random.default_rng(45)


@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (2, 3, 5)])
def test_tanh_passes_gradient_check(shape):
    result = check_layer(Tanh(), RNG.standard_normal(shape) * 2, expect=np.tanh, verbose=False)
    assert result.passed, result.table()


def test_tanh_values_and_local_gradient():
    layer = Tanh()
    x = np.array([-1.0, 0.0, 2.0])
    y = layer.forward(x)
    assert np.allclose(y, np.tanh(x))
    assert np.allclose(layer.backward(np.ones(3)), 1 / np.cosh(x) ** 2)
    assert layer.backward(np.ones(3))[1] == 1.0  # the steepest point, slope 1


def test_tanh_leaves_dout_alone():
    layer, dout = Tanh(), np.array([1.0, 2.0])
    layer.forward(np.array([0.5, -0.5]))
    layer.backward(dout)
    assert dout.tolist() == [1.0, 2.0]


class _WrongTanh(Tanh):
    """Tanh with a backward a learner might write by mistake."""

    def __init__(self, backward):
        super().__init__()
        self._wrong = backward

    def backward(self, dout):
        return self._wrong(self, dout)


# the exercise's check, on the notebook's x: each of these answers must fail it
WRONG_TANH = {
    "sigmoid's rule copied": lambda layer, dout: dout * layer.out * (1.0 - layer.out),
    "1 - y without the square": lambda layer, dout: dout * (1.0 - layer.out),
    "the local derivative without dout": lambda layer, dout: 1.0 - layer.out**2,
    "writes into dout": lambda layer, dout: np.multiply(dout, 1.0 - layer.out**2, out=dout),
}


@pytest.mark.parametrize("name", list(WRONG_TANH))
def test_the_tanh_exercise_check_fails_a_wrong_backward(name):
    x = np.array([[0.5, -1.2, 2.0], [-0.3, 0.0, 1.1]])
    result = check_layer(_WrongTanh(WRONG_TANH[name]), x, expect=np.tanh, verbose=False)
    assert not result.passed, name


def test_the_tanh_exercise_check_fails_a_wrong_forward():
    class Sigmoidish(Tanh):
        def forward(self, x):
            self.out = 1 / (1 + np.exp(-x))
            return self.out

        def backward(self, dout):
            return dout * self.out * (1.0 - self.out)  # right for its own forward

    x = np.array([[0.5, -1.2, 2.0], [-0.3, 0.0, 1.1]])
    result = check_layer(Sigmoidish(), x, expect=np.tanh, verbose=False)
    assert not result.passed and result.errors["forward"] > 0.1


def _squared_error(x, t):
    """The loss the exercise asks for: Σ ½(x − t)² / N."""
    return 0.5 * np.sum((x - t) ** 2) / len(x)


@pytest.mark.parametrize("shape", [(1, 3), (4, 2), (5, 1)])
def test_identity_with_loss_passes_gradient_check(shape):
    x, t = RNG.standard_normal(shape), RNG.standard_normal(shape)
    result = check_layer(IdentityWithLoss(), x, targets=t, expect=_squared_error, verbose=False)
    assert result.passed, result.table()
    assert set(result.errors) == {"forward", "dx"}


def test_identity_with_loss_value_and_y_minus_t():
    layer = IdentityWithLoss()
    y, t = np.array([[0.3, 0.2, 0.5]]), np.array([[0.0, 1.0, 0.0]])
    assert layer.forward(y, t) == pytest.approx(0.5 * (0.09 + 0.64 + 0.25))
    assert np.allclose(layer.backward(), [[0.3, -0.8, 0.5]])
    assert np.allclose(layer.backward(2.0), [[0.6, -1.6, 1.0]])


def test_identity_and_softmax_losses_both_send_back_y_minus_t_over_n():
    logits, labels = RNG.standard_normal((4, 3)), np.array([0, 2, 1, 1])
    soft = SoftmaxWithLoss()
    soft.forward(logits, labels)
    t = np.eye(3)[labels]
    ident = IdentityWithLoss()
    ident.forward(soft.y, t)  # feed softmax's output as the identity output
    assert np.allclose(soft.backward(), ident.backward())
