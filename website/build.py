"""Build the course as a static website: both editions, from the stored notebooks, nothing re-run.

Usage: python website/build.py [--out site]      (``make site`` runs it)

Every page is made from what the repository already holds: the chapters from the notebooks and
the outputs nbval checked (nothing is executed), the home page and glossary from the marked parts
of README.md and README.zh-CN.md (``<!-- site:intro -->`` ... ``<!-- /site:intro -->``), the words
around them from bplib's catalog (``bplib/words/site.py``). The site needs no server and no
network: MathJax (from the jupyter-server-mathjax package), the CJK font, the styles and the
search index are copied into it, so ``site/index.html`` opens from a disk or a USB stick.
"""

import argparse
import ast
import base64
import html
import json
import os
import posixpath
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jupyter_server_mathjax
import nbformat
from nbconvert.filters.ansi import ansi2html
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from bplib.words import ZH
from bplib.words.fonts import FONT_FILES

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# edition -> (its notebooks, its README, its folder in the site)
EDITIONS = {"en": ("notebooks", "README.md", ""), "zh": ("notebooks/zh", "README.zh-CN.md", "zh/")}
HTML_LANG = {"en": "en", "zh": "zh-CN"}
MATHJAX = "_static/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


def say(lang, text, **values):
    """``text`` (English, the catalog's key) in ``lang``, its fields filled."""
    text = ZH[text] if lang == "zh" else text
    return text.format(**values) if values else text


@dataclass
class Page:
    path: str  # in the site, e.g. "zh/04_activation_layers.html"
    lang: str
    title: str
    body: str = ""
    twin: str = ""  # the same page in the other edition
    source: str = ""  # the repository file it is made from
    chapter: bool = False
    sections: list = field(default_factory=list)  # (anchor, title, text) for the search index


# --- links -------------------------------------------------------------------------------------


def site_paths():
    """Repository file -> its page in the site, for every file a link may point to."""
    paths = {}
    for folder, readme, prefix in EDITIONS.values():
        paths[readme] = prefix + "index.html"
        for nb in sorted((ROOT / folder).glob("*.ipynb")):
            paths[f"{folder}/{nb.name}"] = f"{prefix}{nb.stem}.html"
    return paths


def fix_links(body, source, page, paths):
    """Point the links of ``body`` (written in repository file ``source``) at pages of the site.

    A link to a notebook or README leads to its page; a link to another file of the repository
    (the site does not hold it) becomes plain text; web links and anchors stay.
    """

    def replace(match):
        href, attrs, text = html.unescape(match.group(1)), match.group(2), match.group(3)
        if href.startswith(("http://", "https://", "mailto:", "#")):
            return match.group(0)
        target, _, anchor = href.partition("#")
        repo_path = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        if repo_path not in paths:
            return text
        url = posixpath.relpath(paths[repo_path], posixpath.dirname(page) or ".")
        return f'<a href="{html.escape(url + ("#" + anchor if anchor else ""))}"{attrs}>{text}</a>'

    return re.sub(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', replace, body, flags=re.S)


# --- notebooks ---------------------------------------------------------------------------------


def is_live(cell):
    """A cell that builds sliders or buttons: NOTEBOOKS.md rule 3 (a whole-line
    ``# NBVAL_IGNORE_OUTPUT``, one call and nothing else), stored without outputs."""
    if cell.cell_type != "code" or cell.outputs or "# NBVAL_IGNORE_OUTPUT" not in cell.source.splitlines():
        return False
    body = ast.parse(cell.source).body
    return len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call)


