"""coursekit.layers: every backward rule against central differences of its forward (through an independent
oracle where one exists), the chained K-layer network against the oracle's total cost, overflow safety, and
errors that name the symbol and both shapes."""
import math
import warnings

import numpy as np
import pytest

import oracles
from coursekit import layers

RNG = np.random.default_rng(2024)


def numerical(E, **inputs):
    """∂E/∂(each input) by the oracle's central differences; E takes the inputs as keywords."""
    return oracles.central_differences(lambda p: E(**p), inputs)


# ----------------------------------------------------------------------------------------------- affine

@pytest.mark.parametrize("n_out, n_in, R", [(2, 3, 4), (3, 3, 1), (1, 4, 5), (4, 2, 2)])
def test_affine_forward_is_A_f_plus_b_entry_by_entry(n_out, n_in, R):
    f, A, b = RNG.normal(size=(n_in, R)), RNG.normal(size=(n_out, n_in)), RNG.normal(size=(n_out, 1))
    Z, cache = layers.affine_forward(f, A, b)
    for r in range(R):
        expected = oracles.forward_column({"A0": A, "b0": b}, f[:, r].tolist(), ["identity"])[1]
        assert np.allclose(Z[:, r], expected, rtol=1e-14, atol=1e-15)
    assert all(x is y for x, y in zip(cache, (f, A, b)))


@pytest.mark.parametrize("n_out, n_in, R", [(2, 3, 4), (3, 3, 1), (1, 4, 5), (4, 2, 2)])
def test_affine_backward_equals_central_differences_of_a_cost_seen_from_above(n_out, n_in, R):
    f, A, b = RNG.normal(size=(n_in, R)), RNG.normal(size=(n_out, n_in)), RNG.normal(size=(n_out, 1))
    dZ = RNG.normal(size=(n_out, R))                      # E = Σ dZ ⊙ Z has ∂E/∂Z = dZ

    def E(f, A, b):
        return math.fsum((dZ * (A @ f + b)).ravel())
    expected = numerical(E, f=f, A=A, b=b)
    df, dA, db = layers.affine_backward(dZ, layers.affine_forward(f, A, b)[1])
    for mine, key in ((df, "f"), (dA, "A"), (db, "b")):
        assert mine.shape == expected[key].shape
        assert np.allclose(mine, expected[key], rtol=1e-7, atol=1e-9), key


def test_affine_backward_leaves_its_inputs_alone_and_gives_the_same_twice():
    f, A, b, dZ = RNG.normal(size=(3, 4)), RNG.normal(size=(2, 3)), RNG.normal(size=(2, 1)), RNG.normal(size=(2, 4))
    copies = [x.copy() for x in (f, A, b, dZ)]
    cache = layers.affine_forward(f, A, b)[1]
    first, second = layers.affine_backward(dZ, cache), layers.affine_backward(dZ, cache)
    assert all(np.array_equal(x, y) for x, y in zip(first, second))
    assert all(np.array_equal(x, y) for x, y in zip((f, A, b, dZ), copies))


# ----------------------------------------------------------------------------------------- activations

@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_elementwise_backward_equals_central_differences(name):
    Z = RNG.normal(size=(3, 4))
    Z[np.abs(Z) < 1e-3] = 0.5                               # keep ReLU's kink out of reach of h
    G = RNG.normal(size=Z.shape)                            # E = Σ G ⊙ f, so ∂E/∂f = G
    element = oracles.ELEMENTWISE[name]

    def E(Z):
        return math.fsum(G[i, r] * element(Z[i, r]) for i in range(Z.shape[0]) for r in range(Z.shape[1]))
    f, cache = getattr(layers, f"{name}_forward")(Z)
    assert np.allclose(f, np.vectorize(element)(Z), rtol=1e-14, atol=1e-300)
    dZ = getattr(layers, f"{name}_backward")(G, cache)
    assert np.allclose(dZ, numerical(E, Z=Z)["Z"], rtol=1e-7, atol=1e-9)


def test_softmax_backward_is_the_jacobian_of_the_oracle_softmax_times_the_upstream_column():
    Z, dp = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
    p, cache = layers.softmax_forward(Z)
    dZ = layers.softmax_backward(dp, cache)
    for r in range(Z.shape[1]):
        J = oracles.numerical_jacobian(oracles.softmax_column, Z[:, r])     # J[i, j] = ∂p_i/∂z_j
        assert np.allclose(p[:, r], oracles.softmax_column(Z[:, r].tolist()), rtol=1e-14)
        assert np.allclose(dZ[:, r], J.T @ dp[:, r], rtol=1e-7, atol=1e-9)   # ∂E/∂z_j = Σ_i ∂E/∂p_i ∂p_i/∂z_j


