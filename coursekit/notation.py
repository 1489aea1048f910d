"""The lecture's symbols and shapes: every input is turned into float64 here, or refused by name with the fix.

Conventions (the notation table): X = f0 is (n0, R) with one example per column; A_i is (n_{i+1}, n_i); b_i is
a column (n_{i+1}, 1); Z_i and f_i are (n_i, R); Y is (n_K, R). These checks run once, at the public boundary
(forward, backward, total_cost, gradient_descent, …); the formulas behind them assume clean input.
"""
import math
import numbers
import weakref

import numpy as np

FLOAT = np.dtype(np.float64)
MEMORY_LIMIT = 2 * 10**9     # bytes: coursekit refuses a request whose float64 arrays would need more at once


def shape_str(shape):
    """(3, 1) as '(3, 1)' and (3,) as '(3,)', the way numpy prints shapes."""
    return str(tuple(int(s) for s in shape))


def describe(value):
    """A short description of a value for an error message: its repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


# ---- numbers: η, h, noise, seeds, counts ----------------------------------------------------------------

def check_number(name, value, low=-math.inf, high=math.inf, low_open=False, high_open=False, fix=""):
    """A real, finite number in [low, high] (open ends where asked) as a float; ValueError/TypeError naming it."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number; got {describe(value)} of type {type(value).__name__}"
                            + (f" ({fix})" if fix else ""))
    value = float(value)
    inside = (low < value if low_open else low <= value) and (value < high if high_open else value <= high)
    if not math.isfinite(value) or not inside:
        if low > -math.inf and high < math.inf:
            where = f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        elif low > -math.inf:
            where = f"{'>' if low_open else '≥'} {low:g}"
        elif high < math.inf:
            where = f"{'<' if high_open else '≤'} {high:g}"
        else:
            where = "finite"
        raise ValueError(f"{name} must be a finite number {where}; got {value!r}" + (f" ({fix})" if fix else ""))
    return value


