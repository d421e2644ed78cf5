"""Gradient checks: numerical derivatives, and a relative-error check for any layer."""

from dataclasses import dataclass

import numpy as np

from .words import pad, say

#: Default tolerance of ``check_layer``: float64 backprop should agree this closely.
TOLERANCE = 1e-7


def numerical_gradient(f, x, h=None):
    """Central-difference gradient of a scalar function f at x; an array of x's shape.

    As in the book, x itself is nudged one element at a time, so both kinds of f work:
    a pure ``f(v)`` that reads its argument, and the book's ``lambda W: net.loss(x, t)``
    that ignores it and sees the parameter array change inside the layers. Each element
    is put back exactly, also when f raises, so the caller's array ends bit for bit as it
    was. Costs two calls of f per element of x.

    x: a float ndarray, or numbers / a list, which are read into a new float64 array.
    An integer ndarray cannot hold x + h and is refused with a ValueError.
    h: the step; by default the book's 1e-4 for float64. float32 rounds f itself to about
    1e-7 relative, which a step of 1e-4 would turn into errors near 1e-3, so float32 (and
    float16) take 1e-3 and the nearest representable steps: on a float32 two-layer
    network that agrees with backprop to a mean absolute difference below 1e-4 (tested).
    Check gradients in float64 when you want the book's 1e-10.
    """
    if not isinstance(x, np.ndarray):
        x = np.array(x, dtype=np.float64)  # numbers or a list: there is no caller's array to nudge
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(
            f"numerical_gradient: x has dtype {x.dtype}, which cannot hold x + h; "
            "pass a float array, e.g. x.astype(np.float64)"
        )
    if not x.flags.writeable:
        raise ValueError("numerical_gradient: x is read-only, so it cannot be nudged; pass x.copy()")
    if h is None:
        h = 1e-4 if np.finfo(x.dtype).bits >= 64 else 1e-3
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]  # a NumPy scalar: a copy of the element, restored exactly below
        try:
            x[i] = saved + h
            upper, step_up = _scalar(f(x)), float(x[i]) - float(saved)
            x[i] = saved - h
            lower, step_down = _scalar(f(x)), float(saved) - float(x[i])
        finally:
            x[i] = saved
        grad[i] = (upper - lower) / (step_up + step_down)  # 2h, or float32's nearest steps
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
            return say("FAIL: not written yet: {why}", why=self.note)
        tolerance = say("(tolerance {tol})", tol=f"{self.tol:.0e}")
        head = pad(say("gradient"), 10) + " " + pad(say("relative error"), 14, ">") + "  "
        rows = [head + pad(say("result"), 6) + "   " + tolerance]
        for name, err in self.errors.items():
            shown = say("input {k}", k=name[6:]) if name.startswith("input ") else name
            rows.append(pad(shown, 10) + f" {err:>14.1e}  " + say("PASS" if err <= self.tol else "FAIL"))
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
        result = CheckResult({}, tol, note=str(missing))
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
