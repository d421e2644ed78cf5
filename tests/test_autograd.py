"""bplib.autograd: every operation and random compositions against numerical gradients, the
refusals, the tape, check_op, and the two-layer network against TwoLayerNet.gradient."""

import numpy as np
import pytest

from bplib import Relu, Sigmoid, SoftmaxWithLoss, TwoLayerNet, numerical_gradient, relative_error
from bplib.autograd import (
    Tensor,
    as_tensor,
    exp,
    log,
    no_grad,
    record,
    relu,
    sigmoid,
    softmax_cross_entropy,
    tape_nbytes,
    topological_order,
)
from bplib.chapters.solutions import tanh
from bplib.gradcheck import check_op

RNG = np.random.default_rng(7)
TOL = 1e-7  # relative error of float64 autograd against central differences (h = 1e-5)


@pytest.fixture(autouse=True)
def _same_numbers_in_any_order():
    """Each test draws the same numbers whether it runs alone or after others."""
    global RNG
    RNG = np.random.default_rng(7)


def numeric_check(f, *arrays, h=1e-5):
    """For each array, the relative error of autograd's gradient of the scalar f(*tensors) against
    numerical_gradient of the same f (an input no gradient reaches counts as zero)."""
    tensors = [Tensor(a) for a in arrays]
    f(*tensors).backward()
    errors = []
    for k, t in enumerate(tensors):

        def value(v, k=k):
            with no_grad():
                return f(*tensors[:k], Tensor(v, copy=False), *tensors[k + 1 :]).item()

        grad = np.zeros(t.shape) if t.grad is None else t.grad
        assert grad.shape == t.shape
        errors.append(relative_error(grad, numerical_gradient(value, np.array(arrays[k], dtype=float), h)))
    return errors


def weighted(out, seed=1):
    """sum(out * a fixed random array): a scalar whose gradient is that array, of any shape."""
    return (out * np.random.default_rng(seed).standard_normal(out.shape)).sum()


def away_from_zero(shape):
    """Random numbers with |x| >= 0.1, so relu's kink is never within a step h."""
    x = RNG.standard_normal(shape)
    return np.where(np.abs(x) < 0.1, 0.5, x)


# --- every operation, with broadcasting and 1-sized axes ---------------------------------
BINARY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
}
SHAPES = [
    ((3, 4), (3, 4)),
    ((3, 1), (1, 4)),
    ((5, 4), (4,)),
    ((4,), (5, 4)),
    ((2, 3, 4), (3, 1)),
    ((3, 4), ()),
    ((), (3, 4)),
    ((1, 1), (1,)),
    ((), ()),
]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("name", BINARY)
def test_binary_operations_with_broadcasting_match_numerical_gradients(name, shapes):
    x, y = RNG.standard_normal(shapes[0]), RNG.uniform(0.5, 2.0, shapes[1])  # y > 0: a safe divisor
    errors = numeric_check(lambda a, b: weighted(BINARY[name](a, b)), x, y)
    assert max(errors) < TOL, errors


