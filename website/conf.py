"""Sphinx configuration of the course's website: one edition per build (``-t zh`` for Chinese).

``website/build.py`` (``make site``) lays out each edition's sources (the stored notebooks as they
are, a home page and a glossary made from the README) and runs Sphinx twice with this file.
Sphinx, sphinx-book-theme, MyST-NB and sphinx-copybutton do the site; the ``setup`` at the end
adds only what they do not: a figure's text alternative from its stored description, the note
under a cell whose sliders are live only in JupyterLab, ``lang`` on runs of the other language,
links between the editions, the theme's Chinese words its catalogs lack, jieba's course words.
"""

import html
import json
import re
from importlib.metadata import distribution
from pathlib import Path

from docutils import nodes

from bplib.words import ZH
from bplib.words.fonts import FONT_FILES
from bplib.words.site import THEME_ZH

EDITION = "zh" if tags.has("zh") else "en"  # noqa: F821  (Sphinx passes `tags` to this file)
HTML_LANG = {"en": "en", "zh": "zh-CN"}
OTHER = "en" if EDITION == "zh" else "zh"
# The other edition, seen from a page of this one (every page sits at its edition's top level).
TO_OTHER = "../" if EDITION == "zh" else "zh/"

# --- links that run a chapter: the one place to set them ------------------------------------------
# A chapter page offers to open its notebook on a JupyterHub (through nbgitpuller, which copies the
# repository into the reader's account) and on Binder. Placeholders: set your own hub and fork.
REPOSITORY_URL = "https://github.com/bplib-course/bplib"
REPOSITORY_BRANCH = "main"
JUPYTERHUB_URL = "https://jupyterhub.example.org"
BINDERHUB_URL = "https://mybinder.org"


def say(text, **fields):
    """``text`` (English, the catalog's key) in this edition's language, its fields filled."""
    text = ZH[text] if EDITION == "zh" else text
    return text.format(**fields) if fields else text


project = "bplib"
author = "bplib"
copyright = "bplib"
language = {"en": "en", "zh": "zh_CN"}[EDITION]  # zh_CN: the theme's own words in Chinese
extensions = ["myst_nb", "sphinx_copybutton"]
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = ["templates"]

nb_execution_mode = "off"  # show the outputs nbval checked; run nothing
nb_merge_streams = True
# A cell tagged hide-output (the solutions' printouts) folds its output under these words.
nb_code_prompt_show = say("Show the output")
nb_code_prompt_hide = say("Hide the output")
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_dmath_double_inline = True  # $$...$$ inside a paragraph or list item, as Jupyter shows it
myst_heading_anchors = 3
smartquotes = False  # prose shows exactly as the notebook writes it
# A link to a notebook of the other edition leads to that edition's copy of the notebook.
myst_url_schemes = {
    "http": None,
    "https": None,
    "mailto": None,
    "other-edition": {"url": TO_OTHER + "_sources/{{path}}", "title": "", "classes": ["other-edition"]},
}
suppress_warnings = ["myst.header"]  # a chapter's heading levels are the notebook's

html_theme = "sphinx_book_theme"
html_title = "bplib"
html_short_title = "bplib"
html_copy_source = True  # _sources/<chapter>.ipynb: the download button's notebook
html_sourcelink_suffix = ""
html_use_index = False
html_domain_indices = False
html_last_updated_fmt = None
html_permalinks_icon = "#"
html_static_path = ["static", *map(str, FONT_FILES.values()), str(FONT_FILES["Regular"].with_name("OFL.txt"))]
# The menu: the chapters and a search field (the home page heads the list, so no logo above it).
html_sidebars = {"**": ["search-button-field.html", "sbt-sidebar-nav.html"]}
html_css_files = ["site.css"]
html_js_files = ["site.js"]
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "repository_url": REPOSITORY_URL,
    "repository_branch": REPOSITORY_BRANCH,
    "path_to_docs": {"en": "notebooks", "zh": "notebooks/zh"}[EDITION],
    "launch_buttons": {
        "jupyterhub_url": JUPYTERHUB_URL,
        "binderhub_url": BINDERHUB_URL,
        "notebook_interface": "jupyterlab",
    },
    "article_header_end": ["language-switch.html", "article-header-buttons.html"],
    "footer_content_items": ["course-footer.html"],
    "search_as_you_type": True,
    "primary_sidebar_end": [],
    "pygments_light_style": "a11y-high-contrast-light",
    "pygments_dark_style": "a11y-high-contrast-dark",
}

