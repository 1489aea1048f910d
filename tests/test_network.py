"""The network against independent oracles: central differences written here, a hand-written 2-layer pass,
and the lecture's explicit Jacobian form."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, strategies as st

import coursekit
from coursekit.activations import ACTIVATIONS

NAMES = sorted(ACTIVATIONS)


@st.composite
def problems(draw):
    """A random network (1–4 layers, 1–6 units), R = 1…8 examples, per-layer activations and a cost."""
    K = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 6), min_size=K + 1, max_size=K + 1))
    R = draw(st.integers(1, 8))
    cost = draw(st.sampled_from(["squared", "cross_entropy"]))
    activations = draw(st.lists(st.sampled_from(NAMES), min_size=K, max_size=K))
    if cost == "cross_entropy":
        activations[-1] = "sigmoid"
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = coursekit.init_params(sizes, seed=int(rng.integers(2**31)))
    for i in range(K):                                   # nonzero biases so that ∂E/∂b is exercised
        params[f"b{i}"] = rng.normal(0, 0.5, params[f"b{i}"].shape)
    X = rng.normal(0, 1, (sizes[0], R))
    Y = rng.uniform(0, 1, (sizes[-1], R)) if cost == "cross_entropy" else rng.normal(0, 1, (sizes[-1], R))
    return params, X, Y, activations, cost


def central_differences(params, X, Y, activations, cost, h=1e-5):
    """An independent oracle: (E(θ + h) − E(θ − h)) / 2h entry by entry."""
    grads = {}
    for key, theta in params.items():
        grads[key] = np.zeros_like(theta)
        for index in np.ndindex(theta.shape):
            shifted = {k: v.copy() for k, v in params.items()}
            shifted[key][index] = theta[index] + h
            plus = coursekit.total_cost(shifted, X, Y, activations, cost)
            shifted[key][index] = theta[index] - h
            minus = coursekit.total_cost(shifted, X, Y, activations, cost)
            grads[key][index] = (plus - minus) / (2 * h)
    return grads


def agree(a, n, E, h=1e-5):
    """|a − n| within 1e-6 of the gradient's size plus the round-off of a central difference (ε E / h, ×100)."""
    noise = 100 * np.finfo(float).eps * max(1.0, abs(E)) / h
    return np.abs(a - n).max() <= 1e-6 * np.abs(n).max() + noise


def far_from_kinks(params, X, activations):
    """Finite differences are meaningless within h of a ReLU kink at Z = 0."""
    trace = coursekit.forward(params, X, activations)
    return all(np.abs(trace[f"Z{i + 1}"]).min() > 1e-3 for i, a in enumerate(activations) if a == "relu")


@given(problems())
def test_backward_agrees_with_central_differences(problem):
    params, X, Y, activations, cost = problem
    assume(far_from_kinks(params, X, activations))
    trace = coursekit.forward(params, X, activations)
    grads = coursekit.backward(params, trace, Y, activations, cost)
    numerical = central_differences(params, X, Y, activations, cost)
    E = coursekit.total_cost(params, X, Y, activations, cost)
    for key in params:
        assert grads[key].shape == params[key].shape
        assert agree(grads[key], numerical[key], E), (key, np.abs(grads[key] - numerical[key]).max())


@given(problems())
def test_backward_equals_explicit_jacobian_products(problem):
    params, X, Y, activations, cost = problem
    trace = coursekit.forward(params, X, activations)
    fast = coursekit.backward(params, trace, Y, activations, cost)
    slow = coursekit.backward_jacobians(params, trace, Y, activations, cost)
    assert list(fast) == list(slow) == list(params)
    for key in params:
        np.testing.assert_allclose(fast[key], slow[key], rtol=1e-12, atol=1e-12)


