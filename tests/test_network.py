"""TwoLayerNet: gradients agree, the book's loop works, params stay bound to layers."""

import numpy as np
import pytest

from bplib import TwoLayerNet, relative_error


def _net(**kw):
    kw = {"weight_init_std": 1.0, "dtype": np.float64, "seed": 0} | kw
    return TwoLayerNet(6, 5, 3, **kw)


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_backprop_matches_numerical_gradient(activation):
    net = _net(activation=activation)
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((4, 6)), np.array([0, 1, 2, 1])
    grad, num = net.gradient(x, t), net.numerical_gradient(x, t)
    for key in ("W1", "b1", "W2", "b2"):
        assert relative_error(grad[key], num[key]) < 1e-7, key


def test_layers_in_order_and_parameter_count():
    net = TwoLayerNet(784, 50, 10)
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    assert sum(p.size for p in net.params.values()) == 39760
    assert net.params["W1"].dtype == np.float64  # the book's dtype
    assert TwoLayerNet(784, 50, 10, dtype=np.float32).params["W1"].dtype == np.float32


def test_the_books_training_loop_reduces_the_loss():
    net = _net(weight_init_std=0.1)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((20, 6))
    t = x[:, :3].argmax(axis=1)  # a rule the network can learn
    first = net.loss(x, t)
    for _ in range(200):
        grad = net.gradient(x, t)
        for key in ("W1", "b1", "W2", "b2"):
            net.params[key] -= 0.5 * grad[key]
    assert net.loss(x, t) < 0.5 * first
    assert net.accuracy(x, t) > 0.8


def test_pitfall6_rebinding_a_parameter_reaches_the_layer():
    net = _net()
    new = np.zeros((6, 5))
    net.params["W1"] = new
    assert net.layers["Affine1"].W is new
    np.testing.assert_allclose(net.predict(np.ones((1, 6))), net.predict(np.zeros((1, 6))))


def test_pitfall6_in_place_update_reaches_the_layer():
    net = _net()
    W2 = net.layers["Affine2"].W
    net.params["W2"] -= 1.0
    assert net.layers["Affine2"].W is W2


def test_rebinding_with_the_wrong_shape_is_refused_and_changes_nothing():
    net = _net()
    before = net.params["W1"].copy()
    with pytest.raises(ValueError, match=r"keep its shape \(6, 5\)"):
        net.params["W1"] = np.zeros((5, 6))
    np.testing.assert_array_equal(net.params["W1"], before)
    with pytest.raises(KeyError, match="no parameter"):
        net.params["W3"] = np.zeros(2)


def test_numerical_gradient_leaves_parameters_as_they_were():
    net = _net()
    before = {k: v.copy() for k, v in net.params.items()}
    W1 = net.params["W1"]
    net.numerical_gradient(np.ones((2, 6)), [0, 1])
    assert net.params["W1"] is W1
    for k in before:
        np.testing.assert_array_equal(net.params[k], before[k])


def test_accuracy_accepts_labels_and_one_hot():
    net = _net()
    x, t = np.random.default_rng(3).standard_normal((10, 6)), np.arange(10) % 3
    assert net.accuracy(x, t) == net.accuracy(x, np.eye(3)[t])


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="hidden_size"):
        TwoLayerNet(4, 0, 2)
    with pytest.raises(ValueError, match="activation"):
        TwoLayerNet(4, 3, 2, activation="tanh")
    with pytest.raises(ValueError, match="width 5"):
        _net().predict(np.ones((2, 5)))


def test_the_networks_errors_in_chinese(chinese):
    net = _net()
    with pytest.raises(
        ValueError, match=r"^params\['W1'\] 必须保持形状 \(6, 5\)，但传入值的形状是 \(5, 6\)$"
    ):
        net.params["W1"] = np.zeros((5, 6))
    with pytest.raises(KeyError, match="没有名为 'W3' 的参数"):
        net.params["W3"] = np.zeros(2)
    with pytest.raises(TypeError, match="^不能从网络中删除参数$"):
        del net.params["W1"]
    with pytest.raises(ValueError, match="^TwoLayerNet：hidden_size 必须是正整数，但传入的是 0$"):
        TwoLayerNet(4, 0, 2)
    with pytest.raises(ValueError, match="^TwoLayerNet：activation 必须是 'relu' 或 'sigmoid'"):
        TwoLayerNet(4, 3, 2, activation="tanh")
    with pytest.raises(ValueError, match="^accuracy：x 有 2 行，t 有 3 个标签"):
        net.accuracy(np.ones((2, 6)), [0, 1, 2])
