"""The lecture's network: Forward Path, Backward Paths (1)–(4) and the Total Cost, for any number of layers.

    f0 = X,   Z_{i+1} = A_i f_i + b_i,   f_{i+1} = σ(Z_{i+1}),   E = Σ_r E^r(f_K, Y_r)     (5.112)–(5.113)

Shapes: X = f0 (n0, R), one example per column; A_i (n_{i+1}, n_i); b_i (n_{i+1}, 1); Z_i, f_i (n_i, R);
Y (n_K, R). Gradients ∂E/∂θ of the total cost are stored in the shape of θ.

Read it from the middle: `layer_forward` and `layer_backward` are one layer's rule and its derivative side by
side; `forward_pass` and `backward` chain them like the Forward Path and the Backward Paths. The public
functions check their arguments first (coursekit.notation), so the formulas below work on clean input.
"""
from typing import NamedTuple

import numpy as np

from .activations import activation_backward, activation_jacobian, layer_activations, ACTIVATIONS
from .costs import OUTPUT_ACTIVATION, cost_name, per_example_cost
from .notation import (all_finite, check_memory, check_params, check_seed, check_sizes, check_trace, check_X,
                       check_Y, first_non_finite, read_only, shape_str, snapshot, trace_keys)
from .reference import reference


def init_params(sizes, seed=0):
    """Parameters for layer sizes [n0, …, nK]: A_i (n_{i+1}, n_i) ~ N(0, 1/n_i), b_i (n_{i+1}, 1) = 0."""
    sizes, seed = check_sizes(sizes), check_seed(seed)
    rng = np.random.default_rng(seed)
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        params[f"A{i}"] = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
        params[f"b{i}"] = np.zeros((n_out, 1))
    return params


# ---- one layer: the forward rule, and beside it the backward rule -------------------------------------

class Layer(NamedTuple):
    """Layer i of the Forward Path, Z_{i+1} = A_i f_i + b_i and f_{i+1} = σ(Z_{i+1}): what backward needs."""
    i: int               # the layer's index: it maps f_i to f_{i+1}
    A: np.ndarray        # A_i (n_{i+1}, n_i)
    f_in: np.ndarray     # f_i (n_i, R), the layer's input
    Z: np.ndarray        # Z_{i+1} (n_{i+1}, R)
    f_out: np.ndarray    # f_{i+1} = σ(Z_{i+1}) (n_{i+1}, R)
    activation: str      # the name of σ


def layer_forward(A, b, f, activation):
    """Z = A f + b and σ(Z): A (n_out, n_in), b (n_out, 1), f (n_in, R) → Z, σ(Z), each (n_out, R)."""
    Z = A @ f
    Z += b                                                 # Z_{i+1} = A_i f_i + b_i, b added to every column
    return Z, ACTIVATIONS[activation][0](Z)                # f_{i+1} = σ(Z_{i+1})


@reference("backward")
def layer_backward(layer, delta):
    """From δ = ∂E/∂Z_{i+1} (n_{i+1}, R): ∂E/∂A_i (n_{i+1}, n_i), ∂E/∂b_i (n_{i+1}, 1), ∂E/∂f_i (n_i, R).

    ∂E/∂f_0 is None: the first layer's input f0 = X is data, not a parameter, so nothing flows back from it.
    """
    dA = delta @ layer.f_in.T                              # Σ_r δ_r f_iᵀ: ∂Z_k/∂A_{k,:} = f_iᵀ (5.90)
    db = delta.sum(axis=1, keepdims=True)                  # ∂Z_{i+1}/∂b_i = I, summed over the R examples
    df = layer.A.T @ delta if layer.i > 0 else None        # ∂Z_{i+1}/∂f_i = A_i, so ∂E/∂f_i = A_iᵀ δ
    return dA, db, df


@reference("backward")
def sigma_backward(layer, df):
    """∂E/∂Z_{i+1} from ∂E/∂f_{i+1} (n_{i+1}, R): df ⊙ σ'(Z_{i+1}), or (diag(p) − p pᵀ) df for softmax."""
    return activation_backward(layer.activation, layer.Z, layer.f_out, df)   # ∂f/∂Z = diag(σ'(Z))


@reference("backward", "cost_gradient")
def output_delta(layer, Y, cost):
    """δ_K = ∂E/∂Z_K (n_K, R) of the output layer, the start of Backward Path (1)."""
    if cost == "squared":
        return sigma_backward(layer, layer.f_out - Y)      # ∂E/∂f_K = f_K − Y, then through σ
    return layer.f_out - Y     # sigmoid + binary, softmax + categorical cross-entropy: ∂f_K/∂Z_K cancels


