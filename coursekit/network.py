"""The lecture's network: Forward Path, Backward Paths (1)–(4) and the Total Cost, for any number of layers.

    f0 = X,   Z_{i+1} = A_i f_i + b_i,   f_{i+1} = σ(Z_{i+1}),   E = Σ_r E^r(f_K, Y_r)     (5.112)–(5.113)

Shapes: X = f0 (n0, R), one example per column; A_i (n_{i+1}, n_i); b_i (n_{i+1}, 1); Z_i, f_i (n_i, R);
Y (n_K, R). Gradients ∂E/∂θ of the total cost are stored in the shape of θ.
"""
import numpy as np

from .activations import ACTIVATIONS, layer_activations
from .costs import cost_name, per_example_cost
from .notation import as_matrix, check_finite, as_float, shape_str


def init_params(sizes, seed=0):
    """Parameters for layer sizes [n0, …, nK]: A_i (n_{i+1}, n_i) ~ N(0, 1/n_i), b_i (n_{i+1}, 1) = 0."""
    sizes = check_sizes(sizes)
    rng = np.random.default_rng(seed)
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        params[f"A{i}"] = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
        params[f"b{i}"] = np.zeros((n_out, 1))
    return params


def check_sizes(sizes):
    """Layer sizes [n0, …, nK] as a list of positive ints (K ≥ 1)."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer sizes [n0, n1, …, nK]; got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes [n0, …, nK] needs at least an input and an output size; got {sizes}")
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"layer size n{i} must be an integer; got {n!r} in {sizes}")
        if n < 1:
            raise ValueError(f"layer size n{i} = {n} in {sizes}: every layer needs at least one unit")
    return [int(n) for n in sizes]


def check_params(params, n0=None):
    """Validated float64 params and the layer sizes [n0, …, nK]; n0 defaults to A0's column count."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict {{'A0': …, 'b0': …}}; got {type(params).__name__}")
    K = _layer_count(params)
    clean, sizes = {}, [None] * (K + 1)
    for i in range(K):
        A = as_float(f"A{i}", params[f"A{i}"])
        b = as_float(f"b{i}", params[f"b{i}"])
        if A.ndim != 2:
            raise ValueError(f"A{i} must be a 2-D matrix (n{i + 1}, n{i}); got shape {shape_str(A.shape)}")
        if b.ndim != 2 or b.shape[1] != 1:
            n_out = b.shape[0] if b.ndim == 2 and b.shape[1] == 1 else A.shape[0]
            raise ValueError(
                f"b{i} must be a column of shape ({n_out}, 1), one bias per unit of Z{i + 1}; "
                f"got {shape_str(b.shape)}" + (" (a 1-D bias would broadcast silently)" if b.ndim == 1 else ""))
        clean[f"A{i}"], clean[f"b{i}"] = check_finite(f"A{i}", A), check_finite(f"b{i}", b)
        sizes[i + 1] = b.shape[0]
    sizes[0] = clean["A0"].shape[1] if n0 is None else n0
    for i, n in enumerate(sizes):
        if n == 0:
            raise ValueError(f"layer size n{i} = 0 (sizes {sizes}): every layer needs at least one unit")
    for i in range(K):
        A, want = clean[f"A{i}"], (sizes[i + 1], sizes[i])
        if A.shape != want:
            raise ValueError(
                f"A{i} must have shape {shape_str(want)} to map f{i} ({sizes[i]}, R) to Z{i + 1} "
                f"({sizes[i + 1]}, R); got {shape_str(A.shape)}")
    return clean, sizes


def _layer_count(params):
    """K, the number of layers, from keys A0, b0, …, A{K−1}, b{K−1}; refuses missing or extra keys."""
    indices = set()
    for key in params:
        ok = isinstance(key, str) and len(key) > 1 and key[0] in "Ab" and key[1:].isdigit() \
            and str(int(key[1:])) == key[1:]
        if not ok:
            raise ValueError(f"params has an unexpected key {key!r}; the keys are A0, b0, A1, b1, … "
                             f"(weights A_i and biases b_i)")
        indices.add(int(key[1:]))
    if not indices:
        raise ValueError("params is empty; a network needs at least A0 and b0")
    K = max(indices) + 1
    expected = [f"{s}{i}" for i in range(K) for s in "Ab"]
    missing = [k for k in expected if k not in params]
    if missing:
        raise ValueError(f"params is missing {', '.join(missing)}: a network with K = {K} layers needs "
                         f"{', '.join(expected)}")
    return K


