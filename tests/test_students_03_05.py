"""A student run for the exercises of notebooks 03–05: wrong answers written the way students write them
(not the catalogue's mutants), each with the mistake a teacher would name.

None may pass, none may make the checker fail, each gets the diagnosis a teacher would give, and at least three
quarters get a diagnosis more specific than "wrong_values" or "raises".
"""
import math

import numpy as np
import pytest

import coursekit
from coursekit.exercises import check

STUDENTS = []          # (exercise id, answer, the diagnosis a teacher would give)
GENERIC = {"wrong_values", "raises"}


def student(exercise_id, diagnosis):
    def add(function):
        STUDENTS.append((exercise_id, function, diagnosis))
        return function
    return add


def sig(z):
    return 1 / (1 + np.exp(-z))


# ------------------------------------------------------------------- 03-sigmoid-jacobian: s(z) = z ⊙ σ(z)

@student("03-sigmoid-jacobian", "sigmoid_jacobian_not_silu")
def copies_the_sigmoid_jacobian_from_the_page(z):
    s = sig(z)
    return np.diag(s * (1 - s))


@student("03-sigmoid-jacobian", "vector_not_matrix")
def returns_the_derivative_vector(z):
    s = sig(z)
    return s + z * s * (1 - s)


@student("03-sigmoid-jacobian", "vector_not_matrix")
def returns_a_column(z):
    s = sig(z)
    return (s + z * s * (1 - s)).reshape(len(z), 1)


@student("03-sigmoid-jacobian", "product_rule_term_missing")
def forgets_the_sigma_term(z):
    sigma_z = sig(z)
    return np.diag(z * sigma_z * (1 - sigma_z))


@student("03-sigmoid-jacobian", "product_rule_term_missing")
def treats_z_as_a_constant(z):
    return np.diag(sig(z))


@student("03-sigmoid-jacobian", "product_rule_factor_missing")
def drops_the_factor_z(z):
    s = sig(z)
    return np.diag(s + s * (1 - s))


@student("03-sigmoid-jacobian", "sign_error")
def subtracts_the_second_term(z):
    s = sig(z)
    return np.diag(s - z * s * (1 - s))


@student("03-sigmoid-jacobian", "function_not_derivative")
def puts_the_function_on_the_diagonal(z):
    return np.diag(z * sig(z))


@student("03-sigmoid-jacobian", "sigma_prime_wrong_formula")
def writes_sigma_prime_as_z_one_minus_z(z):
    return np.diag(sig(z) + z * z * (1 - z))


@student("03-sigmoid-jacobian", "not_diagonal")
def fills_every_column(z):
    n = len(z)
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            s = sig(z[i])
            J[i, j] = s + z[i] * s * (1 - s)
    return J


@student("03-sigmoid-jacobian", "off_diagonal_not_zero")
def adds_cross_terms_off_the_diagonal(z):
    s = sig(z)
    d = s + z * s * (1 - s)
    return np.diag(d) + (1 - np.eye(len(z))) * np.outer(s, s)


@student("03-sigmoid-jacobian", "not_overflow_safe")
def writes_sigma_prime_as_a_quotient_of_exponentials(z):
    return np.diag(sig(z) + z * np.exp(-z) / (1 + np.exp(-z)) ** 2)


@student("03-sigmoid-jacobian", "not_overflow_safe")
def writes_sigma_with_exp_of_plus_z(z):
    s = np.exp(z) / (1 + np.exp(z))                     # inf/inf at z = 800
    return np.diag(s + z * s * (1 - s))


@student("03-sigmoid-jacobian", "numerical_not_analytic")
def differences_the_function(z):
    h = 1e-6
    J = np.zeros((len(z), len(z)))
    for j in range(len(z)):
        zp, zm = z.copy(), z.copy()
        zp[j] += h
        zm[j] -= h
        J[:, j] = (zp * sig(zp) - zm * sig(zm)) / (2 * h)
    return J


