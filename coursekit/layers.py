"""Layers as forward/backward pairs: each forward returns its output and a cache (what its backward needs),
each backward turns ∂E/∂(output) and the cache into ∂E/∂(each input).

    Z, cache = affine_forward(f, A, b)            # Z = A f + b
    df, dA, db = affine_backward(dZ, cache)       # ∂E/∂f, ∂E/∂A, ∂E/∂b
    f, cache = sigmoid_forward(Z)                 # f = σ(Z)
    dZ = sigmoid_backward(df, cache)              # ∂E/∂Z = ∂E/∂f ⊙ σ'(Z)
    E, cache = softmax_cross_entropy_forward(Z, Y)
    dZ = softmax_cross_entropy_backward(cache)    # ∂E/∂Z_K

Shapes are the lecture's: f (n_in, R) with one example per column, A (n_out, n_in), b (n_out, 1),
Z (n_out, R). Every gradient is stored in its variable's shape (dZ = ∂E/∂Z is (n_out, R), dA is A's shape),
which is how the code (and PyTorch) keeps them; the book's row gradients are their transposes. A loss layer
ends the forward pass with the scalar E and starts the backward pass (∂E/∂E = 1); reduction="sum" is the
lecture's Total Cost E = Σ_r E^r, reduction="mean" is E / R (what PyTorch's losses return by default).
`loss_and_grads` chains the pairs into the K-layer network of coursekit.network.
"""
import numpy as np

from .activations import sigmoid, softmax
from .costs import softplus
from .network import layer_sizes
from .notation import as_matrix, check_choice, shape_str
from .reference import reference

REDUCTIONS = ("sum", "mean")


# ----------------------------------------------------------------------------------------------- affine

def affine_forward(f, A, b):
    """Z = A f + b; f (n_in, R), A (n_out, n_in), b (n_out, 1) → Z (n_out, R), cache (f, A, b)."""
    f = as_matrix("f", f, meaning=" (n_in, R): one example per column")
    A = as_matrix("A", A, meaning=" (n_out, n_in)")
    if A.shape[1] != f.shape[0]:
        raise ValueError(f"A must have n_in = {f.shape[0]} columns to multiply f {shape_str(f.shape)} (one row per "
                         f"input); got A of shape {shape_str(A.shape)}"
                         + (" (examples go in columns: try f.T)" if f.shape[1] == A.shape[1] else ""))
    b = as_matrix("b", b, meaning=" (n_out, 1)")
    if b.shape != (A.shape[0], 1):
        raise ValueError(f"b must have shape ({A.shape[0]}, 1), one bias per row of A {shape_str(A.shape)}; "
                         f"got {shape_str(b.shape)}")
    return A @ f + b, (f, A, b)


@reference("backward")
def affine_backward(dZ, cache):
    """dZ = ∂E/∂Z (n_out, R), cache (f, A, b) → (df, dA, db) = ∂E/∂(f, A, b): (n_in, R), (n_out, n_in), (n_out, 1)."""
    f, A, b = cache
    dZ = _upstream("dZ", dZ, (A.shape[0], f.shape[1]), "Z = A f + b")
    df = A.T @ dZ                          # ∂Z/∂f = A: a row times A is Aᵀ times the column
    dA = dZ @ f.T                          # Σ_r ∂E/∂Z_r f_rᵀ, the outer products summed over examples
    db = dZ.sum(axis=1, keepdims=True)     # ∂Z/∂b = I for every example: add the R columns
    return df, dA, db


# ------------------------------------------------------------------------------- element-wise activations

def sigmoid_forward(Z):
    """f = σ(Z), element-wise; Z (n, R) → f (n, R), cache f."""
    f = sigmoid(as_matrix("Z", Z))
    return f, f


@reference("backward")
def sigmoid_backward(df, cache):
    """df = ∂E/∂f (n, R), cache f → dZ = df ⊙ f ⊙ (1 − f) (n, R): ∂f/∂Z = diag(σ'(Z)) as an ⊙."""
    f = cache
    return _upstream("df", df, f.shape, "f = σ(Z)") * f * (1.0 - f)


def tanh_forward(Z):
    """f = tanh(Z), element-wise; Z (n, R) → f (n, R), cache f."""
    f = np.tanh(as_matrix("Z", Z))
    return f, f


@reference("backward")
def tanh_backward(df, cache):
    """df = ∂E/∂f (n, R), cache f → dZ = df ⊙ (1 − f²) (n, R)."""
    f = cache
    return _upstream("df", df, f.shape, "f = tanh(Z)") * (1.0 - f * f)


def relu_forward(Z):
    """f = max(0, Z), element-wise; Z (n, R) → f (n, R), cache f."""
    f = np.maximum(as_matrix("Z", Z), 0.0)
    return f, f


@reference("backward")
def relu_backward(df, cache):
    """df = ∂E/∂f (n, R), cache f → dZ = df where Z > 0, else 0 (n, R) (the kink at 0 takes 0)."""
    f = cache
    return _upstream("df", df, f.shape, "f = max(0, Z)") * (f > 0)


