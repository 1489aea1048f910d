"""Plain data across a process boundary: what an answer returned, as JSON, never as objects with code.

    encode(value) → bytes        decode(bytes) → value        (round trip for the types below)

Carried: None, bool, int, float (inf and NaN too), str, numpy arrays of real numbers or booleans (dtype,
shape and the float64 values), numpy scalars (as arrays of shape ()), lists, tuples, and dicts with string or
integer keys. Anything else becomes `Unsupported(type name, repr)`, so a checker can say what the answer
returned without running any of its code. `Formula` (a function given as Python source, e.g. the test
function of exercise 01) travels only from the judge to the sandbox: decode refuses it unless
`formulas=True`. decode never builds anything but these types, refuses more than MAX_BYTES, more than
MAX_DEPTH levels and more than MAX_ITEMS items, and raises WireError for anything malformed.
"""
import base64
import builtins
import json
import math

import numpy as np

MAX_BYTES = 64 * 2 ** 20          # one message
MAX_DEPTH = 32
MAX_ITEMS = 2_000_000             # array entries and container items in one message


class WireError(ValueError):
    """A message that is not well-formed data (too large, too deep, or of a shape the wire does not know)."""


class Unsupported:
    """A value of a type the wire does not carry: its type name and a short repr, for messages."""

    def __init__(self, type_name, text=""):
        self.type_name, self.text = str(type_name)[:100], str(text)[:200]

    def __repr__(self):
        return f"<{self.type_name}>"

    def __eq__(self, other):
        return isinstance(other, Unsupported) and (self.type_name, self.text) == (other.type_name, other.text)


_SAFE_BUILTINS = {name: getattr(builtins, name) for name in (
    "abs", "float", "int", "len", "max", "min", "range", "sum", "pow", "round", "tuple", "list")}


class Formula:
    """A function given by its Python source (an expression such as "lambda x: np.sin(x)"), with np and math."""

    def __init__(self, source, label=""):
        self.source, self.label = source, label
        self._function = eval(compile(source, "<formula>", "eval"), {"np": np, "math": math,
                                                                     "__builtins__": _SAFE_BUILTINS})

    def __call__(self, *args, **kwargs):
        return self._function(*args, **kwargs)

    def __repr__(self):
        return self.label or self.source

    def __deepcopy__(self, memo):
        return self          # immutable: a copy of the arguments may share it


def _encode(value, depth, budget):
    if depth > MAX_DEPTH:
        return {"$": "unsupported", "type": "a structure nested too deeply", "text": ""}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value if abs(value) < 2 ** 63 else {"$": "float", "v": _float(float(value))}
    if isinstance(value, float):
        return {"$": "float", "v": _float(value)} if not math.isfinite(value) else value
    if isinstance(value, Formula):
        return {"$": "formula", "source": value.source, "label": value.label}
    if isinstance(value, (np.ndarray, np.generic)) and not isinstance(value, np.ndarray):
        value = np.asarray(value)
    if isinstance(value, np.ndarray):
        if value.dtype == np.bool_:
            kind = "bool"
        elif np.issubdtype(value.dtype, np.integer) or np.issubdtype(value.dtype, np.floating):
            kind = "float"
        else:
            return {"$": "unsupported", "type": f"a numpy array of dtype {value.dtype}", "text": ""}
        budget[0] -= value.size
        if budget[0] < 0:
            raise WireError("the result is too large to send")
        data = np.ascontiguousarray(value, dtype=np.bool_ if kind == "bool" else "<f8")
        return {"$": "array", "kind": kind, "dtype": str(value.dtype), "shape": list(value.shape),
                "data": base64.b64encode(data.tobytes()).decode("ascii")}
    if isinstance(value, (list, tuple)):
        budget[0] -= len(value)
        if budget[0] < 0:
            raise WireError("the result is too large to send")
        items = [_encode(v, depth + 1, budget) for v in value]
        return {"$": "tuple" if isinstance(value, tuple) else "list", "items": items}
    if isinstance(value, dict):
        budget[0] -= len(value)
        if budget[0] < 0:
            raise WireError("the result is too large to send")
        if not all(isinstance(k, (str, int)) and not isinstance(k, bool) for k in value):
            return {"$": "unsupported", "type": "a dict with keys that are not strings", "text": ""}
        return {"$": "dict", "items": [[k, _encode(v, depth + 1, budget)] for k, v in value.items()]}
    try:
        text = repr(value)[:200]
    except Exception:
        text = ""
    return {"$": "unsupported", "type": f"a {type(value).__name__}", "text": text}


