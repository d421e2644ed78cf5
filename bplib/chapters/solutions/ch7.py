"""Chapter 7 exercise's reference solution: tanh as an autograd operation.

``check_op(tanh, x, forward=np.tanh)`` passes; the tests make sure of it.
"""

import numpy as np

from ...autograd import as_tensor, record


def tanh(x):
    """tanh(x), elementwise. tanh' = 1 − tanh², so grad_fn needs only the output y, as the Tanh
    layer of chapter 4 does: dx = dout · (1 − y²)."""
    x = as_tensor(x)
    y = np.tanh(x.data)

    def grad_fn(dout, y):
        return dout * (1.0 - y * y)

    return record("tanh", y, (x,), grad_fn, saved=(y,))
