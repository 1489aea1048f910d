"""The checks of notebooks 08–09 beyond the generic tests: their references agree with independent oracles
(coursekit.backward, central differences), the extreme problems are meaningful, the structural rules fire, the
issue's six answers to 09-train are named, and the pencil exercise's answer is printed nowhere in notebook 08."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

import coursekit
from coursekit.exercises import EXERCISES, check
from coursekit.exercises.backprop import BY_HAND, saturate

ROOT = Path(__file__).resolve().parents[1]
NB08, NB09 = ROOT / "notebooks" / "08_two_layer_network.ipynb", ROOT / "notebooks" / "09_training.ipynb"
DRAWS = [np.random.default_rng([seed, 808]) for seed in range(4)]


def sigma(Z):
    return 0.5 * (1 + np.tanh(Z / 2))


def cells(path):
    return json.loads(path.read_text())["cells"]


def source(cell):
    return "".join(cell["source"])


def grade_id(cell):
    return cell["metadata"].get("nbgrader", {}).get("grade_id")


# ------------------------------------------------------------------------ references against oracles

def test_the_linear_output_reference_is_coursekits_backward_with_an_identity_output_and_central_differences():
    exercise = EXERCISES["08-linear-output"]
    for rng in DRAWS:
        for case in exercise.draw(rng):
            params, trace, Y = case.args
            assert np.allclose(trace["f2"], trace["Z2"], rtol=0, atol=0)            # f2 = Z2
            mine = exercise.reference(params, trace, Y)
            oracle = coursekit.backward(params, trace, Y, activation=["sigmoid", "identity"])
            for key in params:
                assert np.allclose(mine[key], oracle[key], rtol=1e-12, atol=1e-300), (case.label, key)
            if "probe" in case.tags:
                numerical = coursekit.gradcheck(params, trace["f0"], Y, activation=["sigmoid", "identity"]).numerical
                for key in params:
                    assert np.allclose(mine[key], numerical[key], rtol=1e-6, atol=1e-8), (case.label, key)


def test_the_weight_decay_reference_adds_lambda_A_to_coursekits_gradient_and_matches_central_differences():
    exercise = EXERCISES["09-weight-decay"]
    for rng in DRAWS:
        for case in exercise.draw(rng):
            params, trace, Y, lam = case.args
            mine = exercise.reference(params, trace, Y, lam)
            data = coursekit.backward(params, trace, Y)
            assert set(mine) == set(params)
            for key in params:
                extra = lam * params[key] if key.startswith("A") else 0.0
                assert np.allclose(mine[key], data[key] + extra, rtol=1e-12, atol=1e-300), (case.label, key)
            if "probe" not in case.tags:
                continue
            X, K = trace["f0"], len(params) // 2

            def E_lam(p):
                return coursekit.total_cost(p, X, Y) + lam / 2 * sum(np.sum(p[f"A{i}"] ** 2) for i in range(K))
            for key in params:
                numerical = coursekit.tensor_jacobian(lambda v, key=key: E_lam({**params, key: v}), params[key])
                assert np.allclose(mine[key], numerical, rtol=1e-6, atol=1e-8), (case.label, key)


def test_the_train_reference_is_coursekits_gradient_descent():
    exercise = EXERCISES["09-train"]
    for case in exercise.cases + exercise.draw(DRAWS[0]):
        params, X, Y, eta, steps = case.args
        new, history = exercise.reference(params, X, Y, eta, steps)
        theirs, their_history = coursekit.gradient_descent(params, X, Y, eta=eta, steps=steps)
        assert np.allclose(history, their_history, rtol=1e-12) and len(history) == steps + 1
        for key in params:
            assert np.allclose(new[key], theirs[key], rtol=1e-12, atol=1e-300)


# ------------------------------------------------------------------------------------ extreme problems

@pytest.mark.parametrize("exercise_id", ["08-backward", "07-deep-backward", "08-linear-output", "09-weight-decay",
                                         "09-train"])
def test_every_check_has_an_extreme_problem_with_gradients_far_from_zero(exercise_id):
    exercise = EXERCISES[exercise_id]
    for cases in (exercise.cases, exercise.draw(DRAWS[1])):
        extreme = [case for case in cases if "extreme" in case.tags]
        assert len(extreme) == 1
        case = extreme[0]
        params = case.args[0]
        X = case.args[1]["f0"] if isinstance(case.args[1], dict) else case.args[1]
        trace = coursekit.forward(params, X)
        Z = np.concatenate([trace[f"Z{k}"].ravel() for k in range(1, len(params) // 2 + 1)])
        assert np.abs(Z).max() >= 700 and np.abs(Z).min() < 50           # saturated and moderate units
        result = exercise.reference(*case.args)
        grads = result[0] if exercise_id == "09-train" else result
        for key, value in grads.items():
            if key.startswith("A"):                    # a zero answer would be wrong: far above the tolerance
                assert np.abs(value).max() > 1000 * exercise.atol * max(1.0, np.abs(value).max()), key


def test_saturate_drives_two_units_of_every_hidden_layer_past_700_and_leaves_the_output_alone():
    params = saturate(np.random.default_rng(1), coursekit.init_params([3, 4, 3, 2], seed=1))
    trace = coursekit.forward(params, np.random.default_rng(2).normal(size=(3, 5)))
    for k in (1, 2):
        assert np.all(trace[f"Z{k}"][0] >= 700) and np.all(trace[f"Z{k}"][1] <= -700)
    assert np.abs(trace["Z3"]).max() < 50


def naive_sigma(Z):
    return np.exp(Z) / (1 + np.exp(Z))


def test_an_answer_that_overflows_is_told_so_in_08_07_the_linear_output_and_weight_decay():
    def sp(Z):
        s = naive_sigma(Z)
        return s * (1 - s)

    def deep(params, trace, Y, linear=False):
        K = len(params) // 2
        delta = (trace[f"f{K}"] - Y) * (1 if linear else sp(trace[f"Z{K}"]))
        grads = {}
        for i in reversed(range(K)):
            grads[f"A{i}"] = delta @ trace[f"f{i}"].T
            grads[f"b{i}"] = delta.sum(axis=1, keepdims=True)
            if i:
                delta = params[f"A{i}"].T @ delta * sp(trace[f"Z{i}"])
        return grads

    for exercise_id, answer in [("08-backward", deep), ("07-deep-backward", deep),
                                ("08-linear-output", lambda p, t, Y: deep(p, t, Y, linear=True)),
                                ("09-weight-decay", lambda p, t, Y, lam: {
                                    k: v + (lam * p[k] if k[0] == "A" else 0) for k, v in deep(p, t, Y).items()})]:
        result = check(exercise_id, answer)
        assert result.diagnosis == "not_overflow_safe", (exercise_id, result)
        assert "|Z| ≥ 700" in result.message and "inf/inf is NaN" in result.message


# ------------------------------------------------------------------------------------- structural rules

def _two_layer(params, trace, Y, linear=False, back=lambda A1, d2: A1.T @ d2):
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    d2 = (f2 - Y) * (1 if linear else f2 * (1 - f2))
    d1 = back(params["A1"], d2) * f1 * (1 - f1)
    return {"A0": d1 @ f0.T, "b0": d1.sum(axis=1, keepdims=True), "A1": d2 @ f1.T, "b1": d2.sum(axis=1, keepdims=True)}


@pytest.mark.parametrize("exercise_id, linear", [("08-backward", False), ("08-linear-output", True)])
def test_an_elementwise_product_for_A1T_delta_is_right_only_for_one_output(exercise_id, linear):
    result = check(exercise_id, lambda p, t, Y: _two_layer(p, t, Y, linear, back=lambda A1, d2: A1.T * d2))
    assert result.diagnosis == "right_only_for_one_output", repr(result)
    assert "n_K = 1" in result.message and "A_iᵀ δ_{i+1}" in result.message


@pytest.mark.parametrize("exercise_id, linear", [("08-backward", False), ("08-linear-output", True)])
def test_an_answer_that_only_works_for_one_example_is_told_so(exercise_id, linear):
    def one_example(params, trace, Y):
        grads = _two_layer(params, trace, Y, linear)
        first = {key: value[:, :1] for key, value in trace.items()}
        single = _two_layer(params, first, Y[:, :1], linear)
        return {**grads, "b0": single["b0"], "b1": single["b1"]}      # the biases of the first example only

    result = check(exercise_id, one_example)
    assert result.diagnosis == "right_only_for_R1", repr(result)


def test_the_deep_check_tells_a_two_layer_answer_and_a_summed_output_error_apart():
    two = check("07-deep-backward", lambda p, t, Y: _two_layer(p, t, Y))
    assert two.diagnosis == "only_works_for_K2"

    def summed(params, trace, Y):
        K = len(params) // 2
        f = trace[f"f{K}"]
        delta = (f - Y).sum(axis=0) * f * (1 - f)
        grads = {}
        for i in reversed(range(K)):
            grads[f"A{i}"], grads[f"b{i}"] = delta @ trace[f"f{i}"].T, delta.sum(axis=1, keepdims=True)
            if i:
                delta = params[f"A{i}"].T @ delta * trace[f"f{i}"] * (1 - trace[f"f{i}"])
        return grads
    assert check("07-deep-backward", summed).diagnosis == "right_only_for_one_output"


def test_weight_decay_written_for_two_layers_is_told_to_loop_over_every_layer():
    def decayed_gradient(params, trace, Y, lam):
        g = dict(coursekit.backward(params, trace, Y))
        g["A0"] = g["A0"] + lam * params["A0"]
        g["A1"] = g["A1"] + lam * params["A1"]
        return g

    result = check("09-weight-decay", decayed_gradient)
    assert result.diagnosis == "only_works_for_K2" and "len(params) // 2" in result.message


# -------------------------------------------------------------------------------------------- 09-train

def _descent(params, X, Y, eta, steps, *, grad=None, update=None, history_cost=None, when=None):
    theta = {key: value.copy() for key, value in params.items()}
    cost = history_cost or (lambda th: coursekit.total_cost(th, X, Y))
    history = [cost(theta)]
    for t in range(steps if when is None else max(steps, 1)):
        g = grad(theta, t) if grad else coursekit.backward(theta, coursekit.forward(theta, X), Y)
        theta = update(theta, g) if update else {key: theta[key] - eta * g[key] for key in theta}
        history.append(cost(theta))
    return theta, np.array(history)


ISSUE_ANSWERS = {     # the six ordinary wrong answers of the issue that used to crash the checker
    "mean gradient": ("mean_instead_of_sum", lambda p, X, Y, eta, steps: _descent(
        p, X, Y, eta, steps, update=lambda th, g: {k: th[k] - eta * g[k] / X.shape[1] for k in th})),
    "cross-entropy cost": ("wrong_cost", lambda p, X, Y, eta, steps: _descent(
        p, X, Y, eta, steps, grad=lambda th, t: coursekit.backward(th, coursekit.forward(th, X), Y, cost="cross_entropy"),
        history_cost=lambda th: coursekit.total_cost(th, X, Y, cost="cross_entropy"))),
    "only the weights updated": ("biases_not_updated", lambda p, X, Y, eta, steps: _descent(
        p, X, Y, eta, steps, update=lambda th, g: {k: th[k] - eta * g[k] if k[0] == "A" else th[k] for k in th})),
    "one example per step": ("not_full_batch", lambda p, X, Y, eta, steps: _descent(
        p, X, Y, eta, steps, grad=lambda th, t: coursekit.backward(
            th, coursekit.forward(th, X[:, [t % X.shape[1]]]), Y[:, [t % X.shape[1]]]))),
    "η hard-coded": ("eta_ignored", lambda p, X, Y, eta, steps: _descent(p, X, Y, 0.5, steps)),
    "a while loop that steps once at steps = 0": ("steps_zero_runs_once", lambda p, X, Y, eta, steps: _descent(
        p, X, Y, eta, steps, when="after")),
}


@pytest.mark.parametrize("name", list(ISSUE_ANSWERS))
def test_the_issues_six_answers_to_09_train_are_named(name):
    code, answer = ISSUE_ANSWERS[name]
    result = check("09-train", answer)
    assert result.diagnosis == code, repr(result)
    assert re.search(r"Problem Formulation|Total Cost", result.message)


@pytest.mark.parametrize("eta", [0.01, 0.2, 0.5, 2.0])
def test_any_hard_coded_learning_rate_is_named(eta):
    result = check("09-train", lambda p, X, Y, _eta, steps: _descent(p, X, Y, eta, steps))
    assert result.diagnosis == "eta_ignored" and "argument eta" in result.message


def test_a_learning_rate_of_one_written_in_is_the_missing_eta():
    result = check("09-train", lambda p, X, Y, _eta, steps: _descent(p, X, Y, 1.0, steps))
    assert result.diagnosis == "missing_eta"


def test_history_and_params_swapped_is_named():
    result = check("09-train", lambda *args: _descent(*args)[::-1])
    assert result.diagnosis == "returned_in_wrong_order" and "(new_params, history)" in result.message


# ------------------------------------------------------------------------------ 08-backward-by-hand

A0 = np.array([[0.5, -0.4], [0.3, 0.8], [-0.6, 0.2]])
B0 = np.array([[0.1], [-0.2], [0.05]])
A1 = np.array([[0.7, -0.5, 0.2], [-0.3, 0.6, 0.9]])
B1 = np.array([[-0.1], [0.2]])
X1 = np.array([[1.0], [0.5]])


def test_the_pencil_exercise_uses_the_networks_printed_in_section_1():
    text = source(next(c for c in cells(NB08) if c["id"] == "d434ef4b"))
    numbers = [float(x) for x in re.findall(r"-?\d+\.\d+", text)]
    assert numbers[:6] == A0.ravel().tolist() and numbers[6:9] == B0.ravel().tolist()
    assert numbers[9:15] == A1.ravel().tolist() and numbers[15:17] == B1.ravel().tolist()
    assert numbers[17:19] == X1.ravel().tolist()


def test_the_pencil_reference_is_coursekits_gradient_and_central_differences():
    params = {"A0": A0, "b0": B0, "A1": A1, "b1": B1}
    Y = np.array([[0.0], [1.0]])
    exact = coursekit.backward(params, coursekit.forward(params, X1), Y)["A0"][0, 1]

    def E(beta):
        moved = A0.copy()
        moved[0, 1] = beta
        return coursekit.total_cost({**params, "A0": moved}, X1, Y)
    assert np.isclose(BY_HAND.reference(), exact, rtol=1e-14)
    assert np.isclose(coursekit.derivative(E, A0[0, 1]), exact, rtol=1e-7)


def test_the_pencil_answer_worked_from_the_printed_four_digits_passes_and_rounding_to_two_does_not():
    f2, s2, s1 = (0.5214, 0.6779), (0.2495, 0.2183), 0.2403       # as printed in cells 7, 15 and 20
    by_hand = (0.7 * (f2[0] - 0) * s2[0] + (-0.3) * (f2[1] - 1) * s2[1]) * s1 * 0.5
    assert check("08-backward-by-hand", by_hand)
    assert check("08-backward-by-hand", float(f"{by_hand:.3g}"))
    assert check("08-backward-by-hand", np.float64(by_hand)) and check("08-backward-by-hand", np.array(by_hand))
    assert check("08-backward-by-hand", float(f"{by_hand:.2g}")).diagnosis == "rounded_too_early"
    assert check("08-backward-by-hand", np.array([[by_hand]])).diagnosis == "not_a_number"


def test_each_pencil_slip_is_far_from_the_answer_and_from_every_slip_of_another_kind():
    exact = BY_HAND.reference()
    slips = [(m.code, m.mutant()) for m in BY_HAND.mistakes]
    for code, value in slips:
        assert abs(value - exact) > 0.05 * abs(exact), code          # outside the check and the rounding rule
    for (code, value), (other, value2) in ((a, b) for a in slips for b in slips if a[0] != b[0]):
        assert abs(value - value2) > 2 * BY_HAND.rtol * abs(value), (code, other)


def test_the_pencil_messages_never_give_the_value():
    exact = BY_HAND.reference()
    texts = [m.message for m in BY_HAND.mistakes] + [check("08-backward-by-hand", v).message for v in (0.0, 0.01, 1.0)]
    for text in texts:
        for shown in (f"{exact:.2g}", f"{exact:.3g}", f"{exact:.4f}", f"{exact:.3f}", f"{exact:.4g}"):
            assert shown not in text, (shown, text)


def test_the_pencil_answer_is_printed_nowhere_in_notebook_08():
    exact = BY_HAND.reference()
    text = NB08.read_text()
    nb = json.loads(text)
    solution = next(c for c in nb["cells"] if grade_id(c) == "08-backward-by-hand")
    assert not solution["outputs"]
    everything = json.dumps({"cells": [c for c in nb["cells"] if c is not solution],
                             "metadata": nb["metadata"]}, ensure_ascii=False)
    for shown in (f"{exact:.3g}", f"{exact:.4g}", f"{exact:.5g}", f"{exact:.6f}", f"{exact:.4f}", f"{exact:.3e}"):
        assert not re.search(r"(?<![\d.])" + re.escape(shown) + r"(?!\d)", everything), shown
    numbers = [float(x) for x in re.findall(r"-?\d\.\d{3,}(?:e-?\d+)?", everything)]
    assert not [x for x in numbers if abs(x - exact) <= BY_HAND.rtol * abs(exact)]


# ----------------------------------------------------------------------------------------- the notebooks

def test_07_deep_backward_sits_right_after_08_backward_with_its_grade_ids_and_points():
    order = [(grade_id(c), c["metadata"].get("nbgrader", {}).get("points")) for c in cells(NB08) if grade_id(c)]
    ids = [g for g, _ in order]
    start = ids.index("08-backward")
    assert ids[start:start + 4] == ["08-backward", "08-backward-check", "07-deep-backward", "07-deep-backward-check"]
    assert dict(order)["07-deep-backward-check"] == 2 and dict(order)["08-backward-check"] == 2
    assert ids.index("08-linear-output") > ids.index("07-deep-backward-check")
    assert ids.index("08-backward-by-hand-check") < start


def test_the_exercise_texts_do_not_print_their_answers():
    def text_of(path, heading):
        return next(source(c) for c in cells(path) if c["cell_type"] == "markdown" and heading in source(c))
    linear = text_of(NB08, "### Exercise 08-linear-output")
    assert not re.search(r"\\delta_2\s*=\s*f_2\s*-\s*Y|f2 - Y|f_2 - Y\b(?!\[)", linear)
    decay = text_of(NB09, "### Exercise 09-weight-decay")
    assert "\\lambda A" not in decay and "lam *" not in decay
    explorer = text_of(NB08, "## 11 · Move a weight")
    assert "notebook 09" in explorer


def test_the_notebooks_link_the_notation_card_and_only_files_in_the_notebooks_folder():
    for path in (NB08, NB09):
        top = source(cells(path)[0])
        assert "Notation: see the [notation card](notation.md)." in top
        for cell in cells(path):
            for target in re.findall(r"\]\(([^)#]+)\)", source(cell)) if cell["cell_type"] == "markdown" else []:
                assert "/" not in target and not target.startswith(".."), (path.name, target)


def test_09_prints_the_measured_gradient_ratio_instead_of_claiming_one():
    nb = cells(NB09)
    assert not any("50 times larger" in source(c) for c in nb if c["cell_type"] == "markdown")
    printed = next("".join(o.get("text", "")) for c in nb if c["cell_type"] == "code" for o in c.get("outputs", [])
                   if "times larger" in "".join(o.get("text", "")))
    ratio = int(re.search(r"(\d+) times larger", printed).group(1))
    assert 100 <= ratio <= 160