def check_X(X, params):
    """X = f0 as a float64 (n0, R) matrix that A0 can multiply, with the validated params and sizes."""
    X = as_matrix("X", X, meaning=" (n0, R): one example per column")
    if X.shape[1] == 0:
        raise ValueError(f"X has shape {shape_str(X.shape)}: it needs at least one example (column)")
    A0 = np.asarray(params.get("A0")) if isinstance(params, dict) else None
    if A0 is not None and A0.ndim == 2 and A0.shape[1] != X.shape[0] and \
            np.asarray(params.get("b0")).shape[:1] == A0.shape[:1]:
        raise ValueError(
            f"X (= f0) must have n0 = {A0.shape[1]} rows, one per input, to match A0 {shape_str(A0.shape)}; "
            f"got X of shape {shape_str(X.shape)}"
            + (" (examples go in columns: try X.T)" if X.shape[1] == A0.shape[1] else ""))
    params, sizes = check_params(params, n0=X.shape[0])
    return X, params, sizes


def check_Y(Y, sizes, R, cost="squared"):
    """Y as a float64 (n_K, R) matrix; cross-entropy targets must lie in [0, 1]."""
    K = len(sizes) - 1
    Y = as_matrix("Y", Y, shape=(sizes[-1], R),
                  meaning=f" like f{K} (n{K} = {sizes[-1]} outputs by R = {R} examples)")
    if cost_name(cost) == "cross_entropy" and ((Y < 0) | (Y > 1)).any():
        where = tuple(int(i) for i in np.argwhere((Y < 0) | (Y > 1))[0])
        raise ValueError(f"cross_entropy needs targets Y in [0, 1] (probabilities); got Y{list(where)} = "
                         f"{Y[where]} in Y of shape {shape_str(Y.shape)}")
    return Y


