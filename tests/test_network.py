"""The network against independent oracles: central differences written here, a hand-written 2-layer pass,
and the lecture's explicit Jacobian form."""
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
