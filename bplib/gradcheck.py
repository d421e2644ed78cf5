"""Gradient checks: numerical derivatives, and a relative-error check for any layer."""

from dataclasses import dataclass

import numpy as np

#: Default tolerance of ``check_layer``: float64 backprop should agree this closely.
TOLERANCE = 1e-7


def numerical_gradient(f, x, h=1e-4):
    """Central-difference gradient of a scalar function f at x, in float64.

    f is called with a perturbed float64 *copy* of x, so the caller's array is never
    changed, and an integer x works ([1, 2] for sum(x**2) gives [2, 4]).
    Returns an array of x's shape. Costs two calls of f per element of x.
    """
    x = np.array(x, dtype=np.float64)  # a copy: the caller's array is left alone
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        upper = _scalar(f(x))
        x[i] = saved - h
        lower = _scalar(f(x))
        x[i] = saved
        grad[i] = (upper - lower) / (2 * h)
    return grad


def _scalar(value):
    if np.size(value) != 1:
        raise ValueError(f"numerical_gradient: f must return one number, got shape {np.shape(value)}")
    return float(np.asarray(value).reshape(()))


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|): 0 means equal; about 1e-16 is float64's limit."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: shapes {a.shape} and {b.shape} differ")
    scale = max(float(np.max(np.abs(a) + np.abs(b), initial=0.0)), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(a - b), initial=0.0)) / scale


@dataclass
class CheckResult:
    """Relative error per checked name (inputs, then parameters), and the tolerance."""

    errors: dict
    tol: float
    note: str = ""

    @property
    def passed(self):
        return bool(self.errors) and all(e <= self.tol for e in self.errors.values())

    def table(self):
        if self.note:
            return f"FAIL: {self.note}"
        rows = [f"{'gradient':<10} {'relative error':>14}  result   (tolerance {self.tol:.0e})"]
        for name, err in self.errors.items():
            rows.append(f"{name:<10} {err:>14.1e}  {'PASS' if err <= self.tol else 'FAIL'}")
        return "\n".join(rows)


def check_layer(layer, *inputs, tol=TOLERANCE, h=1e-5, seed=0, verbose=True):
    """Compare ``layer.backward`` with numerical gradients, in float64.

    The loss checked is L = sum(forward(*inputs) * dout) for a seeded random dout
    (loss layers, whose forward returns one number, are used as they are).
    Gradients are checked for the inputs backward returns, in order (later inputs,
    such as labels, are constants), and for each array parameter ``P`` with a
    gradient ``dP`` on the layer (``W``/``dW``, ``b``/``db``, ...).
    Prints a table when ``verbose``; returns a ``CheckResult`` (``.passed``).
    """
    saved = {k: v for k, v in vars(layer).items() if isinstance(v, np.ndarray) and _is_float(v)}
    for name, value in saved.items():  # run the layer's own arrays (W, b, ...) in float64 too
        setattr(layer, name, value.astype(np.float64))
    try:
        result = CheckResult(_errors(layer, [_float64(v) for v in inputs], h, seed), tol)
    except NotImplementedError as missing:  # an exercise stub the learner has not written yet
        result = CheckResult({}, tol, note=f"not written yet: {missing}")
    finally:
        vars(layer).update(saved)
    if verbose:
        print(f"check_layer({type(layer).__name__})")
        print(result.table())
    return result


def _errors(layer, inputs, h, seed):
    out = layer.forward(*inputs)
    dout = 1.0 if np.ndim(out) == 0 else np.random.default_rng(seed).standard_normal(np.shape(out))
    grads = layer.backward(dout)
    grads = list(grads) if isinstance(grads, (tuple, list)) else [grads]
    params = _param_grads(layer)

    def loss(*args):
        return float(np.sum(np.asarray(layer.forward(*args), dtype=np.float64) * dout))

    errors = {}
    for k, g in enumerate(grads):
        if g is not None:
            f = lambda v, k=k: loss(*inputs[:k], v, *inputs[k + 1 :])  # noqa: E731
            errors[f"input {k}"] = relative_error(g, numerical_gradient(f, inputs[k], h))
    for name, g in params:
        original = getattr(layer, name)

        def f(v, name=name):
            setattr(layer, name, v)
            return loss(*inputs)

        try:
            errors[name] = relative_error(g, numerical_gradient(f, original, h))
        finally:
            setattr(layer, name, original)
    return errors


def _float64(v):
    return np.array(v, dtype=np.float64) if _is_float(v) else v


def _is_float(v):
    return np.issubdtype(np.asarray(v).dtype, np.floating)


def _param_grads(layer):
    """(name, gradient) for every array attribute P that has a matching dP."""
    found = []
    for name, value in vars(layer).items():
        grad = getattr(layer, "d" + name, None)
        if isinstance(value, np.ndarray) and isinstance(grad, np.ndarray) and grad.shape == value.shape:
            found.append((name, np.array(grad)))
    return found