def plain_text(markdown):
    """What a reader searches for in a markdown cell: its words, without markup or TeX commands."""
    text = re.sub(r"\$\$.*?\$\$", " ", markdown, flags=re.S)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\[a-zA-Z]+|[#*`$|>{}]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def heading_anchors(body):
    """(anchor, text) of every heading nbconvert's markdown renderer wrote into ``body``."""
    found = re.findall(r'<h[1-6] id="([^"]*)">(.*?)<a class="anchor-link"', body, flags=re.S)
    return [(anchor, html.unescape(re.sub(r"<[^>]+>", "", text)).strip()) for anchor, text in found]


def output_html(output, image, alt):
    """One stored output as JupyterLab shows it: a figure, printed text, HTML, or an error."""
    kind = output.output_type
    if kind == "stream":
        return f'<pre class="output {output.name}">{html.escape(output.text)}</pre>'
    if kind == "error":
        return f'<pre class="output error">{ansi2html(chr(10).join(output.traceback))}</pre>'
    data = output.get("data", {})
    if "image/png" in data:
        return f'<img class="output" src="{image}" alt="{html.escape(alt)}">'
    if "text/html" in data:
        return f'<div class="output html">{data["text/html"]}</div>'
    if "text/markdown" in data:
        return f'<div class="output markdown">{markdown2html_mistune(data["text/markdown"])}</div>'
    if "text/latex" in data:
        return f'<div class="output latex">{html.escape(data["text/latex"])}</div>'
    if "text/plain" in data:
        return f'<pre class="output">{html.escape(data["text/plain"])}</pre>'
    return ""


def figure_alt(cell, lang):
    """A figure's text alternative: the line of code that draws it (the cell's last call)."""
    calls = [line.strip() for line in cell.source.splitlines() if re.search(r"\w\(", line.split("#")[0])]
    return say(lang, "Figure drawn by {code}", code=calls[-1][:100] if calls else "")


def code_cell_html(cells, i, images, lang):
    """Code cell ``i``: its highlighted source, then its outputs. A live cell (sliders, buttons)
    shows a note on where they are live and the picture of the next checked cell."""
    cell, shown = cells[i], iter(images.get(i, []))
    outputs = [
        output_html(o, next(shown) if "image/png" in o.get("data", {}) else "", figure_alt(cell, lang))
        for o in cell.outputs
    ]
    live = is_live(cell)
    if live:
        note = say(
            lang,
            "In JupyterLab (`make lab`) or in the app (`make app`), this cell shows live controls "
            "to drag and click. Here: the checked picture that follows it.",
        )
        outputs = [f'<div class="live">{markdown2html_mistune(note)}</div>']
        follower = next((j for j in sorted(images) if j > i), None)
        if follower is not None and not any(is_live(c) for c in cells[i + 1 : follower]):
            alt = html.escape(figure_alt(cells[follower], lang))
            outputs.append(f'<img class="output" src="{images[follower][0]}" alt="{alt}">')
    code = highlight(cell.source, PythonLexer(), HtmlFormatter(cssclass="highlight"))
    kind = "code live-cell" if live else "code"
    return f'<div class="cell {kind}"><div class="input">{code}</div>{"".join(outputs)}</div>'


def chapter_page(nb_path, source, page_path, lang, out, paths):
    """The page of one notebook; its figures are written to images/<notebook>/ beside it."""
    nb = nbformat.read(nb_path, as_version=4)
    folder = posixpath.join(posixpath.dirname(page_path), "images", nb_path.stem)
    (out / folder).mkdir(parents=True, exist_ok=True)
    images = {}  # cell index -> image file names (relative to the page), in output order
    for i, cell in enumerate(nb.cells):
        for k, output in enumerate(cell.get("outputs", [])):
            png = output.get("data", {}).get("image/png")
            if png:
                name = f"cell{i:02d}-{k}.png"
                (out / folder / name).write_bytes(base64.b64decode(png))
                images.setdefault(i, []).append(f"images/{nb_path.stem}/{name}")

    page = Page(page_path, lang, title="", chapter=True, source=source)
    parts, section = [], None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            body = fix_links(markdown2html_mistune(cell.source), source, page_path, paths)
            for anchor, title in heading_anchors(body):
                page.title = page.title or title
                section = [anchor, title, []]
                page.sections.append(section)
            parts.append(f'<div class="cell markdown">{body}</div>')
            text = plain_text(cell.source)
        elif cell.cell_type == "code":
            parts.append(code_cell_html(nb.cells, i, images, lang))
            text = cell.source
        else:
            continue
        if section is not None:
            section[2].append(text)
    page.body = "\n".join(parts)
    page.sections = [(anchor, title, " ".join(texts)) for anchor, title, texts in page.sections]
    return page


# --- README parts: home page and glossary -------------------------------------------------------


def readme_part(readme, name):
    text = (ROOT / readme).read_text(encoding="utf-8")
    match = re.search(rf"<!-- site:{name} -->\n(.*?)\n<!-- /site:{name} -->", text, flags=re.S)
    if not match:
        raise SystemExit(f"website/build.py: {readme} has no part marked <!-- site:{name} -->")
    return match.group(1)


def readme_title(readme):
    return (ROOT / readme).read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()


def home_page(lang, readme, prefix, chapters, paths):
    """The README's title, introduction and chapter table (chapters named by title, not file)."""
    page = Page(prefix + "index.html", lang, title=readme_title(readme), source=readme)
    intro, table = readme_part(readme, "intro"), readme_part(readme, "chapters")
    for chapter in chapters:
        table = re.sub(rf"\[[^\]]*\]\(({re.escape(chapter.source)})\)", f"[{chapter.title}](\\1)", table)
    reading, chapters_heading = (
        say(
            lang,
            "You need no Python to read the course here: each chapter shows its code, what that code "
            "printed and drew, and the `assert`s that check every claim. To run the code and drag the "
            "sliders yourself, install the course and open it in JupyterLab (`make lab`).",
        ),
        say(lang, "Chapters"),
    )
    text = f"# {page.title}\n\n{intro}\n\n{reading}\n\n## {chapters_heading}\n\n{table}"
    page.body = fix_links(markdown2html_mistune(text), readme, page.path, paths)
    page.sections = [("", page.title, plain_text(intro + " " + table))]
    return page


def glossary_page(lang, readme, prefix, chapters, paths):
    """The README's glossary; the chapter numbers of its last column link to their chapters."""
    page = Page(prefix + "glossary.html", lang, title=say(lang, "Glossary (English / 中文)"), source=readme)
    by_number = {int(Path(c.source).name[:2]): c.source for c in chapters}

    def link(match):
        number = int(match.group(1))
        return f"| [{number}]({by_number[number]}) |" if number in by_number else match.group(0)

    table = re.sub(r"\| (\d+) \|$", link, readme_part(readme, "glossary"), flags=re.M)
    page.body = fix_links(markdown2html_mistune(f"# {page.title}\n\n{table}"), readme, page.path, paths)
    page.sections = [("", page.title, plain_text(table))]
    return page


# --- the site -----------------------------------------------------------------------------------


def build(out):
    started = time.perf_counter()
    out = Path(out)
    if out.exists():
        if not (out / "_static" / "site.css").exists():
            raise SystemExit(f"website/build.py: {out} exists and is not a site built here; not touching it")
        shutil.rmtree(out)
    (out / "_static").mkdir(parents=True)
    paths = site_paths()

    pages = {}
    for lang, (folder, readme, prefix) in EDITIONS.items():
        chapters = []
        for nb in sorted((ROOT / folder).glob("*.ipynb")):
            source = f"{folder}/{nb.name}"
            chapters.append(chapter_page(nb, source, paths[source], lang, out, paths))
        home = home_page(lang, readme, prefix, chapters, paths)
        pages[lang] = [home, *chapters, glossary_page(lang, readme, prefix, chapters, paths)]

    # Twins: the same file name in the other edition's folder; a chapter without one stops the build.
    by_path = {page.path: page for edition in pages.values() for page in edition}
    for page in by_path.values():
        page.twin = page.path.removeprefix("zh/") if page.lang == "zh" else "zh/" + page.path
        if page.twin not in by_path:
            raise SystemExit(f"website/build.py: {page.source} has no twin in the other edition")

    write_pages(pages, out)
    copy_static(out)
    write_search_index(pages, out)
    (out / ".nojekyll").touch()  # GitHub Pages: serve _static/ too (Jekyll skips folders named _*)
    seconds = time.perf_counter() - started
    count = sum(len(p) for p in pages.values())
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    shown = os.path.relpath(out) if out.resolve().is_relative_to(Path.cwd()) else out
    print(f"{shown}/: {count} pages, {size / 1e6:.1f} MB, built in {seconds:.1f} s; open {shown}/index.html")
    return pages


def write_pages(pages, out):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True)
    template = env.get_template("page.html")
    for lang, edition in pages.items():
        chapters = [p for p in edition if p.chapter]
        for page in edition:
            root = "../" * page.path.count("/")
            here = posixpath.dirname(page.path)

            def url(path, here=here):
                return posixpath.relpath(path, here or ".")

            position = edition.index(page)
            previous = edition[position - 1] if position > 0 else None
            following = edition[position + 1] if position + 1 < len(edition) else None
            text = template.render(
                page=page,
                lang=lang,
                html_lang=HTML_LANG[lang],
                other=HTML_LANG["zh" if lang == "en" else "en"],
                root=root,
                url=url,
                home=edition[0],
                chapters=chapters,
                glossary=edition[-1],
                previous=previous,
                following=following,
                math="$" in page.body or "\\begin" in page.body,
                mathjax=root + MATHJAX,
                say=lambda key, lang=lang, **values: say(lang, key, **values),
                markdown=markdown2html_mistune,
            )
            (out / page.path).parent.mkdir(parents=True, exist_ok=True)
            (out / page.path).write_text(text, encoding="utf-8")


