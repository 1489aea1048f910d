"""Gradient descent and the data sets."""
import numpy as np
import pytest

import coursekit
from coursekit import data


def test_gradient_descent_lowers_the_cost_on_two_moons():
    X, Y = data.two_moons(R=200, seed=0)
    params = coursekit.init_params([2, 8, 1], seed=0)
    before = {k: v.copy() for k, v in params.items()}
    new, history = coursekit.gradient_descent(params, X, Y, eta=0.05, steps=1000, cost="cross_entropy")
    assert all(np.array_equal(params[k], before[k]) for k in params)          # the input is not modified
    assert len(history) == 1001
    assert history[0] == pytest.approx(coursekit.total_cost(params, X, Y, cost="cross_entropy"))
    assert history[-1] == pytest.approx(coursekit.total_cost(new, X, Y, cost="cross_entropy"))
    assert history[-1] < 0.4 * history[0]
    assert coursekit.accuracy(new, X, Y) > 0.95


def test_one_step_is_the_update_rule():
    X, Y = data.xor()
    params = coursekit.init_params([2, 3, 1], seed=1)
    grads = coursekit.backward(params, coursekit.forward(params, X), Y)
    new, history = coursekit.gradient_descent(params, X, Y, eta=0.3, steps=1)
    for key in params:                                                        # θ(1) = θ(0) − η ∂E/∂θ
        np.testing.assert_allclose(new[key], params[key] - 0.3 * grads[key], rtol=1e-15)
    assert history.shape == (2,)


def test_callback_sees_each_step_and_can_stop():
    X, Y = data.xor()
    seen = []

    def callback(t, params, E):
        seen.append((t, E))
        return t == 4

    new, history = coursekit.gradient_descent(coursekit.init_params([2, 3, 1]), X, Y, 0.5, 100, callback=callback)
    assert [t for t, _ in seen] == [0, 1, 2, 3, 4]
    assert [E for _, E in seen] == list(history)
    assert coursekit.total_cost(new, X, Y) == history[-1]


@pytest.mark.parametrize("make, n0, R", [
    (lambda seed: data.two_moons(R=101, seed=seed), 2, 101),
    (lambda seed: data.spirals(R=60, seed=seed), 2, 60),
])
def test_data_sets_are_deterministic_columns(make, n0, R):
    X, Y = make(3)
    X2, Y2 = make(3)
    X3, _ = make(4)
    assert X.shape == (n0, R) and Y.shape == (1, R) and X.dtype == np.float64
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2) and not np.array_equal(X, X3)
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert abs(Y.mean() - 0.5) <= 0.01


def test_xor():
    X, Y = data.xor()
    np.testing.assert_array_equal(Y[0], np.logical_xor(X[0], X[1]).astype(float))


def test_linear_regression_set():
    reg = data.linear_regression(N=40, seed=1)
    assert reg.Phi.shape == (40, 3) and reg.y.shape == (40, 1) and reg.theta.shape == (3, 1)
    np.testing.assert_array_equal(reg.Phi[:, 0], 1.0)
    np.testing.assert_array_equal(reg.Phi[:, 2], reg.x ** 2)
    fit = np.linalg.lstsq(reg.Phi, reg.y, rcond=None)[0]
    np.testing.assert_allclose(fit, reg.theta, atol=0.3)                      # noise 0.2 on 40 points


def test_digits_are_the_bundled_8x8_set():
    split = data.digits(test_fraction=0.25, seed=0)
    X, Y, X_test, Y_test = split
    assert X.shape[0] == 64 and Y.shape[0] == 10
    assert X.shape[1] + X_test.shape[1] == 1797 and X_test.shape[1] == 449
    assert X.min() >= 0 and X.max() <= 1
    assert np.array_equal(Y.sum(axis=0), np.ones(X.shape[1]))
    assert np.array_equal(data.digits(seed=0).X, X)


# ---- full batch and mini-batches against a loop written by hand (tests/oracles.py) -----------------------

import oracles  # noqa: E402


@pytest.mark.parametrize("hidden, output, cost", [("sigmoid", "sigmoid", "squared"),
                                                  ("tanh", "sigmoid", "binary_cross_entropy"),
                                                  ("sigmoid", "softmax", "categorical_cross_entropy")])
@pytest.mark.parametrize("batch_size", [None, 1, 7, 30])
def test_descent_follows_the_documented_steps(hidden, output, cost, batch_size):
    rng = np.random.default_rng(11)
    n_out = 3 if output == "softmax" else 1
    X = rng.normal(size=(2, 30))
    Y = np.eye(3)[rng.integers(0, 3, 30)].T if output == "softmax" else (rng.uniform(size=(1, 30)) > 0.5) * 1.0
    params = coursekit.init_params([2, 4, n_out], seed=3)
    new, history = coursekit.gradient_descent(params, X, Y, 0.05, 9, [hidden, output], cost,
                                              batch_size=batch_size, seed=4)
    expected = oracles.train_two_layer(params, X, Y, 0.05, 9, hidden, output, cost, batch_size, seed=4)
    for key in params:
        np.testing.assert_allclose(new[key], expected[key], rtol=1e-10, atol=1e-13)
    assert len(history) == 10                                  # E at θ(0), …, θ(9), over all R = 30 examples
    assert history[-1] == pytest.approx(oracles.total_cost(new, X, Y, [hidden, output], cost), rel=1e-10)
    assert history[0] == pytest.approx(oracles.total_cost(params, X, Y, [hidden, output], cost), rel=1e-10)


