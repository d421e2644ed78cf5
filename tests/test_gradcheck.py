"""numerical_gradient, relative_error and check_layer (the wrong layers it catches: test_wrong_layers.py)."""

import numpy as np
import pytest

from bplib import Layer, Relu, check_layer, numerical_gradient, relative_error


def test_pitfall5_integer_array_is_refused_by_name_and_left_alone():
    x = np.array([1, 2])
    with pytest.raises(ValueError, match="dtype int64, which cannot hold x \\+ h"):
        numerical_gradient(lambda v: np.sum(v**2), x)
    assert x.tolist() == [1, 2] and x.dtype == np.int64


def test_numbers_and_lists_of_integers_give_the_right_gradient():
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**2), [1, 2]), [2.0, 4.0], rtol=1e-9)
    assert numerical_gradient(lambda v: float(v) ** 3, 2) == pytest.approx(12.0, rel=1e-8)


def test_the_books_idiom_sees_the_array_change_in_place():
    """The book's network passes a loss that ignores its argument: lambda W: net.loss(x, t)."""
    W = np.array([[1.0, -2.0], [0.5, 3.0]])
    x = np.array([2.0, 1.0])
    grad = numerical_gradient(lambda _: float(np.sum((x @ W) ** 2)), W)
    np.testing.assert_allclose(grad, 2 * np.outer(x, x @ W), rtol=1e-8)


def test_caller_array_is_restored_bit_for_bit():
    x = np.array([0.1, -0.0, 1e-300, 3.0, np.pi])
    before = x.tobytes()
    numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    assert x.tobytes() == before


def test_caller_array_is_restored_when_f_raises():
    x = np.array([[0.1, 0.2], [0.3, 0.4]])
    before = x.tobytes()
    calls = []

    def f(v):
        calls.append(v[0, 1])
        if len(calls) == 3:  # on element (0, 1), while it is nudged up
            raise ArithmeticError("f broke")
        return float(np.sum(v))

    with pytest.raises(ArithmeticError, match="f broke"):
        numerical_gradient(f, x)
    assert calls[2] != 0.2 and x.tobytes() == before


def test_read_only_array_is_refused_by_name():
    x = np.ones(3)
    x.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        numerical_gradient(np.sum, x)


def test_float32_agrees_with_backprop_to_the_stated_tolerance():
    """The docstring's promise: on a float32 two-layer network, mean |difference| < 1e-4."""
    from bplib import TwoLayerNet

    rng = np.random.default_rng(0)
    x, t = rng.random((3, 784)).astype(np.float32), np.array([1, 2, 3])
    net = TwoLayerNet(784, 50, 10, dtype=np.float32, seed=1)
    exact = TwoLayerNet(784, 50, 10, seed=1).gradient(x.astype(np.float64), t)
    for key in ("b1", "W2", "b2"):
        grad = numerical_gradient(lambda W: net.loss(x, t), net.params[key])
        assert grad.dtype == np.float32
        assert np.mean(np.abs(grad - exact[key])) < 1e-4, key
    smooth = rng.standard_normal(20).astype(np.float32)
    grad = numerical_gradient(lambda v: np.sum(v**2), smooth)
    assert relative_error(grad, 2 * smooth) < 1e-3


def test_numerical_gradient_refuses_non_scalar_f():
    with pytest.raises(ValueError, match="one number"):
        numerical_gradient(lambda v: v * 2, np.ones(2))


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0, 0.0], [1.1, 0.0]) == pytest.approx(0.1 / 2.1)
    with pytest.raises(ValueError, match="shapes"):
        relative_error([1.0], [1.0, 2.0])


class WrongRelu(Layer):
    """A learner's mistake: the gradient should be masked, but is passed through."""

    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout


def test_check_layer_catches_a_wrong_backward(capsys):
    x = np.array([[1.0, -2.0], [3.0, -4.0]])
    result = check_layer(WrongRelu(), x)
    assert not result.passed
    assert "FAIL" in capsys.readouterr().out
    assert check_layer(Relu(), x, verbose=False).passed


def test_check_layer_reports_a_stub_not_yet_written(capsys):
    class Stub(Layer):
        def forward(self, x):
            return x

        def backward(self, dout):
            raise NotImplementedError("your code here")

    result = check_layer(Stub(), [1.0])
    assert not result.passed and "not written yet" in capsys.readouterr().out


def test_check_layer_leaves_float32_parameters_as_they_were():
    from bplib import Affine

    W = np.ones((2, 3), np.float32)
    layer = Affine(W, np.zeros(3, np.float32))
    assert check_layer(layer, np.ones((1, 2)), verbose=False).passed
    assert layer.W is W and layer.W.dtype == np.float32 and layer.b.dtype == np.float32