@pytest.mark.parametrize("shape", [(3, 4), (1, 1), (4, 1), ()], ids=str)
@pytest.mark.parametrize(
    "f",
    [
        lambda x: -x,
        lambda x: x**2,
        lambda x: x**3,
        lambda x: x**0.5,
        lambda x: x**-1,
        exp,
        log,
        relu,
        sigmoid,
        tanh,
        lambda x: x.T,
        lambda x: x.reshape(-1),
        lambda x: x.reshape((1, -1)),
        lambda x: 2.0 - x,
        lambda x: 1.5 / x,
        lambda x: 3 * x + 1,
    ],
    ids=["neg", "square", "cube", "sqrt", "reciprocal", "exp", "log", "relu", "sigmoid", "tanh"]
    + ["T", "flatten", "row", "rsub", "rdiv", "affine"],
)
def test_unary_operations_match_numerical_gradients(f, shape):
    x = np.abs(away_from_zero(shape)) + 0.2  # > 0 for log, sqrt and the reciprocal
    x = x * np.where(RNG.random(shape) < 0.5, -1, 1) if f in (relu, sigmoid, tanh, exp) else x
    assert max(numeric_check(lambda a: weighted(f(a)), x)) < TOL


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1), 2])
@pytest.mark.parametrize("reduce", ["sum", "mean"])
def test_sum_and_mean_over_any_axes_match_numerical_gradients(reduce, axis, keepdims):
    x = RNG.standard_normal((2, 3, 1))  # a 1-sized axis at the end
    errors = numeric_check(lambda a: weighted(getattr(a, reduce)(axis=axis, keepdims=keepdims)), x)
    assert max(errors) < TOL
    out = getattr(Tensor(x), reduce)(axis=axis, keepdims=keepdims)
    assert np.allclose(out.data, getattr(np, reduce)(x, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("shapes", [((4, 3), (3, 2)), ((1, 3), (3, 1)), ((5, 1), (1, 4))], ids=str)
def test_matrix_product_matches_numerical_gradients_and_affine(shapes):
    x, w = RNG.standard_normal(shapes[0]), RNG.standard_normal(shapes[1])
    assert max(numeric_check(lambda a, b: weighted(a @ b), x, w)) < TOL
    b = RNG.standard_normal(shapes[1][1])  # x @ W + b: the bias gradient is the sum over the batch
    assert max(numeric_check(lambda a, c, d: weighted(a @ c + d), x, w, b)) < TOL


def test_an_ndarray_or_a_number_on_the_left_is_a_constant():
    w = Tensor(RNG.standard_normal((3, 2)))
    x = RNG.standard_normal((4, 3))
    for out in (x @ w, np.ones((3, 2)) * w, 2.0 - w, 1 / w, np.float64(2.0) + w):
        assert isinstance(out, Tensor) and out.requires_grad and not out.inputs[0].requires_grad
    (x @ w).sum().backward()
    assert np.allclose(w.grad, np.repeat(x.sum(axis=0)[:, None], 2, axis=1))


# --- forks: a tensor used more than once gets the sum of its gradients ------------------
def test_x_times_x_gives_2x():
    x = Tensor(3.0)
    (x * x).backward()
    assert x.grad == 6.0


def test_a_value_used_by_two_branches_and_a_diamond():
    def branches(x):
        y = x * 2.0
        return weighted(y * y + exp(y) - y)  # y feeds three operations

    def diamond(a):
        b, c = sigmoid(a), a**2  # two paths from a ...
        return weighted(b * c + b / (c + 1.0))  # ... that meet twice

    x = RNG.standard_normal((3, 2))
    assert max(numeric_check(branches, x)) < TOL
    assert max(numeric_check(diamond, x)) < TOL


def test_fork_gradients_add_and_edge_gradients_show_each_branch():
    a = Tensor(3.0, name="a")
    b = (a * 4.0).named("b")
    c = (a * a).named("c")
    out = b + c
    out.backward(keep_edges=True)
    assert a.grad == 4.0 + 2 * 3.0
    assert b.edge_grads[0] == 4.0 and c.edge_grads == (3.0, 3.0)  # what reached a along each arrow
    assert b.edge_grads[1] is None  # the constant 4.0 needs no gradient


def test_random_compositions_match_numerical_gradients():
    unary = [
        lambda v: -v,
        sigmoid,
        tanh,
        lambda v: v**2,
        lambda v: log(v * v + 1.0),
        lambda v: exp(sigmoid(v)),
    ]
    unary += [lambda v: v.sum(axis=0, keepdims=True), lambda v: v.mean(axis=-1, keepdims=True)]
    binary = [lambda u, v: u + v, lambda u, v: u - v, lambda u, v: u * v, lambda u, v: u / (v * v + 1.0)]
    shapes = [(3, 4), (4,), (3, 1), (), (1, 4)]
    for seed in range(25):
        rng = np.random.default_rng(seed)
        program = []  # (op, indices of its operands among the values computed so far)
        for step in range(8):
            n = len(shapes) + step
            if rng.random() < 0.5:
                program.append((unary[rng.integers(len(unary))], [rng.integers(n)]))
            else:
                program.append((binary[rng.integers(len(binary))], list(rng.integers(n, size=2))))

        def run(*leaves, program=program, seed=seed):
            values = list(leaves)
            for op, operands in program:
                values.append(op(*(values[i] for i in operands)))
            return weighted(values[-1] + values[-2] * values[0], seed=seed)

        arrays = [rng.standard_normal(s) for s in shapes]
        assert max(numeric_check(run, *arrays)) < 1e-6, f"seed {seed}"


def test_a_long_chain_needs_no_recursion():
    x = Tensor(1.0)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert x.grad == pytest.approx(1.0001**5000)
    assert len(topological_order(y)) == 10001  # x, 5000 constants and 5000 products


def test_topological_order_puts_every_tensor_after_its_inputs():
    a, b = Tensor(2.0), Tensor(3.0)
    c = a * b
    d = exp(c) + c * a
    order = topological_order(d)
    assert order[-1] is d and set(order) >= {a, b, c}
    for k, t in enumerate(order):
        assert all(order.index(x) < k for x in t.inputs)
    assert len(order) == len(set(order))  # each tensor once, also a, used twice


# --- the chapter's layers: the same local derivatives -----------------------------------
def test_relu_backward_is_relus_backward_with_the_gradient_zero_at_zero():
    x = np.array([[1.0, -0.5, 0.0], [-2.0, 0.0, 3.0]])
    dout = RNG.standard_normal(x.shape)
    layer = Relu()
    assert np.array_equal(relu(Tensor(x)).data, layer.forward(x))
    t = Tensor(x)
    relu(t).backward(dout)
    assert np.array_equal(t.grad, layer.backward(dout))
    assert t.grad[0, 2] == 0.0 and t.grad[1, 1] == 0.0


def test_sigmoid_backward_is_sigmoids_backward():
    x, dout = RNG.standard_normal((3, 4)) * 3, RNG.standard_normal((3, 4))
    layer, t = Sigmoid(), Tensor(x)
    assert np.array_equal(sigmoid(t).data, layer.forward(x))
    sigmoid(t).backward(dout)
    assert np.allclose(t.grad, layer.backward(dout), rtol=1e-15)


@pytest.mark.parametrize("one_hot", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_cross_entropy_is_softmax_with_loss(one_hot, dtype):
    logits = (RNG.standard_normal((5, 4)) * 3).astype(dtype)
    labels = np.array([0, 3, 1, 1, 2])
    t = np.eye(4)[labels] if one_hot else labels
    layer, x = SoftmaxWithLoss(), Tensor(logits)
    loss = softmax_cross_entropy(x, t)
    expected = layer.forward(logits, t)  # a Python float; the Tensor keeps the logits' dtype
    assert loss.item() == dtype(expected) and loss.shape == () and loss.dtype == dtype
    loss.backward()
    assert x.grad.dtype == dtype and np.array_equal(x.grad, layer.backward(1.0))
    if dtype == np.float64:
        assert max(numeric_check(lambda a: softmax_cross_entropy(a, t), logits)) < TOL


def test_two_layer_network_in_autograd_equals_two_layer_net_gradient():
    rng = np.random.default_rng(3)
    x = rng.random((100, 784))  # shaped like MNIST (flattened, in [0, 1)), float64
    t = rng.integers(0, 10, 100)
    net = TwoLayerNet(784, 50, 10, weight_init_std=0.1, seed=5)
    params = {key: Tensor(value) for key, value in net.params.items()}
    W1, b1, W2, b2 = params.values()
    loss = softmax_cross_entropy(relu(x @ W1 + b1) @ W2 + b2, t)
    loss.backward()
    expected = net.gradient(x, t)
    assert loss.item() == pytest.approx(net.last_layer.loss, rel=1e-12)
    for key, p in params.items():
        np.testing.assert_allclose(p.grad, expected[key], rtol=1e-12, atol=0, err_msg=key)


# --- dtype, accumulation, no_grad, the tape ---------------------------------------------
def test_numbers_become_float64_and_float32_stays_float32():
    assert Tensor(2).dtype == np.float64 and Tensor([1, 2]).dtype == np.float64
    x = Tensor(np.ones((2, 3), dtype=np.float32))
    w = Tensor(np.ones((3, 2), dtype=np.float32))
    out = ((sigmoid(x * 2.0 - 1) / 3.0 + exp(x) ** 2 - relu(-x)) @ w + 1).mean()
    assert out.dtype == np.float32
    out.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_a_tensor_copies_its_array_and_as_tensor_shares_it():
    a = np.ones(3)
    t, c = Tensor(a), as_tensor(a)
    a[0] = 5.0
    assert t.data[0] == 1.0 and c.data[0] == 5.0 and not c.requires_grad
    assert as_tensor(t) is t
    u = Tensor(t, requires_grad=False)
    assert u.data is not t.data and u.data.tolist() == [1.0, 1.0, 1.0] and not u.requires_grad


def test_gradients_accumulate_across_backward_calls_until_cleared():
    w = Tensor(np.array([1.0, 2.0]))
    (w * 3.0).sum().backward()
    (w * 3.0).sum().backward()  # a second graph: its gradient adds to the first
    assert w.grad.tolist() == [6.0, 6.0]
    w.grad = None
    (w * w).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]


def test_retain_graph_allows_a_second_backward_that_adds_up():
    w = Tensor(2.0)
    loss = w**3
    loss.backward(retain_graph=True)
    assert tape_nbytes(loss) > 0
    loss.backward()
    assert w.grad == 2 * 12.0 and tape_nbytes(loss) == 0


def test_no_grad_records_nothing_and_updates_in_place():
    w = Tensor(np.array([1.0, 2.0]))
    with no_grad():
        y = exp(w * 2.0)
        assert not y.requires_grad and y.inputs == () and y.grad_fn is None and tape_nbytes(y) == 0
        before = w.data
        w -= 0.5 * np.array([2.0, 2.0])  # the update step
        assert w.data is before and w.data.tolist() == [0.0, 1.0] and w.requires_grad
    assert (w * 2.0).requires_grad  # recording again
    with pytest.raises(KeyError), no_grad():
        raise KeyError("an error inside no_grad()")
    assert (w * 2.0).inputs  # restored after an error too


def test_in_place_on_a_constant_leaves_the_array_it_shares_alone():
    data = np.array([1.0, 2.0])
    c = as_tensor(data)
    with no_grad():
        c -= 1.0
    assert data.tolist() == [1.0, 2.0] and c.data.tolist() == [0.0, 1.0]


def test_in_place_outside_no_grad_records_a_new_tensor():
    x = Tensor(np.array([1.0, 2.0]))
    y = x
    y -= 1.0
    assert y is not x and x.data.tolist() == [1.0, 2.0] and y.inputs[0] is x
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_tape_holds_what_the_local_derivatives_need():
    x = RNG.random((8, 5))  # data: needs no gradient
    W, b = Tensor(RNG.standard_normal((5, 3))), Tensor(np.zeros(3))
    h = x @ W + b  # dot keeps x for dW (not W: nobody needs dx); + keeps nothing
    assert tape_nbytes(h) == x.nbytes
    loss = relu(h).sum()  # relu keeps its mask, one byte per number
    assert tape_nbytes(loss) == x.nbytes + 8 * 3
    loss.backward()
    assert tape_nbytes(loss) == 0


# --- refusals: clear messages, nothing changed -----------------------------------------
@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: Tensor(np.ones(3)) + Tensor(np.ones(4)), ValueError, ["'+'", "(3,)", "(4,)"]),
        (lambda: Tensor(np.ones((2, 3))) * np.ones((3, 2)), ValueError, ["'×'", "(2, 3)", "(3, 2)"]),
        (lambda: Tensor(np.ones((2, 3))) @ np.ones((2, 3)), ValueError, ["dot", "(2, 3)", "(N, D) @ (D, M)"]),
        (lambda: Tensor(np.ones(3)) @ np.ones((3, 2)), ValueError, ["dot", "(3,)", "(3, 2)"]),
        (lambda: Tensor(np.ones((2, 3))).reshape(4), ValueError, ["(2, 3)", "4"]),
        (lambda: Tensor(np.ones((2, 3))).sum(axis=2), ValueError, ["axis 2", "(2, 3)"]),
        (lambda: Tensor(2.0) ** Tensor(2.0), TypeError, ["exponent", "Tensor"]),
        (lambda: log(Tensor([1.0, 0.0])), ValueError, ["> 0", "0.0"]),
        (lambda: exp(Tensor([1.0, 1000.0])), ValueError, ["exp(1000.0)", "float64"]),
        (
            lambda: Tensor(np.array([1, 2])),
            TypeError,
            ["int64 tensor has no gradient", "requires_grad=False"],
        ),
    ],
    ids=["add", "mul", "dot", "dot-vector", "reshape", "sum-axis", "pow", "log", "exp", "integer"],
)
def test_bad_input_is_refused_naming_the_problem(make, error, words):
    with pytest.raises(error) as caught:
        make()
    assert all(w in str(caught.value) for w in words), str(caught.value)


