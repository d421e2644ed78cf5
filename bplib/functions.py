"""Plain functions the layers are built from: sigmoid, softmax, cross-entropy error.

All of them are numerically safe: no overflow warning for huge inputs, no ``nan``
from ``log(0)``, and they never change the arrays they are given.
"""

import numpy as np

from .words import say

#: Probabilities are clipped up to this floor before ``log`` (see ``cross_entropy_error``).
PROB_FLOOR = 1e-7


def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)), elementwise; any shape in, same shape out.

    Written as exp(-log(1 + exp(-x))) with ``np.logaddexp`` so that ``sigmoid(-1000)``
    is 0.0 and ``sigmoid(1000)`` is 1.0 without an overflow warning.
    """
    x = as_float_array(x)
    return np.exp(-np.logaddexp(x.dtype.type(0), -x))


def softmax(a):
    """Softmax over the last axis: (C,) -> (C,) or (N, C) -> (N, C), rows sum to 1.

    The row maximum is subtracted before ``exp`` (it cancels out), so logits like
    +-1000 give exact limits instead of ``inf / inf = nan``.
    """
    a = as_float_array(a)
    require_finite(a, "softmax")
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    """Mean cross-entropy -sum(t * log y) over a batch.

    y: probabilities, (C,) or (N, C). t: class indices (N,) / scalar, or rows of y's shape
    (one-hot, or probabilities: see ``as_target``). Returns a Python float >= 0.

    The book adds 1e-7 inside the log, which makes a perfect prediction's loss
    slightly negative (log(1 + 1e-7) > 0). Here probabilities are clipped up to
    ``PROB_FLOOR`` instead: a perfect prediction costs exactly 0, and a zero
    probability for the true class costs -log(1e-7) = 16.118..., finite.
    """
    y = as_float_array(y)
    y2 = y.reshape(1, -1) if y.ndim == 1 else y
    if y2.ndim != 2:
        raise ValueError(
            say("cross_entropy_error: y must be (C,) or (N, C), got shape {shape}", shape=y.shape)
        )
    require_finite(y2, "cross_entropy_error")
    t2 = as_target(t, y2.shape, "cross_entropy_error")
    log_y = np.log(np.clip(y2, PROB_FLOOR, 1.0))
    return float(-(t2 * log_y).sum() / y2.shape[0]) + 0.0  # + 0.0 turns -0.0 into 0.0


def log_softmax(a):
    """log(softmax(a)) over the last axis, same shape as a: a - max - log(sum(exp(a - max))).

    Exact where softmax underflows: a score 2000 below the best has log-probability -2000,
    where log(softmax(a)) would be log(0) = -inf. SoftmaxWithLoss takes its loss from it, so
    the loss is always the one its gradient (y - t) / N belongs to.
    """
    shifted = a - a.max(axis=-1, keepdims=True)  # exp never overflows
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def as_target(t, shape, who, dtype=None):
    """Targets as rows of ``shape`` (N, C), for a loss over C classes.

    Accepted: class indices (N,) (a number when N = 1), whole numbers in [0, C), turned into
    one-hot rows; or rows (N, C) (or (C,) when N = 1) that are probabilities: every entry
    >= 0 and each row summing to 1, as one-hot rows do. Only for such rows is y - t the
    gradient of softmax's cross-entropy error, so anything else is refused with a ValueError
    naming the first bad row (or label). ``who`` starts the message. The caller's ``t`` is
    never changed. dtype: the rows' dtype (None: float32 for indices, rows as given).
    """
    n, c = shape
    t = np.asarray(t)
    if t.shape == shape or (t.ndim == 1 and n == 1 and t.shape == (c,)):
        return _probability_rows(t.reshape(shape), who, dtype)
    if t.ndim == 2 or (t.ndim == 1 and t.shape != (n,)) or (t.ndim == 0 and n != 1):
        raise ValueError(
            say(
                "{who}: labels of shape {shape} fit neither class indices of shape ({n},) "
                "nor one-hot rows of shape {rows}",
                who=who,
                shape=t.shape,
                n=n,
                rows=shape,
            )
        )
    if not np.issubdtype(t.dtype, np.integer):
        if not (np.issubdtype(t.dtype, np.floating) and np.all(t == np.round(t))):
            raise ValueError(
                say("{who}: class indices must be whole numbers, got dtype {dtype}", who=who, dtype=t.dtype)
            )
    if t.min(initial=0) < 0 or t.max(initial=0) >= c:  # cheap test first: it runs every batch
        bad = (t < 0) | (t >= c)
        raise ValueError(
            say(
                "{who}: label {label} is outside [0, {c}) for {c} classes",
                who=who,
                label=t.reshape(-1)[bad.reshape(-1)][0],
                c=c,
            )
        )
    onehot = np.zeros(shape, dtype=np.float32 if dtype is None else dtype)
    onehot[np.arange(n), t.reshape(n).astype(np.intp)] = 1.0
    return onehot


def _probability_rows(rows, who, dtype):
    """``rows`` (N, C) if each is >= 0 and sums to 1 (within sqrt(eps) of its float type), else ValueError."""
    if not np.issubdtype(rows.dtype, np.number):
        raise ValueError(say("{who}: target rows must hold finite numbers", who=who))
    sums = rows.sum(axis=1, dtype=np.float64)
    kind = rows.dtype if np.issubdtype(rows.dtype, np.floating) else np.float64
    tol = np.sqrt(np.finfo(kind).eps)
    if not (rows.min(initial=0) >= 0 and np.abs(sums - 1.0).max(initial=0) <= tol):  # cheap test first
        _refuse_rows(rows, sums, tol, who)
    return rows if dtype is None else rows.astype(dtype, copy=False)


def _refuse_rows(rows, sums, tol, who):
    """Raise a ValueError naming the first row that is not made of probabilities."""
    if not np.all(np.isfinite(rows)):
        raise ValueError(say("{who}: target rows must hold finite numbers", who=who))
    negative = (rows < 0).any(axis=1)
    k = int(np.argmax(negative | (np.abs(sums - 1.0) > tol)))
    if negative[k]:
        raise ValueError(
            say(
                "{who}: target row {k} has a negative entry ({value:.4g}); rows must be one-hot "
                "or probabilities (entries >= 0 that sum to 1)",
                who=who,
                k=k,
                value=float(rows[k].min()),
            )
        )
    raise ValueError(
        say(
            "{who}: target row {k} sums to {total:.6g}, not 1; rows must be one-hot "
            "or probabilities (entries >= 0 that sum to 1)",
            who=who,
            k=k,
            total=float(sums[k]),
        )
    )


def require_finite(a, who):
    """Raise ValueError naming the first NaN / inf in ``a``."""
    if not np.isfinite(a).all():
        bad = np.argwhere(~np.isfinite(a))[0]
        raise ValueError(
            say(
                "{who}: input contains NaN or inf (first at index {index})",
                who=who,
                index=tuple(int(i) for i in bad),
            )
        )


def as_rows(a, who):
    """``a`` as float rows (N, C): the last axis is C, the others make up N ((C,) gives N = 1).
    Raises ValueError naming the first NaN / inf (``who`` starts the message)."""
    a = as_float_array(a)
    rows = a.reshape(-1, a.shape[-1])
    require_finite(a, who)
    return rows


def as_float_array(a):
    """``a`` as a NumPy array of floats: float32/float64 kept, anything else float64."""
    a = np.asarray(a)
    return a if np.issubdtype(a.dtype, np.floating) else a.astype(np.float64)