def _float(x):
    return "nan" if x != x else ("inf" if x > 0 else "-inf")


def encode(value):
    """Bytes of JSON for a value made of the carried types (others become Unsupported markers)."""
    text = json.dumps(_encode(value, 0, [MAX_ITEMS]), ensure_ascii=True, allow_nan=False)
    data = text.encode("ascii")
    if len(data) > MAX_BYTES:
        raise WireError(f"the result is too large to send ({len(data)} bytes)")
    return data


def _decode(node, depth, budget, formulas):
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if node is None or isinstance(node, (bool, str)):
        return node
    if isinstance(node, int):
        return node
    if isinstance(node, float):
        return node
    if isinstance(node, list):
        raise WireError("a bare list (lists travel as {'$': 'list'})")
    if not isinstance(node, dict) or not isinstance(node.get("$"), str):
        raise WireError("an object without a type tag")
    tag = node["$"]
    if tag == "float":
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[_field(node, "v", str)]
    if tag == "array":
        shape = _field(node, "shape", list)
        if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n for n in shape) or len(shape) > 32:
            raise WireError("a bad array shape")
        size = math.prod(shape)
        budget[0] -= size
        if budget[0] < 0:
            raise WireError("too many array entries")
        kind = _field(node, "kind", str)
        if kind not in ("float", "bool"):
            raise WireError("a bad array kind")
        raw = base64.b64decode(_field(node, "data", str), validate=True)
        dtype = np.dtype(np.bool_) if kind == "bool" else np.dtype("<f8")
        if len(raw) != size * dtype.itemsize:
            raise WireError("array data of the wrong length")
        array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        dtype_name = _field(node, "dtype", str)
        if kind == "float" and dtype_name != "float64":
            try:
                original = np.dtype(dtype_name)
            except TypeError:
                raise WireError("a bad dtype") from None
            if np.issubdtype(original, np.integer) or np.issubdtype(original, np.floating):
                array = array.astype(original)
        return array
    if tag in ("list", "tuple"):
        items = _field(node, "items", list)
        budget[0] -= len(items)
        if budget[0] < 0:
            raise WireError("too many items")
        values = [_decode(v, depth + 1, budget, formulas) for v in items]
        return tuple(values) if tag == "tuple" else values
    if tag == "dict":
        items = _field(node, "items", list)
        budget[0] -= len(items)
        if budget[0] < 0:
            raise WireError("too many items")
        out = {}
        for pair in items:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], (str, int))
                    and not isinstance(pair[0], bool)):
                raise WireError("a bad dict entry")
            out[pair[0]] = _decode(pair[1], depth + 1, budget, formulas)
        return out
    if tag == "unsupported":
        return Unsupported(_field(node, "type", str), node.get("text", "") if isinstance(node.get("text"), str) else "")
    if tag == "formula":
        if not formulas:
            raise WireError("a formula where only data may come")
        label = node.get("label", "")
        return Formula(_field(node, "source", str), label if isinstance(label, str) else "")
    raise WireError(f"an unknown type tag {tag[:40]!r}")


def _field(node, key, kind):
    value = node.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise WireError(f"a missing or bad field {key!r}")
    return value


def decode(data, formulas=False):
    """The value of bytes made by encode(); WireError for anything else (see the module docstring)."""
    if not isinstance(data, (bytes, bytearray)) or len(data) > MAX_BYTES:
        raise WireError("a message that is not bytes or is too large")
    try:
        node = json.loads(data.decode("ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise WireError(f"not JSON ({type(error).__name__})") from None
    try:
        return _decode(node, 0, [MAX_ITEMS], formulas)
    except WireError:
        raise
    except (ValueError, TypeError, KeyError, RecursionError, MemoryError, OverflowError) as error:
        raise WireError(f"malformed ({type(error).__name__})") from None
