"""Every word bplib shows a learner, in English and Chinese: the one place for them.

A notebook picks its language once, in its first code cell::

    bplib.use_language("zh")   # or "en"

and from then on every figure title, axis label, legend, node caption, table and printed
line that bplib draws uses ``say(key)``, and so does the website. The words themselves are in
``graphs.py``, ``training.py`` and ``site.py`` (the website) beside this file, each entry
``key: {"en": ..., "zh": ...}``; a key without both languages fails ``tests/test_words.py``,
never a silent English label.
"""

LANGUAGES = ("en", "zh")
_current = ["en"]


def use_language(lang):
    """Show bplib's figures and printouts in ``"en"`` (English) or ``"zh"`` (简体中文)."""
    if lang not in LANGUAGES:
        raise ValueError(f"use_language: {lang!r} is not one of {LANGUAGES}")
    _current[0] = lang
    if lang == "zh":
        from .fonts import use_cjk_font  # only the Chinese edition needs the CJK glyphs

        use_cjk_font()


def language():
    """The language in use: ``"en"`` or ``"zh"``."""
    return _current[0]


def say(key, **values):
    """The text for ``key`` in the language in use, with ``{name}`` fields filled from ``values``."""
    text = WORDS[key][_current[0]]
    return text.format(**values) if values else text


def _merge(*catalogs):
    words = {}
    for catalog in catalogs:
        clash = words.keys() & catalog.keys()
        if clash:
            raise KeyError(f"words: keys defined twice: {sorted(clash)}")
        words.update(catalog)
    return words


# key -> {"en": ..., "zh": ...}, one catalog per part of bplib (imported last: they are plain data)
from .graphs import WORDS as _GRAPHS  # noqa: E402  (graphs, chapters 1-3, gradient checks, sliders)
from .site import WORDS as _SITE  # noqa: E402  (the course's website, website/build.py)
from .training import WORDS as _TRAINING  # noqa: E402  (chapters 4-6, training)

WORDS = _merge(_GRAPHS, _TRAINING, _SITE)


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
