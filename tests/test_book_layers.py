"""The book's bare layers (bplib.chapters.book_layers): on ordinary inputs they give bplib's
numbers; they carry no checks; the book's ReLU damages a gradient that is used twice."""

import inspect

import numpy as np
import pytest

import bplib
from bplib import check_layer
from bplib.chapters import book_layers as book

RNG = np.random.default_rng(77)
X = RNG.uniform(-2.0, 2.0, (4, 3))
X[np.abs(X) < 0.2] = 0.6
Y = RNG.uniform(0.5, 2.0, (4, 3))
W, B = RNG.standard_normal((3, 5)), RNG.standard_normal(5)
LOGITS, ONE_HOT = RNG.standard_normal((4, 5)) * 2, np.eye(5)[[1, 0, 4, 4]]

PAIRS = [  # (the book's layer, bplib's, forward's arguments)
    (book.MulLayer(), bplib.MulLayer(), (X, Y)),
    (book.AddLayer(), bplib.AddLayer(), (X, Y)),
    (book.Relu(), bplib.Relu(), (X,)),
    (book.Sigmoid(), bplib.Sigmoid(), (X,)),
    (book.Affine(W, B), bplib.Affine(W, B), (X,)),
    (book.SoftmaxWithLoss(), bplib.SoftmaxWithLoss(), (LOGITS, ONE_HOT)),
]


@pytest.mark.parametrize(("bare", "ours", "args"), PAIRS, ids=lambda v: type(v).__name__)
def test_the_bare_layers_give_bplibs_numbers(bare, ours, args):
    out = bare.forward(*(a.copy() for a in args))
    np.testing.assert_allclose(out, ours.forward(*args), rtol=1e-6)  # the book's +1e-7 in the log
    dout = 1.0 if np.ndim(out) == 0 else RNG.standard_normal(np.shape(out))
    mine = ours.backward(np.copy(dout))
    theirs = bare.backward(np.copy(dout))
    for a, b in zip(_tuple(theirs), _tuple(mine), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    if isinstance(bare, book.Affine):
        np.testing.assert_allclose(bare.dW, ours.dW, rtol=1e-12)
        np.testing.assert_allclose(bare.db, ours.db, rtol=1e-12)


def _tuple(grads):
    return list(grads) if isinstance(grads, tuple) else [grads]


@pytest.mark.parametrize(
    ("layer", "inputs", "kwargs"),
    [
        (book.MulLayer(), (X, Y), {"expect": np.multiply}),
        (book.AddLayer(), (X, Y), {"expect": np.add}),
        (book.Sigmoid(), (X,), {"expect": bplib.sigmoid}),
        (book.Affine(W, B), (X,), {"expect": lambda x: x @ W + B}),
        (book.SoftmaxWithLoss(), (LOGITS,), {"targets": ONE_HOT}),
    ],
    ids=lambda v: type(v).__name__,
)
def test_the_bare_layers_pass_check_layer(layer, inputs, kwargs):
    assert check_layer(layer, *inputs, verbose=False, **kwargs).passed


def test_the_books_relu_damages_a_gradient_used_twice_and_check_layer_says_so():
    g = RNG.standard_normal(X.shape)
    upstream = g.copy()
    relu = book.Relu()
    relu.forward(X)
    dx = relu.backward(upstream)
    assert dx is upstream  # it hands back the caller's own array...
    np.testing.assert_array_equal(upstream, np.where(X <= 0, 0, g))  # ...with zeros written into it
    assert not np.array_equal(upstream, g)
    result = check_layer(book.Relu(), X, verbose=False)
    assert not result.passed and result.problems == [
        "backward wrote into dout; it must leave the gradient it is given as it was"
    ]
    ours = bplib.Relu()
    ours.forward(X)
    upstream = g.copy()
    ours.backward(upstream)
    np.testing.assert_array_equal(upstream, g)


def test_the_bare_layers_are_bare():
    """Two or three lines each: no guard, no helper, nothing to translate."""
    source = inspect.getsource(book)
    assert "raise" not in source and "say(" not in source and "_check" not in source
    for name in ("MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"):
        layer = getattr(book, name)
        assert not issubclass(layer, bplib.Layer)
        for method in ("forward", "backward"):
            lines = inspect.getsource(getattr(layer, method)).strip().splitlines()[1:]
            assert len(lines) <= 4, (name, method)
        assert layer.__doc__, name
