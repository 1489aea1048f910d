"""Costs E^r of one example and their gradients ∂E/∂f_K; the total cost is E = Σ_r E^r.

Arrays hold R examples as columns: f_K and Y are (n_K, R); per-example costs are (R,).
The names: "squared" (½‖f_K − Y‖², any output), "binary_cross_entropy" (sigmoid outputs, targets in [0, 1];
"cross_entropy" is the same cost under its older name) and "categorical_cross_entropy" (a softmax output
layer, each column of Y a probability vector, usually one-hot).
"""
import numpy as np

from .notation import as_float, shape_str
from .reference import reference


def pair(fK, Y):
    """f_K and Y as float64 arrays of one shape (n_K, R); ValueError naming both shapes (nothing broadcasts)."""
    fK, Y = as_float("f_K", fK), as_float("Y", Y)
    if fK.shape != Y.shape or fK.ndim != 2:
        raise ValueError(f"f_K and Y must both be (n_K, R), one column per example, of the same shape; got f_K "
                         f"{shape_str(fK.shape)} and Y {shape_str(Y.shape)}"
                         + (" (1-D arrays would broadcast: use columns, e.g. y.reshape(-1, 1))"
                            if min(fK.ndim, Y.ndim) < 2 else ""))
    return fK, Y


@reference("cost")
def squared_error(fK, Y):
    """E^r = ½ ‖f_K − Y_r‖² for each example r; (n_K, R), (n_K, R) → (R,)."""
    fK, Y = pair(fK, Y)
    e = fK - Y
    return 0.5 * np.einsum("kr,kr->r", e, e)


@reference("cost_gradient")
def squared_error_grad(fK, Y):
    """∂E/∂f_K = (f_K − Y), stored as a column per example; (n_K, R) → (n_K, R)."""
    fK, Y = pair(fK, Y)
    return fK - Y


def softplus(Z):
    """log(1 + e^Z) without overflow; (n, R) → (n, R)."""
    return np.logaddexp(0.0, Z)


@reference("cost")
def binary_cross_entropy(fK, Y, ZK=None):
    """E^r = −Σ_k [Y log f_K + (1 − Y) log(1 − f_K)]; (n_K, R) → (R,).

    With the pre-activation Z_K of a sigmoid output (f_K = σ(Z_K)) it uses the equal, overflow-safe form
    −log σ(Z) = softplus(−Z) and −log(1 − σ(Z)) = softplus(Z), so |Z_K| in the hundreds stays finite.
    """
    fK, Y = pair(fK, Y)
    if ZK is not None:
        return np.sum(Y * softplus(-ZK) + (1.0 - Y) * softplus(ZK), axis=0)
    with np.errstate(divide="ignore"):  # log(0) = −inf is the true cost of a certain, wrong output
        return -np.sum(Y * np.log(fK) + (1.0 - Y) * np.log1p(-fK), axis=0)


@reference("cost_gradient")
def binary_cross_entropy_grad(fK, Y):
    """∂E/∂f_K = −Y / f_K + (1 − Y) / (1 − f_K) = (f_K − Y) / (f_K (1 − f_K)); (n_K, R) → (n_K, R)."""
    fK, Y = pair(fK, Y)
    return (fK - Y) / (fK * (1.0 - fK))


cross_entropy = binary_cross_entropy               # the older name of the same cost
cross_entropy_grad = binary_cross_entropy_grad


@reference("softmax", "cost")
def categorical_cross_entropy(fK, Y, ZK=None):
    """E^r = −Σ_k Y_k log p_k for softmax outputs p = f_K; (n_K, R) → (R,).

    With the pre-activation Z_K (p = softmax(Z_K)) it uses log p_k = Z_k − log Σ_j e^{Z_j}, the log-sum-exp
    taken as m + log Σ_j e^{Z_j − m} with m = max_j Z_j, so any finite Z_K gives a finite cost.
    """
    fK, Y = pair(fK, Y)
    if ZK is not None:
        m = np.max(ZK, axis=0, keepdims=True)
        log_p = ZK - (m + np.log(np.sum(np.exp(ZK - m), axis=0, keepdims=True)))
    else:
        with np.errstate(divide="ignore"):  # log(0) = −inf: the true cost of a certain, wrong output
            log_p = np.log(fK)
    return -np.sum(np.where(Y > 0, Y * log_p, 0.0), axis=0)   # a class with Y_k = 0 adds 0 (0 log 0 = 0)


@reference("softmax", "cost_gradient")
def categorical_cross_entropy_grad(fK, Y):
    """∂E/∂f_K = −Y / p for softmax outputs p = f_K; (n_K, R) → (n_K, R)."""
    fK, Y = pair(fK, Y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(Y > 0, -Y / fK, 0.0)


COSTS = {
    "squared": (squared_error, squared_error_grad),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_grad),
    "categorical_cross_entropy": (categorical_cross_entropy, categorical_cross_entropy_grad),
}
ALIASES = {"cross_entropy": "binary_cross_entropy"}
OUTPUT_ACTIVATION = {"binary_cross_entropy": "sigmoid", "categorical_cross_entropy": "softmax"}  # what each needs


def cost_name(cost):
    """The cost's name ("cross_entropy" read as "binary_cross_entropy"); ValueError listing the valid names."""
    if isinstance(cost, str) and cost in ALIASES:
        return ALIASES[cost]
    if not isinstance(cost, str) or cost not in COSTS:
        valid = ", ".join(repr(name) + "".join(f" (or its older name {alias!r})" for alias, to in ALIASES.items()
                                               if to == name) for name in COSTS)
        raise ValueError(f"unknown cost {cost!r}; valid names: {valid}")
    return cost


@reference("cost")
def per_example_cost(cost, fK, Y, ZK=None):
    """E^r for every example r under the named cost; (n_K, R) → (R,). Z_K (when given) keeps it overflow-safe."""
    name = cost_name(cost)
    if name == "squared":
        return squared_error(fK, Y)
    return COSTS[name][0](fK, Y, ZK)

