"""Time every chapter's slider update functions: what a learner waits for on each slider move.

A slider move (``bplib.viz.sliders.sliders``) clears the figure, calls ``update(fig=fig, **values)``
and shows the figure. This script does the same with the Agg backend, cycling through a few
slider positions, and times

- ``draw``: clear + update + ``fig.canvas.draw()`` (the budget: median <= 50 ms), in wall-clock
  time and in this process's CPU time (on a machine busy with other jobs the wall clock
  also counts the waiting; CPU time does not), and
- ``png``:  clear + update + the PNG that ``sliders()`` sends to the browser
  (``bplib.viz.sliders.png``: the figure drawn once and encoded), the whole wait.

    .venv/bin/python bench/sliders.py                  # every registered function, 30 calls each
    .venv/bin/python bench/sliders.py --calls 60 --only chain

To add a chapter, append ``Entry(chapter, function, figsize, [kwargs, kwargs, ...])`` to
REGISTRY: the figsize of its ``sliders(...)`` call, and slider positions to cycle through.
Timings depend on the machine and on its load (the load average is printed with the table).
"""

import argparse
import contextlib
import io
import os
import statistics
import time
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

import bplib  # noqa: E402
from bplib.chapters import ch1_3_graphs as ch123  # noqa: E402
from bplib.chapters import ch4_activations as ch4  # noqa: E402
from bplib.chapters import ch5_affine_softmax as ch5  # noqa: E402
from bplib.viz.sliders import clear_figure, new_figure, png  # noqa: E402

BUDGET_MS = 50.0


@dataclass
class Entry:
    chapter: str
    update: object  # update(fig=None, **values) -> Figure
    figsize: tuple
    positions: list  # keyword arguments, one dict per slider position


REGISTRY = [
    Entry(
        "1",
        ch123.update_apple,
        (6.4, 2.4),
        [
            dict(price=p, count=c, tax=t)
            for p, c, t in [(100, 2, 1.1), (150, 3, 1.2), (50, 0, 1.0), (200, 10, 1.3)]
        ],
    ),
    Entry(
        "2",
        ch123.update_chain,
        (9.0, 2.8),
        [dict(x=x, y=y) for x, y in [(1, 2), (-2.5, 0.5), (3, -3), (0, 0)]],
    ),
    Entry("2", ch123.update_chain_steps, (5.0, 2.2), [dict(step=s) for s in range(4)]),
    Entry(
        "3",
        ch123.update_nodes,
        (7.0, 2.0),
        [dict(x=x, y=y, upstream=u) for x, y, u in [(10, 5, 1.3), (-3, 7, 2.0), (0, 0, 0.0), (2, 9, -1.0)]],
    ),
    Entry("3", ch123.update_apple_steps, (6.4, 2.4), [dict(step=s) for s in range(4)]),
    Entry("3", ch123.update_apple_orange_steps, (7.2, 3.4), [dict(step=s) for s in range(6)]),
    Entry(
        "3",
        ch123.update_apple_orange,
        (7.2, 3.4),
        [
            dict(apple=a, apple_num=n, orange=o, orange_num=m, tax=t, upstream=u)
            for a, n, o, m, t, u in [
                (100, 2, 150, 3, 1.1, 1.0),
                (250, 0, 80, 7, 1.3, 2.0),
                (60, 9, 300, 1, 1.0, -1.0),
            ]
        ],
    ),
    Entry(
        "4",
        ch4.update_relu,
        (8, 2.6),
        [dict(x=x, dout=d) for x, d in [(1.0, 1.5), (-1.0, 1.5), (0.0, -2.0), (3.0, 2.0)]],
    ),
    Entry(
        "4",
        ch4.update_sigmoid,
        (8, 2.2),
        [
            dict(x=x, dout=d, step=s)
            for x, d, s in [(1.0, 1.0, 4), (-5.0, 2.0, 0), (5.0, -2.0, 2), (-0.5, 1.5, 4)]
        ],
    ),
    Entry("4", ch4.update_vanishing, (7, 3.2), [dict(depth=d) for d in (1, 5, 10, 15)]),
    Entry(
        "5",
        ch5.update_affine_shapes,
        (7, 2.4),
        [dict(N=n, input_size=d, output_size=m) for n, d, m in [(4, 2, 3), (1, 1, 1), (10, 8, 8), (5, 3, 2)]],
    ),
    Entry(
        "5",
        ch5.update_softmax_loss,
        (8, 3),
        [
            dict(a1=a1, a2=a2, a3=a3, true_class=c)
            for a1, a2, a3, c in [(0.3, 2.9, 4.0, 3), (-10, 10, -10, 1), (10, 10, 10, 2), (0, 0, 5, 1)]
        ],
    ),
]


def time_entry(entry, calls, as_png):
    """Milliseconds per call, two lists of ``calls`` timings: wall clock, and this process's
    CPU time (which other jobs on a busy machine do not inflate)."""
    fig = new_figure(entry.figsize)
    FigureCanvasAgg(fig)
    wall, cpu = [], []
    with contextlib.redirect_stdout(io.StringIO()):  # the numbers an update prints
        for i in range(calls + 2):
            values = entry.positions[i % len(entry.positions)]
            start, start_cpu = time.perf_counter(), time.process_time()
            clear_figure(fig)  # what sliders() does before each update
            entry.update(fig=fig, **values)
            if as_png:
                png(fig)  # the picture sliders() sends to the browser
            else:
                fig.canvas.draw()
            if i >= 2:  # the first calls warm caches (fonts, imports)
                wall.append(1000 * (time.perf_counter() - start))
                cpu.append(1000 * (time.process_time() - start_cpu))
    return wall, cpu


def p95(times):
    return statistics.quantiles(times, n=20)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30, help="timed calls per function (default 30)")
    parser.add_argument("--only", default="", help="only functions whose name contains this")
    parser.add_argument("--language", default="en", choices=("en", "zh"), help="edition (default en)")
    args = parser.parse_args()
    bplib.use_language(args.language)
    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {args.calls} calls each; Agg; "
        f"language {args.language}"
    )
    head = (
        f"{'ch':<3}{'update function':<28}{'draw median':>12}{'p95':>8}{'cpu median':>12}"
        f"{'png median':>12}{'p95':>8}  budget"
    )
    print(head)
    print("-" * len(head))
    over = 0
    for entry in REGISTRY:
        name = entry.update.__name__
        if args.only not in name:
            continue
        (draw, cpu), (sent, _) = time_entry(entry, args.calls, False), time_entry(entry, args.calls, True)
        if statistics.median(draw) <= BUDGET_MS:
            verdict = "ok"
        elif statistics.median(cpu) <= BUDGET_MS:
            verdict = "ok in CPU time (the machine is busy)"
        else:
            verdict, over = "OVER", over + 1
        print(
            f"{entry.chapter:<3}{name:<28}{statistics.median(draw):>9.1f} ms{p95(draw):>8.1f}"
            f"{statistics.median(cpu):>9.1f} ms{statistics.median(sent):>9.1f} ms{p95(sent):>8.1f}  {verdict}"
        )
    print(f"budget: median draw <= {BUDGET_MS:.0f} ms (wall clock; CPU time on a busy machine); {over} over")


if __name__ == "__main__":
    main()