@given(problems())
def test_total_cost_is_the_sum_of_per_example_costs(problem):
    params, X, Y, activations, cost = problem
    E = coursekit.total_cost(params, X, Y, activations, cost)
    per_example = [coursekit.total_cost(params, X[:, [r]], Y[:, [r]], activations, cost) for r in range(X.shape[1])]
    assert E == pytest.approx(sum(per_example), rel=1e-12, abs=1e-12)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_two_layer_forward_and_cost_match_the_lecture_by_hand():
    # the lecture's Forward Path written out with plain numpy, one example at a time
    rng = np.random.default_rng(7)
    A0, b0, A1, b1 = rng.normal(size=(3, 2)), rng.normal(size=(3, 1)), rng.normal(size=(1, 3)), rng.normal(size=(1, 1))
    X, Y = rng.normal(size=(2, 5)), rng.uniform(size=(1, 5))
    params = {"A0": A0, "b0": b0, "A1": A1, "b1": b1}
    trace = coursekit.forward(params, X)
    assert list(trace) == ["f0", "Z1", "f1", "Z2", "f2"]
    E_sq = E_ce = 0.0
    for r in range(5):
        x, y = X[:, r], Y[:, r]
        Z1 = A0 @ x + b0[:, 0]
        f1 = sigmoid(Z1)
        Z2 = A1 @ f1 + b1[:, 0]
        f2 = sigmoid(Z2)
        np.testing.assert_allclose(trace["Z1"][:, r], Z1, rtol=1e-14)
        np.testing.assert_allclose(trace["f2"][:, r], f2, rtol=1e-14)
        E_sq += 0.5 * (f2 - y) @ (f2 - y)                 # E = ½ (f2 − Y)ᵀ (f2 − Y)
        E_ce += -np.sum(y * np.log(f2) + (1 - y) * np.log(1 - f2))
    assert coursekit.total_cost(params, X, Y) == pytest.approx(E_sq, rel=1e-13)
    assert coursekit.total_cost(params, X, Y, cost="cross_entropy") == pytest.approx(E_ce, rel=1e-12)


def test_backward_paths_by_hand_for_one_example():
    # Backward Paths (1)–(4) for R = 1 with the δ's written out independently
    rng = np.random.default_rng(3)
    params = {"A0": rng.normal(size=(3, 2)), "b0": rng.normal(size=(3, 1)),
              "A1": rng.normal(size=(1, 3)), "b1": rng.normal(size=(1, 1))}
    X, Y = rng.normal(size=(2, 1)), np.array([[1.0]])
    t = coursekit.forward(params, X)
    g = coursekit.backward(params, t, Y)
    d2 = (t["f2"] - Y) * t["f2"] * (1 - t["f2"])                    # Path (1): (f2 − Y)ᵀ diag(σ'(Z2)) I
    d1 = (params["A1"].T @ d2) * t["f1"] * (1 - t["f1"])           # Path (2): … A1 diag(σ'(Z1))
    np.testing.assert_allclose(g["b1"], d2, rtol=1e-14)
    np.testing.assert_allclose(g["A1"], d2 * t["f1"].T, rtol=1e-14)   # Path (3): α ∈ A1
    np.testing.assert_allclose(g["b0"], d1, rtol=1e-14)
    np.testing.assert_allclose(g["A0"], d1 @ X.T, rtol=1e-14)          # Path (4): β ∈ A0


def test_init_params_shapes_and_determinism():
    params = coursekit.init_params([4, 6, 5, 2], seed=3)
    assert list(params) == ["A0", "b0", "A1", "b1", "A2", "b2"]
    assert [params[k].shape for k in params] == [(6, 4), (6, 1), (5, 6), (5, 1), (2, 5), (2, 1)]
    assert all(v.dtype == np.float64 for v in params.values())
    again = coursekit.init_params([4, 6, 5, 2], seed=3)
    other = coursekit.init_params([4, 6, 5, 2], seed=4)
    assert all(np.array_equal(params[k], again[k]) for k in params)
    assert not np.array_equal(params["A0"], other["A0"])
    assert coursekit.layer_sizes(params) == [4, 6, 5, 2]


def test_integer_and_list_inputs_are_accepted_as_float64():
    params = {"A0": [[1, 2], [0, -1], [3, 1]], "b0": [[0], [1], [0]], "A1": [[1, 1, 1]], "b1": [[0]]}
    X, Y = [[0, 1], [1, 0]], [[1, 0]]
    trace = coursekit.forward(params, X)
    assert trace["f2"].dtype == np.float64
    grads = coursekit.backward(params, trace, Y)
    as_float = {k: np.array(v, dtype=float) for k, v in params.items()}
    expected = coursekit.backward(as_float, coursekit.forward(as_float, np.array(X, float)), np.array(Y, float))
    for key in grads:
        np.testing.assert_array_equal(grads[key], expected[key])


