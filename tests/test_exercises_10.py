"""The checks of notebook 10: their references are right (against central differences and an independent
oracle), their problems carry the lesson (extreme entries, soft targets, R = 1, square A), and the rules of
beyond.py name what no single mutant expresses."""
import math

import numpy as np
import pytest

import oracles
from coursekit.exercises import EXERCISES, check
from coursekit.exercises.beyond import (AFFINE_BACKWARD, SOFTMAX_DELTA, SOFTMAX_JACOBIAN, _affine_reference,
                                        _delta, _softmax_jacobian)

IDS = ("10-softmax-jacobian", "10-softmax-delta", "10-affine-backward")
def all_cases(exercise, draws=20):
    """The practice problems and those of `draws` grading seeds."""
    return list(exercise.cases) + [case for seed in range(draws)
                                   for case in exercise.draw(np.random.default_rng([seed, 10]))]


def test_the_three_exercises_are_registered_as_analytic_and_forbid_what_they_ask_for():
    for exercise_id in IDS:
        assert exercise_id in EXERCISES and EXERCISES[exercise_id].analytic
    assert {"softmax", "numerical", "derivative"} <= set(SOFTMAX_JACOBIAN.forbidden)
    assert {"softmax", "numerical", "cost_gradient", "backward"} <= set(SOFTMAX_DELTA.forbidden)
    assert {"backward", "numerical"} <= set(AFFINE_BACKWARD.forbidden)


# ------------------------------------------------------------------------------- the references are right

def test_the_softmax_jacobian_reference_equals_central_differences_of_an_independent_softmax():
    for case in all_cases(SOFTMAX_JACOBIAN):
        z = case.args[0]
        numerical = oracles.numerical_jacobian(oracles.softmax_column, z)
        assert np.allclose(_softmax_jacobian(z), numerical, rtol=1e-6, atol=1e-8), case.label


def _categorical_cost(Z, Y):
    """E = Σ_r E^r with the oracle's log-sum-exp, one column at a time."""
    return math.fsum(oracles.example_cost("categorical_cross_entropy", None, Z[:, r].tolist(), Y[:, r].tolist())
                     for r in range(Z.shape[1]))


def test_the_delta_reference_equals_central_differences_of_the_categorical_total_cost():
    for case in all_cases(SOFTMAX_DELTA):
        ZK, Y = case.args
        numerical = oracles.central_differences(lambda p: _categorical_cost(p["Z"], Y), {"Z": ZK})["Z"]
        assert np.allclose(_delta(ZK, Y), numerical, rtol=1e-5, atol=1e-6), case.label


def test_the_affine_reference_equals_central_differences_of_the_layer_seen_from_above():
    for case in all_cases(AFFINE_BACKWARD):
        dZ, (f, A, b) = case.args

        def E(p):   # a cost whose ∂E/∂Z is dZ: E = Σ dZ ⊙ Z, Z = A f + b written entry by entry
            return math.fsum(dZ[i, r] * math.fsum([p["A"][i, k] * p["f"][k, r] for k in range(f.shape[0])]
                                                  + [p["b"][i, 0]])
                             for i in range(dZ.shape[0]) for r in range(dZ.shape[1]))
        numerical = oracles.central_differences(E, {"f": f, "A": A, "b": b}, h=1e-3)
        df, dA, db = _affine_reference(dZ, (f, A, b))
        scale = max(1.0, float(np.abs(dZ).max() * np.abs(f).max()))
        for mine, key in ((df, "f"), (dA, "A"), (db, "b")):
            assert np.allclose(mine, numerical[key], rtol=1e-6, atol=1e-7 * scale), (case.label, key)


# ------------------------------------------------------------------------------------- the problems teach

@pytest.mark.parametrize("exercise", [SOFTMAX_JACOBIAN, SOFTMAX_DELTA, AFFINE_BACKWARD], ids=IDS)
def test_every_draw_has_probes_and_an_extreme_problem_in_the_hundreds(exercise):
    for seed in range(20):
        cases = exercise.draw(np.random.default_rng([seed, 10]))
        extreme = [c for c in cases if "extreme" in c.tags]
        assert extreme and any("probe" in c.tags for c in cases)
        for case in extreme:
            largest = max(float(np.max(np.abs(a))) for a in _arrays(case.args))
            assert largest >= 700, case.label
            assert "hundreds" in case.label


def _arrays(args):
    for arg in args:
        if isinstance(arg, tuple):
            yield from _arrays(arg)
        else:
            yield np.asarray(arg)


def test_naive_exponentials_overflow_on_the_extreme_softmax_problems_and_not_elsewhere():
    for exercise in (SOFTMAX_JACOBIAN, SOFTMAX_DELTA):
        for case in all_cases(exercise):
            Z = np.asarray(case.args[0])
            with np.errstate(all="ignore"):
                naive = np.exp(Z) / np.exp(Z).sum(axis=0)
            assert np.isfinite(naive).all() == ("extreme" not in case.tags), case.label


def test_delta_problems_have_probability_targets_soft_ones_an_R1_case_and_an_underflowing_target():
    cases = SOFTMAX_DELTA.cases
    for case in cases:
        Y = case.args[1]
        assert np.all(Y >= 0) and np.allclose(Y.sum(axis=0), 1.0)
    assert any(not np.isin(case.args[1], (0.0, 1.0)).all() for case in cases), "soft targets teach Σ_k Y_k = 1"
    assert any("R=1" in case.tags and case.args[0].shape[1] == 1 for case in cases)
    extreme = next(case for case in cases if "extreme" in case.tags)
    ZK, Y = extreme.args
    target = int(np.argmax(Y[:, 0]))
    assert ZK[:, 0].max() - ZK[target, 0] > 745, "e^(z − max) of the target class underflows to 0"


