"""The layers of chapter 5, with the book's contract.

``forward(...)`` returns the output; ``backward(dout)`` takes the gradient of the loss
with respect to that output and returns the gradient(s) with respect to the inputs.
Parameter gradients are kept on the layer (``dW``, ``db``). No layer ever writes into
an array it was given.
"""

import numpy as np

from .functions import as_float_array, as_target, require_finite, sigmoid


class Layer:
    """Shared checks, so a mistake ends in a clear message instead of a NumPy traceback."""

    def _need_forward(self, value):
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return value

    def _check_dout(self, dout, shape):
        if np.shape(dout) != tuple(shape):
            raise ValueError(
                f"{type(self).__name__}.backward: dout has shape {np.shape(dout)}, "
                f"expected the forward output's shape {tuple(shape)}"
            )
        return dout


def _broadcast_shape(layer, x, y):
    try:
        return np.broadcast_shapes(np.shape(x), np.shape(y))
    except ValueError:
        raise ValueError(
            f"{type(layer).__name__}: inputs of shapes {np.shape(x)} and {np.shape(y)} cannot broadcast"
        ) from None


def _unbroadcast(grad, shape):
    """Sum a gradient over the axes that broadcasting added, back to ``shape``."""
    if np.shape(grad) == tuple(shape):
        return grad
    grad = np.sum(grad, axis=tuple(range(np.ndim(grad) - len(shape))))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and np.shape(grad)[i] != 1)
    grad = np.sum(grad, axis=axes, keepdims=True) if axes else grad
    return grad.item() if shape == () else grad


class MulLayer(Layer):
    """out = x * y for scalars or broadcastable arrays. backward -> (dx, dy)."""

    def __init__(self):
        self.x = self.y = self.out_shape = None

    def forward(self, x, y):
        self.out_shape = _broadcast_shape(self, x, y)
        self.x, self.y = x, y  # the multiply node needs both inputs for backward
        return x * y

    def backward(self, dout):
        self._check_dout(dout, self._need_forward(self.out_shape))
        dx = _unbroadcast(dout * self.y, np.shape(self.x))  # swap: dx uses y
        dy = _unbroadcast(dout * self.x, np.shape(self.y))  # and dy uses x
        return dx, dy


class AddLayer(Layer):
    """out = x + y for scalars or broadcastable arrays. backward -> (dx, dy)."""

    def __init__(self):
        self.x_shape = self.y_shape = self.out_shape = None

    def forward(self, x, y):
        self.out_shape = _broadcast_shape(self, x, y)
        self.x_shape, self.y_shape = np.shape(x), np.shape(y)  # shapes only
        return x + y

    def backward(self, dout):
        self._check_dout(dout, self._need_forward(self.out_shape))
        return _unbroadcast(dout, self.x_shape), _unbroadcast(dout, self.y_shape)


class Relu(Layer):
    """y = max(x, 0), any shape. The gradient at exactly x = 0 is taken as 0."""

    def __init__(self):
        self.mask = None  # True where x <= 0: the switch is off there

    def forward(self, x):
        x = np.asarray(x)
        self.mask = x <= 0
        return np.maximum(x, 0)  # = where(mask, 0, x), and ~10x faster on big arrays

    def backward(self, dout):
        self._check_dout(dout, self._need_forward(self.mask).shape)
        return np.where(self.mask, 0, dout)  # a new array: dout is left as it was


class Sigmoid(Layer):
    """y = 1 / (1 + exp(-x)), any shape; backward uses only y: dx = dout * y * (1 - y)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        y = self._need_forward(self.out)
        self._check_dout(dout, y.shape)
        return dout * y * (1.0 - y)


class Affine(Layer):
    """out = x @ W + b.  x: (N, D) or (N, d1, d2, ...) with d1*d2*... = D;
    W: (D, M); b: (M,); out: (N, M). backward(dout (N, M)) -> dx of x's shape.

    ``input_grad=False`` skips dx (returns None): the first layer of a network
    never needs the gradient of the data.
    """

    def __init__(self, W, b, input_grad=True):
        self.W, self.b, self.input_grad = W, b, input_grad
        self.x = self.x_shape = self.out_shape = self.dW = self.db = None

    def forward(self, x):
        x = np.asarray(x)
        self.x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1) if x.ndim != 1 else x.reshape(1, -1)
        if self.x.shape[1] != self.W.shape[0]:
            raise ValueError(
                f"Affine: input of shape {x.shape} has width {self.x.shape[1]}, "
                f"but W has {self.W.shape[0]} rows (W is {self.W.shape})"
            )
        out = self.x @ self.W + self.b
        out = out[0] if x.ndim == 1 else out
        self.out_shape = out.shape
        return out

    def backward(self, dout):
        x = self._need_forward(self.x)
        dout = self._check_dout(dout, self.out_shape).reshape(x.shape[0], -1)
        self.dW = x.T @ dout
        self.db = dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.x_shape) if self.input_grad else None


class SoftmaxWithLoss(Layer):
    """Softmax followed by the mean cross-entropy error, as one layer.

    forward(x, t) -> loss, a float >= 0. x: logits (N, C) or (C,); t: class indices
    (N,) or one-hot rows (N, C), both give the same loss and gradient.
    backward(dout=1.0) -> dout * (y - t) / N, of x's shape.
    """

    def __init__(self):
        self.y = self.t = self.loss = self.x_shape = None

    def forward(self, x, t):
        a = as_float_array(x)
        self.x_shape, a = a.shape, a.reshape(-1, a.shape[-1])
        require_finite(a, "SoftmaxWithLoss")
        self.t = as_target(t, a.shape, "SoftmaxWithLoss").astype(a.dtype, copy=False)
        shifted = a - a.max(axis=1, keepdims=True)  # exp never overflows
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        self.y = e / total
        log_y = shifted - np.log(total)  # log-softmax: exact, never log(0)
        self.loss = float(-(self.t * log_y).sum() / a.shape[0]) + 0.0  # never -0.0
        return self.loss

    def backward(self, dout=1.0):
        y = self._need_forward(self.y)
        self._check_dout(dout, ())
        return (dout * (y - self.t) / y.shape[0]).reshape(self.x_shape)
