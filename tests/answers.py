"""Answers written as students write them, for the exercise tests: independent of coursekit's references.

CORRECT[id]     right answers, each worked out differently (loops, other formulas, other layouts)
NUMERICAL[id]   answers that use central differences where the exercise asks for the analytic result
DELEGATING[id]  answers that get their result from coursekit itself, directly or through an alias
Each exercise module's helper may add its own; the catalogue tests run all of them.
"""
import math

import numpy as np

import coursekit

CORRECT, NUMERICAL, DELEGATING = {}, {}, {}


def answer(kind, exercise_id):
    """Register the function as an answer of this kind to this exercise."""
    def add(function):
        {"correct": CORRECT, "numerical": NUMERICAL, "delegating": DELEGATING}[kind].setdefault(
            exercise_id, []).append(function)
        return function
    return add


def central(f, x, h=1e-5):
    """∂f/∂x of a scalar f by central differences, in x's shape (the student's own helper)."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        g[index] = (f(x + step) - f(x - step)) / (2 * h)
    return g


def sigma(z):
    return 1 / (1 + np.exp(-z))


# ----------------------------------------------------------------------------------------------------- 00

@answer("correct", "00-total-cost")
def total_cost_squared(F, Y):
    return float(0.5 * np.sum((F - Y) ** 2))


@answer("correct", "00-total-cost")
def total_cost_loop(F, Y):
    E = 0.0
    for r in range(F.shape[1]):
        e = F[:, r] - Y[:, r]
        E += 0.5 * e @ e
    return E


@answer("delegating", "00-total-cost")
def total_cost_by_coursekit(F, Y):
    return float(np.sum(coursekit.costs.squared_error(F, Y)))


@answer("correct", "00-gradient-descent")
def gradient_descent_1d(dE, theta0, eta, steps):
    path = [float(theta0)]
    for _ in range(steps):
        path.append(path[-1] - eta * dE(path[-1]))
    return np.array(path)


@answer("correct", "00-gradient-descent")
def gradient_descent_while(dE, theta0, eta, steps):
    theta, path, t = theta0, np.zeros(steps + 1), 0
    path[0] = theta
    while t < steps:
        theta = theta - eta * dE(theta)
        t += 1
        path[t] = theta
    return path


# ----------------------------------------------------------------------------------------------------- 01

@answer("correct", "01-gradient")
def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros((1, x.size))
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = h
        grad[0, i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


@answer("correct", "01-gradient")
def numerical_gradient_in_place_restored(f, x, h=1e-5):
    grad = np.zeros((1, len(x)))
    for i in range(len(x)):
        x[i] += h                   # perturb and put back: round-off may remain in x
        plus = f(x)
        x[i] -= 2 * h
        minus = f(x)
        x[i] += h
        grad[0, i] = (plus - minus) / (2 * h)
    return grad


@answer("delegating", "01-gradient")
def numerical_gradient_by_coursekit(f, x, h=1e-5):
    return coursekit.gradient(f, x, h)


# ----------------------------------------------------------------------------------------------------- 02

@answer("correct", "02-chain-rule")
def df_dst(s, t):
    x1, x2 = s * t, s + t ** 2
    df_dx = np.array([[np.cos(x1) * x2 ** 2, 2 * np.sin(x1) * x2]])
    dx_dst = np.array([[t, s], [1.0, 2 * t]])
    return df_dx @ dx_dst


@answer("correct", "02-chain-rule")
def df_dst_by_hand(s, t):
    x1, x2 = s * t, s + t ** 2
    dfds = math.cos(x1) * x2 ** 2 * t + 2 * math.sin(x1) * x2
    dfdt = math.cos(x1) * x2 ** 2 * s + 2 * math.sin(x1) * x2 * 2 * t
    return np.array([[dfds, dfdt]])


@answer("numerical", "02-chain-rule")
def df_dst_numerically(s, t):
    def f(v):
        return math.sin(v[0] * v[1]) * (v[0] + v[1] ** 2) ** 2
    return central(f, np.array([s, t])).reshape(1, 2)


@answer("delegating", "02-chain-rule")
def df_dst_by_coursekit(s, t):
    return coursekit.gradient(lambda v: math.sin(v[0] * v[1]) * (v[0] + v[1] ** 2) ** 2, np.array([s, t]))


# 03 and 04: see answers_03_05.py


# ----------------------------------------------------------------------------------------------------- 05

@answer("correct", "05-matrix-gradient")
def dL_dA(A, x, y):
    return (A @ x - y) @ x.T


@answer("correct", "05-matrix-gradient")
def dL_dA_entries(A, x, y):
    G = np.zeros_like(A)
    r = A @ x - y
    for i in range(A.shape[0]):
        for q in range(A.shape[1]):
            G[i, q] = r[i, 0] * x[q, 0]
    return G


@answer("numerical", "05-matrix-gradient")
def dL_dA_numerically(A, x, y):
    return central(lambda M: 0.5 * float(np.sum((M @ x - y) ** 2)), A)


# ----------------------------------------------------------------------------------------------------- 06

@answer("correct", "06-adjoints")
def adjoints_5_109(x):
    a = x * x
    b = math.exp(a)
    c = a + b
    f_bar = 1.0
    d_bar = e_bar = f_bar
    c_bar = d_bar / (2 * math.sqrt(c)) - e_bar * math.sin(c)
    b_bar = c_bar
    a_bar = b_bar * b + c_bar
    x_bar = a_bar * 2 * x
    return {"f": f_bar, "e": e_bar, "d": d_bar, "c": c_bar, "b": b_bar, "a": a_bar, "x": float(x_bar)}


@answer("numerical", "06-adjoints")
def adjoints_numerically(x):
    def from_c(c):
        return math.sqrt(c) + math.cos(c)
    a = x * x
    b = math.exp(a)
    c = a + b
    h = 1e-5
    c_bar = (from_c(c + h) - from_c(c - h)) / (2 * h)
    a_bar = (from_c(a + h + math.exp(a + h)) - from_c(a - h + math.exp(a - h))) / (2 * h)
    x_bar = (from_c((x + h) ** 2 + math.exp((x + h) ** 2)) - from_c((x - h) ** 2 + math.exp((x - h) ** 2))) / (2 * h)
    return {"f": 1.0, "e": 1.0, "d": 1.0, "c": c_bar, "b": c_bar, "a": a_bar, "x": x_bar}


@answer("delegating", "06-adjoints")
def adjoints_by_autodiff(x):
    nodes = coursekit.autodiff.graph_5_109(x)
    nodes["f"].backward()
    return {key: float(node.grad) for key, node in nodes.items()}


# ------------------------------------------------------------------------------------------------- 07, 08

@answer("correct", "07-deep-backward")
def backward_deep(params, trace, Y):
    K = len(params) // 2
    fK = trace[f"f{K}"]
    delta = (fK - Y) * fK * (1 - fK)
    grads = {}
    for i in reversed(range(K)):
        grads[f"A{i}"] = delta @ trace[f"f{i}"].T
        grads[f"b{i}"] = delta.sum(axis=1, keepdims=True)
        if i > 0:
            f_i = trace[f"f{i}"]
            delta = (params[f"A{i}"].T @ delta) * f_i * (1 - f_i)
    return {key: grads[key] for key in params}


@answer("correct", "07-deep-backward")
def backward_deep_per_example(params, trace, Y):
    K = len(params) // 2
    grads = {key: np.zeros_like(value) for key, value in params.items()}
    for r in range(Y.shape[1]):
        f = [trace[f"f{k}"][:, [r]] for k in range(K + 1)]
        delta = (f[K] - Y[:, [r]]) * f[K] * (1 - f[K])
        for i in range(K - 1, -1, -1):
            grads[f"A{i}"] += delta @ f[i].T
            grads[f"b{i}"] += delta
            delta = (params[f"A{i}"].T @ delta) * f[i] * (1 - f[i])
    return grads


@answer("correct", "08-backward")
def my_backward(params, trace, Y):
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    delta2 = (f2 - Y) * f2 * (1 - f2)
    delta1 = (params["A1"].T @ delta2) * f1 * (1 - f1)
    return {"A0": delta1 @ f0.T, "b0": delta1.sum(axis=1, keepdims=True),
            "A1": delta2 @ f1.T, "b1": delta2.sum(axis=1, keepdims=True)}


@answer("correct", "08-backward")
def my_backward_from_Z(params, trace, Y):
    def sigma_prime(Z):
        s = np.exp(-np.logaddexp(0, -Z))          # σ(Z) without overflow
        return s * (1 - s)
    delta2 = (trace["f2"] - Y) * sigma_prime(trace["Z2"])
    delta1 = params["A1"].T @ delta2 * sigma_prime(trace["Z1"])
    return {"A0": np.einsum("ir,jr->ij", delta1, trace["f0"]), "b0": np.sum(delta1, 1).reshape(-1, 1),
            "A1": np.einsum("ir,jr->ij", delta2, trace["f1"]), "b1": np.sum(delta2, 1).reshape(-1, 1)}


@answer("numerical", "08-backward")
def my_backward_numerically(params, trace, Y):
    X = trace["f0"]

    def E(p):
        f1 = sigma(p["A0"] @ X + p["b0"])
        f2 = sigma(p["A1"] @ f1 + p["b1"])
        return 0.5 * float(np.sum((f2 - Y) ** 2))
    return {key: central(lambda v, key=key: E({**params, key: v}), value) for key, value in params.items()}


@answer("delegating", "08-backward")
def my_backward_by_coursekit(params, trace, Y):
    return coursekit.backward(params, trace, Y)


@answer("delegating", "08-backward")
def my_backward_by_an_alias(params, trace, Y):
    helper = getattr(coursekit, "back" + "ward")
    return dict(helper(params, trace, Y))


@answer("delegating", "08-backward")
def my_backward_by_jacobians(params, trace, Y):
    return coursekit.network.backward_jacobians(params, trace, Y)


# ----------------------------------------------------------------------------------------------------- 09

@answer("correct", "09-train")
def train(params, X, Y, eta, steps):
    theta = {key: value.copy() for key, value in params.items()}
    history = []
    for t in range(steps):
        history.append(coursekit.total_cost(theta, X, Y))
        grads = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        theta = {key: theta[key] - eta * grads[key] for key in theta}
    history.append(coursekit.total_cost(theta, X, Y))
    return theta, np.array(history)


@answer("delegating", "09-train")
def train_by_coursekit(params, X, Y, eta, steps):
    return coursekit.gradient_descent(params, X, Y, eta, steps)


# Answers added with each group of notebooks (each file registers with @answer as above).
from answers_00_02 import *  # noqa: E402,F401,F403
from answers_03_05 import *  # noqa: E402,F401,F403
from answers_06_07 import *  # noqa: E402,F401,F403
from answers_08_09 import *  # noqa: E402,F401,F403
from answers_10 import *  # noqa: E402,F401,F403
