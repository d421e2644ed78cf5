"""The Chinese glyphs of the course's figures: a subset of Noto Sans CJK SC shipped with bplib.

No system font is needed. ``bplib-cjk.otf`` holds only the characters the course uses
(made by ``scripts/subset_font.py``; ``tests/test_words.py`` fails if a Chinese word of the
course is missing from it). Noto Sans CJK is under the SIL Open Font License 1.1, which
allows a subset to ship with software when the license ships with it: ``OFL.txt``.
"""

from pathlib import Path

FONT_FILE = Path(__file__).with_name("bplib-cjk.otf")
FAMILY = "bplib CJK"  # the subset's own name: a modified font must not keep the original's


def use_cjk_font():
    """Let matplotlib fall back to the bundled CJK font for glyphs DejaVu Sans lacks."""
    from matplotlib import font_manager, rcParams

    if FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(FONT_FILE))
    fallback = [name for name in rcParams["font.sans-serif"] if name != FAMILY]
    rcParams["font.sans-serif"] = fallback[:1] + [FAMILY] + fallback[1:]
