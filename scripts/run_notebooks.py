"""Re-execute notebooks in place and normalise what churns, so a re-run gives no git diff.

Usage: python scripts/run_notebooks.py [--fresh] [NOTEBOOK.ipynb ...]   (default: both editions,
notebooks/*.ipynb and notebooks/zh/*.ipynb)

Each notebook runs top to bottom in the current environment's kernel with a cell
timeout (nbclient sometimes misses an ipywidgets reply and would wait forever; on a
timeout the notebook is run again). Then: widget state and widget views are dropped,
timing metadata removed, adjacent stream chunks merged (see NOTEBOOKS.md). A cell marked
``# NBVAL_IGNORE_OUTPUT`` (timings, widgets) whose source did not change keeps its stored
outputs, from an earlier real run, unless ``--fresh`` is given: nbval does not compare
them, and a new timing in every re-run would bury the real changes in the diff.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT = 120
ATTEMPTS = 3
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MARKER = "# NBVAL_IGNORE_OUTPUT"


def ignored(cell):
    return MARKER in [line.strip() for line in cell.source.splitlines()]


def execute(path):
    for attempt in range(1, ATTEMPTS + 1):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=False,
        )
        try:
            client.execute()
            return nb
        except CellTimeoutError:
            print(f"  {path.name}: a cell timed out (attempt {attempt} of {ATTEMPTS})", file=sys.stderr)
    raise SystemExit(f"{path}: timed out {ATTEMPTS} times")


def normalise(nb):
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.outputs:
            if WIDGET_VIEW in out.get("data", {}):
                if not ignored(cell):
                    raise SystemExit(
                        f"a cell shows a widget without a whole-line # NBVAL_IGNORE_OUTPUT:\n{cell.source}"
                    )
                continue  # a live widget only exists in a running kernel
            if (
                outputs
                and out.output_type == "stream"
                and outputs[-1].output_type == "stream"
                and outputs[-1].name == out.name
            ):
                outputs[-1].text += out.text
                continue
            outputs.append(out)
        cell.outputs = outputs
    return nb


def keep_ignored_outputs(new, old):
    """Stored outputs of unchanged ignored cells stay as they were (see the docstring)."""
    before = {cell.source: cell.outputs for cell in old.cells if cell.cell_type == "code" and ignored(cell)}
    for cell in new.cells:
        if cell.cell_type == "code" and ignored(cell) and cell.source in before:
            cell.outputs = before[cell.source]


def main(args):
    fresh = "--fresh" in args
    paths = [Path(p).resolve() for p in args if p != "--fresh"] or sorted(
        (ROOT / "notebooks").glob("**/*.ipynb")  # both editions: notebooks/ and notebooks/zh/
    )
    for path in paths:
        print(f"executing {path.relative_to(ROOT)}")
        old = nbformat.read(path, as_version=4)
        nb = normalise(execute(path))
        if not fresh:
            keep_ignored_outputs(nb, old)
        nbformat.write(nb, path)


if __name__ == "__main__":
    main(sys.argv[1:])
