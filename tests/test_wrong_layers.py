"""check_layer bites: a set of wrong layers, each a mistake a learner makes, is caught and named;
every correct layer of bplib passes.

The inputs keep each mistake visible: x differs from y everywhere, y stays away from 0, no
input sits at ReLU's kink, and a batch has more than one row (so a missing 1/N shows).
"""

import numpy as np
import pytest

from bplib import AddLayer, Affine, Layer, MulLayer, Relu, Sigmoid, SoftmaxWithLoss, check_layer
from bplib.chapters import book_layers, solutions
from bplib.viz import nodes

RNG = np.random.default_rng(2024)
X = RNG.uniform(-2.0, 2.0, (3, 4))
X[np.abs(X) < 0.2] = 0.7  # no input near ReLU's kink
Y = RNG.uniform(0.5, 2.0, (3, 4))  # never 0: a divisor
W, B = RNG.standard_normal((4, 2)), RNG.standard_normal(2)
LOGITS, LABELS = RNG.standard_normal((3, 4)) * 2, np.array([0, 3, 1])
T = RNG.standard_normal((3, 4))  # a regression target


def divide(x, y):
    return x / y


# --- the wrong layers -------------------------------------------------------------------


class SubOnlyDx(Layer):
    """A subtraction whose backward returns only dout: dy is missing."""

    def forward(self, x, y):
        return x - y

    def backward(self, dout):
        return dout


class SubNone(solutions.SubLayer):
    def backward(self, dout):
        return dout, None


class SubWrongSign(solutions.SubLayer):
    def backward(self, dout):
        return dout, dout


class DivOnlyDx(solutions.DivLayer):
    """The issue's division: backward returns only dout / y, the −x/y² term is dropped."""

    def backward(self, dout):
        return dout / self.y


class DivMissingFactor(solutions.DivLayer):
    """dy = -dout / y²: the x of −x/y² is missing."""

    def backward(self, dout):
        return dout / self.y, -dout / (self.y * self.y)


class MulSwapped(MulLayer):
    """Returns (dy, dx) instead of (dx, dy)."""

    def backward(self, dout):
        dx, dy = super().backward(dout)
        return dy, dx


class DivThatMultiplies(Layer):
    """A "division" that multiplies, with a backward that matches its forward."""

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class CubeTwice(solutions.CubeLayer):
    """One input, two gradients."""

    def backward(self, dout):
        dx = super().backward(dout)
        return dx, dx


class AffineNoBatchSum(book_layers.Affine):
    """db = dout, of shape (N, M): the sum over the batch is missing."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout
        return dx


class AffineNoDb(Layer):
    """Computes dx and dW but never db."""

    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        return dout @ self.W.T


class SoftmaxNoOneOverN(SoftmaxWithLoss):
    """Sends back y − t, forgetting to divide by the batch size N."""

    def backward(self, dout=1.0):
        return dout * (self.y - self.t)


class IdentityNoOneOverN(solutions.IdentityWithLoss):
    def backward(self, dout=1.0):
        return dout * (self.y - self.t)


class ReluWritesIntoX(Layer):
    """forward zeroes the negative inputs in place: the caller's x is changed."""

    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x

    def backward(self, dout):
        return np.where(self.mask, 0, dout)


class TanhTypo(Layer):
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.y**2)  # self.y: no such attribute


WRONG = [
    # (layer, inputs, check_layer keywords, words of the problem that names the mistake)
    (SubOnlyDx(), (X, Y), {}, "no gradient for y: it must return one per input, (dx, dy)"),
    (SubNone(), (X, Y), {}, "returned None as the gradient of y"),
    (SubWrongSign(), (X, Y), {}, "dy differs from the numerical gradient"),
    (DivOnlyDx(), (X, Y), {"expect": divide}, "no gradient for y"),
    (DivMissingFactor(), (X, Y), {"expect": divide}, "dy differs from the numerical gradient"),
    (MulSwapped(), (X, Y), {}, "dx differs from the numerical gradient"),
    (DivThatMultiplies(), (X, Y), {"expect": divide}, "forward computes something else"),
    (CubeTwice(), (X,), {}, "returned 2 gradients, more than forward's inputs (x): it must return dx"),
    (AffineNoBatchSum(W, B), (X,), {}, "db has shape (3, 2), but b has shape (2,)"),
    (AffineNoDb(W, B), (X,), {}, "no db on the layer after backward"),
    (SoftmaxNoOneOverN(), (LOGITS, LABELS), {}, "dx differs from the numerical gradient"),
    (IdentityNoOneOverN(), (X,), {"targets": T}, "dx differs from the numerical gradient"),
    (book_layers.Relu(), (X,), {}, "backward wrote into dout"),
    (ReluWritesIntoX(), (X,), {}, "forward changed its input x"),
    (TanhTypo(), (X,), {}, "backward raised AttributeError: 'TanhTypo' object has no attribute 'y'"),
]


