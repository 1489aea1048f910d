"""gradcheck() says right for coursekit's gradients, wrong for wrong ones, and names the parameter and entry."""
import time
import warnings

import numpy as np
import pytest

import coursekit
from coursekit.gradcheck import RIGHT, WRONG, KinkWarning, numerical_grads, rel_error, verdict

import oracles


def setup():
    X, Y = coursekit.data.two_moons(R=12, seed=1)
    return coursekit.init_params([2, 3, 1], seed=2), X, Y


def grads_of(params, X, Y, activation="sigmoid", cost="squared"):
    return coursekit.backward(params, coursekit.forward(params, X, activation), Y, activation, cost)


def test_right_gradients_pass_for_every_cost_and_activation():
    params, X, Y = setup()
    for activation in ("sigmoid", "tanh", ["relu", "sigmoid"], ["identity", "sigmoid"]):
        for cost in ("squared", "binary_cross_entropy"):
            if cost != "squared" and activation == "tanh":
                continue
            check = coursekit.gradcheck(params, X, Y, activation, cost)
            assert check.passed and bool(check) and check.verdict == "right", check
            assert check.max_error <= RIGHT
            assert check.wrong_parameters() == []


def test_softmax_with_categorical_cross_entropy_passes():
    rng = np.random.default_rng(0)
    params = coursekit.init_params([3, 4, 5], seed=1)
    X, Y = rng.normal(size=(3, 6)), np.eye(5)[rng.integers(0, 5, 6)].T
    for activation in (["tanh", "softmax"], ["softmax", "softmax"]):
        for cost in ("categorical_cross_entropy", "squared"):
            check = coursekit.gradcheck(params, X, Y, activation, cost)
            assert check.passed, check


def test_numerical_gradients_agree_with_an_independent_oracle():
    params, X, Y = setup()
    params["b0"] = np.array([[0.3], [-0.2], [0.1]])
    params["A1"] = params["A1"] * 1e3                      # large entries: the step h max(1, |θ|) is relative
    numerical = numerical_grads(params, X, Y, "tanh", "squared")
    expected = oracles.central_differences(lambda p: oracles.total_cost(p, X, Y, ["tanh", "tanh"], "squared"),
                                           params, h=1e-6)
    for key in params:
        np.testing.assert_allclose(numerical[key], expected[key], rtol=1e-6, atol=1e-7)
    assert coursekit.gradcheck(params, X, Y, "tanh")


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
    assert check.errors["A0"] == pytest.approx(2.0, rel=1e-6)         # |a − n| / max(|a|, |n|) for a = −n
    assert check.errors["A1"] <= RIGHT
    text = repr(check)
    assert "WRONG" in text and "A0[1, 0]" in text


def test_one_doubled_entry_of_a_20_by_30_A0_reads_wrong():
    # the old whole-matrix error read 1e-2 or less here; per entry it is |2n − n| / |2n| = 0.5
    rng = np.random.default_rng(0)
    params = coursekit.init_params([30, 20, 1], seed=0)
    X, Y = rng.normal(size=(30, 50)), rng.uniform(size=(1, 50))
    grads = grads_of(params, X, Y)
    grads["A0"][7, 11] *= 2
    check = coursekit.gradcheck(params, X, Y, grads=grads)
    assert check.verdict == "wrong" and check.wrong_parameters() == ["A0"]
    assert check.worst["A0"][0] == (7, 11)
    assert check.errors["A0"] == pytest.approx(0.5, rel=1e-6)
    assert check.entry_errors["A0"][7, 11] == pytest.approx(0.5, rel=1e-6)
    others = np.delete(check.entry_errors["A0"].ravel(), 7 * 30 + 11)
    assert others.max() <= RIGHT


def test_the_floor_does_not_grow_with_E():
    # 400 copies of the same 12 examples: E and every gradient grow 400-fold, the relative errors stay
    params, X, Y = setup()
    big_X, big_Y = np.tile(X, 400), np.tile(Y, 400)
    grads = grads_of(params, big_X, big_Y)
    grads["b0"][2, 0] *= 1.5
    check = coursekit.gradcheck(params, big_X, big_Y, grads=grads)
    assert coursekit.total_cost(params, big_X, big_Y) > 500
    assert check.worst["b0"][0] == (2, 0) and check.errors["b0"] == pytest.approx(1 / 3, rel=1e-5)
    assert check.errors["A0"] <= RIGHT and check.errors["A1"] <= RIGHT


