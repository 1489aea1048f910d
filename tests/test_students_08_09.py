"""A class of wrong answers to the exercises of notebooks 08–09, written the way students write them (not from
the catalogue's mutants), each with the diagnosis a teacher would give: none passes, the checker never fails,
and at least three quarters are named (a diagnosis other than the generic "wrong_values")."""
from collections import Counter

import numpy as np
import pytest

import coursekit
from coursekit.exercises import check

STUDENTS = []          # (exercise id, the diagnosis a teacher would give, answer)


def student(exercise_id, expected):
    def add(answer):
        STUDENTS.append((exercise_id, expected, answer))
        return answer
    return add


def pencil(exercise_id, expected, value, name):
    STUDENTS.append((exercise_id, expected, _Value(value, name)))


class _Value(float):
    """A number handed in for a pencil exercise, with a name for the test ids."""

    def __new__(cls, value, name):
        self = super().__new__(cls, value)
        self.__name__ = name
        return self


def naive_sigma(Z):
    return np.exp(Z) / (1 + np.exp(Z))              # inf / inf = NaN for Z above about 709


# ------------------------------------------------------------------------------------------- 08-backward

@student("08-backward", "right_only_for_one_output")
def my_backward_broadcast(params, trace, Y):
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    d2 = (f2 - Y) * f2 * (1 - f2)
    d1 = params["A1"].T * d2 * f1 * (1 - f1)          # * where @ belongs: fine while n2 = 1
    return {"A0": d1 @ f0.T, "b0": d1.sum(axis=1, keepdims=True), "A1": d2 @ f1.T,
            "b1": d2.sum(axis=1, keepdims=True)}


@student("08-backward", "right_only_for_R1")
def my_backward_outer(params, trace, Y):
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    d2 = (f2 - Y) * f2 * (1 - f2)
    d1 = params["A1"].T @ d2 * f1 * (1 - f1)
    return {"A0": np.outer(d1, f0), "b0": d1.reshape(-1, 1)[:f1.shape[0]], "A1": np.outer(d2, f1),
            "b1": d2.reshape(-1, 1)[:f2.shape[0]]}


@student("08-backward", "not_overflow_safe")
def my_backward_recomputing_sigma(params, trace, Y):
    def sp(Z):
        s = naive_sigma(Z)
        return s * (1 - s)
    d2 = (trace["f2"] - Y) * sp(trace["Z2"])
    d1 = (params["A1"].T @ d2) * sp(trace["Z1"])
    return {"A0": d1 @ trace["f0"].T, "b0": d1.sum(1, keepdims=True), "A1": d2 @ trace["f1"].T,
            "b1": d2.sum(1, keepdims=True)}


@student("08-backward", "missing_sigma_prime")
def my_backward_loops(params, trace, Y):
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    for r in range(Y.shape[1]):
        e = trace["f2"][:, [r]] - Y[:, [r]]             # forgot the output slope
        f1 = trace["f1"][:, [r]]
        d1 = (params["A1"].T @ e) * f1 * (1 - f1)
        grads["A1"] += e @ f1.T
        grads["b1"] += e
        grads["A0"] += d1 @ trace["f0"][:, [r]].T
        grads["b0"] += d1
    return grads


@student("08-backward", "bias_not_summed")
def my_backward_bias_columns(params, trace, Y):
    f2, f1 = trace["f2"], trace["f1"]
    delta_out = (f2 - Y) * f2 * (1 - f2)
    delta_hid = np.dot(params["A1"].T, delta_out) * f1 * (1 - f1)
    return {"A0": np.dot(delta_hid, trace["f0"].T), "b0": delta_hid,
            "A1": np.dot(delta_out, f1.T), "b1": delta_out}


@student("08-backward", "mean_instead_of_sum")
def my_backward_averaged(params, trace, Y):
    R = Y.shape[1]
    f2, f1 = trace["f2"], trace["f1"]
    d2 = (f2 - Y) * f2 * (1 - f2)
    d1 = params["A1"].T @ d2 * f1 * (1 - f1)
    return {"A0": d1 @ trace["f0"].T / R, "b0": d1.mean(axis=1, keepdims=True),
            "A1": d2 @ f1.T / R, "b1": d2.mean(axis=1, keepdims=True)}


