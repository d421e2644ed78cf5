"""Build the course as a static website with Sphinx: both editions, from the stored notebooks.

Usage: python website/build.py [--out site] [--cache build/website]      (``make site`` runs it)

For each edition this lays out a Sphinx source folder in the cache: the edition's notebooks as
they are stored (nothing is executed), and two pages made from the marked parts of its README
(``<!-- site:intro -->`` ... ``<!-- /site:intro -->``): the home page with the chapter table, and
the glossary. Then Sphinx builds the English edition into ``site/`` and the Chinese into
``site/zh/``, both at once, with ``website/conf.py`` (``sphinx-build -c website -t zh SOURCE OUT``
builds one edition the same way). The site needs no server and no network.
"""

import argparse
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

from bplib.words import ZH

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# edition -> (its notebooks, its README, where it goes in the site)
EDITIONS = {"en": ("notebooks", "README.md", "."), "zh": ("notebooks/zh", "README.zh-CN.md", "zh")}


def say(lang, text, **fields):
    """``text`` (English, the catalog's key) in ``lang``, its fields filled."""
    text = ZH[text] if lang == "zh" else text
    return text.format(**fields) if fields else text


def readme_part(readme, name):
    text = (ROOT / readme).read_text(encoding="utf-8")
    match = re.search(rf"<!-- site:{name} -->\n(.*?)\n<!-- /site:{name} -->", text, flags=re.S)
    if not match:
        raise SystemExit(f"website/build.py: {readme} has no part marked <!-- site:{name} -->")
    return match.group(1)


def chapter_title(notebook):
    """The notebook's first heading (read as JSON: importing nbformat alone takes seconds)."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^#+ (.+)$", "".join(cell["source"]), flags=re.M)
            if match:
                return match.group(1).strip()
    raise SystemExit(f"website/build.py: {notebook.relative_to(ROOT)} has no heading to be its title")


def fix_links(markdown, readme, chapters):
    """Links of a README part, for a page of the site: a chapter's notebook becomes its page (named
    by its title when the link text is its file name); any other file of the repository, which the
    site does not hold, becomes plain text."""

    def replace(match):
        text, target = match.group(1), match.group(2)
        if target.startswith(("http://", "https://", "mailto:", "#")):
            return match.group(0)
        path = os.path.normpath(os.path.join(os.path.dirname(readme), target))
        if path in chapters:
            stem, title = chapters[path]
            return f"[{title if text == stem else text}]({stem}.ipynb)"
        return text

    return re.sub(r"\[([^\]]*)\]\(([^)\s]*)\)", replace, markdown)


def home_page(lang, readme, chapters):
    """index.md: the README's title, introduction and chapter table, and the site's table of contents."""
    title = (ROOT / readme).read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
    reading = say(
        lang,
        "You need no Python to read the course here: each chapter shows its code, what that code printed "
        "and drew, and the `assert`s that check every claim. To run the code and drag the sliders "
        "yourself, install the course and open it in JupyterLab (`make lab`), or open a chapter on a "
        "JupyterHub or Binder with the rocket button at the top of its page.",
    )
    intro, table = readme_part(readme, "intro"), readme_part(readme, "chapters")
    contents = "\n".join(stem for stem, _ in chapters.values())
    return (
        f"# {title}\n\n{fix_links(intro, readme, chapters)}\n\n{reading}\n\n"
        f"## {say(lang, 'Chapters')}\n\n{fix_links(table, readme, chapters)}\n\n"
        f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{contents}\nglossary\n```\n"
    )


def glossary_page(lang, readme, chapters):
    """glossary.md: the README's glossary; a chapter number in its last column links to the chapter."""
    by_number = {int(stem[:2]): stem for stem, _ in chapters.values() if stem[:2].isdigit()}

    def link(match):
        number = int(match.group(1))
        return f"| [{number}]({by_number[number]}.ipynb) |" if number in by_number else match.group(0)

    table = re.sub(r"\| (\d+) \|$", link, readme_part(readme, "glossary"), flags=re.M)
    return f"# {say(lang, 'Glossary (English / 中文)')}\n\n{table}\n"


def search_words(readme):
    """The glossary's Chinese terms, one a line: jieba's user dictionary for the Chinese search index."""
    terms = set()
    for row in readme_part(readme, "glossary").splitlines()[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) > 1:
            terms |= {
                t.strip()
                for t in re.split(r"[，,、/（）()]", cells[1])
                if re.fullmatch(r"[\u4e00-\u9fff]+", t.strip())
            }
    return "".join(f"{term} 1000\n" for term in sorted(terms))


