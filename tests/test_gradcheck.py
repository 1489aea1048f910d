"""gradcheck() says right for coursekit's gradients and points at the parameter and entry that is wrong."""
import numpy as np
import pytest

import coursekit
from coursekit.gradcheck import RIGHT, WRONG, rel_error, verdict


def setup():
    X, Y = coursekit.data.two_moons(R=12, seed=1)
    return coursekit.init_params([2, 3, 1], seed=2), X, Y


def test_right_gradients_pass_for_every_cost_and_activation():
    params, X, Y = setup()
    for activation in ("sigmoid", "tanh", ["relu", "sigmoid"]):
        for cost in ("squared", "cross_entropy"):
            if cost == "cross_entropy" and activation == "tanh":
                continue
            check = coursekit.gradcheck(params, X, Y, activation, cost)
            assert check.passed and bool(check) and check.verdict == "right", check
            assert check.max_error <= RIGHT
            assert check.wrong_parameters() == []


def test_a_broken_weight_gradient_is_named():
    params, X, Y = setup()

    def broken(params, trace, Y):
        grads = coursekit.backward(params, trace, Y)
        grads["A0"] = grads["A0"].copy()
        grads["A0"][1, 0] *= -1                        # one entry of ∂E/∂A0 with the wrong sign
        return grads

    check = coursekit.gradcheck(params, X, Y, backward_fn=broken)
    assert not check and check.verdict == "wrong"
    assert check.wrong_parameters() == ["A0"]
    assert check.worst["A0"][0] == (1, 0)
    index, analytic, numerical = check.worst["A0"]
    assert analytic == pytest.approx(-numerical, rel=1e-7) and analytic != 0
    assert check.errors["A1"] <= RIGHT
    text = repr(check)
    assert "WRONG" in text and "A0[1, 0]" in text


def test_given_grads_with_a_missing_sigma_prime_are_wrong():
    params, X, Y = setup()
    trace = coursekit.forward(params, X)
    delta2 = trace["f2"] - Y                           # forgot ⊙ σ'(Z2)
    grads = coursekit.backward(params, trace, Y)
    grads["b1"] = delta2.sum(axis=1, keepdims=True)
    check = coursekit.gradcheck(params, X, Y, grads=grads)
    assert check.errors["b1"] > WRONG and check.verdict == "wrong"


def test_relative_error_and_thresholds():
    a = np.array([1.0, 2.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(a, -a) == 1.0
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0
    assert verdict(1e-9) == "right" and verdict(1e-4) == "suspicious" and verdict(0.5) == "wrong"


def test_bad_grads_are_refused_by_name():
    params, X, Y = setup()
    grads = coursekit.backward(params, coursekit.forward(params, X), Y)
    with pytest.raises(ValueError, match=r"∂E/∂A0 must have the shape of A0 \(3, 2\); got \(2, 3\)"):
        coursekit.gradcheck(params, X, Y, grads={**grads, "A0": grads["A0"].T})
    with pytest.raises(ValueError, match="lack b1"):
        coursekit.gradcheck(params, X, Y, grads={k: v for k, v in grads.items() if k != "b1"})


def test_softmax_with_categorical_cross_entropy_passes():
    rng = np.random.default_rng(0)
    params = coursekit.init_params([3, 4, 5], seed=1)
    X, Y = rng.normal(size=(3, 6)), np.eye(5)[rng.integers(0, 5, 6)].T
    for activation in (["tanh", "softmax"], ["softmax", "softmax"]):
        for cost in ("categorical_cross_entropy", "squared"):
            check = coursekit.gradcheck(params, X, Y, activation, cost)
            assert check.passed, check
