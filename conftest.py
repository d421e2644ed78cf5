"""Root pytest configuration: the suite is `pytest` here (unit tests and strict nbval).

The nbval options (current environment's kernel, sanitize file, cell timeout) are set in
pyproject.toml, so a plain `pytest` at the root is the whole suite.
"""
