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


def relative(a, n, E):
    # the denominator never falls below the finite-difference noise level ≈ 1e-7 max(1, E)
    return np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n), 1e-7 * max(1.0, abs(E)))


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
        assert relative(grads[key], numerical[key], E) < 1e-6, key


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
