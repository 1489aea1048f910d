"""The lecture's network: Forward Path, Backward Paths (1)–(4) and the Total Cost, for any number of layers.

    f0 = X,   Z_{i+1} = A_i f_i + b_i,   f_{i+1} = σ(Z_{i+1}),   E = Σ_r E^r(f_K, Y_r)     (5.112)–(5.113)

Shapes: X = f0 (n0, R), one example per column; A_i (n_{i+1}, n_i); b_i (n_{i+1}, 1); Z_i, f_i (n_i, R);
Y (n_K, R). Gradients ∂E/∂θ of the total cost are stored in the shape of θ.
"""
import math
from operator import is_

import numpy as np

from .activations import ACTIVATIONS, layer_activations, softmax_backward, softmax_jacobian
from .costs import OUTPUT_ACTIVATION, cost_name, per_example_cost
from .notation import (all_finite, check_params, check_sizes, check_trace, check_X, check_Y, is_float_matrix,
                       layer_keys, plain_sizes)
from .reference import reference


class Trace(dict):
    """What forward() returns, {"f0", "Z1", "f1", …, "ZK", "fK"}, every entry a finite float64 matrix.

    It remembers the params it was computed from, so that backward() on the same params and trace need not
    check them again, and it is read-only (copy it with dict(trace) to experiment), so that it stays true.
    """
    __slots__ = ("params", "arrays")

    @classmethod
    def of(cls, entries, params):
        """The trace holding `entries`, computed from `params`."""
        trace = cls(entries)
        trace.params, trace.arrays = params, tuple(params.values())
        return trace

    def made_from(self, params):
        """True when params is the very dict, holding the very arrays, that this trace was computed from."""
        return params is self.params and len(params) == len(self.arrays) and all(
            map(is_, params.values(), self.arrays))

    def _read_only(self, *args, **kwargs):
        raise TypeError("a trace from forward() is read-only; edit a copy: trace = dict(trace)")

    __setitem__ = __delitem__ = __ior__ = update = pop = popitem = clear = setdefault = _read_only

    def __reduce__(self):                                  # copy, deepcopy and pickle rebuild it whole
        return Trace.of, (dict(self), self.params)


def init_params(sizes, seed=0):
    """Parameters for layer sizes [n0, …, nK]: A_i (n_{i+1}, n_i) ~ N(0, 1/n_i), b_i (n_{i+1}, 1) = 0."""
    sizes = check_sizes(sizes)
    rng = np.random.default_rng(seed)
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        params[f"A{i}"] = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
        params[f"b{i}"] = np.zeros((n_out, 1))
    return params


def _output_layer_check(cost, activations):
    """The cost's name, after checking that the output layer suits it (cross-entropies need their own σ)."""
    cost = cost_name(cost)
    need = OUTPUT_ACTIVATION.get(cost)
    if need is not None and activations[-1] != need:
        what = "sigmoid outputs f_K in (0, 1)" if need == "sigmoid" else "a softmax output layer (f_K = softmax(Z_K))"
        raise ValueError(f"cost {cost!r} needs {what}; the output layer uses {activations[-1]!r} (pass "
                         f"activation=[…, {need!r}], one name per layer, to keep another hidden activation)")
    return cost


def forward(params, X, activation="sigmoid"):
    """Forward Path: {"f0", "Z1", "f1", …, "ZK", "fK"} for X (n0, R); each Z_i, f_i is (n_i, R)."""
    sizes = plain_sizes(params, X.shape[0]) if is_float_matrix(X) and X.shape[1] else None
    if sizes is None:
        X, params, sizes = check_X(X, params)              # converts, or raises naming the symbol
    trace = forward_unchecked(params, X, layer_activations(activation, len(sizes) - 1))
    if not all_finite(*(trace[keys[3]] for keys in layer_keys(len(sizes) - 1))):
        check_X(X, params)                                 # a NaN or ±inf in X, A_i or b_i reaches some Z_i
    return trace


def forward_unchecked(params, X, activations, out=None):
    """forward() on inputs already validated, one activation name per layer; `out` = buffers to reuse."""
    entries = {"f0": X}
    f = X
    for (kA, kb, _, kZ, kf), name in zip(layer_keys(len(activations)), activations):
        Z = np.dot(params[kA], f, out[kZ] if out else None)      # Z_{i+1} = A_i f_i + b_i
        Z += params[kb]
        f = ACTIVATIONS[name][0](Z, out[kf] if out else None)    # f_{i+1} = σ(Z_{i+1})
        entries[kZ] = Z
        entries[kf] = f
    return Trace.of(entries, params)


