"""The Chinese glyphs of the course's figures: a subset of Noto Sans CJK SC shipped with bplib.

No system font is needed. ``bplib-cjk-regular.otf`` (and ``-bold``) hold only the characters the course uses
(made by ``scripts/subset_font.py``; ``tests/test_words.py`` fails if a Chinese word of the
course is missing from it). Noto Sans CJK is under the SIL Open Font License 1.1, which
allows a subset to ship with software when the license ships with it: ``OFL.txt``.
"""

from pathlib import Path

FONT_FILES = {
    weight: Path(__file__).with_name(f"bplib-cjk-{weight.lower()}.otf") for weight in ("Regular", "Bold")
}
FONT_FILE = FONT_FILES["Regular"]
FAMILY = "bplib CJK"  # the subset's own name: a modified font must not keep the original's


def use_cjk_font():
    """Let matplotlib fall back to the bundled CJK font for glyphs the Latin font lacks.

    matplotlib (>= 3.6) falls back glyph by glyph along ``font.family`` when it is a list of
    families: Latin letters and digits keep the look of the English edition.
    """
    from matplotlib import font_manager, rcParams

    if FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        for path in FONT_FILES.values():
            font_manager.fontManager.addfont(str(path))
    families = [f for f in rcParams["font.family"] if f != FAMILY]
    latin = rcParams["font.sans-serif"][0] if families in (["sans-serif"], []) else None
    rcParams["font.family"] = ([latin] if latin else families) + [FAMILY]