@student("03-sigmoid-jacobian", "delegates_to_reference")
def uses_coursekits_sigmoid_prime(z):
    s = coursekit.activations.sigmoid(z)
    return np.diag(s + z * coursekit.activations.sigmoid_prime(z, s))


@student("03-sigmoid-jacobian", "wrong_values")
def off_by_one_in_the_loop(z):
    J = np.zeros((len(z), len(z)))
    for i in range(len(z) - 1):                          # the last entry is never filled
        s = sig(z[i])
        J[i, i] = s + z[i] * s * (1 - s)
    return J


# ---------------------------------------------------------------------- 03-tanh-jacobian: tanh(Ax + b)

@student("03-tanh-jacobian", "missing_A")
def forgets_dz_dx(A, x, b):
    return np.diag(1 - np.tanh(A @ x + b) ** 2)


@student("03-tanh-jacobian", "right_only_for_one_output")
def broadcasts_the_derivative_over_A(A, x, b):
    return (1 - np.tanh(A @ x + b) ** 2) * A             # (m,) * (m, n) scales columns, if it runs at all


@student("03-tanh-jacobian", "right_only_for_one_output")
def multiplies_diag_element_wise(A, x, b):
    return np.diag(1 - np.tanh(A @ x + b) ** 2) * A      # * where @ was meant


@student("03-tanh-jacobian", "tanh_prime_wrong")
def forgets_the_square(A, x, b):
    z = A @ x + b
    return np.diag(1 - np.tanh(z)) @ A


@student("03-tanh-jacobian", "tanh_prime_wrong")
def uses_sech_not_squared(A, x, b):
    return np.diag(1 / np.cosh(A @ x + b)) @ A


@student("03-tanh-jacobian", "transposed")
def writes_A_transposed_first(A, x, b):
    return A.T @ np.diag(1 - np.tanh(A @ x + b) ** 2)


@student("03-tanh-jacobian", "transposed")
def loops_with_swapped_indices(A, x, b):
    m, n = A.shape
    z = A @ x + b
    J = np.zeros((n, m))
    for i in range(m):
        for j in range(n):
            J[j, i] = (1 - math.tanh(z[i]) ** 2) * A[i, j]
    return J


@student("03-tanh-jacobian", "diag_wrong_side")
def puts_the_diagonal_on_the_right(A, x, b):
    return A @ np.diag(1 - np.tanh(A @ x + b) ** 2)


@student("03-tanh-jacobian", "evaluated_at_x")
def evaluates_tanh_prime_at_x(A, x, b):
    return np.diag(1 - np.tanh(x) ** 2) @ A


@student("03-tanh-jacobian", "missing_b")
def forgets_the_bias(A, x, b):
    z = A @ x
    return np.diag(1 - np.tanh(z) ** 2) @ A


@student("03-tanh-jacobian", "sigmoid_prime_not_tanh")
def uses_the_sigmoids_derivative(A, x, b):
    s = sig(A @ x + b)
    return np.diag(s * (1 - s)) @ A


@student("03-tanh-jacobian", "sign_error")
def writes_tanh_squared_minus_one(A, x, b):
    t = np.tanh(A @ x + b)
    return np.diag(t ** 2 - 1) @ A


@student("03-tanh-jacobian", "not_overflow_safe")
def tanh_from_exponentials(A, x, b):
    z = A @ x + b
    t = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    return np.diag(1 - t ** 2) @ A


@student("03-tanh-jacobian", "not_overflow_safe")
def tanh_as_sinh_over_cosh(A, x, b):
    z = A @ x + b
    return np.diag(1 - (np.sinh(z) / np.cosh(z)) ** 2) @ A


@student("03-tanh-jacobian", "modified_input")
def scales_A_in_place(A, x, b):
    A *= (1 - np.tanh(A @ x + b) ** 2)[:, None]
    return A


