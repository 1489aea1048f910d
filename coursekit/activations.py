"""Activation functions σ, each beside its derivative σ'; and the softmax output layer with its Jacobian.

Every σ but softmax acts element-wise on Z (n, R); softmax acts on each column (one example) as a whole.
Each derivative takes both Z and f = σ(Z), because the backward pass has both in the trace and the cheapest
exact form of σ' uses f: σ'(Z) = f ⊙ (1 − f). Each takes an optional `out=` array (of Z's shape) to write
into, which the training loop reuses step after step.
"""
import numpy as np

from .notation import check_choice
from .reference import reference


def sigmoid(Z, out=None):
    """Logistic σ(Z) = 1 / (1 + e^(−Z)); Z (n, R) → (n, R), finite and warning-free for any finite Z."""
    # the exponent is capped at 700 (e^700 ≈ 1e304 < the largest float64, 1.8e308): below Z = −700 σ returns
    # 1e-304 instead of the true, even tinier e^Z; everywhere else it is the formula itself
    e = np.negative(Z, out)
    if not isinstance(e, np.ndarray):                      # a plain number: nothing to write in place
        return 1.0 / (1.0 + np.exp(min(e, 700.0)))
    np.minimum(e, 700.0, out=e)
    np.exp(e, e)
    e += 1.0
    return np.reciprocal(e, e)


@reference("derivative")
def sigmoid_prime(Z, f, out=None):
    """σ'(Z) = σ(Z) ⊙ (1 − σ(Z)), from f = σ(Z); (n, R) → (n, R)."""
    d = np.subtract(1.0, f, out)
    d *= f
    return d


def tanh(Z, out=None):
    """Hyperbolic tangent; Z (n, R) → (n, R)."""
    return np.tanh(Z, out=out)


@reference("derivative")
def tanh_prime(Z, f, out=None):
    """tanh'(Z) = 1 − tanh(Z)², from f = tanh(Z); (n, R) → (n, R)."""
    d = np.multiply(f, f, out)
    return np.subtract(1.0, d, d if isinstance(d, np.ndarray) else None)


def relu(Z, out=None):
    """Rectified linear unit max(0, Z); Z (n, R) → (n, R)."""
    return np.maximum(Z, 0.0, out=out)


@reference("derivative")
def relu_prime(Z, f, out=None):
    """ReLU'(Z) = 1 where Z > 0, else 0 (the kink at 0 takes 0); read from f = max(0, Z) > 0; (n, R) → (n, R)."""
    if out is None:
        return (f > 0).astype(np.float64)
    return np.greater(f, 0.0, out=out, casting="unsafe")


def identity(Z, out=None):
    """σ(Z) = Z, a linear layer; (n, R) → (n, R)."""
    if out is None:
        return Z.copy()
    np.copyto(out, Z)
    return out


@reference("derivative")
def identity_prime(Z, f, out=None):
    """σ'(Z) = 1; (n, R) → (n, R)."""
    if out is None:
        return np.ones_like(Z)
    out.fill(1.0)
    return out


@reference("softmax")
def softmax(Z, out=None):
    """Column-wise softmax p_k = e^{Z_k} / Σ_j e^{Z_j}; Z (n, R) → (n, R), each column a probability vector.

    Overflow-safe: it exponentiates Z_k − max_j Z_j ≤ 0 (the shift cancels in the ratio), so any finite Z
    gives finite p without warnings. Z may also be one column of shape (n,).
    """
    p = np.subtract(Z, np.max(Z, axis=0, keepdims=True), out)
    np.exp(p, out=p)
    p /= np.sum(p, axis=0, keepdims=True)
    return p


@reference("softmax", "derivative")
def softmax_jacobian(z):
    """∂p/∂z = diag(p) − p pᵀ for one example z (n,) or (n, 1), p = softmax(z): an (n, n) matrix, not diagonal."""
    z = np.asarray(z, dtype=np.float64)
    if not (z.ndim == 1 or (z.ndim == 2 and z.shape[1] == 1)):
        raise ValueError(f"softmax_jacobian takes one example z, a vector (n,) or a column (n, 1); "
                         f"got shape {z.shape}")
    p = softmax(z.reshape(-1))
    return np.diag(p) - np.outer(p, p)                      # ∂p_i/∂z_j = p_i (δ_ij − p_j)


@reference("softmax", "backward")
def softmax_backward(p, dp, out=None):
    """∂E/∂Z from ∂E/∂p for p = softmax(Z), column by column: (diag(p) − p pᵀ) dp = p ⊙ (dp − pᵀdp); (n, R)."""
    dZ = np.subtract(dp, np.sum(p * dp, axis=0, keepdims=True), out)
    dZ *= p
    return dZ


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "identity": (identity, identity_prime),
    "softmax": (softmax, None),       # not element-wise: its Jacobian is softmax_jacobian, its rule softmax_backward
}


@reference("backward", "derivative")
def activation_backward(name, Z, f, df):
    """∂E/∂Z from ∂E/∂f for f = σ(Z): df ⊙ σ'(Z) for an element-wise σ, (diag(p) − p pᵀ) df for softmax; (n, R)."""
    if name == "softmax":
        return softmax_backward(f, df)
    dZ = ACTIVATIONS[name][1](Z, f)                        # σ'(Z), a new array
    dZ *= df                                               # ∂f/∂Z = diag(σ'(Z)): a product entry by entry
    return dZ


@reference("derivative")
def activation_jacobian(name, z, f):
    """∂f/∂z for one example, an (n, n) matrix: diag(σ'(z)) for an element-wise σ, diag(p) − p pᵀ for softmax."""
    if name == "softmax":
        return softmax_jacobian(z)
    return np.diag(ACTIVATIONS[name][1](z, f))


def activation_pair(name):
    """(σ, σ') for the name of an element-wise activation; ValueError listing the valid names."""
    if name == "softmax":
        raise ValueError("softmax has no element-wise derivative σ': its Jacobian diag(p) − p pᵀ mixes the units "
                         "of a column; use coursekit.activations.softmax_jacobian(z)")
    return ACTIVATIONS[check_choice("activation", name, tuple(ACTIVATIONS))]


_PER_LAYER = {}


def layer_activations(activation, K):
    """The activation of each of the K layers: one name for all, or a sequence of K names."""
    if isinstance(activation, str):
        names = _PER_LAYER.get((activation, K))
        if names is None:
            check_choice("activation", activation, tuple(ACTIVATIONS))
            names = _PER_LAYER[activation, K] = (activation,) * K
        return names
    if not isinstance(activation, (list, tuple)):
        raise TypeError(f"activation must be a name or a list of K = {K} names; got {type(activation).__name__}")
    if len(activation) != K:
        raise ValueError(f"activation lists {len(activation)} names but the network has K = {K} layers "
                         f"(f1 … f{K}); give one name per layer or a single name for all")
    for name in activation:
        check_choice("activation", name, tuple(ACTIVATIONS))
    return tuple(activation)
