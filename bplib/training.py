"""Training a network with backprop: the four steps of chapter 6, with a live view.

1. mini-batch: pick ``batch_size`` random training examples;
2. gradient: one forward and one backward pass (``network.gradient``);
3. update: move every parameter a little against its gradient (the optimizer);
4. repeat, and once per epoch measure the accuracy on the whole training and test sets.

``train`` runs the steps and returns a ``History``. While it runs, a *reporter* shows
progress: a progress bar and live curves in Jupyter, one line per epoch elsewhere.
Bad settings are refused with a ``ValueError`` before any work; a notebook panel can
wrap its call in ``explain_errors()`` to print that message instead of a traceback.
"""

import math
import numbers
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .functions import as_target
from .words import say

__all__ = [
    "SGD",
    "History",
    "JupyterReporter",
    "Reporter",
    "TextReporter",
    "explain_errors",
    "iter_per_epoch",
    "plot_history",
    "train",
]


def _check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not math.isfinite(lr) or lr <= 0:
        raise ValueError(say("the learning rate must be a number > 0, got {lr!r}", lr=lr))
    return float(lr)  # a Python float: np.float64(0.1) * float32 array would upcast to float64


class SGD:
    """Stochastic gradient descent: ``W <- W - lr * dL/dW`` for every parameter.

    The book's optimizer interface: ``update(params, grads)`` changes ``params`` in place;
    ``params`` and ``grads`` map the same names (``'W1'``, ``'b1'``, ...) to arrays.
    """

    def __init__(self, lr=0.01):
        self.lr = _check_lr(lr)

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]

    def __repr__(self):
        return f"SGD(lr={self.lr})"


def iter_per_epoch(n, batch_size):
    """Iterations per epoch: the fewest mini-batches that draw at least ``n`` examples.

    ``ceil(n / batch_size)``, a whole number >= 1. (The book's ``max(n / batch_size, 1)``
    is a float: with batch 128, ``i % 468.75 == 0`` holds only every 1875 iterations, so
    it silently skips evaluations.)
    """
    return max(1, math.ceil(n / batch_size))


@dataclass(repr=False)
class History:
    """What ``train`` recorded (NumPy arrays).

    loss: (iters,) the mini-batch loss of each iteration, before its update.
    eval_iters: (E,) how many updates were done when each evaluation ran: every
        ``iter_per_epoch`` updates, and after the last one.
    train_acc, test_acc: (E,) accuracy on the whole training / test set at those points.
    seconds: wall time of the run, training and evaluations together.
    """

    loss: np.ndarray
    eval_iters: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray
    iter_per_epoch: int
    seconds: float = 0.0

    @property
    def epochs(self):
        """(E,) the evaluation points in epochs (1.0, 2.0, ..., maybe a fraction at the end)."""
        return self.eval_iters / self.iter_per_epoch

    def __repr__(self):
        if len(self.eval_iters) == 0:
            return say("History({iters} iterations, no evaluation yet)", iters=len(self.loss))
        return say(
            "History({iters} iterations, {evals} evaluations; "
            "final train accuracy {train:.4f}, test accuracy {test:.4f})",
            iters=len(self.loss),
            evals=len(self.eval_iters),
            train=self.train_acc[-1],
            test=self.test_acc[-1],
        )


class Reporter:
    """Shows nothing. Subclass it to watch a run: ``train`` calls these methods."""

    def start(self, iters, iter_per_epoch):
        """Before the first iteration."""

    def step(self, done, loss):
        """After every update (``done`` updates so far): keep it cheap."""

    def evaluated(self, history):
        """After each evaluation, with the history so far."""

    def finish(self, history):
        """After the last evaluation."""

    def stopped(self, message):
        """When training stopped with an error (the ValueError follows)."""


class TextReporter(Reporter):
    """One line per evaluation: updates done, mean loss since the previous line, accuracies."""

    def __init__(self, file=None):
        self.file = file  # None: sys.stdout at the time of printing

    def _print(self, text):
        print(text, file=self.file or sys.stdout, flush=True)

    def start(self, iters, iter_per_epoch):
        self._print(
            say("training: {iters} iterations, {per_epoch} per epoch", iters=iters, per_epoch=iter_per_epoch)
        )

    def evaluated(self, history):
        h = history
        done = h.eval_iters[-1]
        before = h.eval_iters[-2] if len(h.eval_iters) > 1 else 0
        loss = h.loss[before:done].mean()
        self._print(
            say(
                "epoch {epoch:6.2f}  iter {done:6d}  loss {loss:.4f}  "
                "train acc {train:.4f}  test acc {test:.4f}",
                epoch=h.epochs[-1],
                done=done,
                loss=loss,
                train=h.train_acc[-1],
                test=h.test_acc[-1],
            )
        )

    def finish(self, history):
        self._print(say("done in {seconds:.1f} s", seconds=history.seconds))

    def stopped(self, message):
        self._print(say("stopped: {why}", why=message))


