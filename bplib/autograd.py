"""Automatic differentiation in reverse mode: chapter 5's layers, recorded as you compute.

Every operation on a ``Tensor`` computes its output at once and records beside it its local
derivative (``grad_fn``: a layer's ``backward``) and the forward values that derivative needs
(``saved``: what a layer keeps in ``self``). These records are the tape. The graph grows as the
code runs (define-by-run). ``loss.backward()`` visits the recorded tensors in reverse topological
order; each one sends "upstream gradient × local derivative" to its inputs, and a tensor used twice
adds up what it receives::

    W = Tensor(np.ones((2, 3)))
    loss = relu(np.array([[1.0, -2.0]]) @ W).sum()
    loss.backward()                   # W.grad: an array of W's shape
    with no_grad():                   # the update step records nothing
        W -= 0.1 * W.grad
    W.grad = None                     # gradients add up until cleared, as in PyTorch
"""

import numbers
from contextlib import contextmanager

import numpy as np

from .functions import sigmoid as _sigmoid
from .layers import SoftmaxWithLoss
from .words import say

_recording = [True]  # False inside ``with no_grad():``


class Tensor:
    """An array that remembers how it was made.

    data: numbers and lists become float64; a NumPy array keeps its dtype and is copied (copy=False
    shares it). requires_grad: backward gives the tensor a ``.grad`` of data's shape (floats only).
    name: a label for drawings. A tensor made by an operation also holds ``op`` (its symbol),
    ``inputs`` (the tensors it was made from), ``grad_fn`` (its local derivative) and ``saved``
    (the forward values grad_fn needs).
    """

    __array_ufunc__ = None  # so that ndarray @ Tensor and 2.0 * Tensor call the Tensor's operator

    def __init__(self, data, requires_grad=True, name=None, copy=True):
        data = _data(data)  # Tensor(t): a new tensor with t's numbers
        self.data = np.array(data, copy=copy or None, dtype=None if _is_numpy(data) else np.float64)
        if requires_grad and self.dtype.kind != "f":
            raise TypeError(
                say("a {dtype} tensor has no gradient: use floats, or requires_grad=False", dtype=self.dtype)
            )
        self.requires_grad, self.name, self.grad = requires_grad, name, None
        self.op, self.inputs, self.grad_fn, self.saved, self.edge_grads = "", (), None, (), None

    shape = property(lambda self: self.data.shape)
    dtype = property(lambda self: self.data.dtype)
    ndim = property(lambda self: self.data.ndim)

    def named(self, name):
        """Give the tensor a name for drawings; returns the tensor itself."""
        self.name = name
        return self

    def item(self):
        """The value of a one-number tensor, as a Python float."""
        return float(self.data.reshape(()))

    def __repr__(self):
        shown = [np.array2string(self.data)]
        shown += [] if self.grad is None else ["grad=" + np.array2string(self.grad)]
        shown += [f"op={self.op!r}"] if self.op else []
        shown += [] if self.name is None else [f"name={self.name!r}"]
        return "Tensor(" + ", ".join(shown) + ")"

    # --- operations: each computes its output and records its local derivative beside it ---

    def __add__(self, other):
        """x + y, elementwise: the add node passes dout on to both inputs (AddLayer)."""
        x, y = _operands(self, other, "+")
        return record("+", x.data + y.data, (x, y), lambda dout: (dout, dout))

    def __sub__(self, other):
        """x − y, elementwise: y counts against the result, so its gradient is −dout."""
        x, y = _operands(self, other, "−")
        return record("−", x.data - y.data, (x, y), lambda dout: (dout, -dout))

    def __neg__(self):
        """−x: the book's "×(−1)" node."""
        return record("×(−1)", -self.data, (self,), lambda dout: -dout)

    def __mul__(self, other):
        """x · y, elementwise: the multiply node (MulLayer) keeps both inputs for the swap."""
        x, y = _operands(self, other, "×")

        def grad_fn(dout, x, y):  # the swap: dx uses y, dy uses x
            return dout * y, dout * x

        return record("×", x.data * y.data, (x, y), grad_fn, saved=(x.data, y.data))

    def __truediv__(self, other):
        """x / y, elementwise: d(x/y)/dx = 1/y and d(x/y)/dy = −x/y²."""
        x, y = _operands(self, other, "/")

        def grad_fn(dout, x, y):
            return dout / y, -dout * x / (y * y)

        return record("/", x.data / y.data, (x, y), grad_fn, saved=(x.data, y.data))

    def __pow__(self, c):
        """x ** c for a number c: the local derivative is c · x^(c−1) (for c = 2, the 2x of **2)."""
        if not isinstance(c, numbers.Real):
            raise TypeError(say("**: the exponent must be a number, not {kind}", kind=type(c).__name__))

        def grad_fn(dout, x):
            return dout * c * x ** (c - 1)

        return record(f"**{c}", self.data**c, (self,), grad_fn, saved=(self.data,))

    def __matmul__(self, other):
        """X @ W, (N, D) @ (D, M) -> (N, M): Affine's "dot" node, dX = dout · Wᵀ and dW = Xᵀ · dout."""
        x, w = self, as_tensor(other, like=self)
        if x.ndim != 2 or w.ndim != 2 or x.shape[1] != w.shape[0]:
            raise ValueError(say("dot: shapes {a} and {b} do not fit (N, D) @ (D, M)", a=x.shape, b=w.shape))

        def grad_fn(dout, x, w):  # None: that gradient is not needed
            return None if w is None else dout @ w.T, None if x is None else x.T @ dout

        # dX needs W and dW needs X: keep each only if the other needs a gradient (the data needs none)
        saved = (x.data if w.requires_grad else None, w.data if x.requires_grad else None)
        return record("dot", x.data @ w.data, (x, w), grad_fn, saved=saved)

    def __radd__(self, other):  # 2.0 + x: the number on the left
        return as_tensor(other, like=self) + self

    def __rsub__(self, other):
        return as_tensor(other, like=self) - self

    def __rmul__(self, other):
        return as_tensor(other, like=self) * self

    def __rtruediv__(self, other):
        return as_tensor(other, like=self) / self

    def __rmatmul__(self, other):
        return as_tensor(other, like=self) @ self

    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (None: every element): an add node with many inputs, each gets dout."""
        shape = self.shape
        try:
            out = np.sum(self.data, axis=axis, keepdims=keepdims)
        except np.exceptions.AxisError:
            raise ValueError(say("sum: no axis {axis} in shape {shape}", axis=axis, shape=shape)) from None

        def grad_fn(dout):
            dout = dout if keepdims or axis is None else np.expand_dims(dout, axis)  # the summed axes, as 1s
            return np.broadcast_to(dout, shape)

        return record("sum", out, (self,), grad_fn)

    def mean(self, axis=None, keepdims=False):
        """Mean over ``axis`` (None: every element): the sum, times 1 / (how many were summed)."""
        total = self.sum(axis, keepdims)
        return total * (1.0 / (self.data.size // total.data.size))

    @property
    def T(self):
        """The transpose; dout is transposed back."""
        return record("T", self.data.T, (self,), lambda dout: dout.T)

    def reshape(self, *shape):
        """The same numbers in a new shape, ``reshape(2, 3)`` or ``reshape((2, 3))``; dout goes back."""
        old, new = self.shape, shape[0] if len(shape) == 1 else shape
        try:
            out = self.data.reshape(new)
        except ValueError:
            raise ValueError(say("reshape: shape {old} cannot become {new}", old=old, new=new)) from None
        return record("reshape", out, (self,), lambda dout: dout.reshape(old))

    def __isub__(self, step):
        """Inside no_grad(), ``W -= lr * W.grad`` changes W's numbers in place: the update step.
        Elsewhere ``x -= y`` is x = x − y, a new tensor on the graph."""
        if _recording[0] or not self.requires_grad:
            return NotImplemented  # Python falls back on x = x - step
        step = np.asarray(_data(step))
        if np.broadcast_shapes(step.shape, self.shape) != self.shape:
            raise ValueError(
                say("update: a step of shape {step} does not fit {shape}", step=step.shape, shape=self.shape)
            )
        self.data -= step
        return self

    # --- reverse mode ---

    def backward(self, grad=None, retain_graph=False, keep_edges=False):
        """Give every tensor this one was computed from, if it needs one, its gradient ``.grad``.

        grad: the upstream gradient, of this tensor's shape; 1 for a one-number tensor (dL/dL = 1).
        Tensors are visited in reverse topological order, and a tensor used several times gets the
        sum of what its uses send back. ``.grad`` adds to what it held until you set it to
        None. Afterwards the tape is freed (``saved`` = None) unless retain_graph=True.
        keep_edges=True keeps in each tensor's ``edge_grads`` what it sent to each input, before a
        fork adds them up: the gradient on every arrow of a drawing.
        """
        order = topological_order(self)
        pending = {self: self._first_grad(grad, order)}  # every refusal comes before any change
        for t in reversed(order):  # t comes after every tensor it was used by
            dout = pending.pop(t, None)
            if dout is None:
                continue  # no gradient reached t: it needs none
            t.grad = dout.copy() if t.grad is None else t.grad + dout
            if t.grad_fn is None:
                continue  # a leaf: nothing to pass on
            sent = _local_grads(t, dout)  # dout × the local derivative, for each input
            for x, g in zip(t.inputs, sent, strict=True):
                if g is not None:
                    pending[x] = g if x not in pending else pending[x] + g  # a fork adds up
            t.edge_grads = sent if keep_edges else None
            t.saved = t.saved if retain_graph else None  # free the tape, as PyTorch does

    def _first_grad(self, grad, order):
        """The gradient backward starts from, once every refusal is past."""
        if not self.requires_grad:
            raise RuntimeError(
                say("backward: no gradient is needed here (no input requires one, or no_grad() was on)")
            )
        if any(t.grad_fn is not None and t.saved is None for t in order):
            raise RuntimeError(
                say("backward: an earlier backward freed this graph; keep it with retain_graph=True")
            )
        if grad is None and self.data.size != 1:
            raise RuntimeError(
                say("backward of shape {shape}: pass grad=, the upstream gradient", shape=self.shape)
            )
        grad = np.ones_like(self.data) if grad is None else np.array(_data(grad), self.dtype)
        if grad.shape != self.shape:
            raise ValueError(
                say("backward: grad of shape {got} for a tensor of {shape}", got=grad.shape, shape=self.shape)
            )
        return grad


def record(op, data, inputs, grad_fn, saved=()):
    """The Tensor holding ``data``, made by ``op`` from ``inputs`` (Tensors): how every operation ends.

    If some input requires a gradient (and no_grad() is off), the result keeps op, inputs, grad_fn and
    saved: it goes on the tape. ``grad_fn(dout, *saved)`` returns the gradient for each input, as a
    layer's backward does: one array, or a tuple in the order of inputs (None: no gradient). A
    gradient of the broadcast shape is fine: backward sums it back to the input's shape.
    """
    out = Tensor(data, requires_grad=False, copy=False)
    if _recording[0] and any(t.requires_grad for t in inputs):
        out.requires_grad, out.op, out.inputs = True, op, tuple(inputs)
        out.grad_fn, out.saved = grad_fn, tuple(saved)
    return out


def as_tensor(value, like=None):
    """``value`` as a Tensor: a Tensor stays itself; anything else becomes a constant that shares its
    memory (requires_grad=False). A Python number takes the float dtype of ``like``."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, int | float) and like is not None and like.dtype.kind == "f":
        value = like.dtype.type(value)  # 2.0 * a float32 tensor stays float32
    return Tensor(value, requires_grad=False, copy=False)  # no operation writes into its inputs


