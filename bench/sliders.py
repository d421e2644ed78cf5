"""Time every chapter's slider update functions: what a learner waits for on each slider move.

A slider move (``bplib.viz.sliders.sliders``) calls ``render(update, fig, values)``: the update
function changes the picture, which is encoded as the PNG the browser shows. This script does the
same with the Agg backend, sweeping each slider across its range the way a hand drags it (each
position visited once per sweep, so a number drawn before is rarely drawn again), and reports the
median and p95 milliseconds per move, in wall-clock and in this process's CPU time.

    .venv/bin/python bench/sliders.py                        # this checkout, English
    .venv/bin/python bench/sliders.py --language both --only apple
    .venv/bin/python bench/sliders.py --against HEAD~3       # and the code of another commit

``--against REF`` checks REF out into a temporary git worktree and loads its ``bplib`` in this
same process under another name (``bplib_ref``), then times the same update functions of both,
alternating move for move (REF, this, REF, this, ...), so that whatever else the machine is doing
weighs on both alike, and prints the ratio of the medians (this / REF) per function. A REF from
before ``render`` existed is timed the way its sliders moved: clear the figure, call the update
function, encode the PNG.

To add a slider, append ``Entry(chapter, "module.function", figsize, [kwargs, ...])`` to REGISTRY:
the figsize of its ``sliders(...)`` call, and the positions of a sweep.
"""

import argparse
import contextlib
import importlib
import importlib.util
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import bplib  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Entry:
    chapter: str
    function: str  # module.function under the package, e.g. "chapters.ch1_3_graphs.update_apple"
    figsize: tuple
    positions: list  # keyword arguments, one dict per slider position of a sweep


def sweep(lo, hi, step, n=24):
    """n slider positions from lo to hi (rounded to the slider's step), as a hand drags it."""
    values = [lo + (hi - lo) * k / (n - 1) for k in range(n)]
    return [round(round(v / step) * step, 10) for v in values]


def _ints(values):
    return [int(v) for v in values]


CH123, CH4, CH5 = "chapters.ch1_3_graphs.", "chapters.ch4_activations.", "chapters.ch5_affine_softmax."
CH7 = "chapters.ch7_autograd."
REGISTRY = [
    Entry("0", "viz.sliders.update_demo", (5, 2.6), [dict(slope=s) for s in sweep(-3.0, 3.0, 0.1)]),
    Entry(
        "1",
        CH123 + "update_apple",
        (6.4, 2.4),
        [dict(price=p, count=2, tax=1.1) for p in _ints(sweep(50, 300, 10))]
        + [dict(price=100, count=c, tax=1.1) for c in range(11)]
        + [dict(price=100, count=2, tax=t) for t in sweep(1.0, 1.3, 0.01, 12)],
    ),
    Entry("2", CH123 + "update_chain", (9.0, 2.8), [dict(x=x, y=2.0) for x in sweep(-3.0, 3.0, 0.1)]),
    Entry("2", CH123 + "update_chain_steps", (5.0, 2.2), [dict(step=s) for s in (0, 1, 2, 3, 2, 1)]),
    Entry(
        "3",
        CH123 + "update_nodes",
        (7.0, 2.0),
        [dict(x=10.0, y=5.0, upstream=u) for u in sweep(-2.0, 2.0, 0.1)],
    ),
    Entry("3", CH123 + "update_apple_steps", (6.4, 2.4), [dict(step=s) for s in (0, 1, 2, 3, 2, 1)]),
    Entry(
        "3", CH123 + "update_apple_orange_steps", (7.2, 3.4), [dict(step=s) for s in (0, 1, 2, 3, 4, 5, 4, 3)]
    ),
    Entry(
        "3",
        CH123 + "update_apple_orange",
        (7.2, 3.4),
        [dict(apple=a) for a in _ints(sweep(50, 300, 10))]
        + [dict(upstream=u) for u in sweep(-2.0, 2.0, 0.1)],
    ),
    Entry("4", CH4 + "update_relu", (8, 2.6), [dict(x=x, dout=1.5) for x in sweep(-3.0, 3.0, 0.1)]),
    Entry(
        "4",
        CH4 + "update_sigmoid",
        (8, 2.2),
        [dict(x=x, dout=1.0, step=4) for x in sweep(-5.0, 5.0, 0.1)]
        + [dict(step=s) for s in (0, 1, 2, 3, 4)],
    ),
    Entry("4", CH4 + "update_vanishing", (7, 3.2), [dict(depth=d) for d in range(1, 16)]),
    Entry(
        "5",
        CH5 + "update_affine_index",
        (12, 3.2),
        [dict(i=i, j=j) for i in (1, 2) for j in (1, 2, 3)],
    ),
    Entry(
        "5",
        CH5 + "update_affine_shapes",
        (12, 2.9),
        [dict(N=n) for n in range(1, 11)] + [dict(input_size=d) for d in range(1, 9)],
    ),
    Entry(
        "5",
        CH5 + "update_softmax_loss",
        (8, 3),
        [dict(a1=a) for a in sweep(-10.0, 10.0, 0.1)] + [dict(true_class=c) for c in (1, 2, 3)],
    ),
    Entry(
        "7",
        CH7 + "update_autograd_apples",
        (7.2, 3.4),
        [dict(apple=a) for a in _ints(sweep(50, 300, 10))] + [dict(tax=t) for t in sweep(1.0, 1.3, 0.01, 12)],
    ),
    Entry("7", CH7 + "update_autograd_steps", (7.2, 3.4), [dict(step=s) for s in (0, 1, 2, 3, 4, 5, 4, 3)]),
    Entry(
        "7",
        CH7 + "update_fork",
        (6.4, 2.6),
        [dict(rate=r) for r in sweep(0.0, 0.3, 0.01)] + [dict(apple_num=n) for n in range(11)],
    ),
    Entry("7", CH7 + "update_no_clear", (7.0, 3.0), [dict(steps=s) for s in range(31)]),
]


