"""The elementary nodes of the book's computational graphs, beyond MulLayer and AddLayer.

Each one is a Layer with the book's contract: ``forward(...)`` returns the output and keeps
what backward needs; ``backward(dout)`` takes the gradient of the loss with respect to the
output and returns the gradient(s) with respect to the input(s), each of its input's shape.
All work on a Python number or an array of any shape, elementwise (DotLayer: a matrix
product), and never change the arrays they are given.

class            label  forward                  local derivative
SquareLayer      **2    y = x²                   2x
ExpLayer         exp    y = exp(x)               exp(x) = y
ReciprocalLayer  /      y = 1 / x                -1/x² = -y²
LogLayer         log    y = log(x)               1 / x
ScaleLayer(c)    ×c     y = c·x                  c
ShiftLayer(c)    +c     y = x + c                1
SumLayer         +      y = x1 + x2 + ... + xn   1 for every input
DotLayer         dot    Y = X·W                  dX = dY·Wᵀ, dW = Xᵀ·dY
"""

import numbers

import numpy as np

from ..layers import Layer


def _constant(c, who):
    if not isinstance(c, numbers.Real) or not np.isfinite(c):
        raise ValueError(f"{who}: the constant must be a finite real number, got {c!r}")
    return c


class SquareLayer(Layer):
    """y = x ** 2, any shape. backward: dx = dout * 2x."""

    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x  # the local derivative 2x needs the input
        return x * x

    def backward(self, dout):
        x = self._need_forward(self.x)
        self._check_dout(dout, np.shape(x))
        return dout * 2 * x


class ExpLayer(Layer):
    """y = exp(x), any shape. backward: dx = dout * y (exp is its own derivative)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        with np.errstate(over="raise"):
            try:
                self.out = np.exp(x)
            except FloatingPointError:
                raise ValueError("ExpLayer: exp(x) overflows float64 for x > 709.78") from None
        return self.out

    def backward(self, dout):
        y = self._need_forward(self.out)
        self._check_dout(dout, np.shape(y))
        return dout * y


class ReciprocalLayer(Layer):
    """y = 1 / x (the book's "/" node), any shape. backward: dx = dout * (-y²)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        if np.any(np.asarray(x) == 0):
            raise ValueError("ReciprocalLayer: the input contains 0, and 1/0 is undefined")
        self.out = 1.0 / x
        return self.out

    def backward(self, dout):
        y = self._need_forward(self.out)
        self._check_dout(dout, np.shape(y))
        return dout * -(y * y)  # -1/x² written with the output only


class LogLayer(Layer):
    """y = log(x) (natural log), any shape, x > 0. backward: dx = dout / x."""

    def __init__(self):
        self.x = None

    def forward(self, x):
        if not np.all(np.asarray(x) > 0):
            raise ValueError("LogLayer: log needs every input > 0")
        self.x = x
        return np.log(x)

    def backward(self, dout):
        x = self._need_forward(self.x)
        self._check_dout(dout, np.shape(x))
        return dout / x


class ScaleLayer(Layer):
    """y = c * x for a fixed number c (the "×2", "×1.1", "×(−1)" nodes). backward: dx = c * dout."""

    def __init__(self, c):
        self.c = _constant(c, "ScaleLayer")
        self.x_shape = None

    def forward(self, x):
        self.x_shape = np.shape(x)  # c is all backward needs; the shape is for the check
        return self.c * x

    def backward(self, dout):
        self._check_dout(dout, self._need_forward(self.x_shape))
        return self.c * dout


class ShiftLayer(Layer):
    """y = x + c for a fixed number c (the "+1" node). backward: dx = dout."""

    def __init__(self, c):
        self.c = _constant(c, "ShiftLayer")
        self.x_shape = None

    def forward(self, x):
        self.x_shape = np.shape(x)
        return x + self.c

    def backward(self, dout):
        self._check_dout(dout, self._need_forward(self.x_shape))
        return dout


class SumLayer(Layer):
    """y = x1 + x2 + ... + xn: the "+" node with any number of inputs of one shape.
    backward -> (dout, dout, ..., dout), one per input."""

    def __init__(self):
        self.shapes = None

    def forward(self, *xs):
        if not xs:
            raise ValueError("SumLayer: needs at least one input")
        shapes = {np.shape(x) for x in xs}
        if len(shapes) != 1:
            raise ValueError(f"SumLayer: inputs must share one shape, got {sorted(shapes)}")
        self.shapes = [np.shape(x) for x in xs]
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out

    def backward(self, dout):
        shapes = self._need_forward(self.shapes)
        self._check_dout(dout, shapes[0])
        return tuple(dout for _ in shapes)


class DotLayer(Layer):
    """Y = X · W, the "dot" node.  X: (N, D) or (D,); W: (D, M); Y: (N, M) or (M,).
    backward(dY) -> (dX = dY · Wᵀ of X's shape, dW = Xᵀ · dY of W's shape)."""

    def __init__(self):
        self.x = self.W = None

    def forward(self, x, W):
        x, W = np.asarray(x), np.asarray(W)
        if W.ndim != 2 or x.ndim not in (1, 2) or x.shape[-1] != W.shape[0]:
            raise ValueError(f"DotLayer: cannot multiply X of shape {x.shape} by W of shape {W.shape}")
        self.x, self.W = x, W  # both are needed: dX uses W, dW uses X
        return x @ W

    def backward(self, dout):
        x = self._need_forward(self.x)
        self._check_dout(dout, x.shape[:-1] + self.W.shape[1:])
        dout = np.asarray(dout)
        dx = dout @ self.W.T
        dW = np.outer(x, dout) if x.ndim == 1 else x.T @ dout
        return dx, dW