def topological_order(output):
    """Every tensor ``output`` was computed from, and ``output`` last: each tensor comes after all its
    inputs (a topological order). backward visits this list in reverse."""
    order, seen, stack = [], set(), [(output, False)]
    while stack:  # depth-first, with a stack of its own: no recursion limit on long graphs
        t, inputs_done = stack.pop()
        if inputs_done:
            order.append(t)
        elif t not in seen:
            seen.add(t)
            stack.append((t, True))
            stack.extend((x, False) for x in reversed(t.inputs))
    return order


def tape_nbytes(output):
    """Bytes of the forward values the recorded operations keep for backward (their ``saved`` arrays,
    each counted once); 0 once a backward pass has freed them."""
    kept = {id(a): a for t in topological_order(output) for a in t.saved or () if isinstance(a, np.ndarray)}
    return sum(a.nbytes for a in kept.values())


@contextmanager
def no_grad():
    """``with no_grad():`` records nothing: for the update step and for evaluation."""
    before, _recording[0] = _recording[0], False
    try:
        yield
    finally:
        _recording[0] = before


def _is_numpy(data):
    return isinstance(data, np.ndarray | np.generic)


def _data(value):
    """A Tensor's array, or the value itself."""
    return value.data if isinstance(value, Tensor) else value


def _operands(x, y, op):
    """x and y as Tensors, refusing shapes that cannot broadcast."""
    y = as_tensor(y, like=x)
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise ValueError(
            say("'{op}': shapes {a} and {b} cannot broadcast", op=op, a=x.shape, b=y.shape)
        ) from None
    return x, y


