"""Time the book's MNIST training with bplib, and with PyTorch CPU when it is installed.

The book's setup: TwoLayerNet 784-50-10, 10,000 iterations, batch 100, learning rate 0.1,
train and test accuracy on the full 60,000 / 10,000 images once per epoch (every 600
iterations, and after the last one: 17 evaluations). Three ways to run it, on the same
initial weights and the same mini-batches (np.random.default_rng(seed).integers):

- ``bplib train()``: ``bplib.training.train`` (no reporter);
- ``bplib book loop``: the book's plain loop, ``grad = network.gradient(x, t)`` then
  ``network.params[key] -= lr * grad[key]``;
- ``torch``: nn.Linear-ReLU-nn.Linear, F.cross_entropy, torch.optim.SGD, float32 (only if
  PyTorch is installed; it is never a dependency of the course).

The runs alternate (train, loop, torch, train, loop, torch, ...) so a busy machine slows
all of them alike; the table shows medians and minima (the minima are the closest to an
idle machine). Peak memory is the process's peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), taken before PyTorch is imported:
Python, NumPy, the MNIST arrays and the bplib runs.

    .venv/bin/python bench/train_mnist.py                 # 3 alternating runs of each
    .venv/bin/python bench/train_mnist.py --threads 1     # one BLAS / torch thread
    BPLIB_MNIST_DIR=/path/to/mnist .venv/bin/python bench/train_mnist.py --runs 5

Threads: OpenBLAS splits even these small matrix products over all cores. On an idle
machine that saves a little; when other programs keep the cores busy (load average >=
cores), its threads spin-wait and a run can take 5-15x longer. ``--threads 1`` sets
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (before NumPy starts) and torch.set_num_threads(1).
"""

import argparse
import os
import resource
import statistics
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=3, help="runs of each kind, alternating (default 3)")
    p.add_argument("--iters", type=int, default=10000)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=None, help="BLAS and torch threads (default: theirs)")
    p.add_argument("--no-torch", action="store_true", help="time bplib only")
    return p.parse_args()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run_train(data, args):
    import numpy as np

    from bplib import TwoLayerNet
    from bplib.training import SGD, train

    (x_train, t_train), (x_test, t_test) = data
    network = TwoLayerNet(784, 50, 10, dtype=np.float32, seed=args.seed)
    h = train(network, x_train, t_train, x_test, t_test, iters=args.iters, batch_size=args.batch_size,
              optimizer=SGD(args.lr), seed=args.seed, reporter=False)  # fmt: skip
    return h.train_acc[-1], h.test_acc[-1]


def run_book_loop(data, args):
    import numpy as np

    from bplib import TwoLayerNet
    from bplib.training import iter_per_epoch

    (x_train, t_train), (x_test, t_test) = data
    network = TwoLayerNet(784, 50, 10, dtype=np.float32, seed=args.seed)
    rng = np.random.default_rng(args.seed)
    per_epoch = iter_per_epoch(len(x_train), args.batch_size)
    train_loss, train_acc, test_acc = [], [], []
    for i in range(1, args.iters + 1):
        batch = rng.integers(0, len(x_train), args.batch_size)
        grad = network.gradient(x_train[batch], t_train[batch])
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= args.lr * grad[key]
        train_loss.append(network.last_layer.loss)  # kept by gradient's forward pass
        if i % per_epoch == 0 or i == args.iters:
            train_acc.append(network.accuracy(x_train, t_train))
            test_acc.append(network.accuracy(x_test, t_test))
    return train_acc[-1], test_acc[-1]