def identity_forward(Z):
    """f = Z, a linear layer's output as it is; Z (n, R) → f (n, R), cache: nothing."""
    return as_matrix("Z", Z).copy(), None


@reference("backward")
def identity_backward(df, cache):
    """df = ∂E/∂f (n, R) → dZ = df (n, R): σ'(Z) = 1."""
    return as_matrix("df", df).copy()


# ---------------------------------------------------------------------------- softmax, not element-wise

@reference("softmax")
def softmax_forward(Z):
    """p = softmax(Z), column by column (overflow-safe); Z (n, R) → p (n, R), cache p."""
    p = softmax(as_matrix("Z", Z))
    return p, p


@reference("softmax", "backward")
def softmax_backward(dp, cache):
    """dp = ∂E/∂p (n, R), cache p → dZ = ∂E/∂Z (n, R), column by column through the softmax Jacobian."""
    p = cache
    dp = _upstream("dp", dp, p.shape, "p = softmax(Z)")
    # (diag(p) − p pᵀ) dp = p ⊙ (dp − pᵀdp) per column; the Jacobian is symmetric, so no transpose
    return p * (dp - np.sum(p * dp, axis=0, keepdims=True))


# ----------------------------------------------------------------------------------------------- losses

def squared_error_forward(f, Y, reduction="sum"):
    """E = Σ_r ½‖f_r − Y_r‖² (or its mean over the R examples); f, Y (n, R) → E (float), cache."""
    f, Y, reduction = _loss_inputs(f, Y, reduction, "f")
    E = 0.5 * float(np.sum((f - Y) ** 2))
    return _reduce(E, f.shape[1], reduction), (f, Y, reduction)


@reference("backward", "cost_gradient")
def squared_error_backward(cache):
    """cache → df = ∂E/∂f = f − Y (n, R), divided by R for reduction="mean"."""
    f, Y, reduction = cache
    return _reduce(f - Y, f.shape[1], reduction)


def sigmoid_cross_entropy_forward(Z, Y, reduction="sum"):
    """Binary cross-entropy of sigmoid outputs f = σ(Z) from Z itself (overflow-safe); Z, Y (n, R) → E, cache.

    E^r = −Σ_k [Y log σ(Z) + (1 − Y) log(1 − σ(Z))] = Σ_k [Y softplus(−Z) + (1 − Y) softplus(Z)].
    """
    Z, Y, reduction = _loss_inputs(Z, Y, reduction, "Z", probabilities=True)
    E = float(np.sum(Y * softplus(-Z) + (1.0 - Y) * softplus(Z)))
    return _reduce(E, Z.shape[1], reduction), (sigmoid(Z), Y, reduction)


@reference("backward", "cost_gradient")
def sigmoid_cross_entropy_backward(cache):
    """cache → dZ = ∂E/∂Z = σ(Z) − Y (n, R): σ' cancels the denominator of ∂E/∂f (divided by R for "mean")."""
    f, Y, reduction = cache
    return _reduce(f - Y, f.shape[1], reduction)


@reference("softmax", "cost")
def softmax_cross_entropy_forward(Z, Y, reduction="sum"):
    """Categorical cross-entropy of p = softmax(Z) from Z itself (log-sum-exp); Z, Y (n, R) → E, cache.

    E^r = −Σ_k Y_k log p_k with log p_k = Z_k − m − log Σ_j e^{Z_j − m}, m = max_j Z_j: finite for any finite Z.
    Each column of Y is a probability vector (usually one-hot).
    """
    Z, Y, reduction = _loss_inputs(Z, Y, reduction, "Z", probabilities=True, columns_sum_to_one=True)
    m = Z.max(axis=0, keepdims=True)
    log_p = Z - (m + np.log(np.sum(np.exp(Z - m), axis=0, keepdims=True)))
    E = -float(np.sum(np.where(Y > 0, Y * log_p, 0.0)))     # 0 log 0 = 0
    return _reduce(E, Z.shape[1], reduction), (np.exp(log_p), Y, reduction)


@reference("softmax", "backward", "cost_gradient")
def softmax_cross_entropy_backward(cache):
    """cache → dZ = ∂E/∂Z (n, R), divided by R for reduction="mean"."""
    p, Y, reduction = cache
    # −(Y/p)ᵀ (diag(p) − p pᵀ) = (p Σ_k Y_k − Y)ᵀ = (p − Y)ᵀ: the p_k cancel, and Σ_k Y_k = 1
    return _reduce(p - Y, p.shape[1], reduction)


# ------------------------------------------------------------------------------------ the whole network

FORWARD = {"sigmoid": sigmoid_forward, "tanh": tanh_forward, "relu": relu_forward, "identity": identity_forward,
           "softmax": softmax_forward}
