"""The website (`make site`): both editions, built by Sphinx from the stored notebooks, read in Chromium.

The site is built once per session into a temporary folder, by the command `make site` runs.
The first tests read its files. The browser tests (marker ``browser``) serve it on 127.0.0.1, walk
every page reachable from the two home pages in Chromium at a desktop's and a phone's width, and
check what a reader would see: pages, images and anchors exist, no request leaves 127.0.0.1,
axe-core finds no WCAG 2.1 AA violation, nothing but code and formulas is wider than a phone,
formulas are typeset, the Chinese font loads, the language switch leads to the twin page, search
finds in both languages, the download is the edition's notebook. Then it reads the site from the
disk (file://), as from a USB stick.
"""

import ast
import html
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urldefrag, urlsplit

import nbformat
import pytest
from fontTools.ttLib import TTFont

from bplib.words import ZH
from bplib.words.fonts import FONT_FILES

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {"en": (ROOT / "notebooks", ""), "zh": (ROOT / "notebooks" / "zh", "zh/")}
HTML_LANG = {"en": "en", "zh": "zh-CN"}
CHAPTERS = sorted(nb.stem for nb in (ROOT / "notebooks").glob("*.ipynb"))
PAGES = sorted(
    f"{prefix}{name}.html"
    for _, prefix in EDITIONS.values()
    for name in ["index", "glossary", "search", *CHAPTERS]
)
LIVE_NOTE = (
    "In JupyterLab (`make lab`) or in the app (`make app`), this cell shows live controls to drag "
    "and click. Here: the checked picture that follows it."
)
NO_DESCRIPTION = "A figure drawn by bplib; the text around it says what it shows."
DEFAULT_REPR = re.compile(r"<Figure size [\d.]+x[\d.]+ with \d+ Axes>")
CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
HAN = re.compile(r"[\u4e00-\u9fff]")
# The links that run a chapter, set once in website/conf.py.
CONF = (ROOT / "website" / "conf.py").read_text(encoding="utf-8")
JUPYTERHUB_URL, BINDERHUB_URL = (
    re.search(rf'^{k} = "([^"]+)"', CONF, re.M).group(1) for k in ("JUPYTERHUB_URL", "BINDERHUB_URL")
)