@student("08-backward", "sign_error")
def my_backward_target_minus_output(params, trace, Y):
    f2, f1 = trace["f2"], trace["f1"]
    d2 = (Y - f2) * f2 * (1 - f2)
    d1 = params["A1"].T @ d2 * f1 * (1 - f1)
    return {"A0": d1 @ trace["f0"].T, "b0": d1.sum(axis=1, keepdims=True), "A1": d2 @ f1.T,
            "b1": d2.sum(axis=1, keepdims=True)}


@student("08-backward", "transposed_weight_gradient")
def my_backward_f_times_delta(params, trace, Y):
    f2, f1, f0 = trace["f2"], trace["f1"], trace["f0"]
    d2 = (f2 - Y) * f2 * (1 - f2)
    d1 = params["A1"].T @ d2 * f1 * (1 - f1)
    return {"A0": f0 @ d1.T, "b0": d1.sum(axis=1, keepdims=True), "A1": f1 @ d2.T,
            "b1": d2.sum(axis=1, keepdims=True)}


@student("08-backward", "sigma_prime_wrong_formula")
def my_backward_Z_formula(params, trace, Y):
    Z1, Z2 = trace["Z1"], trace["Z2"]
    d2 = (trace["f2"] - Y) * Z2 * (1 - Z2)
    d1 = params["A1"].T @ d2 * Z1 * (1 - Z1)
    return {"A0": d1 @ trace["f0"].T, "b0": d1.sum(axis=1, keepdims=True), "A1": d2 @ trace["f1"].T,
            "b1": d2.sum(axis=1, keepdims=True)}


# -------------------------------------------------------------------------------------- 07-deep-backward

@student("07-deep-backward", "only_works_for_K2")
def backward_deep_two_layers(params, trace, Y):
    d2 = (trace["f2"] - Y) * trace["f2"] * (1 - trace["f2"])
    d1 = params["A1"].T @ d2 * trace["f1"] * (1 - trace["f1"])
    return {"A0": d1 @ trace["f0"].T, "b0": d1.sum(1, keepdims=True), "A1": d2 @ trace["f1"].T,
            "b1": d2.sum(1, keepdims=True)}


@student("07-deep-backward", "missing_sigma_prime")
def backward_deep_no_output_slope(params, trace, Y):
    K = len(params) // 2
    delta = trace[f"f{K}"] - Y
    grads = {}
    for i in range(K - 1, -1, -1):
        grads[f"A{i}"] = delta @ trace[f"f{i}"].T
        grads[f"b{i}"] = delta.sum(axis=1, keepdims=True)
        f = trace[f"f{i}"]
        delta = params[f"A{i}"].T @ delta * f * (1 - f)
    return grads


@student("07-deep-backward", "wrong_layer_input")
def backward_deep_output_as_input(params, trace, Y):
    K = len(params) // 2
    f = trace[f"f{K}"]
    delta = (f - Y) * f * (1 - f)
    grads = {}
    for i in reversed(range(K)):
        grads[f"A{i}"] = delta @ trace[f"f{i + 1}"].T
        grads[f"b{i}"] = np.sum(delta, axis=1, keepdims=True)
        if i > 0:
            delta = (params[f"A{i}"].T @ delta) * trace[f"f{i}"] * (1 - trace[f"f{i}"])
    return grads


@student("07-deep-backward", "bias_summed_wrong_axis")
def backward_deep_axis0(params, trace, Y):
    K = len(params) // 2
    f = trace[f"f{K}"]
    delta = (f - Y) * f * (1 - f)
    grads = {}
    for i in reversed(range(K)):
        grads[f"A{i}"] = delta @ trace[f"f{i}"].T
        grads[f"b{i}"] = delta.sum(axis=0, keepdims=True)
        delta = (params[f"A{i}"].T @ delta) * trace[f"f{i}"] * (1 - trace[f"f{i}"])
    return grads


@student("07-deep-backward", "modified_input")
def backward_deep_in_place(params, trace, Y):
    K = len(params) // 2
    delta = trace[f"f{K}"]                             # not a copy: the next lines change the trace
    delta -= Y
    delta *= trace[f"f{K}"] * (1 - trace[f"f{K}"])
    grads = {}
    for i in reversed(range(K)):
        grads[f"A{i}"] = delta @ trace[f"f{i}"].T
        grads[f"b{i}"] = delta.sum(axis=1, keepdims=True)
        delta = (params[f"A{i}"].T @ delta) * trace[f"f{i}"] * (1 - trace[f"f{i}"])
    return grads


