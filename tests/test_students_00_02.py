"""A class's worth of wrong answers to the exercises of notebooks 00–02, written the way students write them
(not the catalogue's mutants): loops, other variable names, off-by-one ranges, wrong axes and layouts,
forgotten factors, copied example code. Each carries the diagnosis a teacher would give.

Asserted: no wrong answer passes, none makes the checker fail, each gets the diagnosis written beside it, and
at least three quarters get a diagnosis other than the generic "wrong_values".
"""
import math

import numpy as np
import pytest

import coursekit
from coursekit.exercises import check

WRONG = []          # (exercise id, answer, the diagnosis a teacher would give)


def wrong(exercise_id, diagnosis):
    def add(function):
        WRONG.append((exercise_id, function, diagnosis))
        return function
    return add


# ------------------------------------------------------------------------------------------ 00-total-cost

@wrong("00-total-cost", "missing_half")
def total_cost_squared_no_half(F, Y):
    return np.sum((F - Y) ** 2)


@wrong("00-total-cost", "mean_instead_of_sum")
def total_cost_squared_mse(F, Y):
    return 0.5 * np.mean((F - Y) ** 2)                     # the "MSE" of a library


@wrong("00-total-cost", "mean_instead_of_sum")
def total_cost_squared_averaged_by_hand(F, Y):
    n, R = F.shape
    return float(0.5 * np.sum((F - Y) ** 2) / (n * R))


@wrong("00-total-cost", "skips_an_example")
def total_cost_squared_loop_short(F, Y):
    E = 0.0
    for r in range(F.shape[1] - 1):
        E += 0.5 * np.sum((F[:, r] - Y[:, r]) ** 2)
    return E


@wrong("00-total-cost", "skips_an_example")
def total_cost_squared_from_one(F, Y):
    total = 0
    for k in range(F.shape[0]):
        for r in range(1, F.shape[1]):                     # "examples are numbered from 1"
            total += (F[k, r] - Y[k, r]) ** 2
    return total / 2


@wrong("00-total-cost", "not_accumulated")
def total_cost_squared_overwritten(F, Y):
    for r in range(F.shape[1]):
        E = 0.5 * np.sum((F[:, r] - Y[:, r]) ** 2)
    return E


@wrong("00-total-cost", "per_example_not_total")
def total_cost_squared_per_column(F, Y):
    return 0.5 * np.sum((F - Y) ** 2, axis=0)


@wrong("00-total-cost", "right_only_for_R1")
def total_cost_squared_lecture_formula(F, Y):
    e = F - Y
    return 0.5 * (e.T @ e).item()                         # ½(f − Y)ᵀ(f − Y), a number for one column only


@wrong("00-total-cost", "raises")
def total_cost_squared_lecture_formula_float(F, Y):
    e = F - Y
    return 0.5 * float(e.T @ e)                           # NumPy 2 refuses float() of any 2-D array


@wrong("00-total-cost", "first_example_only")
def total_cost_squared_lecture_formula_indexed(F, Y):
    e = F - Y
    return 0.5 * (e.T @ e)[0, 0]                          # entry [0, 0] is example 1's squared error


@wrong("00-total-cost", "right_only_for_R1")
def total_cost_squared_gram_sum(F, Y):
    e = F - Y
    return float(0.5 * np.sum(e.T @ e))


@wrong("00-total-cost", "not_squared")
def total_cost_squared_abs(F, Y):
    return 0.5 * np.sum(np.abs(F - Y))


@wrong("00-total-cost", "not_squared")
def total_cost_squared_norm(F, Y):
    return 0.5 * np.linalg.norm(F - Y)


@wrong("00-total-cost", "modified_input")
def total_cost_squared_in_place(F, Y):
    F -= Y
    return float(0.5 * np.sum(F * F))


@wrong("00-total-cost", "squared_sum")
def total_cost_squared_sum_first(F, Y):
    return 0.5 * np.sum(F - Y) ** 2


@wrong("00-total-cost", "right_only_for_one_output")
def total_cost_squared_first_row(F, Y):
    E = 0
    for r in range(Y.shape[1]):
        E += 0.5 * (F[0, r] - Y[0, r]) ** 2
    return E


