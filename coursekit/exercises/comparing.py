"""Comparing an answer with the reference: its structure (type, keys, shape, NaN), its values, and its inputs
before and after the call."""
import math
import numbers

import numpy as np


def _changed(before, after, path=""):
    """Path of the first entry that differs between a snapshot and the same object after a call, or None.

    Round-off is not a change: an x[i] perturbed by h and put back (−1.2 + h − h = −1.1999999999999997) is
    the same within 1e-12 relative.
    """
    try:
        if isinstance(before, np.ndarray):
            if not isinstance(after, np.ndarray) or before.shape != after.shape:
                return path
            if before.dtype.kind in "fc" or after.dtype.kind in "fc":
                same = np.isclose(after, before, rtol=1e-12, atol=1e-300, equal_nan=True)
            else:
                same = before == after
            if not np.all(same):
                where = np.argwhere(~np.asarray(same))
                return path + (_index(where[0]) if len(where) else "")
            return None
        if isinstance(before, dict):
            if not isinstance(after, dict) or set(before) != set(after):
                return path
            for key in before:
                found = _changed(before[key], after[key], f"{path}[{key!r}]")
                if found is not None:
                    return found
            return None
        if isinstance(before, (list, tuple)):
            if type(before) is not type(after) or len(before) != len(after):
                return path
            for i, (b, a) in enumerate(zip(before, after)):
                found = _changed(b, a, f"{path}[{i}]")
                if found is not None:
                    return found
            return None
        if isinstance(before, numbers.Number):
            if not isinstance(after, numbers.Number):
                return path
            if before == after or (before != before and after != after):
                return None
            return None if abs(after - before) <= 1e-12 * abs(before) else path
    except Exception:
        return path
    return None


def _index(where):
    return "[" + ", ".join(str(int(i)) for i in where) + "]"


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _as_array(value):
    """A float64 array from an array-like of real numbers, or None."""
    if isinstance(value, (str, bytes, dict)) or value is None:
        return None
    try:
        array = np.asarray(value)
    except Exception:
        return None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_) \
            or np.iscomplexobj(array):
        return None
    return array.astype(np.float64)


def _close(answer, expected, rtol, atol):
    """True when answer has expected's structure and agrees with it to the tolerance (no type strictness)."""
    try:
        if isinstance(expected, dict):
            return isinstance(answer, dict) and set(answer) == set(expected) and \
                all(_close(answer[k], expected[k], rtol, atol) for k in expected)
        if isinstance(expected, (tuple, list)):
            return isinstance(answer, (tuple, list)) and len(answer) == len(expected) and \
                all(_close(a, e, rtol, atol) for a, e in zip(answer, expected))
        a, e = _as_array(answer), np.asarray(expected, dtype=np.float64)
        if a is None or a.shape != e.shape or not np.isfinite(a).all():
            return False
        scale = max(1.0, float(np.max(np.abs(e)))) if e.size else 1.0
        return bool(np.allclose(a, e, rtol=rtol, atol=atol * scale))
    except Exception:
        return False


class _Problem:
    """A structural problem of an answer: kind, the path of the bad part, a sentence, and that sentence's
    predicate without the part's name (detail), for grouping parts that share a problem."""

    def __init__(self, kind, path, text, detail):
        self.kind, self.path, self.text, self.detail = kind, path, text, detail


def _problem(what, kind, path, text):
    detail = text[len(what):].lstrip() if text.startswith(what) else text
    return _Problem(kind, path, text, detail)


def _type_name(value):
    from .wire import Unsupported

    if isinstance(value, Unsupported):
        return value.type_name
    if isinstance(value, np.ndarray):
        return "a 0-d numpy array" if value.ndim == 0 else f"a numpy array of shape {tuple(value.shape)}"
    if value is None:
        return "None"
    return f"a {type(value).__name__}"