def copy_static(out):
    static = out / "_static"
    css = (HERE / "site.css").read_text(encoding="utf-8")
    css += "\n/* code colours: pygments */\n" + HtmlFormatter(cssclass="highlight").get_style_defs(
        ".highlight"
    )
    (static / "site.css").write_text(css, encoding="utf-8")
    shutil.copy(HERE / "search.js", static / "search.js")
    (static / "fonts").mkdir()
    for path in [*FONT_FILES.values(), next(iter(FONT_FILES.values())).with_name("OFL.txt")]:
        shutil.copy(path, static / "fonts" / path.name)
    mathjax = Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(mathjax, static / "mathjax")


def write_search_index(pages, out):
    """_static/search-index.js: for each edition, [url, title, text] per section. A script, not
    JSON, so that search works from file:// too (browsers refuse fetch() there)."""
    index = {}
    for lang, edition in pages.items():
        entries = []
        for page in edition:
            for anchor, title, text in page.sections:
                heading = title if title == page.title else f"{page.title} › {title}"
                entries.append([page.path + (f"#{anchor}" if anchor else ""), heading, text])
        index[lang] = entries
    script = "window.BPLIB_SEARCH = " + json.dumps(index, ensure_ascii=False) + ";\n"
    (out / "_static" / "search-index.js").write_text(script, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=os.fspath(ROOT / "site"), help="the folder to build into (default: site/)"
    )
    build(parser.parse_args(argv).out)


if __name__ == "__main__":
    sys.exit(main())
