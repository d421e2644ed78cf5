"""Reference solutions to the chapter exercises, shown in each notebook after the
learner's own attempt. Each one passes ``check_layer``; the tests make sure of it."""

import numpy as np  # noqa: F401  (the solutions below use it)