def test_backward_of_a_non_scalar_needs_grad_of_its_shape():
    x = Tensor(np.ones((2, 3)))
    y = x * 2.0
    with pytest.raises(RuntimeError, match=r"backward of shape \(2, 3\): pass grad=, the upstream gradient"):
        y.backward()
    with pytest.raises(ValueError, match=r"grad of shape \(3,\) for a tensor of \(2, 3\)"):
        y.backward(np.ones(3))
    assert x.grad is None  # refused before anything changed
    y.backward(np.full((2, 3), 0.5))
    assert np.array_equal(x.grad, np.ones((2, 3)))


def test_a_second_backward_through_a_freed_graph_is_refused_and_changes_nothing():
    w = Tensor(3.0)
    loss = w * w + w
    loss.backward()
    with pytest.raises(
        RuntimeError, match=r"an earlier backward freed this graph; keep it with retain_graph=True"
    ):
        loss.backward()
    assert w.grad == 7.0 and loss.grad == 1.0


def test_integer_and_untracked_tensors_have_no_gradient():
    counts = Tensor(np.array([1, 2]), requires_grad=False)
    with pytest.raises(RuntimeError, match=r"no gradient is needed here \(no input requires one"):
        counts.sum().backward()
    with no_grad():
        y = Tensor(2.0) * 3.0
    with pytest.raises(RuntimeError, match="no gradient is needed here"):
        y.backward()
    assert (counts * Tensor(0.5)).dtype == np.float64  # an integer constant mixes with floats


