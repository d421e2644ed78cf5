"""Every word bplib shows a learner, in English and Chinese: the one place for them.

A notebook picks its language once, in its first code cell::

    bplib.use_language("zh")   # or "en"

and from then on every figure title, axis label, legend, node caption, table, printed line,
widget label and error message that bplib shows goes through ``say``::

    say("apple price")                    # "apple price", or "苹果单价" in Chinese
    say("payment = {price} yen", price=220)

The English text is itself the key, as in gettext, so bplib's source reads as words. The
Chinese for each text is in ``graphs.py``, ``training.py``, ``errors.py``, ``data.py``,
``autograd.py`` and ``site.py`` beside this file (``ZH = {English: 中文}``). A text with no Chinese raises ``KeyError`` in
the Chinese edition, and ``tests/test_words.py`` finds every ``say("...")`` in bplib and
checks that it has one: never a silent English label.
"""

LANGUAGES = ("en", "zh")
_current = ["en"]


def use_language(lang):
    """Show bplib's figures, printouts, widgets and errors in ``"en"`` (English) or ``"zh"`` (简体中文)."""
    if lang not in LANGUAGES:
        raise ValueError(f"use_language: {lang!r} is not one of {LANGUAGES}")
    _current[0] = lang
    if lang == "zh":
        from .fonts import use_cjk_font  # only the Chinese edition needs the CJK glyphs

        use_cjk_font()


def language():
    """The language in use: ``"en"`` or ``"zh"``."""
    return _current[0]


def say(text, **fields):
    """``text`` (English) in the language in use, with its ``{name}`` fields filled from ``fields``."""
    if _current[0] == "zh":
        try:
            text = ZH[text]
        except KeyError:
            raise KeyError(f"no Chinese for {text!r}: add it to bplib/words/") from None
    return text.format(**fields) if fields else text


def sentences(parts):
    """Sentences one after another: a space between them in English, none in Chinese."""
    return ("" if _current[0] == "zh" else " ").join(parts)


def source(obj):
    """The source code of ``obj`` (a function or class), as a chapter prints it. In the Chinese
    edition its comments and docstrings are in Chinese (their English is the key, in
    ``listings.py``), so a listing reads in the reader's language and its code is still the code
    that runs."""
    import inspect
    import textwrap

    return listing(textwrap.dedent(inspect.getsource(obj)))  # a method reads from the left margin


def listing(text):
    """``text`` (Python source) as a chapter prints it: in the Chinese edition every comment and
    docstring is replaced by its Chinese (``listings.py``)."""
    if _current[0] == "en":
        return text
    import ast
    import inspect
    import io
    import textwrap
    import tokenize

    lines = text.splitlines()
    docstrings = []  # (first line, last line, the docstring's lines in Chinese)
    for node in ast.walk(ast.parse(textwrap.dedent(text))):  # docstring: first statement of a class or def
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            doc = body[0].value
            if isinstance(doc, ast.Constant) and isinstance(doc.value, str):
                row = lines[doc.lineno - 1]
                indent = row[: len(row) - len(row.lstrip())]
                chinese = _chinese(inspect.cleandoc(doc.value), "docstring").splitlines()
                block = [f'{indent}"""{chinese[0]}'] + [indent + line if line else "" for line in chinese[1:]]
                block[-1] += '"""'
                docstrings.append((doc.lineno - 1, doc.end_lineno - 1, block))
    plain = textwrap.dedent(text)
    removed = next(len(a) - len(b) for a, b in zip(lines, plain.splitlines(), strict=True) if a.strip())
    comments = {}  # line -> (column, the comment in Chinese)
    for token in tokenize.generate_tokens(io.StringIO(plain).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0] - 1] = (
                removed + token.start[1],
                _chinese(token.string[1:].strip(), "comment"),
            )
    for row, (column, chinese) in comments.items():
        lines[row] = lines[row][:column] + "# " + chinese
    for first, last, block in sorted(docstrings, reverse=True):  # from the bottom up: rows stay valid
        lines[first : last + 1] = block
    return "\n".join(lines) + "\n"


def _chinese(english, kind):
    try:
        return ZH[english]
    except KeyError:
        raise KeyError(f"no Chinese for the {kind} {english!r}: add it to bplib/words/listings.py") from None


def _merge(*catalogs):
    words = {}
    for catalog in catalogs:
        clash = {k for k in words.keys() & catalog.keys() if words[k] != catalog[k]}
        if clash:
            raise KeyError(f"words: texts translated twice, differently: {sorted(clash)}")
        words.update(catalog)
    return words


# English -> Chinese, one catalog per part of bplib (imported last: they are plain data)
from .autograd import ZH as _AUTOGRAD  # noqa: E402  (chapter 7, bplib.autograd)
from .ch0_3 import ZH as _CH0_3  # noqa: E402  (what chapters 0-3 add)
from .ch4 import ZH as _CH4  # noqa: E402  (what chapter 4 adds)
from .ch5 import ZH as _CH5  # noqa: E402  (what chapter 5 adds)
from .ch6 import ZH as _CH6  # noqa: E402  (what chapter 6 adds)
from .ch7 import ZH as _CH7  # noqa: E402  (what chapter 7 adds)
from .data import ZH as _DATA  # noqa: E402  (MNIST, bplib.data)
from .errors import ZH as _ERRORS  # noqa: E402  (error messages)
from .graphs import ZH as _GRAPHS  # noqa: E402  (graphs, chapters 1-3, gradient checks, sliders)
from .listings import ZH as _LISTINGS  # noqa: E402  (the comments and docstrings of shown source)
from .site import ZH as _SITE  # noqa: E402  (the course's website, website/build.py)
from .training import ZH as _TRAINING  # noqa: E402  (chapters 4-6, training)

ZH = _merge(_GRAPHS, _TRAINING, _ERRORS, _DATA, _AUTOGRAD, _LISTINGS, _CH0_3, _CH4, _CH5, _CH6, _CH7, _SITE)


def display_width(text):
    """Columns ``text`` takes in a terminal: a Chinese character (or full-width sign) counts as two."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in str(text))


def pad(text, width, align="<"):
    """``text`` padded with spaces to ``width`` columns (``display_width``), so that printed
    tables line up in both languages. align: "<" (left) or ">" (right)."""
    text = str(text)
    room = max(width - display_width(text), 0) * " "
    return text + room if align == "<" else room + text
