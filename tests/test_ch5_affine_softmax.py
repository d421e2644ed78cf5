"""Chapter 5's update functions: the numbers they compute, every slider position, the figures."""

import re

import numpy as np
import pytest

from bplib import Affine, softmax
from bplib.chapters.book_graphs import softmax_with_loss_graph
from bplib.chapters.ch5_affine_softmax import (
    AFFINE_DY,
    AFFINE_W,
    AFFINE_X,
    affine_index_lines,
    affine_shape_lines,
    signed,
    softmax_graph_figure,
    update_affine_index,
    update_affine_shapes,
    update_softmax_loss,
)
from bplib.viz.graph import fmt, fmt_shape
from bplib.words import display_width, say


def _texts(fig):
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + [t.get_text() for t in ax.texts]
    return [text for text in found if text]  # a number not shown yet is an empty text


def test_signed_never_prints_minus_zero():
    assert [signed(v) for v in (0.3, -0.8, -1e-9, 0.0, -0.0)] == ["+0.300", "-0.800", "+0.000"] + [
        "+0.000"
    ] * 2


def test_affine_shape_lines_make_the_shapes_fit():
    lines = affine_shape_lines(5, 2, 3)
    assert "(5, 2)·(2, 3) + (3,) -> (5, 3)" in lines[0]
    assert "(5, 3)·(3, 2) -> (5, 2), the shape of X" in lines[1]
    assert "(2, 5)·(5, 3) -> (2, 3), the shape of W" in lines[2]
    assert "-> (3,), the shape of B" in lines[3]


@pytest.mark.parametrize("n,d,m", [(1, 1, 1), (4, 2, 3), (10, 8, 10), (3, 3, 3)])
def test_update_affine_shapes_draws_each_array_as_a_block_of_its_shape(n, d, m, capsys):
    fig = update_affine_shapes(N=n, input_size=d, output_size=m)
    texts = _texts(fig)
    assert "Affine's backward pass: each array drawn as a block of its shape" in texts  # drawn once
    assert repr(fig).startswith(f"Affine shapes: N = {n}, input size {d}, output size {m}:")  # its words
    arrays = {"dY": (n, m), "Wᵀ": (m, d), "dX": (n, d), "Xᵀ": (d, n), "dW": (d, m), "dB": (m,)}
    for name, shape in arrays.items():
        assert f"{name} {fmt_shape(shape)}" in texts
    (ax,) = fig.axes
    blocks = [(round(p.get_width()), round(p.get_height())) for p in ax.patches]  # (columns, rows)
    wanted = [(m, n), (d, m), (d, n), (n, d), (m, n), (m, d), (m, n), (m, 1)]  # dY·Wᵀ=dX, Xᵀ·dY=dW, dY->dB
    assert blocks == wanted
    (rows,) = ax.lines  # the lines between the N rows that dB adds up
    assert sorted({y for y in rows.get_ydata() if np.isfinite(y)}) == list(range(1 - n, 0))
    assert f"-> ({n}, {m})" in capsys.readouterr().out


@pytest.mark.parametrize("i", [1, 2])
@pytest.mark.parametrize("j", [1, 2, 3])
def test_update_affine_index_writes_the_layers_gradients_and_frames_entry_i_j(i, j, capsys):
    fig = update_affine_index(i=i, j=j)
    layer = Affine(AFFINE_W, np.zeros(3))
    layer.forward(AFFINE_X)
    dx = layer.backward(AFFINE_DY)
    dw_line, dx_line = capsys.readouterr().out.splitlines()
    assert dw_line.endswith(f"= {fmt(layer.dW[i - 1, j - 1])}") and dx_line.endswith(f"= {fmt(dx[i - 1])}")
    assert [dw_line, dx_line] == affine_index_lines(i, j) and {dw_line, dx_line} <= set(_texts(fig))
    (ax,) = fig.axes
    entry = next(p for p in ax.patches if p.get_animated())  # the first frame: around entry (i, j) of dW
    inside = [
        t.get_text()
        for t in ax.texts
        if t.get_text() and entry.contains_point(ax.transData.transform(t.get_position()))
    ]
    assert inside == [fmt(layer.dW[i - 1, j - 1])]


def test_affine_index_lines_at_the_chapters_example():
    assert affine_index_lines(1, 2) == [
        "∂L/∂W₁₂ = X₁ · ∂L/∂Y₂ = 1 × (-1) = -1",
        "∂L/∂X₁ = Σⱼ W₁ⱼ · ∂L/∂Yⱼ = 1·1 + 3·(-1) + 5·0.5 = 0.5",
    ]