def test_a_grad_fn_returning_the_wrong_gradients_is_named():
    x, y = Tensor(np.ones(3)), Tensor(np.ones(3))
    one = record("×", x.data * y.data, (x, y), lambda dout: dout)
    with pytest.raises(ValueError, match="grad_fn of '×' returned 1 gradients for 2 inputs"):
        one.sum().backward()
    shape = record("sq", x.data**2, (x,), lambda dout: np.ones(4))
    with pytest.raises(ValueError, match=r"sent a gradient of shape \(4,\) to an input of shape \(3,\)"):
        shape.sum().backward()


def test_messages_in_chinese(chinese):
    with pytest.raises(ValueError, match=r"“\+”：形状 \(3,\) 和 \(4,\) 无法广播"):
        Tensor(np.ones(3)) + Tensor(np.ones(4))
    loss = Tensor(2.0) * 3.0
    loss.backward()
    with pytest.raises(RuntimeError, match="已经释放了这个计算图.*Trying to backward through the graph"):
        loss.backward()
    with pytest.raises(RuntimeError, match="不是一个数"):
        (Tensor(np.ones(2)) * 2.0).backward()


# --- check_op ----------------------------------------------------------------------------
def _stub_tanh(x):
    def grad_fn(dout, y):
        raise NotImplementedError("write tanh's local derivative")

    y = np.tanh(x.data)
    return record("tanh", y, (x,), grad_fn, saved=(y,))