BACKWARD = {"sigmoid": sigmoid_backward, "tanh": tanh_backward, "relu": relu_backward, "identity": identity_backward,
            "softmax": softmax_backward}
LOSSES = {"squared": (squared_error_forward, squared_error_backward),
          "binary_cross_entropy": (sigmoid_cross_entropy_forward, sigmoid_cross_entropy_backward),
          "categorical_cross_entropy": (softmax_cross_entropy_forward, softmax_cross_entropy_backward)}
FUSED = {"binary_cross_entropy": "sigmoid", "categorical_cross_entropy": "softmax"}   # loss takes Z_K itself


@reference("backward")
def loss_and_grads(params, X, Y, activation="sigmoid", cost="squared", reduction="sum"):
    """(E, {θ: ∂E/∂θ}) of the K-layer network, chained from the layer pairs; each ∂E/∂θ in θ's shape.

    activation: one name for every layer or one per layer ("sigmoid", "tanh", "relu", "identity", "softmax");
    cost: "squared", "binary_cross_entropy" (sigmoid output) or "categorical_cross_entropy" (softmax
    output), whose loss layer takes Z_K and folds the output activation in.
    """
    sizes = layer_sizes(params)
    K = len(sizes) - 1
    names = [activation] * K if isinstance(activation, str) else list(activation)
    if len(names) != K:
        raise ValueError(f"activation lists {len(names)} names but the network has K = {K} layers")
    for name in names:
        check_choice("activation", name, tuple(FORWARD))
    cost = "binary_cross_entropy" if cost == "cross_entropy" else check_choice("cost", cost, tuple(LOSSES))
    if cost in FUSED and names[-1] != FUSED[cost]:
        raise ValueError(f"cost {cost!r} needs a {FUSED[cost]} output layer; the output layer uses {names[-1]!r}")
    X = as_matrix("X", X, meaning=" (n0, R): one example per column")
    if X.shape[0] != sizes[0]:
        raise ValueError(f"X (= f0) must have n0 = {sizes[0]} rows, one per input, to match A0 "
                         f"{shape_str(params['A0'].shape)}; got X of shape {shape_str(X.shape)}")
    fused = cost in FUSED                                        # the loss layer applies σ or softmax itself
    f, caches = X, []
    for i in range(K):                                           # Forward Path, keeping every cache
        Z, affine_cache = affine_forward(f, params[f"A{i}"], params[f"b{i}"])
        f, activation_cache = (Z, None) if fused and i == K - 1 else FORWARD[names[i]](Z)
        caches.append((affine_cache, activation_cache))
    loss_forward, loss_backward = LOSSES[cost]
    E, loss_cache = loss_forward(f, Y, reduction)
    upstream = loss_backward(loss_cache)                         # ∂E/∂f_K, or ∂E/∂Z_K for a fused loss
    grads = {}
    for i in reversed(range(K)):                                 # Backward Paths: each pair in reverse order
        affine_cache, activation_cache = caches[i]
        dZ = upstream if fused and i == K - 1 else BACKWARD[names[i]](upstream, activation_cache)
        upstream, grads[f"A{i}"], grads[f"b{i}"] = affine_backward(dZ, affine_cache)
    return E, {key: grads[key] for key in params}


# -------------------------------------------------------------------------------------------- checks

def _upstream(symbol, value, shape, where):
    """The incoming gradient as a float64 matrix in its variable's shape, or a ValueError naming both shapes."""
    array = as_matrix(symbol, value)
    if array.shape != tuple(shape):
        hint = " (transposed? gradients are stored in their variable's shape)" if array.shape == tuple(shape)[::-1] \
            else ""
        raise ValueError(f"{symbol} must have the shape {shape_str(shape)} of the variable it differentiates "
                         f"({where}); got {shape_str(array.shape)}{hint}")
    return array


def _loss_inputs(f, Y, reduction, symbol, probabilities=False, columns_sum_to_one=False):
    f = as_matrix(symbol, f, meaning=" (n_K, R): one example per column")
    Y = as_matrix("Y", Y, meaning=" (n_K, R)")
    if Y.shape != f.shape:
        raise ValueError(f"Y must have the shape {shape_str(f.shape)} of {symbol}, one target column per example; "
                         f"got {shape_str(Y.shape)}")
    check_choice("reduction", reduction, REDUCTIONS)
    if probabilities and ((Y < 0) | (Y > 1)).any():
        raise ValueError("a cross-entropy needs targets Y in [0, 1] (probabilities)")
    if columns_sum_to_one:
        sums = Y.sum(axis=0)
        if np.any(np.abs(sums - 1.0) > 1e-9):
            r = int(np.argmax(np.abs(sums - 1.0)))
            raise ValueError(f"the categorical cross-entropy needs each column of Y to sum to 1 (a probability "
                             f"vector over the classes, usually one-hot); column r = {r} sums to {sums[r]:.6g}")
    return f, Y, reduction


def _reduce(value, R, reduction):
    return value / R if reduction == "mean" else value
