"""Time what every training batch pays for SoftmaxWithLoss's targets, against another commit.

SoftmaxWithLoss turns class indices into one-hot rows and checks rows it is given (one-hot or
probabilities: each >= 0 and summing to 1). This times, on MNIST's shapes (a batch of 100
scores over 10 classes, float32), forward + backward of the layer with labels and with one-hot
rows, and one whole ``TwoLayerNet(784, 50, 10).gradient`` (the step ``train`` repeats).

    .venv/bin/python bench/loss_layer.py                  # this checkout against HEAD~1
    .venv/bin/python bench/loss_layer.py --against 2beb31e

REF's ``bplib`` is read with ``git archive`` into a temporary folder and imported in this same
process as ``bplib_ref``; the two are timed alternately, call for call, so whatever else the
machine does weighs on both alike. Prints the median microseconds per call and the ratio of the
medians (this / REF).
"""

import argparse
import importlib.util
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

import bplib

ROOT = Path(__file__).resolve().parent.parent


def load_ref(ref, folder):
    """bplib as it was at ``ref``, imported as the package ``bplib_ref`` (its imports are relative)."""
    archive = subprocess.run(["git", "archive", ref, "bplib"], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    package = Path(folder) / "bplib"
    spec = importlib.util.spec_from_file_location(
        "bplib_ref", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["bplib_ref"] = module
    spec.loader.exec_module(module)
    return module


def cases(lib, rng):
    x = rng.standard_normal((100, 10)).astype(np.float32)
    labels = rng.integers(0, 10, 100)
    one_hot = np.eye(10, dtype=np.float32)[labels]
    images = rng.random((100, 784)).astype(np.float32)
    net = lib.TwoLayerNet(784, 50, 10, dtype=np.float32, seed=0)
    layer = lib.SoftmaxWithLoss()

    def labels_step():
        layer.forward(x, labels)
        layer.backward()

    def one_hot_step():
        layer.forward(x, one_hot)
        layer.backward()

    return {
        "SoftmaxWithLoss, labels": labels_step,
        "SoftmaxWithLoss, one-hot rows": one_hot_step,
        "TwoLayerNet.gradient, batch 100": lambda: net.gradient(images, labels),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD~1", help="the commit to compare with")
    parser.add_argument("--repeat", type=int, default=2000, help="calls of each, per version")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ref = load_ref(args.against, folder)
        now, before = cases(bplib, np.random.default_rng(0)), cases(ref, np.random.default_rng(0))
        print(f"median µs per call, {args.repeat} calls each, alternating; this checkout vs {args.against}")
        print(f"{'':34} {'REF':>9} {'this':>9} {'this/REF':>9}")
        for name in now:
            times = {"ref": [], "this": []}
            repeat = args.repeat if "gradient" not in name else args.repeat // 10
            for _ in range(repeat):
                for key, step in (("ref", before[name]), ("this", now[name])):
                    began = time.perf_counter()
                    step()
                    times[key].append(time.perf_counter() - began)
            ref_us, this_us = (1e6 * statistics.median(times[k]) for k in ("ref", "this"))
            print(f"{name:34} {ref_us:9.1f} {this_us:9.1f} {this_us / ref_us:9.2f}")


if __name__ == "__main__":
    main()
