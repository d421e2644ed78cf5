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
from ..words import say


def _constant(c, who):
    if not isinstance(c, numbers.Real) or not np.isfinite(c):
        raise ValueError(say("{who}: the constant must be a finite real number, got {c!r}", who=who, c=c))
    return c


class SquareLayer(Layer):
    """y = x ** 2, any shape. backward: dx = dout * 2x."""

    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x  # the local derivative 2x needs the input
        return x * x

    def backward(self, dout):
        self._check_dout(dout, self.x)
        return dout * 2 * self.x


class ExpLayer(Layer):
    """y = exp(x), any shape. backward: dx = dout * y (exp is its own derivative)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        with np.errstate(over="raise"):
            try:
                self.out = np.exp(x)
            except FloatingPointError:
                raise ValueError(say("ExpLayer: exp(x) overflows float64 for x > 709.78")) from None
        return self.out

    def backward(self, dout):
        self._check_dout(dout, self.out)
        return dout * self.out


class ReciprocalLayer(Layer):
    """y = 1 / x (the book's "/" node), any shape. backward: dx = dout * (-y²)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        if np.any(np.asarray(x) == 0):
            raise ValueError(say("ReciprocalLayer: the input contains 0, and 1/0 is undefined"))
        self.out = 1.0 / x
        return self.out

    def backward(self, dout):
        self._check_dout(dout, self.out)
        return dout * -(self.out * self.out)  # -1/x² written with the output only


class LogLayer(Layer):
    """y = log(x) (natural log), any shape, x > 0. backward: dx = dout / x."""

    def __init__(self):
        self.x = None

    def forward(self, x):
        if not np.all(np.asarray(x) > 0):
            raise ValueError(say("LogLayer: log needs every input > 0"))
        self.x = x
        return np.log(x)

    def backward(self, dout):
        self._check_dout(dout, self.x)
        return dout / self.x


class ScaleLayer(Layer):
    """y = c * x for a fixed number c (the "×2", "×1.1", "×(−1)" nodes). backward: dx = c * dout."""

    def __init__(self, c):
        self.c = _constant(c, "ScaleLayer")
        self.x_shape = None

    def forward(self, x):
        self.x_shape = np.shape(x)  # c is all backward needs; the shape is for the check
        return self.c * x

    def backward(self, dout):
        self._check_dout(dout, self.x_shape)
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
        self._check_dout(dout, self.x_shape)
        return dout


class SumLayer(Layer):
    """y = x1 + x2 + ... + xn: the "+" node with any number of inputs of one shape.
    backward -> (dout, dout, ..., dout), one per input."""

    def __init__(self):
        self.shape = self.count = None

    def forward(self, *xs):
        if not xs:
            raise ValueError(say("SumLayer: needs at least one input"))
        shapes = sorted({np.shape(x) for x in xs})
        if len(shapes) != 1:
            raise ValueError(say("SumLayer: inputs must share one shape, got {shapes}", shapes=shapes))
        self.shape, self.count = shapes[0], len(xs)
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out

    def backward(self, dout):
        self._check_dout(dout, self.shape)
        return (dout,) * self.count


class DotLayer(Layer):
    """Y = X · W, the "dot" node.  X: (N, D) or (D,); W: (D, M); Y: (N, M) or (M,).
    backward(dY) -> (dX = dY · Wᵀ of X's shape, dW = Xᵀ · dY of W's shape)."""

    def __init__(self):
        self.x = self.W = self.out_shape = None

    def forward(self, x, W):
        x, W = np.asarray(x), np.asarray(W)
        if W.ndim != 2 or x.ndim not in (1, 2) or x.shape[-1] != W.shape[0]:
            raise ValueError(
                say("DotLayer: cannot multiply X of shape {x} by W of shape {w}", x=x.shape, w=W.shape)
            )
        self.x, self.W = x, W  # both are needed: dX uses W, dW uses X
        out = x @ W
        self.out_shape = out.shape
        return out

    def backward(self, dout):
        self._check_dout(dout, self.out_shape)
        dout = np.asarray(dout)
        dx = dout @ self.W.T
        dW = np.outer(self.x, dout) if self.x.ndim == 1 else self.x.T @ dout
        return dx, dW
