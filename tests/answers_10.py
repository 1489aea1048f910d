"""Student-style answers for the exercises of notebooks 10 (see answers.py)."""
import math  # noqa: F401

import numpy as np  # noqa: F401

import coursekit  # noqa: F401
from answers import answer, central, sigma  # noqa: F401


def stable_softmax(z):
    """The student's own softmax of a vector: shift by the largest entry, which cancels in the ratio."""
    e = np.exp(z - np.max(z))
    return e / e.sum()


# ------------------------------------------------------------------------------------ 10-softmax-jacobian

@answer("correct", "10-softmax-jacobian")
def softmax_jacobian(z):
    p = stable_softmax(np.asarray(z, dtype=float))
    return np.diag(p) - np.outer(p, p)


@answer("correct", "10-softmax-jacobian")
def softmax_jacobian_entry_by_entry(z):
    z = np.asarray(z, dtype=float)
    p = stable_softmax(z)
    n = len(z)
    J = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            if i == j:
                J[i, j] = p[i] * (1 - p[i])
            else:
                J[i, j] = -p[i] * p[j]
    return J


@answer("correct", "10-softmax-jacobian")
def softmax_jacobian_with_a_column(z):
    z = np.asarray(z, dtype=float).reshape(-1, 1)
    log_p = z - (z.max() + np.log(np.sum(np.exp(z - z.max()))))     # log-softmax, then p = e^{log p}
    p = np.exp(log_p)
    return p * np.eye(len(p)) - p @ p.T


@answer("correct", "10-softmax-jacobian")
def softmax_jacobian_by_kronecker_delta(z):
    p = stable_softmax(np.asarray(z, dtype=float))
    delta = np.eye(len(p))
    return p[:, None] * (delta - p[None, :])          # J[i, j] = p_i (δ_ij − p_j)


@answer("numerical", "10-softmax-jacobian")
def softmax_jacobian_numerically(z):
    z = np.asarray(z, dtype=float)
    J = np.zeros((len(z), len(z)))
    for j in range(len(z)):
        step = np.zeros(len(z))
        step[j] = 1e-5
        J[:, j] = (stable_softmax(z + step) - stable_softmax(z - step)) / 2e-5
    return J


@answer("delegating", "10-softmax-jacobian")
def softmax_jacobian_by_coursekit(z):
    return coursekit.activations.softmax_jacobian(z)


@answer("delegating", "10-softmax-jacobian")
def softmax_jacobian_from_coursekit_softmax(z):
    p = getattr(coursekit.activations, "soft" + "max")(np.asarray(z, dtype=float))
    return np.diag(p) - np.outer(p, p)


@answer("delegating", "10-softmax-jacobian")
def softmax_jacobian_by_coursekit_jacobian(z):
    return coursekit.jacobian(stable_softmax, np.asarray(z, dtype=float))


# -------------------------------------------------------------------------------------- 10-softmax-delta

@answer("correct", "10-softmax-delta")
def softmax_delta(ZK, Y):
    e = np.exp(ZK - ZK.max(axis=0, keepdims=True))
    p = e / e.sum(axis=0, keepdims=True)
    return p - Y


@answer("correct", "10-softmax-delta")
def softmax_delta_column_by_column(ZK, Y):
    delta = np.zeros(ZK.shape)
    for r in range(ZK.shape[1]):
        delta[:, r] = stable_softmax(ZK[:, r]) - Y[:, r]
    return delta


@answer("correct", "10-softmax-delta")
def softmax_delta_without_assuming_sum_one(ZK, Y):
    # Σ_k (−Y_k / p_k) p_k (δ_kj − p_j) = −Y_j + p_j Σ_k Y_k, kept general
    Z = ZK - np.max(ZK, axis=0)
    p = np.exp(Z) / np.sum(np.exp(Z), axis=0)
    return p * Y.sum(axis=0) - Y


@answer("correct", "10-softmax-delta")
def softmax_delta_with_logsumexp(ZK, Y):
    m = np.max(ZK, axis=0)
    log_sum = m + np.log(np.sum(np.exp(ZK - m), axis=0))
    return np.exp(ZK - log_sum) - Y


@answer("numerical", "10-softmax-delta")
def softmax_delta_numerically(ZK, Y):
    def E(Z):
        m = Z.max(axis=0, keepdims=True)
        log_p = Z - (m + np.log(np.sum(np.exp(Z - m), axis=0, keepdims=True)))
        return -float(np.sum(np.where(Y > 0, Y * log_p, 0.0)))
    return central(E, ZK)


@answer("delegating", "10-softmax-delta")
def softmax_delta_by_coursekit_softmax(ZK, Y):
    return coursekit.activations.softmax(ZK) - Y


@answer("delegating", "10-softmax-delta")
def softmax_delta_by_coursekit_layer(ZK, Y):
    from coursekit import layers
    _, cache = layers.softmax_cross_entropy_forward(ZK, Y)
    return layers.softmax_cross_entropy_backward(cache)


@answer("delegating", "10-softmax-delta")
def softmax_delta_by_the_cost_gradient(ZK, Y):
    p = np.exp(ZK - ZK.max(axis=0)) / np.exp(ZK - ZK.max(axis=0)).sum(axis=0)
    dp = coursekit.costs.categorical_cross_entropy_grad(p, Y)
    return coursekit.activations.softmax_backward(p, dp)


# ------------------------------------------------------------------------------------ 10-affine-backward

@answer("correct", "10-affine-backward")
def affine_backward(dZ, cache):
    f, A, b = cache
    return A.T @ dZ, dZ @ f.T, np.sum(dZ, axis=1, keepdims=True)


@answer("correct", "10-affine-backward")
def affine_backward_example_by_example(dZ, cache):
    f, A, b = cache
    df, dA, db = np.zeros(f.shape), np.zeros(A.shape), np.zeros(b.shape)
    for r in range(dZ.shape[1]):
        dz, x = dZ[:, [r]], f[:, [r]]
        df[:, [r]] = A.T @ dz
        dA += dz @ x.T
        db += dz
    return (df, dA, db)


@answer("correct", "10-affine-backward")
def affine_backward_einsum(dZ, cache):
    f, A, b = cache
    return [np.einsum("ij,ir->jr", A, dZ), np.einsum("ir,jr->ij", dZ, f), dZ.sum(1).reshape(-1, 1)]


@answer("delegating", "10-affine-backward")
def affine_backward_by_coursekit(dZ, cache):
    from coursekit import layers
    return layers.affine_backward(dZ, cache)


@answer("delegating", "10-affine-backward")
def affine_backward_by_coursekit_backward(dZ, cache):
    f, A, b = cache
    # a one-layer identity network whose output error is dZ: Y = Z − dZ makes f_K − Y = dZ
    params = {"A0": A, "b0": b}
    trace = coursekit.forward(params, f, activation="identity")
    grads = coursekit.backward(params, trace, trace["f1"] - dZ, activation="identity")
    return A.T @ dZ, grads["A0"], grads["b0"]


@answer("numerical", "10-affine-backward")
def affine_backward_numerically(dZ, cache):
    f, A, b = cache

    def L(f_, A_, b_):                     # E seen from this layer: Σ dZ ⊙ Z, whose gradient is the answer
        return float(np.sum(dZ * (A_ @ f_ + b_)))
    return (central(lambda v: L(v, A, b), f), central(lambda v: L(f, v, b), A), central(lambda v: L(f, A, v), b))
