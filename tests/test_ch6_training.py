"""Chapter 6's pictures, checks and panel: the gradient check, the views of a trained network,
the exercises' checks (a Leaky ReLU layer, an optimizer) and the train-again panel (on small made-up
data, not MNIST)."""

import re

import ipywidgets as widgets
import numpy as np
import pytest

from bplib import Affine, SoftmaxWithLoss, TwoLayerNet, check_layer
from bplib.chapters.ch6_training import (
    PANEL_CHOICES,
    SETTING_LABELS,
    SETTINGS,
    SHOWN_RUNS,
    STEPS,
    STEPS_H,
    VALLEY_START,
    MultiLayerNet,
    backward_pass,
    check_each_layer,
    check_optimizer,
    closest_to_kink,
    compare_gradients,
    confusion_figure,
    confusion_matrix,
    digits_figure,
    elementwise_errors,
    four_steps_figure,
    leaky_relu,
    mistakes,
    plot_runs,
    predictions,
    run_and_overlay,
    run_label,
    sign_changes,
    step_size_errors,
    step_size_figure,
    time_dtypes,
    time_passes,
    train_again_panel,
    train_like_the_book,
    training_loop_source,
    valley_figure,
    valley_paths,
    weights_figure,
)
from bplib.chapters.solutions import LeakyRelu, Momentum
from bplib.training import SGD, History, plot_history, train
from bplib.words import display_width, say


def _texts(fig):
    found = [t.get_text() for t in fig.texts]
    for label in (fig._suptitle, fig._supxlabel, fig._supylabel):
        if label is not None:
            found.append(label.get_text())
    for ax in fig.axes:
        found += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + [t.get_text() for t in ax.texts]
    return found


def test_four_steps_figure_names_the_steps_in_order():
    texts = _texts(four_steps_figure())
    heads = [t for t in texts if t[:1].isdigit()]
    assert heads == ["1  mini-batch", "2  gradient", "3  update", "4  repeat"]
    assert "The four steps of learning" in texts


# --- the gradient check ---


def test_compare_gradients_agrees_counts_forward_passes_and_restores_the_network():
    net = TwoLayerNet(6, 4, 3, weight_init_std=0.5, dtype=np.float64, seed=1)
    rng = np.random.default_rng(2)
    x, t = rng.standard_normal((3, 6)), np.array([0, 2, 1])
    before = {key: p.copy() for key, p in net.params.items()}
    result = compare_gradients(net, x, t, repeat=3)
    n_params = 6 * 4 + 4 + 4 * 3 + 3
    assert result.forward_passes == {"numerical": 2 * n_params, "backprop": 1}
    assert max(result.relative.values()) < 1e-7
    assert max(result.mean_abs.values()) < 1e-8
    assert result.sizes == {"W1": (6, 4), "b1": (4,), "W2": (4, 3), "b2": (3,)}
    assert set(result.seconds) == {"numerical", "backprop", "forward", "numerical_pass"}
    assert all(seconds > 0 for seconds in result.seconds.values())
    assert result.speedup == result.seconds["numerical"] / result.seconds["backprop"]
    # the speedups from medians: 2·(number of parameters) passes at a pass's cost, against one gradient
    per_pass = result.seconds["numerical_pass"] / result.seconds["backprop"]
    assert result.median_speedup == pytest.approx(2 * n_params * per_pass)
    assert result.predicted_speedup == pytest.approx(
        2 * n_params * result.seconds["forward"] / result.seconds["backprop"]
    )
    assert "loss" not in vars(net)  # the counting wrapper is gone
    assert all(np.array_equal(before[key], net.params[key]) for key in before)
    lines = result.table().splitlines()
    assert len(lines) == 5 and lines[1].startswith("W1") and "(6, 4)" in lines[1]


def test_compare_gradients_catches_a_wrong_backward_pass():
    class Doubled(TwoLayerNet):
        def gradient(self, x, t):  # a bug: every gradient twice too large
            return {key: 2 * g for key, g in super().gradient(x, t).items()}

    net = Doubled(5, 3, 2, weight_init_std=0.5, dtype=np.float64, seed=0)
    x, t = np.random.default_rng(0).standard_normal((4, 5)), np.array([0, 1, 1, 0])
    result = compare_gradients(net, x, t, repeat=1)
    assert all(abs(err - 1 / 3) < 1e-6 for err in result.relative.values())  # |2g − g| / (|2g| + |g|)


def test_compare_gradients_restores_loss_when_the_check_fails():
    net = TwoLayerNet(4, 3, 2, dtype=np.float64, seed=0)
    with pytest.raises(ValueError):
        compare_gradients(net, np.zeros((2, 4)), np.array([0, 5]))  # label 5 does not exist
    assert "loss" not in vars(net)


def test_training_loop_source_is_the_loop_of_train():
    source = training_loop_source()
    assert source.startswith("for i in range(")
    for step in ("# 1. a mini-batch", "# 2. the gradient", "# 3. the update", "# 4. repeat; once per epoch"):
        assert step in source
    assert "_stop_if_broken" in source  # the plumbing the chapter explains after the bare loop
    assert "network.gradient(" in source and "optimizer.update(" in source
    assert "return" not in source and "reporter.finish" not in source  # stops where the loop ends


# --- views of a trained network ---


def test_weights_figure_draws_each_column_as_an_image():
    W1 = np.random.default_rng(0).standard_normal((784, 12))
    fig = weights_figure(W1, ncols=5)
    assert fig.images_shown.shape == (12, 28, 28)
    assert np.array_equal(fig.images_shown[3], W1[:, 3].reshape(28, 28))
    assert len(fig.axes) == 12
    image = fig.axes[3].images[0]
    assert np.allclose(image.get_array(), W1[:, 3].reshape(28, 28))
    assert image.get_clim() == (-np.abs(W1[:, 3]).max(), np.abs(W1[:, 3]).max())  # symmetric: 0 is white
    texts = _texts(fig)
    assert any("First-layer weights" in t for t in texts) and "unit 4" in texts
    assert not any("pixel" in t for t in texts)  # no axis words on a grid of images
    assert any("red: positive weight" in t for t in texts)
    low, high = W1.min(), W1.max()
    assert repr(fig) == (
        "12 images of 28×28 first-layer weights, one per hidden unit; "
        f"the weights range from {low:.3f} to {high:.3f}."
    )
    with pytest.raises(ValueError, match="784"):
        weights_figure(np.zeros((100, 5)))


