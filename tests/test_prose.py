"""What the chapters say, checked against what they compute, in both editions.

- Every number the prose quotes is printed or asserted in that notebook (a number of two or more
  significant digits, a decimal, a percentage or a power of ten: counts such as "2 passes" and
  "chapter 3" are words, not measurements).
- Both editions store the same outputs, cell for cell: the same number of outputs of the same kinds.
- The Chinese edition uses the glossary's terms, not their variants; Chinese is emphasised in bold,
  never in italics (which fake a slant); Chinese printouts use full-width punctuation.
"""

import json
import math
import re
from pathlib import Path

import pytest

from bplib.words import ZH

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = sorted((ROOT / "notebooks").glob("*.ipynb"))
NOTEBOOKS = ENGLISH + sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(value):
    return "".join(value) if isinstance(value, list) else value


# --- numbers in the prose ------------------------------------------------------------------------
# a number: digits with optional thousands commas, a decimal part, an exponent; a unicode minus too
NUMBER = re.compile(
    r"(?<![\w.§])[−-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.§])[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?(?![\w.])"
)
PERCENT = re.compile(r"^\s*(%|％|percent)")


def _value(text):
    return float(text.replace(",", "").replace("−", "-"))


def _quoted(markdown):
    """(text, value, is a percentage) of each number the prose quotes as a measurement."""
    prose = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", markdown, flags=re.S)  # formulas are not quotes
    prose = re.sub(r"\]\([^)]*\)|<[^>]*>", " ", prose)  # nor are link targets and tags
    found = []
    for m in NUMBER.finditer(prose):
        text = m.group(0)
        digits = re.sub(r"\D", "", text.split("e")[0]).lstrip("0")
        percent = bool(PERCENT.match(prose[m.end() :]))
        if "." in text or "e" in text or percent or len(digits) >= 3:
            found.append((text, _value(text), percent))
    return found


def _numbers_in(text):
    return [_value(m.group(0)) for m in NUMBER.finditer(text)]


def _checked_numbers(cells):
    """Every number in the notebook's code and in its stored text outputs."""
    numbers = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        numbers += _numbers_in(_text(cell["source"]).replace("_", ""))
        for out in cell.get("outputs", []):
            numbers += _numbers_in(_text(out.get("text", "")))
            numbers += _numbers_in(_text(out.get("data", {}).get("text/plain", "")))
    return numbers


def _matches(value, percent, decimals, numbers):
    """Whether a quoted number is among the checked ones, as written or rounded to the quote."""
    wanted = [value / 100, value] if percent else [value]
    for w in wanted:
        for n in numbers:
            if math.isclose(n, w, rel_tol=1e-9, abs_tol=1e-12) or round(n, decimals) == w:
                return True
    return False


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_number_the_prose_quotes_is_printed_or_asserted(path):
    cells = _cells(path)
    numbers = _checked_numbers(cells)
    missing = []
    for k, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        for text, value, percent in _quoted(_text(cell["source"])):
            decimals = len(text.split(".")[1].split("e")[0]) if "." in text else 0
            if not _matches(value, percent, decimals + (2 if percent else 0), numbers):
                missing.append(f"cell {k}: {text}")
    assert not missing, f"quoted but neither printed nor asserted: {missing}"


def test_the_number_check_bites():
    cells = [
        {"cell_type": "markdown", "source": "The loss falls to 0.2634 and 97 % are right; chapter 3."},
        {"cell_type": "code", "source": "assert round(loss, 4) == 0.2634", "outputs": []},
    ]
    quoted = _quoted(cells[0]["source"])
    assert [q[0] for q in quoted] == ["0.2634", "97"]
    numbers = _checked_numbers(cells)
    assert _matches(0.2634, False, 4, numbers) and not _matches(97, True, 2, numbers)


# --- the two editions store the same outputs ----------------------------------------------------
def _kinds(cell):
    kinds = []
    for out in cell.get("outputs", []):
        kind = (out["output_type"], out.get("name", ""), tuple(sorted(out.get("data", {}))))
        if not kinds or kinds[-1] != kind or kind[0] != "stream":  # ipykernel may split a stream
            kinds.append(kind)
    return kinds


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_both_editions_store_the_same_outputs_cell_for_cell(english):
    en = [c for c in _cells(english) if c["cell_type"] == "code"]
    zh = [c for c in _cells(ROOT / "notebooks" / "zh" / english.name) if c["cell_type"] == "code"]
    assert len(en) == len(zh)
    for k, (a, b) in enumerate(zip(en, zh, strict=True), start=1):
        assert _kinds(a) == _kinds(b), f"code cell {k}: English stores {_kinds(a)}, Chinese {_kinds(b)}"


# --- the Chinese edition's words -----------------------------------------------------------------
# a variant the Chinese edition does not use -> the glossary's term (README.zh-CN.md)
VARIANTS = {  # a pattern (a regular expression) -> the glossary's term
    "局部因子": "局部导数",
    "有限差分": "数值微分",
    "量纲": "单位",
    "单元格": "单元",
    "(?<!消费)税率": "消费税 (1.1 is no rate; a rate, 0.1, is 消费税率)",
    "局部梯度": "局部导数",
}
CJK = "\u4e00-\u9fff"


def _chinese_texts():
    """(where, text) of every Chinese text a learner reads: notebooks' markdown, code (its strings
    and comments) and outputs, and the catalog."""
    texts = [(f"catalog: {english!r}", chinese) for english, chinese in ZH.items()]
    for path in sorted((ROOT / "notebooks" / "zh").glob("*.ipynb")):
        for k, cell in enumerate(_cells(path)):
            texts.append((f"zh/{path.stem} cell {k}", _text(cell["source"])))
            for out in cell.get("outputs", []):
                texts.append((f"zh/{path.stem} cell {k} output", _text(out.get("text", ""))))
    return texts


def test_the_chinese_edition_uses_the_glossarys_terms():
    found = [
        f"{where}: {variant} (the glossary says {term})"
        for where, text in _chinese_texts()
        for variant, term in VARIANTS.items()
        if re.search(variant, text)
    ]
    assert not found, "\n".join(found)


def test_chinese_emphasis_is_bold_never_italic():
    italic = re.compile(rf"(?<![*\w])[*_](?![*_\s])[^*_\n]*[{CJK}][^*_\n]*(?<![*_\s])[*_](?![*\w])")
    found = []
    for path in sorted((ROOT / "notebooks" / "zh").glob("*.ipynb")):
        for k, cell in enumerate(_cells(path)):
            if cell["cell_type"] == "markdown":
                prose = re.sub(r"`[^`]*`|\$[^$]*\$", "", _text(cell["source"]))
                found += [f"zh/{path.stem} cell {k}: {m.group(0)}" for m in italic.finditer(prose)]
    assert not found, "\n".join(found)


def test_chinese_printouts_use_full_width_punctuation():
    half = re.compile(rf"[{CJK}][,:;]|[,:;](?=[{CJK}])")
    found = [f"{where}: {m.group(0)!r}" for where, text in _chinese_texts() for m in half.finditer(text)]
    found = [f for f in found if "cell" not in f or "output" in f]  # code may write a:b, prose is checked
    assert not found, "\n".join(found)
