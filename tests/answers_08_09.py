"""Student-style answers for the exercises of notebooks 08–09 (see answers.py)."""
import importlib
import math  # noqa: F401

import numpy as np  # noqa: F401

import coursekit  # noqa: F401
from answers import answer, central, sigma  # noqa: F401

# ----------------------------------------------------------------------------- 07-deep-backward (in 08)


@answer("correct", "07-deep-backward")
def backward_deep_from_Z(params, trace, Y):
    def sigma_prime(Z):
        s = 0.5 * (1 + np.tanh(Z / 2))             # σ(Z) without overflow
        return s * (1 - s)
    K = len(params) // 2
    grads = {}
    delta = (trace[f"f{K}"] - Y) * sigma_prime(trace[f"Z{K}"])
    i = K - 1
    while i >= 0:
        grads["A" + str(i)] = np.einsum("ir,jr->ij", delta, trace["f" + str(i)])
        grads["b" + str(i)] = np.sum(delta, axis=1).reshape(-1, 1)
        if i:
            delta = params["A" + str(i)].T.dot(delta) * sigma_prime(trace["Z" + str(i)])
        i -= 1
    return grads


@answer("numerical", "07-deep-backward")
def backward_deep_numerically(params, trace, Y):
    K = len(params) // 2

    def E(p):
        f = trace["f0"]
        for i in range(K):
            f = sigma(p[f"A{i}"] @ f + p[f"b{i}"])
        return 0.5 * float(np.sum((f - Y) ** 2))
    return {key: central(lambda v, key=key: E({**params, key: v}), value) for key, value in params.items()}


@answer("delegating", "07-deep-backward")
def backward_deep_by_coursekit(params, trace, Y):
    return coursekit.backward(params, trace, Y)


@answer("delegating", "07-deep-backward")
def backward_deep_by_a_hidden_name(params, trace, Y):
    module = importlib.import_module("coursekit." + "net" + "work")
    K = len(params) // 2                                   # the internal one-layer rules, reached by name
    layers = getattr(module, "layers" + "_of")(params, trace, ["sigmoid"] * K)
    delta, grads = getattr(module, "output" + "_delta")(layers[-1], Y, "squared"), {}
    for i in reversed(range(K)):
        grads[f"A{i}"], grads[f"b{i}"], df = getattr(module, "layer" + "_backward")(layers[i], delta)
        if i > 0:
            delta = getattr(module, "sigma" + "_backward")(layers[i - 1], df)
    return grads


@answer("delegating", "07-deep-backward")
def backward_deep_by_gradcheck(params, trace, Y):
    return dict(coursekit.gradcheck(params, trace["f0"], Y).numerical)


# ------------------------------------------------------------------------------------ 08-backward, more

@answer("correct", "08-backward")
def my_backward_per_example_jacobians(params, trace, Y):
    A1 = params["A1"]
    grads = {key: np.zeros_like(value) for key, value in params.items()}
    for r in range(Y.shape[1]):
        f0, f1, f2 = trace["f0"][:, r], trace["f1"][:, r], trace["f2"][:, r]
        row2 = (f2 - Y[:, r]) @ np.diag(f2 * (1 - f2))               # ∂E^r/∂Z2, a row
        row1 = row2 @ A1 @ np.diag(f1 * (1 - f1))                    # ∂E^r/∂Z1, a row
        grads["b1"] += row2.reshape(-1, 1)
        grads["b0"] += row1.reshape(-1, 1)
        grads["A1"] += np.outer(row2, f1)
        grads["A0"] += np.outer(row1, f0)
    return grads


@answer("delegating", "08-backward")
def my_backward_through_importlib(params, trace, Y):
    network = importlib.import_module("coursekit.network")
    return {key: value.copy() for key, value in vars(network)["backward"](params, trace, Y).items()}


# ------------------------------------------------------------------------------------- 08-linear-output

@answer("correct", "08-linear-output")
def backward_linear_output(params, trace, Y):
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    delta2 = f2 - Y                                   # ∂f2/∂Z2 = I: no σ' at the output
    delta1 = (params["A1"].T @ delta2) * f1 * (1 - f1)
    return {"A0": delta1 @ f0.T, "b0": delta1.sum(axis=1, keepdims=True),
            "A1": delta2 @ f1.T, "b1": delta2.sum(axis=1, keepdims=True)}


@answer("correct", "08-linear-output")
def backward_linear_output_loops(params, trace, Y):
    n1, n0 = params["A0"].shape
    n2 = params["A1"].shape[0]
    R = Y.shape[1]
    g = {"A0": np.zeros((n1, n0)), "b0": np.zeros((n1, 1)), "A1": np.zeros((n2, n1)), "b1": np.zeros((n2, 1))}
    for r in range(R):
        for k in range(n2):
            d2 = trace["Z2"][k, r] - Y[k, r]              # f2 = Z2
            g["b1"][k, 0] += d2
            for j in range(n1):
                g["A1"][k, j] += d2 * trace["f1"][j, r]
        for j in range(n1):
            back = sum(params["A1"][k, j] * (trace["Z2"][k, r] - Y[k, r]) for k in range(n2))
            d1 = back * trace["f1"][j, r] * (1 - trace["f1"][j, r])
            g["b0"][j, 0] += d1
            for i in range(n0):
                g["A0"][j, i] += d1 * trace["f0"][i, r]
    return g


