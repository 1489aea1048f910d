"""The exercises of notebooks 03–05: their problems (extreme, non-square, one output), the structural rules,
overflow, finite differences at any usual step, round-off, delegation, and notebooks that ask for a derivation
without printing its answer."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

import coursekit
from coursekit.exercises import EXERCISES, check

ROOT = Path(__file__).resolve().parents[1]
OURS = ["03-sigmoid-jacobian", "03-tanh-jacobian", "04-least-squares", "05-outer-tensor", "05-matrix-gradient"]


def sig(z):
    return 1 / (1 + np.exp(-z))


def draws(exercise_id):
    exercise = EXERCISES[exercise_id]
    yield exercise.cases
    for seed in range(12):
        yield exercise.draw(np.random.default_rng([seed, 463]))


# ------------------------------------------------------------------------------------------- the problems

def _pre_activations(exercise_id, case):
    if exercise_id == "03-sigmoid-jacobian":
        return case.args[0]
    if exercise_id == "03-tanh-jacobian":
        A, x, b = case.args
        return A @ x + b
    Phi, _, theta = case.args
    return (Phi @ theta).ravel()


@pytest.mark.parametrize("exercise_id", ["03-sigmoid-jacobian", "03-tanh-jacobian", "04-least-squares"])
def test_every_draw_has_one_extreme_problem_beyond_exp_overflow_and_moderate_ones(exercise_id):
    for cases in draws(exercise_id):
        extreme = [c for c in cases if "extreme" in c.tags]
        assert len(extreme) == 1
        z = _pre_activations(exercise_id, extreme[0])
        assert z.max() >= 710 and z.min() <= -710          # np.exp(710) is inf: overflow is really tested
        assert np.any(np.abs(z) < 5)                       # and the rest of that problem still matters
        for case in cases:
            if case is not extreme[0]:
                assert np.abs(_pre_activations(exercise_id, case)).max() < 50


@pytest.mark.parametrize("exercise_id, tags", [("03-tanh-jacobian", {"square", "m=1"}),
                                               ("04-least-squares", {"square", "N=1"}),
                                               ("05-matrix-gradient", {"square", "M=1"}),
                                               ("05-outer-tensor", {"n=1"})])
def test_every_draw_has_non_square_square_and_one_output_problems(exercise_id, tags):
    for cases in draws(exercise_id):
        for tag in tags:
            assert any(tag in c.tags for c in cases), tag
        assert sum(1 for c in cases if not c.tags & tags) >= 2          # the general case, more than once
        if exercise_id != "05-outer-tensor":
            shapes = [c.args[0].shape for c in cases if not c.tags & tags]
            assert all(m != n for m, n in shapes)


# ------------------------------------------------------------------------------- rules and named mistakes

def test_03_silu_with_the_right_diagonal_and_cross_terms_is_told_about_the_off_diagonal():
    def sigmoid_jacobian(z):
        s = sig(z)
        return np.diag(s + z * s * (1 - s)) + 0.01 * (1 - np.eye(len(z)))

    result = check("03-sigmoid-jacobian", sigmoid_jacobian)
    assert result.diagnosis == "off_diagonal_not_zero"
    assert "diagonal is right" in result.message and "(5.59)" in result.message


def test_03_silu_through_a_quotient_of_exponentials_is_not_overflow_safe():
    def sigmoid_jacobian(z):
        return np.diag((1 + np.exp(-z) + z * np.exp(-z)) / (1 + np.exp(-z)) ** 2)   # right, but inf/inf

    result = check("03-sigmoid-jacobian", sigmoid_jacobian)
    assert result.diagnosis == "not_overflow_safe"
    assert "gives NaN or inf on z = (−" in result.message and "σ'(z) = σ(z)(1 − σ(z))" in result.message


def test_03_tanh_through_cosh_that_overflows_is_named_and_sech_squared_is_right():
    def tanh_layer_jacobian(A, x, b):
        z = A @ x + b
        return np.diag(1 - (np.sinh(z) / np.cosh(z)) ** 2) @ A         # inf/inf beyond |z| ≈ 710

    result = check("03-tanh-jacobian", tanh_layer_jacobian)
    assert result.diagnosis == "not_overflow_safe"
    assert "|Ax + b| ≥ 700" in result.message and "np.tanh itself never overflows" in result.message

    def tanh_layer_jacobian_sech(A, x, b):
        return np.diag(1 / np.cosh(A @ x + b) ** 2) @ A                # cosh → inf, 1/inf = 0: right
    assert check("03-tanh-jacobian", tanh_layer_jacobian_sech)


def test_03_tanh_a_broadcast_that_only_works_for_one_output_is_told_so():
    result = check("03-tanh-jacobian", lambda A, x, b: (1 - np.tanh(A @ x + b) ** 2) * A)
    assert result.diagnosis == "right_only_for_one_output"
    assert "single output (m = 1)" in result.message and "(5.58)" in result.message


def test_03_tanh_an_answer_right_only_for_square_A_is_told_so():
    def tanh_layer_jacobian(A, x, b):
        d = (1 - np.tanh(A @ x + b) ** 2).reshape(A.shape[1], 1)       # n where m belongs
        return d * A

    result = check("03-tanh-jacobian", tanh_layer_jacobian)
    assert result.diagnosis == "right_only_for_square" and "(m = n)" in result.message


def test_03_tanh_the_diagonal_on_the_wrong_side_is_named_although_it_crashes_on_non_square_A():
    result = check("03-tanh-jacobian", lambda A, x, b: A @ np.diag(1 - np.tanh(A @ x + b) ** 2))
    assert result.diagnosis == "diag_wrong_side" and "scales the columns of A" in result.message


def test_03_tanh_round_off_left_in_A_is_not_a_modification_but_a_real_change_is():
    def tanh_layer_jacobian(A, x, b):
        A *= 0.1                                                      # scaled and back: round-off remains
        A /= 0.1
        return np.diag(1 - np.tanh(A @ x + b) ** 2) @ A

    A = EXERCISES["03-tanh-jacobian"].cases[0].args[0]
    assert not np.array_equal(A * 0.1 / 0.1, A) and np.allclose(A * 0.1 / 0.1, A, rtol=1e-15)   # round-off only
    assert check("03-tanh-jacobian", tanh_layer_jacobian)

    def scales_A(A, x, b):
        A *= (1 - np.tanh(A @ x + b) ** 2)[:, None]
        return A
    result = check("03-tanh-jacobian", scales_A)
    assert result.diagnosis == "modified_input" and "changed its input A[" in result.message


def test_04_a_dot_product_for_an_element_wise_product_is_right_only_for_one_observation():
    def dL_dtheta(Phi, y, theta):
        f = sig(Phi @ theta)
        return -2 * ((y - f).T @ (f * (1 - f))) * Phi

    result = check("04-least-squares", dL_dtheta)
    assert result.diagnosis == "right_only_for_one_observation" and "(N = 1)" in result.message


def test_04_an_answer_right_only_for_square_phi_is_told_so():
    def dL_dtheta(Phi, y, theta):
        f = sig(Phi @ theta)
        return -2 * ((y - f) * f * (1 - f)).reshape(1, Phi.shape[1]) @ Phi

    assert check("04-least-squares", dL_dtheta).diagnosis == "right_only_for_square"


def test_04_sigma_prime_from_exponentials_is_not_overflow_safe_and_the_message_says_where():
    def dL_dtheta(Phi, y, theta):
        u = Phi @ theta
        return -2 * ((y - sig(u)) * np.exp(-u) / (1 + np.exp(-u)) ** 2).T @ Phi

    result = check("04-least-squares", dL_dtheta)
    assert result.diagnosis == "not_overflow_safe" and "|Φθ| ≥ 700" in result.message


def test_05_outer_tensor_right_only_for_n_1_is_told_so():
    result = check("05-outer-tensor", lambda x: np.broadcast_to(2 * x, (len(x),) * 3).copy())
    assert result.diagnosis == "right_only_for_one_entry" and "n = 1" in result.message


@pytest.mark.parametrize("code, answer", [
    ("right_only_for_one_output", lambda A, x, y: np.sum(A @ x - y) * x.T),
    ("right_only_for_square", lambda A, x, y: (A @ x - y) @ x.reshape(1, A.shape[0])),
])
def test_05_matrix_gradient_rules(code, answer):
    assert check("05-matrix-gradient", answer).diagnosis == code


# --------------------------------------------------------------------- finite differences, delegation

def _central(f, x, h):
    x = np.array(x, dtype=float)
    out = None
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        d = (np.asarray(f(x + step), dtype=float) - np.asarray(f(x - step), dtype=float)) / (2 * h)
        if out is None:
            out = np.zeros(d.shape + x.shape)
        out[(...,) + index] = d
    return out


NUMERICAL = {
    "03-sigmoid-jacobian": lambda h: lambda z: _central(lambda v: v * sig(v), z, h),
    "03-tanh-jacobian": lambda h: lambda A, x, b: _central(lambda v: np.tanh(A @ v + b), x, h),
    "04-least-squares": lambda h: lambda Phi, y, theta: _central(
        lambda t: np.sum((y - sig(Phi @ t)) ** 2), theta, h).reshape(1, -1),
    "05-outer-tensor": lambda h: lambda x: _central(lambda v: np.outer(v, v), x, h),
    "05-matrix-gradient": lambda h: lambda A, x, y: _central(lambda W: 0.5 * np.sum((W @ x - y) ** 2), A, h),
}


@pytest.mark.parametrize("exercise_id", OURS)
@pytest.mark.parametrize("h", [1e-3, 1e-4, 1e-5, 1e-6, 1e-7])
def test_central_differences_are_named_at_every_usual_step(exercise_id, h):
    # x xᵀ and ½‖Ax − y‖² are quadratic: central differences have no truncation error there, and only the
    # problems with large entries let their round-off show
    result = check(exercise_id, NUMERICAL[exercise_id](h))
    assert result.diagnosis == "numerical_not_analytic", repr(result)


@pytest.mark.parametrize("exercise_id, answer, name", [
    ("03-sigmoid-jacobian",
     lambda z: np.diag(sig(z) + z * coursekit.activations.sigmoid_prime(z, sig(z))), "sigmoid_prime"),
    ("03-tanh-jacobian",
     lambda A, x, b: np.diag(coursekit.activations.tanh_prime(A @ x + b, np.tanh(A @ x + b))) @ A, "tanh_prime"),
    ("04-least-squares", lambda Phi, y, theta: coursekit.gradient(
        lambda t: float(np.sum((y - sig(Phi @ t)) ** 2)), theta), "coursekit.gradient"),
    ("05-outer-tensor", lambda x: coursekit.tensor_jacobian(lambda v: np.outer(v, v), x), "tensor_jacobian"),
])
def test_calls_to_coursekits_answers_are_named_with_the_function(exercise_id, answer, name):
    result = check(exercise_id, answer)
    assert result.diagnosis == "delegates_to_reference" and name in result.message, repr(result)


ZEROS = {"03-sigmoid-jacobian": lambda z: np.zeros((len(z), len(z))),
         "03-tanh-jacobian": lambda A, x, b: np.zeros(A.shape),
         "04-least-squares": lambda Phi, y, theta: np.zeros((1, Phi.shape[1])),
         "05-outer-tensor": lambda x: np.zeros((len(x),) * 3),
         "05-matrix-gradient": lambda A, x, y: np.zeros(A.shape)}


@pytest.mark.parametrize("exercise_id", OURS)
def test_a_wrong_answer_never_shows_the_expected_values(exercise_id):
    exercise = EXERCISES[exercise_id]
    result = check(exercise_id, ZEROS[exercise_id])
    assert not result.passed and result.diagnosis == "wrong_values", repr(result)
    assert "yours is 0" in result.message and result.message.count("e.g. entry") == 1
    labels = " ".join(case.label for case in exercise.cases).replace("−", "-")     # the inputs are shown
    message = result.message.replace("−", "-")
    for case in exercise.cases:
        for value in np.asarray(exercise.reference(*case.args)).ravel():
            for text in (f"{value:.4g}", f"{value:.6g}"):
                if len(text.lstrip("-")) >= 3 and text not in labels:
                    assert text not in message, text


# ------------------------------------------------------------------------------------------ the notebooks

NOTEBOOKS = {"03_jacobians.ipynb": ["03-sigmoid-jacobian", "03-tanh-jacobian"],
             "04_least_squares.ipynb": ["04-least-squares"],
             "05_matrix_gradients.ipynb": ["05-outer-tensor", "05-matrix-gradient"]}

# what would give a derivation away if the page printed it (LaTeX or code), per exercise
ANSWER_PATTERNS = {
    "03-sigmoid-jacobian": [r"\\sigma\(z_?i?\)\s*\+\s*z", r"s \+ z \* s", r"1\s*\+\s*z\s*\(1\s*-\s*\\sigma"],
    "03-tanh-jacobian": [r"1\s*-\s*\\tanh\^2", r"1\s*-\s*\\tanh\(.*\)\^2", r"\\operatorname\{sech\}",
                         r"1(\.0)?\s*-\s*np\.tanh\(.*\)\s*\*\*\s*2", r"diag\(1\s*[-−]\s*tanh"],
    "04-least-squares": [r"\\odot\s*\\sigma'\(\\mathbf u\)", r"\(e \* f \* \(1 - f\)\)", r"e\s*⊙\s*σ'\(u\)"],
    "05-outer-tensor": [r"\\delta_\{?ik\}?\s*x_j", r"x_i\s*\\delta_\{?jk\}?", r"δ_ik x_j",
                        r"\[i\s*=\s*k\]\s*x_j", r"x_i\s*\[j\s*=\s*k\]", r'"ik,j->ijk"'],
}


def _cells(name):
    return json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]


def _solution_ids(cell):
    meta = cell["metadata"].get("nbgrader", {})
    return meta.get("grade_id") if meta.get("solution") else None


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_the_page_does_not_print_the_answer_of_a_derivation(name):
    for cell in _cells(name):
        if _solution_ids(cell):
            continue
        text = "".join(cell["source"])
        for exercise_id in NOTEBOOKS[name]:
            for pattern in ANSWER_PATTERNS.get(exercise_id, ()):
                assert not re.search(pattern, text), (exercise_id, pattern, text[:200])


def test_the_answer_patterns_do_find_the_solutions():
    # the leak test above can fail: each exercise's solution matches at least one of its patterns
    for name, ids in NOTEBOOKS.items():
        solutions = {_solution_ids(c): "".join(c["source"]) for c in _cells(name) if _solution_ids(c)}
        for exercise_id in ids:
            if exercise_id in ANSWER_PATTERNS:
                assert any(re.search(p, solutions[exercise_id]) for p in ANSWER_PATTERNS[exercise_id]), exercise_id


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_no_cell_after_an_exercise_uses_the_students_function(name):
    cells = _cells(name)
    for index, cell in enumerate(cells):
        exercise_id = _solution_ids(cell)
        if not exercise_id:
            continue
        function = EXERCISES[exercise_id].function
        for later in cells[index + 1:]:
            meta = later["metadata"].get("nbgrader", {})
            if later["cell_type"] != "code" or meta.get("grade_id") == exercise_id + "-check":
                continue
            assert not re.search(rf"\b{function}\b", "".join(later["source"])), (exercise_id, later["id"])


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_the_notation_card_is_linked_right_after_the_goal(name):
    first = "".join(_cells(name)[0]["source"])
    assert "Notation: see the [notation card](notation.md)." in first
    assert first.index("**Goal:**") < first.index("Notation: see") < first.index("After this notebook")


def test_03_previews_the_backward_paths_before_it_names_one():
    cells = [("".join(c["source"]), c["cell_type"]) for c in _cells("03_jacobians.ipynb")]
    first_use = next(i for i, (text, _) in enumerate(cells) if "Backward Path" in text)
    text = cells[first_use][0]
    assert "preview" in text.lower() and text.lower().index("preview") < text.index("Backward Path")
    for path in ("(1)", "(2)", "(3)", "(4)"):
        assert path in text