def test_digits_figure_titles_every_image_and_refuses_a_mismatch():
    images = np.random.default_rng(0).random((7, 784))
    fig = digits_figure(images, [f"d{k}" for k in range(7)], "some digits", ncols=4)
    assert len(fig.axes) == 7 and [ax.get_title() for ax in fig.axes] == [f"d{k}" for k in range(7)]
    assert "some digits" in _texts(fig)
    assert repr(fig) == "some digits: 7 images, titled d0 | d1 | d2 | d3 | d4 | d5 | d6."
    with pytest.raises(ValueError, match="7 images but 2 titles"):
        digits_figure(images, ["a", "b"], "x")


class _Fixed:
    """A stand-in network whose scores are given."""

    def __init__(self, scores):
        self.scores = np.asarray(scores, dtype=float)

    def predict(self, x):
        rows = np.asarray(x, dtype=int)[:, 0]
        return self.scores[rows]


def test_mistakes_lists_only_wrong_answers_most_confident_first():
    scores = [[5, 0, 0], [0, 1, 0], [0, 0, 9], [2, 0, 0], [0, 3, 0]]
    t = np.array([1, 1, 0, 0, 2])  # wrong: rows 0 (said 0), 2 (said 2), 4 (said 1)
    x = np.arange(5)[:, None]
    index, predicted, confidence = mistakes(_Fixed(scores), x, t, n=10)
    assert index.tolist() == [2, 0, 4]  # the scores 9, 5, 3 against zeros: most confident first
    assert predicted.tolist() == [2, 0, 1]
    assert np.all(np.diff(confidence) <= 0) and np.all((confidence > 1 / 3) & (confidence <= 1))
    assert mistakes(_Fixed(scores), x, t, n=2)[0].tolist() == [2, 0]


def test_predictions_in_chunks_equal_one_big_argmax():
    net = TwoLayerNet(8, 5, 4, weight_init_std=1.0, seed=3)
    x = np.random.default_rng(1).standard_normal((23, 8)).astype(np.float32)
    assert np.array_equal(predictions(net, x, chunk=5), np.argmax(net.predict(x), axis=1))


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    t = np.array([0, 0, 1, 2, 2, 2])
    y = np.array([0, 1, 1, 2, 0, 2])
    m = confusion_matrix(t, y, classes=3)
    assert m.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert m.sum() == 6 and np.trace(m) == np.sum(t == y)
    with pytest.raises(ValueError, match="two"):
        confusion_matrix(t, y[:3])
    with pytest.raises(ValueError, match="outside"):
        confusion_matrix(t, np.array([0, 1, 1, 2, 0, 3]), classes=3)


def test_confusion_figure_writes_every_count():
    m = confusion_matrix(np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]), classes=3)
    fig = confusion_figure(m)
    ax = fig.axes[0]
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == 9 and cells[:3] == ["1", "0", "0"] and cells[5] == "1"
    assert ax.get_xlabel() == "predicted digit" and ax.get_ylabel() == "true digit"
    assert "4 test digits (3 on the diagonal)" in ax.get_title()
    assert repr(fig) == (
        "Confusion matrix of 4 test digits: 3 correct (on the diagonal), 1 mistakes; "
        "the most frequent mistake reads 1 as 2, 1 times."
    )


# --- the exercise ---


class _Stub:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum = lr, momentum

    def update(self, params, grads):
        raise NotImplementedError("your code here")


class _NoVelocity(_Stub):  # a common mistake: plain SGD under momentum's name
    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class _ChangesGrads(Momentum):  # right numbers, but it scales the caller's gradients in place
    def update(self, params, grads):
        super().update(params, grads)
        for key in grads:
            grads[key] *= 1.0 + 1e-3


class _Typo(_Stub):
    def update(self, params, grads):
        params["W"] += self.velocity  # an attribute that does not exist


def test_check_optimizer_passes_the_reference_solutions(capsys):
    assert check_optimizer(Momentum).passed
    assert check_optimizer(SGD, rule="sgd").passed
    out = capsys.readouterr().out
    assert "check_optimizer(Momentum) with lr=0.1, momentum=0.9\nPASS" in out
    assert "check_optimizer(SGD) with lr=0.1\nPASS" in out


def test_check_optimizer_reports_a_stub_without_raising(capsys):
    result = check_optimizer(_Stub)
    assert not result.passed and result.message == "FAIL: not written yet: your code here"
    assert capsys.readouterr().out.endswith("FAIL: not written yet: your code here\n")


@pytest.mark.parametrize(
    "cls,message",
    [
        (_NoVelocity, "after step 2, params['W'] is off by"),
        (_ChangesGrads, "changed the gradient arrays"),
        (_Typo, "AttributeError"),
    ],
)
def test_check_optimizer_names_the_first_problem(cls, message):
    result = check_optimizer(cls, verbose=False)
    assert not result.passed and message in result.message


def test_check_optimizer_with_sgd_rule_fails_momentum_and_refuses_unknown_rules():
    assert not check_optimizer(Momentum, rule="sgd", verbose=False).passed
    with pytest.raises(ValueError, match="rule"):
        check_optimizer(Momentum, rule="adam")


def test_check_optimizer_checks_a_network_params_too():
    class DictOnly(Momentum):  # right on a dict, wrong on a network: it only updates "W"
        def update(self, params, grads):
            if "W" in params:
                return super().update(params, grads)

    result = check_optimizer(DictOnly, verbose=False)
    assert not result.passed and result.message.startswith("FAIL: on a TwoLayerNet's params")


# --- train again ---


def test_run_label_is_short_and_exact():
    assert run_label(**SETTINGS) == "lr 0.1, hidden 50, batch 100, 1000 iters, init 0.01, ReLU"
    sigmoid = run_label(**{**SETTINGS, "activation": "sigmoid"})
    assert sigmoid == "lr 0.1, hidden 50, batch 100, 1000 iters, init 0.01, Sigmoid"  # as the book names it