def website_say(edition, text):
    return ZH[text] if edition == "zh" else text


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("website")
    out = folder / "site"
    command = [sys.executable, "website/build.py", "--out", str(out), "--cache", str(folder / "cache")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr and "ERROR" not in done.stderr, done.stderr
    assert f"{len(PAGES)} pages" in done.stdout
    return out


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_PROSE = {"pre", "code", "script", "style", "kbd", "title", "noscript"}


class Parsed(HTMLParser):
    """A page's tags as (tag, attributes), its prose (text outside code, scripts and formulas) as
    (text, language it is marked with), and its preformatted text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.runs, self.pre, self._open = [], [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in VOID:
            return
        classes = (attrs.get("class") or "").split()
        hidden = tag in NOT_PROSE or "math" in classes or "onlyprint" in classes  # onlyprint: paper only
        lang = attrs.get("lang") or (self._open[-1][2] if self._open else None)
        self._open.append((tag, hidden, lang, [] if tag == "pre" else None))

    def handle_endtag(self, tag):
        while self._open:
            name, _, _, pre = self._open.pop()
            if pre is not None:
                self.pre.append("".join(pre))
            if name == tag:
                break

    def handle_data(self, data):
        for _, _, _, pre in self._open:
            if pre is not None:
                pre.append(data)
        if not any(hidden for _, hidden, _, _ in self._open):
            self.runs.append((data, self._open[-1][2] if self._open else None))

    @property
    def prose(self):
        return re.sub(r"\s+", " ", "".join(text for text, _ in self.runs))

    def attr(self, tag, name, **where):
        return [
            a[name]
            for t, a in self.tags
            if t == tag and name in a and all(a.get(k) == v for k, v in where.items())
        ]


def _page(site, path):
    return Parsed((site / path).read_text(encoding="utf-8"))


def _article(site, path):
    """The page's own content: its article (on the search page: the search box and results)."""
    text = (site / path).read_text(encoding="utf-8")
    start = '<article class="bd-article">' if "<article" in text else '<div class="bd-search-container">'
    return Parsed(text[text.index(start) : text.index("</article>" if "<article" in text else "</main>")])


def _is_live(cell):
    """A cell of sliders or buttons, as NOTEBOOKS.md rule 3 writes it and the site recognizes it."""
    source = cell.source
    return (
        cell.cell_type == "code"
        and not cell.outputs
        and "# NBVAL_IGNORE_OUTPUT" in source.splitlines()
        and re.search(r"^\w*(sliders|_panel)\(", source, re.M) is not None
    )


def _figures(cell):
    return [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]


def _expected_figures(nb, edition):
    """The text alternative of each picture on a chapter's page, in order: a live cell shows the
    picture of the checked cell that follows it."""
    expected = []
    for i, cell in enumerate(nb.cells):
        if _is_live(cell):
            follower = next((c for c in nb.cells[i + 1 :] if _figures(c) or _is_live(c)), None)
            if follower is not None and not _is_live(follower):
                expected.append(_figures(follower)[0])
        expected += _figures(cell)
    return [_alt(o["data"]["text/plain"], edition) for o in expected]


def _alt(text, edition):
    """The text alternative the site gives a figure: its description, whole (an attribute's line
    breaks are spaces), or a general sentence for matplotlib's bare repr."""
    text = " ".join(text.split())
    return website_say(edition, NO_DESCRIPTION) if DEFAULT_REPR.fullmatch(text) else text


# --- the files --------------------------------------------------------------------------------------


def test_every_page_of_both_editions_is_built(site):
    built = sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if not {"_static", "_sources", "_images"} & set(p.relative_to(site).parts)
    )
    assert built == PAGES
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert not (site / "zh" / "_static" / "mathjax").exists()  # one MathJax for both editions
    assert (site / ".nojekyll").is_file()  # else GitHub Pages would leave out _static/


def _markdown_lines(source):
    """Lines of a markdown cell that carry no markup, formulas or links: these show as written."""
    for line in source.splitlines():
        line = re.sub(r"^\s*(#+|[-*>]|\d+\.)\s+", "", line).strip()
        if len(line) >= 12 and not re.search(r"[`*_$\\\[\]<>|]|https?:", line):
            yield line


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_chapter_page_holds_every_cell_and_output_of_its_notebook(site, edition):
    folder, prefix = EDITIONS[edition]
    for name in CHAPTERS:
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        text = (site / f"{prefix}{name}.html").read_text(encoding="utf-8")
        page = _article(site, f"{prefix}{name}.html")
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert len(re.findall(r'<div class="cell[ "]', text)) == len(code), name
        sources = "\n".join(page.pre)
        for cell in code:  # every line of code, as stored
            for line in cell.source.splitlines():
                assert line.strip() in sources, (name, line)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                lines = list(_markdown_lines(cell.source))
                assert all(line in page.prose for line in lines), (name, lines)
            for output in cell.get("outputs", []):
                if output.output_type == "stream":
                    assert output.text.strip() in sources, (name, output.text[:80])


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_figure_carries_its_stored_description_as_its_text_alternative(site, edition):
    folder, prefix = EDITIONS[edition]
    for name in CHAPTERS:
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        page = _article(site, f"{prefix}{name}.html")
        shown = [a for t, a in page.tags if t == "img" and a.get("src", "").startswith("_images/")]
        assert [" ".join(a["alt"].split()) for a in shown] == _expected_figures(nb, edition), name
        assert all((site / prefix / a["src"]).is_file() for a in shown)


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_figure_is_described_in_words_that_name_its_numbers(site, name):
    """bplib describes each figure (its text/plain) in the notebook's language, with the numbers it
    shows: the general sentence for a bare matplotlib repr does not pass here."""
    for edition, (_, prefix) in EDITIONS.items():
        page = _article(site, f"{prefix}{name}.html")
        for alt in page.attr("img", "alt"):
            assert alt != website_say(edition, NO_DESCRIPTION) and not DEFAULT_REPR.search(alt), alt
            assert re.search(r"\d", alt), f"{prefix}{name}: a description without numbers: {alt!r}"
            assert bool(HAN.search(alt)) == (edition == "zh"), (
                f"{prefix}{name}: not in the page's language: {alt!r}"
            )