@student("07-deep-backward", "right_only_for_one_output")
def backward_deep_summed_error(params, trace, Y):
    K = len(params) // 2
    f = trace[f"f{K}"]
    delta = np.sum(f - Y, axis=0) * f * (1 - f)        # the error summed over the outputs, as in the cost
    grads = {}
    for i in range(K - 1, -1, -1):
        grads[f"A{i}"] = delta @ trace[f"f{i}"].T
        grads[f"b{i}"] = delta.sum(axis=1, keepdims=True)
        if i > 0:
            delta = (params[f"A{i}"].T @ delta) * trace[f"f{i}"] * (1 - trace[f"f{i}"])
    return grads


@student("07-deep-backward", "sign_error")
def backward_deep_recursive(params, trace, Y):
    K = len(params) // 2
    grads = {}

    def go(i, delta):
        grads[f"A{i}"] = delta @ trace[f"f{i}"].T
        grads[f"b{i}"] = delta.sum(axis=1, keepdims=True)
        if i:
            go(i - 1, params[f"A{i}"].T @ delta * trace[f"f{i}"] * (1 - trace[f"f{i}"]))
    fK = trace[f"f{K}"]
    go(K - 1, (Y - fK) * fK * (1 - fK))
    return grads


# -------------------------------------------------------------------------------------- 08-linear-output

@student("08-linear-output", "output_sigma_prime_kept")
def backward_linear_output_copied(params, trace, Y):
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    delta2 = (f2 - Y) * f2 * (1 - f2)                  # copied from my_backward
    delta1 = (params["A1"].T @ delta2) * f1 * (1 - f1)
    return {"A0": delta1 @ f0.T, "b0": delta1.sum(axis=1, keepdims=True),
            "A1": delta2 @ f1.T, "b1": delta2.sum(axis=1, keepdims=True)}


@student("08-linear-output", "sigmoid_output")
def backward_linear_output_sigmoid_again(params, trace, Y):
    out = 1 / (1 + np.exp(-trace["Z2"]))
    delta2 = (out - Y) * out * (1 - out)
    f1 = trace["f1"]
    delta1 = (params["A1"].T @ delta2) * f1 * (1 - f1)
    return {"A0": delta1 @ trace["f0"].T, "b0": delta1.sum(axis=1, keepdims=True),
            "A1": delta2 @ f1.T, "b1": delta2.sum(axis=1, keepdims=True)}


@student("08-linear-output", "hidden_sigma_prime_dropped")
def backward_linear_everything(params, trace, Y):
    d2 = trace["Z2"] - Y
    d1 = params["A1"].T @ d2                           # "linear network": no slopes anywhere
    return {"A0": d1 @ trace["f0"].T, "b0": d1.sum(axis=1, keepdims=True),
            "A1": d2 @ trace["f1"].T, "b1": d2.sum(axis=1, keepdims=True)}


@student("08-linear-output", "sign_error")
def backward_linear_output_flipped(params, trace, Y):
    err = Y - trace["f2"]
    hidden = (params["A1"].T @ err) * trace["f1"] * (1 - trace["f1"])
    return {"A0": hidden @ trace["f0"].T, "b0": hidden.sum(axis=1, keepdims=True),
            "A1": err @ trace["f1"].T, "b1": err.sum(axis=1, keepdims=True)}


@student("08-linear-output", "mean_instead_of_sum")
def backward_linear_output_mean(params, trace, Y):
    R = Y.shape[1]
    d2 = (trace["f2"] - Y) / R
    d1 = (params["A1"].T @ d2) * trace["f1"] * (1 - trace["f1"])
    return {"A0": d1 @ trace["f0"].T, "b0": d1.sum(axis=1, keepdims=True),
            "A1": d2 @ trace["f1"].T, "b1": d2.sum(axis=1, keepdims=True)}


@student("08-linear-output", "wrong_constant_factor")
def backward_linear_output_two(params, trace, Y):
    d2 = 2 * (trace["f2"] - Y)                         # d/df of (f − y)²
    d1 = (params["A1"].T @ d2) * trace["f1"] * (1 - trace["f1"])
    return {"A0": d1 @ trace["f0"].T, "b0": d1.sum(axis=1, keepdims=True),
            "A1": d2 @ trace["f1"].T, "b1": d2.sum(axis=1, keepdims=True)}


