"""What autograd's tape costs against chapter 6's hand-written layers: time and memory.

Times one gradient of the MNIST network (784 -> 50 -> 10) both ways on the same mini-batch:
``TwoLayerNet.gradient`` (the layers' forward and backward, called in a fixed order) and
``AutogradNet.gradient`` (chapter 7: the same network in a few lines of ``bplib.autograd``,
recorded as it runs, then ``loss.backward()``). The two are called alternately, call for call, so
whatever else the machine does weighs on both alike; the script prints the median of each and the
ratio of the medians (autograd / layers), per batch size and dtype. Then the bytes the tape keeps
for backward (``tape_nbytes``: exact, no timing) against what the layers keep.

    .venv/bin/python bench/autograd.py
    .venv/bin/python bench/autograd.py --repeat 400 --batch 100
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/autograd.py   # on a busy machine

On a machine whose cores are busy with other work, OpenBLAS's threads wait for each other and a
matrix product of a batch of 100 can take 20 ms instead of 0.3 ms, for both ways alike: the ratio
then says nothing. One BLAS thread (OPENBLAS_NUM_THREADS=1) keeps the times steady.

The images are random numbers in [0, 1) of MNIST's shape: the time does not depend on their
values, and the script needs no data files.
"""

import argparse

import numpy as np

from bplib import TwoLayerNet
from bplib.autograd import softmax_cross_entropy, tape_nbytes
from bplib.chapters.ch7_autograd import AutogradNet, compare_cost


def batch(n, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 784)).astype(dtype), rng.integers(0, 10, n)


def layers_keep(net):
    """Bytes the layers keep for backward after a forward pass: inputs, mask, y and t."""
    a1, act, a2, last = *net.layers.values(), net.last_layer
    return sum(a.nbytes for a in (a1.x, act.mask, a2.x, last.y, last.t))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="gradients of each, per row")
    parser.add_argument("--batch", type=int, nargs="*", default=[1, 10, 100, 1000], help="batch sizes")
    args = parser.parse_args()

    print(f"one gradient of TwoLayerNet(784, 50, 10): median of {args.repeat} calls each, alternating")
    print(f"{'dtype':8} {'batch':>6} {'layers µs':>11} {'autograd µs':>12} {'autograd/layers':>16}")
    for dtype in (np.float32, np.float64):
        for n in args.batch:
            layers = TwoLayerNet(784, 50, 10, dtype=dtype, seed=0)
            auto = AutogradNet(layers.params)
            x, t = batch(n, dtype)
            for net in (layers, auto):  # warm up: first calls pay for allocations and BLAS threads
                net.gradient(x, t)
            cost = compare_cost(layers, auto, x, t, repeat=args.repeat)
            name = np.dtype(dtype).name
            print(f"{name:8} {n:6d} {cost.layers * 1e6:11.1f} {cost.autograd * 1e6:12.1f} {cost.ratio:16.2f}")

    print()
    print("bytes kept for backward (float32): the tape against the layers (+ W2, held by both)")
    print(f"{'batch':>6} {'tape':>12} {'layers':>12} {'per image':>10}")
    for n in args.batch:
        layers = TwoLayerNet(784, 50, 10, dtype=np.float32, seed=0)
        auto = AutogradNet(layers.params)
        x, t = batch(n, np.float32)
        tape = tape_nbytes(softmax_cross_entropy(auto.forward(x), t))
        layers.loss(x, t)
        kept = layers_keep(layers)
        assert tape == kept + layers.params["W2"].nbytes  # the same arrays, and a reference to W2
        print(f"{n:6d} {tape:12,} {kept:12,} {(tape - layers.params['W2'].nbytes) // n:10,}")


if __name__ == "__main__":
    main()