def test_run_and_overlay_adds_a_run_from_the_same_start(small_task, capsys):
    data, runs = small_task(), {}
    fig = run_and_overlay(None, runs, data, hidden_size=8, iters=40, batch_size=20, weight_init_std=0.1)
    fig = run_and_overlay(
        fig, runs, data, hidden_size=8, iters=40, batch_size=20, weight_init_std=0.1, lr=0.01
    )
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "run 1: lr 0.1, hidden 8, batch 20, 40 iters, init 0.1, ReLU",
        "run 2: lr 0.01, hidden 8, batch 20, 40 iters, init 0.1, ReLU",
    ]
    first, second = runs.values()
    assert first.eval_iters.tolist() == [0, 10, 20, 30, 40]  # epoch 0, then every 10 iterations
    assert first.test_acc[0] == second.test_acc[0] and first.train_acc[0] == second.train_acc[0]
    assert len(first.loss) == 40 and first.loss[0] == second.loss[0]  # same weights, same first batch
    assert first.test_acc[-1] > first.test_acc[0]  # it learned
    ax_loss, ax_acc = fig.axes
    assert len(ax_loss.lines) == 2 and len(ax_acc.lines) == 4
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[0].startswith("run 1: lr 0.1") and "→  test" in legend[0]


@pytest.mark.parametrize(
    "settings,message",
    [
        ({"lr": 0.0}, "Cannot train: the learning rate must be a number > 0, got 0.0"),
        ({"hidden_size": 0}, "Cannot train: TwoLayerNet: hidden_size must be a positive whole number"),
        (
            {"batch_size": 1000},
            "Cannot train: batch_size 1000 is larger than the training data (200 examples)",
        ),
        ({"weight_init_std": -1.0}, "Cannot train: the weight-init scale must be a number >= 0, got -1.0"),
        ({"activation": "tanh"}, "Cannot train: TwoLayerNet: activation must be 'relu' or 'sigmoid'"),
    ],
)
def test_run_and_overlay_refuses_bad_settings_with_one_line(small_task, settings, message, capsys):
    runs = {}
    fig = run_and_overlay(None, runs, small_task(), iters=10, **settings)
    assert runs == {} and capsys.readouterr().out.startswith(message)
    assert "none yet" in fig._suptitle.get_text()


def test_run_and_overlay_refuses_unknown_settings(small_task):
    with pytest.raises(TypeError, match="learning_rate"):
        run_and_overlay(None, {}, small_task(), learning_rate=0.1)


def test_run_and_overlay_takes_one_hot_labels(small_task):
    x_train, t_train, x_test, t_test = small_task()
    runs = {}
    run_and_overlay(None, runs, (x_train, np.eye(3)[t_train], x_test, t_test), iters=10, hidden_size=4)
    assert len(runs) == 1


def test_plot_runs_shows_the_latest_runs_only(small_task):
    data, runs = small_task(), {}
    for k in range(SHOWN_RUNS + 1):
        run_and_overlay(None, runs, data, iters=5, hidden_size=2 + k, batch_size=50)
    fig = plot_runs(runs)
    assert len(fig.axes[0].lines) == SHOWN_RUNS
    assert f"the latest {SHOWN_RUNS} of {SHOWN_RUNS + 1}" in fig._suptitle.get_text()
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[0].startswith("run 2:") and labels[-1].startswith(f"run {SHOWN_RUNS + 1}:")
    loss_only = plot_runs(runs, accuracy=False)
    assert len(loss_only.axes) == 1 and loss_only.axes[0].get_ylabel() == "loss (running mean)"
    assert loss_only._suptitle is None  # one plot: the title is the plot's own, nothing above it
    assert (
        loss_only.axes[0].get_title()
        == f"Training runs compared (the latest {SHOWN_RUNS} of {SHOWN_RUNS + 1})"
    )
    for ax in fig.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def _panel_parts(panel):
    """The panel's controls by setting name (their order, not their words: the same in both
    languages), its two buttons, progress bar and status line."""
    grid, buttons, messages, picture = panel.children
    go, clear, bar, status = buttons.children
    return dict(zip(SETTINGS, grid.children, strict=True)), go, clear, bar, status


def test_train_again_panel_trains_on_click_and_clears(small_task, capsys):
    panel = train_again_panel(*small_task(), hidden_size=5, iters=100, weight_init_std=0.1)
    controls, go, clear, bar, status = _panel_parts(panel)
    assert isinstance(panel, widgets.VBox) and status.value == "press Train"
    assert controls["iters"].value == 100 and controls["activation"].value == "relu"
    labels = controls["activation"]._options_labels  # as the book names them; the values stay relu, sigmoid
    assert labels == ("ReLU", "Sigmoid") and PANEL_CHOICES["activation"] == ["relu", "sigmoid"]
    assert [w.description for w in controls.values()] == [
        "learning rate", "hidden size", "batch size", "iterations", "weight init", "activation"
    ]  # fmt: skip
    assert (go.description, clear.description) == ("Train", "Clear runs")
    controls["batch_size"].value = 20
    go.click()
    assert "run 1: lr 0.1, hidden 5, batch 20, 100 iters, init 0.1, ReLU" in capsys.readouterr().out
    assert bar.bar_style == "success" and bar.value == 100 and status.value.startswith("done in")
    assert not go.disabled
    controls["batch_size"].value = 1000  # more than the 200 training examples: refused
    go.click()
    assert "Cannot train: batch_size 1000" in capsys.readouterr().out
    assert bar.bar_style == "danger" and status.value.startswith("refused")
    clear.click()
    assert bar.value == 0 and status.value == "press Train"


def test_train_again_panel_refuses_defaults_off_the_sliders(small_task):
    with pytest.raises(ValueError, match="not one of the slider's positions"):
        train_again_panel(*small_task(), lr=0.2)
    with pytest.raises(TypeError, match="unknown settings"):
        train_again_panel(*small_task(), epochs=3)
    assert all(SETTINGS[name] in PANEL_CHOICES[name] for name in SETTINGS)