@student("08-linear-output", "wrong_shape")
def backward_linear_output_scalar_bias(params, trace, Y):
    d2 = trace["f2"] - Y
    d1 = (params["A1"].T @ d2) * trace["f1"] * (1 - trace["f1"])
    return {"A0": d1 @ trace["f0"].T, "b0": np.sum(d1, axis=1, keepdims=True),
            "A1": d2 @ trace["f1"].T, "b1": float(np.sum(d2))}


@student("08-linear-output", "not_overflow_safe")
def backward_linear_output_own_sigma(params, trace, Y):
    s = naive_sigma(trace["Z1"])
    d2 = trace["f2"] - Y
    d1 = (params["A1"].T @ d2) * s * (1 - s)
    return {"A0": d1 @ trace["f0"].T, "b0": d1.sum(axis=1, keepdims=True),
            "A1": d2 @ trace["f1"].T, "b1": d2.sum(axis=1, keepdims=True)}


# ----------------------------------------------------------------------------------- 08-backward-by-hand
# the printed numbers: f2 = (0.5214, 0.6779), σ'(Z2) = (0.2495, 0.2183), f1 = (0.5987, 0.6225, 0.3894),
# σ'(Z1) = (0.2403, 0.235, 0.2378), A1 = [[0.7, −0.5, 0.2], [−0.3, 0.6, 0.9]], X = (1, 0.5); new Y = (0, 1)

d2 = (0.5214 * 0.2495, -0.3221 * 0.2183)
pencil("08-backward-by-hand", "missing_sigma_prime",
       (0.7 * 0.5214 - 0.3 * -0.3221) * 0.2403 * 0.5, "no_output_slope")
pencil("08-backward-by-hand", "missing_sigma_prime", (0.7 * d2[0] - 0.3 * d2[1]) * 0.5, "no_hidden_slope")
pencil("08-backward-by-hand", "f_instead_of_sigma_prime",
       (0.7 * 0.5214 * 0.5214 - 0.3 * -0.3221 * 0.6779) * 0.5987 * 0.5, "f_for_slopes")
pencil("08-backward-by-hand", "old_target",
       (0.7 * (0.5214 - 1) * 0.2495 - 0.3 * 0.6779 * 0.2183) * 0.2403 * 0.5, "old_target")
pencil("08-backward-by-hand", "transposed_index", (-0.5 * d2[0] + 0.6 * d2[1]) * 0.235 * 1.0, "A0_1_0")
pencil("08-backward-by-hand", "sign_error", -(0.7 * d2[0] - 0.3 * d2[1]) * 0.2403 * 0.5, "Y_minus_f")
pencil("08-backward-by-hand", "A_not_transposed", (0.7 * d2[0] - 0.5 * d2[1]) * 0.2403 * 0.5, "row_of_A1")
pencil("08-backward-by-hand", "one_output_only", 0.7 * d2[0] * 0.2403 * 0.5, "only_output_0")
pencil("08-backward-by-hand", "missing_input_factor", (0.7 * d2[0] - 0.3 * d2[1]) * 0.2403, "no_f0")
pencil("08-backward-by-hand", "rounded_too_early", 0.013, "two_digits")
pencil("08-backward-by-hand", "wrong_layer_input", (0.7 * d2[0] - 0.3 * d2[1]) * 0.2403 * 0.6225, "f1_not_f0")


# ----------------------------------------------------------------------------------------------- 09-train

def _copy(params):
    return {key: value.copy() for key, value in params.items()}


@student("09-train", "mean_instead_of_sum")
def train_mean_gradient(params, X, Y, eta, steps):
    theta, R = _copy(params), X.shape[1]
    history = [coursekit.total_cost(theta, X, Y)]
    for _ in range(steps):
        g = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        theta = {k: theta[k] - eta * g[k] / R for k in theta}
        history.append(coursekit.total_cost(theta, X, Y))
    return theta, np.array(history)


@student("09-train", "wrong_cost")
def train_cross_entropy(params, X, Y, eta, steps):
    theta = _copy(params)
    history = [coursekit.total_cost(theta, X, Y, cost="cross_entropy")]
    for _ in range(steps):
        g = coursekit.backward(theta, coursekit.forward(theta, X), Y, cost="cross_entropy")
        theta = {k: theta[k] - eta * g[k] for k in theta}
        history.append(coursekit.total_cost(theta, X, Y, cost="cross_entropy"))
    return theta, np.array(history)


