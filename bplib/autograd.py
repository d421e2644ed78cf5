"""Automatic differentiation (自动微分) in reverse mode: chapter 5's layers, recorded as you compute.

Every operation on a ``Tensor`` computes its output at once and records beside it its local
derivative (``grad_fn``: a layer's ``backward``) and the forward values that derivative needs
(``saved``: what a layer keeps in ``self``). The graph grows as the code runs (define-by-run).
``loss.backward()`` visits the recorded tensors in reverse topological order; each one sends
"upstream gradient × local derivative" to its inputs, and a tensor used twice adds up what it
receives, as in the apple graph of chapter 1::

    W = Tensor(np.ones((2, 3)))
    loss = relu(np.array([[1.0, -2.0]]) @ W).sum()
    loss.backward()                   # W.grad: an array of W's shape
    with no_grad():                   # the update step records nothing
        W -= 0.1 * W.grad
    W.grad = None                     # gradients add up until cleared, as in PyTorch
"""

import inspect
import numbers
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .functions import sigmoid as _sigmoid
from .gradcheck import TOLERANCE, numerical_gradient, relative_error
from .layers import SoftmaxWithLoss
from .words import pad, say

_recording = [True]  # False inside ``with no_grad():``


class Tensor:
    """An array that remembers how it was made.

    data: an ndarray. Numbers and lists become float64; a NumPy array keeps its dtype (float32
    stays float32) and is copied unless copy=False. requires_grad: backward gives the tensor a
    ``.grad`` of data's shape (only a float tensor can have one). name: a label for drawings.
    A tensor made by an operation also holds ``op`` (its symbol: "×", "+", "dot", ...),
    ``inputs`` (the tensors it was made from), ``grad_fn`` (its local derivative) and ``saved``
    (the forward values grad_fn needs: the tape).
    """

    __array_ufunc__ = None  # so that ndarray @ Tensor and 2.0 * Tensor call the Tensor's operator

    def __init__(self, data, requires_grad=True, name=None, copy=True):
        self.data = _as_array(data, copy)
        if requires_grad and self.dtype.kind != "f":
            raise TypeError(
                say(
                    "only floating-point tensors can require gradients, not {dtype}: "
                    "use floats, or requires_grad=False",
                    dtype=self.dtype,
                )
            )
        self.requires_grad, self.name, self.grad = requires_grad, name, None
        self.op, self.inputs, self.grad_fn, self.saved, self.edge_grads = "", (), None, None, None

    shape = property(lambda self: self.data.shape)
    dtype = property(lambda self: self.data.dtype)
    ndim = property(lambda self: self.data.ndim)

    def named(self, name):
        """Give the tensor a name for drawings and printouts; returns the tensor itself."""
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

    # --- operations: each computes its output and records its local derivative, grad_fn ---

    def __add__(self, other):
        """Elementwise x + y, broadcasting. The add node passes dout on to both inputs (AddLayer)."""
        x, y = _operands(self, other, "+")
        return record("+", x.data + y.data, (x, y), lambda dout: (dout, dout))

    def __sub__(self, other):
        """Elementwise x − y, broadcasting. y counts against the result: its gradient is −dout."""
        x, y = _operands(self, other, "−")
        return record("−", x.data - y.data, (x, y), lambda dout: (dout, -dout))

    def __neg__(self):
        """−x: the book's "×(−1)" node."""
        return record("×(−1)", -self.data, (self,), lambda dout: -dout)

    def __mul__(self, other):
        """Elementwise x * y, broadcasting: the multiply node (MulLayer)."""
        x, y = _operands(self, other, "×")

        def grad_fn(dout, x, y):  # the swap: dx = dout · y, dy = dout · x
            return dout * y, dout * x

        return record("×", x.data * y.data, (x, y), grad_fn, saved=(x.data, y.data))

    def __truediv__(self, other):
        """Elementwise x / y, broadcasting."""
        x, y = _operands(self, other, "/")

        def grad_fn(dout, x, y):  # d(x/y)/dx = 1/y, d(x/y)/dy = −x/y²
            return dout / y, -dout * x / (y * y)

        return record("/", x.data / y.data, (x, y), grad_fn, saved=(x.data, y.data))

    def __pow__(self, c):
        """x ** c for a number c, elementwise."""
        if not isinstance(c, numbers.Real):
            raise TypeError(say("**: the exponent must be a number, not {kind}", kind=type(c).__name__))

        def grad_fn(dout, x):  # c · x^(c−1); for c = 2, SquareLayer's 2x
            return dout * c * x ** (c - 1)

        return record(f"**{c}", self.data**c, (self,), grad_fn, saved=(self.data,))

    def __matmul__(self, other):
        """Matrix product X @ W: (N, D) @ (D, M) -> (N, M), the "dot" node (Affine without b)."""
        x, w = self, as_tensor(other, like=self)
        if x.ndim != 2 or w.ndim != 2 or x.shape[1] != w.shape[0]:
            raise ValueError(
                say("dot: cannot multiply shapes {a} and {b}: need (N, D) @ (D, M)", a=x.shape, b=w.shape)
            )

        def grad_fn(dout, x, w):  # Affine.backward: dX = dout · Wᵀ, dW = Xᵀ · dout
            return None if w is None else dout @ w.T, None if x is None else x.T @ dout

        # dX needs W and dW needs X: keep each only if the other needs a gradient (the data needs
        # none: Affine(input_grad=False) skips dX in the same way)
        saved = (x.data if w.requires_grad else None, w.data if x.requires_grad else None)
        return record("dot", x.data @ w.data, (x, w), grad_fn, saved=saved)

    def __radd__(self, other):
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

    def __iadd__(self, step):
        return self._update(step, +1)

    def __isub__(self, step):
        return self._update(step, -1)

    def _update(self, step, sign):
        """Inside no_grad(), ``W -= lr * W.grad`` changes a parameter's numbers in place: the update
        step. Elsewhere ``x -= y`` is x = x − y, a new tensor, and the graph stays whole (so does
        an array a constant shares its memory with)."""
        if _recording[0] or not self.requires_grad:
            return NotImplemented  # Python falls back on x = x - y
        step = np.asarray(_data(step))
        try:
            self.data += sign * step
        except ValueError:
            raise ValueError(
                say(
                    "update: a step of shape {step} does not fit shape {shape}",
                    step=step.shape,
                    shape=self.shape,
                )
            ) from None
        return self

    # --- reverse mode ---

    def backward(self, grad=None, retain_graph=False, keep_edges=False):
        """Give every tensor this one was computed from, if it requires one, its gradient ``.grad``.

        grad: the upstream gradient, of this tensor's shape; by default 1 for a one-number tensor
        (dL/dL = 1). Tensors are visited in reverse topological order, and a tensor used several
        times receives the sum of what its uses send back (梯度累加). ``.grad`` adds to what it
        held until you set it to None. Afterwards the tape is freed (``saved`` = None) unless
        retain_graph=True. keep_edges=True keeps in each tensor's ``edge_grads`` what it sent to
        each input, before a fork adds them up: the gradient on every arrow of a drawing.
        """
        order = topological_order(self)
        pending = {self: self._first_grad(grad, order)}  # every refusal comes before any change
        for t in reversed(order):
            dout = pending.pop(t, None)
            if dout is None:
                continue  # no gradient reached t: it needs none
            t.grad = dout.copy() if t.grad is None else t.grad + dout
            if t.grad_fn is None:
                continue  # a leaf: nothing to pass on
            sent = _local_grads(t, dout)
            for x, g in zip(t.inputs, sent, strict=True):
                if g is not None:
                    pending[x] = g if x not in pending else pending[x] + g  # a fork adds up
            t.edge_grads = sent if keep_edges else None
            if not retain_graph:
                t.saved = None  # free the tape, as PyTorch does

    def _first_grad(self, grad, order):
        """The gradient backward starts from, once every refusal is past."""
        if self.dtype.kind != "f":
            raise TypeError(
                say(
                    "backward: a tensor of {dtype} has no gradient; only floating-point tensors have one",
                    dtype=self.dtype,
                )
            )
        if not self.requires_grad:
            raise RuntimeError(
                say(
                    "backward: this tensor needs no gradient: no input of it requires one, or no_grad() is on"
                )
            )
        if any(t.grad_fn is not None and t.saved is None for t in order):
            raise RuntimeError(
                say(
                    "backward: an earlier backward already freed this graph; "
                    "backward(retain_graph=True) keeps it for a second pass"
                )
            )
        if grad is None and self.data.size != 1:
            raise RuntimeError(
                say(
                    "backward: shape {shape} is not one number; pass grad=, the upstream gradient",
                    shape=self.shape,
                )
            )
        grad = np.ones_like(self.data) if grad is None else np.array(_data(grad), dtype=self.dtype)
        if grad.shape != self.shape:
            raise ValueError(
                say(
                    "backward: grad has shape {got}, but the tensor has shape {shape}",
                    got=grad.shape,
                    shape=self.shape,
                )
            )
        return grad