@reference("backward")
def output_delta(trace, Y, K, activation, cost, out=None):
    """δ_K = ∂E/∂Z_K as columns (n_K, R) for the named cost and output activation."""
    ZK, fK = trace[f"Z{K}"], trace[f"f{K}"]
    delta = np.subtract(fK, Y, out[f"δ{K}"] if out else None)   # ∂E/∂f_K = f_K − Y for the squared error
    if cost == "squared" and activation == "softmax":
        return softmax_backward(fK, delta, delta)          # (diag(p) − p pᵀ)(f_K − Y)
    if cost == "squared":
        delta *= ACTIVATIONS[activation][1](ZK, fK, out[f"σ'{K}"] if out else None)  # ⊙ σ'(Z_K)
    return delta    # sigmoid + binary, softmax + categorical cross-entropy: ∂f_K/∂Z_K cancels, δ_K = f_K − Y


def _checked(params, trace, Y, activation, cost):
    if not isinstance(trace, dict):
        raise TypeError(f"trace must be the dict that forward() returns; got {type(trace).__name__}")
    if "f0" not in trace:
        raise ValueError(f"trace has no f0 (keys: {', '.join(map(repr, trace))}); pass the dict that "
                         f"forward(params, X) returns")
    _, params, sizes = check_X(trace["f0"], params)
    trace = check_trace(trace, sizes)
    K = len(sizes) - 1
    activations = layer_activations(activation, K)
    cost = _output_layer_check(cost, activations)
    Y = check_Y(Y, sizes, trace["f0"].shape[1], cost)
    return params, trace, Y, K, activations, cost


@reference("backward")
def backward(params, trace, Y, activation="sigmoid", cost="squared"):
    """∂E/∂θ of the total cost for every A_i, b_i, each in its parameter's shape (vectorised δ form)."""
    K = len(params) // 2 if type(params) is dict else 0
    fK = trace.get(f"f{K}") if type(trace) is Trace and trace.made_from(params) else None
    if fK is not None and is_float_matrix(Y) and Y.shape == fK.shape:    # forward()'s own trace of these params
        activations = layer_activations(activation, K)
        cost = _output_layer_check(cost, activations)
        if cost != "squared":
            check_Y(Y, [fK.shape[0]] * (K + 1), fK.shape[1], cost)       # raises naming the entry outside [0, 1]
    else:
        params, trace, Y, K, activations, cost = _checked(params, trace, Y, activation, cost)
    grads = backward_unchecked(params, trace, Y, activations, cost)
    if not all_finite(*(grads[keys[1]] for keys in layer_keys(K))):
        _checked(params, trace, Y, activation, cost)       # a NaN or ±inf in Y or A_i reaches every ∂E/∂b_i
    return grads


@reference("backward")
def backward_unchecked(params, trace, Y, activations, cost, out=None):
    """backward() on inputs already validated, one activation name per layer; `out` = buffers to reuse."""
    K = len(activations)
    keys = layer_keys(K)
    delta = output_delta(trace, Y, K, activations[-1], cost, out)
    grads = dict.fromkeys(params)                          # keyed like params, filled from the last layer down
    for i in range(K - 1, -1, -1):
        kA, kb, kf, _, _ = keys[i]
        grads[kA] = np.dot(delta, trace[kf].T, out[kA] if out else None)      # ∂E/∂A_i = Σ_r δ_{i+1} f_iᵀ
        grads[kb] = np.add.reduce(delta, 1, None, out[kb] if out else None, True)  # ∂Z/∂b_i = I, Σ_r
        if i > 0:
            # δ_i = (A_iᵀ δ_{i+1}) ⊙ σ'(Z_i): ∂Z_{i+1}/∂f_i = A_i, ∂f_i/∂Z_i = diag(σ'(Z_i))
            delta = np.dot(params[kA].T, delta, out[f"δ{i}"] if out else None)
            if activations[i - 1] == "softmax":            # ∂f_i/∂Z_i = diag(p) − p pᵀ, not diagonal
                delta = softmax_backward(trace[kf], delta, delta)
            else:
                delta *= ACTIVATIONS[activations[i - 1]][1](trace[keys[i - 1][3]], trace[kf],
                                                            out[f"σ'{i}"] if out else None)
    return grads


def buffers(sizes, R):
    """Arrays for forward_unchecked/backward_unchecked to write into, so that a training loop allocates once."""
    out = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        for key in (f"Z{i + 1}", f"f{i + 1}", f"δ{i + 1}", f"σ'{i + 1}"):
            out[key] = np.empty((n_out, R))
        out[f"A{i}"], out[f"b{i}"] = np.empty((n_out, n_in)), np.empty((n_out, 1))
    return out


