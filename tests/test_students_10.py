"""A student run for the exercises of notebook 10: wrong answers written the way students write them (not the
catalogue's mutants), each with the mistake a teacher would name.

None may pass, none may make the checker fail, each gets the diagnosis a teacher would give, and at least three
quarters get a diagnosis more specific than "wrong_values" or "raises".
"""
import numpy as np
import pytest

from coursekit.exercises import check

STUDENTS = []          # (exercise id, answer, the diagnosis a teacher would give)
GENERIC = {"wrong_values", "raises"}


def student(exercise_id, diagnosis):
    def add(function):
        STUDENTS.append((exercise_id, function, diagnosis))
        return function
    return add


def naive_softmax(z):
    return np.exp(z) / np.sum(np.exp(z))


def safe_softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


# ---------------------------------------------------------------------------------- 10-softmax-jacobian

@student("10-softmax-jacobian", "diag_only")
def keeps_only_the_numerator_term(z):
    p = naive_softmax(z)                       # and not overflow-safe either
    return np.diag(p)


@student("10-softmax-jacobian", "outer_only")
def keeps_only_the_denominator_term(z):
    p = safe_softmax(z)
    return -np.outer(p, p)


@student("10-softmax-jacobian", "sign_error")
def flips_the_quotient_rule(z):
    p = safe_softmax(z)
    return p[:, None] * p[None, :] - np.diag(p)


@student("10-softmax-jacobian", "treated_as_elementwise")
def treats_softmax_like_sigma(z):
    p = safe_softmax(z)
    J = np.zeros((len(z), len(z)))
    for i in range(len(z)):
        J[i, i] = p[i] * (1 - p[i])
    return J


@student("10-softmax-jacobian", "sigmoid_jacobian")
def copies_notebook_03(z):
    s = 1 / (1 + np.exp(-z))
    return np.diag(s * (1 - s))


@student("10-softmax-jacobian", "inner_not_outer")
def multiplies_a_row_by_a_column_the_wrong_way(z):
    p = safe_softmax(z).reshape(-1, 1)         # p as a column
    return np.diagflat(p) - p.T @ p            # pᵀp: a 1 × 1 matrix, broadcast


@student("10-softmax-jacobian", "index_slip")
def loop_with_a_typo_in_the_index(z):
    p = safe_softmax(z)
    n = len(p)
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            J[i, j] = p[i] * ((i == j) - p[i])
    return J


@student("10-softmax-jacobian", "index_slip")
def broadcasts_p_along_the_wrong_axis(z):
    p = safe_softmax(z)
    return p * (np.eye(len(p)) - p)            # p[None, :] on both sides: p_j (δ_ij − p_j)


@student("10-softmax-jacobian", "index_slip")
def subtracts_p_squared_as_a_vector(z):
    p = safe_softmax(z)
    return np.diag(p) - p ** 2                 # meant the diagonal only, broadcasts over every row


@student("10-softmax-jacobian", "unnormalised")
def forgets_to_divide_by_the_sum(z):
    e = np.exp(z)
    return np.diag(e) - np.outer(e, e)


@student("10-softmax-jacobian", "off_diagonal_wrong")
def gets_the_sign_of_the_cross_terms_wrong(z):
    p = safe_softmax(z)
    J = np.outer(p, p)
    np.fill_diagonal(J, p * (1 - p))
    return J


@student("10-softmax-jacobian", "diagonal_wrong")
def forgets_the_square_on_the_diagonal(z):
    p = safe_softmax(z)
    J = -np.outer(p, p)
    np.fill_diagonal(J, p)
    return J


@student("10-softmax-jacobian", "vector_not_matrix")
def returns_the_diagonal_as_a_vector(z):
    p = safe_softmax(z)
    return p * (1 - p)


@student("10-softmax-jacobian", "function_not_derivative")
def returns_softmax_itself(z):
    return safe_softmax(z)


@student("10-softmax-jacobian", "not_overflow_safe")
def right_formula_but_naive_exponentials(z):
    p = np.exp(z) / np.exp(z).sum()
    return np.diag(p) - np.outer(p, p)