# ---------------------------------------------------------------------------------------------- losses

def _targets(kind, n, R):
    if kind == "one-hot":
        return np.eye(n)[:, RNG.integers(0, n, size=R)]
    if kind == "soft":
        return RNG.dirichlet(np.ones(n), size=R).T
    return RNG.uniform(size=(n, R))


LOSSES = [("squared", "squared_error", "any", "f"),
          ("binary_cross_entropy", "sigmoid_cross_entropy", "any", "Z"),
          ("categorical_cross_entropy", "softmax_cross_entropy", "soft", "Z"),
          ("categorical_cross_entropy", "softmax_cross_entropy", "one-hot", "Z")]


@pytest.mark.parametrize("cost, layer, targets, takes", LOSSES, ids=[f"{c}-{t}" for c, _, t, _ in LOSSES])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_loss_layers_match_the_oracle_cost_and_their_backward_equals_central_differences(cost, layer, targets,
                                                                                         takes, reduction):
    n, R = 3, 5
    X, Y = RNG.normal(size=(n, R)), _targets(targets, n, R)
    forward, backward = getattr(layers, f"{layer}_forward"), getattr(layers, f"{layer}_backward")
    per = 1 / R if reduction == "mean" else 1.0

    def E(X):
        columns = []
        for r in range(R):
            x = X[:, r].tolist()
            f = x if takes == "f" else oracles.activate("sigmoid" if cost == "binary_cross_entropy" else "softmax", x)
            columns.append(oracles.example_cost(cost, f, x, Y[:, r].tolist()))
        return per * math.fsum(columns)
    value, cache = forward(X, Y, reduction)
    assert isinstance(value, float) and math.isclose(value, E(X), rel_tol=1e-12)
    assert np.allclose(backward(cache), numerical(E, X=X)["X"], rtol=1e-6, atol=1e-9)


def test_the_loss_layers_stay_finite_and_quiet_with_pre_activations_in_the_hundreds():
    Z = np.array([[800.0, -750.0, 0.5], [-790.0, 760.0, 0.2], [10.0, -800.0, 0.1]])
    Y = np.eye(3)[:, [1, 2, 0]]                              # the first two targets are the improbable class
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        E, cache = layers.softmax_cross_entropy_forward(Z, Y)
        dZ = layers.softmax_cross_entropy_backward(cache)
        Eb, cache_b = layers.sigmoid_cross_entropy_forward(Z, Y)
        dZb = layers.sigmoid_cross_entropy_backward(cache_b)
        p, _ = layers.softmax_forward(Z)
    oracle = math.fsum(oracles.example_cost("categorical_cross_entropy", None, Z[:, r].tolist(), Y[:, r].tolist())
                       for r in range(3))
    assert math.isclose(E, oracle, rel_tol=1e-12) and E > 1500
    assert np.isfinite(dZ).all() and np.allclose(dZ[:, 0], [1.0, -1.0, 0.0], atol=1e-12)
    assert np.isfinite([Eb]).all() and np.isfinite(dZb).all() and np.allclose(p.sum(axis=0), 1.0)


# ------------------------------------------------------------------------------------ the whole network

NETWORKS = [([2, 3, 1], "sigmoid", "squared"), ([3, 4, 2], ["tanh", "sigmoid"], "binary_cross_entropy"),
            ([3, 4, 5, 3], ["sigmoid", "relu", "softmax"], "categorical_cross_entropy"),
            ([4, 3, 3], ["tanh", "softmax"], "squared"), ([2, 2], "sigmoid", "cross_entropy"),
            ([3, 4, 2], ["relu", "identity"], "squared")]


def _params(sizes):
    return {key: value for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))
            for key, value in ((f"A{i}", RNG.normal(size=(n_out, n_in))), (f"b{i}", RNG.normal(size=(n_out, 1))))}


