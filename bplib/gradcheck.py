"""Gradient checks: numerical derivatives; ``check_layer``, a layer's forward and backward checked;
``check_op``, the same for an operation of ``bplib.autograd``."""

import inspect
from dataclasses import dataclass, field

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
            say(
                "numerical_gradient: x has dtype {dtype}, which cannot hold x + h; "
                "pass a float array, e.g. x.astype(np.float64)",
                dtype=x.dtype,
            )
        )
    if not x.flags.writeable:
        raise ValueError(say("numerical_gradient: x is read-only, so it cannot be nudged; pass x.copy()"))
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
        raise ValueError(
            say("numerical_gradient: f must return one number, got shape {shape}", shape=np.shape(value))
        )
    return float(np.asarray(value).reshape(()))


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|): 0 means equal; about 1e-16 is float64's limit."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(say("relative_error: shapes {a} and {b} differ", a=a.shape, b=b.shape))
    scale = max(float(np.max(np.abs(a) + np.abs(b), initial=0.0)), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(a - b), initial=0.0)) / scale


@dataclass
class CheckResult:
    """What ``check_layer`` found.

    rows: (what, relative error) in the order checked: "forward" (with ``expect``), then
        the gradient of each float input (dx, dy, ...), then of each parameter (dW, db, ...);
        the error is None where no comparison was possible (a gradient missing or misshapen).
    problems: every reason the check fails, one sentence each, in the language in use.
    note: the message of a ``NotImplementedError``: the layer is a stub not written yet.
    """

    layer: str
    tol: float
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    note: str = ""

    @property
    def errors(self):
        """{what: relative error} for every comparison made."""
        return {name: err for name, err in self.rows if err is not None}

    @property
    def passed(self):
        checked = [err for _, err in self.rows]
        return bool(checked) and not self.note and not self.problems and None not in checked

    def table(self):
        """The printout: a row per comparison, then one line per problem."""
        if self.note:
            return say("FAIL: not written yet: {why}", why=self.note)
        lines = []
        if self.rows:
            head = pad(say("checked"), 10) + " " + pad(say("relative error"), 14, ">") + "  "
            lines.append(
                head + pad(say("result"), 6) + "   " + say("(tolerance {tol})", tol=f"{self.tol:.0e}")
            )
            for name, err in self.rows:
                number = f"{err:>14.1e}" if err is not None else pad("-", 14, ">")
                ok = err is not None and err <= self.tol
                lines.append(pad(name, 10) + f" {number}  " + say("PASS" if ok else "FAIL"))
        lines += [say("FAIL: {problem}", problem=problem) for problem in self.problems]
        return "\n".join(lines)


def check_layer(layer, *inputs, expect=None, targets=None, tol=TOLERANCE, h=1e-5, seed=0, verbose=True):
    """Check a layer the way an exercise needs: its forward, its gradients, and its manners.

    inputs: forward's arguments. Each float input must get a gradient from ``backward``, in
        order and of the input's shape (integer inputs, such as class labels, are constants).
    targets: constant float arguments passed after the inputs, with no gradient expected
        (a regression target, one-hot rows); one array, or a tuple of several.
    expect: the function the exercise asks for: ``forward(*inputs, *targets)`` must equal
        ``expect(*inputs, *targets)`` within ``tol`` (relative error).
    Parameters: every float array the layer holds before forward and forward leaves in place
    (``W``, ``b``, ...) must have its gradient (``dW``, ``db``) on the layer after backward.

    The loss checked is L = sum(forward(...) * dout) for a seeded random dout (dout = 1.0
    for a layer whose forward returns one number, a loss layer); each gradient is compared
    with central differences of step ``h``, in float64. backward must not write into dout,
    and neither forward nor backward into the inputs. Never raises for the layer's own
    errors: a ``NotImplementedError`` reports "not written yet", any other error a FAIL
    naming it. Prints a table unless ``verbose`` is False; returns a ``CheckResult``.
    """
    constants = () if targets is None else targets if isinstance(targets, tuple) else (targets,)
    result = CheckResult(type(layer).__name__, tol)
    saved = {k: v for k, v in vars(layer).items() if isinstance(v, np.ndarray) and _is_float(v)}
    for name, value in saved.items():  # run the layer's own arrays (W, b, ...) in float64 too
        setattr(layer, name, value.astype(np.float64))
    args = [_own(v) for v in inputs], [_own(v) for v in constants]
    try:
        _run(result, lambda: _check(layer, result, *args, expect, h, seed))
    finally:
        vars(layer).update(saved)
    return _show(result, "check_layer", verbose)


