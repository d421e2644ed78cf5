"""Chapter 4 exercises' reference solutions: activation layers."""

import numpy as np

from ...layers import Layer


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