@pytest.mark.parametrize("key", ["A0", "b0", "A1", "b1"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_non_finite_gradient_anywhere_is_wrong_and_named(key, bad):
    params, X, Y = setup()
    grads = grads_of(params, X, Y)
    index = (grads[key].shape[0] - 1, grads[key].shape[1] - 1)
    grads[key][index] = bad
    for sample in (None, 1):                            # also when the bad entry is not among the sampled ones
        check = coursekit.gradcheck(params, X, Y, grads=grads, sample=sample)
        assert check.verdict == "wrong" and not check, check
        assert check.wrong_parameters()[0] == key
        assert check.worst[key][0] == index
        assert f"{key}[{index[0]}, {index[1]}]: {bad}" in repr(check)


def test_relu_at_a_kink_is_a_warning_not_wrong():
    # XOR with init_params: b0 = 0 and the corner x = (0, 0) give Z1 = 0 exactly, ReLU's kink
    X, Y = coursekit.data.xor()
    params = coursekit.init_params([2, 3, 1], seed=0)
    with pytest.warns(KinkWarning, match="ReLU kink"):
        check = coursekit.gradcheck(params, X, Y, ["relu", "sigmoid"])
    assert check.verdict == "right" and check.passed
    assert len(check.kinks["b0"]) == 3 and check.parameter_verdict("b0") == "unjudged"
    assert "ReLU kink" in repr(check) and "b0[0, 0]" in repr(check)
    grads = grads_of(params, X, Y, ["relu", "sigmoid"])
    grads["A1"] = -grads["A1"]                          # a real mistake elsewhere is still found
    with pytest.warns(KinkWarning):
        assert coursekit.gradcheck(params, X, Y, ["relu", "sigmoid"], grads=grads).verdict == "wrong"


def test_gradients_below_the_finite_difference_noise_are_right():
    # 50 sigmoid layers: the first layers' gradients are ~1e-37, far below the noise ε E / h of a difference
    rng = np.random.default_rng(0)
    params = coursekit.init_params([4] + [5] * 50 + [2], seed=1)
    X, Y = rng.normal(size=(4, 8)), rng.uniform(size=(2, 8))
    assert np.abs(grads_of(params, X, Y)["A0"]).max() < 1e-20
    check = coursekit.gradcheck(params, X, Y)
    assert check.verdict == "right", check
    grads = grads_of(params, X, Y)
    grads["b50"] = 2 * grads["b50"]                      # and a mistake above the noise is still wrong
    assert coursekit.gradcheck(params, X, Y, grads=grads).wrong_parameters() == ["b50"]


def test_backward_fn_gets_the_same_activation_and_cost():
    params, X, Y = setup()
    for activation, cost in (("tanh", "squared"), (["tanh", "sigmoid"], "binary_cross_entropy")):
        assert coursekit.gradcheck(params, X, Y, activation, cost, backward_fn=coursekit.backward)
    seen = {}

    def by_keywords(params, trace, Y, **options):
        seen.update(options)
        return coursekit.backward(params, trace, Y, **options)

    assert coursekit.gradcheck(params, X, Y, "tanh", backward_fn=by_keywords)
    assert seen == {"activation": "tanh", "cost": "squared"}

    def sigmoid_only(params, trace, Y):                 # Backward Paths written for σ = sigmoid only
        return oracles.two_layer_gradients(params, trace["f0"], Y, "sigmoid", "sigmoid", "squared")

    check = coursekit.gradcheck(params, X, Y, "tanh", backward_fn=sigmoid_only)
    assert check.verdict == "wrong" and "takes no activation= argument" in repr(check)


def test_a_backward_fn_that_changes_its_inputs_in_place_is_told_so():
    params, X, Y = setup()

    def in_place(params, trace, Y):
        delta = trace["f2"]
        delta -= Y                                      # changes the trace
        return coursekit.backward(params, trace, Y)

    with pytest.raises(ValueError, match=r"backward_fn tried to change params, the trace or Y in place.*f2 - Y"):
        coursekit.gradcheck(params, X, Y, backward_fn=in_place)


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
    assert rel_error(a, -a) == 2.0                      # per entry |a − n| / max(|a|, |n|): a sign flip is 2
    assert rel_error(np.array([1.0, 100.0]), np.array([2.0, 100.0])) == 0.5      # the worst entry, not the norm
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0
    assert verdict(1e-9) == "right" and verdict(1e-4) == "suspicious" and verdict(0.5) == "wrong"
    assert verdict(float("nan")) == "wrong" and verdict(float("inf")) == "wrong"


def test_bad_grads_are_refused_by_name():
    params, X, Y = setup()
    grads = grads_of(params, X, Y)
    with pytest.raises(ValueError, match=r"∂E/∂A0 must have the shape of A0 \(3, 2\); got \(2, 3\)"):
        coursekit.gradcheck(params, X, Y, grads={**grads, "A0": grads["A0"].T})
    with pytest.raises(ValueError, match="lack b1"):
        coursekit.gradcheck(params, X, Y, grads={k: v for k, v in grads.items() if k != "b1"})
    with pytest.raises(TypeError, match="∂E/∂b1 must hold real numbers"):
        coursekit.gradcheck(params, X, Y, grads={**grads, "b1": [["x"]]})


def test_sampling_large_networks():
    rng = np.random.default_rng(3)
    params = coursekit.init_params([100, 60, 3], seed=0)          # 6,243 entries: more than ALL_UP_TO
    X, Y = rng.normal(size=(100, 5)), rng.uniform(size=(3, 5))
    check = coursekit.gradcheck(params, X, Y)
    assert check.passed
    assert check.checked == {"A0": 20, "b0": 20, "A1": 20, "b1": 3}
    assert np.isnan(check.numerical["A0"]).sum() == 6000 - 20
    assert "sampled: 20 entries of each of A0, b0, A1 (seed 0)" in repr(check) and "sample='all'" in repr(check)
    again = coursekit.gradcheck(params, X, Y)
    np.testing.assert_array_equal(np.isnan(again.numerical["A0"]), np.isnan(check.numerical["A0"]))   # seeded
    other = coursekit.gradcheck(params, X, Y, seed=1)
    assert not np.array_equal(np.isnan(other.numerical["A0"]), np.isnan(check.numerical["A0"]))
    assert coursekit.gradcheck(params, X, Y, sample=4).checked == {"A0": 4, "b0": 4, "A1": 4, "b1": 3}
    small = coursekit.init_params([3, 4, 2], seed=0)
    full = coursekit.gradcheck(small, X[:3], Y[:2], sample="all")
    assert full.checked == {"A0": 12, "b0": 4, "A1": 8, "b1": 2} and "sampled" not in repr(full)


def test_a_784_4096_10_network_is_checked_in_seconds():
    rng = np.random.default_rng(0)
    params = coursekit.init_params([784, 4096, 10], seed=0)
    X, Y = rng.normal(size=(784, 16)), np.eye(10)[rng.integers(0, 10, 16)].T
    start = time.perf_counter()
    check = coursekit.gradcheck(params, X, Y, ["sigmoid", "softmax"], "categorical_cross_entropy")
    seconds = time.perf_counter() - start
    assert check.passed, check
    assert check.checked == {"A0": 20, "b0": 20, "A1": 20, "b1": 10}
    assert seconds < 60, seconds                              # a few seconds on a quiet machine


def test_the_report_keeps_its_layout():
    params, X, Y = setup()
    grads = grads_of(params, X, Y)
    grads["b0"] = 3 * grads["b0"]
    lines = repr(coursekit.gradcheck(params, X, Y, grads=grads)).splitlines()
    assert lines[0] == "gradient check (central differences, h = 1e-04 · max(1, |θ|)): WRONG"
    assert lines[1].split() == ["θ", "shape", "rel.", "error", "verdict", "worst", "entry:", "analytic", "vs",
                                "numerical"]
    assert [line.split()[0] for line in lines[2:6]] == ["A0", "b0", "A1", "b1"]
    assert lines[3].split()[3:5] == ["6.7e-01", "wrong"] and "b0[" in lines[3]
    assert lines[2].split()[4:] == ["right", "—"]
    assert lines[-1] == "  thresholds: ≤ 1e-07 right, > 1e-02 wrong, in between suspicious"
    with warnings.catch_warnings():
        warnings.simplefilter("error")                         # no warning when there is no kink
        coursekit.gradcheck(params, X, Y)


# ---- property tests over random networks (the strategy of test_network) --------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from test_network import problems  # noqa: E402


@settings(max_examples=60)
@given(problems(), st.data())
def test_coursekits_gradients_are_right_and_one_doubled_entry_is_wrong(problem, data):
    params, X, Y, activations, cost = problem
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KinkWarning)        # entries at a ReLU kink are left out, by design
        check = coursekit.gradcheck(params, X, Y, activations, cost)
        assert check.verdict == "right", check
        grads = grads_of(params, X, Y, activations, cost)
        key = data.draw(st.sampled_from(sorted(params)))
        index = np.unravel_index(np.argmax(np.abs(grads[key])), grads[key].shape)
        if abs(grads[key][index]) < 1e-3 or index in check.kinks[key]:
            return                                          # too close to the noise, or at a kink: not judgeable
        grads[key][index] *= 2
        broken = coursekit.gradcheck(params, X, Y, activations, cost, grads=grads)
    assert broken.verdict == "wrong" and broken.worst[key][0] == tuple(int(i) for i in index), broken
    assert broken.errors[key] == pytest.approx(0.5, rel=1e-3)