def _local_grads(t, dout):
    """What ``t`` sends back to each input: grad_fn's gradients, each summed back to its input's shape
    (what broadcasting copied, backward adds up); None for an input that needs no gradient."""
    grads = t.grad_fn(dout, *t.saved)
    grads = grads if isinstance(grads, tuple) else (grads,)
    if len(grads) != len(t.inputs):
        n, k = len(grads), len(t.inputs)
        raise ValueError(say("grad_fn of '{op}' returned {n} gradients for {k} inputs", op=t.op, n=n, k=k))
    sent = []
    for x, g in zip(t.inputs, grads, strict=True):
        g = None if g is None or not x.requires_grad else _sum_to_shape(np.asarray(g), x.shape)
        if g is not None and g.shape != x.shape:
            raise ValueError(
                say(
                    "grad_fn of '{op}' sent a gradient of shape {got} to an input of shape {shape}",
                    op=t.op,
                    got=g.shape,
                    shape=x.shape,
                )
            )
        sent.append(None if g is None else g.astype(x.dtype, copy=False))
    return tuple(sent)


def _sum_to_shape(grad, shape):
    """Sum ``grad`` over the axes broadcasting added or stretched from 1, back to ``shape``."""
    extra = grad.ndim - len(shape)
    if extra < 0:
        return grad  # cannot be summed back: the caller names both shapes
    stretched = [extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1]
    axes = tuple(range(extra)) + tuple(stretched)
    return grad.sum(axis=axes).reshape(shape) if axes else grad


