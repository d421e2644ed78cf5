"""Chapter 6, training a network with backprop (误差反向传播法的实现): its pictures, checks and panel.

- ``four_steps_figure()``: the learning loop (mini-batch, gradient, update, repeat).
- ``compare_gradients(network, x, t)``: the gradient check (梯度确认) of a whole network,
  numerical against backprop, with the forward passes counted and both timed.
- ``time_passes(network, x, t)``: one forward and one backward pass timed in turns (medians);
  ``time_dtypes(x, t)``: one gradient in float64 and in float32, timed in turns (medians).
- Gradient-check practice: ``elementwise_errors(a, b)`` (the per-element measure),
  ``closest_to_kink(network, x)`` (ReLU inputs near 0), ``step_size_errors`` and
  ``step_size_figure`` (the error against the step h), ``check_each_layer`` (one layer at a time).
- ``MultiLayerNet``: more layers in the list, no new backward code (the book's §5.7.2); its
  activation layer is any layer class (the exercise's ``LeakyRelu``).
- ``train_like_the_book(...)``, the bare four steps, and ``training_loop_source()``, the loop of
  ``bplib.training.train``, from the library.
- ``weights_figure(W1)``, ``digits_figure(images, titles)``, ``mistakes(network, x, t)``,
  ``confusion_matrix(t, y)`` and ``confusion_figure(matrix)``: views of what was learned.
- ``leaky_relu(x, alpha)``: the function the exercise's layer computes, for ``check_layer``'s ``expect``;
  ``check_optimizer(cls)``: the second exercise's check of an update rule (momentum, 动量);
  ``valley_paths`` and ``valley_figure``: optimizers on a long, narrow valley.
- ``run_and_overlay(fig, runs, data, **settings)`` and ``train_again_panel(...)``: train
  again with other settings and compare every run on one plot.
"""

import inspect
import math
import numbers
import re
import textwrap
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..functions import softmax
from ..gradcheck import TOLERANCE, check_layer, numerical_gradient, relative_error
from ..layers import Affine, Relu, SoftmaxWithLoss
from ..network import Params, TwoLayerNet
from ..training import SGD, Reporter, explain_errors, train
from ..viz.picture import describe
from ..viz.sliders import canvas, clear_figure, new_figure
from ..words import display_width, language, pad, say, sentences

# --- the four steps ---

STEPS = (  # each box's head and body (their Chinese: bplib/words/training.py)
    ("1  mini-batch", "pick a few random\ntraining examples"),
    ("2  gradient", "backprop: one forward and\none backward pass"),
    ("3  update", "W ← W − η · ∂L/∂W\nfor every parameter"),
    ("4  repeat", "until the loss\nstops falling"),
)


def four_steps_figure(fig=None):
    """The learning loop as four boxes in a cycle; step 2 is where backprop works."""
    fig = canvas(fig, (7, 3.2))
    ax = fig.add_axes((0, 0, 1, 0.9))
    ax.set(xlim=(0, 10), ylim=(0, 4.6))
    ax.set_axis_off()
    fig.suptitle(say("The four steps of learning"), y=0.97)
    centres = [(2.5, 3.4), (7.5, 3.4), (7.5, 1.1), (2.5, 1.1)]
    for k, ((x, y), (head, body)) in enumerate(zip(centres, STEPS, strict=True)):
        colour = "#fde2c8" if k == 1 else "#e8eef7"
        ax.add_patch(
            FancyBboxPatch((x - 1.7, y - 0.8), 3.4, 1.6, boxstyle="round,pad=0.05", fc=colour, ec="0.3")
        )
        ax.text(x, y + 0.4, say(head), ha="center", va="center", fontweight="bold")
        ax.text(x, y - 0.25, say(body), ha="center", va="center", fontsize=9)
    for (x0, y0), (x1, y1) in zip(centres, centres[1:] + centres[:1], strict=True):
        start = (x0 + 1.8 * np.sign(x1 - x0), y0 + 0.9 * np.sign(y1 - y0))
        end = (x1 - 1.8 * np.sign(x1 - x0), y1 - 0.9 * np.sign(y1 - y0))
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=18, color="0.3", lw=1.5))
    ax.text(5, 2.25, say("backprop lives\nin step 2"), ha="center", va="center", fontsize=9, color="#b35900")
    describe(
        fig,
        "steps",
        say(
            "The four steps of learning, in a cycle: 1 pick a mini-batch, 2 compute the gradient by "
            "backprop (one forward and one backward pass), 3 update every parameter, 4 repeat."
        ),
    )
    return fig


# --- the gradient check of a whole network ---


@dataclass
class GradientComparison:
    """Numerical against backprop gradients of one network on one batch.

    relative: name -> relative error (``bplib.relative_error``, over the whole array: 0 is perfect).
    mean_abs: name -> mean |numerical − backprop|, the book's measure.
    forward_passes: ``{"numerical": ..., "backprop": ...}``, the forward passes of one whole gradient.
    seconds: ``{"numerical": ..., "backprop": ..., "forward": ..., "numerical_pass": ...}``: one
        numerical gradient (a single call, itself thousands of forward passes); then, timed in
        turns and kept as medians, one backprop gradient, one forward pass alone, and one forward
        pass of the numerical gradient (the numerical gradient of one number of the last
        parameter, which takes two passes, halved).
    numerical, backprop: name -> the gradients themselves; sizes: name -> shape.
    """

    relative: dict
    mean_abs: dict
    forward_passes: dict
    seconds: dict
    sizes: dict
    numerical: dict
    backprop: dict

    @property
    def speedup(self):
        """How many times longer the one numerical gradient took than one backprop gradient (median)."""
        return self.seconds["numerical"] / self.seconds["backprop"]

    @property
    def median_speedup(self):
        """The same from medians only, like with like: the numerical gradient's forward passes at its
        median cost per pass, against the median backprop gradient."""
        return self.forward_passes["numerical"] * self.seconds["numerical_pass"] / self.seconds["backprop"]

    @property
    def predicted_speedup(self):
        """The speedup that counting predicts: the numerical gradient's forward passes, each costing
        what one forward pass alone costs, against one backprop gradient (one forward and one backward)."""
        return self.forward_passes["numerical"] * self.seconds["forward"] / self.seconds["backprop"]

    def table(self):
        head = (pad(say("parameter"), 10), pad(say("shape"), 10))
        head += (pad(say("relative error"), 14, ">"), pad(say("mean |difference|"), 18, ">"))
        rows = [" ".join(head)]
        for name, err in self.relative.items():
            shape = str(self.sizes[name])
            rows.append(f"{name:<10} {shape:<10} {err:>14.1e} {self.mean_abs[name]:>18.1e}")
        return "\n".join(rows)


