"""Chapters 1-3 exercises' reference solutions: computational graphs, the chain rule, simple layers.

Plain classes, as the book writes its layers: the exercises come before (chapters 1 and 2) or
just after (chapter 3) bplib's ``Layer`` and need nothing from it.
"""


class SubLayer:
    """out = x - y (a coupon taken off a bill). x, y: numbers or arrays of one shape.
    backward(dout) -> (dx, dy) = (dout, -dout): y counts against the result, so its gradient flips sign."""

    def forward(self, x, y):
        return x - y

    def backward(self, dout):
        dx = dout * 1
        dy = dout * -1
        return dx, dy


class CubeLayer:
    """y = x ** 3, any shape. backward(dout) -> dx = dout * 3x² (the local derivative)."""

    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x  # 3x² needs the input
        return x * x * x

    def backward(self, dout):
        return dout * 3 * self.x * self.x


class DivLayer:
    """out = x / y (a bill split y ways). x, y: numbers or arrays of one shape, y never 0.
    backward(dout) -> (dx, dy) = (dout / y, -dout * x / y²): like the multiply node, it keeps its inputs."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        return x / y

    def backward(self, dout):
        dx = dout / self.y  # ∂(x/y)/∂x = 1/y
        dy = -dout * self.x / (self.y * self.y)  # ∂(x/y)/∂y = -x/y²
        return dx, dy