def test_plot_runs_lines_carry_language_independent_gids(small_task):
    data, runs = small_task(), {}
    fig = run_and_overlay(None, runs, data, iters=10, hidden_size=4)
    fig = run_and_overlay(fig, runs, data, iters=10, hidden_size=4, lr=0.01)
    ax_loss, ax_acc = fig.axes
    assert [line.get_gid() for line in ax_loss.lines] == ["run 1", "run 2"]
    assert [line.get_gid() for line in ax_acc.lines] == [
        "run 1 train",
        "run 1 test",
        "run 2 train",
        "run 2 test",
    ]


# --- the Chinese edition: every word from the catalog (bplib/words/training.py) ---


# names of the book and of code that the Chinese edition keeps as they are
KEPT = {"mini", "batch", "epoch", "relu", "sigmoid", "update", "params", "TwoLayerNet", "check", "optimizer"}
KEPT |= {"Momentum", "momentum", "grad", "Affine", "Relu", "ReLU", "Sigmoid"}  # layer names, as in code


def _english_words(texts):
    """Words of four or more Latin letters in ``texts`` that are not names kept in Chinese."""
    return {w for text in texts for w in re.findall(r"[A-Za-z]{4,}", text)} - KEPT


def test_four_steps_figure_in_chinese(chinese):
    texts = _texts(four_steps_figure())
    heads = [t for t in texts if t[:1].isdigit()]
    assert heads == [say(head) for head, _ in STEPS]
    assert heads == ["1  选出 mini-batch", "2  计算梯度", "3  更新参数", "4  重复"]
    for _, body in STEPS:
        assert say(body) in texts
    assert say("The four steps of learning") in texts and "The four steps of learning" not in texts
    assert say("backprop lives\nin step 2") in texts
    assert not _english_words(texts)


def test_gradient_table_in_chinese_keeps_its_columns(chinese):
    net = TwoLayerNet(6, 4, 3, weight_init_std=0.5, dtype=np.float64, seed=1)
    x, t = np.random.default_rng(2).standard_normal((3, 6)), np.array([0, 2, 1])
    head, *rows = compare_gradients(net, x, t, repeat=1).table().splitlines()
    assert head.split() == ["参数", "形状", "相对误差", "|差值|", "的平均值"]
    assert head.split()[:3] == [say("parameter"), say("shape"), say("relative error")]
    assert len(rows) == 4 and rows[0].startswith("W1         (6, 4)")
    # the headers end where the numbers under them end; the second column starts with its header
    assert display_width(head[: head.index("形状")]) == rows[0].index("(6, 4)") == 11
    error = rows[0].split()[3]  # "W1", "(6,", "4)", then the relative error
    assert display_width(head[: head.index("相对误差") + 4]) == rows[0].index(error) + len(error) == 36
    assert all(display_width(head) == len(row) == 55 for row in rows)


def test_weights_and_digits_figures_in_chinese(chinese):
    texts = _texts(weights_figure(np.random.default_rng(0).standard_normal((784, 12)), ncols=5))
    assert say("unit {k}", k=4) in texts and "神经元 4" in texts and "unit 4" not in texts
    assert say("First-layer weights W1: one 28×28 image per hidden unit ({n} units)", n=12) in texts
    assert say("red: positive weight, blue: negative; each image has its own colour scale") in texts
    assert not _english_words(texts)
    fig = digits_figure(np.zeros((3, 784)), ["甲", "乙", "丙"], "一些数字")
    assert "一些数字" in _texts(fig) and not _english_words(_texts(fig))
    assert repr(fig) == "一些数字：共 3 张图像，标题依次为 甲 | 乙 | 丙。"


def test_confusion_figure_in_chinese(chinese):
    m = confusion_matrix(np.array([0, 1, 1, 2] * 300), np.array([0, 1, 2, 2] * 300), classes=3)
    fig = confusion_figure(m)
    ax, colorbar = fig.axes
    assert ax.get_xlabel() == say("predicted digit") and ax.get_ylabel() == say("true digit")
    assert ax.get_title() == say(
        "Confusion matrix on {total:,} test digits ({diagonal:,} on the diagonal)", total=1200, diagonal=900
    )
    assert ax.get_title() == "1,200 个测试数字的混淆矩阵（对角线上 900 个）"
    assert colorbar.get_ylabel() == say("mistakes") == "错误数"
    assert not _english_words(_texts(fig))


def test_check_optimizer_in_chinese(chinese, capsys):
    assert check_optimizer(Momentum).passed
    out = capsys.readouterr().out
    assert out.splitlines() == [
        say("check_optimizer({name}) with {settings}", name="Momentum", settings="lr=0.1, momentum=0.9"),
        say("PASS: {steps} steps match {rule}", steps=4, rule="v ← momentum·v − lr·grad;  W ← W + v"),
    ]
    assert out.splitlines()[1].startswith("通过：4 步都符合")
    result = check_optimizer(_Stub)
    assert result.message == say(
        "FAIL: {problem}", problem=say("not written yet: {why}", why="your code here")
    )
    assert result.message == "未通过：还没有写好（your code here）"
    assert capsys.readouterr().out.endswith(result.message + "\n")
    wrong = check_optimizer(_NoVelocity, verbose=False).message
    assert wrong.startswith("未通过：第 2 步之后，params['W'] 最多偏离了 ")
    assert check_optimizer(_ChangesGrads, verbose=False).message == say(
        "FAIL: {problem}",
        problem=say("update changed the gradient arrays it was given; it must only change params"),
    )

    class DictOnly(Momentum):
        def update(self, params, grads):
            if "W" in params:
                return super().update(params, grads)

    assert check_optimizer(DictOnly, verbose=False).message.startswith(
        "未通过：在 TwoLayerNet 的 params 上：第 1 步之后"
    )
    assert not _english_words([out, wrong])