def check_trace(trace, sizes):
    """The trace of a forward pass through a network of these sizes; returns it as float64."""
    if not isinstance(trace, dict):
        raise TypeError(f"trace must be the dict that forward() returns; got {type(trace).__name__}")
    K = len(sizes) - 1
    expected = ["f0"] + [f"{s}{i}" for i in range(1, K + 1) for s in "Zf"]
    if set(trace) != set(expected):
        missing = [k for k in expected if k not in trace]
        extra = sorted(set(trace) - set(expected))
        raise ValueError(
            f"trace does not match params: params describe K = {K} layers (sizes {sizes}), so the trace needs "
            f"{', '.join(expected)}" + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unexpected {', '.join(map(repr, extra))}" if extra else ""))
    f0 = as_matrix("f0", trace["f0"])
    R = f0.shape[1]
    clean = {}
    for key in expected:
        n = sizes[int(key[1:])]
        value = as_matrix(f"trace {key}", trace[key])
        if value.shape != (n, R):
            source = "X has" if key == "f0" else f"A{int(key[1:]) - 1} gives"
            raise ValueError(f"trace does not match params: trace {key} has shape {shape_str(value.shape)} "
                             f"but {source} {key} of shape ({n}, {R})")
        clean[key] = value
    return clean


def _output_layer_check(cost, activations):
    if cost_name(cost) == "cross_entropy" and activations[-1] != "sigmoid":
        raise ValueError(f"cost 'cross_entropy' needs sigmoid outputs f_K in (0, 1); the output layer uses "
                         f"{activations[-1]!r} (pass activation=[…, 'sigmoid'] to keep another hidden activation)")


def forward(params, X, activation="sigmoid"):
    """Forward Path: {"f0", "Z1", "f1", …, "ZK", "fK"} for X (n0, R); each Z_i, f_i is (n_i, R)."""
    X, params, sizes = check_X(X, params)
    return forward_unchecked(params, X, layer_activations(activation, len(sizes) - 1))


def forward_unchecked(params, X, activations):
    """forward() on inputs already validated, with one activation name per layer."""
    trace = {"f0": X}
    f = X
    for i, name in enumerate(activations):
        Z = params[f"A{i}"] @ f + params[f"b{i}"]        # Z_{i+1} = A_i f_i + b_i
        f = ACTIVATIONS[name][0](Z)                        # f_{i+1} = σ(Z_{i+1})
        trace[f"Z{i + 1}"], trace[f"f{i + 1}"] = Z, f
    return trace


def output_delta(trace, Y, K, activation, cost):
    """δ_K = ∂E/∂Z_K as columns (n_K, R) for the named cost and output activation."""
    ZK, fK = trace[f"Z{K}"], trace[f"f{K}"]
    if cost == "cross_entropy":
        return fK - Y                                      # sigmoid + cross-entropy: σ' cancels
    return (fK - Y) * ACTIVATIONS[activation][1](ZK, fK)   # δ_K = (f_K − Y) ⊙ σ'(Z_K)


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
    _output_layer_check(cost, activations)
    Y = check_Y(Y, sizes, trace["f0"].shape[1], cost)
    return params, trace, Y, K, activations


def backward(params, trace, Y, activation="sigmoid", cost="squared"):
    """∂E/∂θ of the total cost for every A_i, b_i, each in its parameter's shape (vectorised δ form)."""
    params, trace, Y, K, activations = _checked(params, trace, Y, activation, cost)
    return backward_unchecked(params, trace, Y, activations, cost)


def backward_unchecked(params, trace, Y, activations, cost):
    """backward() on inputs already validated, with one activation name per layer."""
    K = len(activations)
    delta = output_delta(trace, Y, K, activations[-1], cost)
    grads = {}
    for i in reversed(range(K)):
        grads[f"A{i}"] = delta @ trace[f"f{i}"].T              # ∂E/∂A_i = Σ_r δ_{i+1} f_iᵀ
        grads[f"b{i}"] = delta.sum(axis=1, keepdims=True)      # ∂Z_{i+1}/∂b_i = I, summed over r
        if i > 0:
            sigma_prime = ACTIVATIONS[activations[i - 1]][1]
            # δ_i = (A_iᵀ δ_{i+1}) ⊙ σ'(Z_i): ∂Z_{i+1}/∂f_i = A_i, ∂f_i/∂Z_i = diag(σ'(Z_i))
            delta = (params[f"A{i}"].T @ delta) * sigma_prime(trace[f"Z{i}"], trace[f"f{i}"])
    return {key: grads[key] for key in params}


def dZ_dA(f, n_out):
    """The tensor ∂Z/∂A for Z = A f + b: (n_out, n_out, n_in) with [k, k, :] = fᵀ and zeros elsewhere."""
    T = np.zeros((n_out, n_out, f.size))
    for k in range(n_out):
        T[k, k, :] = f                                     # ∂Z_k/∂A_{k,:} = fᵀ, ∂Z_k/∂A_{j≠k,:} = 0 (5.90)–(5.91)
    return T


def backward_jacobians(params, trace, Y, activation="sigmoid", cost="squared"):
    """∂E/∂θ as the lecture writes it: explicit Jacobian products per example, Backward Paths (1)–(4).

    Slow on purpose: it builds every factor (diag(σ'(Z)), ∂Z/∂b = I, ∂Z/∂f = A, the ∂Z/∂A tensor) as a
    matrix and multiplies them left to right, (5.115)–(5.118). Equal to backward() to rounding.
    """
    params, trace, Y, K, activations = _checked(params, trace, Y, activation, cost)
    grads = {key: np.zeros_like(value) for key, value in params.items()}
    for r in range(Y.shape[1]):
        fK, y = trace[f"f{K}"][:, r], Y[:, r]
        row = (fK - y)[None, :]                            # ∂E^r/∂f_K = (f_K − Y)ᵀ, a 1 × n_K row
        for i in reversed(range(K)):
            Z, f_in = trace[f"Z{i + 1}"][:, r], trace[f"f{i}"][:, r]
            n_out = Z.size
            if i == K - 1 and cost == "cross_entropy":
                # ∂E^r/∂f_K = ((f_K − Y) / (f_K (1 − f_K)))ᵀ and diag(σ'(Z_K)) = diag(f_K (1 − f_K)):
                # their product is (f_K − Y)ᵀ entry by entry, which stays finite when σ saturates
                row_Z = row
            else:
                sigma_prime = ACTIVATIONS[activations[i]][1]
                D = np.diag(sigma_prime(Z, trace[f"f{i + 1}"][:, r]))    # ∂f_{i+1}/∂Z_{i+1} = diag(σ')
                row_Z = row @ D                                           # ∂E^r/∂Z_{i+1}, 1 × n_out
            grads[f"b{i}"] += (row_Z @ np.eye(n_out)).T                  # ∂Z_{i+1}/∂b_i = I
            grads[f"A{i}"] += np.tensordot(row_Z[0], dZ_dA(f_in, n_out), axes=1)  # row · ∂Z/∂A
            row = row_Z @ params[f"A{i}"]                                  # ∂Z_{i+1}/∂f_i = A_i
    return grads


def total_cost(params, X, Y, activation="sigmoid", cost="squared"):
    """Total Cost E = Σ_r E^r over the R columns of X (n0, R) and Y (n_K, R), as a float."""
    X, params, sizes = check_X(X, params)
    activations = layer_activations(activation, len(sizes) - 1)
    _output_layer_check(cost, activations)
    Y = check_Y(Y, sizes, X.shape[1], cost)
    return trace_cost(forward_unchecked(params, X, activations), Y, cost)


def trace_cost(trace, Y, cost):
    """E = Σ_r E^r from a forward trace (unchecked): cross-entropy uses Z_K for overflow safety."""
    K = (len(trace) - 1) // 2
    ZK = trace[f"Z{K}"] if cost == "cross_entropy" else None
    return float(np.sum(per_example_cost(cost, trace[f"f{K}"], Y, ZK)))


def layer_sizes(params):
    """[n0, …, nK] of a validated params dict."""
    return check_params(params)[1]
