"""The reference solutions of chapters 4 and 5 (Tanh; Affine, SoftmaxWithLoss, IdentityWithLoss) pass
the gradient check of their exercise, and the checks catch the usual mistakes."""

import ast
import inspect
import json
from pathlib import Path

import numpy as np
import pytest

from bplib import Affine, SoftmaxWithLoss, check_layer
from bplib.chapters import solutions
from bplib.chapters.solutions import IdentityWithLoss, Tanh

RNG = np.random.default_rng(45)
ROOT = Path(__file__).resolve().parent.parent


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


# --- chapter 5: the backward passes of Affine and Softmax-with-Loss ------------------------------
def _affine_forward(W, b):
    """The forward the Affine exercise asks for: bplib's Affine (rows flattened, x·W + b)."""
    return lambda x: Affine(W, b).forward(x)


@pytest.mark.parametrize("shape", [(1, 3), (4, 3), (3, 1, 3), (2, 3, 1)])
def test_affine_solution_passes_the_exercise_check(shape):
    x = RNG.standard_normal(shape)
    W, b = RNG.standard_normal((3, 2)), RNG.standard_normal(2)
    result = check_layer(solutions.Affine(W, b), x, expect=_affine_forward(W, b), verbose=False)
    assert result.passed, result.table()
    assert set(result.errors) == {"forward", "dx", "dW", "db"}


def test_affine_solution_matches_bplibs_layer():
    x, dout = RNG.standard_normal((5, 2, 2)), RNG.standard_normal((5, 3))
    W, b = RNG.standard_normal((4, 3)), RNG.standard_normal(3)
    ours, theirs = solutions.Affine(W, b), Affine(W, b)
    assert np.allclose(ours.forward(x), theirs.forward(x))
    assert np.allclose(ours.backward(dout), theirs.backward(dout))
    assert np.allclose(ours.dW, theirs.dW) and np.allclose(ours.db, theirs.db)


def test_softmax_with_loss_solution_passes_the_exercise_check():
    logits, onehot = RNG.standard_normal((4, 3)) * 2, np.eye(3)[[0, 2, 1, 2]]
    expect = lambda x, t: SoftmaxWithLoss().forward(x, t)  # noqa: E731
    result = check_layer(solutions.SoftmaxWithLoss(), logits, targets=onehot, expect=expect, verbose=False)
    assert result.passed, result.table()
    layer = solutions.SoftmaxWithLoss()
    layer.forward(logits, onehot)
    assert np.allclose(layer.backward(2.0), 2.0 * (layer.y - onehot) / 4)


class _Wrong:
    """The mistakes a learner makes in the chapter 5 exercises, each on top of the stub's forward."""

    class AffineBiasNotSummed(solutions.Affine):
        def backward(self, dout):
            self.dW, self.db = self.x.T @ dout, dout
            return (dout @ self.W.T).reshape(self.x_shape)

    class AffineNotReshaped(solutions.Affine):
        def backward(self, dout):
            self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
            return dout @ self.W.T

    class AffineWithoutTranspose(solutions.Affine):
        def backward(self, dout):
            self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
            return (dout @ self.W).reshape(self.x_shape)  # fits a square W, and is wrong

    class SoftmaxNotAveraged(solutions.SoftmaxWithLoss):
        def backward(self, dout=1.0):
            return dout * (self.y - self.t)


@pytest.mark.parametrize(
    "layer,problem",
    [
        (_Wrong.AffineBiasNotSummed, "a missing sum over the batch"),
        (_Wrong.AffineNotReshaped, "dx has shape (3, 4), but x has shape (3, 2, 2)"),
        (_Wrong.AffineWithoutTranspose, "dx differs from the numerical gradient"),
    ],
)
def test_the_affine_exercise_check_catches_the_usual_mistakes(layer, problem):
    x, W, b = RNG.standard_normal((3, 2, 2)), RNG.standard_normal((4, 4)), RNG.standard_normal(4)
    result = check_layer(layer(W, b), x, expect=_affine_forward(W, b), verbose=False)
    assert not result.passed and any(problem in p for p in result.problems), result.table()


def test_the_softmax_exercise_check_catches_a_missing_one_over_n():
    logits, onehot = RNG.standard_normal((4, 3)), np.eye(3)[[1, 0, 2, 2]]
    expect = lambda x, t: SoftmaxWithLoss().forward(x, t)  # noqa: E731
    result = check_layer(_Wrong.SoftmaxNotAveraged(), logits, targets=onehot, expect=expect, verbose=False)
    assert not result.passed and "dx differs from the numerical gradient" in result.problems[0]


def _methods(source, name):
    """{method: its code without comments or docstrings} of class ``name`` in ``source``."""
    cls = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ClassDef) and n.name == name)
    methods = {}
    for f in cls.body:
        if isinstance(f, ast.FunctionDef):
            body = [s for s in f.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            methods[f.name] = [ast.dump(s) for s in body]
    return methods


@pytest.mark.parametrize(
    "stub,solution",
    [
        ("MyAffine", solutions.Affine),
        ("MySoftmaxWithLoss", solutions.SoftmaxWithLoss),
        ("IdentityWithLoss", solutions.IdentityWithLoss),
    ],
)
def test_each_chapter_5_solution_is_its_stub_with_backward_written(stub, solution):
    """The reference solution has what the notebook's stub has and nothing more: only backward differs."""
    cells = json.loads((ROOT / "notebooks" / "05_affine_softmax.ipynb").read_text(encoding="utf-8"))["cells"]
    code = next("".join(c["source"]) for c in cells if f"class {stub}(" in "".join(c["source"]))
    given = _methods(code.replace("bplib.softmax", "softmax"), stub)  # the solution imports softmax itself
    written = _methods(inspect.getsource(solution), solution.__name__)
    assert given.keys() == written.keys() == {"__init__", "forward", "backward"}
    assert given["__init__"] == written["__init__"] and given["forward"] == written["forward"]
    assert "NotImplementedError" in "".join(given["backward"])