def test_runs_and_their_plot_in_chinese(small_task, chinese, capsys):
    assert run_label(**SETTINGS) == say(
        "lr {lr:g}, hidden {hidden}, batch {batch}, {iters} iters, init {init:g}, {activation}",
        lr=0.1,
        hidden=50,
        batch=100,
        iters=1000,
        init=0.01,
        activation="ReLU",
    )
    assert run_label(**SETTINGS) == "学习率 0.1，隐藏层 50，批大小 100，1000 次迭代，权重初始值 0.01，ReLU"
    data, runs = small_task(), {}
    empty = run_and_overlay(None, runs, data, iters=10, lr=0.0)
    assert capsys.readouterr().out == "无法训练：学习率必须是大于 0 的数，但传入的是 0.0\n"
    assert (
        empty._suptitle.get_text()
        == say("Training runs compared: none yet, press Train")
        == "几次训练的比较：还没有训练，请按“训练”"
    )
    for k in range(SHOWN_RUNS + 1):
        fig = run_and_overlay(None, runs, data, iters=5, hidden_size=2 + k, batch_size=50)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == say(
        "run {n}: {settings}",
        n=1,
        settings=run_label(**{**SETTINGS, "iters": 5, "hidden_size": 2, "batch_size": 50}),
    )
    assert lines[0].startswith("第 1 次训练：学习率 0.1，隐藏层 2，")
    assert fig._suptitle.get_text() == say(
        "Training runs compared (the latest {shown} of {total})", shown=SHOWN_RUNS, total=SHOWN_RUNS + 1
    )
    ax_loss, ax_acc = fig.axes
    assert (ax_loss.get_xlabel(), ax_loss.get_ylabel(), ax_loss.get_title()) == (
        say("iteration"), say("loss (running mean)"), say("mini-batch loss")
    )  # fmt: skip
    assert (ax_acc.get_xlabel(), ax_acc.get_ylabel(), ax_acc.get_title()) == (
        say("epoch"), say("accuracy"), say("accuracy: test solid, train dotted")
    )  # fmt: skip
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    last = list(runs.values())[-1]
    assert legend[-1] == say("{run}  →  test {test:.1%}", run=list(runs)[-1], test=last.test_acc[-1])
    assert legend[-1].startswith("第 7 次训练") and "→  测试准确率 " in legend[-1]
    assert [line.get_gid() for line in ax_loss.lines][-1] == "run 7"  # found without its words
    assert not _english_words(_texts(fig) + legend + lines)
    solo = plot_runs(runs, accuracy=False)
    assert solo.axes[0].get_ylabel() == "损失（滑动平均）"
    assert solo.axes[0].get_title().startswith("几次训练的比较") and solo._suptitle is None
    assert repr(solo).startswith("几次训练的比较：第 2 次训练：") and "测试准确率 " in repr(solo)
    assert not _english_words([repr(solo)])


def test_train_again_panel_in_chinese(small_task, chinese, capsys):
    panel = train_again_panel(*small_task(), hidden_size=5, iters=100, weight_init_std=0.1)
    controls, go, clear, bar, status = _panel_parts(panel)
    assert [w.description for w in controls.values()] == [say(SETTING_LABELS[name]) for name in SETTINGS]
    assert [w.description for w in controls.values()] == [
        "学习率", "隐藏层神经元数", "批大小", "迭代次数", "权重初始值", "激活函数"
    ]  # fmt: skip
    buttons = (go.description, clear.description)
    assert buttons == (say("Train"), say("Clear runs")) == ("训练", "清除记录")
    assert status.value == say("press Train") == "请按“训练”"
    controls["batch_size"].value = 20
    go.click()
    assert "第 1 次训练：学习率 0.1，隐藏层 5，批大小 20，100 次迭代" in capsys.readouterr().out
    assert bar.bar_style == "success" and status.value.startswith("完成，用时 ")
    assert "测试准确率 " in status.value
    controls["batch_size"].value = 1000
    go.click()
    assert capsys.readouterr().out.startswith("无法训练：batch_size 1000")
    assert (
        bar.bar_style == "danger"
        and status.value == say("refused: see the message below") == "被拒绝：原因见下方"
    )
    clear.click()
    assert status.value == "请按“训练”"


def test_a_diverging_run_is_explained_in_chinese(small_task, chinese, capsys):
    """Chapter 6's "things to try": learning rate 10 with starting weights of scale 10. On inputs
    ten times larger than the small task's, the scores overflow within a few iterations."""
    x, t, xt, tt = small_task()
    runs = {}
    run_and_overlay(None, runs, (x * 10, t, xt * 10, tt), lr=10.0, weight_init_std=10.0, iters=200)
    out = capsys.readouterr().out
    assert runs == {} and re.fullmatch(
        r"无法训练：训练在第 \d+ 次迭代时发散了：权重或得分溢出，变成了 inf 或 NaN。"
        r"请试试比 10\.0 小的学习率（或更小的权重初始值）。\n",
        out,
    )
    assert not _english_words([out.replace("inf", "").replace("NaN", "")])


def test_the_panels_refusals_in_chinese(small_task, chinese, capsys):
    data = small_task()
    for settings, message in [
        ({"lr": 0.0}, "无法训练：学习率必须是大于 0 的数，但传入的是 0.0"),
        ({"weight_init_std": -1.0}, "无法训练：权重初始值的标准差必须是 >= 0 的数，但传入的是 -1.0"),
        ({"hidden_size": 0}, "无法训练：TwoLayerNet：hidden_size 必须是正整数，但传入的是 0"),
        ({"batch_size": 1000}, "无法训练：batch_size 1000 大于训练数据的数量（200 个样本）"),
    ]:
        run_and_overlay(None, {}, data, **settings)
        assert capsys.readouterr().out == message + "\n"
    with pytest.raises(TypeError, match=r"^run_and_overlay：未知的设置 \['learning_rate'\]"):
        run_and_overlay(None, {}, data, learning_rate=0.1)
    with pytest.raises(ValueError, match=r"^train_again_panel：lr=0\.5 不是滑块上的位置之一"):
        train_again_panel(*data, lr=0.5)


def test_check_optimizer_names_an_error_in_chinese(chinese):
    result = check_optimizer(_Typo, verbose=False)
    assert result.message == "未通过：AttributeError：'_Typo' object has no attribute 'velocity'"
    with pytest.raises(ValueError, match=r"^check_optimizer：rule 必须是 \['momentum', 'sgd'\] 之一"):
        check_optimizer(Momentum, rule="adam")