def test_update_affine_index_refuses_an_entry_outside_w():
    for i, j in [(0, 1), (3, 1), (1, 0), (1, 4)]:
        with pytest.raises(ValueError, match="i must be 1 or 2 and j 1, 2 or 3"):
            update_affine_index(i=i, j=j)


def test_update_affine_shapes_refuses_zero_sizes():
    with pytest.raises(ValueError, match="sizes"):
        update_affine_shapes(N=0)


def test_update_softmax_loss_bars_are_y_t_and_y_minus_t(capsys):
    fig = update_softmax_loss(a1=0.3, a2=2.9, a3=4.0, true_class=3)
    (ax,) = fig.axes
    y = softmax(np.array([0.3, 2.9, 4.0]))
    heights = [p.get_height() for p in ax.patches]
    assert np.allclose(heights[0:3], y)
    assert heights[3:6] == [0.0, 0.0, 1.0]
    assert np.allclose(heights[6:9], y - [0, 0, 1])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["class 1", "class 2", "class 3"]
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("a")] == [
        "a1 = 0.3",
        "a2 = 2.9",
        "a3 = 4.0",
    ]
    loss = -np.log(y[2])
    assert f"loss L = {loss:.3f}" in ax.get_title() and ax.get_ylabel() == "probability / gradient"
    assert f"loss  = {loss:.4f}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "a", [(-10.0, -10.0, -10.0), (10.0, -10.0, -10.0), (-10.0, 10.0, 10.0), (10.0, 10.0, 10.0)]
)
@pytest.mark.parametrize("true_class", [1, 2, 3])
def test_update_softmax_loss_stays_finite_at_the_slider_ends(a, true_class, capsys):
    fig = update_softmax_loss(a1=a[0], a2=a[1], a3=a[2], true_class=true_class)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert np.all(np.isfinite(heights))
    out = capsys.readouterr().out
    assert "nan" not in out and "inf" not in out


def test_update_softmax_loss_refuses_a_class_outside_1_to_3():
    with pytest.raises(ValueError, match="true_class"):
        update_softmax_loss(true_class=0)


def test_softmax_graph_figure_ends_at_y_minus_t(capsys):
    fig = softmax_graph_figure(a1=0.3, a2=2.9, a3=4.0, true_class=3)
    assert "Softmax-with-Loss, true class 3: backward step 17 of 17" in _texts(fig)
    out = capsys.readouterr().out
    assert "y − t = +0.0182  +0.2452  -0.2634" in out and "loss L = 0.3057" in out


def test_softmax_graph_figure_describes_each_step(capsys):
    fig = softmax_graph_figure(step=3)
    assert "Softmax-with-Loss, true class 3: backward step 3 of 17" in _texts(fig)
    step, _ = capsys.readouterr().out.splitlines()
    assert step == softmax_with_loss_graph().describe_step(3)  # the graph's own words for step 3
    assert step.startswith("step 3: the '+' node gets -1")


def test_softmax_graph_figure_refuses_bad_input():
    with pytest.raises(ValueError, match="step"):
        softmax_graph_figure(step=18)
    with pytest.raises(ValueError, match="true_class"):
        softmax_graph_figure(true_class=4)


@pytest.mark.parametrize("a", [(-10.0, -10.0, -10.0), (10.0, -10.0, 10.0)])
@pytest.mark.parametrize("step", [0, 1, 8, 17, None])
def test_softmax_graph_figure_at_the_slider_ends(a, step):
    softmax_graph_figure(a1=a[0], a2=a[1], a3=a[2], true_class=2, step=step)


def test_the_english_printouts_are_the_english_editions(capsys):
    update_softmax_loss(a1=0.3, a2=2.9, a3=4.0, true_class=2)
    assert capsys.readouterr().out == (
        "y     = +0.018  +0.245  +0.737\n"
        "t     = +0.000  +1.000  +0.000\n"
        "y − t = +0.018  -0.755  +0.737\n"
        "loss  = 1.4057\n"
    )
    assert affine_shape_lines(5, 2, 3) == [
        "forward   Y = X·W + B   (5, 2)·(2, 3) + (3,) -> (5, 3)",
        "backward  dX = dY·Wᵀ    (5, 3)·(3, 2) -> (5, 2), the shape of X",
        "          dW = Xᵀ·dY    (2, 5)·(5, 3) -> (2, 3), the shape of W",
        "          dB = Σ rows   (5, 3) summed over axis 0 -> (3,), the shape of B",
    ]


