"""sigmoid, softmax and cross_entropy_error: safe at the extremes, honest at the limits."""

import warnings

import numpy as np
import pytest

from bplib import PROB_FLOOR, cross_entropy_error, sigmoid, softmax


def test_pitfall3_sigmoid_extremes_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail here
        y = sigmoid(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
    assert y[0] == 0.0 and y[2] == 0.5 and y[4] == 1.0
    assert y[1] == pytest.approx(np.exp(-50.0), rel=1e-12)  # accurate far into the tail


def test_sigmoid_keeps_float32_and_accepts_ints():
    assert sigmoid(np.zeros(3, np.float32)).dtype == np.float32
    assert sigmoid([0, 0]).tolist() == [0.5, 0.5]


def test_pitfall3_softmax_of_huge_logits_has_exact_limits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = softmax(np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, -1000.0]]))
    assert y.tolist() == [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]]


def test_softmax_rows_sum_to_one_and_match_definition():
    a = np.array([0.3, 2.9, 4.0])
    expected = np.exp(a) / np.exp(a).sum()
    np.testing.assert_allclose(softmax(a), expected, rtol=1e-15)
    np.testing.assert_allclose(softmax(np.tile(a, (4, 1))).sum(axis=1), 1.0, rtol=1e-15)


def test_softmax_refuses_nan():
    with pytest.raises(ValueError, match="NaN or inf"):
        softmax([1.0, np.nan])


def test_pitfall4_perfect_prediction_costs_exactly_zero():
    assert cross_entropy_error(np.array([0.0, 1.0, 0.0]), 1) == 0.0
    assert cross_entropy_error(np.eye(3), np.eye(3)) == 0.0


def test_pitfall4_zero_probability_is_finite_and_documented():
    loss = cross_entropy_error(np.array([1.0, 0.0]), 1)
    assert loss == pytest.approx(-np.log(PROB_FLOOR)) and np.isfinite(loss)
    assert cross_entropy_error(np.array([0.3, 0.7]), 0) >= 0


def test_cross_entropy_book_example():
    y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    assert cross_entropy_error(y, 2) == pytest.approx(0.510825623765990, rel=1e-12)
    assert cross_entropy_error(y, np.eye(10)[2]) == pytest.approx(0.510825623765990, rel=1e-12)


def test_cross_entropy_bad_labels():
    with pytest.raises(ValueError, match="outside"):
        cross_entropy_error(np.full((2, 3), 1 / 3), [0, 3])
