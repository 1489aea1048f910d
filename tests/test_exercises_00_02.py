"""The checks of notebooks 00–02 beyond what test_exercises.py asks of every exercise: their rules, their test
problems, finite differences and delegation named where a derivation is asked, round-off not taken for a
change of x, overflow named where it is the lesson; and the notebooks' texts (notation card, no printed answers)."""
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import coursekit
from coursekit.exercises import EXERCISES, check, judge
from coursekit.exercises.decide import decide
from coursekit.exercises.running import run

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OWN = ["00_cost_and_gradient_descent.ipynb", "01_partial_derivatives.ipynb", "02_chain_rule.ipynb"]
IDS = ["00-total-cost", "00-gradient-descent", "01-gradient", "02-chain-rule", "02-cross-entropy-chain"]
SEEDS = range(12)


def on_fresh_problems(exercise_id, answer, seed):
    exercise = EXERCISES[exercise_id]
    return judge(exercise, answer, exercise.draw(np.random.default_rng([seed, 463])), 5.0, answer.__name__)


# ------------------------------------------------------------------------------------------ the problems

@pytest.mark.parametrize("seed", SEEDS)
def test_fresh_problems_keep_the_cases_the_rules_need(seed):
    rng = lambda: np.random.default_rng([seed, 463])      # noqa: E731
    cost = EXERCISES["00-total-cost"].draw(rng())
    assert sum("R=1" in c.tags for c in cost) == 1 and sum("n_K=1" in c.tags for c in cost) == 1
    assert all(c.args[0].shape == c.args[1].shape for c in cost)
    descent = EXERCISES["00-gradient-descent"].draw(rng())
    assert [c.args[3] for c in descent if "steps=0" in c.tags] == [0]
    diverging = next(c for c in descent if "diverges" in c.tags)
    path = EXERCISES["00-gradient-descent"].reference(*diverging.args)
    minimum = -diverging.args[0](0.0) / 2                                      # dE(θ) = 2(θ − c)
    assert abs(path[-1] - minimum) > 2 * abs(path[0] - minimum)               # it really diverges
    chain = EXERCISES["02-cross-entropy-chain"].draw(rng())
    extreme = [c for c in chain if "extreme" in c.tags]
    assert len(extreme) == 2 and all(np.max(np.abs(c.args[0])) >= 700 for c in extreme)
    assert all(np.max(np.abs(c.args[0])) < 10 and "probe" in c.tags for c in chain if "extreme" not in c.tags)
    assert all(((c.args[1] >= 0) & (c.args[1] <= 1)).all() for c in chain)


def test_overflow_is_tested_where_it_is_the_lesson_and_only_there():
    tagged = {exercise_id: any("extreme" in c.tags for c in EXERCISES[exercise_id].cases) for exercise_id in IDS}
    assert tagged == {"00-total-cost": False, "00-gradient-descent": False, "01-gradient": False,
                      "02-chain-rule": False, "02-cross-entropy-chain": True}


# ----------------------------------------------------------------------------------------- 00-total-cost

def test_00_the_lecture_formula_for_one_column_is_right_only_for_R1():
    def total_cost_squared(F, Y):
        e = F - Y
        return 0.5 * (e.T @ e).item()

    result = check("00-total-cost", total_cost_squared)
    assert result.diagnosis == "right_only_for_R1", repr(result)
    assert "R × R matrix" in result.message and "Total Cost" in result.message


def test_00_the_outer_product_is_right_only_for_one_output():
    def total_cost_squared(F, Y):
        e = F - Y
        return (0.5 * e @ e.T).item()

    result = check("00-total-cost", total_cost_squared)
    assert result.diagnosis == "right_only_for_one_output", repr(result)
    assert "n_K = 1" in result.message


@pytest.mark.parametrize("seed", SEEDS)
def test_00_the_structural_rules_hold_on_fresh_problems(seed):
    def total_cost_squared(F, Y):
        e = F - Y
        return 0.5 * (e.T @ e).item()

    assert on_fresh_problems("00-total-cost", total_cost_squared, seed).diagnosis == "right_only_for_R1"