@student("03-tanh-jacobian", "numerical_not_analytic")
def central_differences_of_the_layer(A, x, b):
    J = np.zeros(A.shape)
    for j in range(len(x)):
        e = np.zeros(len(x))
        e[j] = 1e-5
        J[:, j] = (np.tanh(A @ (x + e) + b) - np.tanh(A @ (x - e) + b)) / 2e-5
    return J


@student("03-tanh-jacobian", "wrong_values")
def forgets_the_one_minus(A, x, b):
    return np.diag(np.tanh(A @ x + b) ** 2) @ A


# ----------------------------------------------------------------- 04-least-squares: L = ‖y − σ(Φθ)‖²

@student("04-least-squares", "linear_model")
def copies_5_83(Phi, y, theta):
    e = y - Phi @ theta
    return -2 * e.T @ Phi


@student("04-least-squares", "missing_sigma_prime")
def forgets_the_sigmoids_jacobian(Phi, y, theta):
    e = y - sig(Phi @ theta)
    return -2 * e.T @ Phi


@student("04-least-squares", "not_overflow_safe")
def sigma_prime_from_exponentials(Phi, y, theta):
    u = Phi @ theta
    f = sig(u)
    return -2 * ((y - f) * np.exp(-u) / (1 + np.exp(-u)) ** 2).T @ Phi


@student("04-least-squares", "column_not_row")
def returns_the_column_gradient(Phi, y, theta):
    f = sig(Phi @ theta)
    return 2 * Phi.T @ ((f - y) * f * (1 - f))


@student("04-least-squares", "mean_instead_of_sum")
def averages_over_the_examples(Phi, y, theta):
    f = sig(Phi @ theta)
    return -2 * ((y - f) * f * (1 - f)).T @ Phi / len(y)


@student("04-least-squares", "missing_factor_2")
def uses_the_half_of_E(Phi, y, theta):
    f = sig(Phi @ theta)
    return -((y - f) * f * (1 - f)).T @ Phi


@student("04-least-squares", "sign_error")
def drops_the_minus_of_de_df(Phi, y, theta):
    f = sig(Phi @ theta)
    return 2 * ((y - f) * f * (1 - f)).T @ Phi


@student("04-least-squares", "sigma_prime_of_f")
def applies_sigma_twice(Phi, y, theta):
    f = sig(Phi @ theta)
    return -2 * ((y - f) * sig(f) * (1 - sig(f))).T @ Phi


@student("04-least-squares", "sigma_prime_wrong_formula")
def writes_u_times_one_minus_u(Phi, y, theta):
    u = Phi @ theta
    return -2 * ((y - sig(u)) * u * (1 - u)).T @ Phi


@student("04-least-squares", "sigma_not_derivative")
def multiplies_by_sigma_not_sigma_prime(Phi, y, theta):
    f = sig(Phi @ theta)
    return -2 * ((y - f) * f).T @ Phi


@student("04-least-squares", "right_only_for_one_observation")
def dot_product_instead_of_element_wise(Phi, y, theta):
    f = sig(Phi @ theta)
    return -2 * ((y - f).T @ (f * (1 - f))) * Phi


@student("04-least-squares", "flat_not_row")
def flattens_the_error_first(Phi, y, theta):
    f = sig(Phi @ theta)
    return -2 * ((y - f) * f * (1 - f)).ravel() @ Phi


@student("04-least-squares", "missing_inner_jacobian")
def stops_at_du(Phi, y, theta):
    f = sig(Phi @ theta)
    return -2 * (y - f).T @ np.diag((f * (1 - f)).ravel())


@student("04-least-squares", "diag_wrong_side")
def puts_diag_after_phi(Phi, y, theta):
    f = sig(Phi @ theta)
    return -2 * (y - f).T @ Phi @ np.diag((f * (1 - f)).ravel())


@student("04-least-squares", "numerical_not_analytic")
def differences_the_loss(Phi, y, theta):
    grad = np.zeros((1, len(theta)))
    for d in range(len(theta)):
        step = np.zeros_like(theta)
        step[d] = 1e-6
        L_plus = np.sum((y - sig(Phi @ (theta + step))) ** 2)
        L_minus = np.sum((y - sig(Phi @ (theta - step))) ** 2)
        grad[0, d] = (L_plus - L_minus) / 2e-6
    return grad