@pytest.mark.parametrize(("layer", "inputs", "kwargs", "problem"), WRONG, ids=lambda v: type(v).__name__)
def test_each_wrong_layer_fails_with_its_mistake_named(layer, inputs, kwargs, problem, capsys):
    copies = [x.copy() for x in inputs]
    result = check_layer(layer, *inputs, **kwargs)
    assert not result.passed
    assert any(problem in p for p in result.problems), result.problems
    out = capsys.readouterr().out
    assert out.startswith(f"check_layer({type(layer).__name__})\n")
    assert any(line.startswith("FAIL: ") and problem in line for line in out.splitlines())
    assert "Traceback" not in out
    for x, c in zip(inputs, copies, strict=True):  # the caller's arrays: checked on copies
        np.testing.assert_array_equal(x, c)


def test_the_multiplying_division_passes_without_expect_so_exercises_pass_expect():
    assert check_layer(DivThatMultiplies(), X, Y, verbose=False).passed
    assert not check_layer(DivThatMultiplies(), X, Y, expect=divide, verbose=False).passed


def test_swapped_gradients_of_different_shapes_are_caught_by_shape():
    result = check_layer(MulSwapped(), X, Y[0], verbose=False)
    assert not result.passed
    assert "dx has shape (4,), but x has shape (3, 4): a gradient has its input's shape" in result.problems[0]


def test_a_float_target_among_the_inputs_gets_a_hint_towards_targets():
    result = check_layer(solutions.IdentityWithLoss(), X, T, verbose=False)
    assert not result.passed
    assert result.problems == [
        "backward returned no gradient for t: it must return one per input, (dx, dt)",
        "a constant input (a target) goes in check_layer's targets=, not among the inputs",
    ]
    assert check_layer(solutions.IdentityWithLoss(), X, targets=T, verbose=False).passed


def test_a_stale_parameter_gradient_does_not_stand_in_for_a_missing_one():
    layer = AffineNoDb(W, B)
    layer.db = np.zeros(2)  # left over from somewhere else
    result = check_layer(layer, X, verbose=False)
    assert not result.passed and any("no db" in p for p in result.problems)


def test_integer_inputs_alone_leave_nothing_to_check():
    result = check_layer(MulLayer(), 100, 2, verbose=False)
    assert not result.passed and result.problems[0].startswith("nothing to check")


# --- the correct layers -------------------------------------------------------------------

CORRECT = [
    (MulLayer(), (X, Y), {"expect": np.multiply}),
    (MulLayer(), (X, Y[0]), {"expect": np.multiply}),  # broadcast: dy sums over the rows
    (AddLayer(), (X, Y), {"expect": np.add}),
    (AddLayer(), (X, 2.5), {}),
    (Relu(), (X,), {"expect": lambda x: np.maximum(x, 0)}),
    (Sigmoid(), (X,), {"expect": lambda x: 1 / (1 + np.exp(-x))}),
    (Affine(W, B), (X,), {"expect": lambda x: x @ W + B}),
    (Affine(RNG.standard_normal((8, 3)), B[:1].repeat(3)), (RNG.standard_normal((2, 2, 2, 2)),), {}),
    (SoftmaxWithLoss(), (LOGITS, LABELS), {}),
    (SoftmaxWithLoss(), (LOGITS,), {"targets": np.eye(4)[LABELS]}),
    (SoftmaxWithLoss(), (LOGITS,), {"targets": np.full((3, 4), 0.25)}),  # probability rows
    (nodes.SquareLayer(), (X,), {"expect": np.square}),
    (nodes.ExpLayer(), (X,), {"expect": np.exp}),
    (nodes.ReciprocalLayer(), (Y,), {"expect": lambda y: 1 / y}),
    (nodes.LogLayer(), (Y,), {"expect": np.log}),
    (nodes.ScaleLayer(-1.5), (X,), {"expect": lambda x: -1.5 * x}),
    (nodes.ShiftLayer(1), (X,), {"expect": lambda x: x + 1}),
    (nodes.SumLayer(), (X, Y, 2 * X), {"expect": lambda a, b, c: a + b + c}),
    (nodes.DotLayer(), (X, W), {"expect": np.dot}),
    (solutions.SubLayer(), (X, Y), {"expect": np.subtract}),
    (solutions.CubeLayer(), (X,), {"expect": lambda x: x**3}),
    (solutions.DivLayer(), (X, Y), {"expect": divide}),
    (solutions.Tanh(), (X,), {"expect": np.tanh}),
    (
        solutions.IdentityWithLoss(),
        (X,),
        {"targets": T, "expect": lambda x, t: 0.5 * np.sum((x - t) ** 2) / 3},
    ),
]


@pytest.mark.parametrize(("layer", "inputs", "kwargs"), CORRECT, ids=lambda v: type(v).__name__)
def test_every_correct_layer_passes(layer, inputs, kwargs):
    result = check_layer(layer, *inputs, verbose=False, **kwargs)
    assert result.passed, result.table()
    assert ("forward" in result.errors) == ("expect" in kwargs)