def test_00_a_wrong_total_never_shows_the_expected_values():
    exercise = EXERCISES["00-total-cost"]
    result = check("00-total-cost", lambda F, Y: 0.1)
    assert result.diagnosis == "wrong_values" and "yours is 0.1" in result.message
    for case in exercise.cases:
        expected = exercise.reference(*case.args)
        for text in (f"{expected:.6g}", f"{expected:.4f}", f"{expected:.3f}"):
            assert text not in result.message


# ----------------------------------------------------------------------------------- 00-gradient-descent

@pytest.mark.parametrize("rate", [0.1, 0.25, 0.01])
def test_00_a_hard_coded_learning_rate_is_named_with_the_rate_it_uses(rate):
    def gradient_descent_1d(dE, theta0, eta, steps):
        path = [theta0]
        for _ in range(steps):
            path.append(path[-1] - rate * dE(path[-1]))
        return np.array(path)

    result = check("00-gradient-descent", gradient_descent_1d)
    assert result.diagnosis == "eta_ignored", repr(result)
    assert f"η ≈ {rate:.3g}" in result.message and "use the argument" in result.message


def test_00_a_loop_that_stops_when_the_path_diverges_is_told_which_problem_it_cut_short():
    def gradient_descent_1d(dE, theta0, eta, steps):
        path = [theta0]
        for _ in range(steps):
            theta = path[-1] - eta * dE(path[-1])
            if len(path) > 1 and abs(theta - path[-1]) > abs(path[-1] - path[-2]):   # "it diverges: stop"
                break
            path.append(theta)
        return np.array(path)

    result = check("00-gradient-descent", gradient_descent_1d)
    assert result.diagnosis == "stops_when_diverging" and "diverges" in result.message, repr(result)


# ------------------------------------------------------------------------------------------- 01-gradient

def _restoring(f, x, h=1e-5):
    grad = np.zeros((1, x.size))
    for i in range(x.size):
        x[i] += h
        plus = f(x)
        x[i] -= 2 * h
        minus = f(x)
        x[i] += h                                           # back, up to round-off
        grad[0, i] = (plus - minus) / (2 * h)
    return grad


@pytest.mark.parametrize("seed", [None, *SEEDS])
def test_01_perturbing_x_in_place_and_putting_it_back_passes_even_where_round_off_remains(seed):
    exercise = EXERCISES["01-gradient"]
    cases = exercise.cases if seed is None else exercise.draw(np.random.default_rng([seed, 463]))
    changed = 0
    for case in cases:
        x = case.args[1].copy()
        _restoring(case.args[0], x, *case.args[2:])
        changed += int(not np.array_equal(x, case.args[1]))
    result = decide(exercise, cases, run(_restoring, cases, 5.0))
    assert result.passed, repr(result)
    if seed is None:
        assert changed >= 1, "the practice problems must include an x whose restore leaves round-off"


def test_01_an_x_left_at_x_minus_h_is_still_a_modification():
    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros((1, x.size))
        for i in range(x.size):
            x[i] += h
            plus = f(x)
            x[i] -= 2 * h                                   # never put back
            grad[0, i] = (plus - f(x)) / (2 * h)
        return grad

    result = check("01-gradient", numerical_gradient)
    assert result.diagnosis == "x_modified" and "put it back" in result.message


def test_01_operator_precedence_is_explained():
    def numerical_gradient(f, x, h=1e-5):
        return np.array([[(f(x + h * e) - f(x - h * e)) / 2*h for e in np.eye(x.size)]])

    result = check("01-gradient", numerical_gradient)
    assert result.diagnosis == "operator_precedence" and "(2 * h)" in result.message


# ------------------------------------------------------------------------------------------ 02-chain-rule

def _f(s, t):
    return math.sin(s * t) * (s + t ** 2) ** 2


def _central(h):
    def df_dst(s, t):
        return np.array([[(_f(s + h, t) - _f(s - h, t)) / (2 * h), (_f(s, t + h) - _f(s, t - h)) / (2 * h)]])
    df_dst.__name__ = f"df_dst_central_{h:g}"
    return df_dst


