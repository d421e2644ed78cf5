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
    """A learner's stub is a plain class with forward and backward (and __init__): no private helper."""
    import inspect

    from bplib.chapters import solutions

    assert "self._" not in inspect.getsource(solutions)
    for layer in (SubLayer, CubeLayer, DivLayer):
        assert [name for name in vars(layer) if not name.startswith("__")] == ["forward", "backward"]


# exercise -> (notebook, the given methods the solution keeps as they are)
EXERCISES = {
    SubLayer: ("01_computational_graph.ipynb", ["forward"]),
    CubeLayer: ("02_chain_rule.ipynb", ["__init__", "forward"]),
    DivLayer: ("03_node_backprop.ipynb", ["__init__", "forward"]),
}


def _methods(source, cls):
    """{method name: its AST dump without docstrings} of class ``cls`` in ``source``."""
    import ast

    node = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ClassDef) and n.name == cls)
    return {
        f.name: ast.dump(ast.Module(body=f.body, type_ignores=[]))
        for f in node.body
        if isinstance(f, ast.FunctionDef)
    }


@pytest.mark.parametrize("layer", EXERCISES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("edition", ["", "zh"])
def test_each_solution_is_its_stub_with_backward_written(layer, edition):
    """The stub gives forward (the learner writes only backward), and the solution shown after it
    keeps that forward as it is: the exercise asks for the backward, not for a different forward."""
    import inspect
    import json
    from pathlib import Path

    name, given = EXERCISES[layer]
    path = Path(__file__).resolve().parent.parent / "notebooks" / edition / name
    cells = ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]
    stub = next(c for c in cells if c.startswith(f"class {layer.__name__}"))
    stub_methods, solution_methods = (
        _methods(stub, layer.__name__),
        _methods(inspect.getsource(layer), layer.__name__),
    )
    assert sorted(stub_methods) == sorted(solution_methods) == sorted([*given, "backward"])
    for method in given:
        assert stub_methods[method] == solution_methods[method], f"{path.name}: {layer.__name__}.{method}"
    namespace = {}
    exec(stub, namespace)  # the stub as the learner first runs it: backward not written yet
    learner = namespace[layer.__name__]()
    assert check_layer(learner, *[np.ones(2)] * (2 if layer is not CubeLayer else 1), verbose=False).note


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