@student("10-softmax-jacobian", "numerical_not_analytic")
def finite_differences_of_own_softmax(z):
    z = np.asarray(z, dtype=float)
    h = 1e-6
    J = np.zeros((len(z), len(z)))
    for j in range(len(z)):
        zp, zm = z.copy(), z.copy()
        zp[j] += h
        zm[j] -= h
        J[:, j] = (safe_softmax(zp) - safe_softmax(zm)) / (2 * h)
    return J


@student("10-softmax-jacobian", "treated_as_elementwise")
def element_wise_with_naive_exponentials(z):
    p = np.exp(z) / sum(np.exp(z))
    return np.diag(p - p ** 2)


@student("10-softmax-jacobian", "wrong_values")
def halves_the_cross_terms(z):
    p = safe_softmax(z)
    return np.diag(p) - np.outer(p, p) / 2       # "the outer product counts every pair twice"


@student("10-softmax-jacobian", "wrong_values")
def differentiates_log_softmax_instead(z):
    p = safe_softmax(z)
    return np.eye(len(p)) - p[None, :]           # ∂ log p_i / ∂z_j


# ------------------------------------------------------------------------------------ 10-softmax-delta

def softmax_columns(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@student("10-softmax-delta", "sign_error")
def target_minus_prediction(ZK, Y):
    return Y - softmax_columns(ZK)


@student("10-softmax-delta", "mean_instead_of_sum")
def averages_like_pytorch(ZK, Y):
    R = ZK.shape[1]
    return (softmax_columns(ZK) - Y) / R


@student("10-softmax-delta", "sigma_prime_factor")
def keeps_a_sigma_prime_style_factor(ZK, Y):
    p = softmax_columns(ZK)
    return (p - Y) * p * (1 - p)


@student("10-softmax-delta", "missing_sum_over_classes")
def only_the_diagonal_of_the_jacobian(ZK, Y):
    p = softmax_columns(ZK)
    # ∂E/∂z_j = (∂E/∂p_j)(∂p_j/∂z_j) = (−Y_j / p_j) p_j (1 − p_j)
    return -Y * (1 - p)


@student("10-softmax-delta", "dE_dp_not_dZ")
def stops_at_the_softmax_outputs(ZK, Y):
    p = softmax_columns(ZK)
    return -Y / p


@student("10-softmax-delta", "sigmoid_not_softmax")
def reuses_notebook_09(ZK, Y):
    f = 1 / (1 + np.exp(-ZK))
    return f - Y


@student("10-softmax-delta", "softmax_wrong_axis")
def normalises_over_the_examples(ZK, Y):
    e = np.exp(ZK - ZK.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True) - Y


@student("10-softmax-delta", "softmax_wrong_axis")
def wrong_axis_and_naive(ZK, Y):
    e = np.exp(ZK)
    return e / e.sum(axis=1, keepdims=True) - Y


@student("10-softmax-delta", "softmax_whole_matrix")
def forgets_the_axis(ZK, Y):
    e = np.exp(ZK - np.max(ZK))
    return e / np.sum(e) - Y


@student("10-softmax-delta", "logits_not_probabilities")
def forgets_the_softmax(ZK, Y):
    return ZK - Y


@student("10-softmax-delta", "summed_over_examples")
def sums_like_a_bias_gradient(ZK, Y):
    return np.sum(softmax_columns(ZK) - Y, axis=1, keepdims=True)


@student("10-softmax-delta", "row_layout")
def one_row_per_example(ZK, Y):
    rows = []
    for r in range(ZK.shape[1]):
        rows.append(safe_softmax(ZK[:, r]) - Y[:, r])
    return np.array(rows)


@student("10-softmax-delta", "squared_error_delta")
def uses_the_squared_error_gradient(ZK, Y):
    delta = np.zeros(ZK.shape)
    for r in range(ZK.shape[1]):
        p = safe_softmax(ZK[:, r])
        J = np.diag(p) - np.outer(p, p)
        delta[:, r] = J @ (p - Y[:, r])
    return delta


@student("10-softmax-delta", "not_overflow_safe")
def right_but_naive(ZK, Y):
    p = np.exp(ZK) / np.exp(ZK).sum(axis=0)
    return p - Y


@student("10-softmax-delta", "not_overflow_safe")
def shifts_by_the_largest_entry_of_the_whole_matrix(ZK, Y):
    e = np.exp(ZK - ZK.max())                  # one shift for all columns: a column far below underflows
    return e / e.sum(axis=0, keepdims=True) - Y


@student("10-softmax-delta", "not_overflow_safe")
def chain_rule_with_division_by_p(ZK, Y):
    delta = np.zeros(ZK.shape)
    for r in range(ZK.shape[1]):
        p = safe_softmax(ZK[:, r])
        J = np.diag(p) - np.outer(p, p)
        delta[:, r] = (-Y[:, r] / p) @ J       # right, but p_k = 0 (underflow) gives inf · 0
    return delta


@student("10-softmax-delta", "numerical_not_analytic")
def finite_differences_of_the_cost(ZK, Y):
    def E(Z):
        return -np.sum(Y * np.log(softmax_columns(Z) + 1e-300))
    G, h = np.zeros(ZK.shape), 1e-5
    for k in range(ZK.shape[0]):
        for r in range(ZK.shape[1]):
            Zp, Zm = ZK.copy(), ZK.copy()
            Zp[k, r] += h
            Zm[k, r] -= h
            G[k, r] = (E(Zp) - E(Zm)) / (2 * h)
    return G


@student("10-softmax-delta", "right_only_for_R1")
def softmax_of_the_first_column_only(ZK, Y):
    p = safe_softmax(ZK[:, 0])
    return p[:, None] - Y


@student("10-softmax-delta", "wrong_values")
def assumes_one_hot_targets(ZK, Y):
    delta = softmax_columns(ZK)
    delta[Y == 1] -= 1                           # right for one-hot Y, not for soft targets
    return delta


# ---------------------------------------------------------------------------------- 10-affine-backward

@student("10-affine-backward", "dA_transposed")
def weight_gradient_the_other_way_round(dZ, cache):
    f, A, b = cache
    return A.T @ dZ, f @ dZ.T, dZ.sum(axis=1, keepdims=True)


@student("10-affine-backward", "db_not_summed")
def bias_gradient_per_example(dZ, cache):
    f, A, b = cache
    return A.T @ dZ, dZ @ f.T, dZ


@student("10-affine-backward", "db_summed_wrong_axis")
def bias_summed_over_units(dZ, cache):
    f, A, b = cache
    return A.T @ dZ, dZ @ f.T, np.sum(dZ, axis=0, keepdims=True)


@student("10-affine-backward", "db_one_dimensional")
def bias_without_keepdims(dZ, cache):
    f, A, b = cache
    return A.T @ dZ, dZ @ f.T, dZ.sum(axis=1)


@student("10-affine-backward", "A_not_transposed")
def error_back_through_A(dZ, cache):
    f, A, b = cache
    return A @ dZ, dZ @ f.T, dZ.sum(axis=1, keepdims=True)


@student("10-affine-backward", "df_row_layout")
def book_layout_for_df(dZ, cache):
    f, A, b = cache
    return dZ.T @ A, dZ @ f.T, dZ.sum(axis=1, keepdims=True)


@student("10-affine-backward", "mean_instead_of_sum")
def everything_averaged(dZ, cache):
    f, A, b = cache
    R = f.shape[1]
    return A.T @ dZ / R, dZ @ f.T / R, dZ.sum(axis=1, keepdims=True) / R


@student("10-affine-backward", "mean_instead_of_sum")
def bias_gradient_averaged(dZ, cache):
    f, A, b = cache
    return A.T @ dZ, dZ @ f.T, dZ.mean(axis=1, keepdims=True)


@student("10-affine-backward", "mean_instead_of_sum")
def weight_gradient_averaged(dZ, cache):
    f, A, b = cache
    return A.T @ dZ, (dZ @ f.T) / dZ.shape[1], dZ.sum(axis=1, keepdims=True)


@student("10-affine-backward", "wrong_order")
def parameters_first(dZ, cache):
    f, A, b = cache
    return dZ @ f.T, dZ.sum(axis=1, keepdims=True), A.T @ dZ


@student("10-affine-backward", "wrong_order")
def dA_before_df(dZ, cache):
    f, A, b = cache
    return [dZ @ f.T, A.T @ dZ, dZ.sum(axis=1, keepdims=True)]


@student("10-affine-backward", "right_only_for_R1")
def overwrites_instead_of_adding(dZ, cache):
    f, A, b = cache
    df = np.zeros(f.shape)
    for r in range(dZ.shape[1]):
        df[:, [r]] = A.T @ dZ[:, [r]]
        dA = dZ[:, [r]] @ f[:, [r]].T          # = instead of +=: only the last example survives
        db = dZ[:, [r]]
    return df, dA, db


@student("10-affine-backward", "modified_input")
def writes_into_the_cached_bias(dZ, cache):
    f, A, b = cache
    db = b
    db[:] = dZ.sum(axis=1, keepdims=True)      # b itself is overwritten
    return A.T @ dZ, dZ @ f.T, db


@student("10-affine-backward", "wrong_type")
def returns_a_dict(dZ, cache):
    f, A, b = cache
    return {"df": A.T @ dZ, "dA": dZ @ f.T, "db": dZ.sum(axis=1, keepdims=True)}


@student("10-affine-backward", "dA_transposed+db_not_summed")
def two_slips_at_once(dZ, cache):
    f, A, b = cache
    return A.T @ dZ, f @ dZ.T, dZ


@student("10-affine-backward", "numerical_not_analytic")
def differentiates_numerically(dZ, cache):
    f, A, b = cache
    h = 1e-6

    def numeric(x, E):
        g = np.zeros(x.shape)
        for index in np.ndindex(x.shape):
            old = x[index]
            x[index] = old + h
            plus = E()
            x[index] = old - h
            minus = E()
            x[index] = old
            g[index] = (plus - minus) / (2 * h)
        return g

    f, A, b = f.copy(), A.copy(), b.copy()
    E = lambda: np.sum(dZ * (A @ f + b))        # noqa: E731
    return numeric(f, E), numeric(A, E), numeric(b, E)


@student("10-affine-backward", "wrong_values")
def multiplies_df_by_the_input(dZ, cache):
    f, A, b = cache
    return (A.T @ dZ) * f, dZ @ f.T, dZ.sum(axis=1, keepdims=True)     # a σ'-like factor that is not there


# ----------------------------------------------------------------------------------------------- the run

@pytest.fixture(scope="module")
def verdicts():
    return [(exercise_id, answer, expected, check(exercise_id, answer)) for exercise_id, answer, expected in STUDENTS]


def test_the_run_has_enough_wrong_answers_for_every_exercise():
    assert len(STUDENTS) >= 30
    per_exercise = {}
    for exercise_id, _, _ in STUDENTS:
        per_exercise[exercise_id] = per_exercise.get(exercise_id, 0) + 1
    assert set(per_exercise) == {"10-softmax-jacobian", "10-softmax-delta", "10-affine-backward"}
    assert min(per_exercise.values()) >= 10


@pytest.mark.parametrize("index", range(len(STUDENTS)), ids=[f"{e}-{f.__name__}" for e, f, _ in STUDENTS])
def test_each_wrong_answer_gets_the_teachers_diagnosis(verdicts, index):
    exercise_id, answer, expected, result = verdicts[index]
    assert not result.passed, f"{answer.__name__} passed: {result!r}"
    assert result.diagnosis != "checker_error", repr(result)
    assert result.diagnosis == expected, f"{answer.__name__}: {result!r}"


@pytest.mark.parametrize("seed", range(3))
def test_the_diagnoses_hold_on_problems_drawn_as_the_grader_draws_them(seed):
    from coursekit.exercises import EXERCISES, judge

    for exercise_id, answer, expected in STUDENTS:
        exercise = EXERCISES[exercise_id]
        cases = exercise.draw(np.random.default_rng([seed, 2718]))
        result = judge(exercise, answer, cases, 5.0, answer.__name__)
        assert not result.passed and result.diagnosis == expected, f"{answer.__name__}: {result!r}"


def test_three_quarters_of_the_wrong_answers_are_named(verdicts):
    named = [v for v in verdicts if v[3].diagnosis not in GENERIC and not v[3].passed]
    accepted = [v for v in verdicts if v[3].passed]
    errors = [v for v in verdicts if v[3].diagnosis == "checker_error"]
    print(f"\n{len(verdicts)} wrong answers: {len(named)} named, {len(verdicts) - len(named) - len(accepted)} "
          f"generic, {len(accepted)} accepted, {len(errors)} checker errors")
    assert not accepted and not errors
    assert len(named) >= 0.75 * len(verdicts)
