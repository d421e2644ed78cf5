"""Reference solutions to the chapter exercises, shown in each notebook after the
learner's own attempt.

Each one is its exercise's stub with the missing lines filled in, written as a learner
would: nothing the stub does not have (no private helpers, no input checks). Each passes
its exercise's check (``check_layer`` with ``expect=``, or ``check_optimizer``); the tests
make sure of it. One module per chapter; a new exercise adds its solution to its chapter's module, and
its name here.
"""

from .ch1_3 import CubeLayer, DivLayer, SubLayer
from .ch4 import Tanh
from .ch5 import Affine, IdentityWithLoss, SoftmaxWithLoss
from .ch6 import LeakyRelu, Momentum
from .ch7 import tanh

__all__ = [
    "Affine",
    "CubeLayer",
    "DivLayer",
    "IdentityWithLoss",
    "LeakyRelu",
    "Momentum",
    "SoftmaxWithLoss",
    "SubLayer",
    "Tanh",
    "tanh",
]
