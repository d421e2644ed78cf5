"""Chinese for the words chapters 0-3 add (prose-facing texts, and the comments and docstrings of the
listings they show): English -> 中文."""

ZH = {}