def _seconds(function, *args):
    began = time.perf_counter()
    function(*args)
    return time.perf_counter() - began


def compare_gradients(network, x, t, repeat=50):
    """Gradient check of ``network`` on the batch (x, t), with the cost of each method.

    The numerical gradient is computed once (it is slow: two forward passes per parameter).
    Forward passes are counted by wrapping ``network.loss`` for the duration. Then one backprop
    gradient, one forward pass and the numerical gradient of one number (two passes: about as
    long as a gradient) are timed in turns, ``repeat`` times each, and their medians kept: a
    busy machine slows them alike. Returns a ``GradientComparison``.
    """
    calls = [0]
    loss = network.loss

    def counted_loss(*args):
        calls[0] += 1
        return loss(*args)

    network.loss = counted_loss  # an instance attribute: numerical_gradient and gradient both use it
    try:
        began = time.perf_counter()
        numerical = network.numerical_gradient(x, t)
        numerical_seconds, numerical_calls = time.perf_counter() - began, calls[0]
        calls[0] = 0
        backprop = {key: g.copy() for key, g in network.gradient(x, t).items()}
        backprop_calls = calls[0]
    finally:
        del network.loss
    last = list(network.params)[-1]
    nudged = network.params[last].reshape(-1)[:1]  # a view: nudging it nudges the layer's array

    def numerical_part():  # the numerical gradient of one number: 2 forward passes, as long as a gradient
        numerical_gradient(lambda W: network.loss(x, t), nudged)

    forward, gradient, part = [], [], []
    for _ in range(repeat):
        forward.append(_seconds(network.loss, x, t))
        gradient.append(_seconds(network.gradient, x, t))
        part.append(_seconds(numerical_part) / (2 * nudged.size))
    return GradientComparison(
        relative={key: relative_error(numerical[key], backprop[key]) for key in numerical},
        mean_abs={key: float(np.mean(np.abs(numerical[key] - backprop[key]))) for key in numerical},
        forward_passes={"numerical": numerical_calls, "backprop": backprop_calls},
        seconds={
            "numerical": numerical_seconds,
            "backprop": float(np.median(gradient)),
            "forward": float(np.median(forward)),
            "numerical_pass": float(np.median(part)),
        },
        sizes={key: tuple(g.shape) for key, g in backprop.items()},
        numerical=numerical,
        backprop=backprop,
    )


# --- what a backward pass costs ---


@dataclass
class PassTimes:
    """Median seconds of one forward pass, one backward pass and one whole gradient of a network."""

    forward: float
    backward: float
    gradient: float
    repeat: int

    @property
    def ratio(self):
        """backward / forward: what one backward pass costs, counted in forward passes."""
        return self.backward / self.forward


def backward_pass(network):
    """The backward half of ``network.gradient``: from the last layer's dL/dL = 1 back to the first."""
    dout = network.last_layer.backward(1.0)
    for layer in reversed(network.layers.values()):
        dout = layer.backward(dout)


def time_passes(network, x, t, repeat=50):
    """Time a forward pass (``network.loss``), the backward pass after it (``backward_pass``) and a
    whole gradient, in turns, ``repeat`` times each, so that a busy machine slows all three alike.
    Returns a ``PassTimes`` of their medians."""
    network.gradient(x, t)  # the first call pays for memory the later ones reuse
    forward, backward, gradient = [], [], []
    for _ in range(repeat):
        forward.append(_seconds(network.loss, x, t))
        backward.append(_seconds(backward_pass, network))
        gradient.append(_seconds(network.gradient, x, t))
    return PassTimes(*(float(np.median(times)) for times in (forward, backward, gradient)), repeat)


def time_dtypes(x, t, dtypes=(np.float64, np.float32), repeat=30, seed=14):
    """Median seconds of one gradient of ``TwoLayerNet(784, 50, 10)`` on (x, t) in each dtype.

    The networks start from the same seed; x is given to each in its dtype. Their gradients are
    timed in turns, ``repeat`` times each, so that a busy machine slows them alike. Returns
    {dtype name: seconds}, e.g. {"float64": ..., "float32": ...}.
    """
    networks = {np.dtype(d).name: TwoLayerNet(784, 50, 10, dtype=d, seed=seed) for d in dtypes}
    inputs = {name: np.asarray(x, dtype=name) for name in networks}
    for name, network in networks.items():
        network.gradient(inputs[name], t)  # the first call pays for memory the later ones reuse
    times = {name: [] for name in networks}
    for _ in range(repeat):
        for name, network in networks.items():
            times[name].append(_seconds(network.gradient, inputs[name], t))
    return {name: float(np.median(seconds)) for name, seconds in times.items()}


# --- gradient-check practice ---