def test_the_figures_refuse_bad_input_in_chinese(chinese):
    with pytest.raises(ValueError, match=r"^weights_figure：W1 的形状必须是 \(784, H\)"):
        weights_figure(np.zeros((10, 3)))
    with pytest.raises(ValueError, match=r"^digits_figure：有 2 张图像，却有 1 个标题$"):
        digits_figure(np.zeros((2, 784)), ["a"], "t")
    with pytest.raises(ValueError, match=r"^confusion_matrix：y 中有超出 0\.\.2 的类别$"):
        confusion_matrix(np.array([0, 1]), np.array([0, 5]), classes=3)


# --- what a backward pass costs (the tests check the bookkeeping, never a time) ---


def test_time_passes_times_the_three_parts_in_turns():
    net = TwoLayerNet(6, 4, 3, seed=0)
    x, t = np.random.default_rng(0).standard_normal((5, 6)), np.array([0, 1, 2, 1, 0])
    times = time_passes(net, x, t, repeat=3)
    assert times.repeat == 3 and min(times.forward, times.backward, times.gradient) > 0
    assert times.ratio == times.backward / times.forward


def test_time_dtypes_times_one_gradient_in_each_dtype():
    x, t = np.random.default_rng(0).random((5, 784)).astype(np.float32), np.arange(5)
    seconds = time_dtypes(x, t, repeat=2)
    assert list(seconds) == ["float64", "float32"] and all(s > 0 for s in seconds.values())


def test_backward_pass_is_the_backward_half_of_gradient():
    net = TwoLayerNet(6, 4, 3, seed=0)
    x, t = np.random.default_rng(0).standard_normal((5, 6)), np.array([0, 1, 2, 1, 0])
    expected = {key: g.copy() for key, g in net.gradient(x, t).items()}
    net.layers["Affine2"].dW = None
    net.loss(x, t)
    backward_pass(net)
    assert np.array_equal(net.layers["Affine2"].dW, expected["W2"])
    assert np.array_equal(net.layers["Affine1"].db, expected["b1"])


# --- gradient-check practice ---


def test_elementwise_errors_measure_each_element_against_its_own_size():
    a = np.array([1.0, 0.0, 1e-12, 2.0])
    b = np.array([1.1, 0.0, 2e-12, -2.0])
    errors = elementwise_errors(a, b)
    assert errors == pytest.approx([0.1 / 1.1, 0.0, 0.5, 2.0])  # 0 where both are 0; a tiny pair: large
    with pytest.raises(ValueError, match="shapes"):
        elementwise_errors(np.zeros(2), np.zeros(3))


def test_closest_to_kink_finds_the_smallest_relu_input():
    net = TwoLayerNet(2, 3, 2, seed=0)
    net.params["W1"] = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 1.0]])
    net.params["b1"] = np.array([0.0, 0.0, -0.5])
    x = np.array([[1.0, 2.0], [3.0, 1.0]])  # hidden inputs [1, 0, 1.5] and [3, -5, 1.0]
    assert closest_to_kink(net, x) == pytest.approx(0.0)
    x = np.array([[1.0, 2.25]])  # hidden inputs [1, 0.25, 0.75]
    assert closest_to_kink(net, x) == pytest.approx(0.25)
    assert closest_to_kink(MultiLayerNet(2, [3, 3], 2, seed=0), x) < np.inf  # ReLUs of every layer


def test_step_size_errors_make_a_v():
    net = TwoLayerNet(8, 5, 3, weight_init_std=0.5, seed=1)
    x, t = np.random.default_rng(1).standard_normal((4, 8)), np.array([0, 1, 2, 1])
    assert closest_to_kink(net, x) > 1e-2  # no kink within reach of the steps that matter here
    errors = step_size_errors(net, x, t, names=("W2",))
    w2 = errors["W2"]
    assert w2.shape == STEPS_H.shape and STEPS_H[0] == 1e-1 and STEPS_H[-1] == 1e-12
    best = int(np.argmin(w2))
    assert 0 < best < len(STEPS_H) - 1  # the bottom is inside: both arms rise
    assert w2[0] > 100 * w2[best] and w2[-1] > 100 * w2[best]
    assert w2[0] / w2[1] > 30  # the truncation arm falls like h²


def test_step_size_figure_draws_and_describes_each_curve():
    errors = {"W2": np.array([1e-5, 1e-7, 1e-9, 1e-8]), "b1": np.array([1e-1, 1e-2, 1e-10, 1e-7])}
    steps = STEPS_H[:4]
    fig = step_size_figure(steps, errors)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlim()[0] > ax.get_xlim()[1]  # large steps on the left
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["W2", "b1", "the book's h = 1e-4"]
    assert repr(fig) == (
        "Relative error of the numerical gradient against backprop for steps h from 1e-01 to 1e-04, "
        "on log scales. Smallest error: W2 1e-09 at h = 1e-03; b1 1e-10 at h = 1e-03."
    )


class _ForgetfulLoss(SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return super().backward(dout) * len(self.y)  # forgets the division by N


def test_check_each_layer_names_the_layer_at_fault(capsys):
    x, t = np.random.default_rng(3).standard_normal((3, 6)), np.array([0, 2, 1])
    net = TwoLayerNet(6, 4, 3, weight_init_std=0.5, seed=2)
    assert closest_to_kink(net, x) > 1e-3
    results = check_each_layer(net, x, t)
    assert list(results) == ["Affine1", "Relu1", "Affine2", "last layer"]
    assert all(r.passed for r in results.values())
    assert "dW" in dict(results["Affine1"].rows)  # the first layer's parameters are checked, x is a constant
    net.last_layer = _ForgetfulLoss()
    results = check_each_layer(net, x, t)
    assert [r.passed for r in results.values()] == [True, True, True, False]
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].startswith("last layer  FAIL  largest relative error 5.0e-01")
    assert lines[-1] == "    dx differs from the numerical gradient (relative error 5.0e-01)"


def test_check_each_layer_in_chinese(chinese, capsys):
    x, t = np.random.default_rng(3).standard_normal((3, 6)), np.array([0, 2, 1])
    net = TwoLayerNet(6, 4, 3, weight_init_std=0.5, seed=2)
    net.last_layer = _ForgetfulLoss()
    results = check_each_layer(net, x, t)
    assert list(results)[-1] == "最后一层"
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Affine1   通过    最大相对误差 ")
    assert lines[-2].startswith("最后一层  未通过  最大相对误差 5.0e-01")
    assert not _english_words(lines)