@reference("backward")
def dZ_dA(f, n_out):
    """The tensor ∂Z/∂A for Z = A f + b: (n_out, n_out, n_in) with [k, k, :] = fᵀ and zeros elsewhere."""
    T = np.zeros((n_out, n_out, f.size))
    for k in range(n_out):
        T[k, k, :] = f                                     # ∂Z_k/∂A_{k,:} = fᵀ, ∂Z_k/∂A_{j≠k,:} = 0 (5.90)–(5.91)
    return T


@reference("backward")
def backward_jacobians(params, trace, Y, activation="sigmoid", cost="squared"):
    """∂E/∂θ as the lecture writes it: explicit Jacobian products per example, Backward Paths (1)–(4).

    Slow on purpose: it builds every factor (diag(σ'(Z)), ∂Z/∂b = I, ∂Z/∂f = A, the ∂Z/∂A tensor) as a
    matrix and multiplies them left to right, (5.115)–(5.118). Equal to backward() to rounding.
    """
    params, trace, Y, K, activations, cost = _checked(params, trace, Y, activation, cost)
    grads = {key: np.zeros_like(value) for key, value in params.items()}
    for r in range(Y.shape[1]):
        fK, y = trace[f"f{K}"][:, r], Y[:, r]
        row = (fK - y)[None, :]                            # ∂E^r/∂f_K = (f_K − Y)ᵀ, a 1 × n_K row
        for i in reversed(range(K)):
            Z, f_in = trace[f"Z{i + 1}"][:, r], trace[f"f{i}"][:, r]
            n_out = Z.size
            if i == K - 1 and cost == "binary_cross_entropy":
                # ∂E^r/∂f_K = ((f_K − Y) / (f_K (1 − f_K)))ᵀ and diag(σ'(Z_K)) = diag(f_K (1 − f_K)):
                # their product is (f_K − Y)ᵀ entry by entry, which stays finite when σ saturates
                row_Z = row
            elif i == K - 1 and cost == "categorical_cross_entropy":
                # ∂E^r/∂f_K = −(Y / p)ᵀ times ∂p/∂Z_K = diag(p) − p pᵀ; the product is (p − Y)ᵀ since Σ_k Y_k = 1,
                # taken in that cancelled form when some p_k with Y_k > 0 underflowed to 0
                with np.errstate(divide="ignore", invalid="ignore"):
                    row_p = np.where(y > 0, -y / fK, 0.0)[None, :]
                row_Z = row_p @ softmax_jacobian(Z) if np.isfinite(row_p).all() else row
            elif activations[i] == "softmax":
                row_Z = row @ softmax_jacobian(Z)                              # ∂f/∂Z = diag(p) − p pᵀ
            else:
                sigma_prime = ACTIVATIONS[activations[i]][1]
                D = np.diag(sigma_prime(Z, trace[f"f{i + 1}"][:, r]))    # ∂f_{i+1}/∂Z_{i+1} = diag(σ')
                row_Z = row @ D                                           # ∂E^r/∂Z_{i+1}, 1 × n_out
            grads[f"b{i}"] += (row_Z @ np.eye(n_out)).T                  # ∂Z_{i+1}/∂b_i = I
            grads[f"A{i}"] += np.tensordot(row_Z[0], dZ_dA(f_in, n_out), axes=1)  # row · ∂Z/∂A
            row = row_Z @ params[f"A{i}"]                                  # ∂Z_{i+1}/∂f_i = A_i
    return grads


@reference("cost")
def total_cost(params, X, Y, activation="sigmoid", cost="squared"):
    """Total Cost E = Σ_r E^r over the R columns of X (n0, R) and Y (n_K, R), as a float."""
    trace = forward(params, X, activation)                 # checks params and X
    K = (len(trace) - 1) // 2
    cost = _output_layer_check(cost, layer_activations(activation, K))
    fK = trace[f"f{K}"]
    plain = is_float_matrix(Y) and Y.shape == fK.shape and cost == "squared"
    sizes = [trace[keys[2]].shape[0] for keys in layer_keys(K)] + [fK.shape[0]]
    if not plain:
        Y = check_Y(Y, sizes, fK.shape[1], cost)          # converts, or raises naming the symbol
    E = trace_cost(trace, Y, cost)
    if plain and not math.isfinite(E):
        check_Y(Y, sizes, fK.shape[1], cost)               # a NaN or ±inf in Y
    return E


@reference("cost")
def trace_cost(trace, Y, cost):
    """E = Σ_r E^r from a forward trace (unchecked): the cross-entropies use Z_K for overflow safety."""
    K = (len(trace) - 1) // 2
    ZK = trace[f"Z{K}"] if cost != "squared" else None
    return float(np.sum(per_example_cost(cost, trace[f"f{K}"], Y, ZK)))


def layer_sizes(params):
    """[n0, …, nK] of a validated params dict."""
    return check_params(params)[1]