def elementwise_errors(a, b):
    """|a − b| / max(|a|, |b|) for each element: the per-element relative error (CS231n's);
    0 where a and b are both 0. a, b: arrays of one shape; returns an array of that shape."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(say("elementwise_errors: shapes {a} and {b} differ", a=a.shape, b=b.shape))
    scale = np.maximum(np.abs(a), np.abs(b))
    return np.divide(np.abs(a - b), scale, out=np.zeros_like(scale), where=scale > 0)


def closest_to_kink(network, x):
    """The smallest |input| that any ReLU of ``network`` receives for the rows of x.

    A central difference with a step h larger than this can cross ReLU's kink at 0 and average
    the slopes 0 and 1 on either side: the numerical gradient is then wrong, not backprop.
    """
    smallest = math.inf
    for layer in network.layers.values():
        if isinstance(layer, Relu):
            smallest = min(smallest, float(np.min(np.abs(x))))
        x = layer.forward(x)
    return smallest


STEPS_H = 10.0 ** -np.arange(1, 13)  # the steps h of the error-against-h curve: 1e-1 ... 1e-12


def step_size_errors(network, x, t, names=("W2", "b1"), steps=STEPS_H):
    """The relative error of the numerical gradient against backprop, for each step h in ``steps``.

    Returns {name: array of errors, one per step} for the parameters ``names``. Too large an h
    measures a curve's slope over too long a stretch (and may cross a ReLU kink); too small an h
    leaves L(x + h) − L(x − h) to round-off.
    """
    backprop = {key: g.copy() for key, g in network.gradient(x, t).items()}

    def loss(W):
        return network.loss(x, t)

    errors = {}
    for name in names:
        errors[name] = np.array(
            [relative_error(numerical_gradient(loss, network.params[name], h), backprop[name]) for h in steps]
        )
    return errors


def step_size_figure(steps, errors, fig=None):
    """The gradient check's error against the step h, on log scales: a V for each parameter."""
    fig = canvas(fig, (6.4, 3.6))
    ax = fig.add_axes((0.12, 0.15, 0.6, 0.72))
    steps = np.asarray(steps, dtype=float)
    words = []
    for k, (name, errs) in enumerate(errors.items()):
        ax.loglog(steps, errs, "o-", color=f"C{k}", ms=4, label=name)
        best = int(np.argmin(errs))
        words.append(say("{name} {error:.0e} at h = {h:.0e}", name=name, error=errs[best], h=steps[best]))
    ax.axvline(1e-4, color="0.4", ls=":", lw=1, label=say("the book's h = 1e-4"))
    ax.invert_xaxis()  # from large steps on the left to small ones on the right, as one shrinks h
    ax.set(xlabel=say("step h (log scale)"), ylabel=say("relative error (log scale)"))
    ax.set_title(say("Gradient check: the error against the step h"))
    ax.grid(alpha=0.3, which="major")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9, framealpha=1)
    describe(
        fig,
        "errors",
        say(
            "Relative error of the numerical gradient against backprop for steps h from {large:.0e} to "
            "{small:.0e}, on log scales. Smallest error: {best}.",
            large=steps.max(),
            small=steps.min(),
            best=("；" if language() == "zh" else "; ").join(words),
        ),
    )
    return fig


def check_each_layer(network, x, t, tol=TOLERANCE):
    """``check_layer`` on each layer of ``network`` in turn, fed what it receives in a forward pass of
    (x, t): when the network's gradient check fails, this names the layer at fault.

    A first Affine layer that skips the gradient of its input (``input_grad=False``) gets x as a
    constant (check_layer's ``targets``). Prints one line per layer and the problems of any that
    fails; returns {name: CheckResult}.
    """
    results = {}
    last = say("last layer")
    width = max(display_width(name) for name in [*network.layers, last]) + 2
    verdicts = {True: say("PASS"), False: say("FAIL")}
    verdict_width = max(display_width(v) for v in verdicts.values()) + 2
    for name, layer in [*network.layers.items(), (last, network.last_layer)]:
        if layer is network.last_layer:
            result = check_layer(layer, x, t, tol=tol, verbose=False)
        elif getattr(layer, "input_grad", True):
            result = check_layer(layer, x, tol=tol, verbose=False)
        else:
            result = check_layer(layer, targets=x, tol=tol, verbose=False)
        worst = max(result.errors.values(), default=math.nan)
        line = pad(name, width) + pad(verdicts[result.passed], verdict_width)
        print(line + say("largest relative error {error:.1e}", error=worst))
        for problem in result.problems:
            print("    " + problem)
        results[name] = result
        if layer is not network.last_layer:
            x = layer.forward(x)
    return results


# --- more layers in the list (the book's §5.7.2) ---


def _check_settings(sizes, activation):
    if len(sizes) < 3 or any(
        isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1 for n in sizes
    ):
        raise ValueError(
            say(
                "MultiLayerNet: sizes must be positive whole numbers, with at least one hidden layer; "
                "got {sizes}",
                sizes=sizes,
            )
        )
    if not isinstance(activation, type):
        raise TypeError(
            say(
                "MultiLayerNet: activation must be a layer class, such as Relu, got {activation!r}",
                activation=activation,
            )
        )


class MultiLayerNet(TwoLayerNet):
    """input_size -> hidden_sizes[0] -> ... -> output_size: an Affine and an activation layer for each
    hidden layer, then an Affine and Softmax-with-Loss. x: (N, input_size); t: class indices (N,) or
    one-hot. activation: the activation layer's class (Relu by default), called once per hidden layer.

    Only the list of layers is new: predict, loss, accuracy and gradient are TwoLayerNet's, which
    walk whatever list ``layers`` holds and collect dW, db from each of its Affine layers.
    """

    def __init__(
        self,
        input_size,
        hidden_sizes,
        output_size,
        weight_init_std=0.01,
        activation=Relu,
        dtype=np.float64,
        seed=None,
    ):
        sizes = [input_size, *hidden_sizes, output_size]
        _check_settings(sizes, activation)
        rng = np.random.default_rng(seed)
        self.layers = OrderedDict()
        for k in range(1, len(sizes)):
            W = (weight_init_std * rng.standard_normal((sizes[k - 1], sizes[k]))).astype(dtype)
            # input_grad: the first layer skips the gradient of its input, the pixels, which nothing uses
            self.layers[f"Affine{k}"] = Affine(W, np.zeros(sizes[k], dtype), input_grad=k > 1)
            if k < len(sizes) - 1:  # an activation after every Affine but the last
                self.layers[f"{activation.__name__}{k}"] = activation()
        self.last_layer = SoftmaxWithLoss()
        self.params = Params.of_affine_layers(self.layers)  # W1, b1, W2, b2, ...