def check_count(name, value, least=0, most=None):
    """A whole number ≥ least (and ≤ most) such as R, N, steps, as an int; ValueError naming it otherwise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number ≥ {least}; got {describe(value)}"
                         + (" (a float: write it without the decimal point)" if isinstance(value, float)
                            and value.is_integer() else ""))
    if value < least or (most is not None and value > most):
        bound = f"from {least} to {most}" if most is not None else f"≥ {least}"
        raise ValueError(f"{name} must be a whole number {bound}; got {value!r}")
    return int(value)


def check_seed(seed, name="seed"):
    """A seed for np.random.default_rng: a whole number ≥ 0, so that the same seed gives the same numbers."""
    return check_count(name, seed, 0)


def check_step(h, name="the step h"):
    """A finite step h > 0 for central differences."""
    return check_number(name, h, 0.0, low_open=True, fix="central differences need a small positive step, "
                                                          "e.g. h = 1e-5")


def check_choice(kind, name, valid):
    """Refuse an unknown activation (or scheme, approach, …) by name, listing the valid names."""
    if not isinstance(name, str) or name not in valid:
        raise ValueError(f"unknown {kind} {describe(name)}; valid names: {', '.join(repr(v) for v in valid)}")
    return name


def check_memory(what, floats, fix=""):
    """Refuse a request whose float64 arrays would need more than MEMORY_LIMIT bytes, saying how much."""
    need = 8.0 * floats
    if need > MEMORY_LIMIT:
        raise ValueError(f"{what} would need {need / 1e9:,.1f} GB of float64 arrays, more than the "
                         f"{MEMORY_LIMIT / 1e9:g} GB that coursekit allows at once" + (f"; {fix}" if fix else ""))


# ---- arrays ------------------------------------------------------------------------------------------

def as_float(symbol, value):
    """value as a float64 array; TypeError naming `symbol` if it is not real numbers.

    np.matrix is converted to a plain array (its * would be a matrix product); a masked array is refused if any
    entry is masked (its mask would be dropped silently), else its data are used.
    """
    if type(value) is np.ndarray and value.dtype is FLOAT:
        return value
    if value is None:
        raise TypeError(f"{symbol} must be a numeric array; got None")
    if isinstance(value, np.ma.MaskedArray):
        if np.ma.getmaskarray(value).any():
            where = tuple(int(i) for i in np.argwhere(np.ma.getmaskarray(value))[0])
            raise TypeError(f"{symbol} is a masked array with masked entries (first {symbol}{list(where)}); "
                            f"coursekit does not drop masks silently: pass {symbol}.filled(value) or remove the "
                            f"masked examples")
        value = np.ma.getdata(value)
    if isinstance(value, np.matrix):
        value = np.asarray(value)                            # np.matrix → a plain 2-D array, explicitly
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{symbol} must be a numeric array; got the string {describe(value)}")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:                 # ragged nested lists
        raise TypeError(f"{symbol} must be a numeric array with rows of equal length; got a ragged "
                        f"{type(value).__name__} ({error})") from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{symbol} must hold real numbers; got {type(value).__name__} of dtype {array.dtype}")
    if np.iscomplexobj(array):
        raise TypeError(f"{symbol} must hold real numbers; got complex dtype {array.dtype}")
    return array.astype(np.float64)


def first_non_finite(array):
    """The index of the first NaN or ±inf entry of array, as a tuple, or None."""
    bad = np.argwhere(~np.isfinite(array))
    return tuple(int(i) for i in bad[0]) if bad.size else None


def all_finite(*arrays):
    """True when no entry of any array is NaN or ±inf: one sum over them all first (no temporary), and only when
    that is not finite (a NaN, an inf, or finite entries whose sum overflows) entry by entry."""
    total = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for a in arrays:                                     # large arrays by a plain sum: BLAS would wake threads
            total += np.vdot(a, a) if a.size < 8192 and a.flags.c_contiguous else np.add.reduce(a, axis=None)
    return math.isfinite(total) or all(np.isfinite(a).all() for a in arrays)


def check_finite(symbol, array):
    """Refuse NaN or ±inf anywhere in `array`, naming the first bad entry."""
    if not all_finite(array):
        where = first_non_finite(array)
        raise ValueError(
            f"{symbol} {shape_str(array.shape)} has a non-finite entry {symbol}{list(where)} = {array[where]}; "
            f"every entry must be a finite number")
    return array


def as_matrix(symbol, value, shape=None, meaning=""):
    """value as a finite float64 2-D array; with `shape` (None = any size) it must match exactly."""
    array = as_float(symbol, value)
    if array.ndim != 2:
        want = shape_str(tuple("n" if s is None else s for s in shape)) if shape else "(rows, columns)"
        want = want.replace("'", "")
        raise ValueError(
            f"{symbol} must be a 2-D matrix of shape {want}{meaning}; got shape {shape_str(array.shape)}"
            + (" (a 1-D array would broadcast silently; use a column, e.g. x.reshape(-1, 1))"
               if array.ndim == 1 else ""))
    if shape is not None and any(w is not None and w != g for w, g in zip(shape, array.shape)):
        want = str(tuple("R" if s is None else s for s in shape)).replace("'", "")
        raise ValueError(f"{symbol} must have shape {want}{meaning}; got {shape_str(array.shape)}")
    return check_finite(symbol, array)


def read_only(array):
    """The array, no longer writeable (numpy raises "read-only" on any in-place change)."""
    array.flags.writeable = False
    return array


_SNAPSHOTS = {}    # id(array) → (weak reference to the array, its read-only copy), for large arrays


def snapshot(symbol, array):
    """A read-only copy of the array, checked finite (naming `symbol`); for a large array unchanged since its
    last snapshot, that same copy.

    forward() keeps such copies of X and the params in its trace. Called again and again on the same arrays
    (a training loop, a benchmark), it compares instead of copying: no new memory for the kernel to map.
    """
    if array.size < 1 << 15:
        return read_only(check_finite(symbol, array.copy()))
    known = _SNAPSHOTS.get(id(array))
    if known is not None and known[0]() is array and known[1].shape == array.shape \
            and np.array_equal(array, known[1]):
        return known[1]                                     # equal to a copy that was checked finite
    copy = read_only(check_finite(symbol, array.copy()))
    if len(_SNAPSHOTS) >= 64:
        _SNAPSHOTS.clear()
    _SNAPSHOTS[id(array)] = (weakref.ref(array), copy)
    return copy


# ---- the network's inputs: sizes, params A_i and b_i, X = f0, Y, a forward trace ------------------------

def check_sizes(sizes):
    """Layer sizes [n0, …, nK] as a list of positive ints (K ≥ 1), whose parameters fit in memory."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer sizes [n0, n1, …, nK]; got {describe(sizes)}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes [n0, …, nK] needs at least an input and an output size; got {sizes}")
    for i, n in enumerate(sizes):
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"layer size n{i} must be an integer; got {n!r} in {sizes}")
        if n < 1:
            raise ValueError(f"layer size n{i} = {n} in {sizes}: every layer needs at least one unit")
    sizes = [int(n) for n in sizes]
    check_memory(f"the parameters of a {'-'.join(map(str, sizes))} network",
                 sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])), "use smaller layers")
    return sizes


