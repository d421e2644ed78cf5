"""The reference solutions of chapters 1-3 (SubLayer, CubeLayer, DivLayer) pass the gradient
check, give the numbers the notebooks quote, and a stub that is not written yet reports so."""

import numpy as np
import pytest

from bplib import Layer, check_layer
from bplib.chapters.solutions import CubeLayer, DivLayer, SubLayer
from bplib.viz.graph import Graph

RNG = np.random.default_rng(13)


@pytest.mark.parametrize("shape", [(), (3,), (2, 4)])
def test_solutions_pass_check_layer_with_the_exercises_function(shape):
    x, y = RNG.standard_normal(shape), RNG.uniform(0.5, 2.0, shape)
    for layer, inputs, expect in [
        (SubLayer(), (x, y), lambda x, y: x - y),
        (CubeLayer(), (x,), lambda x: x**3),
        (DivLayer(), (x, y), lambda x, y: x / y),
    ]:
        result = check_layer(layer, *inputs, expect=expect, verbose=False)
        assert result.passed, (type(layer).__name__, result.table())


def test_sub_layer_coupon():
    layer = SubLayer()
    assert layer.forward(220.0, 20.0) == 200.0
    assert layer.backward(1.0) == (1.0, -1.0)


def test_cube_layer_in_a_graph_gives_three_x_plus_y_squared():
    g = Graph("z = (x + y)³")
    g.input("x", 1.0)
    g.input("y", 2.0)
    g.op("+", "x", "y", name="t")
    g.op(CubeLayer(), "t", label="**3", name="z")
    g.run()
    assert g.value("z") == 27.0 and g.grad("x") == 27.0 and g.grad("y") == 27.0  # 3(x + y)²


def test_div_layer_split_bill():
    layer = DivLayer()
    assert layer.forward(660.0, 3.0) == 220.0
    dx, dy = layer.backward(1.0)
    assert dx == pytest.approx(1 / 3) and dy == pytest.approx(-660 / 9)


def test_solutions_use_only_what_their_stubs_have():
    """A learner's stub subclasses Layer and writes forward and backward: no private helper."""
    import inspect

    from bplib.chapters import solutions

    assert "self._" not in inspect.getsource(solutions)
    for layer in (SubLayer, CubeLayer, DivLayer):
        assert [name for name in vars(layer) if not name.startswith("__")] == ["forward", "backward"]


class Stub(Layer):
    """What a notebook hands the learner: backward not written yet."""

    def forward(self, x, y):
        return x - y

    def backward(self, dout):
        raise NotImplementedError("your code here")


def test_a_stub_reports_not_written_yet(capsys):
    result = check_layer(Stub(), np.ones(3), np.ones(3))
    assert not result.passed
    assert capsys.readouterr().out == "check_layer(Stub)\nFAIL: not written yet: your code here\n"
