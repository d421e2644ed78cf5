"""Chapter 6 exercises' reference solutions: a Leaky ReLU layer, and momentum, an update rule for
bplib.training.train."""

import numpy as np

from ...layers import Layer


class LeakyRelu(Layer):
    """y = x where x > 0, else alpha * x; any shape. On each side of 0 the layer is a straight
    line, so its local derivative is that line's slope: backward(dout) -> dx = dout where x > 0,
    alpha * dout elsewhere (a new array: dout stays as it was)."""

    def __init__(self, alpha=0.01):
        self.alpha = alpha
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0  # where y = alpha * x
        return np.where(self.mask, self.alpha * x, x)

    def backward(self, dout):
        return np.where(self.mask, self.alpha * dout, dout)


class Momentum:
    """SGD with momentum: v <- momentum * v - lr * grad; W <- W + v.

    The velocity v (one array per parameter, zeros at first) remembers past steps, so
    steps that keep pointing the same way grow and zig-zags cancel out. Same interface
    as ``bplib.training.SGD``: ``update(params, grads)`` changes ``params`` in place.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum = lr, momentum
        self.v = None  # one velocity per parameter: zeros at the first update

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