def test_a_live_cell_says_where_its_controls_are_live_and_shows_the_checked_picture(site):
    for edition, (folder, prefix) in EDITIONS.items():
        live = sum(
            _is_live(c) for nb in folder.glob("*.ipynb") for c in nbformat.read(nb, as_version=4).cells
        )
        note = website_say(edition, LIVE_NOTE).replace("`", "")
        shown = 0
        for name in CHAPTERS:
            text = (site / f"{prefix}{name}.html").read_text(encoding="utf-8")
            for cell in re.split(r'<div class="cell tag_live-controls[^"]*">', text)[1:]:
                cell = re.split(r'<div class="cell[ "]', cell)[0]
                assert note in html.unescape(re.sub(r"<[^>]+>", "", cell)), f"{prefix}{name}"
                assert Parsed(cell).attr("img", "alt"), f"{prefix}{name}: a live cell without its picture"
                shown += 1
        assert shown == live > 10


def _local_targets(site, page):
    """(url, file it leads to, anchor) for every local href/src of ``page``."""
    for tag, attrs in _page(site, page.relative_to(site)).tags:
        for name in ("href", "src"):
            url = attrs.get(name)
            if url is None or (tag == "a" and url.startswith(("https://", "http://", "mailto:"))):
                continue
            assert not urlsplit(url).scheme and not url.startswith("//"), (
                f"{page.name}: {url} is off the site"
            )
            path, anchor = urldefrag(url)
            yield url, (page.parent / unquote(urlsplit(path).path)).resolve() if path else page, anchor


def test_every_local_link_and_image_of_the_site_exists(site):
    for page in site.rglob("*.html"):
        if "_static" in page.parts:
            continue
        for url, target, anchor in _local_targets(site, page):
            assert target.is_file() or (target / "index.html").is_file(), (
                f"{page.relative_to(site)}: {url} leads nowhere"
            )
            if anchor and target.suffix == ".html":
                assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{page.name}: #{anchor}"


def test_the_sites_own_files_ask_no_other_host(site):
    for path in [*site.rglob("*.html"), *site.rglob("*.css")]:
        if "mathjax" in path.parts:
            continue  # MathJax's own files: the browser test watches what it requests
        text = path.read_text(encoding="utf-8")
        found = re.findall(
            r"""(?:<script[^>]*\ssrc=|<link[^>]*\shref=|<img[^>]*\ssrc=|url\(|@import)\s*["']?(?:https?:)?//[^"')\s]+""",
            text,
        )
        assert not found, (path.relative_to(site), found[:3])


@pytest.mark.parametrize("path", PAGES)
def test_each_page_has_a_language_switch_to_its_twin(site, path):
    twin = path.removeprefix("zh/") if path.startswith("zh/") else f"zh/{path}"
    (href,) = _page(site, path).attr("a", "href", **{"class": "btn btn-sm language-switch"})
    assert os.path.normpath(os.path.join(os.path.dirname(path), href)) == twin
    (back,) = _page(site, twin).attr("a", "href", **{"class": "btn btn-sm language-switch"})
    assert os.path.normpath(os.path.join(os.path.dirname(twin), back)) == path