def record(op, data, inputs, grad_fn, saved=()):
    """The Tensor holding ``data``, made by ``op`` from ``inputs`` (Tensors): how every operation ends.

    If some input requires a gradient (and no_grad() is off), the result remembers op, inputs,
    grad_fn and saved: it goes on the tape. ``grad_fn(dout, *saved)`` returns the gradient for
    each input, as a layer's backward does: one array, or a tuple in the order of inputs (None for
    no gradient). A gradient of the broadcast shape is fine: backward sums it back to the input's.
    """
    out = Tensor(data, requires_grad=False, copy=False)
    if _recording[0] and any(t.requires_grad for t in inputs):
        out.requires_grad, out.op, out.inputs = True, op, tuple(inputs)
        out.grad_fn, out.saved = grad_fn, tuple(saved)
    return out


def as_tensor(value, like=None):
    """``value`` as a Tensor: a Tensor stays itself; anything else becomes a constant that shares
    its memory (requires_grad=False). A Python number takes the float dtype of ``like``."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, int | float) and like is not None and like.dtype.kind == "f":
        value = like.dtype.type(value)  # 2.0 * a float32 tensor stays float32
    return Tensor(value, requires_grad=False, copy=False)  # no operation writes into its inputs


def topological_order(output):
    """Every tensor ``output`` was computed from, and ``output`` last: each tensor comes after all
    of its inputs (拓扑排序). backward visits this list in reverse."""
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
    """Bytes of the forward values the recorded operations keep for backward (their ``saved``
    arrays, each counted once); 0 once a backward pass has freed them."""
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


def _as_array(data, copy):
    """NumPy arrays and scalars keep their dtype; Python numbers and lists become float64."""
    data = _data(data)  # Tensor(t) is a new tensor with t's numbers
    if not isinstance(data, np.ndarray | np.generic):
        return np.array(data, dtype=np.float64)
    return np.array(data) if copy else np.asarray(data)


def _data(value):
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
    """What ``t`` sends back to each input: grad_fn's gradients, each summed back to its input's
    shape (what broadcasting copied, backward adds up), None for an input that needs none."""
    grads = t.grad_fn(dout, *t.saved)
    grads = grads if isinstance(grads, tuple) else (grads,)
    if len(grads) != len(t.inputs):
        raise ValueError(
            say(
                "grad_fn of '{op}' returned {n} gradients for {k} inputs",
                op=t.op,
                n=len(grads),
                k=len(t.inputs),
            )
        )
    sent = []
    for x, g in zip(t.inputs, grads, strict=True):
        if g is not None and x.requires_grad:
            g = _sum_to_shape(np.asarray(g), x.shape).astype(x.dtype, copy=False)
            if g.shape != x.shape:
                raise ValueError(
                    say(
                        "grad_fn of '{op}' returned a gradient of shape {got} for an input of shape {shape}",
                        op=t.op,
                        got=g.shape,
                        shape=x.shape,
                    )
                )
        sent.append(g if x.requires_grad else None)
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
    """Natural logarithm, elementwise, of x > 0. Local derivative 1/x (LogLayer)."""
    x = as_tensor(x)
    if not np.all(x.data > 0):
        raise ValueError(say("log: needs every input > 0, got {x}", x=np.min(x.data)))
    return record("log", np.log(x.data), (x,), lambda dout, x: dout / x, saved=(x.data,))


def relu(x):
    """max(x, 0), elementwise. grad_fn is Relu.backward with Relu's mask: the gradient is 0 where
    x <= 0 (the switch is off; also at exactly 0) and dout elsewhere."""
    x = as_tensor(x)
    off = x.data <= 0
    return record("relu", np.maximum(x.data, 0), (x,), lambda dout, off: np.where(off, 0, dout), saved=(off,))


def sigmoid(x):
    """1 / (1 + exp(−x)), elementwise. grad_fn is Sigmoid.backward: dout · y(1 − y), from y alone."""
    x = as_tensor(x)
    y = _sigmoid(x.data)
    return record("sigmoid", y, (x,), lambda dout, y: dout * y * (1.0 - y), saved=(y,))


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy error of softmax(logits) over the batch: a one-number Tensor.

    logits: (N, C); labels: class indices (N,) or one-hot rows (N, C). The SoftmaxWithLoss
    layer computes it, and grad_fn is its backward: dout · (y − t) / N.
    """
    logits, layer = as_tensor(logits), SoftmaxWithLoss()
    loss = layer.forward(logits.data, _data(labels))  # keeps y = softmax(logits) and one-hot t
    shape = logits.shape

    def grad_fn(dout, y, t):
        return (dout * (y - t) / len(y)).reshape(shape)

    return record(
        "softmax-with-loss", np.asarray(loss, logits.dtype), (logits,), grad_fn, saved=(layer.y, layer.t)
    )


