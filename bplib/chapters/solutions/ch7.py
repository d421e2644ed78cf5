"""Chapter 7 exercise's reference solution: tanh as an autograd operation.

``check_op(tanh, x, expect=np.tanh)`` passes; the tests make sure of it.
"""

import numpy as np

from ...autograd import as_tensor, record


def tanh(x):
    """tanh(x), elementwise. Its local derivative is 1 − tanh(x)² = 1 − y²: the output is enough."""
    x = as_tensor(x)
    y = np.tanh(x.data)

    def grad_fn(dout, y):
        return dout * (1.0 - y * y)

    return record("tanh", y, (x,), grad_fn, saved=(y,))