# --- the training loop ---


def train_like_the_book(network, x_train, t_train, iters=10000, batch_size=100, learning_rate=0.1, seed=0):
    """The book's training loop, bare: the four steps and nothing around them.

    Returns the loss of every iteration (iters,). No checks, no progress bar, no accuracy:
    ``bplib.training.train`` adds those, and draws the same mini-batches for the same seed.
    """
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(iters):
        batch_mask = rng.integers(0, len(x_train), batch_size)  # 1. a mini-batch, drawn with replacement
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)  # 2. the gradient, by backprop
        for key in network.params:  # 3. the update: a small step against the gradient
            network.params[key] -= learning_rate * grad[key]
        losses.append(network.last_layer.loss)  # 4. repeat, with the next mini-batch
    return np.array(losses)


def training_loop_source():
    """The ``for`` loop of ``bplib.training.train`` (its four steps), from the library, dedented."""
    from .. import training

    lines = inspect.getsource(training.train).splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("for i in range("))
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    return textwrap.dedent("\n".join(lines[start:end])).rstrip()


# --- what the network learned ---


def _image_grid(fig, n, ncols, top=0.86, bottom=0.08):
    """n axes in a grid of ncols columns, placed by hand (no layout engine: many small axes)."""
    nrows = max(1, math.ceil(n / ncols))
    width, height = 0.96 / ncols, (top - bottom) / nrows
    axes = []
    for k in range(n):
        row, col = divmod(k, ncols)
        ax = fig.add_axes((0.02 + col * width, top - (row + 1) * height, width * 0.9, height * 0.78))
        ax.set_xticks([])
        ax.set_yticks([])
        axes.append(ax)
    return axes


def weights_figure(W1, ncols=10, fig=None):
    """Each column of W1 (784, H) as a 28×28 image: what one hidden unit looks for.

    Red: a bright pixel there raises the unit's input; blue: lowers it. Each image has
    its own symmetric colour scale. Returns the Figure; ``fig.images_shown`` holds the
    (H, 28, 28) array drawn.
    """
    W1 = np.asarray(W1, dtype=float)
    if W1.ndim != 2 or W1.shape[0] != 784:
        raise ValueError(say("weights_figure: W1 must have shape (784, H), got {shape}", shape=W1.shape))
    images = W1.T.reshape(-1, 28, 28)
    nrows = math.ceil(len(images) / ncols)
    fig = canvas(fig, (ncols * 0.9, nrows * 1.0 + 0.9))
    grid = _image_grid(fig, len(images), ncols, top=0.9, bottom=0.08)  # a caption below
    for k, (ax, image) in enumerate(zip(grid, images, strict=True)):
        limit = max(float(np.abs(image).max()), 1e-12)
        ax.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(say("unit {k}", k=k + 1), fontsize=9, pad=2)
    fig.suptitle(say("First-layer weights W1: one 28×28 image per hidden unit ({n} units)", n=len(images)))
    fig.text(
        0.5,
        0.02,
        say("red: positive weight, blue: negative; each image has its own colour scale"),
        ha="center",
        fontsize=9,
    )
    describe(
        fig,
        "weights",
        say(
            "{n} images of 28×28 first-layer weights, one per hidden unit; "
            "the weights range from {low:.3f} to {high:.3f}.",
            n=len(images),
            low=float(W1.min()),
            high=float(W1.max()),
        ),
    )
    fig.images_shown = images
    return fig


def digits_figure(images, titles, title, ncols=10, fig=None):
    """Digits (N, 784) or (N, 28, 28) in a grid, each with its own small title."""
    images = np.asarray(images, dtype=float).reshape(-1, 28, 28)
    if len(titles) != len(images):
        raise ValueError(
            say("digits_figure: {images} images but {titles} titles", images=len(images), titles=len(titles))
        )
    nrows = max(1, math.ceil(len(images) / ncols))
    fig = canvas(fig, (ncols * 0.9, nrows * 1.1 + 0.7))
    grid = _image_grid(fig, len(images), ncols, top=0.84, bottom=0.02)  # no caption below
    for ax, image, text in zip(grid, images, titles, strict=True):
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(text, fontsize=9, pad=2)
    fig.suptitle(title)
    describe(
        fig,
        "digits",
        say("{title}: {n} images, titled {titles}.", title=title, n=len(images), titles=" | ".join(titles)),
    )
    return fig


def mistakes(network, x, t, n=20):
    """The test examples the network gets wrong, most confident first.

    Returns (index, predicted, probability of that prediction), arrays of length
    min(n, number of mistakes); ``t`` holds class indices (N,).
    """
    scores = _scores(network, x)
    predicted = np.argmax(scores, axis=1)
    confidence = softmax(scores).max(axis=1)
    wrong = np.flatnonzero(predicted != np.asarray(t))
    order = wrong[np.argsort(-confidence[wrong], kind="stable")][:n]
    return order, predicted[order], confidence[order]


def predictions(network, x, chunk=2000):
    """The predicted class of every row of x (N,)."""
    return np.argmax(_scores(network, x, chunk), axis=1)


def _scores(network, x, chunk=2000):
    """``network.predict`` over all rows of x, ``chunk`` rows at a time (memory stays small)."""
    return np.concatenate([network.predict(x[i : i + chunk]) for i in range(0, len(x), chunk)])


def confusion_matrix(t, y, classes=10):
    """(classes, classes) counts: row = true class, column = predicted class. t, y: (N,) ints."""
    t, y = np.asarray(t), np.asarray(y)
    if t.shape != y.shape or t.ndim != 1:
        raise ValueError(
            say("confusion_matrix: t and y must be two (N,) arrays, got {t} and {y}", t=t.shape, y=y.shape)
        )
    for name, v in (("t", t), ("y", y)):
        if len(v) and (v.min() < 0 or v.max() >= classes):
            raise ValueError(
                say("confusion_matrix: {name} holds classes outside 0..{last}", name=name, last=classes - 1)
            )
    return np.bincount(t * classes + y, minlength=classes * classes).reshape(classes, classes)