@student("09-train", "biases_not_updated")
def train_weights_only(params, X, Y, eta, steps):
    theta = _copy(params)
    history = [coursekit.total_cost(theta, X, Y)]
    for _ in range(steps):
        g = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        for k in theta:
            if k[0] == "A":
                theta[k] = theta[k] - eta * g[k]
        history.append(coursekit.total_cost(theta, X, Y))
    return theta, np.array(history)


@student("09-train", "not_full_batch")
def train_one_example_per_step(params, X, Y, eta, steps):
    theta = _copy(params)
    history = [coursekit.total_cost(theta, X, Y)]
    for t in range(steps):
        r = t % X.shape[1]
        g = coursekit.backward(theta, coursekit.forward(theta, X[:, r:r + 1]), Y[:, r:r + 1])
        theta = {k: theta[k] - eta * g[k] for k in theta}
        history.append(coursekit.total_cost(theta, X, Y))
    return theta, np.array(history)


@student("09-train", "eta_ignored")
def train_fixed_eta(params, X, Y, eta, steps):
    theta = _copy(params)
    history = [coursekit.total_cost(theta, X, Y)]
    for _ in range(steps):
        g = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        theta = {k: theta[k] - 0.1 * g[k] for k in theta}      # the η of the lecture's example
        history.append(coursekit.total_cost(theta, X, Y))
    return theta, np.array(history)


@student("09-train", "steps_zero_runs_once")
def train_while_true(params, X, Y, eta, steps):
    theta = _copy(params)
    history = [coursekit.total_cost(theta, X, Y)]
    t = 0
    while True:
        g = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        theta = {k: theta[k] - eta * g[k] for k in theta}
        history.append(coursekit.total_cost(theta, X, Y))
        t += 1
        if t >= steps:
            break
    return theta, np.array(history)


@student("09-train", "params_modified")
def train_no_copy(params, X, Y, eta, steps):
    theta = params                                     # not a copy
    history = [coursekit.total_cost(theta, X, Y)]
    for _ in range(steps):
        g = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        for k in theta:
            theta[k] -= eta * g[k]
        history.append(coursekit.total_cost(theta, X, Y))
    return theta, np.array(history)


@student("09-train", "history_wrong_length")
def train_cost_after_each_step(params, X, Y, eta, steps):
    theta = _copy(params)
    history = []
    for _ in range(steps):
        g = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        theta = {k: theta[k] - eta * g[k] for k in theta}
        history.append(coursekit.total_cost(theta, X, Y))
    return theta, np.array(history)


@student("09-train", "returned_in_wrong_order")
def train_history_first(params, X, Y, eta, steps):
    theta = _copy(params)
    history = [coursekit.total_cost(theta, X, Y)]
    for _ in range(steps):
        g = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        theta = {k: theta[k] - eta * g[k] for k in theta}
        history.append(coursekit.total_cost(theta, X, Y))
    return np.array(history), theta


@student("09-train", "gradient_ascent")
def train_plus(params, X, Y, eta, steps):
    theta = _copy(params)
    history = [coursekit.total_cost(theta, X, Y)]
    for _ in range(steps):
        g = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        theta = {k: theta[k] + eta * g[k] for k in theta}
        history.append(coursekit.total_cost(theta, X, Y))
    return theta, np.array(history)


@student("09-train", "wrong_values")
def train_random_example(params, X, Y, eta, steps):
    rng = np.random.default_rng(0)
    theta = _copy(params)
    history = [coursekit.total_cost(theta, X, Y)]
    for _ in range(steps):
        r = int(rng.integers(X.shape[1]))
        g = coursekit.backward(theta, coursekit.forward(theta, X[:, [r]]), Y[:, [r]])
        theta = {k: theta[k] - eta * g[k] for k in theta}
        history.append(coursekit.total_cost(theta, X, Y))
    return theta, np.array(history)


# ---------------------------------------------------------------------------------------- 09-weight-decay

@student("09-weight-decay", "biases_decayed")
def decayed_gradient_everything(params, trace, Y, lam):
    g = coursekit.backward(params, trace, Y)
    return {k: g[k] + lam * params[k] for k in params}


@student("09-weight-decay", "wrong_constant_factor")
def decayed_gradient_two_lambda(params, trace, Y, lam):
    g = dict(coursekit.backward(params, trace, Y))
    for k in params:
        if k.startswith("A"):
            g[k] = g[k] + 2 * lam * params[k]
    return g


