"""The layers of chapter 5, with the book's contract.

``forward(...)`` returns the output; ``backward(dout)`` takes the gradient of the loss
with respect to that output and returns the gradient(s) with respect to the inputs.
Parameter gradients are kept on the layer (``dW``, ``db``). No layer ever writes into
an array it was given.

Each layer is the book's two-line idea (the bare versions are in
``bplib.chapters.book_layers``) plus a guard line: the first line of every ``backward``
refuses a call before ``forward`` or a ``dout`` of the wrong shape with a clear message.
"""

import numpy as np

from .functions import as_rows, as_target, log_softmax, sigmoid
from .words import say


class Layer:
    """Shared checks, so a mistake ends in a clear message instead of a NumPy traceback."""

    def _check_dout(self, dout, like):
        """Refuse ``dout`` unless it has the shape of ``like``: what forward kept of the output's
        shape (an array, a number, or the shape itself as a tuple); None: forward has not run."""
        if like is None:
            raise RuntimeError(say("{layer}.backward called before forward", layer=type(self).__name__))
        shape = like if isinstance(like, tuple) else np.shape(like)
        if np.shape(dout) != shape:
            raise ValueError(
                say(
                    "{layer}.backward: dout has shape {got}, expected the forward output's shape {shape}",
                    layer=type(self).__name__,
                    got=np.shape(dout),
                    shape=shape,
                )
            )
        return dout

    def _check_broadcast(self, x, y):
        """The shape of x op y, or a clear ValueError if x and y cannot broadcast together."""
        try:
            return np.broadcast_shapes(np.shape(x), np.shape(y))
        except ValueError:
            raise ValueError(
                say(
                    "{layer}: inputs of shapes {x} and {y} cannot broadcast",
                    layer=type(self).__name__,
                    x=np.shape(x),
                    y=np.shape(y),
                )
            ) from None


def sum_to(grad, shape):
    """``grad`` summed back to ``shape``, the shape of an input that broadcasting stretched.

    An input used in several places of the output (y of shape (4,) against x of shape (3, 4)
    is used in all 3 rows) gets the sum of the gradients from every place, like Affine's db.
    A gradient already of ``shape`` is returned as it is; shape () gives a Python number.
    """
    if np.shape(grad) == tuple(shape):
        return grad
    grad = np.sum(grad, axis=tuple(range(np.ndim(grad) - len(shape))))  # axes broadcasting added
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and np.shape(grad)[i] != 1)
    grad = np.sum(grad, axis=stretched, keepdims=True) if stretched else grad
    return grad.item() if shape == () else grad


class MulLayer(Layer):
    """out = x * y. x, y: numbers or arrays that broadcast together; out: their broadcast shape.
    backward(dout of out's shape) -> (dx of x's shape, dy of y's shape)."""

    def __init__(self):
        self.x = self.y = self.out_shape = None

    def forward(self, x, y):
        self.out_shape = self._check_broadcast(x, y)
        self.x, self.y = x, y  # the multiply node needs both inputs for backward
        return x * y

    def backward(self, dout):
        self._check_dout(dout, self.out_shape)
        dx = dout * self.y  # swapped: dx uses y
        dy = dout * self.x  # and dy uses x
        return sum_to(dx, np.shape(self.x)), sum_to(dy, np.shape(self.y))


class AddLayer(Layer):
    """out = x + y. x, y: numbers or arrays that broadcast together; out: their broadcast shape.
    backward(dout of out's shape) -> (dx of x's shape, dy of y's shape)."""

    def __init__(self):
        self.x_shape = self.y_shape = self.out_shape = None

    def forward(self, x, y):
        self.out_shape = self._check_broadcast(x, y)
        self.x_shape, self.y_shape = np.shape(x), np.shape(y)  # the add node needs only the shapes
        return x + y

    def backward(self, dout):
        self._check_dout(dout, self.out_shape)
        dx = dout * 1  # the add node passes the gradient on unchanged
        dy = dout * 1
        return sum_to(dx, self.x_shape), sum_to(dy, self.y_shape)


