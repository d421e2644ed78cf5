"""The website (`make site`): both editions, built from the stored notebooks, read in Chromium.

The site is built once per session into a temporary folder, by the command `make site` runs.
The first tests read its files. The browser test (marker ``browser``) serves it on 127.0.0.1,
walks every page reachable from the home page in Chromium and checks what a reader would see:
pages and images load, links lead somewhere, no request leaves 127.0.0.1, formulas are typeset,
each page links to its twin in the other edition, the search box finds, the Chinese font loads.
Then it opens a page from the disk (file://), as from a USB stick.
"""

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
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import nbformat
import pytest
from fontTools.ttLib import TTFont

from bplib.words import ZH
from bplib.words.fonts import FONT_FILES

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {"en": (ROOT / "notebooks", ""), "zh": (ROOT / "notebooks" / "zh", "zh/")}
CHAPTERS = sorted(nb.stem for nb in (ROOT / "notebooks").glob("*.ipynb"))
PAGES = sorted(
    f"{prefix}{name}.html" for _, prefix in EDITIONS.values() for name in ["index", "glossary", *CHAPTERS]
)
LIVE_NOTE = (
    "In JupyterLab (`make lab`) or in the app (`make app`), this cell shows live controls to "
    "drag and click. Here: the checked picture that follows it."
)


def website_say(edition, text):
    return ZH[text] if edition == "zh" else text


CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("website") / "site"
    done = subprocess.run(
        [sys.executable, "website/build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(PAGES)} pages" in done.stdout
    return out


class Parsed(HTMLParser):
    """The tags of a page, as (tag, attributes), and its text outside <pre>, <code> and <script>."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.prose, self._hidden = [], [], 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._hidden += tag in ("pre", "code", "script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("pre", "code", "script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.prose.append(data)

    def attr(self, tag, name, **where):
        return [
            a[name]
            for t, a in self.tags
            if t == tag and name in a and all(a.get(k) == v for k, v in where.items())
        ]


def _page(site, path):
    return Parsed((site / path).read_text(encoding="utf-8"))


def test_every_page_of_both_editions_is_built(site):
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if "_static" not in p.parts) == PAGES
    assert (site / "index.html").is_file() and (site / "_static" / "mathjax" / "MathJax.js").is_file()
    assert (site / ".nojekyll").is_file()  # else GitHub Pages would leave out _static/


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_chapter_page_holds_every_cell_and_output_of_its_notebook(site, edition):
    folder, prefix = EDITIONS[edition]
    for name in CHAPTERS:
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        text = (site / f"{prefix}{name}.html").read_text(encoding="utf-8")
        cells = {kind: sum(c.cell_type == kind for c in nb.cells) for kind in ("code", "markdown")}
        assert text.count('<div class="cell code') == cells["code"], name
        assert text.count('<div class="cell markdown">') == cells["markdown"], name
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if output.output_type == "stream":
                    assert html.escape(output.text) in text, (name, output.text[:80])
        figures = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
        live = text.count('class="cell code live-cell"')
        images = Parsed(text).attr("img", "src")
        assert len(images) == figures + live, name  # a live cell shows the picture that follows it
        figure = website_say(edition, "Figure drawn by {code}").split("{")[0]
        assert all(alt.startswith(figure) and "(" in alt for alt in Parsed(text).attr("img", "alt")), name
        assert all((site / prefix / src).is_file() for src in images)


def test_a_live_cell_says_how_to_get_live_sliders_and_shows_the_checked_picture(site):
    for edition, (folder, prefix) in EDITIONS.items():
        calls = sum(
            len(re.findall(r"^(?:sliders|train_again_panel)\(", cell.source, re.M))
            for nb in folder.glob("*.ipynb")
            for cell in nbformat.read(nb, as_version=4).cells
            if cell.cell_type == "code"
        )
        note = html.escape(website_say(edition, LIVE_NOTE)).split("`")[0][:20]
        shown = 0
        for name in CHAPTERS:
            text = (site / f"{prefix}{name}.html").read_text(encoding="utf-8")
            for cell in text.split('<div class="cell code live-cell">')[1:]:
                cell = cell.split('<div class="cell ')[0]
                assert note in cell and "make lab" in cell and "make app" in cell
                assert "<img " in cell, f"{prefix}{name}: a live cell without its picture"
                shown += 1
        assert shown == calls > 10


def test_every_local_link_and_image_of_the_site_exists(site):
    for page in site.rglob("*.html"):
        if "_static" in page.parts:
            continue
        parsed = Parsed(page.read_text(encoding="utf-8"))
        for tag, attrs in parsed.tags:
            for name in ("href", "src"):
                url = attrs.get(name)
                if url is None or (tag == "a" and url.startswith(("https://", "http://", "mailto:"))):
                    continue
                assert not urlsplit(url).scheme and not url.startswith("//"), (
                    f"{page.name}: {url} is off the site"
                )
                path, anchor = urldefrag(url)
                target = (page.parent / unquote(urlsplit(path).path)).resolve() if path else page
                assert target.is_file(), f"{page.relative_to(site)}: {url} leads nowhere"
                if anchor and target.suffix == ".html":
                    assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{page.name}: #{anchor}"


def test_the_sites_own_files_ask_no_other_host(site):
    for path in [*site.glob("**/*.html"), *(site / "_static").glob("*.*")]:
        if "mathjax" in path.parts:
            continue  # MathJax's own files: the browser test watches what it requests
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src=|url\(|@import)\s*["']?(https?:)?//""", text), path.name


@pytest.mark.parametrize("path", PAGES)
def test_each_page_links_to_its_twin_in_the_other_edition(site, path):
    twin = path.removeprefix("zh/") if path.startswith("zh/") else f"zh/{path}"
    (href,) = _page(site, path).attr("a", "href", **{"class": "twin-link"})
    assert os.path.normpath(os.path.join(os.path.dirname(path), href)) == twin
    (back,) = _page(site, twin).attr("a", "href", **{"class": "twin-link"})
    assert os.path.normpath(os.path.join(os.path.dirname(twin), back)) == path


def test_the_search_index_holds_both_editions(site):
    script = (site / "_static" / "search-index.js").read_text(encoding="utf-8")
    index = json.loads(script.removeprefix("window.BPLIB_SEARCH = ").rstrip().removesuffix(";"))
    assert set(index) == set(EDITIONS)
    for edition, (_, prefix) in EDITIONS.items():
        pages = {url.split("#")[0] for url, _, _ in index[edition]}
        assert pages == {p for p in PAGES if p.startswith(prefix) and p.count("/") == prefix.count("/")}
    assert any("chain rule" in text.lower() and "02_chain_rule" in url for url, _, text in index["en"])
    assert any("链式法则" in text and url.startswith("zh/02_chain_rule") for url, _, text in index["zh"])


def test_every_chinese_character_of_the_site_is_in_the_shipped_font(site):
    cmaps = [TTFont(path).getBestCmap() for path in FONT_FILES.values()]
    text = "".join("".join(_page(site, path).prose) for path in PAGES)
    used = set(CJK.findall(text))
    assert len(used) > 300
    for cmap in cmaps:
        missing = sorted(c for c in used if ord(c) not in cmap)
        assert not missing, f"run scripts/subset_font.py: the font lacks {''.join(missing)}"


def test_no_formula_is_left_for_a_renderer_that_the_page_does_not_load(site):
    for path in PAGES:
        text = (site / path).read_text(encoding="utf-8")
        prose = "".join(Parsed(text).prose)
        if "$" in prose:
            assert "_static/mathjax/MathJax.js" in text, path


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


# --- in Chromium --------------------------------------------------------------------------------

MISSING = [
    name
    for name, ok in [
        ("chromium", shutil.which("chromium")),
        ("playwright", importlib.util.find_spec("playwright")),
    ]
    if not ok
]

# MathJax's HTML-CSS output checks web-font support with a face whose source is about:blank;
# Chromium refuses it, and that is no request to any host.
ALLOWED = ("data:", "about:blank")
TYPESET_JS = (
    """() => new Promise(done => window.MathJax ? MathJax.Hub.Queue(() => done(true)) : done(true))"""
)
# What a reader sees: broken images, raw TeX outside code, typeset formulas, the CJK font faces
# loaded, and Chinese words inside formulas (\text{...}) that do not use the shipped font.
SEEN_JS = r"""() => {
    const broken = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
    const main = document.querySelector('main').cloneNode(true);
    const skip = 'pre, code, script, .MathJax, .MathJax_Display, .MathJax_Preview';
    main.querySelectorAll(skip).forEach(e => e.remove());
    const tex = main.textContent.match(/\$|\\(frac|partial|begin|left|mathbf|cdot)\b/g) || [];
    const typeset = document.querySelectorAll('.MathJax, .MathJax_Display').length;
    const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
    const twin = document.querySelector('a.twin-link')?.href;
    const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
    const cjk = [...document.fonts].filter(f => f.family.includes('bplib CJK') && f.status === 'loaded')
        .length;
    const words = [...document.querySelectorAll('.MathJax span')]
        .filter(e => !e.children.length && /[\u4e00-\u9fff]/.test(e.textContent));
    const unfonted = words.filter(e => !getComputedStyle(e).fontFamily.includes('bplib CJK'))
        .map(e => e.textContent);
    return {broken, tex, typeset, links, twin, ids, cjk, unfonted};
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


def _watched_page(browser, local):
    """A page that lets through only URLs starting with ``local``; notes every other request and
    every failed or refused one."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
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


@pytest.mark.browser
@pytest.mark.skipif(
    bool(MISSING), reason=f"needs {' and '.join(MISSING)}: apt-get install -y chromium; make test"
)
def test_a_reader_walks_the_whole_site_in_chromium(site, server, browser, browser_shots):
    page, problems = _watched_page(browser, server)
    seen, todo, anchors = {}, [server + "index.html"], []
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        shown = seen[url] = _read(page, url)
        name = url.removeprefix(server)
        page.screenshot(path=browser_shots / f"site-{name.replace('/', '-')}.png")
        assert not shown["broken"], f"{name}: images that did not load: {shown['broken']}"
        assert not shown["tex"], f"{name}: raw TeX on the page: {shown['tex']}"
        if "$" in (site / name).read_text(encoding="utf-8"):
            assert shown["typeset"] > 0, f"{name}: formulas not typeset"
        assert not shown["unfonted"], f"{name}: Chinese in formulas without the shipped font"
        for link in shown["links"]:
            target, anchor = urldefrag(link)
            if target.startswith(server):
                todo.append(target)
                if anchor:
                    anchors.append((name, target, unquote(anchor)))
    assert not problems, problems
    assert sorted(u.removeprefix(server) for u in seen) == PAGES
    for name, target, anchor in anchors:
        assert anchor in seen[target]["ids"] or anchor in map(unquote, seen[target]["ids"]), (
            f"{name}: #{anchor}"
        )
    for url, shown in seen.items():
        name = url.removeprefix(server)
        twin = name.removeprefix("zh/") if name.startswith("zh/") else f"zh/{name}"
        assert shown["twin"] == server + twin, name
    assert all(shown["cjk"] > 0 for url, shown in seen.items() if url.startswith(server + "zh/"))


@pytest.mark.browser
@pytest.mark.skipif(
    bool(MISSING), reason=f"needs {' and '.join(MISSING)}: apt-get install -y chromium; make test"
)
@pytest.mark.parametrize(
    ("start", "query", "found"),
    [
        ("index.html", "chain rule", "02_chain_rule.html"),
        ("zh/04_activation_layers.html", "链式法则", "zh/02_chain_rule.html"),
    ],
)
def test_the_search_box_finds_a_chapter(server, browser, start, query, found):
    page, problems = _watched_page(browser, server)
    _read(page, server + start)
    page.fill("#search", query)
    first = page.locator("#search-results a").first
    assert first.get_attribute("href").split("#")[0].endswith(found.split("/")[-1])
    first.click()
    page.wait_for_url(server + found + "*")
    page.wait_for_load_state("load")
    page.evaluate(TYPESET_JS)
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.skipif(
    bool(MISSING), reason=f"needs {' and '.join(MISSING)}: apt-get install -y chromium; make test"
)
def test_the_site_reads_from_a_disk_with_no_server(site, browser):
    page, problems = _watched_page(browser, site.as_uri())
    shown = _read(page, (site / "zh" / "05_affine_softmax.html").as_uri())
    assert not shown["broken"] and not shown["tex"] and shown["typeset"] > 0 and shown["cjk"] > 0
    page.fill("#search", "Affine")
    assert page.locator("#search-results a").count() > 0
    assert not problems, problems