@student("09-weight-decay", "lambda_misplaced")
def decayed_gradient_lambda_outside(params, trace, Y, lam):
    g = coursekit.backward(params, trace, Y)
    return {k: lam * (g[k] + params[k]) if "A" in k else g[k] for k in params}


@student("09-weight-decay", "sign_error")
def decayed_gradient_minus(params, trace, Y, lam):
    g = coursekit.backward(params, trace, Y)
    return {k: g[k] - lam * params[k] if k[0] == "A" else g[k] for k in params}


@student("09-weight-decay", "not_every_layer")
def decayed_gradient_last_layer(params, trace, Y, lam):
    K = len(params) // 2
    g = dict(coursekit.backward(params, trace, Y))
    g[f"A{K - 1}"] = g[f"A{K - 1}"] + lam * params[f"A{K - 1}"]
    return g


@student("09-weight-decay", "only_works_for_K2")
def decayed_gradient_named_layers(params, trace, Y, lam):
    g = dict(coursekit.backward(params, trace, Y))
    g["A0"] = g["A0"] + lam * params["A0"]
    g["A1"] = g["A1"] + lam * params["A1"]
    return g


@student("09-weight-decay", "wrong_penalty_gradient")
def decayed_gradient_penalty_value(params, trace, Y, lam):
    g = coursekit.backward(params, trace, Y)
    penalty = lam / 2 * sum(np.sum(params[k] ** 2) for k in params if k.startswith("A"))
    return {k: g[k] + penalty if k.startswith("A") else g[k] for k in params}


@student("09-weight-decay", "wrong_penalty_gradient")
def decayed_gradient_squares(params, trace, Y, lam):
    g = coursekit.backward(params, trace, Y)
    return {k: (g[k] + lam * params[k] ** 2) if k.startswith("A") else g[k] for k in params}


@student("09-weight-decay", "data_term_missing")
def decayed_gradient_penalty_only(params, trace, Y, lam):
    return {k: lam * v if k.startswith("A") else np.zeros_like(v) for k, v in params.items()}


@student("09-weight-decay", "mean_instead_of_sum")
def decayed_gradient_mean_data(params, trace, Y, lam):
    R = Y.shape[1]
    g = coursekit.backward(params, trace, Y)
    return {k: g[k] / R + (lam * params[k] if k.startswith("A") else 0) for k in params}


@student("09-weight-decay", "not_overflow_safe")
def decayed_gradient_own_backprop(params, trace, Y, lam):
    K = len(params) // 2

    def slope(i):
        s = naive_sigma(trace[f"Z{i}"])
        return s * (1 - s)
    delta = (trace[f"f{K}"] - Y) * slope(K)
    out = {}
    for i in range(K - 1, -1, -1):
        out[f"A{i}"] = delta @ trace[f"f{i}"].T + lam * params[f"A{i}"]
        out[f"b{i}"] = delta.sum(axis=1, keepdims=True)
        if i:
            delta = params[f"A{i}"].T @ delta * slope(i)
    return out


# -------------------------------------------------------------------------------------------- the tests

GENERIC = {"wrong_values"}


def _name(entry):
    exercise_id, expected, answer = entry
    return f"{exercise_id}-{answer.__name__}"


def _verdict(exercise_id, answer):
    return check(exercise_id, answer)


@pytest.mark.parametrize("exercise_id, expected, answer", STUDENTS, ids=[_name(s) for s in STUDENTS])
def test_each_wrong_answer_gets_the_teachers_diagnosis(exercise_id, expected, answer):
    result = _verdict(exercise_id, float(answer) if isinstance(answer, _Value) else answer)
    assert not result.passed, repr(result)
    assert result.diagnosis != "checker_error", repr(result)
    assert result.diagnosis == expected, repr(result)


def test_the_class_is_large_varied_and_three_quarters_named():
    assert len(STUDENTS) >= 30
    assert len({exercise_id for exercise_id, _, _ in STUDENTS}) == 6
    counts = Counter()
    for exercise_id, _, answer in STUDENTS:
        result = _verdict(exercise_id, float(answer) if isinstance(answer, _Value) else answer)
        counts["accepted" if result.passed else "checker_error" if result.diagnosis == "checker_error"
               else "generic" if result.diagnosis in GENERIC else "named"] += 1
    assert counts["accepted"] == counts["checker_error"] == 0, counts
    assert counts["named"] >= 0.75 * len(STUDENTS), counts