# ---- the Forward Path and the Backward Paths ---------------------------------------------------------

def forward_pass(params, X, activations):
    """{"f0", "Z1", "f1", …, "ZK", "fK"} for clean params, X (n0, R) and one activation name per layer."""
    trace = {"f0": X}
    for i, name in enumerate(activations):
        trace[f"Z{i + 1}"], trace[f"f{i + 1}"] = layer_forward(params[f"A{i}"], params[f"b{i}"], trace[f"f{i}"], name)
    return trace


forward_unchecked = forward_pass                           # the name coursekit.plots imports


def layers_of(params, trace, activations):
    """The K layers of a forward trace, each with A_i, f_i, Z_{i+1}, f_{i+1} and σ's name."""
    return [Layer(i, params[f"A{i}"], trace[f"f{i}"], trace[f"Z{i + 1}"], trace[f"f{i + 1}"], name)
            for i, name in enumerate(activations)]


@reference("backward")
def backward(params, trace, Y, activation="sigmoid", cost="squared"):
    """∂E/∂θ of the total cost for every A_i, b_i, each in its parameter's shape (vectorised δ form)."""
    params, trace, Y, activations, cost = backward_inputs(params, trace, Y, activation, cost)
    layers = layers_of(params, trace, activations)
    grads = {}
    with np.errstate(over="ignore", invalid="ignore"):     # an overflow is named by finite_gradients instead
        delta = output_delta(layers[-1], Y, cost)          # δ_K = ∂E/∂Z_K, Backward Path (1)
        for i in reversed(range(len(layers))):
            grads[f"A{i}"], grads[f"b{i}"], df = layer_backward(layers[i], delta)  # δ f_iᵀ, Σ_r δ, A_iᵀ δ
            if i > 0:
                delta = sigma_backward(layers[i - 1], df)  # δ_i = (A_iᵀ δ_{i+1}) ⊙ σ'(Z_i)
    return finite_gradients({key: grads[key] for key in params})


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

    Slow on purpose: it builds every factor (∂f/∂Z = diag(σ'(Z)) or softmax's diag(p) − p pᵀ, ∂Z/∂b = I,
    ∂Z/∂f = A, the ∂Z/∂A tensor) as a matrix and multiplies them left to right, (5.115)–(5.118). Equal to
    backward() to rounding.
    """
    params, trace, Y, activations, cost = backward_inputs(params, trace, Y, activation, cost)
    check_memory("backward_jacobians' ∂Z/∂A tensors", max(n * n * m for n, m in
                                                         ((params[f"A{i}"].shape) for i in range(len(activations)))),
                 "use backward() for large layers")
    K = len(activations)
    grads = {key: np.zeros_like(value) for key, value in params.items()}
    for r in range(Y.shape[1]):
        fK, y = trace[f"f{K}"][:, r], Y[:, r]
        row = (fK - y)[None, :]                            # ∂E^r/∂f_K = (f_K − Y)ᵀ, a 1 × n_K row
        for i in reversed(range(K)):
            Z, f_out, f_in = trace[f"Z{i + 1}"][:, r], trace[f"f{i + 1}"][:, r], trace[f"f{i}"][:, r]
            if i == K - 1 and cost == "binary_cross_entropy":
                # ∂E^r/∂f_K = ((f_K − Y) / (f_K (1 − f_K)))ᵀ and diag(σ'(Z_K)) = diag(f_K (1 − f_K)):
                # their product is (f_K − Y)ᵀ entry by entry, which stays finite when σ saturates
                row_Z = row
            elif i == K - 1 and cost == "categorical_cross_entropy":
                # ∂E^r/∂f_K = −(Y / p)ᵀ times ∂p/∂Z_K = diag(p) − p pᵀ; the product is (p − Y)ᵀ since Σ_k Y_k = 1,
                # taken in that cancelled form when some p_k with Y_k > 0 underflowed to 0
                with np.errstate(divide="ignore", invalid="ignore"):
                    row_p = np.where(y > 0, -y / fK, 0.0)[None, :]
                row_Z = row_p @ activation_jacobian("softmax", Z, f_out) if np.isfinite(row_p).all() else row
            else:
                row_Z = row @ activation_jacobian(activations[i], Z, f_out)    # ∂E^r/∂Z_{i+1} = row · ∂f/∂Z
            grads[f"b{i}"] += (row_Z @ np.eye(Z.size)).T                     # ∂Z_{i+1}/∂b_i = I
            grads[f"A{i}"] += np.tensordot(row_Z[0], dZ_dA(f_in, Z.size), axes=1)  # row · ∂Z/∂A
            row = row_Z @ params[f"A{i}"]                                      # ∂Z_{i+1}/∂f_i = A_i
    return finite_gradients(grads)


@reference("cost")
def total_cost(params, X, Y, activation="sigmoid", cost="squared"):
    """Total Cost E = Σ_r E^r over the R columns of X (n0, R) and Y (n_K, R), as a float."""
    X, params, sizes = check_X(X, params)
    activations = layer_activations(activation, len(sizes) - 1)
    cost = output_cost(cost, activations)
    Y = check_Y(Y, sizes, X.shape[1], cost)
    trace = finite_trace(forward_pass_quietly(params, X, activations), params)
    with np.errstate(over="ignore", invalid="ignore"):    # an overflowing E is named by finite_cost instead
        return finite_cost(trace_cost(trace, Y, cost))


@reference("cost")
def trace_cost(trace, Y, cost):
    """E = Σ_r E^r from a forward trace (unchecked): the cross-entropies use Z_K for overflow safety."""
    K = (len(trace) - 1) // 2
    ZK = trace[f"Z{K}"] if cost != "squared" else None
    return float(np.sum(per_example_cost(cost, trace[f"f{K}"], Y, ZK)))


def layer_sizes(params):
    """[n0, …, nK] of a validated params dict."""
    return check_params(params)[1]


# ---- the public boundary: forward() and the checks every public function runs first -------------------

class Trace(dict):
    """What forward() returns, {"f0", "Z1", "f1", …, "ZK", "fK"}, every entry a finite float64 matrix.

    Read-only, so that it stays the forward pass of the params it came from: its arrays cannot be written
    (trace["f1"] *= 2 raises before changing anything) and its keys cannot change. To experiment, copy:
    t = {key: value.copy() for key, value in trace.items()}. It keeps a copy of those params (.params) and the
    activations (.activations), and backward() refuses the trace for any others.
    """
    __slots__ = ("params", "activations")

    def __init__(self, entries, params, activations, copy=True):
        super().__init__((key, read_only(value)) for key, value in entries.items())
        self.params = {key: snapshot(key, value) if copy else read_only(value) for key, value in params.items()}
        self.activations = tuple(activations)

    def _read_only(self, *args, **kwargs):
        raise TypeError("a trace from forward() is read-only; edit a copy: "
                        "trace = {key: value.copy() for key, value in trace.items()}")

    __setitem__ = __delitem__ = __ior__ = update = pop = popitem = clear = setdefault = _read_only

    def __reduce__(self):                                  # copy, deepcopy and pickle rebuild it whole
        return Trace, (dict(self), self.params, self.activations)


def forward(params, X, activation="sigmoid"):
    """Forward Path: {"f0", "Z1", "f1", …, "ZK", "fK"} for X (n0, R); each Z_i, f_i is (n_i, R); read-only."""
    X, params, sizes = check_X(X, params, copy=True)      # the trace's own copies of X and the params
    activations = layer_activations(activation, len(sizes) - 1)
    trace = finite_trace(forward_pass_quietly(params, X, activations), params)
    return Trace(trace, params, activations, copy=False)


def forward_pass_quietly(params, X, activations):
    """forward_pass without numpy's overflow warnings: finite_trace names the layer that overflowed instead."""
    with np.errstate(over="ignore", invalid="ignore"):
        return forward_pass(params, X, activations)


def finite_trace(trace, params):
    """The trace, or a ValueError naming the first layer whose Z or f left the float64 range."""
    K = (len(trace) - 1) // 2
    if all_finite(*(trace[f"Z{i}"] for i in range(1, K + 1))) and all_finite(trace[f"f{K}"]):
        return trace
    for i in range(K):
        for key in (f"Z{i + 1}", f"f{i + 1}"):
            where = first_non_finite(trace[key])
            if where is not None:
                A, f = params[f"A{i}"], trace[f"f{i}"]
                raise ValueError(
                    f"{key}{list(where)} = {trace[key][where]}: layer {i + 1} overflows float64 (|value| > 1.8e308) "
                    f"although params and X are finite (largest |A{i}| = {np.abs(A).max():.3g}, |b{i}| = "
                    f"{np.abs(params[f'b{i}']).max():.3g}, |f{i}| = {np.abs(f).max():.3g}); scale X or A{i} down")
    return trace


def finite_gradients(grads):
    """The gradients, or a ValueError naming the first (from the output back) that left the float64 range."""
    if all_finite(*grads.values()):
        return grads
    for key in sorted(grads, key=lambda k: (-int(k[1:]), k)):
        where = first_non_finite(grads[key])
        if where is not None:
            raise ValueError(f"∂E/∂{key}{list(where)} = {grads[key][where]}: the backward pass overflows float64 "
                             f"at layer {int(key[1:]) + 1} although params, trace and Y are finite; scale the "
                             f"inputs or the weights down")
    return grads


def finite_cost(E):
    """E, or a ValueError when the total cost of finite inputs left the float64 range."""
    if not np.isfinite(E):
        raise ValueError(f"the total cost E = {E} overflows float64 (> 1.8e308) although params, X and Y are "
                         f"finite: outputs f_K far from Y (e.g. an identity output of huge Z); scale X or the "
                         f"weights down")
    return E


def output_cost(cost, activations):
    """The cost's name, after checking that the output layer suits it (each cross-entropy needs its own σ)."""
    cost = cost_name(cost)
    need = OUTPUT_ACTIVATION.get(cost)
    if need is not None and activations[-1] != need:
        what = "sigmoid outputs f_K in (0, 1)" if need == "sigmoid" else "a softmax output layer (f_K = softmax(Z_K))"
        raise ValueError(f"cost {cost!r} needs {what}; the output layer uses {activations[-1]!r} (pass "
                         f"activation=[…, {need!r}], one name per layer, to keep another hidden activation)")
    return cost


def backward_inputs(params, trace, Y, activation, cost):
    """Clean (params, trace, Y, activations, cost) for backward(), or an error naming what is wrong.

    A trace from forward() is trusted only for the params and activations it was computed from (it keeps a
    copy of both); any other dict is checked entry by entry.
    """
    if not isinstance(trace, dict):
        raise TypeError(f"trace must be the dict that forward() returns; got {type(trace).__name__}")
    if "f0" not in trace:
        raise ValueError(f"trace has no f0 (keys: {', '.join(map(repr, trace))}); pass the dict that "
                         f"forward(params, X) returns")
    f0 = trace["f0"]
    ours = isinstance(trace, Trace) and not any(value.flags.writeable for value in trace.values())
    params, sizes = check_params(params, X_shape=np.shape(f0) if np.ndim(f0) == 2 else None, finite=not ours)
    K = len(sizes) - 1
    activations = layer_activations(activation, K)
    cost = output_cost(cost, activations)
    if ours:                                               # forward()'s own arrays: finite, and read-only since
        _same_forward(trace, params, sizes, activations)   # params equal to its copy are finite too
    else:
        trace = check_trace(trace, sizes)
    Y = check_Y(Y, sizes, trace["f0"].shape[1], cost)
    return params, trace, Y, activations, cost


def _same_forward(trace, params, sizes, activations):
    """Refuse a Trace whose shapes, params or activations are not those of this call."""
    if set(trace) != set(trace_keys(len(sizes) - 1)) or set(trace.params) != set(params):
        check_trace(trace, sizes)                          # raises, naming the missing or extra entries
    for key in trace_keys(len(sizes) - 1):
        n = sizes[int(key[1:])]
        if trace[key].shape[0] != n:
            check_trace(trace, sizes)                      # raises, naming the entry and both shapes
    for key, value in params.items():
        then = trace.params[key]
        if value.shape != then.shape or not np.array_equal(value, then):
            where = first_non_finite(value) if value.shape == then.shape else None
            if where is not None:
                raise ValueError(f"{key} {shape_str(value.shape)} has a non-finite entry {key}{list(where)} = "
                                 f"{value[where]}; every entry must be a finite number")
            detail = ""
            if value.shape == then.shape:
                index = tuple(int(j) for j in np.argwhere(value != then)[0])
                detail = f" (first at {key}{list(index)}: {value[index]:.6g} now, {then[index]:.6g} in the trace)"
            raise ValueError(f"params changed since forward(): {key} differs from the {key} that this trace was "
                             f"computed from{detail}; run trace = forward(params, X) again")
    if tuple(activations) != trace.activations:
        raise ValueError(f"this trace was computed with activation {list(trace.activations)} but backward was "
                         f"called with {list(activations)}; pass the same activation to forward and backward")