# --- the first exercise: a Leaky ReLU layer ---
EXERCISE_X = np.array([[1.5, -0.8, 0.3], [-2.0, 0.7, -0.1]])  # the notebook's x; alpha 0.1


def _exercise_check(layer):
    return check_layer(layer, EXERCISE_X, expect=lambda x: leaky_relu(x, alpha=0.1), verbose=False)


def test_leaky_relu_is_x_above_0_and_alpha_x_elsewhere():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    assert leaky_relu(x).tolist() == [-0.02, -0.005, 0.0, 0.5, 3.0]
    assert leaky_relu(x, alpha=0.1).tolist() == [-0.2, -0.05, 0.0, 0.5, 3.0]


def test_the_leaky_relu_solution_passes_the_exercise_check():
    result = _exercise_check(LeakyRelu(alpha=0.1))
    assert result.passed, result.table()
    assert set(result.errors) == {"forward", "dx"}


class _WrongLeaky(LeakyRelu):
    """The stub's forward with a backward a learner might write by mistake."""

    def __init__(self, backward, alpha=0.1):
        super().__init__(alpha)
        self._wrong = backward

    def backward(self, dout):
        return self._wrong(self, dout)


def _into_dout(layer, dout):
    dout[layer.mask] *= layer.alpha  # right numbers, but written into the caller's array
    return dout


WRONG_LEAKY = {
    "slope 1 everywhere": lambda layer, dout: dout.copy(),
    "alpha and 1 swapped": lambda layer, dout: np.where(layer.mask, dout, layer.alpha * dout),
    "writes into dout": _into_dout,
    "ReLU's backward (slope 0 below 0)": lambda layer, dout: np.where(layer.mask, 0.0, dout),
    "alpha written as 0.01": lambda layer, dout: np.where(layer.mask, 0.01 * dout, dout),
    "the local derivative without dout": lambda layer, dout: np.where(layer.mask, layer.alpha, 1.0),
}


@pytest.mark.parametrize("name", list(WRONG_LEAKY))
def test_the_leaky_relu_exercise_check_fails_a_wrong_backward(name):
    result = _exercise_check(_WrongLeaky(WRONG_LEAKY[name]))
    assert not result.passed, name
    if name == "writes into dout":
        assert any("wrote into dout" in problem for problem in result.problems)


def test_the_leaky_relu_exercise_check_fails_a_wrong_forward():
    class PlainRelu(LeakyRelu):  # ReLU's forward and its own right backward: not what was asked
        def forward(self, x):
            self.mask = x <= 0
            return np.where(self.mask, 0.0, x)

        def backward(self, dout):
            return np.where(self.mask, 0.0, dout)

    result = _exercise_check(PlainRelu(alpha=0.1))
    assert not result.passed and result.errors["forward"] > 0.01


def test_the_leaky_relu_solution_trains_in_a_multilayernet_in_float32(small_task):
    x, t, xt, tt = small_task()
    net = MultiLayerNet(20, [8], 3, weight_init_std=0.1, activation=LeakyRelu, dtype=np.float32, seed=0)
    history = train(net, x, t, xt, tt, iters=60, batch_size=20, optimizer=SGD(lr=0.5), seed=0, reporter=False)
    leaky = net.layers["LeakyRelu1"]
    assert leaky.forward(x[:2] @ net.params["W1"]).dtype == np.float32  # float32 stays float32
    assert leaky.backward(np.ones((2, 8), np.float32)).dtype == np.float32
    assert history.loss[-10:].mean() < 0.5 * history.loss[0] and history.test_acc[-1] > 0.6


# --- more layers in the list ---


def test_a_multilayernet_with_one_hidden_layer_is_a_twolayernet():
    x, t = np.random.default_rng(0).standard_normal((3, 7)), np.array([0, 1, 1])
    deep, two = MultiLayerNet(7, [5], 2, seed=4), TwoLayerNet(7, 5, 2, seed=4)
    assert list(deep.layers) == list(two.layers) and list(deep.params) == list(two.params)
    g1, g2 = deep.gradient(x, t), two.gradient(x, t)
    assert all(np.array_equal(g1[key], g2[key]) for key in g2)


def test_a_deeper_network_passes_the_gradient_check_with_no_new_backward_code():
    x, t = np.random.default_rng(5).standard_normal((3, 7)), np.array([0, 1, 2])
    net = MultiLayerNet(7, [6, 5, 4], 3, weight_init_std=0.5, seed=3)
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2", "Relu2", "Affine3", "Relu3", "Affine4"]
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]
    assert closest_to_kink(net, x) > 1e-3
    result = compare_gradients(net, x, t, repeat=1)
    assert max(result.relative.values()) < 1e-7
    # predict, loss, accuracy and gradient are all TwoLayerNet's: only the list of layers is new
    assert [name for name in vars(MultiLayerNet) if not name.startswith("__")] == []
    assert MultiLayerNet.gradient is TwoLayerNet.gradient
    assert net.layers["Affine1"].input_grad is False and net.layers["Affine2"].input_grad is True


def test_a_multilayernet_takes_any_activation_layer():
    x, t = np.random.default_rng(6).standard_normal((4, 7)), np.array([0, 1, 2, 1])
    net = MultiLayerNet(7, [6, 5], 3, weight_init_std=0.5, activation=LeakyRelu, seed=3)
    assert list(net.layers) == ["Affine1", "LeakyRelu1", "Affine2", "LeakyRelu2", "Affine3"]
    assert net.layers["LeakyRelu1"] is not net.layers["LeakyRelu2"]  # a new layer each
    result = compare_gradients(net, x, t, repeat=1)
    assert max(result.relative.values()) < 1e-7
    relu = MultiLayerNet(7, [6, 5], 3, weight_init_std=0.5, seed=3)  # the same weights, ReLU
    assert any(not np.array_equal(result.backprop[k], g) for k, g in relu.gradient(x, t).items())


def test_multilayernet_refuses_an_activation_that_is_not_a_class():
    with pytest.raises(TypeError, match="activation must be a layer class, such as Relu, got 'relu'"):
        MultiLayerNet(4, [3], 2, activation="relu")