def confusion_figure(matrix, fig=None):
    """The confusion matrix (混淆矩阵) with every count written in its cell.

    The diagonal (correct answers) is grey, so the colour scale shows the mistakes.
    """
    matrix = np.asarray(matrix)
    k = len(matrix)
    fig = canvas(fig, (6, 5.4))
    ax = fig.add_axes((0.1, 0.1, 0.72, 0.8))
    off = np.where(np.eye(k, dtype=bool), np.nan, matrix.astype(float))
    image = ax.imshow(off, cmap="Reds", vmin=0, vmax=max(1.0, float(np.nanmax(off))))
    ax.imshow(np.where(np.eye(k, dtype=bool), 1.0, np.nan), cmap="Greys", vmin=0, vmax=4)
    for i in range(k):
        for j in range(k):
            strong = i != j and matrix[i, j] > 0.6 * np.nanmax(off)
            ax.text(
                j,
                i,
                str(matrix[i, j]),
                ha="center",
                va="center",
                fontsize=9,
                color="white" if strong else "black",
            )
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set(xlabel=say("predicted digit"), ylabel=say("true digit"))
    ax.set_title(
        say(
            "Confusion matrix on {total:,} test digits ({diagonal:,} on the diagonal)",
            total=int(matrix.sum()),
            diagonal=int(np.trace(matrix)),
        )
    )
    fig.colorbar(image, cax=fig.add_axes((0.84, 0.1, 0.025, 0.8)), label=say("mistakes"))
    off_counts = np.where(np.eye(k, dtype=bool), -1, matrix)
    true, predicted = np.unravel_index(int(np.argmax(off_counts)), matrix.shape)
    describe(
        fig,
        "matrix",
        say(
            "Confusion matrix of {total:,} test digits: {diagonal:,} correct (on the diagonal), "
            "{wrong:,} mistakes; the most frequent mistake reads {true} as {predicted}, {count} times.",
            total=int(matrix.sum()),
            diagonal=int(np.trace(matrix)),
            wrong=int(matrix.sum() - np.trace(matrix)),
            true=int(true),
            predicted=int(predicted),
            count=int(matrix[true, predicted]),
        ),
    )
    return fig


# --- the first exercise: a Leaky ReLU layer ---


def leaky_relu(x, alpha=0.01):
    """y = x where x > 0, else alpha · x; x: an array, any shape. What the exercise's
    ``LeakyRelu.forward`` computes: ``check_layer``'s ``expect``."""
    x = np.asarray(x)
    return np.where(x > 0, x, alpha * x)


# --- the second exercise: an update rule ---


@dataclass
class OptimizerCheck:
    """The result of ``check_optimizer``: ``passed`` and the message it printed."""

    passed: bool
    message: str


RULES = {
    "sgd": "W ← W − lr·grad",
    "momentum": "v ← momentum·v − lr·grad;  W ← W + v",
}


def _expected_steps(rule, params, grads_per_step, lr, momentum):
    """The parameters after each step of the update rule, computed independently."""
    params = {key: value.copy() for key, value in params.items()}
    velocity = {key: np.zeros_like(value) for key, value in params.items()}
    after = []
    for grads in grads_per_step:
        for key in params:
            if rule == "sgd":
                params[key] = params[key] - lr * grads[key]
            else:
                velocity[key] = momentum * velocity[key] - lr * grads[key]
                params[key] = params[key] + velocity[key]
        after.append({key: value.copy() for key, value in params.items()})
    return after


def _run_steps(optimizer, params, grads_per_step):
    """Call optimizer.update for each step; the parameters after each, and whether grads changed."""
    after, grads_changed = [], False
    for grads in grads_per_step:
        saved = {key: g.copy() for key, g in grads.items()}
        optimizer.update(params, grads)
        grads_changed |= any(not np.array_equal(saved[key], grads[key]) for key in grads)
        after.append({key: np.array(params[key], dtype=float) for key in params})
    return after, grads_changed


def check_optimizer(cls, rule="momentum", lr=0.1, momentum=0.9, steps=4, seed=0, verbose=True):
    """Check an optimizer class against an update rule (``RULES``), in a few steps.

    Builds ``cls(lr=lr, momentum=momentum)`` (``cls(lr=lr)`` for ``"sgd"``), runs ``steps``
    updates on small float64 parameters W (2, 3) and b (3,) with seeded random
    gradients, and compares the parameters after every step with the rule; then runs
    two steps on a small ``TwoLayerNet``'s ``params`` (float32). Never raises: an
    unfinished stub (``NotImplementedError``) is reported as "not written yet", any
    other error as a FAIL naming it. Prints a line unless ``verbose`` is False.
    """
    if rule not in RULES:
        raise ValueError(
            say("check_optimizer: rule must be one of {rules}, got {rule!r}", rules=sorted(RULES), rule=rule)
        )
    name = getattr(cls, "__name__", repr(cls))
    kwargs = {"lr": lr} if rule == "sgd" else {"lr": lr, "momentum": momentum}
    rng = np.random.default_rng(seed)
    params = {"W": rng.standard_normal((2, 3)), "b": rng.standard_normal(3)}
    grads = [{key: rng.standard_normal(v.shape) for key, v in params.items()} for _ in range(steps)]
    expected = _expected_steps(rule, params, grads, lr, momentum)
    net = TwoLayerNet(4, 3, 2, weight_init_std=0.5, seed=seed)
    net_grads = [
        {key: rng.standard_normal(p.shape).astype(np.float32) for key, p in net.params.items()}
        for _ in range(2)
    ]
    net_expected = _expected_steps(
        rule, {k: np.array(v, dtype=float) for k, v in net.params.items()}, net_grads, lr, momentum
    )
    try:
        got, grads_changed = _run_steps(cls(**kwargs), {key: v.copy() for key, v in params.items()}, grads)
        message = _compare(got, expected, 1e-12)
        if not message and grads_changed:
            message = say("update changed the gradient arrays it was given; it must only change params")
        if not message:
            net_got, _ = _run_steps(cls(**kwargs), net.params, net_grads)
            found = _compare(net_got, net_expected, 1e-5)
            message = say("on a TwoLayerNet's params: {problem}", problem=found) if found else ""
    except NotImplementedError as missing:
        message = say("not written yet: {why}", why=missing)
    except Exception as error:  # a learner's bug: report it in one line, no traceback
        message = say("{error}: {message}", error=type(error).__name__, message=error)
    passed = not message
    summary = (
        say("PASS: {steps} steps match {rule}", steps=steps, rule=RULES[rule])
        if passed
        else say("FAIL: {problem}", problem=message)
    )
    if verbose:
        settings = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        print(say("check_optimizer({name}) with {settings}", name=name, settings=settings))
        print(summary)
    return OptimizerCheck(passed, summary)