def _run(result, check):
    """Run a check, noting a stub not written yet, or an error the learner's code raised, in one line."""
    try:
        check()
    except NotImplementedError as missing:  # an exercise stub the learner has not written yet
        result.note = str(missing) or "NotImplementedError"
    except _LayerRaised as broke:
        error = broke.error
        where, kind = broke.where, type(error).__name__
        result.problems.append(
            say("{where} raised {error}: {message}", where=where, error=kind, message=error)
        )


def _show(result, check, verbose):
    if verbose:
        print(f"{check}({result.layer})")
        print(result.table())
    return result


def check_op(op, *inputs, expect=None, tol=TOLERANCE, h=1e-5, seed=0, verbose=True):
    """Check an autograd operation (chapter 7) as ``check_layer`` checks a layer: output and gradients.

    op: a function of Tensors returning a Tensor, e.g. ``tanh``. inputs: its arguments; each float
    one (an array or a number) becomes a new float64 Tensor whose gradient is checked; integers
    (labels) and Tensors with requires_grad=False stay constants. expect: the function the exercise
    asks for, on arrays (e.g. ``np.tanh``): the output must equal ``expect(*inputs)``.
    The loss checked is L = sum(op(*inputs) · dout) for a seeded random dout of the output's shape;
    each gradient is compared with central differences of step ``h``. The op's ``grad_fn`` must
    not write into the dout it is given. A ``NotImplementedError`` reports "not written yet", any
    other error a FAIL naming it. Prints a table unless ``verbose`` is False; returns a ``CheckResult``.
    """
    from .autograd import Tensor

    def own(v):  # the check's own float64 copy of a float input; constants as they are
        if isinstance(v, Tensor):
            return Tensor(v.data.astype(np.float64), v.requires_grad) if _is_float(v.data) else v
        return Tensor(np.asarray(v, dtype=np.float64)) if _is_float(v) else v

    args = [own(v) for v in inputs]
    result = CheckResult(getattr(op, "__name__", type(op).__name__), tol)
    _run(result, lambda: _check_op(op, args, expect, h, seed, result))
    return _show(result, "check_op", verbose)


def _check_op(op, args, expect, h, seed, result):
    """Fill ``result`` with the rows and problems of one ``check_op``."""
    from .autograd import Tensor, no_grad

    names = _parameter_names(op, len(args))
    out = _call("forward", op, *args)
    if not isinstance(out, Tensor):
        result.problems.append(say("the operation returned {kind}, not a Tensor", kind=type(out).__name__))
        return
    if expect is not None:
        wanted = expect(*[a.data.copy() if isinstance(a, Tensor) else a for a in args])
        result.rows.append((say("forward"), _compare_forward(out.data, wanted, result)))
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    if out.grad_fn is not None:  # called once on its own, to see whether it writes into dout
        given = dout.copy()
        _call("backward", out.grad_fn, given, *out.saved)
        if not np.array_equal(given, dout):
            result.problems.append(
                say("grad_fn wrote into dout; it must leave the gradient it is given as it was")
            )
    _call("backward", out.backward, dout)
    for k, a in enumerate(args):
        if not (isinstance(a, Tensor) and a.requires_grad):
            continue

        def loss(v, k=k):
            with no_grad():
                return float(np.sum(op(*args[:k], Tensor(v, copy=False), *args[k + 1 :]).data * dout))

        if a.grad is None:
            result.problems.append(
                say("no gradient reached {name}: does grad_fn return one for every input?", name=names[k])
            )
        grad = None if a.grad is None else _compare(a.grad, names[k], a.data.copy(), loss, h, result)
        result.rows.append((_grad_name(names[k]), grad))