@pytest.mark.parametrize("cost", ["squared", "cross_entropy"])
def test_extreme_pre_activations_stay_finite_without_warnings(cost):
    # |Z| = 800: e^800 overflows float64, so a naive σ or log σ would warn or return inf/nan
    params = {"A0": np.array([[800.0], [-800.0]]), "b0": np.zeros((2, 1)),
              "A1": np.array([[800.0, -800.0]]), "b1": np.zeros((1, 1))}
    X = np.array([[1.0, -1.0]])
    Y = np.array([[0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            trace = coursekit.forward(params, X)
            assert np.abs(trace["Z2"]).max() == 800.0
            E = coursekit.total_cost(params, X, Y, cost=cost)
            grads = coursekit.backward(params, trace, Y, cost=cost)
            slow = coursekit.backward_jacobians(params, trace, Y, cost=cost)
    assert np.isfinite(E)
    if cost == "cross_entropy":
        # example 1: f1 = (1, 0), Z2 = 800, f2 = 1 but Y = 0; example 2: f1 = (0, 1), Z2 = −800, f2 = 0 but Y = 1.
        # Each costs −log σ(−800) = 800; δ2 = f2 − Y = (1, −1), so ∂E/∂b1 = 0 and ∂E/∂A1 = Σ_r δ2 f1ᵀ = (1, −1)
        assert E == pytest.approx(1600.0)
        np.testing.assert_allclose(grads["b1"], [[0.0]], atol=1e-300)
        np.testing.assert_allclose(grads["A1"], [[1.0, -1.0]])
    for key in grads:
        assert np.isfinite(grads[key]).all() and np.isfinite(slow[key]).all()
        np.testing.assert_allclose(grads[key], slow[key], rtol=1e-12, atol=1e-12)
    assert np.isfinite(coursekit.activations.sigmoid(np.array([-800.0, 800.0]))).all()


# ---- softmax output with categorical cross-entropy --------------------------------------------------------

import oracles  # noqa: E402


@given(st.lists(st.floats(-50, 50), min_size=1, max_size=6))
def test_softmax_is_e_to_the_z_over_its_sum(z):
    p = coursekit.activations.softmax(np.array(z)[:, None])
    assert p.shape == (len(z), 1)
    np.testing.assert_allclose(p[:, 0], oracles.softmax_column(z), rtol=1e-12, atol=1e-300)
    assert p.sum() == pytest.approx(1.0, rel=1e-14)


def test_softmax_is_overflow_safe_and_column_wise():
    Z = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 1000.0], [-1000.0, 0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            p = coursekit.activations.softmax(Z)
    np.testing.assert_array_equal(p[:, 0], [1.0, 0.0, 0.0])          # e^(−1000) / 1 underflows to 0
    np.testing.assert_allclose(p[:, 1], [1 / 3] * 3, rtol=1e-15)
    np.testing.assert_array_equal(p[:, 2], [0.0, 1.0, 0.0])
    shifted = coursekit.activations.softmax(Z[:, 1:2] + 123.0)       # adding a constant to a column changes nothing
    np.testing.assert_allclose(shifted, p[:, 1:2], rtol=1e-15)


@pytest.mark.parametrize("z", [[0.3, -1.2, 2.0], [5.0], [1.0, 1.0], [40.0, -3.0, 0.0, 7.5]])
def test_softmax_jacobian_is_diag_p_minus_p_p_transposed(z):
    J = coursekit.activations.softmax_jacobian(np.array(z))
    p = oracles.softmax_column(z)
    by_hand = np.array([[p[i] * ((i == j) - p[j]) for j in range(len(z))] for i in range(len(z))])
    np.testing.assert_allclose(J, by_hand, rtol=1e-13, atol=1e-17)
    np.testing.assert_allclose(J, oracles.numerical_jacobian(oracles.softmax_column, z), atol=1e-9)
    np.testing.assert_allclose(coursekit.activations.softmax_jacobian(np.array(z)[:, None]), J, rtol=0)
    if len(z) > 1:
        assert np.count_nonzero(J - np.diag(np.diag(J))) > 0                # not diagonal
    with pytest.raises(ValueError, match="one example"):
        coursekit.activations.softmax_jacobian(np.ones((2, 2)))


@st.composite
def softmax_problems(draw):
    """A network with a softmax output layer (n_K = 2…5), one-hot or soft targets, any hidden activations."""
    K = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 5), min_size=K, max_size=K)) + [draw(st.integers(2, 5))]
    R = draw(st.integers(1, 6))
    hidden = draw(st.lists(st.sampled_from(["sigmoid", "tanh", "identity", "softmax"]), min_size=K - 1,
                           max_size=K - 1))
    cost = draw(st.sampled_from(["categorical_cross_entropy", "squared"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = coursekit.init_params(sizes, seed=int(rng.integers(2**31)))
    for i in range(K):
        params[f"b{i}"] = rng.normal(0, 0.5, params[f"b{i}"].shape)
    X = rng.normal(0, 1, (sizes[0], R))
    if draw(st.booleans()):
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], R)].T        # one-hot columns
    else:
        Y = rng.dirichlet(np.ones(sizes[-1]), R).T                      # soft targets, columns sum to 1
    return params, X, Y, hidden + ["softmax"], cost