def _compare(got, expected, tol):
    """'' when every step matches within tol (relative to the values' size), else what differs first."""
    for step, (g, e) in enumerate(zip(got, expected, strict=True), start=1):
        for key in e:
            if key not in g or np.shape(g[key]) != e[key].shape:
                return say(
                    "after step {step}, params[{name}] is missing or changed shape", step=step, name=repr(key)
                )
            diff = float(np.max(np.abs(g[key] - e[key])))
            if not diff <= tol * max(1.0, float(np.max(np.abs(e[key])))):
                return say(
                    "after step {step}, params[{name}] is off by up to {diff:.2e}",
                    step=step,
                    name=repr(key),
                    diff=diff,
                )
    return ""


# --- optimizers on a long, narrow valley ---

VALLEY_START = (-7.0, 2.0)  # the book's starting point (its chapter 6)


def valley(x, y):
    """f(x, y) = x²/20 + y²: a valley shallow along x and steep across it, along y (the book's chapter 6)."""
    return x**2 / 20 + y**2


def valley_paths(optimizers, steps=30, start=VALLEY_START):
    """Where each optimizer goes on ``valley`` in ``steps`` updates from ``start``.

    optimizers: {label: an optimizer with ``update(params, grads)``}, e.g. ``SGD(lr=0.95)``; each
    gets ``params = {"xy": [x, y]}`` and the gradient (x / 10, 2y). Returns {label: (steps + 1, 2)
    array of the points visited, the start first}.
    """
    paths = {}
    for label, optimizer in optimizers.items():
        params = {"xy": np.array(start, dtype=np.float64)}
        path = [params["xy"].copy()]
        for _ in range(steps):
            x, y = params["xy"]
            optimizer.update(params, {"xy": np.array([x / 10, 2 * y])})
            path.append(np.array(params["xy"], dtype=np.float64))
        paths[label] = np.array(path)
    return paths


def sign_changes(values):
    """How many times a sequence of numbers changes sign: a zig-zag across the valley, at every step."""
    signs = np.sign(np.asarray(values))
    signs = signs[signs != 0]
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def valley_figure(paths, fig=None):
    """Each optimizer's path on the valley f(x, y) = x²/20 + y², one panel each, over its contour lines."""
    n = len(paths)
    fig = canvas(fig, (3.3 * n, 3.3))
    xs, ys = np.linspace(-8.5, 8.5, 200), np.linspace(-3.2, 3.2, 120)
    levels = valley(*np.meshgrid(xs, ys))
    words = []
    for k, (label, path) in enumerate(paths.items()):
        step = 0.91 / n  # each panel's share of the width, a gap after it
        ax = fig.add_axes((0.07 + k * step, 0.17, step - 0.03, 0.62))
        ax.contour(xs, ys, levels, levels=[0.25, 1, 2.5, 5, 8], colors="0.75", linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "o-", color=f"C{k}", ms=3, lw=1.2)
        ax.plot([0], [0], "+", color="black", ms=10, mew=2)
        ax.set(xlim=(-8.5, 8.5), ylim=(-3.2, 3.2), xlabel=say("x (shallow direction)"))
        ax.set_title(label, fontsize=10)
        if k == 0:
            ax.set_ylabel(say("y (steep direction)"))
        else:
            ax.tick_params(labelleft=False)
        end = path[-1]
        words.append(
            say(
                "{label}: after {steps} steps at ({x:.2f}, {y:.2f}), {distance:.2f} from the minimum; "
                "y changed sign {changes} times.",
                label=label,
                steps=len(path) - 1,
                x=end[0],
                y=end[1],
                distance=float(np.hypot(*end)),
                changes=sign_changes(path[:, 1]),
            )
        )
    fig.suptitle(
        say(
            "The valley f(x, y) = x²/20 + y², from ({x:g}, {y:g}); + marks the minimum",
            x=VALLEY_START[0],
            y=VALLEY_START[1],
        )
    )
    describe(fig, "paths", sentences([say("Paths on the valley f(x, y) = x²/20 + y²:"), *words]))
    return fig


# --- train again: runs overlaid on one plot ---

SETTINGS = {  # the panel's defaults: a short run, so a click answers in a second or two
    "lr": 0.1,
    "hidden_size": 50,
    "batch_size": 100,
    "iters": 1000,
    "weight_init_std": 0.01,
    "activation": "relu",
}
SHOWN_RUNS = 6  # the plot shows the latest runs; more curves would be unreadable
LOSS_CAP = 3.0  # the loss axis stops here: an untrained 10-class network starts near ln 10 = 2.3


ACTIVATION_NAMES = {"relu": "ReLU", "sigmoid": "Sigmoid"}  # TwoLayerNet's activation, as the book names it