@answer("correct", "08-linear-output")
def backward_linear_output_jacobian_rows(params, trace, Y):
    grads = {key: np.zeros_like(value) for key, value in params.items()}
    for r in range(Y.shape[1]):
        row2 = (trace["f2"][:, r] - Y[:, r]) @ np.eye(Y.shape[0])            # (f2 − Y)ᵀ · I
        f1 = trace["f1"][:, r]
        row1 = row2 @ params["A1"] @ np.diag(f1 * (1 - f1))
        grads["A1"] += np.outer(row2, f1)
        grads["b1"] += row2[:, None]
        grads["A0"] += np.outer(row1, trace["f0"][:, r])
        grads["b0"] += row1[:, None]
    return grads


@answer("numerical", "08-linear-output")
def backward_linear_output_numerically(params, trace, Y):
    X = trace["f0"]

    def E(p):
        f1 = sigma(p["A0"] @ X + p["b0"])
        f2 = p["A1"] @ f1 + p["b1"]
        return 0.5 * float(np.sum((f2 - Y) ** 2))
    return {key: central(lambda v, key=key: E({**params, key: v}), value) for key, value in params.items()}


@answer("delegating", "08-linear-output")
def backward_linear_output_by_coursekit(params, trace, Y):
    return coursekit.backward(params, trace, Y, activation=["sigmoid", "identity"])


@answer("delegating", "08-linear-output")
def backward_linear_output_by_an_alias(params, trace, Y):
    helper = getattr(coursekit, "back" + "ward" + "_jacobians")
    return dict(helper(params, trace, Y, activation=["sigmoid", "identity"]))


# --------------------------------------------------------------------------------------- 09-train, more

@answer("correct", "09-train")
def train_while_loop(params, X, Y, eta, steps):
    theta = {}
    for key in params:
        theta[key] = np.copy(params[key])
    history = [coursekit.total_cost(theta, X, Y)]
    t = 0
    while t < steps:
        grads = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        for key in theta:
            theta[key] -= eta * grads[key]                 # on the copy
        history.append(coursekit.total_cost(theta, X, Y))
        t += 1
    return theta, history                                  # a list is accepted for the history


@answer("correct", "09-train")
def train_own_cost(params, X, Y, eta, steps):
    import copy
    theta = copy.deepcopy(params)

    def E(theta):
        trace = coursekit.forward(theta, X)
        K = len(theta) // 2
        return 0.5 * np.sum((trace[f"f{K}"] - Y) ** 2)
    history = np.zeros(steps + 1)
    history[0] = E(theta)
    for t in range(1, steps + 1):
        trace = coursekit.forward(theta, X)
        grads = coursekit.backward(theta, trace, Y)
        theta = {key: value - eta * grads[key] for key, value in theta.items()}
        history[t] = E(theta)
    return theta, history


@answer("delegating", "09-train")
def train_by_an_alias(params, X, Y, eta, steps):
    descend = getattr(coursekit, "gradient" + "_descent")
    new, history = descend(params, X, Y, eta=eta, steps=steps)
    return dict(new), np.asarray(history)


# ------------------------------------------------------------------------------------- 09-weight-decay

@answer("correct", "09-weight-decay")
def decayed_gradient(params, trace, Y, lam):
    grads = coursekit.backward(params, trace, Y)            # the data term, allowed
    return {key: grads[key] + lam * params[key] if key.startswith("A") else grads[key] for key in params}


@answer("correct", "09-weight-decay")
def decayed_gradient_own_backprop(params, trace, Y, lam):
    K = len(params) // 2
    fK = trace[f"f{K}"]
    delta = (fK - Y) * fK * (1 - fK)
    out = {}
    for i in range(K - 1, -1, -1):
        out[f"A{i}"] = delta @ trace[f"f{i}"].T + lam * params[f"A{i}"]     # ∂E/∂A_i + λ A_i
        out[f"b{i}"] = delta.sum(axis=1, keepdims=True)                     # biases: not decayed
        if i > 0:
            delta = (params[f"A{i}"].T @ delta) * trace[f"f{i}"] * (1 - trace[f"f{i}"])
    return out


@answer("correct", "09-weight-decay")
def decayed_gradient_in_a_loop(params, trace, Y, lam):
    grads = dict(coursekit.backward(params, trace, Y))
    n_layers = len(params) // 2
    for i in range(n_layers):
        A = params["A%d" % i]
        grads["A%d" % i] = grads["A%d" % i] + (lam / 2) * 2 * A          # d/dA of λ/2 ‖A‖²
    return grads


@answer("numerical", "09-weight-decay")
def decayed_gradient_numerically(params, trace, Y, lam):
    X = trace["f0"]
    K = len(params) // 2

    def E_lam(p):
        f = X
        for i in range(K):
            f = sigma(p[f"A{i}"] @ f + p[f"b{i}"])
        return 0.5 * float(np.sum((f - Y) ** 2)) + lam / 2 * sum(float(np.sum(p[f"A{i}"] ** 2)) for i in range(K))
    return {key: central(lambda v, key=key: E_lam({**params, key: v}), value) for key, value in params.items()}


@answer("delegating", "09-weight-decay")
def decayed_gradient_by_numerical_grads(params, trace, Y, lam):
    numerical = coursekit.gradcheck(params, trace["f0"], Y).numerical
    return {key: numerical[key] + (lam * params[key] if key.startswith("A") else 0) for key in params}
