"""Numerical derivatives by finite differences: derivative, gradient (5.40), Jacobian (5.58), tensor Jacobian (§5.4).

Layouts follow the book (numerator layout): the gradient of a scalar f(x), x ∈ R^n, is a 1 × n row; the
Jacobian of f: R^n → R^m is m × n with J[i, j] = ∂f_i/∂x_j; a matrix-valued F of a matrix X has the tensor
J[i, j, k, l] = ∂F_ij/∂X_kl, of shape F.shape + X.shape.

f is called on a fresh copy of the point each time (so an f that modifies its argument cannot leak the change
into later points), and what it returns is checked: None (a forgotten `return`), NaN or ±inf, or a shape that
changes from point to point is refused, naming the point.
"""
import numpy as np

from .notation import as_float, check_choice, check_finite, check_memory, check_number, check_step, shape_str
from .reference import reference

H = 1e-5   # step h: central differences err by O(h²) from truncation and O(ε/h) from round-off


def evaluate(f, x, where, shape=None):
    """f(x) as a finite float64 array (x is passed as it is: callers pass a fresh copy); refuses by name."""
    value = f(x)
    if value is None:
        raise ValueError(f"f returned None at {where}: does the function end with `return …`?")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):                      # ragged lists
        array = np.asarray(None)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"f must return real numbers; at {where} it returned {type(value).__name__} "
                        f"{str(value)[:60]}")
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"f returned a non-finite value at {where}: {array if array.size < 8 else array.ravel()[:8]}"
                         f"; central differences need finite values of f near the point")
    if shape is not None and array.shape != shape:
        raise ValueError(f"f returned shape {shape_str(array.shape)} at {where} but {shape_str(shape)} at the "
                         f"first point; f must return the same shape everywhere")
    return array


def _moved(x, index, value):
    """A fresh copy of x with x[index] = value."""
    moved = x.copy()
    moved[index] = value
    return moved


def _steps(x, h, index=None):
    """(x + h, x − h) for the entry x[index], refusing an h so small that x ± h rounds back to x."""
    value = x if index is None else float(x[index])
    up, down = value + h, value - h
    if up == value or down == value:
        name = "x" if index is None else f"x{list(index)}"
        raise ValueError(f"h = {h:g} is too small for {name} = {value:g}: {name} ± h rounds back to {value:g} in "
                         f"float64 (the spacing of floats there is {np.spacing(abs(value)):.2g}), so the "
                         f"difference would be 0 by rounding alone; take a larger h")
    return up, down


@reference("numerical")
def derivative(f, x, h=H, scheme="central"):
    """df/dx of a scalar function at a scalar x: central (f(x+h) − f(x−h)) / 2h or forward (f(x+h) − f(x)) / h."""
    check_choice("scheme", scheme, ("central", "forward"))
    h = check_step(h)
    x = check_number("x", x)
    up, down = _steps(x, h)

    def value(point, where):
        result = evaluate(f, point, where)
        if result.size != 1:
            raise ValueError(f"derivative needs f to return one number; at {where} it returned shape "
                             f"{shape_str(result.shape)} (use jacobian for a vector-valued f)")
        return float(result.reshape(()))
    if scheme == "central":
        return (value(up, f"x + h = {up!r}") - value(down, f"x − h = {down!r}")) / (2 * h)
    return (value(up, f"x + h = {up!r}") - value(x, f"x = {x!r}")) / h    # Definition 5.5 before the limit


@reference("numerical")
def partials(F, X, h=H):
    """Yield (index, ∂F/∂X[index]) for every entry of X by central differences.

    X is any array (never modified); F maps an array of X's shape to an array (or scalar), and each partial
    has F's shape. F gets a fresh copy of X with one entry moved, every time.
    """
    h = check_step(h)
    X = check_finite("x", as_float("x", X)).copy()
    shape = None
    for index in np.ndindex(X.shape):
        up, down = _steps(X, h, index)
        plus = evaluate(F, _moved(X, index, up), f"x{list(index)} = {float(up)!r} (x + h)", shape)
        shape = plus.shape
        minus = evaluate(F, _moved(X, index, down), f"x{list(index)} = {float(down)!r} (x − h)", shape)
        yield index, (plus - minus) / (2 * h)


@reference("numerical")
def numerical_gradient(f, X, h=H):
    """∂f/∂X of a scalar f, stored in X's own shape (the layout the code uses for ∂E/∂θ)."""
    X = as_float("x", X)
    grad = np.zeros(X.shape)
    for index, d in partials(f, X, h):
        if d.size != 1:
            raise ValueError(f"f must return a scalar; got shape {shape_str(d.shape)} (use jacobian)")
        grad[index] = d.reshape(())
    return grad


def _vector(x):
    x = as_float("x", x)
    if not (x.ndim == 1 or (x.ndim == 2 and x.shape[1] == 1)):
        raise ValueError(f"x must be a vector of shape (n,) or a column (n, 1); got {shape_str(x.shape)}")
    return x


@reference("numerical")
def gradient(f, x, h=H):
    """∇_x f = [∂f/∂x_1 … ∂f/∂x_n], the 1 × n row of (5.40), for a scalar f and x of shape (n,) or (n, 1)."""
    x = _vector(x)
    return numerical_gradient(f, x, h).reshape(1, -1)


@reference("numerical")
def jacobian(f, x, h=H):
    """J = df/dx of shape m × n with J[i, j] = ∂f_i/∂x_j (5.58)–(5.59); x (n,) or (n, 1), f returns m values."""
    x = _vector(x)
    columns = []
    for _, d in partials(f, x, h):                              # column j is ∂f/∂x_j (5.55)
        if not columns:
            check_memory(f"the Jacobian of an f with {d.size:,} outputs at {x.size:,} inputs", d.size * x.size)
        columns.append(d.reshape(-1))
    return np.stack(columns, axis=1)


@reference("numerical")
def tensor_jacobian(F, X, h=H, approach="stack"):
    """dF/dX with J[i…, k…] = ∂F[i…]/∂X[k…], shape F.shape + X.shape, for array-valued F of an array X.

    approach="stack": compute each partial ∂F/∂X[k…] (an array of F's shape) and stack them (§5.4, Approach 1).
    approach="flatten": flatten F and X to vectors, take the ordinary Jacobian, reshape it (§5.4, Approach 2).
    """
    check_choice("approach", approach, ("stack", "flatten"))
    h = check_step(h)
    X = check_finite("X", as_float("X", X))
    out_shape = evaluate(F, X.copy(), "the point X itself").shape
    check_memory(f"the tensor Jacobian {shape_str(out_shape + X.shape)}", np.prod(out_shape + X.shape, dtype=float))
    if approach == "stack":
        parts = [d for _, d in partials(F, X, h)]
        return np.stack(parts, axis=-1).reshape(out_shape + X.shape)
    def flat(x):                                               # F of the vector x, as a vector (None stays None)
        value = F(x.reshape(X.shape))
        return None if value is None else np.asarray(value).reshape(-1)
    return jacobian(flat, X.reshape(-1), h).reshape(out_shape + X.shape)