@wrong("00-total-cost", "right_only_for_one_output")
def total_cost_squared_outer_product(F, Y):
    e = F - Y
    return (0.5 * e @ e.T).item()                         # (1, 1) only when there is one output


@wrong("00-total-cost", "wrong_cost")
def total_cost_squared_cross_entropy(F, Y):
    return float(-np.sum(Y * np.log(F) + (1 - Y) * np.log(1 - F)))


@wrong("00-total-cost", "wrong_values")
def total_cost_squared_half_twice(F, Y):
    E = 0.5 * np.sum((F - Y) ** 2)
    return E / 2                                          # "and the ½ of the cost"


# ------------------------------------------------------------------------------------ 00-gradient-descent

@wrong("00-gradient-descent", "gradient_ascent")
def gradient_descent_1d_plus(dE, theta0, eta, steps):
    path = [theta0]
    for _ in range(steps):
        path.append(path[-1] + eta * dE(path[-1]))
    return np.array(path)


@wrong("00-gradient-descent", "missing_eta")
def gradient_descent_1d_no_eta(dE, theta0, eta, steps):
    theta, path = theta0, [theta0]
    for t in range(steps):
        theta = theta - dE(theta)
        path.append(theta)
    return np.array(path)


@wrong("00-gradient-descent", "missing_start")
def gradient_descent_1d_append_after(dE, theta0, eta, steps):
    theta, path = theta0, []
    for t in range(steps):
        theta = theta - eta * dE(theta)
        path.append(theta)
    return np.array(path)


@wrong("00-gradient-descent", "extra_step")
def gradient_descent_1d_inclusive(dE, theta0, eta, steps):
    path = [theta0]
    for t in range(steps + 1):
        path.append(path[t] - eta * dE(path[t]))
    return np.array(path)


@wrong("00-gradient-descent", "missing_step")
def gradient_descent_1d_from_one(dE, theta0, eta, steps):
    path = [theta0]
    for t in range(1, steps):
        path.append(path[-1] - eta * dE(path[-1]))
    return np.array(path)


@wrong("00-gradient-descent", "stale_gradient")
def gradient_descent_1d_slope_once(dE, theta0, eta, steps):
    slope = dE(theta0)
    path = [theta0]
    for _ in range(steps):
        path.append(path[-1] - eta * slope)
    return np.array(path)


@wrong("00-gradient-descent", "returns_final_only")
def gradient_descent_1d_last(dE, theta0, eta, steps):
    theta = theta0
    for _ in range(steps):
        theta -= eta * dE(theta)
    return theta


@wrong("00-gradient-descent", "eta_ignored")
def gradient_descent_1d_fixed_rate(dE, theta0, eta, steps):
    lr = 0.1                                              # copied from an example
    path = [theta0]
    for _ in range(steps):
        path.append(path[-1] - lr * dE(path[-1]))
    return np.array(path)


@wrong("00-gradient-descent", "steps_zero_still_steps")
def gradient_descent_1d_do_while(dE, theta0, eta, steps):
    path, t = [theta0], 0
    while True:
        path.append(path[-1] - eta * dE(path[-1]))
        t += 1
        if t >= steps:
            break
    return np.array(path)


@wrong("00-gradient-descent", "wrong_values")
def gradient_descent_1d_integer_array(dE, theta0, eta, steps):
    path = np.arange(steps + 1)                           # an integer array: every θ is truncated
    path[0] = theta0
    for t in range(steps):
        path[t + 1] = path[t] - eta * dE(path[t])
    return path


# -------------------------------------------------------------------------------------------- 01-gradient

@wrong("01-gradient", "forward_difference")
def numerical_gradient_forward(f, x, h=1e-5):
    g = np.zeros((1, len(x)))
    for i in range(len(x)):
        xh = x.copy()
        xh[i] += h
        g[0, i] = (f(xh) - f(x)) / h
    return g


@wrong("01-gradient", "divided_by_h")
def numerical_gradient_over_h(f, x, h=1e-5):
    g = np.zeros((1, x.size))
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        g[0, i] = (f(x + e) - f(x - e)) / h
    return g


@wrong("01-gradient", "operator_precedence")
def numerical_gradient_precedence(f, x, h=1e-5):
    g = np.zeros((1, x.size))
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        g[0, i] = (f(x + e) - f(x - e)) / 2*h
    return g


