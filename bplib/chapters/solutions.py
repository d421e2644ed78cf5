"""Reference solutions to the chapter exercises, shown in each notebook after the
learner's own attempt.

Each one is its exercise's stub with the missing lines filled in, written as a learner
would: nothing the stub does not have (no private helpers, no input checks). Each passes
its exercise's check (``check_layer`` with ``expect=``, or ``check_optimizer``); the tests
make sure of it. A new exercise adds its solution here, under its chapter's heading.
"""

import numpy as np

from ..layers import Layer

# --- chapters 1-3: computational graphs, the chain rule, simple layers ---


class SubLayer(Layer):
    """out = x - y (a coupon taken off a bill). x, y: numbers or arrays of one shape.
    backward(dout) -> (dx, dy) = (dout, -dout): y counts against the result, so its gradient flips sign."""

    def forward(self, x, y):
        return x - y

    def backward(self, dout):
        dx = dout * 1
        dy = dout * -1
        return dx, dy


class CubeLayer(Layer):
    """y = x ** 3, any shape. backward(dout) -> dx = dout * 3x² (the local derivative)."""

    def forward(self, x):
        self.x = x  # 3x² needs the input
        return x * x * x

    def backward(self, dout):
        return dout * 3 * self.x * self.x


class DivLayer(Layer):
    """out = x / y (a bill split y ways). x, y: numbers or arrays of one shape, y never 0.
    backward(dout) -> (dx, dy) = (dout / y, -dout * x / y²): like the multiply node, it keeps its inputs."""

    def forward(self, x, y):
        self.x = x
        self.y = y
        return x / y

    def backward(self, dout):
        dx = dout / self.y
        dy = -dout * self.x / (self.y * self.y)
        return dx, dy


# --- chapter 4: activation layers ---


class Tanh(Layer):
    """y = tanh(x), any shape. tanh' = 1 - tanh², so backward needs only the output:
    backward(dout) -> dx = dout * (1 - y²)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out * self.out)


# --- chapter 5: an identity output with a squared-error loss ---


class IdentityWithLoss(Layer):
    """Identity output + sum-of-squares error, averaged over the batch (for regression).

    forward(x, t) -> L = Σ ½(x − t)² / N, a float. x, t: (N, K).
    backward(dout=1.0) -> dout * (x - t) / N, of x's shape: the same "y - t" as Softmax-with-Loss.
    """

    def __init__(self):
        self.y = self.t = None

    def forward(self, x, t):
        self.y, self.t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
        return float(0.5 * np.sum((self.y - self.t) ** 2) / self.y.shape[0])

    def backward(self, dout=1.0):
        batch_size = self.y.shape[0]
        return dout * (self.y - self.t) / batch_size


# --- chapter 6: momentum, an update rule for bplib.training.train ---


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
