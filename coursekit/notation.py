"""The lecture's symbols and shapes: every input is turned into float64 here, or refused by name.

Conventions (DESIGN.md's notation table): X = f0 is (n0, R) with one example per column; A_i is
(n_{i+1}, n_i); b_i is a column (n_{i+1}, 1); Z_i and f_i are (n_i, R); Y is (n_K, R).
"""
import math

import numpy as np

FLOAT = np.dtype(np.float64)


def shape_str(shape):
    """(3, 1) as '(3, 1)' and (3,) as '(3,)', the way numpy prints shapes."""
    return str(tuple(shape))


def as_float(symbol, value):
    """value as a float64 array; TypeError naming `symbol` if it is not real numbers."""
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        return value
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise TypeError(f"{symbol} must be a numeric array; got a ragged {type(value).__name__} ({error})")
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{symbol} must hold real numbers; got {type(value).__name__} of dtype {array.dtype}")
    if np.iscomplexobj(array):
        raise TypeError(f"{symbol} must hold real numbers; got complex dtype {array.dtype}")
    return array.astype(np.float64)


def check_finite(symbol, array):
    """Refuse NaN or ±inf anywhere in `array`, naming the first bad entry."""
    if not np.isfinite(array).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(
            f"{symbol} {shape_str(array.shape)} has a non-finite entry {symbol}{list(where)} = {array[where]}; "
            f"every entry must be a finite number")
    return array


def as_matrix(symbol, value, shape=None, meaning=""):
    """value as a finite float64 2-D array; with `shape` (None = any size) it must match exactly."""
    array = check_finite(symbol, as_float(symbol, value))
    if array.ndim != 2:
        want = shape_str(tuple("n" if s is None else s for s in shape)) if shape else "(rows, columns)"
        raise ValueError(
            f"{symbol} must be a 2-D matrix of shape {want}{meaning}; got shape {shape_str(array.shape)}"
            + (" (a 1-D array would broadcast silently; use a column, e.g. x.reshape(-1, 1))"
               if array.ndim == 1 else ""))
    if shape is not None and any(w is not None and w != g for w, g in zip(shape, array.shape)):
        want = shape_str(tuple("R" if s is None else s for s in shape))
        raise ValueError(f"{symbol} must have shape {want}{meaning}; got {shape_str(array.shape)}")
    return array


def check_count(name, value, least=0):
    """A whole number ≥ least (R, N, steps, …) as an int; ValueError naming it otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
        raise ValueError(f"{name} must be a whole number ≥ {least}; got {value!r}")
    return int(value)


def check_choice(kind, name, valid):
    """Refuse an unknown activation or cost, listing the valid names."""
    if name not in valid:
        raise ValueError(f"unknown {kind} {name!r}; valid names: {', '.join(repr(v) for v in valid)}")
    return name


# ---- the network's inputs: sizes, params A_i and b_i, X = f0, Y, a forward trace ------------------------

_LAYER_KEYS = {}


def layer_keys(K):
    """(("A0", "b0", "f0", "Z1", "f1"), …): the keys that layer i reads and writes, built once per K."""
    keys = _LAYER_KEYS.get(K)
    if keys is None:
        keys = _LAYER_KEYS[K] = tuple((f"A{i}", f"b{i}", f"f{i}", f"Z{i + 1}", f"f{i + 1}") for i in range(K))
    return keys


def is_float_matrix(value):
    """True for a float64 numpy matrix (2-D), the form every check below lets straight through."""
    return type(value) is np.ndarray and value.dtype is FLOAT and value.ndim == 2


def plain_sizes(params, n0):
    """[n0, …, nK] when params already is a dict of float64 A_i (n_{i+1}, n_i) and b_i (n_{i+1}, 1), else None.

    This is the common case and costs a few attribute reads per layer; anything else (lists, integers, a wrong
    key or shape) returns None, and the caller runs the full check, which converts the input or names the error.
    """
    if type(params) is not dict or len(params) % 2:
        return None
    sizes = [n0]
    try:
        for kA, kb, *_ in layer_keys(len(params) // 2):
            A, b = params[kA], params[kb]
            if not (is_float_matrix(A) and is_float_matrix(b) and A.shape[1] == sizes[-1] and A.shape[0]
                    and b.shape == (A.shape[0], 1)):
                return None
            sizes.append(A.shape[0])
    except KeyError:
        return None
    return sizes if len(sizes) > 1 else None


def all_finite(*arrays):
    """True when no entry of any array is NaN or ±inf (either makes the sum of squares non-finite)."""
    total = 0.0
    for array in arrays:
        total += np.vdot(array, array)
    return math.isfinite(total)


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
    """Y as a float64 (n_K, R) matrix; cross-entropy targets are probabilities (see costs.py)."""
    K = len(sizes) - 1
    Y = as_matrix("Y", Y, shape=(sizes[-1], R),
                  meaning=f" like f{K} (n{K} = {sizes[-1]} outputs by R = {R} examples)")
    if cost in ("cross_entropy", "binary_cross_entropy", "categorical_cross_entropy"):
        name = "categorical_cross_entropy" if cost == "categorical_cross_entropy" else "binary_cross_entropy"
        if ((Y < 0) | (Y > 1)).any():
            where = tuple(int(i) for i in np.argwhere((Y < 0) | (Y > 1))[0])
            raise ValueError(f"{name} needs targets Y in [0, 1] (probabilities); got Y{list(where)} = "
                             f"{Y[where]} in Y of shape {shape_str(Y.shape)}")
    if cost == "categorical_cross_entropy":
        if Y.shape[0] < 2:
            raise ValueError(f"categorical_cross_entropy needs n{K} ≥ 2 classes (a softmax over one output is "
                             f"always 1); for two classes with one output use cost='binary_cross_entropy'")
        sums = Y.sum(axis=0)
        bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-9)
        if bad.size:
            r = int(bad[0])
            raise ValueError(f"categorical_cross_entropy needs each column of Y to be a probability vector over "
                             f"the n{K} = {Y.shape[0]} classes, usually one-hot (entries in [0, 1] summing to 1); "
                             f"column r = {r} of Y sums to {sums[r]:.6g}")
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