@given(softmax_problems())
def test_softmax_networks_against_the_oracles(problem):
    params, X, Y, activations, cost = problem
    E = coursekit.total_cost(params, X, Y, activations, cost)
    assert E == pytest.approx(oracles.total_cost(params, X, Y, activations, cost), rel=1e-11, abs=1e-13)
    trace = coursekit.forward(params, X, activations)
    grads = coursekit.backward(params, trace, Y, activations, cost)
    slow = coursekit.backward_jacobians(params, trace, Y, activations, cost)
    numerical = oracles.central_differences(lambda p: oracles.total_cost(p, X, Y, activations, cost), params)
    for key in params:
        np.testing.assert_allclose(grads[key], slow[key], rtol=1e-11, atol=1e-13)
        np.testing.assert_allclose(grads[key], numerical[key], rtol=1e-6, atol=1e-8)


def test_categorical_delta_is_p_minus_Y_by_hand():
    # one example, 2-3-3 network: δ2 = p − Y, so ∂E/∂b1 = p − Y and ∂E/∂A1 = (p − Y) f1ᵀ
    params = coursekit.init_params([2, 3, 3], seed=5)
    X, Y = np.array([[0.4], [-1.0]]), np.array([[0.0], [1.0], [0.0]])
    trace = coursekit.forward(params, X, ["tanh", "softmax"])
    layers = oracles.forward_column(params, [0.4, -1.0], ["tanh", "softmax"])
    p, f1 = np.array(layers[-1])[:, None], np.array(layers[2])[:, None]
    grads = coursekit.backward(params, trace, Y, ["tanh", "softmax"], "categorical_cross_entropy")
    np.testing.assert_allclose(grads["b1"], p - Y, rtol=1e-13)
    np.testing.assert_allclose(grads["A1"], (p - Y) @ f1.T, rtol=1e-13)
    E = coursekit.total_cost(params, X, Y, ["tanh", "softmax"], "categorical_cross_entropy")
    assert E == pytest.approx(-math.log(p[1, 0]), rel=1e-13)                # −log p_true


