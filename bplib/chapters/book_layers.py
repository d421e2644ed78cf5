"""The book's layers, bare: each idea in its two or three lines, with nothing around it.

These are shown in the notebooks *before* bplib's own layers (``bplib.layers``), which
compute the same numbers and add a guard line or two: a clear message for a call of
``backward`` before ``forward``, a ``dout`` of the wrong shape, inputs that do not fit,
labels out of range. Written here in our own words, the book's way: arrays in, arrays out,
no checks, and the book's flaws kept where a chapter shows them (``Relu.backward`` writes
into ``dout``). Not for use in a network: use ``bplib.layers``.
"""

import numpy as np

from ..functions import cross_entropy_error, softmax


class MulLayer:
    """The bare multiply node: out = x * y; backward(dout) -> (dout * y, dout * x), the inputs swapped."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        return x * y

    def backward(self, dout):
        dx = dout * self.y
        dy = dout * self.x
        return dx, dy


class AddLayer:
    """The bare add node: out = x + y; backward(dout) -> (dout, dout), passed on unchanged."""

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        dx = dout * 1
        dy = dout * 1
        return dx, dy


class Relu:
    """The bare ReLU: y = x where x > 0, else 0. x: an array, any shape.

    Its backward writes its zeros into the ``dout`` it is given and returns that same array:
    the flaw chapter 4 shows (a gradient used twice arrives damaged the second time).
    """

    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0  # where the switch is off
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0  # the flaw: this changes the caller's array
        return dout


class Sigmoid:
    """The bare sigmoid: y = 1 / (1 + exp(-x)); backward(dout) -> dout * y * (1 - y), from y alone.
    (Very negative x makes exp(-x) overflow with a warning; bplib's Sigmoid does not.)"""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Affine:
    """The bare Affine layer: out = x · W + b. x: (N, D); W: (D, M); b: (M,); out: (N, M).
    backward(dout (N, M)) -> dx (N, D), and keeps dW (D, M) and db (M,)."""

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)  # b was added to every row: its gradient sums them
        return dx


class SoftmaxWithLoss:
    """The bare Softmax-with-Loss: softmax, then the mean cross-entropy error.

    forward(x (N, C), t one-hot (N, C)) -> the loss; backward() -> (y - t) / N, of x's shape.
    Like the book's, backward ignores ``dout``: this layer is always last, where dout is 1.
    """

    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        return (self.y - self.t) / batch_size
