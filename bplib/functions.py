"""Plain functions the layers are built from: sigmoid, softmax, cross-entropy error.

All of them are numerically safe: no overflow warning for huge inputs, no ``nan``
from ``log(0)``, and they never change the arrays they are given.
"""

import numpy as np

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

    y: probabilities, (C,) or (N, C). t: class indices (N,) / scalar, or one-hot rows
    of y's shape. Returns a Python float >= 0.

    The book adds 1e-7 inside the log, which makes a perfect prediction's loss
    slightly negative (log(1 + 1e-7) > 0). Here probabilities are clipped up to
    ``PROB_FLOOR`` instead: a perfect prediction costs exactly 0, and a zero
    probability for the true class costs -log(1e-7) = 16.118..., finite.
    """
    y = as_float_array(y)
    y2 = y.reshape(1, -1) if y.ndim == 1 else y
    if y2.ndim != 2:
        raise ValueError(f"cross_entropy_error: y must be (C,) or (N, C), got shape {y.shape}")
    require_finite(y2, "cross_entropy_error")
    t2 = as_target(t, y2.shape, "cross_entropy_error")
    log_y = np.log(np.clip(y2, PROB_FLOOR, 1.0))
    return float(-(t2 * log_y).sum() / y2.shape[0]) + 0.0  # + 0.0 turns -0.0 into 0.0


def as_target(t, shape, who):
    """Labels as one-hot rows of ``shape`` (N, C): accepts class indices or one-hot rows.

    Raises ValueError naming the problem for labels outside [0, C) or rows of the
    wrong width. The caller's ``t`` is never changed.
    """
    n, c = shape
    t = np.asarray(t)
    if t.shape == shape or (t.ndim == 1 and n == 1 and t.shape == (c,)):
        if not np.issubdtype(t.dtype, np.number) or not np.all(np.isfinite(t)):
            raise ValueError(f"{who}: one-hot labels must be finite numbers")
        return t.reshape(shape)
    if t.ndim == 2 or (t.ndim == 1 and t.shape != (n,)) or (t.ndim == 0 and n != 1):
        raise ValueError(
            f"{who}: labels of shape {t.shape} fit neither class indices of shape ({n},) "
            f"nor one-hot rows of shape {shape}"
        )
    if not np.issubdtype(t.dtype, np.integer):
        if not (np.issubdtype(t.dtype, np.floating) and np.all(t == np.round(t))):
            raise ValueError(f"{who}: class indices must be whole numbers, got dtype {t.dtype}")
    if t.min(initial=0) < 0 or t.max(initial=0) >= c:  # cheap test first: it runs every batch
        bad = (t < 0) | (t >= c)
        raise ValueError(
            f"{who}: label {t.reshape(-1)[bad.reshape(-1)][0]} is outside [0, {c}) for {c} classes"
        )
    onehot = np.zeros(shape, dtype=np.float32)
    onehot[np.arange(n), t.reshape(n).astype(np.intp)] = 1.0
    return onehot


def require_finite(a, who):
    """Raise ValueError naming the first NaN / inf in ``a``."""
    if not np.isfinite(a).all():
        bad = np.argwhere(~np.isfinite(a))[0]
        raise ValueError(f"{who}: input contains NaN or inf (first at index {tuple(int(i) for i in bad)})")


def as_float_array(a):
    """``a`` as a NumPy array of floats: float32/float64 kept, anything else float64."""
    a = np.asarray(a)
    return a if np.issubdtype(a.dtype, np.floating) else a.astype(np.float64)
