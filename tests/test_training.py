"""The trainer: it learns, it is reproducible, it matches the book's loop, it refuses bad settings."""

import io
import re

import numpy as np
import pytest
from matplotlib.figure import Figure

import bplib.training
from bplib import TwoLayerNet
from bplib.chapters.solutions import Momentum
from bplib.training import (
    SGD,
    History,
    JupyterReporter,
    Reporter,
    TextReporter,
    explain_errors,
    iter_per_epoch,
    plot_history,
    train,
)
from bplib.words import say


def _net(seed=0, **kw):
    return TwoLayerNet(20, 16, 3, weight_init_std=0.1, seed=seed, **kw)


def _snapshot(net):
    return {key: value.copy() for key, value in net.params.items()}


class Recorder(Reporter):
    def __init__(self):
        self.calls = []

    def start(self, iters, iter_per_epoch):
        self.calls.append(("start", iters, iter_per_epoch))

    def step(self, done, loss):
        self.calls.append(("step", done))

    def evaluated(self, history):
        self.calls.append(("evaluated", len(history.loss), len(history.eval_iters)))

    def finish(self, history):
        self.calls.append(("finish",))

    def stopped(self, message):
        self.calls.append(("stopped", message))


def test_sgd_updates_in_place_and_keeps_float32():
    params = {"W": np.ones((2, 2), np.float32), "b": np.zeros(2, np.float32)}
    W = params["W"]
    SGD(lr=np.float64(0.5)).update(params, {"W": np.full((2, 2), 2, np.float32), "b": np.ones(2, np.float32)})
    assert params["W"] is W and params["W"].dtype == np.float32  # an np.float64 lr does not upcast
    assert params["W"].tolist() == [[0.0, 0.0], [0.0, 0.0]] and params["b"].tolist() == [-0.5, -0.5]


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf"), True, "0.1"])
def test_sgd_refuses_a_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="learning rate must be a number > 0"):
        SGD(lr)


@pytest.mark.parametrize("n,batch,expected", [(60000, 100, 600), (60000, 128, 469), (50, 100, 1), (10, 3, 4)])
def test_iter_per_epoch_is_a_whole_number(n, batch, expected):
    assert iter_per_epoch(n, batch) == expected


def test_train_learns_and_records_a_history(small_task):
    x, t, xt, tt = small_task()
    net = _net()
    h = train(net, x, t, xt, tt, iters=500, batch_size=20, optimizer=SGD(0.3), reporter=False)
    assert isinstance(h, History) and h.iter_per_epoch == 10
    assert h.loss.shape == (500,) and np.all(np.isfinite(h.loss))
    assert h.eval_iters.tolist() == list(range(10, 501, 10))
    assert h.epochs[0] == 1.0 and h.epochs[-1] == 50.0
    assert h.train_acc.shape == h.test_acc.shape == (50,)
    assert h.loss[-50:].mean() < 0.5 * h.loss[:50].mean()
    assert h.train_acc[-1] > 0.9 and h.test_acc[-1] > 0.85
    assert h.train_acc[-1] == net.accuracy(x, t) and h.test_acc[-1] == net.accuracy(xt, tt)
    assert h.seconds > 0
    assert "500 iterations, 50 evaluations" in repr(h)


def test_the_last_iteration_is_always_evaluated(small_task):
    x, t, xt, tt = small_task()
    h = train(_net(), x, t, xt, tt, iters=25, batch_size=30, reporter=False)  # 7 per epoch
    assert h.iter_per_epoch == 7 and h.eval_iters.tolist() == [7, 14, 21, 25]
    h = train(_net(), x, t, xt, tt, iters=3, batch_size=30, reporter=False)  # less than an epoch
    assert h.eval_iters.tolist() == [3]


def test_same_seed_same_run_other_seed_other_batches(small_task):
    x, t, xt, tt = small_task()
    a, b, c = (
        train(_net(), x, t, xt, tt, iters=40, batch_size=10, seed=s, reporter=False) for s in (1, 1, 2)
    )
    np.testing.assert_array_equal(a.loss, b.loss)
    assert not np.array_equal(a.loss, c.loss)


