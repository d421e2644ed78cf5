"""Chapter 5 exercises' reference solutions: the backward passes of Affine and Softmax-with-Loss, and
an identity output with a squared-error loss."""

import numpy as np

from ...functions import softmax
from ...layers import Layer


class Affine(Layer):
    """Y = X·W + B for a batch. x: (N, D), or (N, d1, d2, ...) with d1*d2*... = D; W: (D, M); b: (M,).
    forward(x) -> (N, M). backward(dout (N, M)) -> dx of x's shape, and keeps dW (D, M) and db (M,).
    """

    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.x_shape = self.dW = self.db = None

    def forward(self, x):
        self.x_shape = x.shape
        self.x = x.reshape(len(x), -1)  # each example as one row: (N, D)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout  # entry (i, j): the sum over n of x[n, i] * dout[n, j]
        self.db = dout.sum(axis=0)  # b was added to every row
        dx = dout @ self.W.T  # entry (n, i): the sum over j of W[i, j] * dout[n, j]
        return dx.reshape(self.x_shape)


class SoftmaxWithLoss(Layer):
    """Softmax, then the cross-entropy error averaged over the batch.
    forward(x, t) -> L, a float. x: scores (N, C); t: one-hot rows (N, C).
    backward(dout=1.0) -> dx (N, C).
    """

    def __init__(self):
        self.y = self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)  # each row: probabilities summing to 1
        return float(-np.sum(t * np.log(self.y)) / len(x))  # the mean over the N examples

    def backward(self, dout=1.0):
        batch_size = len(self.y)
        return dout * (self.y - self.t) / batch_size


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