@pytest.mark.parametrize("path", PAGES)
def test_the_other_language_is_marked_for_screen_readers(site, path):
    """English pages: every Chinese character sits in lang="zh-CN"; Chinese chapters: every English
    word sits in lang="en". The page itself says its language."""
    edition = "zh" if path.startswith("zh/") else "en"
    assert f'<html lang="{HTML_LANG[edition]}"' in (site / path).read_text(encoding="utf-8")
    if edition == "en":
        text = (site / path).read_text(encoding="utf-8")
        runs = Parsed(text[text.index("<body") :]).runs
        unmarked = [t for t, lang in runs if CJK.search(t) and lang != "zh-CN"]
    else:
        article = _article(site, path)
        unmarked = [t for t, lang in article.runs if re.search(r"[A-Za-z]{3}", t) and lang != "en"]
        unmarked += [  # what a screen reader says for a button, e.g. a folded output's
            v
            for _, a in article.tags
            for k, v in a.items()
            if k == "aria-label" and re.search(r"[A-Za-z]{3}", v)
        ]
    assert not unmarked, unmarked[:5]


def test_the_search_index_finds_words_in_both_languages(site):
    def index(prefix):
        script = (site / prefix / "searchindex.js").read_text(encoding="utf-8")
        return json.loads(script.removeprefix("Search.setIndex(").rstrip().removesuffix(")"))

    def pages(idx, term):
        found = [idx[kind].get(term, []) for kind in ("terms", "titleterms")]
        return {idx["docnames"][i] for f in found for i in ([f] if isinstance(f, int) else f)}

    en, zh = index(""), index("zh")
    assert "02_chain_rule" in pages(en, "chain") and "02_chain_rule" in pages(en, "rule")
    assert "02_chain_rule" in pages(zh, "链式法则")
    assert "01_computational_graph" in pages(zh, "反向传播")  # a glossary term, so one word for jieba
    assert set(en["docnames"]) == set(zh["docnames"]) == {"index", "glossary", *CHAPTERS}


def _visible_text(site, path):
    parsed = _page(site, path)
    words = [
        v
        for _, a in parsed.tags
        for k, v in a.items()
        if k in ("title", "aria-label", "alt", "placeholder") and v
    ]
    return "".join(text for text, _ in parsed.runs) + "".join(words)


def test_every_chinese_character_of_the_site_is_in_the_shipped_font(site):
    cmaps = [TTFont(path).getBestCmap() for path in FONT_FILES.values()]
    text = "".join(_visible_text(site, path) for path in PAGES)
    text += (site / "zh" / "_static" / "translations.js").read_text(encoding="utf-8")  # search messages
    used = set(CJK.findall(text))
    assert len(used) > 300
    for cmap in cmaps:
        missing = sorted(c for c in used if ord(c) not in cmap)
        assert not missing, f"run scripts/subset_font.py: the font lacks {''.join(missing)}"


def test_a_page_with_formulas_loads_the_sites_own_mathjax(site):
    for path in PAGES:
        text = (site / path).read_text(encoding="utf-8")
        if 'class="math' in text:
            (src,) = [s for s in _page(site, path).attr("script", "src") if "mathjax" in s]
            assert (site / os.path.dirname(path) / src.split("?")[0]).resolve().is_file(), path


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_chapter_offers_its_own_notebook_and_links_that_run_it(site, edition):
    folder, prefix = EDITIONS[edition]
    for name in CHAPTERS:
        page = _page(site, f"{prefix}{name}.html")
        links = page.attr("a", "href")
        assert f"_sources/{name}.ipynb" in links, name
        assert (site / prefix / "_sources" / f"{name}.ipynb").read_bytes() == (
            folder / f"{name}.ipynb"
        ).read_bytes()
        notebook = (folder / f"{name}.ipynb").relative_to(ROOT).as_posix()
        hub = [link for link in links if link.startswith(JUPYTERHUB_URL + "/hub/user-redirect/git-pull?")]
        assert len(hub) == 1 and parse_qs(urlsplit(hub[0]).query)["urlpath"][0].endswith(f"/{notebook}"), hub
        binder = [link for link in links if link.startswith(BINDERHUB_URL + "/v2/")]
        assert len(binder) == 1 and binder[0].endswith(f"urlpath=lab/tree/{notebook}"), binder