def test_twolayernet_collects_the_gradient_of_every_affine_layer_in_order():
    net = TwoLayerNet(7, 5, 3, seed=0)
    net.layers["Affine3"] = Affine(np.ones((3, 2)), np.zeros(2))  # one more layer in the list
    grads = net.gradient(np.ones((2, 7)), np.array([0, 1]))
    assert list(grads) == ["W1", "b1", "W2", "b2", "W3", "b3"] and grads["W3"].shape == (3, 2)


@pytest.mark.parametrize("sizes", [[], [0], [3, -1], [2.5]])
def test_multilayernet_refuses_bad_sizes(sizes):
    with pytest.raises(ValueError, match="MultiLayerNet: sizes must be positive whole numbers"):
        MultiLayerNet(4, sizes, 2)


def test_train_like_the_book_draws_the_same_batches_as_train(small_task):
    x, t, xt, tt = small_task()
    a, b = TwoLayerNet(20, 6, 3, seed=0), TwoLayerNet(20, 6, 3, seed=0)
    before = a.params["W1"].copy()
    losses = train_like_the_book(a, x, t, iters=30, batch_size=10, learning_rate=0.2, seed=7)
    history = train(b, x, t, xt, tt, iters=30, batch_size=10, optimizer=SGD(lr=0.2), seed=7, reporter=False)
    assert losses.shape == (30,) and np.array_equal(losses, history.loss)
    assert np.array_equal(a.params["W1"], b.params["W1"]) and not np.array_equal(a.params["W1"], before)


def test_run_and_overlay_keeps_the_trained_networks(small_task, capsys):
    runs, networks = {}, {}
    run_and_overlay(None, runs, small_task(), networks=networks, iters=10, hidden_size=4)
    run_and_overlay(None, runs, small_task(), networks=networks, iters=10, lr=0.0)  # refused: not kept
    assert list(networks) == list(runs) and len(runs) == 1
    net = networks[list(runs)[0]]
    assert isinstance(net, TwoLayerNet) and net.params["W1"].shape == (20, 4)


# --- the valley ---


def test_valley_paths_follow_each_update_rule():
    paths = valley_paths({"a": SGD(lr=1.0), "b": SGD(lr=0.1), "m": Momentum(lr=0.1, momentum=0.9)}, steps=5)
    assert all(p.shape == (6, 2) for p in paths.values())
    assert paths["a"][0].tolist() == list(VALLEY_START)
    assert np.allclose(paths["a"][:, 1], [2, -2, 2, -2, 2, -2])  # lr 1.0: y ← y − 2y flips for ever
    assert paths["b"][1] == pytest.approx([-7 + 0.1 * 0.7, 2 - 0.1 * 4])  # one step of −η∇f
    velocity = -0.1 * np.array([-0.7, 4.0])
    assert paths["m"][1] == pytest.approx(np.array(VALLEY_START) + velocity)
    assert paths["m"][2] == pytest.approx(
        paths["m"][1] + 0.9 * velocity - 0.1 * np.array([paths["m"][1][0] / 10, 2 * paths["m"][1][1]])
    )


def test_sign_changes_counts_zig_zags():
    assert sign_changes([2, -2, 2, -2]) == 3 and sign_changes([1, 0.5, 0.1]) == 0
    assert sign_changes([1, 0, -1]) == 1  # a zero is no side of the valley


def test_valley_figure_has_a_panel_per_path_and_says_where_each_ended():
    paths = valley_paths({"SGD 1.0": SGD(lr=1.0), "SGD 0.95": SGD(lr=0.95)}, steps=30)
    fig = valley_figure(paths)
    assert [ax.get_title() for ax in fig.axes] == ["SGD 1.0", "SGD 0.95"]
    assert (
        fig.axes[0].get_ylabel() == "y (steep direction)"
        and fig.axes[1].get_xlabel() == "x (shallow direction)"
    )
    assert fig._suptitle.get_text().startswith("The valley f(x, y) = x²/20 + y², from (-7, 2)")
    assert repr(fig) == (
        "Paths on the valley f(x, y) = x²/20 + y²: "
        "SGD 1.0: after 30 steps at (-0.30, 2.00), 2.02 from the minimum; y changed sign 30 times. "
        "SGD 0.95: after 30 steps at (-0.35, 0.08), 0.36 from the minimum; y changed sign 30 times."
    )


def test_valley_figure_in_chinese(chinese):
    paths = valley_paths({"SGD，学习率 1.0": SGD(lr=1.0)}, steps=3)
    fig = valley_figure(paths)
    assert fig.axes[0].get_ylabel() == "y（陡峭的方向）"
    assert repr(fig).startswith("在山谷 f(x, y) = x²/20 + y² 上走出的路径：SGD，学习率 1.0：走了 3 步之后")
    assert not _english_words(_texts(fig) + [repr(fig)])


# --- every figure describes itself ---


def _history(n=1000):
    loss = np.linspace(2.3, 0.3, n)
    evals = np.array([600, n])
    return History(loss, evals, np.array([0.9, 0.95]), np.array([0.91, 0.94]), 600)


def test_the_four_steps_and_the_history_describe_themselves():
    assert repr(four_steps_figure()).startswith("The four steps of learning, in a cycle: 1 pick a mini-batch")
    assert repr(plot_history(_history())) == (
        "mini-batch loss from 2.30 to 0.35 (mean of the last 50 iterations); "
        "after 1.67 epochs, train accuracy 95.0%, test accuracy 94.0%."
    )


def test_the_descriptions_in_chinese(chinese):
    texts = [repr(four_steps_figure()), repr(plot_history(_history()))]
    texts.append(repr(step_size_figure(STEPS_H[:2], {"W2": np.array([1e-5, 1e-7])})))
    texts.append(repr(weights_figure(np.zeros((784, 2)))))
    texts.append(repr(confusion_figure(np.array([[3, 1], [0, 2]]))))
    assert texts[1].startswith("mini-batch 的损失从 2.30 变为 0.35")
    assert texts[2].endswith("最小的误差：W2 在 h = 1e-02 时为 1e-07。")
    assert not _english_words(texts)