def test_categorical_cross_entropy_is_finite_for_huge_pre_activations():
    # Z2 = (±800, 0, …): log p_k = Z_k − log Σ e^{Z_j} is exact where p itself underflows to 0
    params = {"A0": np.array([[1.0]]), "b0": np.zeros((1, 1)),
              "A1": np.array([[800.0], [0.0], [-800.0]]), "b1": np.zeros((3, 1))}
    X = np.array([[1.0, -1.0]])
    Y = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])                     # class 3 in both examples
    act = ["identity", "softmax"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            E = coursekit.total_cost(params, X, Y, act, "categorical_cross_entropy")
            trace = coursekit.forward(params, X, act)
            grads = coursekit.backward(params, trace, Y, act, "categorical_cross_entropy")
            slow = coursekit.backward_jacobians(params, trace, Y, act, "categorical_cross_entropy")
    # example 1: Z2 = (800, 0, −800), cost 800 + 800 = 1600; example 2: Z2 = (−800, 0, 800), cost ≈ 0
    assert E == pytest.approx(1600.0, rel=1e-15)
    for key in grads:
        assert np.isfinite(grads[key]).all()
        np.testing.assert_allclose(grads[key], slow[key], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grads["b1"], [[1.0], [0.0], [-1.0]], atol=1e-300)   # Σ_r (p − Y)


def test_cross_entropy_is_an_alias_of_binary_cross_entropy():
    X, Y = coursekit.data.two_moons(R=20, seed=2)
    params = coursekit.init_params([2, 4, 1], seed=1)
    trace = coursekit.forward(params, X)
    assert coursekit.total_cost(params, X, Y, cost="cross_entropy") == \
        coursekit.total_cost(params, X, Y, cost="binary_cross_entropy")
    old = coursekit.backward(params, trace, Y, cost="cross_entropy")
    new = coursekit.backward(params, trace, Y, cost="binary_cross_entropy")
    assert all(np.array_equal(old[k], new[k]) for k in params)
    _, h_old = coursekit.gradient_descent(params, X, Y, 0.1, 5, cost="cross_entropy")
    _, h_new = coursekit.gradient_descent(params, X, Y, 0.1, 5, cost="binary_cross_entropy")
    np.testing.assert_array_equal(h_old, h_new)
    assert coursekit.costs.cross_entropy is coursekit.costs.binary_cross_entropy
    assert coursekit.total_cost(params, X, Y, cost="binary_cross_entropy") == pytest.approx(
        oracles.total_cost(params, X, Y, ["sigmoid", "sigmoid"], "binary_cross_entropy"), rel=1e-12)


def test_accuracy_and_predict_with_a_softmax_output():
    params = {"A0": np.eye(3), "b0": np.zeros((3, 1))}
    X = np.array([[2.0, 0.0, 0.0, 1.0], [0.0, 3.0, 0.0, 0.0], [0.0, 0.0, 1.0, 5.0]])
    Y = np.eye(3)[[0, 1, 2, 0]].T                                          # the last one is classified 2, wrong
    f = coursekit.predict(params, X, "softmax")
    np.testing.assert_allclose(f.sum(axis=0), 1.0, rtol=1e-15)
    assert coursekit.accuracy(params, X, Y, "softmax") == 0.75


# ---- the trace is read-only, and backward refuses a trace that is not the forward pass of these params -----

def lecture_problem():
    X, Y = coursekit.data.xor()
    return coursekit.init_params([2, 3, 1], seed=0), X, Y


def test_a_trace_cannot_be_changed_in_place():
    params, X, Y = lecture_problem()
    trace = coursekit.forward(params, X)
    before = {key: value.copy() for key, value in trace.items()}
    with pytest.raises(ValueError, match="read-only"):
        trace["f1"] *= 2                                  # raises in numpy's *=, before the item is set
    f1 = trace["f1"]
    with pytest.raises(ValueError, match="read-only"):
        f1 *= 2
    with pytest.raises(ValueError, match="read-only"):
        trace["Z2"][0, 0] = 5.0
    with pytest.raises(TypeError, match="read-only.*copy"):
        trace["f1"] = f1 * 2
    for method in (lambda: trace.update(f1=f1), lambda: trace.pop("f1"), lambda: trace.clear(),
                   lambda: trace.setdefault("x", 1), lambda: trace.__delitem__("f1")):
        with pytest.raises(TypeError, match="read-only"):
            method()
    assert all(np.array_equal(trace[key], before[key]) for key in trace)
    np.testing.assert_array_equal(coursekit.backward(params, trace, Y)["A0"],
                                  coursekit.backward(params, coursekit.forward(params, X), Y)["A0"])


def test_the_trace_owns_its_arrays():
    params, X, Y = lecture_problem()
    X = X.copy()
    trace = coursekit.forward(params, X)
    X[0, 0] = np.nan                                      # changing the caller's X later changes nothing
    assert np.isfinite(trace["f0"]).all() and trace["f0"][0, 0] == 0.0
    import copy
    import pickle
    for clone in (copy.copy(trace), copy.deepcopy(trace), pickle.loads(pickle.dumps(trace))):
        assert type(clone) is type(trace) and list(clone) == list(trace)
        assert not clone["f1"].flags.writeable
        coursekit.backward(params, clone, Y)               # still accepted: the same forward pass


def test_edited_copies_of_a_trace_are_used_as_given():
    params, X, Y = lecture_problem()
    edited = {key: value.copy() for key, value in coursekit.forward(params, X).items()}
    edited["f1"] *= 2                                     # a plain dict of copies: the student's experiment
    grads = coursekit.backward(params, edited, Y)
    np.testing.assert_allclose(grads["A1"], ((edited["f2"] - Y) * edited["f2"] * (1 - edited["f2"])) @ edited["f1"].T,
                               rtol=1e-14)


@pytest.mark.parametrize("change, words", [
    (lambda p: p["A0"].__setitem__((0, 0), np.nan), ["A0", "non-finite", "nan"]),
    (lambda p: p["b1"].__setitem__((0, 0), 3.0), ["params changed since forward", "b1", "b1[0, 0]", "3"]),
    (lambda p: p.__setitem__("A1", p["A1"] * 2), ["params changed since forward", "A1"]),
])
def test_params_changed_after_forward_are_refused(change, words):
    params, X, Y = lecture_problem()
    trace = coursekit.forward(params, X)
    change(params)
    for function in (coursekit.backward, coursekit.backward_jacobians):
        with pytest.raises(ValueError) as error:
            function(params, trace, Y)
        for word in words:
            assert word in str(error.value), (word, str(error.value))


def test_a_trace_of_another_activation_is_refused():
    params, X, Y = lecture_problem()
    trace = coursekit.forward(params, X, "tanh")
    with pytest.raises(ValueError, match=r"activation \['tanh', 'tanh'\] but backward was called with \['sigmoid'"):
        coursekit.backward(params, trace, Y)
    coursekit.backward(params, trace, Y, "tanh")           # the same activation: fine
    coursekit.backward({k: v.copy() for k, v in params.items()}, trace, Y, "tanh")   # equal params: fine


# ---- the training loop's buffered passes give the numbers of the readable ones -------------------------

@given(problems())
def test_the_buffered_passes_of_the_training_loop_equal_forward_and_backward(problem):
    from coursekit.train import backward_into, buffers, forward_into
    params, X, Y, activations, cost = problem
    cost = coursekit.costs.cost_name(cost)
    sizes = coursekit.layer_sizes(params)
    out = buffers(sizes, X.shape[1])
    for _ in range(2):                                    # twice: the buffers hold the previous step's numbers
        fast = forward_into(params, X, activations, out)
        plain = coursekit.forward(params, X, activations)
        for key in plain:
            np.testing.assert_array_equal(fast[key], plain[key])
        fast_grads = backward_into(params, fast, Y, activations, cost, out)
        plain_grads = coursekit.backward(params, plain, Y, activations, cost)
        for key in params:
            np.testing.assert_array_equal(fast_grads[key], plain_grads[key])


# ---- finite inputs whose intermediate values overflow are named, not returned as inf/NaN ----------------

@pytest.mark.parametrize("X, params_change, words", [
    (np.full((2, 3), 1e308), {}, ["Z1", "layer 1", "overflows", "|f0| = 1e+308"]),
    (np.ones((2, 3)), {"A1": np.full((1, 3), 1e308), "b1": np.array([[1e308]])}, ["Z2", "layer 2", "overflows"]),
])
def test_overflow_in_the_forward_pass_names_the_layer(X, params_change, words):
    params = {**coursekit.init_params([2, 3, 1], seed=0), **params_change}
    params["A0"] = np.abs(params["A0"]) + 1.0
    Y = np.zeros((1, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for call in (lambda: coursekit.forward(params, X, "identity"),
                     lambda: coursekit.total_cost(params, X, Y, "identity"),
                     lambda: coursekit.predict(params, X, "identity"),
                     lambda: coursekit.gradient_descent(params, X, Y, 0.1, 2, "identity"),
                     lambda: coursekit.gradcheck(params, X, Y, "identity")):
            with pytest.raises(ValueError) as error:
                call()
            for word in words:
                assert word in str(error.value), (word, str(error.value))


def test_overflow_of_the_cost_and_of_the_gradients_is_named():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        params = {"A0": np.array([[1e210]]), "b0": np.zeros((1, 1))}
        with pytest.raises(ValueError, match=r"Z1.*layer 1 overflows"):
            coursekit.forward(params, np.array([[1e100, 1.0]]), "identity")          # Z1 = 1e310
        params = {"A0": np.array([[1e150]]), "b0": np.zeros((1, 1))}
        with pytest.raises(ValueError, match=r"total cost E = inf overflows"):
            coursekit.total_cost(params, np.array([[1e10]]), np.zeros((1, 1)), "identity")   # ½ (1e160)²
        params = {"A0": np.array([[1e-10]]), "b0": np.zeros((1, 1))}
        X, Y = np.array([[1e160]]), np.zeros((1, 1))
        assert coursekit.total_cost(params, X, Y, "identity") == pytest.approx(0.5e300)  # Z1 = 1e150, E finite
        with pytest.raises(ValueError, match=r"∂E/∂A0.*overflows float64 at layer 1"):
            coursekit.backward(params, coursekit.forward(params, X, "identity"), Y, "identity")  # δ f0ᵀ = 1e310


# ---- np.matrix and masked arrays are converted explicitly or refused by name ----------------------------

@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
def test_np_matrix_inputs_are_converted_to_plain_arrays():
    params, X, Y = lecture_problem()
    as_matrix = {key: np.matrix(value) for key, value in params.items()}
    trace = coursekit.forward(as_matrix, np.matrix(X))
    assert all(type(value) is np.ndarray for value in trace.values())
    grads = coursekit.backward(as_matrix, trace, np.matrix(Y))
    expected = coursekit.backward(params, coursekit.forward(params, X), Y)
    for key in params:
        assert type(grads[key]) is np.ndarray
        np.testing.assert_array_equal(grads[key], expected[key])
    assert coursekit.total_cost(as_matrix, np.matrix(X), np.matrix(Y)) == coursekit.total_cost(params, X, Y)


def test_masked_arrays_are_refused_when_something_is_masked():
    params, X, Y = lecture_problem()
    masked = np.ma.masked_array(X, mask=np.eye(2, 4, dtype=bool))
    with pytest.raises(TypeError, match=r"X is a masked array with masked entries \(first X\[0, 0\]\).*filled"):
        coursekit.forward(params, masked)
    unmasked = np.ma.masked_array(X, mask=False)
    np.testing.assert_array_equal(coursekit.forward(params, unmasked)["f2"], coursekit.forward(params, X)["f2"])


def test_large_arrays_changed_in_place_between_forward_passes():
    # X and A0 above 2¹⁵ entries: forward keeps one copy while they do not change, and a new one when they do
    rng = np.random.default_rng(0)
    params = coursekit.init_params([300, 120, 2], seed=0)
    X, Y = rng.normal(size=(300, 130)), rng.uniform(size=(2, 130))
    first = coursekit.forward(params, X)
    again = coursekit.forward(params, X)
    assert again["f0"] is first["f0"] and again.params["A0"] is first.params["A0"]   # unchanged: shared, read-only
    X[3, 4] += 1.0
    params["A0"][5, 6] = 0.25
    second = coursekit.forward(params, X)
    assert second["f0"][3, 4] - first["f0"][3, 4] == pytest.approx(1.0, rel=1e-12)        # the first trace kept its X
    with pytest.raises(ValueError, match=r"params changed since forward\(\): A0.*A0\[5, 6\]: 0\.25 now"):
        coursekit.backward(params, first, Y)
    np.testing.assert_allclose(coursekit.backward(params, second, Y)["A0"],
                               coursekit.backward(params, dict(second), Y)["A0"], rtol=0)
