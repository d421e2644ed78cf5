"""Chinese for the comments and docstrings of the source a chapter shows (``bplib.words.source``).

Keys are the English as written in the code: a comment's text after "# ", a docstring as
``inspect.cleandoc`` gives it (lines joined by newlines). The Chinese may have more or fewer lines.
"""

ZH = {}
