"""Independent oracles for the tests: the lecture's formulas written out again, one example and one entry at a
time, with plain numpy and math. Nothing here imports coursekit, and no expected value comes from its output."""
import math

import numpy as np


# ---- activations, one number or one column at a time ----------------------------------------------------

def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)) written with math, stable for either sign."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


ELEMENTWISE = {
    "sigmoid": sigmoid,
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "identity": lambda z: z,
}


def softmax_column(z):
    """p_k = e^{z_k} / Σ_j e^{z_j} for one column, with math (shifted by the largest z, which cancels)."""
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = math.fsum(e)
    return [v / s for v in e]


def activate(name, z):
    """σ applied to one column z (a list)."""
    if name == "softmax":
        return softmax_column(z)
    return [ELEMENTWISE[name](v) for v in z]


# ---- the network, one example at a time -------------------------------------------------------------

def forward_column(params, x, activations):
    """[f0, Z1, f1, …] for one example x (a list), Z_{i+1} = A_i f_i + b_i entry by entry (math.fsum)."""
    f, out = list(x), [list(x)]
    for i, name in enumerate(activations):
        A, b = params[f"A{i}"], params[f"b{i}"]
        Z = [math.fsum([A[j, k] * f[k] for k in range(len(f))] + [b[j, 0]]) for j in range(A.shape[0])]
        f = activate(name, Z)
        out += [Z, f]
    return out


def example_cost(cost, f, Z, y):
    """E^r for one example from its output f_K = f, pre-activation Z_K = Z and target y (lists)."""
    if cost == "squared":
        return 0.5 * math.fsum((a - t) ** 2 for a, t in zip(f, y))
    if cost in ("binary_cross_entropy", "cross_entropy"):
        # −[y log σ(z) + (1 − y) log(1 − σ(z))] = y log(1 + e^(−z)) + (1 − y) log(1 + e^z), each term stable
        def softplus(v):
            return max(v, 0.0) + math.log1p(math.exp(-abs(v)))
        return math.fsum(t * softplus(-z) + (1 - t) * softplus(z) for z, t in zip(Z, y))
    if cost == "categorical_cross_entropy":
        m = max(Z)
        log_sum = m + math.log(math.fsum(math.exp(v - m) for v in Z))
        return -math.fsum(t * (z - log_sum) for z, t in zip(Z, y) if t > 0)
    raise ValueError(cost)


def total_cost(params, X, Y, activations, cost):
    """E = Σ_r E^r, one column at a time."""
    total = []
    for r in range(X.shape[1]):
        layers = forward_column(params, X[:, r].tolist(), activations)
        total.append(example_cost(cost, layers[-1], layers[-2], Y[:, r].tolist()))
    return math.fsum(total)


def central_differences(E, params, h=1e-6):
    """∂E/∂θ entry by entry, (E(θ + h) − E(θ − h)) / 2h, for E a function of a params dict."""
    grads = {}
    for key, theta in params.items():
        grads[key] = np.zeros(theta.shape)
        for index in np.ndindex(theta.shape):
            moved = {k: np.array(v, dtype=float) for k, v in params.items()}
            moved[key][index] = theta[index] + h
            plus = E(moved)
            moved[key][index] = theta[index] - h
            minus = E(moved)
            grads[key][index] = (plus - minus) / (2 * h)
    return grads


def numerical_jacobian(f, z, h=1e-6):
    """J[i, j] = ∂f_i/∂z_j by central differences, f a function of a list returning a list."""
    z = list(map(float, z))
    columns = []
    for j in range(len(z)):
        up, down = list(z), list(z)
        up[j] += h
        down[j] -= h
        columns.append([(a - b) / (2 * h) for a, b in zip(f(up), f(down))])
    return np.array(columns).T


# ---- a two-layer network trained by hand -----------------------------------------------------------

def two_layer_gradients(params, X, Y, hidden, output, cost):
    """∂E/∂θ of a two-layer network, Backward Paths (1)–(4) with matrices, written without coursekit."""
    A0, b0, A1, b1 = (np.array(params[k], dtype=float) for k in ("A0", "b0", "A1", "b1"))
    Z1 = A0 @ X + b0
    f1 = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}[hidden](Z1)
    Z2 = A1 @ f1 + b1
    if output == "sigmoid":
        f2 = 1 / (1 + np.exp(-Z2))
        d2 = (f2 - Y) * f2 * (1 - f2) if cost == "squared" else f2 - Y
    else:
        e = np.exp(Z2 - Z2.max(axis=0))
        f2 = e / e.sum(axis=0)
        d2 = f2 - Y                                                   # softmax with categorical cross-entropy
    d1 = (A1.T @ d2) * (f1 * (1 - f1) if hidden == "sigmoid" else 1 - f1 ** 2)
    return {"A0": d1 @ X.T, "b0": d1.sum(axis=1, keepdims=True), "A1": d2 @ f1.T, "b1": d2.sum(axis=1, keepdims=True)}


def train_two_layer(params, X, Y, eta, steps, hidden="sigmoid", output="sigmoid", cost="squared",
                    batch_size=None, seed=0):
    """Gradient descent as coursekit documents it: full batch, or mini-batches cut from one permutation per
    epoch (np.random.default_rng(seed).permutation(R)), each step along (R / |batch|) × the batch's gradient."""
    theta = {k: np.array(v, dtype=float) for k, v in params.items()}
    R = X.shape[1]
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(steps):
        if batch_size is None:
            g = two_layer_gradients(theta, X, Y, hidden, output, cost)
        else:
            if not batches:
                order = rng.permutation(R)
                batches = [order[s:s + batch_size] for s in range(0, R, batch_size)]
            batch = batches.pop(0)
            g = two_layer_gradients(theta, X[:, batch], Y[:, batch], hidden, output, cost)
            g = {k: v * (R / len(batch)) for k, v in g.items()}
        for k in theta:
            theta[k] = theta[k] - eta * g[k]
    return theta