# --- the Chinese edition: every word from the catalog (bplib/words/training.py) ---

KEPT = {"Softmax", "with", "Loss", "Affine"}  # names of layers


def _english_words(texts):
    """Words of four or more Latin letters in ``texts`` that are not names kept in Chinese."""
    return {w for text in texts for w in re.findall(r"[A-Za-z]{4,}", text)} - KEPT


def test_update_softmax_loss_in_chinese(chinese, capsys):
    fig = update_softmax_loss(a1=0.3, a2=2.9, a3=4.0, true_class=2)
    (ax,) = fig.axes
    loss = -np.log(softmax(np.array([0.3, 2.9, 4.0]))[1])
    assert ax.get_title() == say("Softmax-with-Loss: true class {k}, loss L = {loss:.3f}", k=2, loss=loss)
    assert ax.get_title() == "Softmax-with-Loss：正确类别 2，损失 L = 1.406"
    assert ax.get_xlabel() == say("class k (its score a_k)") and ax.get_ylabel() == say(
        "probability / gradient"
    )
    assert ax.get_ylabel() == "概率 / 梯度"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [say("class {k}", k=k) for k in (1, 2, 3)] and ticks[0] == "类别 1"
    lines = capsys.readouterr().out.splitlines()
    assert lines[3] == say("loss  = {loss:.4f}", loss=loss) == "损失  = 1.4057"
    assert len({display_width(line[: line.index("=")]) for line in lines}) == 1  # the "=" signs line up
    assert not _english_words(_texts(fig) + ticks + lines)


def test_affine_shapes_in_chinese(chinese, capsys):
    lines = affine_shape_lines(5, 2, 3)
    assert lines[0] == say(
        "forward   Y = X·W + B   {x}·{w} + {b} -> {y}", x="(5, 2)", w="(2, 3)", b="(3,)", y="(5, 3)"
    )
    assert lines[0].startswith("正向传播") and lines[1].startswith("反向传播")
    assert "-> (5, 3)" in lines[0]  # what the notebook checks, in both editions
    assert lines[1].endswith("(5, 2)，即 X 的形状") and lines[3].endswith("(3,)，即 B 的形状")
    # the formulas and the shapes start in the same columns in every line, as in English
    assert {display_width(line[: re.search(r"\S+ = ", line).start()]) for line in lines} == {10}
    assert {display_width(line[: line.index("(")]) for line in lines} == {24}
    fig = update_affine_shapes(N=4, input_size=2, output_size=3)
    assert repr(fig).startswith(say("Affine shapes: N = {n}, input size {d}, output size {m}", n=4, d=2, m=3))
    assert repr(fig).startswith("Affine 层的形状：N = 4，输入大小 2，输出大小 3")
    assert capsys.readouterr().out.splitlines() == affine_shape_lines(4, 2, 3)
    assert not _english_words(lines + _texts(fig))


def test_softmax_graph_figure_in_chinese(chinese, capsys):
    texts = _texts(softmax_graph_figure(a1=0.3, a2=2.9, a3=4.0, true_class=3))
    assert say("Softmax-with-Loss, true class {k}: backward step {step} of {n}", k=3, step=17, n=17) in texts
    assert "Softmax-with-Loss，正确类别 3：反向传播第 17 步（共 17 步）" in texts
    done, loss = capsys.readouterr().out.splitlines()
    assert done == say(
        "step {n}: backward done; the gradients reaching a1, a2, a3 are y − t = {grads}",
        n=17,
        grads="+0.0182  +0.2452  -0.2634",
    )
    assert done.startswith("第 17 步：反向传播完成")
    assert loss == say("loss L = {loss:.4f}", loss=0.30573) == "损失 L = 0.3057"
    texts = _texts(softmax_graph_figure(step=3))
    assert say("Softmax-with-Loss, true class {k}: backward step {step} of {n}", k=3, step=3, n=17) in texts
    assert capsys.readouterr().out.splitlines()[-1] == "损失 L = 0.3057"


def test_affine_index_in_chinese(chinese, capsys):
    fig = update_affine_index(i=2, j=3)
    texts = _texts(fig)
    assert "∂L/∂W：第 (i, j) 个元素是 Xᵢ · ∂L/∂Yⱼ" in texts
    assert capsys.readouterr().out.splitlines() == affine_index_lines(2, 3)
    assert repr(fig).startswith("逐个元素计算 Affine 层的梯度")
    assert not _english_words(texts + [repr(fig)])