class JupyterReporter(Reporter):
    """A progress bar and live curves (``plot_history``) in a notebook.

    Drawing the figure takes 0.2-0.4 s, so after an evaluation it is redrawn only once
    ``redraw_factor`` times its last drawing time has passed (drawing then costs at most
    about a tenth of the run), and always at the end. The bar moves at most every
    ``bar_seconds``: a widget update per iteration would slow training down.
    """

    def __init__(self, figsize=(8, 3), bar_seconds=0.5, redraw_factor=10):
        self.figsize, self.bar_seconds, self.redraw_factor = figsize, bar_seconds, redraw_factor

    def start(self, iters, iter_per_epoch):
        import ipywidgets as widgets
        from IPython.display import display
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.bar = widgets.IntProgress(min=0, max=iters, description=say("training"))
        self.label = widgets.Label(f"0 / {iters}")
        self.image = widgets.Image(format="png")
        self.fig = Figure(figsize=self.figsize, dpi=80)
        FigureCanvasAgg(self.fig)  # png() reads the pixels of an Agg canvas
        self.iters, self.shown_at, self.next_draw, self.drawn = iters, time.perf_counter(), 0.0, None
        display(widgets.VBox([widgets.HBox([self.bar, self.label]), self.image]))

    def step(self, done, loss):
        now = time.perf_counter()
        if now - self.shown_at >= self.bar_seconds:
            self.bar.value, self.shown_at = done, now
            self.label.value = say(
                "{done} / {total}   loss {loss:.3f}", done=done, total=self.iters, loss=loss
            )

    def evaluated(self, history):
        self.bar.value = int(history.eval_iters[-1])
        if time.perf_counter() >= self.next_draw:
            self._draw(history)

    def _draw(self, history):
        from .viz.sliders import clear_figure, png

        began = time.perf_counter()
        clear_figure(self.fig)
        plot_history(history, fig=self.fig)
        # fixed margins: a layout engine would double the drawing time
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.9, wspace=0.25)
        self.image.value = png(self.fig)
        now = time.perf_counter()
        self.next_draw, self.drawn = now + self.redraw_factor * (now - began), len(history.loss)

    def finish(self, history):
        if self.drawn != len(history.loss):
            self._draw(history)
        self.bar.value, self.bar.bar_style = self.iters, "success"
        self.label.value = say(
            "done in {seconds:.1f} s   test acc {test:.4f}",
            seconds=history.seconds,
            test=history.test_acc[-1],
        )

    def stopped(self, message):
        self.bar.bar_style, self.label.value = "danger", message


def _default_reporter():
    """JupyterReporter inside a Jupyter kernel (its shell has a kernel), TextReporter anywhere else."""
    shell = sys.modules["IPython"].get_ipython() if "IPython" in sys.modules else None
    return JupyterReporter() if getattr(shell, "kernel", None) is not None else TextReporter()


