"""The lecture's symbols and shapes: every input is turned into float64 here, or refused by name.

Conventions (DESIGN.md's notation table): X = f0 is (n0, R) with one example per column; A_i is
(n_{i+1}, n_i); b_i is a column (n_{i+1}, 1); Z_i and f_i are (n_i, R); Y is (n_K, R).
"""
import numpy as np


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


def check_choice(kind, name, valid):
    """Refuse an unknown activation or cost, listing the valid names."""
    if name not in valid:
        raise ValueError(f"unknown {kind} {name!r}; valid names: {', '.join(repr(v) for v in valid)}")
    return name
