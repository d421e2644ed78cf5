"""A class on one server: N learners' kernels run a chapter each, then drag its sliders at once.

    BPLIB_MNIST_DIR=/path/to/mnist .venv/bin/python bench/classroom.py               # N = 1, 4, 8, 16
    .venv/bin/python bench/classroom.py --learners 4 8 --seconds 60 --chapters 4 --json out.json

For each N, one run with fresh kernels (``bench/notebook_kernel.py``: jupyter_client, one kernel
per learner, ``OPENBLAS_NUM_THREADS=1``):

1. every kernel executes its chapter's notebook, all at once (learner k gets the k-th of
   ``--chapters``, round robin: by default chapters 1-5, the ones with sliders);
2. each learner moves one slider at a time through its positions and back, ``--rate`` moves a
   second (a person dragging: 5), for ``--seconds`` (30), every learner at once. Moves go as
   ipywidgets 8's front end sends them (one message in flight per slider; later moves wait and
   are coalesced), so an overloaded kernel shows as latency and as coalesced moves.

Reported per N:

- memory per learner in MB, with all N kernels running: ``peak RSS`` (VmHWM, the largest of
  the N kernels), and the means over the kernels of ``PSS`` (what the server pays per learner:
  private pages + each shared page divided among the kernels sharing it), ``private``
  (``Private_Clean + Private_Dirty``) and ``anon`` (anonymous memory), at the end;
- ``CPU/move``: kernel CPU time (user + system, /proc/<pid>/stat) over the moving phase,
  divided by the moves sent;
- ``p50`` / ``p95``: latency of a move, from sending its message to the kernel's message that
  carries the new picture (an Output widget's PNG display_data, or an Image widget's value);
- ``wait p95``: from the learner's move to its picture, including the time the front end held
  it back; ``sent``/``made``: moves sent of moves made (the rest were coalesced).

Then "learners per core at p95 <= 150 ms": the largest N measured that meets it, per core.
Latency is measured at this script's end of the socket, on the same machine: the 2 cores also
run this script, as a server also runs Jupyter itself. The kernels are shut down at the end,
also after Ctrl-C.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import time

from notebook_kernel import Learner, MemorySampler, notebook_path

P95_BUDGET_MS = 150.0


def percentile(values, q):
    """The q-th percentile (0-100) by linear interpolation; nan for no values."""
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q / 100
    low = int(k)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def path_of(sliders):
    """The (slider, value) moves of a learner: each slider through its positions and back."""
    moves = []
    for slider in sliders:
        positions = slider.positions()
        current = slider.state.get(slider.key)
        start = positions.index(current) if current in positions else 0
        there = positions[start + 1 :] + positions[::-1][1:] + positions[1 : start + 1]
        moves += [(slider, value) for value in there]
    return moves


async def drag(learner, sliders, seconds, rate, rng):
    """Move ``sliders`` at ``rate`` moves a second for ``seconds``; return the number of moves made."""
    moves = path_of(sliders)
    if not moves:
        return 0
    await asyncio.sleep(rng.random() / rate)  # learners do not move in step
    began, made = time.perf_counter(), 0
    while time.perf_counter() - began < seconds:
        slider, value = moves[made % len(moves)]
        learner.move(slider, value, made=time.perf_counter())
        made += 1
        await asyncio.sleep(max(0.0, began + made / rate - time.perf_counter()))
    return made


async def run_class(n, chapters, seconds, rate, language, seed):
    """One class of ``n`` learners; returns the measurements as a dict."""
    rng = random.Random(seed)
    learners = [Learner(f"learner {k + 1}") for k in range(n)]
    chapter = [chapters[k % len(chapters)] for k in range(n)]
    samplers, tasks = [], []
    try:
        await asyncio.gather(*(learner.start() for learner in learners))
        samplers = [MemorySampler(learner.pid, period=1.0) for learner in learners]
        tasks = [asyncio.create_task(s.run()) for s in samplers]
        began = time.perf_counter()
        await asyncio.gather(
            *(
                learner.run_notebook(notebook_path(c, language))
                for learner, c in zip(learners, chapter, strict=True)
            )
        )
        setup = time.perf_counter() - began
        live = await asyncio.gather(*(learner.probe(learner.sliders()) for learner in learners))
        cpu = [learner.cpu_seconds() for learner in learners]
        made = await asyncio.gather(
            *(
                drag(learner, s, seconds, rate, random.Random(rng.random()))
                for learner, s in zip(learners, live, strict=True)
            )
        )
        await asyncio.gather(*(learner.settle() for learner in learners))
        cpu = [learner.cpu_seconds() - before for learner, before in zip(learners, cpu, strict=True)]
        memory = [learner.memory() for learner in learners]  # every kernel still running: PSS shares
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*(learner.stop() for learner in learners), return_exceptions=True)
    moves = [m for learner in learners for m in learner.moves]
    pictured = [m for m in moves if m.picture is not None]
    latency = [1000 * (m.picture - m.sent) for m in pictured]
    wait = [1000 * (m.picture - m.made) for m in pictured]
    return {
        "learners": n,
        "chapters": chapter,
        "setup_seconds": setup,
        "sliders": [len(s) for s in live],
        "errors": {learner.name: learner.errors for learner in learners if learner.errors},
        "peak_rss_max": max(m["peak_rss"] for m in memory),
        "peak_rss_mean": statistics.mean(m["peak_rss"] for m in memory),
        **{f"{key}_mean": statistics.mean(m[key] for m in memory) for key in ("rss", "pss", "uss", "anon")},
        "sampled_max": {k: max(s.peak.get(k, 0.0) for s in samplers) for k in ("rss", "pss", "uss", "anon")},
        "moves_made": sum(made),
        "moves_sent": len(moves),
        "moves_pictured": len(pictured),
        "cpu_per_move_ms": 1000 * sum(cpu) / max(1, len(moves)),
        "latency_p50_ms": percentile(latency, 50),
        "latency_p95_ms": percentile(latency, 95),
        "wait_p95_ms": percentile(wait, 95),
        "latency_ms": latency,
    }


def table(results):
    head = (
        f"{'N':>3}{'peak RSS':>9}{'PSS':>6}{'private':>8}{'anon':>6}{'CPU/move':>10}"
        f"{'p50':>8}{'p95':>8}{'wait p95':>9}{'sent/made':>12}{'setup':>7}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r['learners']:>3}{r['peak_rss_max']:>9.0f}{r['pss_mean']:>6.0f}{r['uss_mean']:>8.0f}"
            f"{r['anon_mean']:>6.0f}{r['cpu_per_move_ms']:>7.1f} ms{r['latency_p50_ms']:>5.0f} ms"
            f"{r['latency_p95_ms']:>5.0f} ms{r['wait_p95_ms']:>6.0f} ms"
            f"{r['moves_sent']:>6}/{r['moves_made']:<5}{r['setup_seconds']:>6.0f}s"
        )
    return "\n".join(lines)


def sizing(results, rate):
    """The learners-per-core lines: measured (largest N within the p95 budget) and from CPU per move."""
    cores = os.cpu_count()
    lone = min(results, key=lambda r: r["learners"])
    busy = rate * lone["cpu_per_move_ms"] / 1000  # CPU seconds per second one dragging learner needs
    if not busy:
        return ["no slider was moved (chapters without sliders?)"]
    ok = [r["learners"] for r in results if r["latency_p95_ms"] <= P95_BUDGET_MS]
    lines = []
    if ok:
        lines.append(
            f"p95 <= {P95_BUDGET_MS:.0f} ms up to N = {max(ok)} of those measured: "
            f"at least {max(ok) / cores:.1f} learners per core ({cores} cores)"
        )
    else:
        lines.append(f"p95 > {P95_BUDGET_MS:.0f} ms for every N measured")
    lines.append(
        f"CPU: a learner dragging at {rate:g} moves/s needs {busy:.2f} of a core (N = {lone['learners']}); "
        f"a core is saturated by {1 / busy:.1f} learners dragging at once"
    )
    return lines


async def main_async(args):
    results = []
    for n in args.learners:
        print(f"N = {n}: starting {n} kernels ...", flush=True)
        result = await run_class(n, args.chapters, args.seconds, args.rate, args.language, args.seed)
        for name, errors in result["errors"].items():
            print(f"   {name}: unexpected errors while running its notebook: {errors}")
        results.append(result)
    return results


def parse_chapters(text):
    """'1-5' or '1,3,4' -> [1, 2, 3, 4, 5] / [1, 3, 4]."""
    chapters = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        chapters += list(range(int(low), int(high or low) + 1))
    return chapters


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[1, 4, 8, 16], help="class sizes N")
    parser.add_argument("--chapters", type=parse_chapters, default=parse_chapters("1-5"), help="e.g. 1-5, 4")
    parser.add_argument("--seconds", type=float, default=30.0, help="moving phase per class (default 30)")
    parser.add_argument("--rate", type=float, default=5.0, help="moves per second per learner (default 5)")
    parser.add_argument("--language", default="en", choices=("en", "zh"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write every measurement (and each move's latency) here")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    try:
        results = asyncio.run(main_async(args))
    except KeyboardInterrupt:  # asyncio.run has already run each class's clean-up: no kernel is left
        raise SystemExit("interrupted; the kernels were shut down") from None
    print()
    print(
        f"{os.cpu_count()} cores, load average {load:.2f} before; chapters {args.chapters} "
        f"({args.language}); {args.rate:g} moves/s for {args.seconds:g} s; memory in MB (mean per "
        "kernel, peak RSS: the largest)"
    )
    print(table(results))
    for line in sizing(results, args.rate):
        print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