class _LayerRaised(Exception):
    """The layer's forward or backward raised ``error`` (reported, not re-raised, by check_layer)."""

    def __init__(self, where, error):
        super().__init__(where)
        self.where, self.error = where, error


def _call(where, method, *args):
    try:
        return method(*args)
    except NotImplementedError:
        raise
    except Exception as error:  # the learner's bug: reported in one line, not a traceback
        raise _LayerRaised(where, error) from error


def _check(layer, result, inputs, constants, expect, h, seed):
    """Fill ``result`` with the rows and problems of one check (see ``check_layer``)."""
    args = inputs + constants
    problems, names = result.problems, _input_names(layer, len(args))  # names of inputs, then targets
    floats = [k for k, v in enumerate(inputs) if _is_float(v)]
    kept = {k: v for k, v in vars(layer).items() if isinstance(v, np.ndarray) and _is_float(v)}
    pristine = [a.copy() for a in args]

    out = _call("forward", layer.forward, *args)
    _same_inputs(args, pristine, names, "forward", problems)
    if out is None:
        problems.append(say("forward returned None; it must return the output"))
        return
    if expect is not None:
        result.rows.append((say("forward"), _compare_forward(out, expect(*_copies(pristine)), result)))
    params = [
        p for p, v in kept.items() if getattr(layer, p, None) is v and not (p[:1] == "d" and p[1:] in kept)
    ]

    dout = 1.0 if np.ndim(out) == 0 else np.random.default_rng(seed).standard_normal(np.shape(out))
    dout_before = np.copy(dout)
    for p in params:  # a dW left by an earlier backward must not stand in for this one's
        if getattr(layer, "d" + p, None) is not None:
            setattr(layer, "d" + p, None)
    grads = _call("backward", layer.backward, dout)
    if not np.array_equal(dout, dout_before):
        problems.append(say("backward wrote into dout; it must leave the gradient it is given as it was"))
    _same_inputs(args, pristine, names, "backward", problems)
    grads = list(grads) if isinstance(grads, (tuple, list)) else [grads]
    _count_gradients(grads, names, len(inputs), floats, np.ndim(out) == 0, problems)

    def loss(*values):
        return float(np.sum(np.asarray(_call("forward", layer.forward, *values), dtype=np.float64) * dout))

    for k in floats:
        grad = grads[k] if k < len(grads) else None
        work = _copies(pristine)
        f = lambda v, k=k, work=work: loss(*work[:k], v, *work[k + 1 :])  # noqa: E731
        result.rows.append((_grad_name(names[k]), _compare(grad, names[k], work[k], f, h, result)))
    for p in params:
        original = getattr(layer, p)

        def f(v, p=p):
            setattr(layer, p, v)
            return loss(*_copies(pristine))

        grad = getattr(layer, "d" + p, None)
        if grad is None:
            problems.append(
                say(
                    "no d{p} on the layer after backward: {p} is a parameter, so backward must keep d{p}", p=p
                )
            )
        try:
            result.rows.append(("d" + p, None if grad is None else _compare(grad, p, original, f, h, result)))
        finally:
            setattr(layer, p, original)
    if not result.rows:
        problems.append(
            say(
                "nothing to check: forward has no float input and the layer no parameter "
                "(integer inputs are constants; pass floats, e.g. x.astype(float))"
            )
        )


