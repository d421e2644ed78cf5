"""Memory of one learner's kernel per chapter: each notebook run top to bottom in a fresh kernel.

    BPLIB_MNIST_DIR=/path/to/mnist .venv/bin/python bench/kernel_memory.py            # chapters 0-6
    BPLIB_MNIST_DIR=/path/to/mnist .venv/bin/python bench/kernel_memory.py 6 --class-size 30

For each chapter, one kernel at a time (``bench/notebook_kernel.py``: jupyter_client,
``OPENBLAS_NUM_THREADS=1``) runs the notebook's code cells in order, as nbval does. Reported, in MB:

- ``peak RSS``: VmHWM of the kernel process (/proc/<pid>/status), what ``top`` would have shown
  at the worst moment. It counts file-backed pages (libraries, a memory-mapped MNIST cache) in
  full, although a server holds them once for all kernels.
- ``RSS``, ``PSS``, ``private`` (``Private_Clean + Private_Dirty``) and ``anon`` (anonymous
  pages: the kernel's own objects and arrays) from /proc/<pid>/smaps_rollup at the end, and the
  largest RSS and anon seen by sampling every 0.25 s while the notebook ran. With one kernel
  alone, a file page it alone maps counts as private and PSS equals RSS.
- ``per learner``: what the server pays for each learner in a class of ``--class-size`` kernels
  running the same chapter: anon + (RSS - anon) / class size, at the sample of largest RSS.
  File-backed pages are shared by all kernels that map them (``bench/classroom.py`` measures
  PSS with N kernels really running).
- ``seconds``: wall time from starting the kernel to the last cell; ``CPU s``: the kernel's CPU
  time (user + system) over the same span.
"""

import argparse
import asyncio
import os
import time

from notebook_kernel import Learner, MemorySampler, notebook_path


def show_cell(learner):
    """After each cell: its first line, and the kernel's RSS and anonymous memory then."""

    def after_cell(source):
        now = learner.memory()
        first = next((line for line in source.splitlines() if line.strip()), "")[:70]
        print(f"   RSS {now['rss']:6.0f}  anon {now['anon']:6.0f}  peak {now['peak_rss']:6.0f}   {first}")

    return after_cell


async def measure(chapter, language, per_cell=False):
    learner = Learner(f"chapter {chapter}")
    began = time.perf_counter()
    await learner.start()
    sampler = MemorySampler(learner.pid)
    sampling = asyncio.create_task(sampler.run())
    try:
        after = show_cell(learner) if per_cell else None
        await learner.run_notebook(notebook_path(chapter, language), after)
        seconds, cpu = time.perf_counter() - began, learner.cpu_seconds()
        end = learner.memory()
        sampling.cancel()
        return end, sampler.peak, seconds, cpu, learner.errors
    finally:
        sampling.cancel()
        await learner.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", type=int, default=list(range(7)), help="default: 0 1 ... 6")
    parser.add_argument("--language", default="en", choices=("en", "zh"))
    parser.add_argument("--per-cell", action="store_true", help="also print the memory after every cell")
    parser.add_argument("--class-size", type=int, default=30, help="learners sharing the server (default 30)")
    args = parser.parse_args()
    print(
        f"one kernel at a time; MB; BPLIB_MNIST_DIR={os.environ.get('BPLIB_MNIST_DIR', '(unset)')}; "
        f"language {args.language}; per learner in a class of {args.class_size}"
    )
    head = (
        f"{'ch':<3}{'peak RSS':>9}{'RSS':>7}{'PSS':>7}{'private':>8}{'anon':>7}"
        f"{'max RSS':>9}{'max anon':>9}{'per learner':>12}{'seconds':>8}{'CPU s':>7}"
    )
    print(head)
    print("-" * len(head))
    for chapter in args.chapters:
        end, peak, seconds, cpu, errors = asyncio.run(measure(chapter, args.language, args.per_cell))
        # the anon share at the largest sampled RSS is bounded by the largest anon seen
        per_learner = peak["anon"] + (peak["rss"] - peak["anon"]) / args.class_size
        print(
            f"{chapter:<3}{end['peak_rss']:>9.0f}{end['rss']:>7.0f}{end['pss']:>7.0f}{end['uss']:>8.0f}"
            f"{end['anon']:>7.0f}{peak['rss']:>9.0f}{peak['anon']:>9.0f}{per_learner:>12.0f}{seconds:>8.1f}"
            f"{cpu:>7.1f}"
        )
        for error in errors:
            print(f"   unexpected error in chapter {chapter}: {error}")


if __name__ == "__main__":
    main()
