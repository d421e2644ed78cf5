"""Chapter 4's update functions: the numbers they compute, every slider position, the figures."""

import re

import numpy as np
import pytest

from bplib import numerical_gradient, sigmoid
from bplib.chapters.ch4_activations import (
    activation_curves,
    relu_grad,
    relu_graph,
    sigmoid_node_figure,
    sigmoid_node_graph,
    sigmoid_steps,
    stacked_gradients,
    update_relu,
    update_sigmoid,
    update_vanishing,
)
from bplib.words import display_width, say


def _texts(fig):
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + [t.get_text() for t in ax.texts]
    return [text for text in found if text]  # a number not shown yet is an empty text


@pytest.mark.parametrize("x,dout", [(1.0, 1.0), (-2.5, 0.7), (0.0, -1.3), (5.0, 2.0), (-5.0, -2.0)])
def test_sigmoid_steps_follow_the_four_local_derivatives(x, dout):
    s = sigmoid_steps(x, dout)
    y = 1 / (1 + np.exp(-x))
    assert s.y == pytest.approx(y, rel=1e-12)
    assert s.step1 == pytest.approx(dout * -(y**2), rel=1e-12, abs=1e-15)
    assert s.step2 == s.step1
    assert s.step3 == pytest.approx(s.step2 * np.exp(-x), rel=1e-12, abs=1e-15)
    assert s.step4 == pytest.approx(-s.step3, rel=1e-12, abs=1e-15)
    assert s.step4 == pytest.approx(s.collapsed, rel=1e-10, abs=1e-15)
    assert s.collapsed == pytest.approx(dout * y * (1 - y), rel=1e-12, abs=1e-15)


def test_sigmoid_steps_match_a_numerical_derivative():
    s = sigmoid_steps(0.8, 1.0)
    assert s.step4 == pytest.approx(float(numerical_gradient(lambda v: sigmoid(v), np.array(0.8))), rel=1e-7)


def test_relu_graph_is_a_switch_with_gradient_zero_at_zero():
    assert float(relu_graph(2.0, 1.5).grad("x")) == 1.5
    assert float(relu_graph(-2.0, 1.5).grad("x")) == 0.0
    assert float(relu_graph(0.0, 1.5).grad("x")) == 0.0
    assert relu_grad([-1.0, 0.0, 1e-9]).tolist() == [0.0, 0.0, 1.0]


def test_stacked_sigmoid_gradients_shrink_layer_by_layer_and_relu_ones_do_not():
    for depth in range(1, 16):
        sig, relu = stacked_gradients(depth, "sigmoid"), stacked_gradients(depth, "relu")
        assert sig.shape == relu.shape == (depth,)
        assert np.all(sig[:-1] < 0.5 * sig[1:])  # at least halved by each sigmoid layer
        assert np.all((relu > 0.5) & (relu < 3.0))
    assert stacked_gradients(15, "sigmoid")[0] < 1e-8


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_stacked_gradients_refuses_a_bad_depth(bad):
    with pytest.raises(ValueError, match="depth"):
        stacked_gradients(bad)


def test_stacked_gradients_refuses_an_unknown_activation():
    with pytest.raises(ValueError, match="activation"):
        stacked_gradients(3, "tanh")


def test_update_relu_prints_and_titles(capsys):
    fig = update_relu(x=-1.0, dout=1.5)
    assert "switch off: the gradient stops" in _texts(fig)
    assert "dx = 0.00 (switch off)" in capsys.readouterr().out
    fig = update_relu(x=2.0, dout=1.5)
    assert "switch on: the gradient passes" in _texts(fig)
    assert "dx = 1.50 (switch on)" in capsys.readouterr().out


@pytest.mark.parametrize("x", [-3.0, 0.0, 3.0])
@pytest.mark.parametrize("dout", [-2.0, 0.0, 2.0])
def test_update_relu_at_every_slider_end(x, dout):
    assert len(update_relu(x=x, dout=dout).axes) == 2


def test_update_sigmoid_prints_the_four_steps(capsys):
    fig = update_sigmoid(x=1.0, dout=1.0)
    out = capsys.readouterr().out
    assert 'step 1 "/"' in out and "-0.5344" in out and "+0.1966" in out
    assert "what reaches x: dL/dy · y² · exp(−x) = +0.1966" in out  # y(1 − y) is derived later
    assert "Sigmoid as four nodes: backward step 4 of 4" in _texts(fig)


@pytest.mark.parametrize("step", range(5))
def test_update_sigmoid_reveals_step_by_step(step, capsys):
    update_sigmoid(x=-0.5, dout=0.5, step=step)
    assert capsys.readouterr().out.count("(not yet)") == 4 - step


@pytest.mark.parametrize("x", [-5.0, 5.0])
@pytest.mark.parametrize("dout", [-2.0, 2.0])
def test_update_sigmoid_at_every_slider_end(x, dout):
    update_sigmoid(x=x, dout=dout, step=0)
    update_sigmoid(x=x, dout=dout, step=4)


