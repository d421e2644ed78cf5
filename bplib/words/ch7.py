"""Chinese for the words chapter 7 adds (prose-facing texts, and the comments and docstrings of the
listings it shows): English -> 中文."""

ZH = {}