def _forward(h):
    def df_dst(s, t):
        return np.array([[(_f(s + h, t) - _f(s, t)) / h, (_f(s, t + h) - _f(s, t)) / h]])
    df_dst.__name__ = f"df_dst_forward_{h:g}"
    return df_dst


FINITE_DIFFERENCES = [_central(1e-4), _central(1e-5), _central(1e-6), _forward(1e-6), _forward(1e-7),
                      _forward(1e-8)]


@pytest.mark.parametrize("answer", FINITE_DIFFERENCES, ids=[a.__name__ for a in FINITE_DIFFERENCES])
def test_02_finite_differences_written_by_hand_are_named_on_practice_and_fresh_problems(answer):
    assert check("02-chain-rule", answer).diagnosis == "numerical_not_analytic"
    for seed in SEEDS:
        assert on_fresh_problems("02-chain-rule", answer, seed).diagnosis == "numerical_not_analytic", seed


def _by_gradient(s, t):
    return coursekit.gradient(lambda v: _f(v[0], v[1]), np.array([s, t]))


def _by_jacobian(s, t):
    from coursekit import calculus
    return calculus.jacobian(lambda v: np.array([_f(v[0], v[1])]), np.array([s, t]))


def _by_derivative(s, t):
    d = coursekit.derivative
    return np.array([[d(lambda u: _f(u, t), s), d(lambda u: _f(s, u), t)]])


def _by_autodiff(s, t):
    from coursekit.autodiff import Var, sin
    S, T = Var(s), Var(t)
    q = S + T * T
    out = sin(S * T) * q * q
    out.backward()
    return np.array([[S.grad, T.grad]])


@pytest.mark.parametrize("answer", [_by_gradient, _by_jacobian, _by_derivative, _by_autodiff])
def test_02_coursekit_numerical_and_autodiff_helpers_are_named_as_delegation(answer):
    result = check("02-chain-rule", answer)
    assert result.diagnosis == "delegates_to_reference", repr(result)
    assert "coursekit" in result.message and "(5.51)–(5.53)" in result.message


def test_02_copying_the_pages_example_is_named():
    def df_dst(s, t):
        x1, x2 = s * t, s + t ** 2                          # the exercise's x(s, t) …
        e = np.exp(x1 * x2)                                 # … with the page's f = e^{x1 x2}
        return np.array([[x2 * e, x1 * e]]) @ np.array([[t, s], [1, 2 * t]])

    result = check("02-chain-rule", df_dst)
    assert result.diagnosis == "page_example" and "sin(x_1) x_2²" in result.message


# --------------------------------------------------------------------------------- 02-cross-entropy-chain

def _sigma(z):
    return 1 / (1 + np.exp(-z))


def test_02_the_unsimplified_chain_is_right_for_moderate_z_and_named_as_overflow():
    def dE_dz(z, y):
        f = _sigma(z)
        return ((-y / f + (1 - y) / (1 - f)) * f * (1 - f)).reshape(1, -1)

    result = check("02-cross-entropy-chain", dE_dz)
    assert result.diagnosis == "not_overflow_safe", repr(result)
    assert "|z| in the hundreds" in result.message and "Multiply (dE/df)(df/dz) out by hand" in result.message
    for seed in SEEDS:
        assert on_fresh_problems("02-cross-entropy-chain", dE_dz, seed).diagnosis == "not_overflow_safe", seed


def test_02_a_mistake_that_also_overflows_is_named_and_the_overflow_mentioned():
    def dE_dz(z, y):
        f = _sigma(z)
        return ((-y / f - (1 - y) / (1 - f)) * f * (1 - f)).reshape(1, -1)   # d log(1 − f)/df sign lost

    result = check("02-cross-entropy-chain", dE_dz)
    assert result.diagnosis == "log_derivative_sign", repr(result)
    assert "besides" in result.message and "NaN" in result.message