def test_update_sigmoid_shows_what_reaches_x_only_when_done():
    texts = _texts(update_sigmoid(x=1.0, dout=1.0, step=3))
    assert "what reaches x: dL/dy · y² · exp(−x) = ? (known after step 4)" in texts
    texts = _texts(update_sigmoid(x=1.0, dout=1.0, step=4))
    assert "what reaches x: dL/dy · y² · exp(−x) = +0.1966" in texts
    assert not any("y(1 − y)" in text for text in texts)  # chapter 4 derives it after these pictures
    assert "Sigmoid as four nodes: backward not started" in _texts(update_sigmoid(step=0))


def test_sigmoid_node_sends_back_what_the_four_nodes_do():
    for x, dout in [(-0.5, 1.5), (3.0, -1.0)]:
        assert float(sigmoid_node_graph(x, dout).grad("x")) == pytest.approx(sigmoid_steps(x, dout).step4)
    assert 'The same, as one "sigmoid" node' in _texts(sigmoid_node_figure(x=-0.5, dout=1.5))


def test_update_sigmoid_refuses_a_step_out_of_range():
    with pytest.raises(ValueError, match="step"):
        update_sigmoid(step=5)


def test_activation_curves():
    left, right = activation_curves().axes
    assert left.get_title() == "Sigmoid and its gradient" and right.get_title() == "ReLU and its gradient"
    assert left.get_xlabel() == right.get_xlabel() == "x"
    grad = left.lines[1].get_ydata()
    assert grad.max() == pytest.approx(0.25) and np.all(grad <= 0.25)
    assert set(right.lines[1].get_ydata().tolist()) == {0.0, 1.0}


@pytest.mark.parametrize("depth", [1, 2, 15])
def test_update_vanishing_at_every_depth(depth, capsys):
    fig = update_vanishing(depth=depth)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log" and "layer" in ax.get_xlabel() and ax.get_title()
    sig, relu = (line.get_ydata() for line in ax.lines[:2])
    assert len(sig) == len(relu) == depth
    assert f"depth {depth}:" in capsys.readouterr().out


# --- the Chinese edition: every word from the catalog (bplib/words/training.py) ---

KEPT = {"ReLU", "Relu", "relu", "Sigmoid", "sigmoid", "exp"}  # names of layers and functions


def _english_words(texts):
    """Words of four or more Latin letters in ``texts`` that are not names kept in Chinese."""
    return {w for text in texts for w in re.findall(r"[A-Za-z]{4,}", text)} - KEPT


def _column(line, text):
    """The display column where ``text`` starts in ``line``, a Chinese character counting as two."""
    return display_width(line[: line.index(text)])


def test_update_relu_in_chinese(chinese, capsys):
    texts = _texts(update_relu(x=-1.0, dout=1.5))
    assert say("switch off: the gradient stops") in texts and "switch off: the gradient stops" not in texts
    assert "开关关闭" in say("switch off: the gradient stops")
    out = capsys.readouterr().out
    switch = say("switch off")
    assert (
        out
        == say(
            "x = {x:.2f} -> y = {y:.2f}; upstream {dout:.2f} -> dx = {dx:.2f} ({switch})",
            x=-1.0,
            y=0.0,
            dout=1.5,
            dx=0.0,
            switch=switch,
        )
        + "\n"
    )
    assert out == "x = -1.00 -> y = 0.00；上游 1.50 -> dx = 0.00（开关关闭）\n"
    texts = _texts(update_relu(x=2.0, dout=1.5))
    assert say("switch on: the gradient passes") in texts and "开关打开" in capsys.readouterr().out
    assert not _english_words(texts)


@pytest.mark.parametrize("step", [2, 4])
def test_update_sigmoid_in_chinese(chinese, capsys, step):
    fig = update_sigmoid(x=-0.5, dout=1.5, step=step)
    texts = _texts(fig)
    assert say("Sigmoid as four nodes: backward step {step} of 4", step=step) in texts
    assert f"Sigmoid as four nodes: backward step {step} of 4" not in texts
    if step == 4:
        assert say("what reaches x: dL/dy · y² · exp(−x) = {value}", value="+0.3525") in texts
    else:
        assert "传到 x 的梯度：dL/dy · y² · exp(−x) = ？（第 4 步之后才知道）" in texts
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == say(
        "x = {x:.2f}, y = {y:.4f}, upstream dL/dy = {dout:.2f}", x=-0.5, y=1 / (1 + np.exp(0.5)), dout=1.5
    )
    rows = lines[1:5]
    assert [row.split()[:3] for row in rows] == [["第", str(k), "步"] for k in range(1, 5)]
    assert sum(say("(not yet)") in row for row in rows) == 4 - step
    assert "（" in say("(not yet)") and say("passes on") in rows[1]
    assert say("passes on") == "原样传递"
    # the rule and the value start in the same column in every row, as in English
    rules = ["× (−y²)", say("passes on"), "× exp(−x)", "× (−1)"]
    assert len({_column(row, rule) for row, rule in zip(rows, rules, strict=True)}) == 1
    assert len({_column(row, row.split()[-1]) for row in rows}) == 1
    if step == 4:
        assert lines[5] == say(
            "what reaches x: dL/dy · y² · exp(−x) = {value:+.4f}", value=sigmoid_steps(-0.5, 1.5).step4
        )
        assert lines[5].startswith("传到 x 的梯度")
    assert not _english_words(texts + lines)


