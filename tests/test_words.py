"""One program, two languages: the word catalog, the font, and the two editions' code cells."""

import io
import json
import re
import tokenize
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import bplib
from bplib.words import ZH, language, pad, say, use_language
from bplib.words.fonts import FONT_FILE

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHINESE = ROOT / "notebooks" / "zh"


def test_every_text_has_its_chinese_with_the_same_fields():
    for english, chinese in ZH.items():
        assert isinstance(chinese, str) and chinese.strip(), english
        fields = [set(re.findall(r"{(\w*)", text)) for text in (english, chinese)]
        assert fields[0] == fields[1], f"{english!r}: the two languages fill different fields"


def test_chinese_words_are_chinese():
    for english, chinese in ZH.items():
        if re.search(r"[A-Za-z]{4,}", re.sub(r"{[^}]*}", "", english)):  # English words to translate
            assert re.search(r"[\u4e00-\u9fff]", chinese), f"{english!r}: {chinese!r} has no Chinese"


def _say_calls():
    """(file, line, text or None) for every call of say(...) in bplib and the website (website/*.py,
    where say(lang, text) also occurs, and its page templates); text is None when the text
    argument is not a string literal."""
    import ast

    calls = []
    for path in sorted([*(ROOT / "bplib").rglob("*.py"), *(ROOT / "website").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say" and node.args:
                arg = node.args[-1] if "website" in path.parts else node.args[0]  # build.py: say(lang, text)
                branches = (
                    [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
                )  # say(a if c else b)
                for branch in branches:
                    literal = isinstance(branch, ast.Constant) and isinstance(branch.value, str)
                    calls.append((path.relative_to(ROOT), node.lineno, branch.value if literal else None))
    for template in sorted((ROOT / "website").rglob("*.html")):
        for line, row in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            calls += [
                (template.relative_to(ROOT), line, text) for text in re.findall(r'say\("([^"]*)"\)', row)
            ]
    return calls


def test_every_text_bplib_says_has_its_chinese():
    missing = [f"{path}:{line}: {text!r}" for path, line, text in _say_calls() if text and text not in ZH]
    assert not missing, "no Chinese for:\n" + "\n".join(missing)


# say(name) with a name, not a literal: each reads a table of English texts, checked below
TABLES = {
    "bplib/chapters/ch6_training.py": ["STEPS", "SETTING_LABELS"],
    "bplib/viz/sliders.py": ["LABELS"],
}


def test_texts_said_from_tables_have_their_chinese():
    import importlib

    loose = [f"{p}:{line}" for p, line, text in _say_calls() if text is None and str(p) not in TABLES]
    assert not loose, f"say() of something that is neither a literal nor a table in TABLES: {loose}"
    for path, names in TABLES.items():
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        for name in names:
            table = getattr(module, name)
            values = table.values() if isinstance(table, dict) else table
            texts = [t for v in values for t in (v if isinstance(v, tuple) else (v,))]
            assert all(t in ZH for t in texts), f"{path} {name}: {[t for t in texts if t not in ZH]}"


def test_every_chinese_text_is_still_used():
    """A catalog entry no code says any more is dead weight: find each English text in the code."""
    import ast
    import inspect
    import io
    import tokenize

    literals = set()
    for path in [*(ROOT / "bplib").rglob("*.py"), *(ROOT / "website").glob("*.py")]:
        if "words" not in path.parts:
            code = path.read_text(encoding="utf-8")
            strings = [n.value for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Constant)]
            literals |= {s for s in strings if isinstance(s, str)}
            literals |= {inspect.cleandoc(s) for s in strings if isinstance(s, str)}  # docstrings, as listed
            comments = tokenize.generate_tokens(io.StringIO(code).readline)
            literals |= {t.string[1:].strip() for t in comments if t.type == tokenize.COMMENT}
    literals |= {text for _, _, text in _say_calls()}  # the website's page templates
    unused = [english for english in ZH if english not in literals]
    assert not unused, f"texts nobody says: {unused}"


def test_say_follows_the_language_and_a_missing_text_fails(chinese):
    assert language() == "zh" and say("payment") == "支付金额"
    with pytest.raises(KeyError, match="no Chinese for"):
        say("no such text")
    use_language("en")
    assert say("payment") == "payment" and say("no such text") == "no such text"
    with pytest.raises(ValueError, match="'fr' is not one of"):
        use_language("fr")
    assert language() == "en"


def test_pad_counts_chinese_characters_as_two_columns():
    assert pad("输入", 6) == "输入  " and pad("ab", 4, ">") == "  ab" and pad("toolong", 3) == "toolong"


def _chinese_text():
    text = list(ZH.values())
    for path in sorted(CHINESE.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                text.append("".join(cell["source"]))
    return "".join(text)


def test_the_bundled_font_has_every_chinese_character_of_the_course():
    cmap = TTFont(FONT_FILE).getBestCmap()
    missing = sorted({c for c in _chinese_text() if ord(c) > 0x2E7F and ord(c) not in cmap})
    assert not missing, f"run scripts/subset_font.py: the font lacks {''.join(missing)}"


def test_the_font_ships_with_its_license():
    license_text = (FONT_FILE.parent / "OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE" in license_text and "Adobe" in license_text
    assert FONT_FILE.stat().st_size < 1_000_000  # a subset, not the 16 MB family


# --- the two editions run the same programs ---------------------------------------------
def _program(source):
    """The token stream of a cell without its comments and string contents."""
    tokens, inside = [], 0  # inside: how deep in an f-string (Python 3.12+ tokenizes its parts)
    starts, ends = getattr(tokenize, "FSTRING_START", -1), getattr(tokenize, "FSTRING_END", -1)
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
        if tok.type == starts:
            inside += 1
            if inside == 1:
                tokens.append("<str>")  # a whole f-string is one string, as on Python 3.10 and 3.11
        elif tok.type == ends:
            inside -= 1
        elif not inside and tok.type not in (tokenize.COMMENT, tokenize.NL):
            tokens.append("<str>" if tok.type == tokenize.STRING else tok.string)
    return tokens


def _code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_every_chapter_has_a_chinese_edition():
    assert [p.name for p in sorted(CHINESE.glob("*.ipynb"))] == [p.name for p in ENGLISH]


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_chinese_code_cells_equal_the_english_apart_from_strings_and_comments(english):
    en, zh = _code_cells(english), _code_cells(CHINESE / english.name)
    assert len(en) == len(zh), f"{english.name}: {len(en)} English code cells, {len(zh)} Chinese"
    for k, (a, b) in enumerate(zip(en, zh, strict=True), start=1):
        where = f"{english.name} code cell {k}"
        assert _program("".join(a["source"])) == _program("".join(b["source"])), where
        assert a["metadata"].get("tags", []) == b["metadata"].get("tags", []), where


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_each_edition_picks_its_language_in_its_first_code_cell(english):
    for path, lang in ((english, "en"), (CHINESE / english.name, "zh")):
        first = "".join(_code_cells(path)[0]["source"])
        assert f'bplib.use_language("{lang}")' in first, path


def test_the_same_program_test_catches_a_changed_line():
    assert _program('x = 1  # one\nprint("a")') == _program('x = 1  # 一\nprint("甲")')
    assert _program("x = 1") != _program("x = 2")


# --- what a Chinese learner sees ----------------------------------------------------------
UPDATES = [
    ("bplib.viz.sliders", "update_demo", {}),
    ("bplib.chapters.ch1_3_graphs", "update_apple", {}),
    ("bplib.chapters.ch1_3_graphs", "update_chain", {}),
    ("bplib.chapters.ch1_3_graphs", "update_chain_steps", {}),
    ("bplib.chapters.ch1_3_graphs", "update_nodes", {}),
    ("bplib.chapters.ch1_3_graphs", "update_apple_steps", {"step": 2}),
    ("bplib.chapters.ch1_3_graphs", "update_apple_orange_steps", {"step": 0}),
    ("bplib.chapters.ch1_3_graphs", "update_apple_orange", {}),
    ("bplib.chapters.ch4_activations", "update_relu", {}),
    ("bplib.chapters.ch4_activations", "update_sigmoid", {}),
    ("bplib.chapters.ch4_activations", "update_vanishing", {}),
    ("bplib.chapters.ch5_affine_softmax", "update_affine_shapes", {}),
    ("bplib.chapters.ch5_affine_softmax", "update_softmax_loss", {}),
    ("bplib.chapters.ch5_affine_softmax", "update_affine_index", {}),
    ("bplib.chapters.ch7_autograd", "update_autograd_apples", {}),
    ("bplib.chapters.ch7_autograd", "update_autograd_steps", {"step": 3}),
    ("bplib.chapters.ch7_autograd", "update_fork", {}),
    ("bplib.chapters.ch7_autograd", "update_no_clear", {}),
]
# Names that stay as they are in the Chinese edition: layers, functions, symbols.
KEPT = {
    "ReLU",
    "Relu",
    "relu",
    "Sigmoid",
    "sigmoid",
    "Affine",
    "Softmax",
    "Loss",
    "softmax",
    "with",
    "tanh",
    "exp",
    "log",
    "grad",  # chapter 7: `.grad`, an attribute's name in code
}


def _texts(fig):
    found = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            found += [t.get_text() for t in legend.get_texts()]
    return [t for t in found if t]


@pytest.mark.parametrize(("module", "name", "kwargs"), UPDATES, ids=lambda v: v if isinstance(v, str) else "")
def test_chinese_figures_and_printouts_carry_no_english_words(chinese, capsys, module, name, kwargs):
    import importlib

    fig = getattr(importlib.import_module(module), name)(**kwargs)
    shown = _texts(fig) + capsys.readouterr().out.splitlines() + repr(fig).splitlines()  # its description too
    for text in shown:
        words = set(re.findall(r"[A-Za-z]{4,}", text)) - KEPT
        assert not words, f"{name}: English {sorted(words)} in {text!r}"


def test_chinese_figures_raise_no_missing_glyph_warning(chinese):
    """A glyph missing from every font is a matplotlib warning; the suite turns it into an error."""
    from bplib.chapters.ch1_3_graphs import update_apple
    from bplib.viz.sliders import png

    assert png(update_apple()).startswith(b"\x89PNG")


def test_english_is_the_default():
    assert bplib.language() == "en" and say("PASS") == "PASS"


def test_a_listing_reads_in_the_language_in_use_and_a_missing_comment_fails(chinese, monkeypatch):
    from bplib.words import source

    def listed():
        """Return the answer."""
        return 42  # the answer

    monkeypatch.setitem(ZH, "Return the answer.", "返回答案。")
    monkeypatch.setitem(ZH, "the answer", "答案")
    assert source(listed).splitlines()[1:] == ['    """返回答案。"""', "    return 42  # 答案"]  # dedented
    monkeypatch.delitem(ZH, "the answer")
    with pytest.raises(KeyError, match="no Chinese for the comment 'the answer'"):
        source(listed)
    use_language("en")
    assert "# the answer" in source(listed)