# --- check_layer: what it prints, in both languages ------------------------------------------


class HalfDiv(Layer):
    """A division whose backward forgets dy (the learner's first attempt)."""

    def forward(self, x, y):
        self.y = y
        return x / y

    def backward(self, dout):
        return dout / self.y


def _div_inputs():
    rng = np.random.default_rng(2)
    return rng.standard_normal((2, 3)), rng.uniform(0.5, 2.0, (2, 3))


def test_check_layer_prints_a_short_table(capsys):
    from bplib.chapters.solutions import DivLayer

    result = check_layer(DivLayer(), *_div_inputs(), expect=lambda x, y: x / y)
    lines = capsys.readouterr().out.splitlines()
    assert result.passed and result.problems == [] and list(result.errors) == ["forward", "dx", "dy"]
    assert lines[:2] == ["check_layer(DivLayer)", "checked    relative error  result   (tolerance 1e-07)"]
    assert [line.split()[0] for line in lines[2:]] == ["forward", "dx", "dy"]
    assert all(line.endswith("  PASS") and len(line) == 31 for line in lines[2:])


def test_check_layer_fail_printout(capsys):
    result = check_layer(HalfDiv(), *_div_inputs(), expect=lambda x, y: x / y)
    assert not result.passed
    out = capsys.readouterr().out.splitlines()
    assert out[2].startswith("forward") and out[2].endswith("PASS")
    assert out[4] == "dy                      -  FAIL"
    assert out[5:] == ["FAIL: backward returned no gradient for y: it must return one per input, (dx, dy)"]


def test_check_layer_in_chinese(chinese, capsys):
    result = check_layer(HalfDiv(), *_div_inputs(), expect=lambda x, y: x / y)
    assert not result.passed
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "检查项           相对误差  结果     （容许误差 1e-07）"
    assert lines[2].startswith("正向传播  ") and lines[2].endswith("  通过")
    assert lines[4] == "dy                      -  未通过"
    assert lines[5] == "未通过：backward 没有返回 y 的梯度：每个输入都要有一个梯度，即 (dx, dy)"
    assert result.problems == ["backward 没有返回 y 的梯度：每个输入都要有一个梯度，即 (dx, dy)"]


def test_check_layer_reports_any_other_error_in_one_line(capsys):
    class Broken(Layer):
        def forward(self, x):
            return x @ np.ones((5, 1))  # the wrong width

    result = check_layer(Broken(), np.ones((2, 3)))
    out = capsys.readouterr().out.splitlines()
    assert not result.passed and len(out) == 2
    assert out[1].startswith("FAIL: forward raised ValueError: matmul")


def test_a_stub_whose_forward_is_not_written_yet_says_so(capsys):
    class Stub(Layer):
        def forward(self, x, y):
            raise NotImplementedError("your code here")

    result = check_layer(Stub(), np.ones(2), np.ones(2), expect=np.add)
    assert not result.passed and result.note == "your code here"
    assert capsys.readouterr().out == "check_layer(Stub)\nFAIL: not written yet: your code here\n"


def test_targets_may_be_several_and_get_no_gradient():
    class WeightedSquares(Layer):
        def forward(self, x, t, w):
            self.x, self.t, self.w = x, t, w
            return float(np.sum(w * (x - t) ** 2))

        def backward(self, dout=1.0):
            return dout * 2 * self.w * (self.x - self.t)

    rng = np.random.default_rng(4)
    x, t, w = rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), rng.uniform(1, 2, (3, 2))
    result = check_layer(WeightedSquares(), x, targets=(t, w), verbose=False)
    assert result.passed and list(result.errors) == ["dx"]


def test_check_layer_leaves_the_callers_arrays_and_layer_alone():
    from bplib import Affine

    rng = np.random.default_rng(5)
    W, b, x = rng.standard_normal((3, 2)), rng.standard_normal(2), rng.standard_normal((4, 3))
    copies = W.copy(), b.copy(), x.copy()
    layer = Affine(W, b)
    assert check_layer(layer, x, verbose=False).passed
    assert layer.W is W and layer.b is b
    for a, c in zip((W, b, x), copies, strict=True):
        assert a.tobytes() == c.tobytes()


def test_numerical_gradient_refusals_in_chinese(chinese):
    with pytest.raises(ValueError, match=r"^numerical_gradient：x 的 dtype 是 int64，存不下 x \+ h"):
        numerical_gradient(lambda v: np.sum(v**2), np.array([1, 2]))
    with pytest.raises(ValueError, match="^numerical_gradient：f 必须返回一个数"):
        numerical_gradient(lambda v: v * 2, np.ones(2))