@student("04-least-squares", "wrong_values")
def loop_that_skips_the_first_example(Phi, y, theta):
    N, D = Phi.shape
    g = np.zeros((1, D))
    for n in range(1, N):
        f = sig(Phi[n] @ theta[:, 0])
        g[0] += -2 * (y[n, 0] - f) * f * (1 - f) * Phi[n]
    return g


# ------------------------------------------------------------------------ 05-outer-tensor: d(x xᵀ)/dx

@student("05-outer-tensor", "product_rule_term_missing")
def keeps_one_term_of_the_product_rule(x):
    n = len(x)
    T = np.zeros((n, n, n))
    for i in range(n):
        for j in range(n):
            T[i, j, i] = x[j]
    return T


@student("05-outer-tensor", "product_rule_merged")
def doubles_one_term(x):
    return 2 * np.einsum("ik,j->ijk", np.eye(len(x)), x)


@student("05-outer-tensor", "wrong_index_placement")
def puts_the_delta_on_i_and_j(x):
    n = len(x)
    T = np.zeros((n, n, n))
    for i in range(n):
        T[i, i, :] = x
    return T


@student("05-outer-tensor", "wrong_layout")
def stores_the_input_index_first(x):
    n = len(x)
    T = np.zeros((n, n, n))
    for k in range(n):
        e = np.zeros(n)
        e[k] = 1
        T[k] = np.outer(e, x) + np.outer(x, e)          # T[k] = ∂X/∂x_k: the slices along the first axis
    return T


@student("05-outer-tensor", "dense_not_sparse")
def forgets_the_kronecker_deltas(x):
    n = len(x)
    T = np.zeros((n, n, n))
    for i in range(n):
        for j in range(n):
            for k in range(n):
                T[i, j, k] = x[i] + x[j]
    return T


@student("05-outer-tensor", "diagonal_entries_only")
def differentiates_only_the_squares(x):
    n = len(x)
    T = np.zeros((n, n, n))
    for i in range(n):
        T[i, i, i] = 2 * x[i]
    return T


@student("05-outer-tensor", "summed_over_k")
def returns_one_matrix(x):
    return np.outer(x, np.ones(len(x))) + np.outer(np.ones(len(x)), x)


@student("05-outer-tensor", "one_slice_only")
def returns_the_first_slice(x):
    e = np.zeros(len(x))
    e[0] = 1.0
    return np.outer(e, x) + np.outer(x, e)


@student("05-outer-tensor", "not_reshaped")
def keeps_the_flat_jacobian(x):
    n = len(x)
    J = np.zeros((n * n, n))
    for i in range(n):
        for j in range(n):
            J[i * n + j, i] += x[j]
            J[i * n + j, j] += x[i]
    return J


@student("05-outer-tensor", "scalar_rule")
def uses_two_x(x):
    return 2 * x


@student("05-outer-tensor", "right_only_for_one_entry")
def two_x_k_everywhere(x):
    n = len(x)
    return np.broadcast_to(2 * x, (n, n, n)).copy()


@student("05-outer-tensor", "numerical_not_analytic")
def central_differences_of_the_outer_product(x):
    n = len(x)
    T = np.zeros((n, n, n))
    for k in range(n):
        h = np.zeros(n)
        h[k] = 1e-5
        T[:, :, k] = (np.outer(x + h, x + h) - np.outer(x - h, x - h)) / 2e-5
    return T


@student("05-outer-tensor", "delegates_to_reference")
def calls_tensor_jacobian(x):
    return coursekit.tensor_jacobian(lambda v: np.outer(v, v), x)