@wrong("01-gradient", "step_not_reset")
def numerical_gradient_one_step_vector(f, x, h=1e-5):
    n = len(x)
    grad = np.zeros((1, n))
    e = np.zeros(n)                                       # made once, never reset
    for i in range(n):
        e[i] = h
        grad[0, i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


@wrong("01-gradient", "skips_an_entry")
def numerical_gradient_range_short(f, x, h=1e-5):
    grad = np.zeros((1, len(x)))
    for i in range(len(x) - 1):
        step = np.zeros(len(x))
        step[i] = h
        grad[0, i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


@wrong("01-gradient", "flat_not_row")
def numerical_gradient_list(f, x, h=1e-5):
    partials = []
    for i in range(len(x)):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        partials.append((f(up) - f(down)) / (2 * h))
    return np.array(partials)


@wrong("01-gradient", "x_modified")
def numerical_gradient_not_restored(f, x, h=1e-5):
    g = np.zeros((1, len(x)))
    for i in range(len(x)):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        g[0, i] = (fp - fm) / (2 * h)
    return g


@wrong("01-gradient", "same_point_twice")
def numerical_gradient_alias(f, x, h=1e-5):
    g = np.zeros((1, len(x)))
    for i in range(len(x)):
        xp, xm = x, x                                     # not copies: one array under three names
        xp[i] = xp[i] + h
        xm[i] = xm[i] - h
        g[0, i] = (f(xp) - f(xm)) / (2 * h)
    return g


@wrong("01-gradient", "same_point_twice")
def numerical_gradient_integer_step(f, x, h=1e-5):
    g = np.zeros((1, len(x)))
    for i in range(len(x)):
        e = np.zeros(len(x), dtype=int)
        e[i] = h                                          # an int array stores 0
        g[0, i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


@wrong("01-gradient", "column_not_row")
def numerical_gradient_column(f, x, h=1e-5):
    g = np.zeros((len(x), 1))
    for i in range(len(x)):
        e = np.eye(len(x))[i] * h
        g[i, 0] = (f(x + e) - f(x - e)) / (2 * h)
    return g


@wrong("01-gradient", "ignores_h")
def numerical_gradient_own_h(f, x, h=1e-5):
    step = 1e-5
    return np.array([[(f(x + step * np.eye(len(x))[i]) - f(x - step * np.eye(len(x))[i])) / (2 * step)
                      for i in range(len(x))]])


@wrong("01-gradient", "all_entries_at_once")
def numerical_gradient_all_at_once(f, x, h=1e-5):
    slope = (f(x + h) - f(x - h)) / (2 * h)
    return slope * np.ones((1, len(x)))


@wrong("01-gradient", "sign_error")
def numerical_gradient_backwards(f, x, h=1e-5):
    g = np.zeros((1, len(x)))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        g[0, i] = (f(x - e) - f(x + e)) / (2 * h)
    return g


@wrong("01-gradient", "raises")
def numerical_gradient_bad_index(f, x, h=1e-5):
    g = np.zeros((1, len(x)))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)            # row i of a 1 × n array: IndexError from i = 1
    return g


@wrong("01-gradient", "wrong_values")
def numerical_gradient_forward_over_2h(f, x, h=1e-5):
    g = np.zeros((1, len(x)))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        g[0, i] = (f(x + e) - f(x)) / (2 * h)             # one-sided, yet divided by 2h
    return g


# ------------------------------------------------------------------------------------------ 02-chain-rule

def _factors(s, t):
    x1, x2 = s * t, s + t ** 2
    return x1, x2, np.array([[np.cos(x1) * x2 ** 2, 2 * np.sin(x1) * x2]]), np.array([[t, s], [1, 2 * t]])


@wrong("02-chain-rule", "transposed_inner_jacobian")
def df_dst_transposed(s, t):
    _, _, df_dx, dx_dst = _factors(s, t)
    return df_dx @ dx_dst.T


@wrong("02-chain-rule", "elementwise_not_matrix_product")
def df_dst_star(s, t):
    _, _, df_dx, dx_dst = _factors(s, t)
    return df_dx * dx_dst


@wrong("02-chain-rule", "outer_gradient_wrong")
def df_dst_power_rule(s, t):
    x1, x2 = s * t, s + t ** 2
    row = np.array([[math.cos(x1) * x2 ** 2, math.sin(x1) * x2]])        # d(x2²)/dx2 = x2 ?
    return row @ np.array([[t, s], [1, 2 * t]])


@wrong("02-chain-rule", "outer_gradient_wrong")
def df_dst_minus_cos(s, t):
    x1, x2 = s * t, s + t ** 2
    return np.array([[-math.cos(x1) * x2 ** 2, 2 * math.sin(x1) * x2]]) @ np.array([[t, s], [1, 2 * t]])


@wrong("02-chain-rule", "inner_jacobian_wrong")
def df_dst_inner_t(s, t):
    _, _, df_dx, _ = _factors(s, t)
    return df_dx @ np.array([[t, s], [1, t]])


@wrong("02-chain-rule", "inner_jacobian_wrong")
def df_dst_inner_row_swapped(s, t):
    _, _, df_dx, _ = _factors(s, t)
    return df_dx @ np.array([[s, t], [1, 2 * t]])


@wrong("02-chain-rule", "outer_at_wrong_point")
def df_dst_outer_at_st(s, t):
    df_dx = np.array([[np.cos(s) * t ** 2, 2 * np.sin(s) * t]])          # f's partials at (s, t)
    return df_dx @ np.array([[t, s], [1, 2 * t]])


@wrong("02-chain-rule", "missing_inner_jacobian")
def df_dst_outer_only(s, t):
    return _factors(s, t)[2]


@wrong("02-chain-rule", "flat_not_row")
def df_dst_flat(s, t):
    x1, x2 = s * t, s + t ** 2
    dfds = np.cos(x1) * x2 ** 2 * t + 2 * np.sin(x1) * x2
    dfdt = np.cos(x1) * x2 ** 2 * s + 2 * np.sin(x1) * x2 * 2 * t
    return np.array([dfds, dfdt])


@wrong("02-chain-rule", "page_example")
def df_dst_copied_from_the_page(s, t):
    x1, x2 = s * np.cos(t), s * np.sin(t)
    row = np.array([[x2 * np.exp(x1 * x2), x1 * np.exp(x1 * x2)]])
    return row @ np.array([[np.cos(t), -s * np.sin(t)], [np.sin(t), s * np.cos(t)]])


@wrong("02-chain-rule", "column_not_row")
def df_dst_jacobian_first(s, t):
    _, _, df_dx, dx_dst = _factors(s, t)
    return dx_dst @ df_dx.T                               # a column, and it pairs the wrong indices


@wrong("02-chain-rule", "numerical_not_analytic")
def df_dst_by_differences(s, t):
    def F(v):
        return np.sin(v[0] * v[1]) * (v[0] + v[1] ** 2) ** 2
    h, st = 1e-5, np.array([s, t], dtype=float)
    return np.array([[(F(st + h * e) - F(st - h * e)) / (2 * h) for e in np.eye(2)]])


@wrong("02-chain-rule", "delegates_to_reference")
def df_dst_by_coursekit_gradient(s, t):
    return coursekit.gradient(lambda v: np.sin(v[0] * v[1]) * (v[0] + v[1] ** 2) ** 2, np.array([s, t]))


@wrong("02-chain-rule", "wrong_values")
def df_dst_two_slips(s, t):
    x1, x2 = s * t, s + t ** 2
    return np.array([[np.cos(x1) * x2 ** 2, np.sin(x1) * x2]]) @ np.array([[t, s], [1, t]])   # both power rules


# --------------------------------------------------------------------------------- 02-cross-entropy-chain

def _sigma(z):
    return 1 / (1 + np.exp(-z))


@wrong("02-cross-entropy-chain", "not_overflow_safe")
def dE_dz_unsimplified(z, y):
    f = _sigma(z)
    dE_df = -y / f + (1 - y) / (1 - f)
    return (dE_df * f * (1 - f)).reshape(1, -1)


@wrong("02-cross-entropy-chain", "not_overflow_safe")
def dE_dz_math_exp(z, y):
    out = []
    for zk, yk in zip(z, y):
        out.append(1 / (1 + math.exp(-zk)) - yk)          # math.exp(800) raises OverflowError
    return np.array([out])


@wrong("02-cross-entropy-chain", "sign_error")
def dE_dz_target_minus_output(z, y):
    return (y - _sigma(z)).reshape(1, -1)


@wrong("02-cross-entropy-chain", "squared_error_derivative")
def dE_dz_delta_of_squared_error(z, y):
    f = _sigma(z)
    return ((f - y) * f * (1 - f)).reshape(1, -1)


@wrong("02-cross-entropy-chain", "missing_sigma_prime")
def dE_dz_only_cost_derivative(z, y):
    f = _sigma(z)
    return np.array([-y / f + (1 - y) / (1 - f)])


@wrong("02-cross-entropy-chain", "missing_cost_derivative")
def dE_dz_only_sigma_prime(z, y):
    f = _sigma(z)
    return (f * (1 - f))[np.newaxis, :]


@wrong("02-cross-entropy-chain", "z_instead_of_sigma")
def dE_dz_forgot_sigma(z, y):
    return (z - y).reshape(1, -1)


@wrong("02-cross-entropy-chain", "log_derivative_sign")
def dE_dz_lost_inner_minus(z, y):
    f = _sigma(z)
    return ((-y / f - (1 - y) / (1 - f)) * f * (1 - f)).reshape(1, -1)


@wrong("02-cross-entropy-chain", "mean_instead_of_sum")
def dE_dz_averaged(z, y):
    return ((_sigma(z) - y) / len(z)).reshape(1, -1)


@wrong("02-cross-entropy-chain", "flat_not_row")
def dE_dz_flat(z, y):
    return _sigma(z) - y


@wrong("02-cross-entropy-chain", "column_not_row")
def dE_dz_column(z, y):
    return (_sigma(z) - y).reshape(-1, 1)


@wrong("02-cross-entropy-chain", "numerical_not_analytic")
def dE_dz_by_differences(z, y):
    def E(v):
        f = _sigma(v)
        return -np.sum(y * np.log(f) + (1 - y) * np.log(1 - f))
    g = np.zeros((1, len(z)))
    for k in range(len(z)):
        e = np.zeros(len(z))
        e[k] = 1e-6
        g[0, k] = (E(z + e) - E(z - e)) / 2e-6
    return g


@wrong("02-cross-entropy-chain", "delegates_to_reference")
def dE_dz_with_coursekit_sigma_prime(z, y):
    f = coursekit.activations.sigmoid(z)
    return (((f - y) / (f * (1 - f))) * coursekit.activations.sigmoid_prime(z, f)).reshape(1, -1)


@wrong("02-cross-entropy-chain", "sigmoid_sign")
def dE_dz_sigmoid_sign(z, y):
    f = 1 / (1 + np.exp(z))                               # the minus sign of e^(−z) lost
    return (f - y).reshape(1, -1)


# ----------------------------------------------------------------------------------------------- the run

GENERIC = {"wrong_values"}
_RESULTS = {}


def verdict(exercise_id, answer):
    key = (exercise_id, answer.__name__)
    if key not in _RESULTS:
        _RESULTS[key] = check(exercise_id, answer)
    return _RESULTS[key]


@pytest.mark.parametrize("exercise_id, answer, diagnosis", WRONG, ids=[f"{e}-{a.__name__}" for e, a, _ in WRONG])
def test_each_wrong_answer_gets_the_diagnosis_a_teacher_would_give(exercise_id, answer, diagnosis):
    result = verdict(exercise_id, answer)
    assert not result.passed, f"{answer.__name__} passed: {result!r}"
    assert result.diagnosis != "checker_error", repr(result)
    assert result.diagnosis == diagnosis, repr(result)


def test_the_class_run_names_at_least_three_quarters_of_the_mistakes():
    results = [verdict(exercise_id, answer) for exercise_id, answer, _ in WRONG]
    named = [r for r in results if r.diagnosis not in GENERIC]
    assert len(WRONG) >= 30
    assert not any(r.passed for r in results) and not any(r.diagnosis == "checker_error" for r in results)
    assert len(named) >= 0.75 * len(results), f"{len(named)} of {len(results)} named"