def test_sigmoid_and_relu_nodes_in_chinese(chinese):
    assert say('The same, as one "sigmoid" node') in _texts(sigmoid_node_figure(x=-0.5, dout=1.5))
    assert (
        sigmoid_node_graph().title
        == say('The same, as one "sigmoid" node')
        != 'The same, as one "sigmoid" node'
    )
    assert relu_graph().title == say("ReLU node") == "ReLU 节点"


def test_activation_curves_in_chinese(chinese):
    left, right = activation_curves().axes
    assert left.get_title() == say("Sigmoid and its gradient") != "Sigmoid and its gradient"
    assert right.get_title() == say("ReLU and its gradient") != "ReLU and its gradient"
    assert left.get_ylabel() == right.get_ylabel() == say("output / gradient") == "输出 / 梯度"
    assert say("0.25 at x = 0") in [t.get_text() for t in left.texts]
    assert say("gradient (0 at x = 0)") in [t.get_text() for t in right.texts]
    assert not _english_words(_texts(left.figure))


def test_update_vanishing_in_chinese(chinese, capsys):
    fig = update_vanishing(depth=8)
    (ax,) = fig.axes
    assert (
        ax.get_title()
        == say("Gradient reaching each layer, depth {depth}", depth=8)
        == "传到每一层的梯度（共 8 层）"
    )
    assert ax.get_xlabel() == say("layer (1 = next to the data)") and ax.get_ylabel() == say(
        "mean |gradient|"
    )
    texts = [t.get_text() for t in ax.get_legend().get_texts()]  # a key: the curves' names
    assert texts == [say("ReLU layers"), say("Sigmoid layers")] == ["ReLU 层", "Sigmoid 层"]
    out = capsys.readouterr().out
    sig, relu = stacked_gradients(8, "sigmoid")[0], stacked_gradients(8, "relu")[0]
    assert (
        out
        == say(
            "depth {depth}: mean |gradient| at layer 1 is {sigmoid:.2e} (sigmoid) vs {relu:.2e} (ReLU)",
            depth=8,
            sigmoid=sig,
            relu=relu,
        )
        + "\n"
    )
    assert "sigmoid 为 7.94e-06，ReLU 为 1.71e+00" in out and "depth" not in out
    assert not _english_words(_texts(fig) + [out])


def test_update_sigmoid_prints_the_english_edition_character_for_character(capsys):
    update_sigmoid(x=-0.5, dout=1.5, step=4)
    assert capsys.readouterr().out == (
        "x = -0.50, y = 0.3775, upstream dL/dy = 1.50\n"
        'step 1 "/"     × (−y²)     -0.2138\n'
        'step 2 "+1"    passes on   -0.2138\n'
        'step 3 "exp"   × exp(−x)   -0.3525\n'
        'step 4 "×(−1)" × (−1)      +0.3525\n'
        "what reaches x: dL/dy · y² · exp(−x) = +0.3525\n"
    )
    update_relu(x=2.0, dout=1.5)
    assert capsys.readouterr().out == "x = 2.00 -> y = 2.00; upstream 1.50 -> dx = 1.50 (switch on)\n"


def test_the_sigmoid_pictures_words_count_the_four_steps_as_its_title_does():
    for step in range(4):
        words = repr(update_sigmoid(x=1.0, dout=1.0, step=step))
        assert f"backward step {step} of 4" in words or "backward not started" in words
        assert f"Backward from 1: {step} of 4 steps done, x has no gradient yet." in words
        assert "of 5" not in words  # the graph kit's own count includes dL/dy's arrival
    assert "the gradients at the inputs are x 0.1966." in repr(update_sigmoid(x=1.0, dout=1.0, step=4))


def test_the_vanishing_picture_keys_each_curve_by_its_marker():
    (ax,) = update_vanishing(depth=15).axes
    legend = ax.get_legend()
    markers = {
        t.get_text(): h.get_marker() for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    sig, relu = ax.lines[:2]
    assert markers == {"Sigmoid layers": sig.get_marker(), "ReLU layers": relu.get_marker()}
    assert sig.get_marker() != relu.get_marker()


def test_the_vanishing_pictures_words_end_as_a_chinese_sentence(chinese):
    words = repr(update_vanishing(depth=8))
    assert words.endswith("ReLU 为 1.71e+00。") and ". " not in words