@student("05-outer-tensor", "wrong_layout")
def folds_the_transposed_flat_jacobian(x):
    n = len(x)
    J = np.zeros((n * n, n))
    for i in range(n):
        for j in range(n):
            J[i * n + j, i] += x[j]
            J[i * n + j, j] += x[i]
    return J.T.reshape(n, n, n)                          # (n, n²) folded: the input index ends up first


# ----------------------------------------------------------------- 05-matrix-gradient: ½‖Ax − y‖² in A

@student("05-matrix-gradient", "transposed")
def outer_product_the_wrong_way_round(A, x, y):
    return x @ (A @ x - y).T


@student("05-matrix-gradient", "missing_x")
def stops_at_delta(A, x, y):
    return A @ x - y


@student("05-matrix-gradient", "right_only_for_one_output")
def sums_the_errors(A, x, y):
    return np.sum(A @ x - y) * x.T


@student("05-matrix-gradient", "factor_two")
def keeps_the_two_of_the_square(A, x, y):
    return 2 * (A @ x - y) @ x.T


@student("05-matrix-gradient", "sign_error")
def uses_y_minus_Ax(A, x, y):
    return (y - A @ x) @ x.T


@student("05-matrix-gradient", "gradient_wrt_x")
def differentiates_with_respect_to_x(A, x, y):
    return A.T @ (A @ x - y)


@student("05-matrix-gradient", "right_only_for_square")
def reshapes_x_with_the_wrong_size(A, x, y):
    return (A @ x - y) @ x.reshape(1, A.shape[0])


@student("05-matrix-gradient", "missing_y")
def forgets_the_target(A, x, y):
    return (A @ x) @ x.T


# ----------------------------------------------------------------------------------------------- the run

@pytest.fixture(scope="module")
def verdicts():
    return [(exercise_id, answer, expected, check(exercise_id, answer)) for exercise_id, answer, expected in STUDENTS]


def test_the_run_has_enough_wrong_answers_for_every_exercise():
    assert len(STUDENTS) >= 30
    per_exercise = {}
    for exercise_id, _, _ in STUDENTS:
        per_exercise[exercise_id] = per_exercise.get(exercise_id, 0) + 1
    assert set(per_exercise) == {"03-sigmoid-jacobian", "03-tanh-jacobian", "04-least-squares", "05-outer-tensor",
                                 "05-matrix-gradient"}
    assert min(per_exercise.values()) >= 8


@pytest.mark.parametrize("index", range(len(STUDENTS)), ids=[f"{e}-{f.__name__}" for e, f, _ in STUDENTS])
def test_each_wrong_answer_gets_the_teachers_diagnosis(verdicts, index):
    exercise_id, answer, expected, result = verdicts[index]
    assert not result.passed, f"{answer.__name__} passed: {result!r}"
    assert result.diagnosis != "checker_error", repr(result)
    assert result.diagnosis == expected, f"{answer.__name__}: {result!r}"


def test_three_quarters_of_the_wrong_answers_are_named(verdicts):
    named = [v for v in verdicts if v[3].diagnosis not in GENERIC and not v[3].passed]
    accepted = [v for v in verdicts if v[3].passed]
    errors = [v for v in verdicts if v[3].diagnosis == "checker_error"]
    print(f"\n{len(verdicts)} wrong answers: {len(named)} named, {len(verdicts) - len(named) - len(accepted)} "
          f"generic, {len(accepted)} accepted, {len(errors)} checker errors")
    assert not accepted and not errors
    assert len(named) >= 0.75 * len(verdicts)


@pytest.mark.parametrize("seed", range(3))
def test_the_grader_on_fresh_problems_names_the_same_mistakes(seed):
    from coursekit.exercises import EXERCISES, judge

    for exercise_id, answer, expected in STUDENTS:
        exercise = EXERCISES[exercise_id]
        cases = exercise.draw(np.random.default_rng([seed, 1009]))
        result = judge(exercise, answer, cases, 5.0, answer.__name__)
        assert result.diagnosis == expected, f"seed {seed}, {answer.__name__}: {result!r}"