def test_mini_batches_are_deterministic_for_a_seed():
    X, Y = data.two_moons(R=60, seed=0)
    params = coursekit.init_params([2, 5, 1], seed=0)
    runs = [coursekit.gradient_descent(params, X, Y, 0.05, 20, batch_size=8, seed=s)[1] for s in (1, 1, 2)]
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])
    default = coursekit.gradient_descent(params, X, Y, 0.05, 20, batch_size=8)[1]
    np.testing.assert_array_equal(default, coursekit.gradient_descent(params, X, Y, 0.05, 20, batch_size=8,
                                                                      seed=0)[1])  # seed=None is seed 0
    full = coursekit.gradient_descent(params, X, Y, 0.05, 20)[1]
    np.testing.assert_allclose(coursekit.gradient_descent(params, X, Y, 0.05, 20, batch_size=60)[1], full,
                               rtol=1e-12)                    # one batch of all R: the full gradient


@pytest.mark.parametrize("kwargs, words", [
    ({"batch_size": 0}, ["batch_size", "≥ 1"]),
    ({"batch_size": 5}, ["batch_size = 5", "R = 4", "1 … 4"]),
    ({"batch_size": 2.0}, ["batch_size", "whole number"]),
    ({"batch_size": 2, "seed": -1}, ["seed", "≥ 0"]),
    ({"batch_size": 2, "seed": "x"}, ["seed", "whole number"]),
])
def test_batch_size_and_seed_are_checked(kwargs, words):
    X, Y = data.xor()
    with pytest.raises(ValueError) as error:
        coursekit.gradient_descent(coursekit.init_params([2, 3, 1]), X, Y, 0.5, 3, **kwargs)
    for word in words:
        assert word in str(error.value), (word, str(error.value))


# ---- divergence is an error, the callback sees snapshots, the history grows as it goes --------------------

def test_divergence_stops_at_the_first_non_finite_cost():
    X, Y = data.two_moons(R=50, seed=0)
    params = coursekit.init_params([2, 8, 1], seed=0)
    with pytest.raises(coursekit.Diverged) as error:
        coursekit.gradient_descent(params, X, Y, eta=1e4, steps=200, activation="identity")
    message = str(error.value)
    assert "diverged at step t =" in message and "η = 10000" in message and "η = 1000" in message
    assert "after E(θ(" in message
    t = error.value.step
    assert isinstance(error.value, ValueError) and error.value.eta == 1e4
    assert len(error.value.history) >= 1 and np.isfinite(error.value.history).all()
    assert f"after E(θ({len(error.value.history) - 1})) = {error.value.history[-1]:.6g}" in message
    assert 0 < t <= 200
    # the costs before the error are the costs of a run that stops just before it
    _, history = coursekit.gradient_descent(params, X, Y, eta=1e4, steps=len(error.value.history) - 1,
                                            activation="identity")
    np.testing.assert_array_equal(history, error.value.history)


def test_sigmoid_networks_diverge_by_name_too():
    X, Y = data.two_moons(R=50, seed=0)
    with pytest.raises(coursekit.Diverged, match=r"diverged at step t = \d+: (E|θ|∂E/∂θ)"):
        coursekit.gradient_descent(coursekit.init_params([2, 8, 1]), X, 1e150 * Y, eta=1e100, steps=50,
                                   activation=["sigmoid", "identity"])


def test_the_callback_gets_read_only_snapshots():
    X, Y = data.xor()
    seen = []

    def record(t, params, E):
        seen.append(params)
        with pytest.raises(ValueError, match="read-only"):
            params["A0"] += 1.0

    new, history = coursekit.gradient_descent(coursekit.init_params([2, 3, 1]), X, Y, 0.5, 4, callback=record)
    assert len(seen) == 4
    assert not any(np.array_equal(seen[0]["A0"], later["A0"]) for later in seen[1:])      # four different θ(t)
    assert coursekit.total_cost(seen[3], X, Y) == pytest.approx(history[3], rel=1e-14)
    assert not np.array_equal(seen[3]["A0"], new["A0"])                                    # θ(4) is new
    assert new["A0"].flags.writeable


def test_the_history_grows_as_it_goes():
    # steps = 10**9 used to reserve 7.5 GB up front; stopping after 3 steps now costs nothing
    X, Y = data.xor()
    new, history = coursekit.gradient_descent(coursekit.init_params([2, 3, 1]), X, Y, 0.5, 10**9,
                                              callback=lambda t, params, E: t == 3)
    assert history.shape == (4,)