def run_torch(data, args):
    import numpy as np
    import torch
    from torch.nn import functional as F

    from bplib import TwoLayerNet
    from bplib.training import iter_per_epoch

    (x_train, t_train), (x_test, t_test) = data
    init = TwoLayerNet(784, 50, 10, dtype=np.float32, seed=args.seed).params  # the same initial weights
    model = torch.nn.Sequential(torch.nn.Linear(784, 50), torch.nn.ReLU(), torch.nn.Linear(50, 10))
    with torch.no_grad():
        for layer, w, b in ((model[0], "W1", "b1"), (model[2], "W2", "b2")):
            layer.weight.copy_(torch.from_numpy(init[w].T.copy()))
            layer.bias.copy_(torch.from_numpy(init[b]))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    X, T, X_test, T_test = (torch.from_numpy(a) for a in (x_train, t_train, x_test, t_test))
    rng = np.random.default_rng(args.seed)
    per_epoch = iter_per_epoch(len(x_train), args.batch_size)

    def accuracy(x, t):
        with torch.no_grad():
            return (model(x).argmax(dim=1) == t).float().mean().item()

    train_loss, train_acc, test_acc = [], [], []
    for i in range(1, args.iters + 1):
        batch = torch.from_numpy(rng.integers(0, len(x_train), args.batch_size))
        loss = F.cross_entropy(model(X[batch]), T[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss.append(loss.item())
        if i % per_epoch == 0 or i == args.iters:
            train_acc.append(accuracy(X, T))
            test_acc.append(accuracy(X_test, T_test))
    return train_acc[-1], test_acc[-1]


def main():
    args = parse_args()
    if args.threads is not None:  # must be set before NumPy (OpenBLAS) starts its threads
        os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(args.threads)

    import numpy as np

    from bplib.data import load_mnist

    data = load_mnist()
    loaded = peak_mb()
    runs = {"bplib train()": run_train, "bplib book loop": run_book_loop}
    accs, peak, torch_version = {}, None, None
    if not args.no_torch:
        try:
            import importlib.metadata

            torch_version = importlib.metadata.version("torch")
            runs["torch"] = run_torch
        except importlib.metadata.PackageNotFoundError:
            print("PyTorch is not installed: timing bplib only")

    times, cpu = {name: [] for name in runs}, {name: [] for name in runs}
    load = os.getloadavg()  # a busy machine slows every run; the minima show the quiet-machine times
    for r in range(args.runs):
        for name, run in runs.items():
            if name == "torch" and peak is None:
                peak = peak_mb()  # before `import torch` adds its own libraries
                import torch

                if args.threads is not None:
                    torch.set_num_threads(args.threads)
            start, cpu_start = time.perf_counter(), time.process_time()
            accs[name] = run(data, args)
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - cpu_start)
            took = f"{times[name][-1]:6.2f} s (cpu {cpu[name][-1]:6.2f} s)"
            print(f"run {r + 1}/{args.runs}  {name:16s} {took}", flush=True)
    peak = peak_mb() if peak is None else peak

    threads = os.environ.get("OPENBLAS_NUM_THREADS", f"default ({os.cpu_count()} cores)")
    if torch_version:
        threads += f", torch threads {torch.get_num_threads()}"
    print()
    print(
        f"MNIST 784-50-10, {args.iters} iterations, batch {args.batch_size}, lr {args.lr}, "
        f"accuracy every {np.ceil(60000 / args.batch_size):.0f} iterations; NumPy {np.__version__}"
        + (f", torch {torch_version} CPU" if torch_version else "")
        + f"; threads: {threads}"
    )
    print(
        f"{'':16s} {'median s':>9s} {'min s':>6s} {'cpu s':>6s} {'train acc':>9s} {'test acc':>9s}   runs (s)"
    )
    for name, ts in times.items():
        print(
            f"{name:16s} {statistics.median(ts):9.2f} {min(ts):6.2f} {statistics.median(cpu[name]):6.2f} "
            f"{accs[name][0]:9.4f} {accs[name][1]:9.4f}   " + " ".join(f"{t:.2f}" for t in ts)
        )
    if torch_version:
        for name in ("bplib train()", "bplib book loop"):
            median = statistics.median(times[name]) / statistics.median(times["torch"])
            fastest = min(times[name]) / min(times["torch"])
            print(f"time ratio {name} / torch: {median:.2f} (medians), {fastest:.2f} (minima)")
    print(
        f"load average (1 min) before / after: {load[0]:.1f} / {os.getloadavg()[0]:.1f}, "
        f"{os.cpu_count()} cores"
    )
    if max(load[0], os.getloadavg()[0]) >= os.cpu_count() and args.threads != 1:
        print("note: the machine was busy; multi-threaded BLAS spin-waits badly then (try --threads 1)")
    print(
        f"peak memory (ru_maxrss): {loaded:.0f} MB after loading MNIST, {peak:.0f} MB after the bplib runs"
        + (" (taken before importing torch)" if torch_version else "")
    )


if __name__ == "__main__":
    main()