def run_label(lr, hidden_size, batch_size, iters, weight_init_std, activation):
    """The settings of a run as one short line, e.g. 'lr 0.1, hidden 50, batch 100, ...'."""
    return say(
        "lr {lr:g}, hidden {hidden}, batch {batch}, {iters} iters, init {init:g}, {activation}",
        lr=lr,
        hidden=hidden_size,
        batch=batch_size,
        iters=iters,
        init=weight_init_std,
        activation=ACTIVATION_NAMES.get(activation, activation),
    )


def _check_init(std):
    if isinstance(std, bool) or not isinstance(std, numbers.Real) or not math.isfinite(std) or std < 0:
        raise ValueError(say("the weight-init scale must be a number >= 0, got {std!r}", std=std))


def run_and_overlay(fig, runs, data, seed=0, reporter=False, networks=None, **settings):
    """Train a new TwoLayerNet with ``settings`` and redraw ``fig`` with every run so far.

    fig: a Figure (a new one when None). runs: a dict, label -> ``History``; the new run
    is added to it, its accuracy also measured before training (epoch 0).
    data: ``(x_train, t_train, x_test, t_test)``. networks: None, or a dict to which the
    trained network is added under the run's label, to look inside it afterwards.
    settings: any of ``SETTINGS`` (the rest keep their defaults). Every run uses ``seed``
    for its initial weights and its mini-batches, so two runs differ only in their
    settings. Prints one line: the run's label, or why the settings were refused (then
    ``runs`` is unchanged). Returns the Figure.
    """
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        raise TypeError(
            say(
                "run_and_overlay: unknown settings {unknown}; the settings are {settings}",
                unknown=unknown,
                settings=list(SETTINGS),
            )
        )
    s = {**SETTINGS, **settings}
    x_train, t_train, x_test, t_test = data
    t_train = np.asarray(t_train)
    classes = t_train.shape[1] if t_train.ndim == 2 else int(np.max(t_train)) + 1

    def network():
        return TwoLayerNet(
            math.prod(np.shape(x_train)[1:]),
            s["hidden_size"],
            classes,
            weight_init_std=s["weight_init_std"],
            activation=s["activation"],
            dtype=np.float32,  # fast: the panel trains while the learner waits
            seed=seed,
        )

    with explain_errors():
        _check_init(s["weight_init_std"])
        trained = network()
        history = train(
            trained,
            x_train,
            t_train,
            x_test,
            t_test,
            iters=s["iters"],
            batch_size=s["batch_size"],
            optimizer=SGD(s["lr"]),
            seed=seed,
            reporter=reporter,
        )
        untrained = network()  # the same seed: the same starting weights, scored at epoch 0
        history = replace(
            history,
            eval_iters=np.concatenate([[0], history.eval_iters]),
            train_acc=np.concatenate([[untrained.accuracy(x_train, t_train)], history.train_acc]),
            test_acc=np.concatenate([[untrained.accuracy(x_test, t_test)], history.test_acc]),
        )
        label = say("run {n}: {settings}", n=len(runs) + 1, settings=run_label(**s))
        runs[label] = history
        if networks is not None:
            networks[label] = trained
        print(label)
    return plot_runs(runs, fig)


LEGEND_SIZE = 9  # points: 10 px at 80 dpi, the smallest text a reader should have to read


def _fit(text, fig, fontsize):
    """``text`` broken after commas into lines that fit the figure's width (a run's settings are
    long, and longer in Chinese, whose characters are twice as wide)."""
    room = int(0.9 * fig.get_figwidth() * 72 / (0.6 * fontsize))  # columns of an average glyph
    lines, line = [], ""
    for piece in re.split(r"(?<=[,，])\s*", text):
        if line and display_width(line + piece) > room:
            lines.append(line.rstrip())
            line = ""
        line += piece + ("" if piece.endswith("，") else " ")
    return "\n".join([*lines, line.rstrip()])


