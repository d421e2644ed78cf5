"""The book's chapter-5 code, written the book's way, runs on bplib with only its imports changed.

A reader who keeps the book's scripts swaps `from common.layers import ...` (and the rest)
for `from bplib import ...`. These tests are written in that style, from the book's
description: a `params` dict of float64 arrays, an OrderedDict of layers built on those same
arrays, a `lastLayer`, `numerical_gradient` through `lambda W: self.loss(x, t)`, and the
update `params[key] -= lr * grad[key]`. They must reproduce the book's results.
"""

from collections import OrderedDict

import numpy as np
import pytest

# The only lines a reader changes: each of these was a `common.*`, `dataset.*` or ch05 import.
from bplib import (
    AddLayer,
    Affine,
    MulLayer,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
    TwoLayerNet,
    cross_entropy_error,
    load_mnist,
    numerical_gradient,
    sigmoid,
    softmax,
)


class BookTwoLayerNet:
    """The book's two-layer network, as a reader types it from chapter 5."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None):
        rng = rng or np.random.default_rng(0)
        self.params = {}
        self.params["W1"] = weight_init_std * rng.standard_normal((input_size, hidden_size))
        self.params["b1"] = np.zeros(hidden_size)
        self.params["W2"] = weight_init_std * rng.standard_normal((hidden_size, output_size))
        self.params["b2"] = np.zeros(output_size)

        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.lastLayer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        y = self.predict(x)
        return self.lastLayer.forward(y, t)

    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return np.sum(y == t) / float(x.shape[0])

    def numerical_gradient(self, x, t):
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 (the book's idiom: W is ignored)
        grads = {}
        for key in ("W1", "b1", "W2", "b2"):
            grads[key] = numerical_gradient(loss_W, self.params[key])
        return grads

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        grads = {}
        grads["W1"], grads["b1"] = self.layers["Affine1"].dW, self.layers["Affine1"].db
        grads["W2"], grads["b2"] = self.layers["Affine2"].dW, self.layers["Affine2"].db
        return grads


@pytest.fixture(scope="module")
def mnist():
    return load_mnist(normalize=True, one_hot_label=True)


def test_buy_apple():
    apple, apple_num, tax = 100, 2, 1.1
    mul_apple_layer, mul_tax_layer = MulLayer(), MulLayer()
    apple_price = mul_apple_layer.forward(apple, apple_num)
    price = mul_tax_layer.forward(apple_price, tax)
    dapple_price, dtax = mul_tax_layer.backward(1)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)
    # the book prints 220.00000000000003, 2.2, 110.00000000000001, 200
    assert price == 100 * 2 * 1.1 and int(price) == 220
    assert (dapple, dapple_num, dtax) == (1 * 1.1 * 2, 1 * 1.1 * 100, 200)
    assert dapple == pytest.approx(2.2) and dapple_num == pytest.approx(110)


def test_buy_apple_orange():
    apple, apple_num, orange, orange_num, tax = 100, 2, 150, 3, 1.1
    mul_apple_layer, mul_orange_layer = MulLayer(), MulLayer()
    add_apple_orange_layer, mul_tax_layer = AddLayer(), MulLayer()

    apple_price = mul_apple_layer.forward(apple, apple_num)
    orange_price = mul_orange_layer.forward(orange, orange_num)
    all_price = add_apple_orange_layer.forward(apple_price, orange_price)
    price = mul_tax_layer.forward(all_price, tax)

    dall_price, dtax = mul_tax_layer.backward(1)
    dapple_price, dorange_price = add_apple_orange_layer.backward(dall_price)
    dorange, dorange_num = mul_orange_layer.backward(dorange_price)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)

    assert price == pytest.approx(715)
    assert (dapple_num, dapple, dorange, dorange_num, dtax) == pytest.approx((110, 2.2, 3.3, 165, 650))


def test_the_books_functions_answer_as_the_book_does():
    assert sigmoid(0.0) == 0.5
    y = softmax(np.array([0.3, 2.9, 4.0]))
    np.testing.assert_allclose(y, [0.01821127, 0.24519181, 0.73659691], rtol=1e-6)
    t = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    assert cross_entropy_error(y, t) == pytest.approx(0.510825457, rel=1e-6)  # the book's 0.51082545709933802
    assert cross_entropy_error(y, np.argmax(t)) == cross_entropy_error(y, t)  # labels as indices


def test_load_mnist_has_the_books_signature_shapes_and_dtypes(mnist):
    (x_train, t_train), (x_test, t_test) = mnist
    assert x_train.shape == (60000, 784) and x_train.dtype == np.float32
    assert t_train.shape == (60000, 10) and t_train.dtype == np.float64
    assert x_test.shape == (10000, 784) and t_test.shape == (10000, 10)
    assert 0.0 <= x_train.min() and x_train.max() == 1.0
    (x_img, t_idx), _ = load_mnist(normalize=False, flatten=False, one_hot_label=False)
    assert x_img.shape == (60000, 1, 28, 28) and x_img.dtype == np.uint8 and t_idx.shape == (60000,)
    assert np.array_equal(np.argmax(t_train, axis=1), t_idx)


def test_the_books_layers_keep_its_interface():
    x = np.array([[1.0, -0.5], [-2.0, 3.0]])
    relu = Relu()
    relu.forward(x)
    assert relu.mask.tolist() == [[False, True], [True, False]]
    sig = Sigmoid()
    out = sig.forward(x)
    np.testing.assert_allclose(sig.backward(np.ones_like(x)), out * (1 - out))
    affine = Affine(np.ones((2, 3)), np.zeros(3))
    assert affine.forward(np.ones((4, 1, 2))).shape == (4, 3)
    assert affine.backward(np.ones((4, 3))).shape == (4, 1, 2)
    assert affine.dW.shape == (2, 3) and affine.db.shape == (3,)


def _book_gradient_check(network, x_batch, t_batch):
    grad_numerical = network.numerical_gradient(x_batch, t_batch)
    grad_backprop = network.gradient(x_batch, t_batch)
    return {key: np.average(np.abs(grad_backprop[key] - grad_numerical[key])) for key in grad_numerical}


def test_gradient_check_written_the_books_way_shows_the_books_magnitudes(mnist):
    """The book's gradient_check: 3 training images, mean |backprop - numerical| per parameter.

    Before numerical_gradient nudged x in place, this printed 4e-4 to 0.14 for a correct
    network: `lambda W: self.loss(x, t)` ignores W, so nudging a copy changed nothing.
    """
    (x_train, t_train), _ = mnist
    network = BookTwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    before = {key: value.copy() for key, value in network.params.items()}
    diff = _book_gradient_check(network, x_train[:3], t_train[:3])
    assert set(diff) == {"W1", "b1", "W2", "b2"}
    assert all(0 < d < 1e-7 for d in diff.values()), diff
    for key, value in network.params.items():  # the check put every weight back, bit for bit
        assert value.tobytes() == before[key].tobytes()


def test_bplibs_own_two_layer_net_passes_the_books_check(mnist):
    (x_train, t_train), _ = mnist
    # Seeded: with unseeded weights about 1 network in 8 has a hidden unit whose input lies within
    # h = 1e-4 of ReLU's kink for one of the 3 images (24 of seeds 0-199), and there the central
    # difference averages the two slopes: W1 and b1 then differ by ~1e-5 (this test failed so, twice).
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, seed=0)
    assert all(p.dtype == np.float64 for p in network.params.values())  # the book's dtype
    hidden_inputs = x_train[:3] @ network.params["W1"] + network.params["b1"]
    assert np.abs(hidden_inputs).min() > 10 * 1e-4  # no kink within reach of the nudges
    diff = _book_gradient_check(network, x_train[:3], t_train[:3])
    assert all(0 < d < 1e-7 for d in diff.values()), diff


def test_the_books_update_reaches_the_layers():
    network = BookTwoLayerNet(4, 3, 2, weight_init_std=0.5)
    x, t = np.random.default_rng(1).random((5, 4)), np.array([0, 1, 1, 0, 1])
    first = network.loss(x, t)
    for _ in range(50):
        grad = network.gradient(x, t)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= 0.5 * grad[key]
    assert network.layers["Affine1"].W is network.params["W1"]  # the same array, updated in place
    assert network.loss(x, t) < first


def _train_the_books_way(network, mnist, iters_num=10000, batch_size=100, learning_rate=0.1):
    """The book's train_neuralnet loop; returns the test accuracy at each epoch."""
    (x_train, t_train), (x_test, t_test) = mnist
    train_size = x_train.shape[0]
    iter_per_epoch = max(train_size / batch_size, 1)
    rng = np.random.default_rng(0)
    test_acc_list = []
    for i in range(iters_num):
        batch_mask = rng.choice(train_size, batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= learning_rate * grad[key]
        if i % iter_per_epoch == 0:
            test_acc_list.append(network.accuracy(x_test, t_test))
    test_acc_list.append(network.accuracy(x_test, t_test))
    return test_acc_list


@pytest.mark.slow
def test_training_the_books_way_reaches_about_97_percent(mnist):
    """The book: about 97 % test accuracy after 10,000 iterations. Takes about 30 s (float64)."""
    accuracy = _train_the_books_way(BookTwoLayerNet(784, 50, 10), mnist)
    assert len(accuracy) == 18  # 17 epochs (i = 0, 600, ..., 9600) and the end
    assert accuracy[0] < 0.2 and accuracy[-1] >= 0.965, accuracy