def load_tree(name, tree):
    """Import the ``bplib`` package of the source tree ``tree`` as the module ``name``."""
    spec = importlib.util.spec_from_file_location(
        name, tree / "bplib" / "__init__.py", submodule_search_locations=[str(tree / "bplib")]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class Version:
    """One bplib (this checkout's, or REF's) and how a slider move runs in it."""

    def __init__(self, package, label):
        self.package, self.label = package, label
        self.sliders = importlib.import_module(package.__name__ + ".viz.sliders")
        self.figs = {}

    def function(self, entry):
        module, _, name = entry.function.rpartition(".")
        try:
            return getattr(importlib.import_module(f"{self.package.__name__}.{module}"), name, None)
        except ModuleNotFoundError:  # a chapter this version does not have yet
            return None

    def move(self, entry, values):
        """One slider move, as this version's sliders() does it; returns the PNG."""
        update, fig = self.function(entry), self.figs.get(entry.function)
        if fig is None:
            fig = self.figs[entry.function] = self.sliders.new_figure(entry.figsize)
        if hasattr(self.sliders, "render"):
            return self.sliders.render(update, fig, values)[0]
        with contextlib.redirect_stdout(io.StringIO()):  # before render(): clear, draw, encode
            self.sliders.clear_figure(fig)
            update(fig=fig, **values)
            return self.sliders.png(fig)


def time_moves(versions, entry, sweeps):
    """{version label: (wall ms, cpu ms)} per move over ``sweeps`` sweeps, versions alternating."""
    times = {v.label: ([], []) for v in versions}
    for v in versions:  # warm up: the first picture lays everything out
        v.move(entry, entry.positions[0])
    for _ in range(sweeps):
        for values in entry.positions:
            for v in versions:
                start, start_cpu = time.perf_counter(), time.process_time()
                v.move(entry, values)
                times[v.label][0].append(1000 * (time.perf_counter() - start))
                times[v.label][1].append(1000 * (time.process_time() - start_cpu))
    return times


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


@contextlib.contextmanager
def worktree(ref):
    """A temporary git worktree of ``ref``, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="bplib-ref-"))
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), ref], cwd=ROOT, check=True, capture_output=True
    )
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, capture_output=True)


def report(versions, entries, languages, sweeps):
    ours = versions[0].label
    ratios = {}
    for lang in languages:
        for v in versions:
            v.package.use_language(lang)
        print(f"\nlanguage {lang}")
        head = f"{'ch':<3}{'update function':<27}" + "".join(
            f"{v.label + ' median':>16}{'p95':>8}{'cpu':>8}" for v in versions
        )
        head += f"{'ratio':>8}" if len(versions) > 1 else ""
        print(head)
        print("-" * len(head))
        for entry in entries:
            if any(v.function(entry) is None for v in versions):
                print(f"{entry.chapter:<3}{entry.function.rpartition('.')[2]:<27} (not in every version)")
                continue
            times = time_moves(versions, entry, sweeps)
            row = f"{entry.chapter:<3}{entry.function.rpartition('.')[2]:<27}"
            for v in versions:
                wall, cpu = times[v.label]
                row += f"{statistics.median(wall):>13.1f} ms{p95(wall):>8.1f}{statistics.median(cpu):>8.1f}"
            if len(versions) > 1:
                ratio = statistics.median(times[ours][0]) / statistics.median(times[versions[1].label][0])
                ratios[lang, entry.function] = ratio
                row += f"{ratio:>8.2f}"
            print(row, flush=True)
    if ratios:
        for lang in languages:
            mine = [r for (language, _), r in ratios.items() if language == lang]
            middle, top = statistics.median(mine), max(mine)
            print(f"\n{lang}: ratio {ours} / {versions[1].label} over {len(mine)} update functions:", end=" ")
            print(f"median {middle:.2f}, largest {top:.2f} (goal: median <= 0.25, none above 0.5)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sweeps", type=int, default=1, help="sweeps over each slider's positions (default 1: each one new)"
    )
    parser.add_argument("--only", default="", help="only functions whose name contains this")
    parser.add_argument("--language", default="en", choices=("en", "zh", "both"), help="edition (default en)")
    parser.add_argument("--against", metavar="REF", help="also time the code of this git commit, alternating")
    args = parser.parse_args()
    entries = [e for e in REGISTRY if args.only in e.function]
    languages = ("en", "zh") if args.language == "both" else (args.language,)
    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; Agg; {args.sweeps} sweeps; "
        "milliseconds per slider move (wall clock median and p95, CPU median)"
    )
    this = Version(bplib, "this")
    if not args.against:
        return report([this], entries, languages, args.sweeps)
    with worktree(args.against) as tree:
        ref = Version(load_tree("bplib_ref", tree), args.against)
        report([this, ref], entries, languages, args.sweeps)


if __name__ == "__main__":
    main()