def test_the_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    mine = tmp_path / "notes.txt"
    mine.write_text("mine")
    done = subprocess.run(
        [sys.executable, "website/build.py", "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode != 0 and "not a site built here" in done.stderr
    assert mine.read_text() == "mine" and sorted(tmp_path.iterdir()) == [mine]


def test_the_two_readmes_have_the_same_glossary():
    def rows(readme):
        text = (ROOT / readme).read_text(encoding="utf-8")
        part = re.search(r"<!-- site:glossary -->\n(.*?)\n<!-- /site:glossary -->", text, re.S).group(1)
        return [
            line.split("|")[1:4] for line in part.splitlines() if line.startswith("| ") and "---" not in line
        ][1:]

    assert rows("README.md") == rows("README.zh-CN.md") and len(rows("README.md")) > 40


def test_the_website_words_are_said_from_the_catalog():
    """website/*.py say only literal texts, so tests/test_words.py can check their Chinese."""
    for path in (ROOT / "website").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say" and node.args:
                assert isinstance(node.args[-1], ast.Constant), f"{path.name}:{node.lineno}"


# --- in Chromium --------------------------------------------------------------------------------

MISSING = [
    name
    for name, ok in [
        ("chromium", shutil.which("chromium")),
        ("playwright", importlib.util.find_spec("playwright")),
        ("axe-playwright-python", importlib.util.find_spec("axe_playwright_python")),
    ]
    if not ok
]
needs_chromium = pytest.mark.skipif(
    bool(MISSING), reason=f"needs {' and '.join(MISSING)}: apt-get install -y chromium; make test"
)
WIDTHS = {"desktop": 1280, "phone": 390}
# preload off: axe would fetch the theme's @import "../basic.css" against the page's address (a 404)
AXE_RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "preload": False,
}
# MathJax tests the browser's web-font support with about:blank sources: no request to any host.
ALLOWED = ("data:", "about:blank")
TYPESET_JS = "async () => { await (window.MathJax?.startup?.promise ?? true); await document.fonts.ready; }"
# What a reader sees: broken images, raw TeX outside code, typeset formulas, the CJK font faces
# loaded, Chinese words in formulas (\text{...}) without the shipped font, and what is wider than
# the screen without a scrolling box of its own (code, outputs, formulas scroll by themselves).
SEEN_JS = r"""() => {
    const broken = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
    const article = (document.querySelector('article') || document.querySelector('main')).cloneNode(true);
    article.querySelectorAll('pre, code, script, mjx-container, .math').forEach(e => e.remove());
    const tex = article.textContent.match(/\$|\\(frac|partial|begin|left|mathbf|cdot)\b/g) || [];
    const typeset = document.querySelectorAll('mjx-container').length;
    const links = [...document.querySelectorAll('a[href]')].map(a => a.href)
        .concat([...document.querySelectorAll('form[action]')].map(f => f.action));
    const twin = document.querySelector('a.language-switch')?.href;
    const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
    const cjk = [...document.fonts]
        .filter(f => f.family.includes('bplib CJK') && f.status === 'loaded').length;
    // what is seen, not the MathML kept for screen readers (mjx-assistive-mml)
    const words = [...document.querySelectorAll('mjx-container *')]
        .filter(e => !e.closest('mjx-assistive-mml') && !e.children.length)
        .filter(e => /[\u4e00-\u9fff]/.test(e.textContent));
    const unfonted = words.filter(e => !getComputedStyle(e).fontFamily.includes('bplib CJK'))
        .map(e => e.textContent);
    const width = document.documentElement.clientWidth;
    const scrolls = e => {
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
        }
        return false;
    };
    const wide = [...document.querySelectorAll('body *')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.width && r.height && (r.right > width + 1 || r.left < -1)
            && getComputedStyle(e).visibility !== 'hidden' && !scrolls(e);
    }).map(e => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent || '').trim().slice(0, 40)}`);
    return {broken, tex, typeset, links, twin, ids, cjk, unfonted, wide};
}"""


@pytest.fixture(scope="session")
def server(site):
    """The built site served on 127.0.0.1 by Python's http.server, stopped by its PID afterwards."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        port = re.search(r"port (\d+)", line).group(1)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "http.server did not answer"
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        proc.stdout.close()


def _watched_page(browser, local, width=1280, **options):
    """A page that lets through only URLs starting with ``local``; notes every other request and
    every failed or refused one, and every script error."""
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    context.set_default_timeout(30_000)
    problems = []

    def route(r):
        if r.request.url.startswith((local, *ALLOWED)):
            r.continue_()
        else:
            problems.append(f"left the site: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    page.on(
        "requestfailed",
        lambda r: r.url.startswith(ALLOWED) or problems.append(f"failed: {r.url} {r.failure}"),
    )
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    return page, problems


def _read(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate(TYPESET_JS)
    return page.evaluate(SEEN_JS)


# Colours in transition (the theme's buttons fade for 0.15 s when dark mode switches on after
# loading) are read by axe as they are at that instant: wait for every finite one to end first.
SETTLED_JS = """() => document.getAnimations().every(
    a => a.playState !== 'running' || a.effect.getComputedTiming().endTime === Infinity)"""


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_function(SETTLED_JS, polling="raf", timeout=5000)
    found = Axe().run(page, options=AXE_RULES).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found]


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("screen", WIDTHS)
def test_a_reader_walks_the_whole_site_in_chromium(site, server, browser, browser_shots, screen):
    """Every page reachable from the two home pages, at a desktop's or a phone's width."""
    page, problems = _watched_page(browser, server, WIDTHS[screen])
    seen, todo, anchors, failures = {}, [server + "index.html", server + "zh/index.html"], [], []
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        shown = seen[url] = _read(page, url)
        name = url.removeprefix(server)
        page.screenshot(path=browser_shots / f"site-{screen}-{name.replace('/', '-')}.png")
        failures += [f"{name}: axe: {v}" for v in _axe(page)]
        failures += (
            [f"{name}: wider than a {WIDTHS[screen]} px screen: {shown['wide'][:3]}"] if shown["wide"] else []
        )
        failures += [f"{name}: images that did not load: {shown['broken']}"] if shown["broken"] else []
        failures += [f"{name}: raw TeX on the page: {shown['tex']}"] if shown["tex"] else []
        if 'class="math' in (site / name).read_text(encoding="utf-8") and not shown["typeset"]:
            failures.append(f"{name}: formulas not typeset")
        failures += (
            [f"{name}: Chinese in formulas without the shipped font: {shown['unfonted']}"]
            if shown["unfonted"]
            else []
        )
        for link in shown["links"]:
            target, anchor = urldefrag(link)
            if target.startswith(server) and target.endswith(".html"):
                todo.append(target)
                if anchor:
                    anchors.append((name, target, unquote(anchor)))
    assert not problems, problems
    assert not failures, "\n".join(failures)
    assert sorted(u.removeprefix(server) for u in seen) == PAGES
    for name, target, anchor in anchors:
        assert anchor in map(unquote, seen[target]["ids"]), f"{name}: #{anchor}"
    for url, shown in seen.items():
        name = url.removeprefix(server)
        assert shown["twin"] == server + (
            name.removeprefix("zh/") if name.startswith("zh/") else f"zh/{name}"
        ), name
        assert shown["cjk"] > 0 or not name.startswith("zh/"), f"{name}: the Chinese font did not load"


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize(
    ("start", "query", "found"),
    [
        ("index.html", "chain rule", "02_chain_rule.html"),
        ("zh/04_activation_layers.html", "链式法则", "zh/02_chain_rule.html"),
    ],
)
def test_the_search_box_finds_a_chapter_as_you_type_and_says_how_much_it_found(
    server, browser, start, query, found
):
    page, problems = _watched_page(browser, server)
    _read(page, server + start)
    page.keyboard.press("Control+k")  # the theme's shortcut opens the search box
    page.keyboard.insert_text(query)  # as an input method commits a word
    page.keyboard.press("End")
    first = page.locator("#search-results .search a").first
    first.wait_for()
    assert first.get_attribute("href").split("#")[0].endswith(found.split("/")[-1])
    page.wait_for_function("() => document.getElementById('search-status').textContent.trim().length > 0")
    assert re.search(r"\d", page.text_content("#search-status"))  # "found 7 pages", read out once
    first.click()
    page.wait_for_url(server + found + "*")
    assert not problems, problems


@pytest.mark.browser
@needs_chromium
def test_the_site_reads_and_searches_from_a_disk_with_no_server(site, browser):
    page, problems = _watched_page(browser, site.as_uri())
    shown = _read(page, (site / "zh" / "05_affine_softmax.html").as_uri())
    assert not shown["broken"] and not shown["tex"] and shown["typeset"] > 0 and shown["cjk"] > 0
    for search, query, found in [
        ("search.html", "chain rule", "02_chain_rule.html"),
        ("zh/search.html", "链式法则", "02_chain_rule.html"),
    ]:
        page.goto((site / search).as_uri() + "?q=" + query)
        first = page.locator("#search-results .search a").first
        first.wait_for()
        assert first.get_attribute("href").split("#")[0].endswith(found), (search, query)
        page.evaluate(TYPESET_JS)  # the fonts of the results loaded before the next page
    assert not problems, problems


@pytest.mark.browser
@needs_chromium
def test_a_keyboard_skips_to_the_content_and_reaches_wide_code(server, browser):
    page, problems = _watched_page(browser, server, WIDTHS["phone"])
    _read(page, server + "06_training.html")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('#pst-skip-link') !== null")
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main-content"
    wide = page.evaluate(
        """() => [...document.querySelectorAll('article pre')].filter(p => p.scrollWidth > p.clientWidth)
            .map(p => p.tabIndex)"""
    )
    assert wide and all(index == 0 for index in wide)  # a wide code block is a tab stop, so arrows scroll it
    assert not problems, problems


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_download_button_gives_the_editions_notebook(server, browser, edition):
    folder, prefix = EDITIONS[edition]
    page, problems = _watched_page(browser, server)
    _read(page, f"{server}{prefix}03_node_backprop.html")
    href = page.locator(".dropdown-download-buttons a[href$='.ipynb']").get_attribute("href")
    body = page.request.get(urllib.parse.urljoin(page.url, href)).body()
    assert body == (folder / "03_node_backprop.ipynb").read_bytes()
    assert not problems, problems


@pytest.mark.browser
@needs_chromium
def test_printing_keeps_every_line_of_code_whole(server, browser):
    page, problems = _watched_page(browser, server)
    page.emulate_media(media="print")
    _read(page, server + "06_training.html")
    cut = page.evaluate(
        "() => [...document.querySelectorAll('article pre')]"
        ".filter(p => p.scrollWidth > p.clientWidth + 1).length"
    )
    assert cut == 0
    assert not problems, problems


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("path", ["index.html", "zh/04_activation_layers.html"])
def test_dark_mode_keeps_the_contrast(server, browser, path):
    page, problems = _watched_page(browser, server, color_scheme="dark")
    _read(page, server + path)
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert _axe(page) == []
    assert not problems, problems
