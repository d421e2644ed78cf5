"""Every word bplib shows a learner, in English and Chinese: the one place for them.

A notebook picks its language once, in its first code cell::

    bplib.use_language("zh")   # or "en"

and from then on every figure title, axis label, legend, node caption, table and printed
line that bplib draws uses ``words.say(key)``. A key missing from either language is a
KeyError in the tests (``tests/test_words.py``), never a silent English label.
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


# key -> {"en": ..., "zh": ...}. Grouped by where the learner meets them.
WORDS = {}