def test_02_a_mistake_whose_value_is_infinite_at_saturation_is_named_without_an_overflow_remark():
    result = check("02-cross-entropy-chain", lambda z, y: (-y / _sigma(z) + (1 - y) / (1 - _sigma(z)))[None, :])
    assert result.diagnosis == "missing_sigma_prime" and "besides" not in result.message


def test_02_finite_differences_of_a_naive_cost_are_named_although_they_overflow():
    def dE_dz(z, y):
        def E(v):
            return -np.sum(y * np.log(_sigma(v)) + (1 - y) * np.log(1 - _sigma(v)))
        return np.array([[(E(z + 1e-5 * e) - E(z - 1e-5 * e)) / 2e-5 for e in np.eye(len(z))]])

    result = check("02-cross-entropy-chain", dE_dz)
    assert result.diagnosis == "numerical_not_analytic" and "besides" in result.message


def test_02_the_hint_never_gives_the_formula_away():
    exercise = EXERCISES["02-cross-entropy-chain"]
    texts = [m.message for m in exercise.mistakes] + [exercise.overflow_hint, exercise.step]
    for text in texts:
        assert not re.search(r"f\s*[−-]\s*y(?!\)²)|σ\(z\)\s*[−-]\s*y", text), text     # ½(f − y)² is another cost


# ------------------------------------------------------------------------------------------ the notebooks

def _cells(name):
    return json.loads((NOTEBOOKS / name).read_text())["cells"]


@pytest.mark.parametrize("name", OWN)
def test_each_notebook_links_the_notation_card_right_after_its_goal(name):
    first = "".join(_cells(name)[0]["source"])
    goal, rest = first.split("**Goal:**", 1)
    assert rest.split("\n\n", 2)[1] == "Notation: see the [notation card](notation.md)."
    assert (NOTEBOOKS / "notation.md").is_file()


def test_the_notation_card_covers_what_the_course_reconciles():
    card = (NOTEBOOKS / "notation.md").read_text()
    for needed in ["$R$ or $N$", "Counting from 1 or from 0", "$A_i$ maps $f_i$ to $Z_{i+1}$",
                   "is a function and a value", r"$f_K=\hat Y$", "(5.114)", "always has the ½", "**no ½**",
                   "**has a ½**", "numerator layout",
                   r"\eta\,\Big(\frac{\partial E}{\partial\boldsymbol\theta}\Big)^{\!\top}",
                   "Multiplied from the left", r"\delta_i=(\partial E/\partial Z_i)^\top",
                   *[f"Path ({k})" for k in range(1, 5)], "What an exercise returns"]:
        assert needed in card, needed
    assert "DESIGN" not in card and "../" not in card
    assert card.count("$") % 2 == 0                       # every inline formula is closed


def test_the_exercise_texts_do_not_print_their_answers():
    cells = _cells("02_chain_rule.ipynb")
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    outputs = "\n".join(json.dumps(c.get("outputs", [])) for c in cells if c["cell_type"] == "code"
                        and "nbgrader" not in c["metadata"])
    assert r"\cos(x_1)" not in markdown and "2x_2" not in markdown.replace(" ", "")   # ∂f/∂x of the exercise
    assert not re.search(r"f\s*[−-]\s*y|\\sigma\(z\)\s*[−-]\s*y", markdown)            # δ of the new exercise
    for cell in cells:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            assert "### BEGIN SOLUTION" in "".join(cell["source"])
    assert "f - y" not in outputs


def test_the_texts_use_binary_cross_entropy_and_one_sense_of_multiplied_from_the_left():
    text00 = "\n".join("".join(c["source"]) for c in _cells(OWN[0]) if c["cell_type"] == "markdown")
    assert "binary cross-entropy" in text00 and "walks straight down the valley" not in text00
    assert r"Y_{kr}\log (f_K)_{kr}" in text00 and "(X_N,Y_N)" in text00 and "the course writes $R$" in text00
    text02 = "\n".join("".join(c["source"]) for c in _cells(OWN[2]) if c["cell_type"] == "markdown")
    assert "multiplied from\nthe left by one Jacobian" not in text02 and "multiplies it **from the right**" in text02
    assert r"\frac{\partial x_i}{\partial(s,t)_k}" not in text02