# --- the gradient check of one operation ---


@dataclass
class OpCheck:
    """What ``check_op`` found: the relative error of each comparison ("output", then each float
    input by name), the inputs no gradient reached, and ``note``: a stub not written yet."""

    op: str
    tol: float
    errors: dict = field(default_factory=dict)
    no_grad: list = field(default_factory=list)
    note: str = ""

    @property
    def passed(self):
        return bool(self.errors) and not self.note and all(e <= self.tol for e in self.errors.values())

    def table(self):
        if self.note:
            return say("FAIL: not written yet: {why}", why=self.note)
        head = " " * 11 + pad(say("relative error"), 14, ">") + "  " + pad(say("result"), 6)
        lines = [head + "   " + say("(tolerance {tol})", tol=f"{self.tol:.0e}")]
        for name, err in self.errors.items():
            lines.append(pad(name, 10) + f" {err:>14.1e}  " + say("PASS" if err <= self.tol else "FAIL"))
        for name in self.no_grad:
            lines.append(
                say("no gradient reached {name}: does grad_fn return one for every input?", name=name)
            )
        return "\n".join(lines)


def check_op(op, *inputs, forward=None, tol=TOLERANCE, h=1e-5, seed=0, verbose=True):
    """Compare autograd's gradients with numerical ones for one operation, in float64.

    The loss checked is L = sum(op(*inputs) · upstream), for a seeded random upstream of the
    output's shape. Every float input (array or number) is checked, and a gradient that never
    reaches one counts as zero: it fails where the true gradient is not. Integers (labels) and
    Tensors with requires_grad=False stay constants. forward: a NumPy function that the output
    must equal too (e.g. np.tanh). A grad_fn raising NotImplementedError is reported as not
    written yet. Prints a table unless verbose=False; returns an OpCheck (``.passed``).
    """
    args = [_checked_input(v) for v in inputs]
    names, result = _input_names(op, len(args)), OpCheck(getattr(op, "__name__", type(op).__name__), tol)
    out = op(*args)
    upstream = np.random.default_rng(seed).standard_normal(out.shape)
    try:
        out.backward(upstream)
    except NotImplementedError as missing:  # an exercise the learner has not written yet
        result.note = str(missing)
    if forward is not None and not result.note:
        result.errors[say("output")] = relative_error(out.data, forward(*map(_data, args)))
    for k, a in enumerate(args):
        if isinstance(a, Tensor) and a.requires_grad and not result.note:

            def loss(v, k=k):
                with no_grad():
                    return float(np.sum(op(*args[:k], Tensor(v, copy=False), *args[k + 1 :]).data * upstream))

            grad = np.zeros(a.shape) if a.grad is None else a.grad
            result.errors[names[k]] = relative_error(grad, numerical_gradient(loss, a.data.copy(), h))
            result.no_grad += [names[k]] if a.grad is None else []
    if verbose:
        print(f"check_op({result.op})")
        print(result.table())
    return result


def _checked_input(v):
    """A float input as a new float64 Tensor; constants as they are."""
    if isinstance(v, Tensor):
        return Tensor(v.data.astype(np.float64), requires_grad=v.requires_grad) if v.dtype.kind == "f" else v
    return Tensor(np.asarray(v, dtype=np.float64)) if np.asarray(v).dtype.kind == "f" else v


def _input_names(op, count):
    """The names of op's parameters (x, y, ...), or "input k" where it has none."""
    try:
        names = [
            p.name for p in inspect.signature(op).parameters.values() if p.kind == p.POSITIONAL_OR_KEYWORD
        ]
    except (TypeError, ValueError):
        names = []
    return names[:count] + [say("input {k}", k=k + 1) for k in range(len(names), count)]