def _no_swap(x, y):  # the multiply node without the swap: each gets dout times itself
    return record(
        "×", x.data * y.data, (x, y), lambda dout, a, b: (dout * a, dout * b), saved=(x.data, y.data)
    )


def _lost_gradient(x, y):  # the quotient without the hard -x/y² term
    return record("/", x.data / y.data, (x, y), lambda dout, a, b: (dout / b, None), saved=(x.data, y.data))


def _wrong_sign(x, y):
    return record("−", x.data - y.data, (x, y), lambda dout: (dout, dout))


def _not_an_input(x, y):  # y's value is used but y is not recorded as an input
    return record("×", x.data * y.data, (x,), lambda dout, b: dout * b, saved=(y.data,))


X, Y = RNG.standard_normal((3, 4)), RNG.uniform(0.5, 2.0, (3, 4))


@pytest.mark.parametrize(
    ("op", "inputs"),
    [
        (lambda x, y: x * y, (X, Y)),
        (lambda x, y: x / y, (X, Y[0])),
        (lambda x, y: x - y, (X, 2.0)),
        (lambda x, w: x @ w, (X, Y.T)),
        (lambda x: x.sum(axis=0), (X,)),
        (lambda x: x.mean(), (X,)),
        (sigmoid, (X,)),
        (relu, (away_from_zero((3, 4)),)),
        (softmax_cross_entropy, (X, np.array([0, 3, 2]))),
    ],
)
def test_check_op_passes_correct_operations(op, inputs):
    result = check_op(op, *inputs, verbose=False)
    assert result.passed, result.table()
    assert len(result.errors) == sum(np.asarray(v).dtype.kind == "f" for v in inputs)  # labels are constants