# MathJax 3 from the sphinx-mathjax-offline wheel, copied into the English edition's _static and
# shared by the Chinese one. \text{...} takes the page's font, so Chinese words in formulas use
# the shipped CJK font.
MATHJAX = distribution("sphinx-mathjax-offline").locate_file("sphinx-mathjax-offline/static")
if EDITION == "en":
    html_static_path.append(str(MATHJAX))
mathjax_path = ("" if EDITION == "en" else "../../_static/") + "mathjax/tex-chtml.js"
# Left out of the copy: MathJax's other ready-made bundles (this site loads tex-chtml.js, which
# fetches what its menu needs from the rest), the Node.js entry and the CDN loader latest.js.
exclude_patterns += [
    f"mathjax/{name}"
    for name in ("tex-svg*.js", "tex-mml-*.js", "mml-*.js", "tex-chtml-full*.js", "node-main.js", "latest.js")
]
mathjax3_config = {
    "chtml": {"mtextInheritFont": True, "merrorInheritFont": True},
    "options": {"menuOptions": {"settings": {"assistiveMml": True}}},
}

# --- what no extension does ---------------------------------------------------------------------

DEFAULT_REPR = re.compile(r"<Figure size [\d.]+x[\d.]+ with \d+ Axes>")
CJK = "\u2e80-\u2fff\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
# Runs of the other language in this edition's prose: Chinese on English pages, and English
# words (one of three letters or more) on Chinese pages.
OTHER_RUN = {
    "en": re.compile(rf"[{CJK}]+(?:[\s\d.,:;/·-]*[{CJK}]+)*"),
    "zh": re.compile(r"[A-Za-z][A-Za-z0-9'’-]*(?:[ ,/-]+[A-Za-z][A-Za-z0-9'’-]*)*"),
}[EDITION]
NOT_PROSE = (nodes.FixedTextElement, nodes.literal, nodes.math, nodes.raw, nodes.comment, nodes.target)


def is_live(cell):
    """A cell that builds sliders or buttons (NOTEBOOKS.md rule 3): a whole-line
    ``# NBVAL_IGNORE_OUTPUT`` and a single call, stored without outputs."""
    import ast

    if cell["cell_type"] != "code" or cell.get("outputs"):
        return False
    source = "".join(cell["source"])
    if "# NBVAL_IGNORE_OUTPUT" not in source.splitlines():
        return False
    try:
        body = ast.parse(source).body
    except SyntaxError:  # IPython's %magic lines: not a plain call
        return False
    return len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call)


def figure_outputs(cell):
    return [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]


def show_live_cells(cells):
    """A live cell gets, as its outputs, the note on where its controls are live and the picture of
    the checked cell that follows it (the first with a figure, unless another live cell comes first)."""
    note = say(
        "In JupyterLab (`make lab`) or in the app (`make app`), this cell shows live controls to drag "
        "and click. Here: the checked picture that follows it."
    )
    # `code` as <code>; the words between marked with their language, as in the rest of the page
    parts = [
        f"<code>{html.escape(p)}</code>" if i % 2 else mark_html(p) for i, p in enumerate(note.split("`"))
    ]
    for i, cell in enumerate(cells):
        if not is_live(cell):
            continue
        cell.setdefault("metadata", {}).setdefault("tags", []).append("live-controls")
        cell["outputs"] = [
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"text/html": f'<p class="live-note">{"".join(parts)}</p>'},
            }
        ]
        for later in cells[i + 1 :]:
            if is_live(later):
                break
            if figure_outputs(later):
                cell["outputs"].append({**figure_outputs(later)[0], "output_type": "display_data"})
                break


def mark_html(text):
    """``text`` as HTML, its runs of the other language in ``<span lang="...">``."""
    return "".join(
        f'<span lang="{HTML_LANG[OTHER]}">{html.escape(run)}</span>' if marked else html.escape(run)
        for run, marked in other_language_runs(text)
    )


def link_other_edition(source):
    """Markdown links to a notebook of the other edition (``../01_x.ipynb`` in a Chinese chapter)
    point at that edition's copy of the notebook, which the site holds."""
    other = r"\.\./" if EDITION == "zh" else r"zh/"
    return re.sub(rf"\]\({other}([\w-]+\.ipynb)\)", r"](other-edition:\1)", source)