def test_affine_problems_include_R1_a_square_A_and_shapes_that_expose_a_missing_transpose():
    cases = AFFINE_BACKWARD.cases
    shapes = [case.args[1][1].shape for case in cases]
    assert any("R=1" in case.tags for case in cases) and any("square" in case.tags for case in cases)
    assert sum(n_out != n_in for n_out, n_in in shapes) >= 3


def test_grading_draws_differ_from_practice_and_from_each_other():
    for exercise in (SOFTMAX_JACOBIAN, SOFTMAX_DELTA, AFFINE_BACKWARD):
        a, b = exercise.draw(np.random.default_rng(1)), exercise.draw(np.random.default_rng(2))
        assert not np.array_equal(np.asarray(a[0].args[0]), np.asarray(b[0].args[0]))
        assert not np.array_equal(np.asarray(a[0].args[0]), np.asarray(exercise.cases[0].args[0]))


# ------------------------------------------------------------------------------------------- the rules

def softmax(z, axis=0):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_a_known_mistake_that_also_overflows_is_named_with_a_note_about_the_overflow():
    def softmax_jacobian(z):
        p = np.exp(z) / np.exp(z).sum()          # naive …
        return np.outer(p, p) - np.diag(p)       # … and the sign flipped

    result = check("10-softmax-jacobian", softmax_jacobian)
    assert result.diagnosis == "sign_error"
    assert "besides, it gives NaN or inf" in result.message and "largest entry" in result.message


def test_a_mistake_that_overflows_by_itself_gets_no_overflow_note():
    def softmax_delta(ZK, Y):
        return -Y / softmax(ZK)                  # −Y/p: inf where p underflows, by the mistake itself

    result = check("10-softmax-delta", softmax_delta)
    assert result.diagnosis == "dE_dp_not_dZ" and "besides" not in result.message


def test_finite_differences_that_also_break_on_the_extreme_problem_are_still_named_numerical():
    def softmax_delta(ZK, Y):
        def E(Z):
            return -np.sum(Y * np.log(softmax(Z) + 1e-300))   # the + 1e-300 flattens E where p underflows
        G = np.zeros(ZK.shape)
        for index in np.ndindex(ZK.shape):
            up, down = ZK.copy(), ZK.copy()
            up[index] += 1e-5
            down[index] -= 1e-5
            G[index] = (E(up) - E(down)) / 2e-5
        return G

    result = check("10-softmax-delta", softmax_delta)
    assert result.diagnosis == "numerical_not_analytic" and "hundreds" in result.message


def test_off_diagonal_and_diagonal_rules_say_which_half_of_the_jacobian_is_wrong():
    def plus_cross_terms(z):
        p = softmax(z)
        J = np.outer(p, p)
        np.fill_diagonal(J, p * (1 - p))
        return J

    def diagonal_without_square(z):
        p = softmax(z)
        J = -np.outer(p, p)
        np.fill_diagonal(J, p)
        return J

    off = check("10-softmax-jacobian", plus_cross_terms)
    on = check("10-softmax-jacobian", diagonal_without_square)
    assert off.diagnosis == "off_diagonal_wrong" and "−p_i p_j for i ≠ j" in off.message
    assert on.diagnosis == "diagonal_wrong" and "p_i(1 − p_i)" in on.message


def test_one_averaged_part_is_named_part_by_part_not_as_right_only_for_R1():
    def affine_backward(dZ, cache):
        f, A, b = cache
        return A.T @ dZ, dZ @ f.T, dZ.mean(axis=1, keepdims=True)

    result = check("10-affine-backward", affine_backward)
    assert result.diagnosis == "mean_instead_of_sum"
    assert result.message.startswith("db = ∂E/∂b") and result.message.endswith("Right: df = ∂E/∂f and dA = ∂E/∂A")


def test_a_pass_right_only_for_one_example_is_named():
    def affine_backward(dZ, cache):
        f, A, b = cache
        return A.T @ dZ, dZ[:, [-1]] @ f[:, [-1]].T, dZ[:, [-1]]

    assert check("10-affine-backward", affine_backward).diagnosis == "right_only_for_R1"


def test_right_only_for_a_square_A_when_no_mutant_explains_it():
    def affine_backward(dZ, cache):
        f, A, b = cache
        n = A.shape[0]
        df = A.T @ dZ if A.shape[0] == A.shape[1] else np.zeros((A.shape[1], dZ.shape[1]))
        return df, dZ @ f.T, dZ.sum(axis=1, keepdims=True).reshape(n, 1)

    assert check("10-affine-backward", affine_backward).diagnosis == "right_only_for_square"


def test_the_messages_never_show_an_expected_value():
    cases = SOFTMAX_JACOBIAN.cases
    expected = [f"{v:.6g}" for case in cases[:1] for v in np.ravel(_softmax_jacobian(case.args[0]))]

    def slightly_off(z):
        return _softmax_jacobian(z) + 0.01

    message = check("10-softmax-jacobian", slightly_off).message
    assert not any(value in message for value in expected if len(value) > 4)


def test_the_layer_api_counts_as_the_course_answer_under_any_name():
    from coursekit import layers

    def affine_backward(dZ, cache):
        rule = getattr(layers, "affine_" + "backward")
        return rule(dZ, cache)

    result = check("10-affine-backward", affine_backward)
    assert result.diagnosis == "delegates_to_reference" and "coursekit.layers.affine_backward" in result.message
