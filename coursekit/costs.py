"""Costs E^r of one example and their gradients ∂E/∂f_K; the total cost is E = Σ_r E^r.

Arrays hold R examples as columns: f_K and Y are (n_K, R); per-example costs are (R,).
"""
import numpy as np

from .notation import check_choice
from .reference import reference


@reference("cost")
def squared_error(fK, Y):
    """E^r = ½ ‖f_K − Y_r‖² for each example r; (n_K, R), (n_K, R) → (R,)."""
    e = fK - Y
    return 0.5 * np.einsum("kr,kr->r", e, e)


@reference("cost_gradient")
def squared_error_grad(fK, Y):
    """∂E/∂f_K = (f_K − Y), stored as a column per example; (n_K, R) → (n_K, R)."""
    return fK - Y


def softplus(Z):
    """log(1 + e^Z) without overflow; (n, R) → (n, R)."""
    return np.logaddexp(0.0, Z)


@reference("cost")
def cross_entropy(fK, Y, ZK=None):
    """E^r = −Σ_k [Y log f_K + (1 − Y) log(1 − f_K)]; (n_K, R) → (R,).

    With the pre-activation Z_K of a sigmoid output (f_K = σ(Z_K)) it uses the equal, overflow-safe form
    −log σ(Z) = softplus(−Z) and −log(1 − σ(Z)) = softplus(Z), so |Z_K| in the hundreds stays finite.
    """
    if ZK is not None:
        return np.sum(Y * softplus(-ZK) + (1.0 - Y) * softplus(ZK), axis=0)
    with np.errstate(divide="ignore"):  # log(0) = −inf is the true cost of a certain, wrong output
        return -np.sum(Y * np.log(fK) + (1.0 - Y) * np.log1p(-fK), axis=0)


@reference("cost_gradient")
def cross_entropy_grad(fK, Y):
    """∂E/∂f_K = −Y / f_K + (1 − Y) / (1 − f_K) = (f_K − Y) / (f_K (1 − f_K)); (n_K, R) → (n_K, R)."""
    return (fK - Y) / (fK * (1.0 - fK))


COSTS = {
    "squared": (squared_error, squared_error_grad),
    "cross_entropy": (cross_entropy, cross_entropy_grad),
}


def cost_name(cost):
    """Check a cost name; ValueError listing the valid names."""
    return check_choice("cost", cost, tuple(COSTS))


@reference("cost")
def per_example_cost(cost, fK, Y, ZK=None):
    """E^r for every example r under the named cost; (n_K, R) → (R,)."""
    if cost_name(cost) == "cross_entropy":
        return cross_entropy(fK, Y, ZK)
    return squared_error(fK, Y)