def test_check_op_passes_the_solution_and_checks_its_forward(capsys):
    assert check_op(tanh, X, expect=np.tanh).passed
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "check_op(tanh)" and "forward" in out and "PASS" in out
    result = check_op(tanh, X, expect=np.sinh, verbose=False)  # the right gradient of the wrong function
    assert not result.passed and result.errors["forward"] > 0.01 and result.errors["dx"] < TOL
    assert "forward computes something else than the exercise asks for" in result.table()


@pytest.mark.parametrize(
    ("op", "failing"),
    [(_no_swap, ["dx", "dy"]), (_wrong_sign, ["dy"]), (_not_an_input, ["dy"])],
    ids=["wrong local derivative", "wrong sign", "unrecorded input"],
)
def test_check_op_fails_wrong_operations(op, failing):
    result = check_op(op, X, Y, verbose=False)
    assert not result.passed
    assert [name for name, err in result.rows if err is None or err > 1e-3] == failing, result.table()


def test_check_op_says_which_input_no_gradient_reached(capsys):
    result = check_op(_lost_gradient, X, Y)
    assert not result.passed and result.rows[-1] == ("dy", None) and result.errors["dx"] < TOL
    assert "FAIL: no gradient reached y: does grad_fn return one for every input?" in capsys.readouterr().out


