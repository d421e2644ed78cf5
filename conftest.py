"""Root pytest configuration: the suite is `pytest` here (unit tests and strict nbval).

The nbval options (current environment's kernel, sanitize file, cell timeout) are set in
pyproject.toml, so a plain `pytest` at the root is the whole suite.
"""

import os

# The notebook kernels inherit this. With more than one BLAS thread, OpenBLAS threads
# spin-wait whenever another process wants a core, and chapter 6's training took 30 s
# instead of 6 s on a busy 2-core machine; one thread keeps it steady.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