_KEYS = {}     # tuple of params keys → K, for keys already found right


def layer_count(params):
    """K, the number of layers, from keys A0, b0, …, A{K−1}, b{K−1}; refuses missing or extra keys."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict {{'A0': …, 'b0': …}}; got {type(params).__name__}")
    keys = tuple(params)
    if keys in _KEYS:
        return _KEYS[keys]
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
    if len(_KEYS) < 1000:
        _KEYS[keys] = K
    return K


def _sizes_by_vote(witnesses):
    """Each layer size n_i from the arrays that touch it, witnesses[i] = [(array name, size it says), …].

    A size most witnesses agree on wins; on a tie, an array already found wrong elsewhere is not believed,
    and then the earliest witness wins (A before b before X). Returns the sizes and the names found wrong.
    """
    sizes, wrong = [None] * len(witnesses), set()
    for tie_pass in (False, True):
        for i, said in enumerate(witnesses):
            if sizes[i] is not None:
                continue
            trusted = [(name, n) for name, n in said if name not in wrong] if tie_pass else said
            counts = {}
            for _, n in trusted or said:
                counts[n] = counts.get(n, 0) + 1
            best = max(counts.values())
            if not tie_pass and list(counts.values()).count(best) > 1:
                continue                                   # a tie: decide after the clear cases
            sizes[i] = next(n for _, n in (trusted or said) if counts[n] == best)
            wrong |= {name for name, n in said if n != sizes[i]}
    return sizes, wrong


def check_params(params, X_shape=None, finite=True, copy=False):
    """Validated float64 params and the layer sizes [n0, …, nK] (finite=False: the caller checks finiteness;
    copy=True: every array returned is a read-only copy, never the caller's).

    Each size n_i is what the arrays that touch it say (A_{i−1}'s rows, b_{i−1}'s rows, A_i's columns, and
    X's rows for n0), so that the error names the array that disagrees: a wrong b0 blames b0, not A0.
    """
    K = layer_count(params)
    clean = {}
    for i in range(K):
        A, b = as_float(f"A{i}", params[f"A{i}"]), as_float(f"b{i}", params[f"b{i}"])
        if A.ndim != 2:
            raise ValueError(f"A{i} must be a 2-D matrix (n{i + 1}, n{i}); got shape {shape_str(A.shape)}"
                             + (" (a 1-D array would broadcast silently)" if A.ndim == 1 else ""))
        if b.ndim != 2 or b.shape[1] != 1:
            n_out = b.shape[0] if b.ndim == 2 and b.shape[1] == 1 else A.shape[0]
            raise ValueError(
                f"b{i} must be a column of shape ({n_out}, 1), one bias per unit of Z{i + 1}; "
                f"got {shape_str(b.shape)}" + (" (a 1-D bias would broadcast silently)" if b.ndim == 1 else ""))
        clean[f"A{i}"], clean[f"b{i}"] = A, b
    sizes = [clean["A0"].shape[1]] + [clean[f"A{i}"].shape[0] for i in range(K)]
    agree = all(clean[f"A{i}"].shape[1] == sizes[i] and clean[f"b{i}"].shape[0] == sizes[i + 1] for i in range(K))
    if not agree or (X_shape is not None and X_shape[0] != sizes[0]):
        witnesses = [[] for _ in range(K + 1)]              # someone disagrees: find who, by what the others say
        for i in range(K):
            witnesses[i].append((f"A{i}", clean[f"A{i}"].shape[1]))
            witnesses[i + 1] += [(f"A{i}", clean[f"A{i}"].shape[0]), (f"b{i}", clean[f"b{i}"].shape[0])]
        if X_shape is not None:
            witnesses[0].append(("X", X_shape[0]))
        sizes, _ = _sizes_by_vote(witnesses)
    for i, n in enumerate(sizes):
        if n == 0:
            raise ValueError(f"layer size n{i} = 0 (sizes {sizes}): every layer needs at least one unit")
    for i in range(K):
        A, b, want = clean[f"A{i}"], clean[f"b{i}"], (sizes[i + 1], sizes[i])
        if A.shape != want:
            raise ValueError(
                f"A{i} must have shape {shape_str(want)} to map f{i} ({sizes[i]}, R) to Z{i + 1} "
                f"({sizes[i + 1]}, R); got {shape_str(A.shape)}")
        if b.shape[0] != sizes[i + 1]:
            raise ValueError(
                f"b{i} must have shape ({sizes[i + 1]}, 1), one bias per unit of Z{i + 1} (n{i + 1} = "
                f"{sizes[i + 1]}, like the rows of A{i} {shape_str(A.shape)}); got {shape_str(b.shape)}")
    if X_shape is not None and X_shape[0] != sizes[0]:
        raise ValueError(
            f"X (= f0) must have n0 = {sizes[0]} rows, one per input, to match A0 {shape_str(clean['A0'].shape)}; "
            f"got X of shape {shape_str(X_shape)}" + (" (examples go in columns: try X.T)"
                                                      if X_shape[1] == sizes[0] else ""))
    for key, value in clean.items():
        if copy:
            clean[key] = snapshot(key, value)               # checked finite as it is copied
        elif finite:
            check_finite(key, value)
    return clean, sizes


def check_X(X, params, copy=False):
    """X = f0 as a float64 (n0, R) matrix that A0 can multiply, with the validated params and sizes.

    copy=True: X and the params returned are read-only copies, never the caller's (forward's trace keeps them).
    """
    X = as_float("X", X)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D matrix of shape (n0, R): one example per column; got shape "
                         f"{shape_str(X.shape)}" + (" (a 1-D array would broadcast silently; use a column, "
                                                    "e.g. x.reshape(-1, 1))" if X.ndim == 1 else ""))
    if X.shape[1] == 0:
        raise ValueError(f"X has shape {shape_str(X.shape)}: it needs at least one example (column)")
    params, sizes = check_params(params, X_shape=X.shape, copy=copy)
    X = snapshot("X", X) if copy else check_finite("X", X)
    check_memory(f"the forward pass of a {'-'.join(map(str, sizes))} network over R = {X.shape[1]:,} examples",
                 2 * X.shape[1] * sum(sizes), "pass fewer examples at a time")
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


def trace_keys(K):
    """["f0", "Z1", "f1", …, "ZK", "fK"]: the entries of a forward trace through K layers."""
    return ["f0"] + [f"{s}{i}" for i in range(1, K + 1) for s in "Zf"]


def check_trace(trace, sizes):
    """The trace of a forward pass through a network of these sizes, as a dict of finite float64 matrices."""
    if not isinstance(trace, dict):
        raise TypeError(f"trace must be the dict that forward() returns; got {type(trace).__name__}")
    K = len(sizes) - 1
    expected = trace_keys(K)
    if set(trace) != set(expected):
        missing = [k for k in expected if k not in trace]
        extra = sorted(map(str, set(trace) - set(expected)))
        raise ValueError(
            f"trace does not match params: params describe K = {K} layers (sizes {sizes}), so the trace needs "
            f"{', '.join(expected)}" + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unexpected {', '.join(map(repr, extra))}" if extra else ""))
    f0 = as_float("trace f0", trace["f0"])
    R = f0.shape[1] if f0.ndim == 2 else None
    clean = {}
    for key in expected:
        n = sizes[int(key[1:])]
        value = as_float(f"trace {key}", trace[key])
        if value.shape != (n, R):
            source = "X has" if key == "f0" else f"A{int(key[1:]) - 1} gives"
            raise ValueError(f"trace does not match params: trace {key} has shape {shape_str(value.shape)} "
                             f"but {source} {key} of shape ({n}, {R})")
        clean[key] = check_finite(key, value)
    return clean
