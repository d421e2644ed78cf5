"""Notebook hygiene: keeps strict nbval meaningful (see NOTEBOOKS.md).

nbval compares only what was stored; a notebook saved unexecuted tests nothing. These
checks fail on anything that would make the suite pass without checking, or flake.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("**/*.ipynb"))  # both editions
WIDGET_CALL = re.compile(r"\b(sliders|\w*_panel|interact\w*)\s*\(|\bwidgets\.\w+\(|@interact")
MARKER = "# NBVAL_IGNORE_OUTPUT"


def problems(nb):
    """One line per hygiene problem in a notebook (a parsed .ipynb dict)."""
    found, expected = [], 1
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        where = f"code cell {i + 1}"
        source = "".join(cell["source"])
        lines = [line.strip() for line in source.splitlines()]
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("execution_count") is None:
            found.append(f"{where}: not executed")
            continue
        if cell["execution_count"] != expected:
            found.append(f"{where}: execution count {cell['execution_count']}, expected {expected}")
        expected += 1
        if WIDGET_CALL.search(source) and MARKER not in lines and "nbval-ignore-output" not in tags:
            found.append(f"{where}: widget cell without a whole-line {MARKER}")
        for out in cell.get("outputs", []):
            if "image/svg+xml" in out.get("data", {}):
                found.append(f"{where}: SVG output")
            if out["output_type"] == "error" and "raises-exception" not in tags:
                found.append(f"{where}: error output without the raises-exception tag")
    for cell in nb["cells"]:
        if re.search(r"\bTODO\b", "".join(cell["source"])):
            found.append("a TODO in the notebook")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_executed_and_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert problems(nb) == []
    assert "widgets" not in nb["metadata"], "run `make notebooks`: widget state churns"


def test_there_are_notebooks():
    assert any(p.name == "00_start_here.ipynb" for p in NOTEBOOKS)


def _nb(*cells):
    return {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], **c} for c in cells]}


@pytest.mark.parametrize(
    "cell,message",
    [
        ({"source": "x = 1", "execution_count": None}, "not executed"),
        ({"source": "sliders(f, a=(0, 1, 0.1, 0))", "execution_count": 1}, "widget cell"),
        ({"source": "sliders(f)  # NBVAL_IGNORE_OUTPUT", "execution_count": 1}, "widget cell"),
        (
            {"source": "f()", "execution_count": 1, "outputs": [{"output_type": "error"}]},
            "raises-exception",
        ),
        (
            {
                "source": "f()",
                "execution_count": 1,
                "outputs": [{"output_type": "display_data", "data": {"image/svg+xml": ""}}],
            },
            "SVG",
        ),
    ],
)
def test_the_checker_catches_each_problem(cell, message):
    assert any(message in p for p in problems(_nb(cell)))


def test_the_checker_catches_counts_out_of_order_and_accepts_a_good_notebook():
    assert problems(_nb({"source": "a", "execution_count": 2})) != []
    good = _nb(
        {"source": "a = 1", "execution_count": 1},
        {"source": "# NBVAL_IGNORE_OUTPUT\nsliders(f)", "execution_count": 2},
        {
            "source": "1 / 0",
            "execution_count": 3,
            "metadata": {"tags": ["raises-exception"]},
            "outputs": [{"output_type": "error"}],
        },
    )
    assert problems(good) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_solution_is_folded_away_until_the_learner_opens_it(path):
    """A reference solution printed right under the exercise's check would give the answer away to
    anyone who scrolls: its output is folded (JupyterLab: outputs_hidden; the website: hide-output)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    shown = [
        c
        for c in nb["cells"]
        if c["cell_type"] == "code" and "print(source(solutions." in "".join(c["source"])
    ]
    for cell in shown:
        meta = cell["metadata"]
        assert "hide-output" in meta.get("tags", []) and meta.get("jupyter", {}).get("outputs_hidden"), cell[
            "source"
        ]
    assert shown or path.stem == "00_start_here", "every chapter shows a reference solution"
