"""Activation functions σ, each beside its derivative σ'.

Every σ acts element-wise on Z (n, R). Each derivative takes both Z and f = σ(Z), because the backward
pass has both in the trace and the cheapest exact form of σ' often uses f: σ'(Z) = f ⊙ (1 − f).
"""
import numpy as np

from .notation import check_choice


def sigmoid(Z):
    """Logistic σ(Z) = 1 / (1 + e^(−Z)); Z (n, R) → (n, R), finite for any finite Z."""
    # e^(−|Z|) ≤ 1 never overflows: σ = 1/(1 + e^(−Z)) for Z ≥ 0 and e^Z/(1 + e^Z) for Z < 0
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0, E) / (1.0 + E)


def sigmoid_prime(Z, f):
    """σ'(Z) = σ(Z) ⊙ (1 − σ(Z)), from f = σ(Z); (n, R) → (n, R)."""
    return f * (1.0 - f)


def tanh(Z):
    """Hyperbolic tangent; Z (n, R) → (n, R)."""
    return np.tanh(Z)


def tanh_prime(Z, f):
    """tanh'(Z) = 1 − tanh(Z)², from f = tanh(Z); (n, R) → (n, R)."""
    return 1.0 - f * f


def relu(Z):
    """Rectified linear unit max(0, Z); Z (n, R) → (n, R)."""
    return np.maximum(Z, 0.0)


def relu_prime(Z, f):
    """ReLU'(Z) = 1 where Z > 0, else 0 (the kink at 0 takes 0); (n, R) → (n, R)."""
    return (Z > 0).astype(np.float64)


def identity(Z):
    """σ(Z) = Z, a linear layer; (n, R) → (n, R)."""
    return Z


def identity_prime(Z, f):
    """σ'(Z) = 1; (n, R) → (n, R)."""
    return np.ones_like(Z)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "identity": (identity, identity_prime),
}


def activation_pair(name):
    """(σ, σ') for an activation name; ValueError listing the valid names."""
    return ACTIVATIONS[check_choice("activation", name, tuple(ACTIVATIONS))]


def layer_activations(activation, K):
    """The activation of each of the K layers: one name for all, or a sequence of K names."""
    if isinstance(activation, str):
        check_choice("activation", activation, tuple(ACTIVATIONS))
        return (activation,) * K
    if not isinstance(activation, (list, tuple)):
        raise TypeError(f"activation must be a name or a list of K = {K} names; got {type(activation).__name__}")
    if len(activation) != K:
        raise ValueError(f"activation lists {len(activation)} names but the network has K = {K} layers "
                         f"(f1 … f{K}); give one name per layer or a single name for all")
    for name in activation:
        check_choice("activation", name, tuple(ACTIVATIONS))
    return tuple(activation)
