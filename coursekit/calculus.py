"""Numerical derivatives by finite differences: derivative, gradient (5.40), Jacobian (5.58), tensor Jacobian (§5.4).

Layouts follow the book (numerator layout): the gradient of a scalar f(x), x ∈ R^n, is a 1 × n row; the
Jacobian of f: R^n → R^m is m × n with J[i, j] = ∂f_i/∂x_j; a matrix-valued F of a matrix X has the tensor
J[i, j, k, l] = ∂F_ij/∂X_kl, of shape F.shape + X.shape.
"""
import numpy as np

from .notation import as_float, check_finite, shape_str
from .reference import reference

H = 1e-5   # step h: central differences err by O(h²) from truncation and O(ε/h) from round-off


@reference("numerical")
def derivative(f, x, h=H, scheme="central"):
    """df/dx of a scalar function at a scalar x: central (f(x+h) − f(x−h)) / 2h or forward (f(x+h) − f(x)) / h."""
    x = float(x)
    if scheme == "central":
        return (float(f(x + h)) - float(f(x - h))) / (2 * h)
    if scheme == "forward":
        return (float(f(x + h)) - float(f(x))) / h   # Definition 5.5 before the limit
    raise ValueError(f"unknown scheme {scheme!r}; valid names: 'central', 'forward'")


@reference("numerical")
def partials(F, X, h=H):
    """Yield (index, ∂F/∂X[index]) for every entry of X by central differences; each entry is restored.

    X is any array (copied, never modified); F maps an array of X's shape to an array (or scalar), and
    each partial has F's shape.
    """
    X = check_finite("x", as_float("x", X)).copy()
    for index in np.ndindex(X.shape):
        old = X[index]
        X[index] = old + h
        plus = np.array(F(X), dtype=np.float64)          # copied, in case F returns a view of X
        X[index] = old - h
        minus = np.array(F(X), dtype=np.float64)
        X[index] = old                                    # restore before the next entry is perturbed
        yield index, (plus - minus) / (2 * h)


@reference("numerical")
def numerical_gradient(f, X, h=H):
    """∂f/∂X of a scalar f, stored in X's own shape (the layout the code uses for ∂E/∂θ)."""
    X = as_float("x", X)
    grad = np.zeros(X.shape)
    for index, d in partials(f, X, h):
        if d.size != 1:
            raise ValueError(f"f must return a scalar; got shape {shape_str(d.shape)} (use jacobian)")
        grad[index] = d
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
    columns = [d.reshape(-1) for _, d in partials(f, x, h)]   # column j is ∂f/∂x_j (5.55)
    return np.stack(columns, axis=1)


@reference("numerical")
def tensor_jacobian(F, X, h=H, approach="stack"):
    """dF/dX with J[i…, k…] = ∂F[i…]/∂X[k…], shape F.shape + X.shape, for array-valued F of an array X.

    approach="stack": compute each partial ∂F/∂X[k…] (an array of F's shape) and stack them (§5.4, Approach 1).
    approach="flatten": flatten F and X to vectors, take the ordinary Jacobian, reshape it (§5.4, Approach 2).
    """
    X = check_finite("X", as_float("X", X))
    if approach == "stack":
        parts = [d for _, d in partials(F, X, h)]
        return np.stack(parts, axis=-1).reshape(parts[0].shape + X.shape)
    if approach == "flatten":
        out_shape = np.shape(F(X.copy()))
        J = jacobian(lambda x: np.asarray(F(x.reshape(X.shape))).reshape(-1), X.reshape(-1), h)
        return J.reshape(out_shape + X.shape)
    raise ValueError(f"unknown approach {approach!r}; valid names: 'stack', 'flatten'")