def _writes_into_dout(x):  # the book's ReLU flaw, in an operation: dout is changed in place
    def grad_fn(dout, y):
        dout *= 1.0 - y * y
        return dout

    y = np.tanh(x.data)
    return record("tanh", y, (x,), grad_fn, saved=(y,))


def test_check_op_catches_a_grad_fn_that_writes_into_dout():
    result = check_op(_writes_into_dout, X, expect=np.tanh, verbose=False)
    assert result.errors["dx"] < TOL  # its numbers are right ...
    assert not result.passed and any("wrote into dout" in p for p in result.problems)  # ... its manners not


def test_check_op_names_what_went_wrong_instead_of_raising():
    result = check_op(lambda x: x.data * 2, X, verbose=False)
    assert not result.passed and result.problems == ["the operation returned ndarray, not a Tensor"]
    result = check_op(lambda x: log(x), -np.abs(X) - 1.0, verbose=False)
    assert not result.passed and result.problems[0].startswith("forward raised ValueError: log: needs")


def test_check_op_reports_a_stub_as_not_written(capsys):
    result = check_op(_stub_tanh, X)
    assert not result.passed and result.note == "write tanh's local derivative"
    assert "FAIL: not written yet: write tanh's local derivative" in capsys.readouterr().out


def test_check_op_prints_its_table_in_chinese(chinese, capsys):
    check_op(_no_swap, X, Y)
    check_op(_lost_gradient, X, Y)
    out = capsys.readouterr().out
    assert "通过" in out and "未通过" in out and "没有梯度传到 y" in out


def test_check_op_leaves_the_callers_arrays_alone():
    x = X.astype(np.float32)
    kept = x.copy()
    check_op(sigmoid, x, verbose=False)
    assert x.dtype == np.float32 and np.array_equal(x, kept)


# --- small things a learner sees ----------------------------------------------------------
def test_names_repr_and_item():
    price = Tensor(100.0, name="apple price")
    pay = (price * 2.0 * 1.1).named("payment")
    pay.backward()
    assert pay.name == "payment" and pay.op == "×" and pay.item() == pytest.approx(220.0)
    assert repr(price) == "Tensor(100., grad=2.2, name='apple price')"
    assert [t.op or t.name for t in topological_order(pay)][-3:] == ["×", None, "×"]


# --- PyTorch, when it happens to be installed ---------------------------------------------
def test_same_gradients_as_torch_autograd():
    torch = pytest.importorskip("torch")

    def compute(lib, x, W, b, t):
        h = lib["sigmoid"](x @ W + b) ** 2 / (lib["exp"](-x.sum(axis=1, keepdims=True)) + 1.0)
        scores = (h - h.mean()) * 3.0 + lib["log"](h + 1.0).T.reshape(h.shape) - lib["relu"](h * 4.0 - 1.0)
        return lib["loss"](scores, t)

    ours = {"sigmoid": sigmoid, "exp": exp, "log": log, "relu": relu, "loss": softmax_cross_entropy}
    theirs = {
        "sigmoid": torch.sigmoid,
        "exp": torch.exp,
        "log": torch.log,
        "relu": torch.relu,
        "loss": torch.nn.functional.cross_entropy,
    }
    arrays = [RNG.standard_normal((6, 4)), RNG.standard_normal((4, 5)), RNG.standard_normal(5)]
    t = np.array([0, 4, 2, 1, 3, 3])
    mine = [Tensor(a) for a in arrays]
    loss = compute(ours, *mine, t)
    loss.backward()
    torch_tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    reference = compute(theirs, *torch_tensors, torch.tensor(t))
    reference.backward()
    assert loss.item() == pytest.approx(reference.item(), rel=1e-12)
    for m, r in zip(mine, torch_tensors, strict=True):
        np.testing.assert_allclose(m.grad, r.grad.numpy(), rtol=1e-10, atol=1e-14)