@pytest.mark.parametrize("sizes, activation, cost", NETWORKS, ids=[f"{'-'.join(map(str, s))}-{c}" for s, _, c in NETWORKS])
def test_loss_and_grads_equals_central_differences_of_the_oracle_total_cost(sizes, activation, cost):
    params, R = _params(sizes), 4
    X = RNG.normal(size=(sizes[0], R))
    Y = _targets("one-hot" if cost == "categorical_cross_entropy" else "any", sizes[-1], R)
    names = [activation] * (len(sizes) - 1) if isinstance(activation, str) else activation
    oracle_cost = "binary_cross_entropy" if cost == "cross_entropy" else cost
    E, grads = layers.loss_and_grads(params, X, Y, activation, cost)
    assert math.isclose(E, oracles.total_cost(params, X, Y, names, oracle_cost), rel_tol=1e-12)
    expected = oracles.central_differences(lambda p: oracles.total_cost(p, X, Y, names, oracle_cost), params)
    assert list(grads) == list(params)
    for key in params:
        assert np.allclose(grads[key], expected[key], rtol=1e-6, atol=1e-8), key
    E_mean, grads_mean = layers.loss_and_grads(params, X, Y, activation, cost, reduction="mean")
    assert math.isclose(E_mean, E / R, rel_tol=1e-14)
    assert all(np.allclose(grads_mean[key], grads[key] / R, rtol=1e-14) for key in params)


def test_loss_and_grads_equals_the_oracles_two_layer_backward_paths():
    params, X = _params([3, 5, 4]), RNG.normal(size=(3, 6))
    Y = _targets("one-hot", 4, 6)
    _, grads = layers.loss_and_grads(params, X, Y, ["tanh", "softmax"], "categorical_cross_entropy")
    expected = oracles.two_layer_gradients(params, X, Y, "tanh", "softmax", "categorical_cross_entropy")
    assert all(np.allclose(grads[key], expected[key], rtol=1e-12, atol=1e-14) for key in params)


# ---------------------------------------------------------------------------------------------- errors

def test_errors_name_the_symbol_and_both_shapes():
    f, A, b = np.ones((3, 4)), np.ones((2, 3)), np.ones((2, 1))
    with pytest.raises(ValueError, match=r"A must have n_in = 3 columns to multiply f \(3, 4\).*got A of shape "
                                         r"\(2, 4\) \(examples go in columns: try f.T\)"):
        layers.affine_forward(f, np.ones((2, 4)), b)
    with pytest.raises(ValueError, match=r"b must be a 2-D matrix.*1-D array would broadcast"):
        layers.affine_forward(f, A, np.ones(2))
    with pytest.raises(ValueError, match=r"b must have shape \(2, 1\).*got \(3, 1\)"):
        layers.affine_forward(f, A, np.ones((3, 1)))
    cache = layers.affine_forward(f, A, b)[1]
    with pytest.raises(ValueError, match=r"dZ must have the shape \(2, 4\).*got \(4, 2\) \(transposed\?"):
        layers.affine_backward(np.ones((4, 2)), cache)
    with pytest.raises(ValueError, match=r"df must have the shape \(2, 4\)"):
        layers.sigmoid_backward(np.ones((2, 3)), layers.sigmoid_forward(np.ones((2, 4)))[1])
    with pytest.raises(ValueError, match=r"column r = 1 sums to 0\.5"):
        layers.softmax_cross_entropy_forward(np.zeros((2, 2)), np.array([[1.0, 0.5], [0.0, 0.0]]))
    with pytest.raises(ValueError, match=r"unknown reduction 'average'"):
        layers.squared_error_forward(np.zeros((2, 2)), np.zeros((2, 2)), reduction="average")
    with pytest.raises(ValueError, match=r"Y must have the shape \(2, 3\) of f.*got \(3, 2\)"):
        layers.squared_error_forward(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"non-finite entry"):
        layers.affine_forward(np.array([[np.nan]]), np.ones((1, 1)), np.ones((1, 1)))


def test_loss_and_grads_refuses_a_cost_that_does_not_suit_the_output_layer():
    params = _params([2, 3, 2])
    X, Y = np.zeros((2, 3)), np.eye(2)[:, [0, 1, 0]]
    with pytest.raises(ValueError, match="needs a softmax output layer; the output layer uses 'sigmoid'"):
        layers.loss_and_grads(params, X, Y, "sigmoid", "categorical_cross_entropy")
    with pytest.raises(ValueError, match="activation lists 3 names but the network has K = 2 layers"):
        layers.loss_and_grads(params, X, Y, ["sigmoid"] * 3)
    with pytest.raises(ValueError, match=r"X \(= f0\) must have n0 = 2 rows.*got X of shape \(3, 3\)"):
        layers.loss_and_grads(params, np.zeros((3, 3)), Y)
