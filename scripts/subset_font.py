"""Make bplib/words/fonts/bplib-cjk.otf: the glyphs of every Chinese character the course uses.

Usage: python scripts/subset_font.py [SOURCE-{weight}.ttc]
SOURCE defaults to Debian's Noto Sans CJK (apt-get install fonts-noto-cjk), face "SC", in its
Regular and Bold weights (figures use bold for a few headings).
The characters come from bplib's word catalog, every cell of notebooks/zh/, the parts of
the READMEs the website shows (marked <!-- site:... -->), the Chinese words of the website's
theme and search (the catalogs of pydata-sphinx-theme, sphinx-book-theme and Sphinx's search
script, installed by requirements-site.txt), plus ASCII and CJK punctuation.
Run it after adding Chinese words; tests/test_words.py and tests/test_site.py say when.
Needs fontTools, which matplotlib already installs.
"""

import json
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

from bplib.words import ZH
from bplib.words.fonts import FAMILY, FONT_FILES
from bplib.words.site import THEME_ZH

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc"
FACE = "Noto Sans CJK SC"
EXTRA = "".join(map(chr, range(0x20, 0x7F))) + "，。：；（）、？！“”‘’《》【】—…·～％＋－×÷＝≈≤≥→←"


def course_text():
    text = list(ZH.values())
    for path in sorted((ROOT / "notebooks" / "zh").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text.append("".join(cell["source"]))
    for readme in ("README.md", "README.zh-CN.md"):  # the website's home page and glossary
        marked = re.finditer(r"<!-- site:(\w+) -->(.*?)<!-- /site:\1 -->", (ROOT / readme).read_text(), re.S)
        text += [part.group(2) for part in marked]
    return "".join(text) + theme_text() + EXTRA


def theme_text():
    """The Chinese of the website's menus, buttons and search messages (the theme's own words)."""
    import pydata_sphinx_theme
    import sphinx
    import sphinx_book_theme

    catalogs = [
        Path(pydata_sphinx_theme.__file__).parent / "locale/zh/LC_MESSAGES/sphinx.po",
        Path(sphinx_book_theme.__file__).parent / "theme/sphinx_book_theme/static/locales/zh_CN/LC_MESSAGES",
        Path(sphinx.__file__).parent / "locale/zh_CN/LC_MESSAGES/sphinx.js",
    ]
    text = list(THEME_ZH.values())  # what the course adds to them
    for catalog in catalogs:
        for path in [catalog] if catalog.is_file() else sorted(catalog.glob("*.po")):
            source = path.read_text(encoding="utf-8")
            text += re.findall(r'msgstr(?:\[\d\])? "(.*)"', source) if path.suffix == ".po" else [source]
    return "".join(text)


def main(source=SOURCE):
    wanted = {ord(c) for c in course_text()}
    for weight, target in FONT_FILES.items():
        collection = TTCollection(source.format(weight=weight))
        font = next(f for f in collection.fonts if f["name"].getDebugName(1) == FACE)
        chars = sorted(wanted & set(font.getBestCmap()))
        options = subset.Options()
        options.name_IDs = []  # names are written below
        options.layout_features = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=chars)
        subsetter.subset(font)
        names = font["name"]
        full = f"{FAMILY} {weight}"
        for name_id, value in ((1, FAMILY), (2, weight), (4, full), (6, full.replace(" ", "-"))):
            names.setName(value, name_id, 3, 1, 0x409)
        names.setName("Subset of Noto Sans CJK SC, SIL Open Font License 1.1 (OFL.txt)", 0, 3, 1, 0x409)
        font.recalcTimestamp = False  # the same characters give the same file: no churn in git
        font.save(target)
        print(f"{target.relative_to(ROOT)}: {len(chars)} characters, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:])