def _count_gradients(grads, names, n_inputs, floats, scalar_out, problems):
    """One gradient per input, in order, none of them None for a float input (targets may get one)."""
    inputs = names[:n_inputs]
    wanted = "(" + ", ".join(_grad_name(n) for n in inputs) + ")" if n_inputs != 1 else _grad_name(inputs[0])
    if len(grads) > len(names):
        problems.append(
            say(
                "backward returned {got} gradients, more than forward's inputs ({names}): "
                "it must return {wanted}",
                got=len(grads),
                names=", ".join(names),
                wanted=wanted,
            )
        )
    elif floats and len(grads) <= floats[-1]:
        missing = ", ".join(names[k] for k in floats if k >= len(grads))
        problems.append(
            say(
                "backward returned no gradient for {missing}: it must return one per input, {wanted}",
                missing=missing,
                wanted=wanted,
            )
        )
        if scalar_out:
            problems.append(
                say("a constant input (a target) goes in check_layer's targets=, not among the inputs")
            )
    for k in floats:
        if k < len(grads) and grads[k] is None:
            problems.append(say("backward returned None as the gradient of {name}", name=names[k]))


def _compare_forward(out, wanted, result):
    """Relative error of forward's output against the exercise's function (None: shapes differ)."""
    if np.shape(out) != np.shape(wanted):
        result.problems.append(
            say(
                "forward returned shape {got}, but the exercise asks for shape {shape}",
                got=np.shape(out),
                shape=np.shape(wanted),
            )
        )
        return None
    err = relative_error(out, wanted)
    if err > result.tol:
        result.problems.append(
            say(
                "forward computes something else than the exercise asks for (relative error {err:.1e})",
                err=err,
            )
        )
    return err


def _compare(grad, name, value, f, h, result):
    """Relative error of ``grad`` against the numerical gradient of f at ``value``
    (None, with a problem noted, when grad is missing, not numbers, or of the wrong shape)."""
    if grad is None:
        return None
    try:
        grad = np.asarray(grad, dtype=np.float64)
    except (TypeError, ValueError):
        result.problems.append(
            say(
                "the gradient of {name} is not an array of numbers: {kind}",
                name=name,
                kind=type(grad).__name__,
            )
        )
        return None
    if grad.shape != np.shape(value):
        batch = grad.ndim > np.ndim(value)  # more axes than the input: a sum over the batch is missing
        result.problems.append(
            say(
                "{grad} has shape {got}, but {name} has shape {shape}: a gradient has its input's shape "
                "(a missing sum over the batch?)"
                if batch
                else "{grad} has shape {got}, but {name} has shape {shape}: a gradient has its input's shape",
                grad=_grad_name(name),
                got=grad.shape,
                name=name,
                shape=np.shape(value),
            )
        )
        return None
    err = relative_error(grad, numerical_gradient(f, value, h))
    if err > result.tol:
        result.problems.append(
            say(
                "{grad} differs from the numerical gradient (relative error {err:.1e})",
                grad=_grad_name(name),
                err=err,
            )
        )
    return err


def _same_inputs(args, pristine, names, where, problems):
    for k, (a, p) in enumerate(zip(args, pristine, strict=True)):
        if a.shape != p.shape or a.tobytes() != p.tobytes():
            problems.append(
                say(
                    "{where} changed its input {name}; a layer must not write into its inputs",
                    where=where,
                    name=names[k],
                )
            )
            a.shape = p.shape  # put it back, so the rest of the check sees the caller's values
            a[...] = p


def _input_names(layer, count):
    """The names of forward's first ``count`` parameters (x, y, ...); "input k" for ``*args``."""
    return _parameter_names(layer.forward, count)


def _parameter_names(function, count):
    """The names of a function's first ``count`` parameters; "input k" for ``*args``."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    names = []
    for p in parameters:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            names.append(p.name)
        elif p.kind == p.VAR_POSITIONAL:
            break
    names = names[:count]
    return names + [say("input {k}", k=k + 1) for k in range(len(names), count)]


def _grad_name(name):
    return "d" + name if name.isidentifier() else f"d({name})"


def _own(v):
    """The check's own copy of an argument: floats as float64, anything else as an array."""
    return np.array(v, dtype=np.float64) if _is_float(v) else np.array(v)


def _copies(arrays):
    return [a.copy() for a in arrays]


def _is_float(v):
    return np.issubdtype(np.asarray(v).dtype, np.floating)
