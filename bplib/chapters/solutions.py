"""Reference solutions to the chapter exercises, shown in each notebook after the
learner's own attempt. Each one passes ``check_layer``; the tests make sure of it."""

import numpy as np

from ..layers import Layer

# --- chapter 4: activation layers ---


class Tanh(Layer):
    """y = tanh(x), any shape. tanh' = 1 - tanh², so backward needs only the output:
    dx = dout * (1 - y²)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        y = self._need_forward(self.out)
        self._check_dout(dout, y.shape)
        return dout * (1.0 - y * y)


# --- chapter 5: an identity output with a squared-error loss ---


class IdentityWithLoss(Layer):
    """Identity output + sum-of-squares error, averaged over the batch (for regression).

    forward(x, t) -> L = sum(0.5 * (x - t)²) / N, a float. x, t: (N, K) or (K,) with N = 1.
    backward(dout=1.0) -> dout * (x - t) / N, of x's shape: the same "y - t" as Softmax-with-Loss.
    """

    def __init__(self):
        self.y = self.t = None

    def forward(self, x, t):
        y, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
        if y.shape != t.shape:
            raise ValueError(f"IdentityWithLoss: x has shape {y.shape} but t has shape {t.shape}")
        self.y, self.t = y, t  # identity output: y is x itself
        n = y.shape[0] if y.ndim > 1 else 1
        return float(0.5 * np.sum((y - t) ** 2) / n)

    def backward(self, dout=1.0):
        y = self._need_forward(self.y)
        self._check_dout(dout, ())
        n = y.shape[0] if y.ndim > 1 else 1
        return dout * (y - self.t) / n


# --- chapter 6: momentum, an update rule for bplib.training.train ---


class Momentum:
    """SGD with momentum: v <- momentum * v - lr * grad; W <- W + v.

    The velocity v (one array per parameter, zeros at first) remembers past steps, so
    steps that keep pointing the same way grow and zig-zags cancel out. Same interface
    as ``bplib.training.SGD``: ``update(params, grads)`` changes ``params`` in place.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"the learning rate must be a number > 0, got {lr!r}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.lr, self.momentum = float(lr), float(momentum)  # Python floats keep float32 float32
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


# --- chapters 1-3: computational graphs, the chain rule, simple layers ---


class SubLayer(Layer):
    """out = x - y (a coupon taken off a bill), scalars or arrays of one shape.
    backward -> (dout, -dout): y counts against the result, so its gradient flips sign."""

    def __init__(self):
        self.shape = None

    def forward(self, x, y):
        self.shape = np.shape(x - y)  # like the add node, only the shape is needed later
        return x - y

    def backward(self, dout):
        self._check_dout(dout, self._need_forward(self.shape))
        return dout, -dout


class CubeLayer(Layer):
    """y = x ** 3, any shape. backward: dx = dout * 3x² (the local derivative)."""

    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x  # 3x² needs the input
        return x * x * x

    def backward(self, dout):
        x = self._need_forward(self.x)
        self._check_dout(dout, np.shape(x))
        return dout * 3 * x * x


class DivLayer(Layer):
    """out = x / y (a bill split y ways), scalars or arrays of one shape, y never 0.
    backward -> (dout / y, -dout * x / y²): like the multiply node, it keeps its inputs."""

    def __init__(self):
        self.x = self.y = None

    def forward(self, x, y):
        if np.any(np.asarray(y) == 0):
            raise ValueError("DivLayer: y contains 0, and x / 0 is undefined")
        self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        x, y = self._need_forward(self.x), self.y
        self._check_dout(dout, np.shape(x / y))
        return dout / y, -dout * x / (y * y)
