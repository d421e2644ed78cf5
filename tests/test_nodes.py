"""The elementary graph nodes: each passes check_layer and refuses bad input clearly."""

import numpy as np
import pytest

from bplib import check_layer
from bplib.viz.nodes import (
    DotLayer,
    ExpLayer,
    LogLayer,
    ReciprocalLayer,
    ScaleLayer,
    ShiftLayer,
    SquareLayer,
    SumLayer,
)

rng = np.random.default_rng(3)
X = rng.standard_normal((2, 3))
POS = rng.uniform(0.5, 2.0, (2, 3))  # for 1/x and log

CASES = [
    (SquareLayer, (X,)),
    (ExpLayer, (X,)),
    (ReciprocalLayer, (POS,)),
    (LogLayer, (POS,)),
    (lambda: ScaleLayer(-1.5), (X,)),
    (lambda: ShiftLayer(1), (X,)),
    (SumLayer, (X, POS, X * 2)),
    (DotLayer, (rng.standard_normal((4, 2)), rng.standard_normal((2, 3)))),
    (DotLayer, (rng.standard_normal(2), rng.standard_normal((2, 3)))),
]


@pytest.mark.parametrize("make, inputs", CASES)
def test_every_node_passes_check_layer(make, inputs):
    result = check_layer(make(), *inputs, verbose=False)
    assert result.passed, result.table()


@pytest.mark.parametrize("make, inputs", CASES)
def test_nodes_leave_their_inputs_alone_and_grads_have_input_shapes(make, inputs):
    copies = [np.array(x, copy=True) for x in inputs]
    layer = make()
    out = layer.forward(*inputs)
    grads = layer.backward(np.ones(np.shape(out)))
    grads = grads if isinstance(grads, tuple) else (grads,)
    assert [np.shape(g) for g in grads] == [np.shape(x) for x in inputs]
    for x, c in zip(inputs, copies, strict=True):
        np.testing.assert_array_equal(x, c)


def test_scalar_values_match_the_book():
    sq = SquareLayer()
    assert sq.forward(3.0) == 9.0 and sq.backward(1.0) == 6.0  # local derivative 2x
    rec = ReciprocalLayer()
    assert rec.forward(4.0) == 0.25 and rec.backward(1.0) == -0.0625  # -y²
    ex = ExpLayer()
    assert ex.forward(0.0) == 1.0 and ex.backward(2.0) == 2.0
    sc = ScaleLayer(1.1)
    assert sc.forward(200) == pytest.approx(220) and sc.backward(1.0) == 1.1
    assert SumLayer().forward(1, 2, 3) == 6


def test_bad_input_gives_a_clear_error():
    with pytest.raises(ValueError, match="1/0"):
        ReciprocalLayer().forward(np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="> 0"):
        LogLayer().forward(np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="overflows"):
        ExpLayer().forward(1000.0)
    with pytest.raises(ValueError, match="cannot multiply"):
        DotLayer().forward(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="one shape"):
        SumLayer().forward(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="constant"):
        ScaleLayer("2")
    with pytest.raises(RuntimeError, match="before forward"):
        SquareLayer().backward(1.0)
    layer = ExpLayer()
    layer.forward(np.ones(3))
    with pytest.raises(ValueError, match="shape"):
        layer.backward(np.ones(2))


def test_bad_input_is_refused_in_chinese(chinese):
    with pytest.raises(ValueError, match="^ReciprocalLayer：输入中含有 0，而 1/0 没有定义$"):
        ReciprocalLayer().forward(np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="^LogLayer：log 要求每个输入都 > 0$"):
        LogLayer().forward(np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"^DotLayer：形状为 \(2, 3\) 的 X 无法与形状为 \(2, 3\) 的 W 相乘$"):
        DotLayer().forward(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(RuntimeError, match=r"^SquareLayer\.backward 在 forward 之前被调用了"):
        SquareLayer().backward(1.0)