# --- functions: each one's local derivative is a layer's backward ---


def exp(x):
    """e^x, elementwise. exp is its own derivative: dx = dout · y (ExpLayer)."""
    x = as_tensor(x)
    with np.errstate(over="raise"):
        try:
            y = np.exp(x.data)
        except FloatingPointError:
            raise ValueError(
                say("exp: exp({x}) is too large for {dtype}", x=np.max(x.data), dtype=x.dtype)
            ) from None
    return record("exp", y, (x,), lambda dout, y: dout * y, saved=(y,))


def log(x):
    """Natural logarithm of x > 0, elementwise. Local derivative 1/x (LogLayer)."""
    x = as_tensor(x)
    if not np.all(x.data > 0):
        raise ValueError(say("log: needs every input > 0, got {x}", x=np.min(x.data)))
    return record("log", np.log(x.data), (x,), lambda dout, x: dout / x, saved=(x.data,))


def relu(x):
    """max(x, 0), elementwise, with Relu's mask: the gradient is 0 where x <= 0 (the switch is off;
    also at exactly 0) and dout elsewhere."""
    x = as_tensor(x)
    off = x.data <= 0
    return record("relu", np.maximum(x.data, 0), (x,), lambda dout, off: np.where(off, 0, dout), saved=(off,))


def sigmoid(x):
    """1 / (1 + exp(−x)), elementwise. Sigmoid's backward: dout · y(1 − y), from y alone."""
    x = as_tensor(x)
    y = _sigmoid(x.data)
    return record("sigmoid", y, (x,), lambda dout, y: dout * y * (1.0 - y), saved=(y,))


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy error of softmax(logits) over the batch: a one-number Tensor.

    logits: (N, C); labels: class indices (N,) or one-hot rows (N, C). The SoftmaxWithLoss layer
    computes it, and grad_fn is its backward: dout · (y − t) / N.
    """
    logits, layer = as_tensor(logits), SoftmaxWithLoss()
    loss = layer.forward(logits.data, _data(labels))  # keeps y = softmax and one-hot t
    shape = logits.shape

    def grad_fn(dout, y, t):
        return (dout * (y - t) / len(y)).reshape(shape)

    loss = np.asarray(loss, logits.dtype)
    return record("softmax-with-loss", loss, (logits,), grad_fn, saved=(layer.y, layer.t))