class Relu(Layer):
    """y = max(x, 0), any shape. backward(dout of x's shape) -> dx: dout where x > 0, else 0
    (also at exactly x = 0)."""

    def __init__(self):
        self.mask = None  # True where x <= 0: the switch is off there

    def forward(self, x):
        self.mask = np.asarray(x) <= 0
        return np.maximum(x, 0)  # = x with 0 where mask, and several times faster on big arrays

    def backward(self, dout):
        self._check_dout(dout, self.mask)
        return np.where(self.mask, 0, dout)  # a new array: dout is left as it was


class Sigmoid(Layer):
    """y = 1 / (1 + exp(-x)), any shape. backward(dout of x's shape) -> dx = dout * y * (1 - y):
    it needs only the output y."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)  # bplib.sigmoid: no overflow warning for large |x|
        return self.out

    def backward(self, dout):
        self._check_dout(dout, self.out)
        return dout * (1.0 - self.out) * self.out


class Affine(Layer):
    """out = x @ W + b.  x: (N, D), or (N, d1, d2, ...) with d1*d2*... = D (e.g. images
    (N, 1, 28, 28), read as N rows of 784), or one row (D,); W: (D, M); b: (M,);
    out: (N, M), or (M,) for one row. backward(dout of out's shape) -> dx of x's shape,
    and keeps dW (D, M) and db (M,).

    ``input_grad=False`` skips dx (returns None): the first layer of a network
    never needs the gradient of the data.
    """

    def __init__(self, W, b, input_grad=True):
        self.W, self.b, self.input_grad = W, b, input_grad
        self.x = self.x_shape = self.out_shape = self.dW = self.db = None

    def forward(self, x):
        self.x_shape, self.x = np.shape(x), self._rows(x)  # x as rows (N, D)
        out = self.x @ self.W + self.b
        self.out_shape = out.shape if len(self.x_shape) > 1 else out.shape[1:]
        return out.reshape(self.out_shape)

    def backward(self, dout):
        dout = self._check_dout(dout, self.out_shape).reshape(len(self.x), -1)
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.x_shape) if self.input_grad else None

    def _rows(self, x):
        """x as a matrix (N, D), or a clear error if its rows are not as wide as W is tall."""
        x = np.asarray(x)
        rows = x.reshape(len(x) if x.ndim > 1 else 1, -1)
        if rows.shape[1] != self.W.shape[0]:
            raise ValueError(
                say(
                    "Affine: input of shape {shape} has width {width}, but W has {rows} rows (W is {w})",
                    shape=x.shape,
                    width=rows.shape[1],
                    rows=self.W.shape[0],
                    w=self.W.shape,
                )
            )
        return rows


class SoftmaxWithLoss(Layer):
    """Softmax followed by the mean cross-entropy error, as one layer.

    forward(x, t) -> loss, a float >= 0. x: scores (N, C), or one row (C,). t: class indices
    (N,), or rows (N, C) that are one-hot or probabilities (each >= 0, summing to 1): labels
    and one-hot rows give the same loss and gradient; other rows are refused.
    backward(dout=1.0) -> dout * (y - t) / N, of x's shape.
    """

    def __init__(self):
        self.y = self.t = self.loss = self.x_shape = None

    def forward(self, x, t):
        self.x_shape, x = np.shape(x), as_rows(x, "SoftmaxWithLoss")  # (N, C) finite floats
        self.t = as_target(t, x.shape, "SoftmaxWithLoss", x.dtype)  # labels become one-hot rows
        log_y = log_softmax(x)  # log(softmax(x)), never log(0)
        self.y = np.exp(log_y)  # softmax(x)
        self.loss = float(np.sum(self.t * -log_y)) / len(x)  # the cross-entropy error, per example
        return self.loss

    def backward(self, dout=1.0):
        self._check_dout(dout, self.loss)
        dx = dout * (self.y - self.t) / len(self.y)
        return dx.reshape(self.x_shape)