def test_train_is_the_books_loop_with_seeded_batches(small_task):
    x, t, xt, tt = small_task()
    net, book = _net(), _net()
    train(net, x, t, xt, tt, iters=30, batch_size=10, optimizer=SGD(0.2), seed=5, reporter=False)
    rng = np.random.default_rng(5)
    for _ in range(30):
        batch = rng.integers(0, len(x), 10)
        grad = book.gradient(x[batch], t[batch])
        for key in ("W1", "b1", "W2", "b2"):
            book.params[key] -= 0.2 * grad[key]
    for key in net.params:
        np.testing.assert_array_equal(net.params[key], book.params[key])


def test_the_logged_loss_is_the_first_batch_loss_before_its_update(small_task):
    x, t, xt, tt = small_task()
    net = _net()
    first = _net().loss(*(a[np.random.default_rng(0).integers(0, len(x), 10)] for a in (x, t)))
    h = train(net, x, t, xt, tt, iters=5, batch_size=10, seed=0, reporter=False)
    assert h.loss[0] == pytest.approx(first, rel=1e-6)


def test_train_leaves_the_data_alone_and_accepts_one_hot_and_image_shapes(small_task):
    x, t, xt, tt = small_task()
    copies = [a.copy() for a in (x, t, xt, tt)]
    onehot = np.eye(3, dtype=np.float32)[t]
    h = train(_net(), x.reshape(-1, 1, 4, 5), onehot, xt, tt, iters=20, batch_size=10, reporter=False)
    assert h.eval_iters[-1] == 20
    for a, b in zip((x, t, xt, tt), copies, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_reporter_sees_every_step_and_evaluation(small_task):
    x, t, xt, tt = small_task()
    rec = Recorder()
    train(_net(), x, t, xt, tt, iters=25, batch_size=30, reporter=rec)
    assert rec.calls[0] == ("start", 25, 7) and rec.calls[-1] == ("finish",)
    assert [c[1] for c in rec.calls if c[0] == "step"] == list(range(1, 26))
    assert [c for c in rec.calls if c[0] == "evaluated"] == [
        ("evaluated", n, k) for k, n in enumerate([7, 14, 21, 25], start=1)
    ]


def test_text_reporter_prints_one_line_per_evaluation(small_task):
    x, t, xt, tt = small_task()
    out = io.StringIO()
    train(_net(), x, t, xt, tt, iters=25, batch_size=30, reporter=TextReporter(file=out))
    lines = out.getvalue().splitlines()
    assert lines[0] == "training: 25 iterations, 7 per epoch"
    assert len(lines) == 6 and lines[-1].startswith("done in ")
    assert lines[1].startswith("epoch   1.00  iter      7  loss ") and "train acc 0." in lines[1]
    assert lines[4].startswith("epoch   3.57  iter     25")


def test_outside_jupyter_the_default_reporter_prints_text(small_task, capsys):
    x, t, xt, tt = small_task()
    train(_net(), x, t, xt, tt, iters=7, batch_size=30)
    assert capsys.readouterr().out.startswith("training: 7 iterations, 7 per epoch\nepoch   1.00")


def test_jupyter_reporter_draws_the_curves_and_fills_the_bar(small_task):
    x, t, xt, tt = small_task()
    rep = JupyterReporter(bar_seconds=0)
    h = train(_net(), x, t, xt, tt, iters=25, batch_size=30, reporter=rep)
    assert rep.bar.value == rep.bar.max == 25 and rep.bar.bar_style == "success"
    assert f"test acc {h.test_acc[-1]:.4f}" in rep.label.value
    loss_ax, acc_ax = rep.fig.axes
    assert acc_ax.lines[0].get_xdata().tolist() == h.epochs.tolist()
    assert acc_ax.lines[1].get_ydata().tolist() == h.test_acc.tolist()
    assert len(loss_ax.lines) == 2  # the raw loss and its running mean
    assert bytes(rep.image.value[:4]) == b"\x89PNG"


def test_jupyter_reporter_redraws_rarely_but_always_shows_the_end(small_task):
    x, t, xt, tt = small_task()
    rep, drawn = JupyterReporter(redraw_factor=1e6), []
    draw = rep._draw
    rep._draw = lambda history: (drawn.append(len(history.loss)), draw(history))
    train(_net(), x, t, xt, tt, iters=25, batch_size=30, reporter=rep)
    assert drawn == [7, 25]  # the first evaluation, then (drawing being slow) only the end


def test_plot_history_compares_runs(small_task):
    x, t, xt, tt = small_task()
    runs = {
        f"lr={lr}": train(_net(), x, t, xt, tt, iters=20, batch_size=10, optimizer=SGD(lr), reporter=False)
        for lr in (0.1, 0.5)
    }
    fig = plot_history(runs)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    loss_ax, acc_ax = fig.axes
    assert [line.get_label() for line in loss_ax.lines] == ["lr=0.1", "lr=0.5"]
    assert [line.get_label() for line in acc_ax.lines] == [
        "lr=0.1 train", "lr=0.1 test", "lr=0.5 train", "lr=0.5 test"
    ]  # fmt: skip


class _ZeroLr:
    lr = 0.0

    def update(self, params, grads):
        raise AssertionError("must not be called")


BAD_SETTINGS = [
    ({"iters": 0}, "iters must be a whole number >= 1, got 0"),
    ({"iters": 2.5}, "iters must be a whole number"),
    ({"batch_size": 0}, "batch_size must be a whole number >= 1"),
    ({"batch_size": 201}, r"batch_size 201 is larger than the training data \(200 examples\)"),
    ({"optimizer": _ZeroLr()}, "learning rate must be a number > 0, got 0.0"),
    ({"optimizer": "sgd"}, r"optimizer must have an update\(params, grads\) method"),
    ({"x_train": np.zeros((200, 21), np.float32)}, r"x_train examples have 21 values .* takes 20 inputs"),
    ({"x_test": np.zeros((100, 3, 7), np.float32)}, "x_test examples have 21 values"),
    ({"t_train": np.zeros(199, int)}, "x_train has 200 examples but t_train has 199 labels"),
    ({"t_test": np.full(100, 3)}, r"t_test: label 3 is outside \[0, 3\)"),
    ({"x_train": np.zeros(200, np.float32)}, "x_train must hold at least one example per row"),
]


@pytest.mark.parametrize("change,message", BAD_SETTINGS)
def test_bad_settings_are_refused_before_any_work(small_task, change, message):
    x, t, xt, tt = small_task()
    kw = {"x_train": x, "t_train": t, "x_test": xt, "t_test": tt, "iters": 10, "batch_size": 10} | change
    net, rec = _net(), Recorder()
    before = _snapshot(net)
    with pytest.raises(ValueError, match=message):
        train(net, reporter=rec, **kw)
    assert rec.calls == []  # nothing started
    for key, value in before.items():
        np.testing.assert_array_equal(net.params[key], value)


def test_explain_errors_prints_the_message_instead_of_a_traceback(small_task, capsys):
    x, t, xt, tt = small_task()
    with explain_errors():
        train(_net(), x, t, xt, tt, batch_size=500, reporter=False)
    assert capsys.readouterr().out == (
        "Cannot train: batch_size 500 is larger than the training data (200 examples)\n"
    )
    with explain_errors():
        SGD(-1)
    assert capsys.readouterr().out == "Cannot train: the learning rate must be a number > 0, got -1\n"
    with pytest.raises(ZeroDivisionError), explain_errors():
        _ = 1 / 0  # other errors are real bugs: they are not hidden


def test_a_diverging_run_ends_in_one_clear_error_without_warnings(small_task):
    x, t, xt, tt = small_task()
    rec = Recorder()
    with pytest.raises(ValueError, match=r"diverged at iteration \d+.*smaller learning rate than 1e\+30"):
        train(_net(), x * 1e3, t, xt, tt, iters=50, batch_size=10, optimizer=SGD(1e30), reporter=rec)
    assert rec.calls[-1][0] == "stopped" and "diverged" in rec.calls[-1][1]


def test_nan_in_the_data_is_named(small_task):
    x, t, xt, tt = small_task()
    x = x.copy()
    x[:, 0] = np.nan
    with pytest.raises(ValueError, match="iteration 1: x_train contains NaN or inf"):
        train(_net(), x, t, xt, tt, iters=5, batch_size=10, reporter=False)


def test_momentum_is_the_learners_exercise_not_part_of_the_trainer():
    assert not hasattr(bplib.training, "Momentum")


def test_momentum_follows_the_books_update_rule():
    opt = Momentum(lr=0.1, momentum=0.9)
    params = {"W": np.array([1.0, 2.0], np.float32)}
    grads = {"W": np.array([1.0, -1.0], np.float32)}
    opt.update(params, grads)  # v = -0.1 * g
    np.testing.assert_allclose(params["W"], [0.9, 2.1])
    opt.update(params, grads)  # v = 0.9 * v - 0.1 * g = -0.19 * g
    np.testing.assert_allclose(params["W"], [0.71, 2.29], rtol=1e-6)
    assert params["W"].dtype == np.float32


def test_momentum_trains_faster_than_sgd_at_the_same_learning_rate(small_task):
    x, t, xt, tt = small_task()
    runs = {
        name: train(_net(), x, t, xt, tt, iters=100, batch_size=20, optimizer=opt, reporter=False)
        for name, opt in (("sgd", SGD(0.02)), ("momentum", Momentum(0.02, 0.9)))
    }
    assert runs["momentum"].loss[-20:].mean() < 0.8 * runs["sgd"].loss[-20:].mean()


def test_plot_history_lines_carry_language_independent_gids(small_task):
    x, t, xt, tt = small_task()
    h = train(_net(), x, t, xt, tt, iters=20, batch_size=10, reporter=False)
    assert [line.get_gid() for line in plot_history(h).axes[1].lines] == ["train", "test"]
    fig = plot_history({"a": h, "b": h})
    assert [line.get_gid() for line in fig.axes[1].lines] == ["a train", "a test", "b train", "b test"]


def test_the_english_lines_are_the_english_editions(small_task):
    x, t, xt, tt = small_task()
    out = io.StringIO()
    h = train(_net(), x, t, xt, tt, iters=7, batch_size=30, reporter=TextReporter(file=out))
    first, epoch, done = out.getvalue().splitlines()
    assert first == "training: 7 iterations, 7 per epoch"
    assert epoch == (
        f"epoch   1.00  iter      7  loss {h.loss.mean():.4f}  "
        f"train acc {h.train_acc[0]:.4f}  test acc {h.test_acc[0]:.4f}"
    )
    assert done == f"done in {h.seconds:.1f} s"
    assert repr(h) == (
        f"History(7 iterations, 1 evaluations; final train accuracy {h.train_acc[0]:.4f}, "
        f"test accuracy {h.test_acc[0]:.4f})"
    )
    assert repr(History(np.zeros(3), np.zeros(0), np.zeros(0), np.zeros(0), 7)) == (
        "History(3 iterations, no evaluation yet)"
    )


# --- the Chinese edition: every word from the catalog (bplib/words/training.py) ---


def test_text_reporter_in_chinese(small_task, chinese):
    x, t, xt, tt = small_task()
    out = io.StringIO()
    h = train(_net(), x, t, xt, tt, iters=25, batch_size=30, reporter=TextReporter(file=out))
    lines = out.getvalue().splitlines()
    assert (
        lines[0]
        == say("training: {iters} iterations, {per_epoch} per epoch", iters=25, per_epoch=7)
        == "训练：25 次迭代，每个 epoch 7 次"
    )
    loss = h.loss[:7].mean()
    assert lines[1] == say(
        "epoch {epoch:6.2f}  iter {done:6d}  loss {loss:.4f}  train acc {train:.4f}  test acc {test:.4f}",
        epoch=1.0,
        done=7,
        loss=loss,
        train=h.train_acc[0],
        test=h.test_acc[0],
    )
    assert lines[1].startswith("epoch   1.00  迭代      7  损失 ") and "训练准确率 0." in lines[1]
    assert lines[4].startswith("epoch   3.57  迭代     25")
    assert len({len(line) for line in lines[1:5]}) == 1  # the columns line up
    assert lines[-1] == say("done in {seconds:.1f} s", seconds=h.seconds) and lines[-1].startswith(
        "完成，用时 "
    )
    assert repr(h).startswith("History(25 次迭代，测了 4 次准确率；最终训练准确率 ")


def test_text_reporter_tells_why_it_stopped_in_chinese(small_task, chinese):
    x, t, xt, tt = small_task()
    out = io.StringIO()
    with pytest.raises(ValueError, match=r"^训练在第 \d+ 次迭代时发散了：权重或得分溢出"):
        train(
            _net(),
            x * 1e3,
            t,
            xt,
            tt,
            iters=50,
            batch_size=10,
            optimizer=SGD(1e30),
            reporter=TextReporter(out),
        )
    assert out.getvalue().splitlines()[-1].startswith("已停止：训练在第 ")
    assert "请试试比 1e+30 小的学习率（或更小的权重初始值）。" in out.getvalue()


def test_jupyter_reporter_in_chinese(small_task, chinese):
    x, t, xt, tt = small_task()
    rep, seen = JupyterReporter(bar_seconds=0), []
    step = rep.step
    rep.step = lambda done, loss: (step(done, loss), seen.append((done, loss, rep.label.value)))
    h = train(_net(), x, t, xt, tt, iters=25, batch_size=30, reporter=rep)
    assert rep.bar.description == say("training") == "训练中"
    done, loss, label = seen[-1]
    assert (
        label == say("{done} / {total}   loss {loss:.3f}", done=done, total=25, loss=loss)
        and "损失 " in label
    )
    assert rep.label.value == say(
        "done in {seconds:.1f} s   test acc {test:.4f}", seconds=h.seconds, test=h.test_acc[-1]
    )
    assert rep.label.value.startswith("完成，用时 ") and f"测试准确率 {h.test_acc[-1]:.4f}" in rep.label.value
    loss_ax, acc_ax = rep.fig.axes
    assert acc_ax.get_title() == say("accuracy") == "准确率"


def test_plot_history_in_chinese(small_task, chinese):
    x, t, xt, tt = small_task()
    h = train(_net(), x, t, xt, tt, iters=20, batch_size=10, reporter=False)
    loss_ax, acc_ax = plot_history(h).axes
    assert [line.get_label() for line in acc_ax.lines] == [
        say("{run}train", run=""),
        say("{run}test", run=""),
    ]
    assert [line.get_label() for line in acc_ax.lines] == ["训练数据", "测试数据"]
    assert [t.get_text() for t in acc_ax.get_legend().get_texts()] == ["训练数据", "测试数据"]
    assert [loss_ax.get_xlabel(), loss_ax.get_ylabel(), loss_ax.get_title()] == [
        "迭代次数",
        "损失",
        "mini-batch 的损失",
    ]
    assert (acc_ax.get_xlabel(), acc_ax.get_ylabel(), acc_ax.get_title()) == ("epoch 数", "准确率", "准确率")
    acc_ax = plot_history({"lr=0.1": h}).axes[1]
    assert [line.get_label() for line in acc_ax.lines] == ["lr=0.1 训练数据", "lr=0.1 测试数据"]
    by_gid = {line.get_gid(): line for line in acc_ax.lines}  # found without their words
    assert by_gid["lr=0.1 test"] is acc_ax.lines[1]


def test_explain_errors_in_chinese(chinese, capsys):
    with explain_errors():
        SGD(-1)
    why = say("the learning rate must be a number > 0, got {lr!r}", lr=-1)
    assert capsys.readouterr().out == say("Cannot train: {why}", why=why) + "\n"
    assert why == "学习率必须是大于 0 的数，但传入的是 -1"
    with explain_errors(prefix="面板："):
        SGD(-1)
    assert capsys.readouterr().out == "面板：学习率必须是大于 0 的数，但传入的是 -1\n"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"iters": 0}, "iters 必须是 >= 1 的整数，但传入的是 0"),
        ({"batch_size": 500}, "batch_size 500 大于训练数据的数量（200 个样本）"),
        ({"optimizer": object()}, "optimizer 必须有 update(params, grads) 方法"),
    ],
)
def test_bad_settings_are_refused_in_chinese(small_task, chinese, change, message):
    x, t, xt, tt = small_task()
    with pytest.raises(ValueError, match=r"^" + re.escape(message)):
        train(_net(), x, t, xt, tt, **{"iters": 5, "batch_size": 10, "reporter": False, **change})


def test_bad_data_is_refused_in_chinese(small_task, chinese):
    x, t, xt, tt = small_task()
    with pytest.raises(ValueError, match=r"^x_train 有 200 个样本，但 t_train 有 199 个标签$"):
        train(_net(), x, t[:-1], xt, tt, iters=5, reporter=False)
    with pytest.raises(
        ValueError, match=r"^x_test 的每个样本有 19 个值（形状 \(19,\)），但网络的输入有 20 个$"
    ):
        train(_net(), x, t, xt[:, :-1], tt, iters=5, reporter=False)
    with pytest.raises(ValueError, match=r"^t_train：标签 7 超出了 3 个类别的范围 \[0, 3\)$"):
        train(_net(), x, np.where(t == 0, 7, t), xt, tt, iters=5, reporter=False)