def plot_history(history, fig=None, figsize=(8, 3)):
    """Loss per iteration (left) and train/test accuracy per epoch (right); returns the Figure.

    ``history``: one ``History``, or a dict ``{label: History}`` to compare runs.
    Draws into ``fig`` (a new ``bplib.viz.sliders.new_figure`` when None), like the slider kit's
    update functions.
    """
    from .viz.sliders import new_figure

    runs = history if isinstance(history, dict) else {"": history}
    fig = new_figure(figsize) if fig is None else fig
    ax_loss, ax_acc = fig.subplots(1, 2)
    for n, (label, h) in enumerate(runs.items()):
        # one run: train C0, test C1; several: one colour per run, test dashed
        color, test_color, run = f"C{n}", (f"C{n}" if label else "C1"), f"{label} " if label else ""
        its = np.arange(1, len(h.loss) + 1)
        if not label:
            ax_loss.plot(its, h.loss, color=color, alpha=0.3, lw=0.5)
        width = max(1, min(len(h.loss), h.iter_per_epoch) // 10)  # a running mean shows the trend
        smooth = np.convolve(h.loss, np.ones(width) / width, mode="valid")
        ax_loss.plot(its[width - 1 :], smooth, color=color, lw=1.2, label=label or None)
        train_label, test_label = say("{run}train", run=run), say("{run}test", run=run)
        ax_acc.plot(h.epochs, h.train_acc, "o-", color=color, ms=3, label=train_label, gid=f"{run}train")
        ax_acc.plot(h.epochs, h.test_acc, "s--", color=test_color, ms=3, label=test_label, gid=f"{run}test")
    ax_loss.set(xlabel=say("iteration"), ylabel=say("loss"), title=say("mini-batch loss"))
    ax_acc.set(xlabel=say("epoch"), ylabel=say("accuracy"), title=say("accuracy"), ylim=(0, 1))
    if ax_loss.get_legend_handles_labels()[1]:
        ax_loss.legend(fontsize=9, framealpha=1)
    ax_acc.legend(fontsize=9, loc="lower right", framealpha=1)  # opaque: curves pass behind it
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    _describe_history(fig, runs)
    return fig


def _describe_history(fig, runs):
    """The curves in words (the figure's text in a notebook): each run's loss and final accuracies."""
    from .viz.picture import describe
    from .words import sentences

    words = []
    for label, h in runs.items():
        if len(h.eval_iters) == 0:
            continue
        last = min(len(h.loss), 50)
        words.append(
            say(
                "{run}mini-batch loss from {first:.2f} to {end:.2f} (mean of the last {n} iterations); "
                "after {epochs:.2f} epochs, train accuracy {train:.1%}, test accuracy {test:.1%}.",
                run=f"{label}: " if label else "",
                first=float(h.loss[0]),
                end=float(np.mean(h.loss[-last:])),
                n=last,
                epochs=float(h.epochs[-1]),
                train=float(h.train_acc[-1]),
                test=float(h.test_acc[-1]),
            )
        )
    describe(fig, "curves", sentences(words))


def _whole(name, value, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(
            say("{name} must be a whole number >= {low}, got {value!r}", name=name, low=low, value=value)
        )
    return int(value)


def _check_data(network, x, t, name):
    """x, t as arrays; ValueError unless x has one row per label and the network's input width."""
    x, t = np.asarray(x), np.asarray(t)
    if x.ndim < 2 or len(x) == 0:
        raise ValueError(
            say(
                "x_{name} must hold at least one example per row, got shape {shape}", name=name, shape=x.shape
            )
        )
    if len(t) != len(x):
        raise ValueError(
            say(
                "x_{name} has {n} examples but t_{name} has {labels} labels",
                name=name,
                n=len(x),
                labels=len(t),
            )
        )
    width, inputs = math.prod(x.shape[1:]), network.params["W1"].shape[0]
    if width != inputs:
        raise ValueError(
            say(
                "x_{name} examples have {width} values (shape {shape}), "
                "but the network takes {inputs} inputs",
                name=name,
                width=width,
                shape=x.shape[1:],
                inputs=inputs,
            )
        )
    as_target(t, (len(t), network.params["W2"].shape[-1]), f"t_{name}")  # labels fit the outputs
    return x, t


def _check_settings(network, x_train, t_train, x_test, t_test, iters, batch_size, optimizer):
    iters = _whole("iters", iters, 1)
    batch_size = _whole("batch_size", batch_size, 1)
    if not callable(getattr(optimizer, "update", None)):
        raise ValueError(
            say("optimizer must have an update(params, grads) method, got {optimizer!r}", optimizer=optimizer)
        )
    if hasattr(optimizer, "lr"):
        _check_lr(optimizer.lr)
    x_train, t_train = _check_data(network, x_train, t_train, "train")
    x_test, t_test = _check_data(network, x_test, t_test, "test")
    if batch_size > len(x_train):
        raise ValueError(
            say(
                "batch_size {batch_size} is larger than the training data ({n} examples)",
                batch_size=batch_size,
                n=len(x_train),
            )
        )
    return x_train, t_train, x_test, t_test, iters, batch_size


def train(
    network,
    x_train,
    t_train,
    x_test,
    t_test,
    iters=10000,
    batch_size=100,
    optimizer=None,
    seed=0,
    reporter=None,
):
    """Train ``network`` by mini-batch gradient descent; return a ``History``.

    network: a ``TwoLayerNet`` (or any network with ``params``, ``gradient(x, t)``,
        ``accuracy(x, t)`` and a ``last_layer`` that keeps the batch's ``loss``).
    x_*: (N, input_size) or (N, 1, 28, 28); t_*: class indices (N,) or one-hot (N, C).
    optimizer: ``SGD(lr=0.1)`` when None; anything with ``update(params, grads)``.
    seed: mini-batches are ``np.random.default_rng(seed).integers(0, N, batch_size)``,
        drawn with replacement like the book's ``np.random.choice(N, batch_size)``.
    reporter: a ``Reporter``; None picks ``JupyterReporter`` in a notebook, else
        ``TextReporter``; ``False`` shows nothing.

    Accuracy on all of ``x_train`` and ``x_test`` is measured every ``iter_per_epoch``
    updates and after the last one. The loss comes from the gradient's own forward
    pass: no extra pass to log it.
    """
    optimizer = SGD(0.1) if optimizer is None else optimizer
    x_train, t_train, x_test, t_test, iters, batch_size = _check_settings(
        network, x_train, t_train, x_test, t_test, iters, batch_size, optimizer
    )
    reporter = _default_reporter() if reporter is None else reporter or Reporter()
    per_epoch = iter_per_epoch(len(x_train), batch_size)
    rng = np.random.default_rng(seed)
    loss, evals, train_acc, test_acc = np.zeros(iters), [], [], []
    start = time.perf_counter()

    def history(done):
        arrays = np.array(evals, dtype=int), np.array(train_acc), np.array(test_acc)
        return History(loss[:done], *arrays, per_epoch, time.perf_counter() - start)

    reporter.start(iters, per_epoch)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run ends in one clear error instead
        for i in range(1, iters + 1):
            batch = rng.integers(0, len(x_train), batch_size)  # 1. a mini-batch
            x, t = x_train[batch], t_train[batch]
            try:
                grads = network.gradient(x, t)  # 2. the gradient, by backprop
            except ValueError as exc:
                _stop_if_broken(reporter, network, x, i, optimizer, exc)
                raise
            optimizer.update(network.params, grads)  # 3. the update
            loss[i - 1] = network.last_layer.loss
            reporter.step(i, loss[i - 1])
            if i % per_epoch == 0 or i == iters:  # 4. repeat; once per epoch, the accuracy on all the data
                _stop_if_broken(reporter, network, x, i, optimizer)
                evals.append(i)
                train_acc.append(network.accuracy(x_train, t_train))
                test_acc.append(network.accuracy(x_test, t_test))
                reporter.evaluated(history(i))
    result = history(iters)
    reporter.finish(result)
    return result


def _stop_if_broken(reporter, network, x_batch, i, optimizer, cause=None):
    """Raise one clear ValueError if training cannot go on after iteration i: NaN or inf in
    the data, or a diverging run (weights or scores overflowed). Otherwise do nothing."""
    if not np.all(np.isfinite(x_batch)):
        message = say("training stopped at iteration {i}: x_train contains NaN or inf", i=i)
    else:
        weights_ok = all(np.all(np.isfinite(p)) for p in network.params.values())
        if weights_ok and np.all(np.isfinite(network.predict(x_batch))):
            return
        message = say(
            "training diverged at iteration {i}: the weights or scores overflowed to inf or NaN. "
            "Try a smaller learning rate than {lr} (or smaller starting weights)."
            if hasattr(optimizer, "lr")
            else "training diverged at iteration {i}: the weights or scores overflowed to inf or NaN. "
            "Try a smaller learning rate (or smaller starting weights).",
            i=i,
            lr=getattr(optimizer, "lr", None),
        )
    reporter.stopped(message)
    raise ValueError(message) from cause


@contextmanager
def explain_errors(prefix=None):
    """For notebook panels: a ValueError inside is printed as one line, not a traceback.

    ``with explain_errors(): train(...)`` prints e.g. ``Cannot train: batch_size 500 is
    larger than the training data (300 examples)`` and the panel carries on. ``prefix``:
    the words before the message (None: "Cannot train: " in the language in use).
    """
    try:
        yield
    except ValueError as exc:
        print(say("Cannot train: {why}", why=exc) if prefix is None else f"{prefix}{exc}")