def plot_runs(runs, fig=None, accuracy=True):
    """Runs overlaid: mini-batch loss per iteration (a running mean) and accuracy per epoch.

    runs: a dict label -> ``History``; the latest ``SHOWN_RUNS`` are drawn, one colour
    each: test accuracy solid, train accuracy dotted (``accuracy=False``: the loss
    alone, for runs too short to have more than one evaluation). The legend gives each
    run's final test accuracy; its description, every run's final test accuracy and loss.
    Returns the Figure.
    """
    fig = new_figure((9, 4.6) if accuracy else (6, 4.2)) if fig is None else fig
    clear_figure(fig)
    fig.set_layout_engine("constrained")
    ax_loss, ax_acc = fig.subplots(1, 2) if accuracy else (fig.subplots(), None)
    shown = list(runs.items())[-SHOWN_RUNS:]
    n0 = len(runs) - len(shown)
    words = []
    for n, (label, h) in enumerate(shown, start=n0):
        legend = _fit(say("{run}  →  test {test:.1%}", run=label, test=h.test_acc[-1]), fig, LEGEND_SIZE)
        colour = f"C{n % 10}"
        last = min(len(h.loss), 50)
        words.append(
            say(
                "{run}: test accuracy {test:.1%}, mean loss of the last {n} iterations {loss:.3f}.",
                run=label,
                test=h.test_acc[-1],
                n=last,
                loss=float(np.mean(h.loss[-last:])),
            )
        )
        width = max(1, min(len(h.loss), h.iter_per_epoch) // 10)
        smooth = np.convolve(h.loss, np.ones(width) / width, mode="valid")
        ax_loss.plot(
            np.arange(width, len(h.loss) + 1), smooth, color=colour, lw=1.2, label=legend, gid=f"run {n + 1}"
        )
        if ax_acc is not None:
            # train drawn over test: the curves often coincide, and dots over a solid line stay visible
            ax_acc.plot(h.epochs, h.train_acc, ":", color=colour, lw=1.5, zorder=3, gid=f"run {n + 1} train")
            ax_acc.plot(h.epochs, h.test_acc, "o-", color=colour, ms=3, gid=f"run {n + 1} test")
    ax_loss.set(xlabel=say("iteration"), ylabel=say("loss (running mean)"), title=say("mini-batch loss"))
    ax_loss.set_ylim(0, min(LOSS_CAP, ax_loss.get_ylim()[1]))  # a wild run must not flatten the others
    ax_loss.grid(alpha=0.3)
    if ax_acc is not None:
        ax_acc.set(
            xlabel=say("epoch"),
            ylabel=say("accuracy"),
            title=say("accuracy: test solid, train dotted"),
            ylim=(0, 1),
        )
        ax_acc.grid(alpha=0.3)
    if shown:
        latest = say(
            "Training runs compared (the latest {shown} of {total})", shown=len(shown), total=len(runs)
        )
        title = latest if n0 else say("Training runs compared")
        if ax_acc is None:  # one plot: its own title says it all (a suptitle above it would crowd it)
            ax_loss.set_title(title)
        else:
            fig.suptitle(title)
        fig.legend(loc="outside lower center", fontsize=LEGEND_SIZE, ncols=1, framealpha=1)
        describe(fig, "runs", sentences([say("Training runs compared:"), *words]))
    else:
        fig.suptitle(say("Training runs compared: none yet, press Train"))
        describe(fig, "runs", say("Training runs compared: none yet, press Train"))
    return fig


class _BarReporter(Reporter):
    """Moves the panel's progress bar (at most every 0.3 s: widget updates cost time)."""

    def __init__(self, bar, label):
        self.bar, self.label, self.shown_at = bar, label, 0.0

    def start(self, iters, iter_per_epoch):
        self.bar.max, self.bar.value, self.bar.bar_style = iters, 0, ""
        self.label.value = f"0 / {iters}"

    def step(self, done, loss):
        now = time.perf_counter()
        if now - self.shown_at >= 0.3:
            self.bar.value, self.shown_at = done, now
            self.label.value = say(
                "{done} / {total}   loss {loss:.3f}", done=done, total=self.bar.max, loss=loss
            )

    def finish(self, history):
        self.bar.value, self.bar.bar_style = self.bar.max, "success"
        self.label.value = say(
            "done in {seconds:.1f} s, test accuracy {test:.2%}",
            seconds=history.seconds,
            test=history.test_acc[-1],
        )

    def stopped(self, message):
        self.bar.bar_style, self.label.value = "danger", say("stopped")


SETTING_LABELS = {  # the panel's words for each setting
    "lr": "learning rate",
    "hidden_size": "hidden size",
    "batch_size": "batch size",
    "iters": "iterations",
    "weight_init_std": "weight init",
    "activation": "activation",
}
PANEL_CHOICES = {  # the panel's slider positions
    "lr": [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0],
    "hidden_size": [1, 2, 5, 10, 20, 50, 100, 200],
    "batch_size": [1, 10, 20, 50, 100, 200, 500, 1000],
    "iters": list(range(100, 10001, 100)),
    "weight_init_std": [0.0, 0.001, 0.01, 0.1, 1.0, 10.0],
    "activation": ["relu", "sigmoid"],
}


def train_again_panel(x_train, t_train, x_test, t_test, **defaults):
    """Sliders for the settings, a Train and a Clear button; every run is overlaid on one plot.

    defaults: starting values for any of ``SETTINGS``, each one of ``PANEL_CHOICES``.
    Each click of Train calls ``run_and_overlay``; its line (or why it refused) appears
    under the buttons. Returns the widget box.
    """
    import ipywidgets as widgets
    from IPython.display import display

    unknown = sorted(set(defaults) - set(SETTINGS))
    if unknown:
        raise TypeError(
            say(
                "train_again_panel: unknown settings {unknown}; the settings are {settings}",
                unknown=unknown,
                settings=list(SETTINGS),
            )
        )
    s = {**SETTINGS, **defaults}
    for name, value in s.items():
        if value not in PANEL_CHOICES[name]:
            raise ValueError(
                say(
                    "train_again_panel: {name}={value!r} is not one of the slider's positions "
                    "(PANEL_CHOICES[{name!r}])",
                    name=name,
                    value=value,
                )
            )
    style, layout = {"description_width": "110px"}, {"width": "380px"}
    controls = {
        name: widgets.SelectionSlider(
            options=PANEL_CHOICES[name],
            value=s[name],
            description=say(SETTING_LABELS[name]),
            style=style,
            layout=layout,
        )
        for name in ("lr", "hidden_size", "batch_size", "iters", "weight_init_std")
    }
    controls["activation"] = widgets.ToggleButtons(
        options=[(ACTIVATION_NAMES[name], name) for name in PANEL_CHOICES["activation"]],
        value=s["activation"],
        description=say(SETTING_LABELS["activation"]),
        style=style,
    )
    go = widgets.Button(description=say("Train"), button_style="primary", icon="play")
    clear = widgets.Button(description=say("Clear runs"), icon="trash")
    bar = widgets.IntProgress(min=0, max=1, value=0, layout={"width": "300px"})
    status = widgets.Label(say("press Train"))
    messages, picture = widgets.Output(), widgets.Output()
    runs, fig, data = {}, new_figure((9, 4.6)), (x_train, t_train, x_test, t_test)

    def show():
        with picture:
            picture.clear_output(wait=True)
            display(fig)

    def on_train(_button):
        go.disabled = True
        try:
            values = {name: w.value for name, w in controls.items()}
            count = len(runs)
            with messages:
                run_and_overlay(fig, runs, data, reporter=_BarReporter(bar, status), **values)
            if len(runs) == count:
                bar.bar_style, status.value = "danger", say("refused: see the message below")
            show()
        finally:
            go.disabled = False

    def on_clear(_button):
        runs.clear()
        messages.clear_output()
        bar.value, bar.bar_style, status.value = 0, "", say("press Train")
        plot_runs(runs, fig)
        show()

    go.on_click(on_train)
    clear.on_click(on_clear)
    plot_runs(runs, fig)
    show()
    grid = widgets.GridBox(list(controls.values()), layout={"grid_template_columns": "repeat(2, 400px)"})
    return widgets.VBox([grid, widgets.HBox([go, clear, bar, status]), messages, picture])