def read_notebook(app, docname, content):
    """source-read: the notebook as MyST-NB will read it. _sources/ keeps the file as stored."""
    if not app.env.doc2path(docname).suffix == ".ipynb":
        return
    notebook = json.loads(content[0])
    show_live_cells(notebook["cells"])
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = link_other_edition("".join(cell["source"]))
    content[0] = json.dumps(notebook, ensure_ascii=False)


def describe_figures(app, doctree):
    """doctree-read: each figure's text alternative is its output's stored text/plain: bplib's
    description of the figure in words, in the notebook's language; matplotlib's bare
    ``<Figure size ...>`` gets a general sentence instead."""
    for bundle in doctree.findall(
        lambda n: isinstance(n, nodes.container) and n.get("nb_element") == "mime_bundle"
    ):
        by_type = {child["mime_type"]: child for child in bundle.children}
        if "text/plain" not in by_type:
            continue
        text = by_type["text/plain"].astext().strip()
        if DEFAULT_REPR.fullmatch(text):
            text = say("A figure drawn by bplib; the text around it says what it shows.")
        for mime, child in by_type.items():
            if mime.startswith("image/"):
                for image in child.findall(nodes.image):
                    image["alt"] = text


def other_language_runs(text):
    """``text`` cut into (run, is it in the other language) pieces."""
    pieces, at = [], 0
    for match in OTHER_RUN.finditer(text):
        if EDITION == "zh" and not re.search(r"[A-Za-z]{3}", match.group()):
            continue  # x, dx, 2 y: symbols, not English words
        pieces += [(text[at : match.start()], False)] if match.start() > at else []
        pieces.append((match.group(), True))
        at = match.end()
    return pieces + ([(text[at:], False)] if at < len(text) else [])


def mark_other_language(app, doctree):
    """doctree-read: wrap runs of the other language in ``<span lang="...">``, so that a screen
    reader reads 反向传播 on an English page (and "computational graph" on a Chinese one) in
    the right voice."""
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or any(isinstance(a, NOT_PROSE) for a in _ancestors(text)):
            continue
        pieces = other_language_runs(str(text))
        if any(marked for _, marked in pieces):
            language = [f"language-{HTML_LANG[OTHER]}"]
            parent.replace(
                text, [nodes.inline(r, r, classes=language) if m else nodes.Text(r) for r, m in pieces]
            )


def _ancestors(node):
    while node is not None:
        yield node
        node = node.parent


def page_context(app, pagename, templatename, context, doctree):
    """html-page-context: the twin page in the other edition, and the page's language as BCP 47."""
    context["say"], context["marked"], context["other_lang"] = say, mark_html, HTML_LANG[OTHER]
    context["twin"] = TO_OTHER + pagename + ".html"
    context["language"] = HTML_LANG[EDITION]
    if "body" in context:  # MyST-NB names every folded output's button in English
        label = say("Show or hide the output")
        context["body"] = context["body"].replace(
            'aria-label="Toggle hidden content"', f'aria-label="{label}"'
        )


def search_words(app, config):
    """config-inited: the Chinese index splits text into words with jieba, which learns the course's
    terms (the glossary's Chinese column, written by build.py as search-words.txt) as words."""
    words = Path(app.srcdir) / "search-words.txt"
    if EDITION == "zh" and words.is_file():
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        config.html_search_options = {"dict": str(words)}


def theme_words(app):
    """builder-inited: the theme's words that its Chinese catalogs lack or word in Taiwan's usage
    (THEME_ZH in bplib/words/site.py) come before the catalogs' own."""
    from sphinx.locale import translators

    if EDITION == "zh":
        for domain in ("sphinx", "booktheme"):  # Sphinx's and pydata's words; sphinx-book-theme's
            catalog = getattr(translators.get(("general", domain)), "_catalog", None)
            if catalog is None:
                raise RuntimeError(
                    f"website/conf.py: no Chinese catalog {domain!r} to add the theme's words to"
                )
            catalog.update(THEME_ZH)


def setup(app):
    app.connect("builder-inited", theme_words)
    app.connect("config-inited", search_words)
    app.connect("source-read", read_notebook)
    app.connect("doctree-read", describe_figures, priority=400)
    app.connect("doctree-read", mark_other_language, priority=400)  # before the titles are collected
    app.connect("html-page-context", page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