def write_if_changed(path, data):
    """Keep a file that already holds ``data`` untouched, so Sphinx re-reads only what changed."""
    data = data if isinstance(data, bytes) else data.encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def lay_out(lang, source):
    """The Sphinx source folder of one edition: its notebooks, index.md and glossary.md."""
    folder, readme, _ = EDITIONS[lang]
    notebooks = sorted((ROOT / folder).glob("*.ipynb"))
    if not notebooks:
        raise SystemExit(f"website/build.py: no notebooks in {folder}/")
    source.mkdir(parents=True, exist_ok=True)
    chapters = {f"{folder}/{nb.name}": (nb.stem, chapter_title(nb)) for nb in notebooks}
    wanted = {nb.name for nb in notebooks} | {"index.md", "glossary.md", "search-words.txt"}
    for stale in source.iterdir():
        if stale.name not in wanted:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    for nb in notebooks:
        write_if_changed(source / nb.name, nb.read_bytes())
    write_if_changed(source / "index.md", home_page(lang, readme, chapters))
    write_if_changed(source / "glossary.md", glossary_page(lang, readme, chapters))
    write_if_changed(source / "search-words.txt", search_words(readme))
    return [nb.stem for nb in notebooks]


def check_twins(stems):
    """Every chapter has its twin in the other edition (the language switch leads there)."""
    alone = set(stems["en"]) ^ set(stems["zh"])
    if alone:
        raise SystemExit(f"website/build.py: chapters without a twin in the other edition: {sorted(alone)}")


def sphinx_arguments(lang, cache):
    """sphinx-build's arguments for one edition: its sources, parsed pages and pages in the cache
    (MyST-NB writes a folder beside the pages it builds, so they are not built in site/ itself)."""
    folder = cache / lang
    return [
        "-b",
        "html",
        "-q",
        "-c",
        str(HERE),
        "-d",
        str(folder / "doctrees"),
        "-t",
        lang,
        str(folder / "source"),
        str(folder / "html"),
    ]


def run_sphinx(jobs):
    """Sphinx on each edition (lang -> arguments); returns the editions that failed. The editions
    build side by side in processes forked after the slow imports (nbformat's alone takes seconds),
    or one after the other where fork is not available."""
    import multiprocessing

    import myst_nb.sphinx_ext  # noqa: F401  (imported once, before the fork)
    from sphinx.cmd.build import build_main

    if "fork" not in multiprocessing.get_all_start_methods():
        return [lang for lang, arguments in jobs.items() if build_main(arguments)]
    fork = multiprocessing.get_context("fork")
    running = {
        lang: fork.Process(target=lambda a=arguments: sys.exit(build_main(a)))
        for lang, arguments in jobs.items()
    }
    for process in running.values():
        process.start()
    for process in running.values():
        process.join()
    return [lang for lang, process in running.items() if process.exitcode]


def drop_unused_figures(edition):
    """Remove the figures no page shows any more (a warm build keeps those of changed cells)."""
    pages = "".join(page.read_text(encoding="utf-8") for page in edition.glob("*.html"))
    for figure in (edition / "_images").glob("*"):
        if f"_images/{figure.name}" not in pages:
            figure.unlink()


def build(out, cache):
    started = time.perf_counter()
    out, cache = Path(out), Path(cache)
    if out.exists() and not ((out / ".buildinfo").exists() or (out / "_static" / "site.css").exists()):
        raise SystemExit(f"website/build.py: {out} exists and is not a site built here; not touching it")
    stems = {lang: lay_out(lang, cache / lang / "source") for lang in EDITIONS}
    check_twins(stems)
    # Sphinx updates the pages it built before for the same chapters (a warm build); a chapter added
    # or removed, or a build that did not finish, starts from nothing, so no page is left stale.
    chapters, done = json.dumps(stems, sort_keys=True), cache / "chapters.json"
    if not (done.is_file() and done.read_text(encoding="utf-8") == chapters):
        for lang in EDITIONS:
            shutil.rmtree(cache / lang / "html", ignore_errors=True)
    done.unlink(missing_ok=True)
    # Both editions at once (two cores); the Chinese pages load the MathJax the English edition copies.
    failed = run_sphinx({lang: sphinx_arguments(lang, cache) for lang in EDITIONS})
    if failed:
        raise SystemExit(f"website/build.py: Sphinx failed on the {' and '.join(failed)} edition")
    done.write_text(chapters, encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    for lang, (_, _, where) in EDITIONS.items():
        shutil.copytree(cache / lang / "html", out / where, dirs_exist_ok=True)
        drop_unused_figures(out / where)
    (out / ".nojekyll").touch()  # GitHub Pages: serve _static/ too (Jekyll skips folders named _*)
    seconds = time.perf_counter() - started
    pages = sum(1 for p in out.rglob("*.html") if "_static" not in p.parts)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    shown = os.path.relpath(out) if out.resolve().is_relative_to(Path.cwd()) else out
    print(f"{shown}/: {pages} pages, {size / 1e6:.1f} MB, built in {seconds:.1f} s; open {shown}/index.html")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=os.fspath(ROOT / "site"), help="the folder to build into (default: site/)"
    )
    parser.add_argument(
        "--cache",
        default=os.fspath(ROOT / "build" / "website"),
        help="Sphinx's sources and parsed pages, kept for the next build (default: build/website/)",
    )
    args = parser.parse_args(argv)
    build(args.out, args.cache)


if __name__ == "__main__":
    sys.exit(main())