def _structure(answer, expected, path, describe):
    """The first structural problem of `answer` against the template `expected`, or None."""
    what = describe(path)
    if answer is None:
        return _problem(what, "returns_none", path, f"{what} is None" if path else "returned None: did you forget the "
                                                                             "return statement?")
    if isinstance(expected, dict):
        if not isinstance(answer, dict):
            return _problem(what, "wrong_type", path, f"{what} is {_type_name(answer)}; it must be a dict with keys "
                                                f"{', '.join(map(repr, expected))}")
        missing = [k for k in expected if k not in answer]
        extra = [k for k in answer if k not in expected]
        if missing or extra:
            text = f"{what} " + "; ".join(
                ([f"lacks the key{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}"]
                 if missing else []) +
                ([f"has the unexpected key{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra[:5]))}"]
                 if extra else []))
            return _problem(what, "wrong_keys", path, text + f" (the keys are {', '.join(map(repr, expected))})")
        for key in expected:
            problem = _structure(answer[key], expected[key], path + (key,), describe)
            if problem:
                return problem
        return None
    if isinstance(expected, tuple):
        if not isinstance(answer, (tuple, list)) or len(answer) != len(expected):
            size = f" of length {len(answer)}" if isinstance(answer, (tuple, list)) else ""
            names = ", ".join(describe((i,)) for i in range(len(expected)))
            return _problem(what, "wrong_type", path, f"{what} is {_type_name(answer)}{size}; return a tuple of "
                                                      f"{len(expected)} ({names})")
        for i, e in enumerate(expected):
            problem = _structure(answer[i], e, path + (i,), describe)
            if problem:
                return problem
        return None
    if isinstance(expected, float):                      # a scalar answer: int, float, NumPy scalar, 0-d array
        if _is_real(answer):
            if not math.isfinite(float(answer)):
                return _problem(what, "nan", path, f"{what} is {float(answer)}: " + _NAN_HINT)
            return None
        array = _as_array(answer)
        if array is not None and array.ndim == 0:
            if not math.isfinite(float(array)):
                return _problem(what, "nan", path, f"{what} is {float(array)}: " + _NAN_HINT)
            return None
        if array is not None and array.size == 1:
            return _problem(what, "not_a_number", path, f"{what} is {_type_name(answer)}; return a plain number, "
                                                        f"e.g. with .item() or float(…)")
        return _problem(what, "wrong_type", path, f"{what} is {_type_name(answer)}; it must be a single number")
    # an array answer
    array = _as_array(answer)
    if array is None:
        return _problem(what, "wrong_type", path, f"{what} is {_type_name(answer)}; it must be a numpy array of shape "
                                            f"{tuple(expected.shape)}")
    if array.shape != expected.shape:
        return _shape_problem(array, expected, path, what)
    bad = np.argwhere(~np.isfinite(array))
    if len(bad):
        value = array[tuple(bad[0])]
        return _problem(what, "nan", path, f"{what} contains {'NaN' if np.isnan(value) else value} (at "
                                     f"{_index(bad[0])}): " + _NAN_HINT)
    return None


_NAN_HINT = ("a NaN or inf comes from 0/0, ∞ − ∞, log of 0 or of a negative number, or an overflow (np.exp of "
             "a large number); print the intermediate values to find the first one that goes wrong")


def _shape_problem(array, expected, path, what):
    got, want = tuple(array.shape), tuple(expected.shape)
    if array.ndim == 2 and got == want[::-1] and len(want) == 2:
        if want[0] == 1:
            return _problem(what, "column_not_row", path, f"{what} is a column of shape {got}; it must be a row of "
                                                    f"shape {want} (numerator layout: the gradient of a scalar "
                                                    f"is a row, (5.40))")
        if np.allclose(array.T, expected, rtol=1e-6, atol=1e-9 * max(1.0, float(np.max(np.abs(expected))))):
            return _problem(what, "transposed", path, f"{what} has the right numbers but transposed: shape {got} "
                                                f"instead of {want}")
        return _problem(what, "wrong_shape", path, f"{what} has shape {got}, the transpose of the required {want}")
    if array.size == expected.size:
        hint = " (a 1-D array: make it 2-D, e.g. with .reshape" + f"{want})" if array.ndim == 1 else ""
        right = np.allclose(array.reshape(want), expected, rtol=1e-6,
                            atol=1e-9 * max(1.0, float(np.max(np.abs(expected))) if expected.size else 1.0))
        return _problem(what, "wrong_shape", path, f"{what} has shape {got} instead of {want}{hint}"
                        + ("; the numbers themselves are right" if right else ""))
    return _problem(what, "wrong_shape", path, f"{what} has shape {got}; it must have shape {want}")


def _first_mismatch(answer, expected, rtol, atol):
    """(index, student's value) of the largest disagreement of two arrays, never the expected value.

    (None, None) when they cannot be compared entry by entry (different shapes, or not arrays at all).
    """
    try:
        a = _as_array(answer)
        e = np.asarray(expected, dtype=np.float64)
    except Exception:
        return None, None
    if a is None or a.shape != e.shape:
        return None, None
    if a.ndim == 0:
        return "", float(a)
    if not a.size:
        return None, None
    scale = max(1.0, float(np.max(np.abs(e))))
    with np.errstate(all="ignore"):
        error = np.abs(a - e) - (atol * scale + rtol * np.abs(e))
    error = np.where(np.isnan(error), np.inf, error)
    where = np.unravel_index(int(np.argmax(error)), a.shape)
    return _index(where), float(a[where])


def _tight(answer, expected, tol):
    """True when every array leaf agrees with expected's to tol times that leaf's largest |entry| (round-off)."""
    try:
        if isinstance(expected, dict):
            return isinstance(answer, dict) and all(_tight(answer[k], expected[k], tol) for k in expected)
        if isinstance(expected, (tuple, list)):
            return all(_tight(a, e, tol) for a, e in zip(answer, expected))
        a, e = _as_array(answer), np.asarray(expected, dtype=np.float64)
        if a is None or a.shape != e.shape:
            return False
        scale = float(np.max(np.abs(e))) if e.size else 0.0
        return bool(np.all(np.abs(a - e) <= tol * scale + 1e-300))
    except Exception:
        return False
