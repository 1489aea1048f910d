"""Blind student answers for the 25 exercises of the backpropagation course.

ANSWERS[exercise_id] is a list of (label, kind, answer):
  kind "correct"  : a right answer, written in its own style; it must pass;
  kind "wrong"    : a slip a student makes; the label says which slip, written BEFORE running the checks;
  kind "edge"     : right values but something debatable (warnings, recursion); reported separately.
"""
import math

import numpy as np

import coursekit

ANSWERS = {}


def add(eid, label, kind, answer):
    ANSWERS.setdefault(eid, []).append((label, kind, answer))


def sig(z):
    # overflow-safe sigmoid
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


# ============================================================================ 00-total-cost
E = "00-total-cost"


def tc_ok(F, Y):
    D = F - Y
    return float(0.5 * np.einsum("kr,kr->", D, D))


def tc_ok_loop(F, Y):
    total = 0.0
    for r in range(F.shape[1]):
        for k in range(F.shape[0]):
            total += 0.5 * (F[k, r] - Y[k, r]) ** 2
    return total


add(E, "correct: einsum", "correct", tc_ok)
add(E, "correct: double loop", "correct", tc_ok_loop)
add(E, "forgot the 1/2", "wrong", lambda F, Y: float(np.sum((F - Y) ** 2)))
add(E, "averages over the R examples (mean of E^r)", "wrong",
    lambda F, Y: float(0.5 * np.mean(np.sum((F - Y) ** 2, axis=0))))
add(E, "mean over all entries (np.mean)", "wrong", lambda F, Y: float(0.5 * np.mean((F - Y) ** 2)))
add(E, "matrix form (F-Y)^T(F-Y) summed over all R x R entries (cross terms)", "wrong",
    lambda F, Y: float(0.5 * np.sum((F - Y).T @ (F - Y))))
add(E, "returns a 1x1 array (keepdims)", "wrong", lambda F, Y: 0.5 * np.sum((F - Y) ** 2, keepdims=True))
add(E, "absolute value instead of square", "wrong", lambda F, Y: float(0.5 * np.sum(np.abs(F - Y))))
add(E, "norm not squared: 0.5*||F-Y||", "wrong", lambda F, Y: float(0.5 * np.linalg.norm(F - Y)))


def tc_skip_first(F, Y):
    total = 0.0
    for r in range(1, F.shape[1]):          # off by one: skips example 0
        total += 0.5 * np.sum((F[:, r] - Y[:, r]) ** 2)
    return total


add(E, "loop off by one: range(1, R) skips the first example", "wrong", tc_skip_first)
add(E, "returns per-example costs E^r (array of R), no sum", "wrong",
    lambda F, Y: 0.5 * np.sum((F - Y) ** 2, axis=0))
add(E, "only the first output row F[0] used (correct only for n_K = 1)", "wrong",
    lambda F, Y: float(0.5 * np.sum((F[0] - Y[0]) ** 2)))

# ============================================================================ 00-gradient-descent
E = "00-gradient-descent"


def gd_ok(dE, theta0, eta, steps):
    path = np.empty(steps + 1)
    path[0] = theta0
    t = 0
    while t < steps:
        path[t + 1] = path[t] - eta * dE(path[t])
        t += 1
    return path


def gd_no_start(dE, theta0, eta, steps):
    theta, path = theta0, []
    for _ in range(steps):
        theta = theta - eta * dE(theta)
        path.append(theta)
    return np.array(path)


def gd_short(dE, theta0, eta, steps):
    theta, path = theta0, [theta0]
    for _ in range(steps - 1):
        theta = theta - eta * dE(theta)
        path.append(theta)
    return np.array(path)


def gd_plus(dE, theta0, eta, steps):
    theta, path = theta0, [theta0]
    for _ in range(steps):
        theta = theta + eta * dE(theta)
        path.append(theta)
    return np.array(path)


def gd_final(dE, theta0, eta, steps):
    theta = theta0
    for _ in range(steps):
        theta = theta - eta * dE(theta)
    return theta


def gd_stale(dE, theta0, eta, steps):
    g0 = dE(theta0)
    theta, path = theta0, [theta0]
    for _ in range(steps):
        theta = theta - eta * g0            # gradient at the start, never re-evaluated
        path.append(theta)
    return np.array(path)


def gd_break(dE, theta0, eta, steps):
    theta, path = theta0, [theta0]
    for _ in range(steps):
        theta = theta - eta * dE(theta)
        if abs(theta) > 1e3:               # "protects" against divergence: stops early
            break
        path.append(theta)
    return np.array(path)


def gd_no_eta(dE, theta0, eta, steps):
    theta, path = theta0, [theta0]
    for _ in range(steps):
        theta = theta - dE(theta)
        path.append(theta)
    return np.array(path)


def gd_extra(dE, theta0, eta, steps):
    theta, path = theta0, [theta0]
    for _ in range(steps + 1):
        theta = theta - eta * dE(theta)
        path.append(theta)
    return np.array(path)


def gd_append_before(dE, theta0, eta, steps):
    theta, path = theta0, []
    for _ in range(steps):
        path.append(theta)                  # appends before updating: last θ never stored
        theta = theta - eta * dE(theta)
    return np.array(path) if path else np.array([theta0])


add(E, "correct: preallocated array, while loop", "correct", gd_ok)
add(E, "path misses theta(0) (length steps)", "wrong", gd_no_start)
add(E, "loop runs steps-1 times", "wrong", gd_short)
add(E, "plus sign (gradient ascent)", "wrong", gd_plus)
add(E, "returns only the final theta", "wrong", gd_final)
add(E, "gradient evaluated once at theta0, reused", "wrong", gd_stale)
add(E, "stops early when |theta| > 1e3 (truncates diverging path)", "wrong", gd_break)
add(E, "forgot eta", "wrong", gd_no_eta)
add(E, "steps+1 updates (length steps+2)", "wrong", gd_extra)
add(E, "appends before the update: last theta missing (length steps)", "wrong", gd_append_before)

# ============================================================================ 01-gradient
E = "01-gradient"


def ng_ok(f, x, h=1e-5):
    n = x.shape[0]
    basis = np.eye(n)
    g = np.zeros((1, n))
    for i in range(n):
        g[0, i] = (f(x + h * basis[i]) - f(x - h * basis[i])) / (2 * h)
    return g


def ng_forward(f, x, h=1e-5):
    g = np.zeros((1, x.size))
    for i in range(x.size):
        xp = x.astype(float).copy()
        xp[i] += h
        g[0, i] = (f(xp) - f(x)) / h
    return g


def ng_flat(f, x, h=1e-5):
    return ng_ok(f, x, h).ravel()


def ng_col(f, x, h=1e-5):
    return ng_ok(f, x, h).T


def ng_h(f, x, h=1e-5):
    return ng_ok(f, x, h) * 2                   # divides by h instead of 2h


def ng_inplace(f, x, h=1e-5):
    g = np.zeros((1, x.size))
    for i in range(x.size):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)                               # forgot to put x[i] back
        g[0, i] = (fp - fm) / (2 * h)
    return g


def ng_hardcoded(f, x, h=1e-5):
    return ng_ok(f, x, 1e-4)                    # ignores the h it is given


def ng_all_at_once(f, x, h=1e-5):
    d = (f(x + h) - f(x - h)) / (2 * h)         # moves all entries at once
    return np.full((1, x.size), d)


def ng_restore_ok(f, x, h=1e-5):
    g = np.zeros((1, x.size))
    for i in range(x.size):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        g[0, i] = (fp - fm) / (2 * h)
    return g


def ng_last_missing(f, x, h=1e-5):
    g = np.zeros((1, x.size))
    for i in range(x.size - 1):                 # off by one: last entry stays 0
        e = np.zeros(x.size)
        e[i] = h
        g[0, i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


add(E, "correct: basis vectors e_i, no mutation", "correct", ng_ok)
add(E, "correct: in place and restored exactly", "correct", ng_restore_ok)
add(E, "forward difference", "wrong", ng_forward)
add(E, "returns flat (n,)", "wrong", ng_flat)
add(E, "returns column (n,1)", "wrong", ng_col)
add(E, "divides by h instead of 2h", "wrong", ng_h)
add(E, "modifies x in place and does not put it back", "wrong", ng_inplace)
add(E, "ignores the given h (hard-coded 1e-4)", "wrong", ng_hardcoded)
add(E, "perturbs all entries at once", "wrong", ng_all_at_once)
add(E, "loop off by one: last partial never computed", "wrong", ng_last_missing)

# ============================================================================ 02-chain-rule
E = "02-chain-rule"


def cr_ok(s, t):
    x1, x2 = s * t, s + t * t
    J = np.array([[t, s], [1.0, 2 * t]])
    row = np.array([[math.cos(x1) * x2 ** 2, 2 * math.sin(x1) * x2]])
    return np.einsum("ik,kj->ij", row, J)


def cr_transposed(s, t):
    x1, x2 = s * t, s + t * t
    J = np.array([[t, s], [1.0, 2 * t]])
    return np.array([[math.cos(x1) * x2 ** 2, 2 * math.sin(x1) * x2]]) @ J.T


def cr_wrong_point(s, t):
    J = np.array([[t, s], [1.0, 2 * t]])
    return np.array([[math.cos(s) * t ** 2, 2 * math.sin(s) * t]]) @ J   # ∂f/∂x at (s, t), not at x(s, t)


def cr_no_two(s, t):
    x1, x2 = s * t, s + t * t
    J = np.array([[t, s], [1.0, 2 * t]])
    return np.array([[math.cos(x1) * x2 ** 2, math.sin(x1) * x2]]) @ J


def cr_dx2dt(s, t):
    x1, x2 = s * t, s + t * t
    J = np.array([[t, s], [1.0, t]])                  # ∂x2/∂t written t instead of 2t
    return np.array([[math.cos(x1) * x2 ** 2, 2 * math.sin(x1) * x2]]) @ J


def cr_minus_cos(s, t):
    x1, x2 = s * t, s + t * t
    J = np.array([[t, s], [1.0, 2 * t]])
    return np.array([[-math.cos(x1) * x2 ** 2, 2 * math.sin(x1) * x2]]) @ J   # d sin = −cos


def cr_swapped(s, t):
    r = cr_ok(s, t)
    return r[:, ::-1]


def cr_numerical(s, t):
    f = lambda v: math.sin(v[0] * v[1]) * (v[0] + v[1] ** 2) ** 2
    return coursekit.gradient(f, np.array([s, t], dtype=float))


def cr_J_rows_swapped(s, t):
    x1, x2 = s * t, s + t * t
    J = np.array([[t, s], [2 * t, 1.0]])              # second row's entries swapped
    return np.array([[math.cos(x1) * x2 ** 2, 2 * math.sin(x1) * x2]]) @ J


add(E, "correct: einsum of row and Jacobian", "correct", cr_ok)
add(E, "Jacobian transposed", "wrong", cr_transposed)
add(E, "df/dx evaluated at (s,t) instead of x(s,t)", "wrong", cr_wrong_point)
add(E, "missing factor 2 in d(x2^2)/dx2", "wrong", cr_no_two)
add(E, "dx2/dt = t instead of 2t", "wrong", cr_dx2dt)
add(E, "derivative of sin taken as -cos", "wrong", cr_minus_cos)
add(E, "returns [df/dt, df/ds] (order swapped)", "wrong", cr_swapped)
add(E, "returns (2,) flat", "wrong", lambda s, t: cr_ok(s, t).ravel())
add(E, "returns column (2,1)", "wrong", lambda s, t: cr_ok(s, t).T)
add(E, "calls coursekit.gradient (numerical)", "wrong", cr_numerical)
add(E, "dx2/ds and dx2/dt swapped in the Jacobian", "wrong", cr_J_rows_swapped)

# ============================================================================ 02-cross-entropy-chain
E = "02-cross-entropy-chain"


def ce_ok(z, y):
    out = np.empty((1, z.shape[0]))
    for k in range(z.shape[0]):
        out[0, k] = 0.5 * (1 + math.tanh(0.5 * z[k])) - y[k]
    return out


def ce_unsimplified(z, y):
    f = sig(z)
    with np.errstate(all="ignore"):
        return ((-(y / f) + (1 - y) / (1 - f)) * f * (1 - f)).reshape(1, -1)


def ce_naive(z, y):
    return (1 / (1 + np.exp(-z)) - y).reshape(1, -1)


add(E, "correct: loop with tanh form", "correct", ce_ok)
add(E, "not simplified: dE/df * df/dz coded factor by factor (NaN when saturated)", "wrong", ce_unsimplified)
add(E, "sign: y - sigma(z)", "wrong", lambda z, y: (y - sig(z)).reshape(1, -1))
add(E, "naive sigmoid 1/(1+exp(-z)) (right values, overflow warning)", "edge", ce_naive)
add(E, "returns flat (n,)", "wrong", lambda z, y: sig(z) - y)
add(E, "returns column (n,1)", "wrong", lambda z, y: (sig(z) - y).reshape(-1, 1))
add(E, "extra sigma' factor (squared-error habit)", "wrong",
    lambda z, y: ((sig(z) - y) * sig(z) * (1 - sig(z))).reshape(1, -1))
add(E, "returns the sum (a number) instead of the row", "wrong", lambda z, y: float(np.sum(sig(z) - y)))


def ce_dEdf(z, y):
    f = sig(z)
    with np.errstate(all="ignore"):
        return ((f - y) / (f * (1 - f))).reshape(1, -1)


add(E, "returns dE/df only (forgot df/dz)", "wrong", ce_dEdf)
add(E, "uses z instead of sigma(z): z - y", "wrong", lambda z, y: (z - y).reshape(1, -1))

# ============================================================================ 03-sigmoid-jacobian
E = "03-sigmoid-jacobian"


def sj_ok(z):
    n = z.shape[0]
    J = np.zeros((n, n))
    for i in range(n):
        s = sig(z[i])
        J[i, i] = s + z[i] * s * (1 - s)
    return J


add(E, "correct: loop on the diagonal", "correct", sj_ok)
add(E, "product rule half: only z*sigma'(z)", "wrong", lambda z: np.diag(z * sig(z) * (1 - sig(z))))
add(E, "product rule half: only sigma(z)", "wrong", lambda z: np.diag(sig(z)))
add(E, "sigmoid's Jacobian instead of SiLU's", "wrong", lambda z: np.diag(sig(z) * (1 - sig(z))))
add(E, "returns the diagonal (n,) not (n,n)", "wrong", lambda z: sig(z) + z * sig(z) * (1 - sig(z)))
add(E, "dense: broadcasting slip s[:,None] + z[:,None]*s'[None,:]", "wrong",
    lambda z: sig(z)[:, None] + z[:, None] * (sig(z) * (1 - sig(z)))[None, :])


def sj_exp(z):
    with np.errstate(all="ignore"):
        s = 1 / (1 + np.exp(-z))
        sp = np.exp(-z) / (1 + np.exp(-z)) ** 2       # σ' through exp: inf/inf at large |z|
        return np.diag(s + z * sp)


add(E, "sigma' written with exp (NaN at |z|~850)", "wrong", sj_exp)
add(E, "calls coursekit.activations.sigmoid_prime", "wrong",
    lambda z: np.diag(sig(z) + z * coursekit.activations.sigmoid_prime(z, sig(z))))
add(E, "sign slip: sigma - z sigma'", "wrong", lambda z: np.diag(sig(z) - z * sig(z) * (1 - sig(z))))
add(E, "typo sigma'=s(1+s)", "wrong", lambda z: np.diag(sig(z) + z * sig(z) * (1 + sig(z))))
add(E, "numerical coursekit.jacobian", "wrong", lambda z: coursekit.jacobian(lambda v: v * sig(v), z))

# ============================================================================ 03-tanh-jacobian
E = "03-tanh-jacobian"


def tj_ok(A, x, b):
    z = A @ x + b
    return np.einsum("i,ij->ij", 1.0 - np.tanh(z) ** 2, A)


def tj_quot(A, x, b):
    z = A @ x + b
    with np.errstate(all="ignore"):
        d = (np.cosh(z) ** 2 - np.sinh(z) ** 2) / np.cosh(z) ** 2
    return d[:, None] * A


add(E, "correct: einsum row scaling", "correct", tj_ok)
add(E, "transposed result (n,m)", "wrong", lambda A, x, b: tj_ok(A, x, b).T)
add(E, "forgot b in z", "wrong", lambda A, x, b: (1 - np.tanh(A @ x) ** 2)[:, None] * A)
add(E, "1 - tanh (forgot square)", "wrong", lambda A, x, b: (1 - np.tanh(A @ x + b))[:, None] * A)
add(E, "tanh' by quotient rule with cosh/sinh (NaN when large)", "wrong", tj_quot)
add(E, "forgot A: returns diag(tanh') (m,m)", "wrong", lambda A, x, b: np.diag(1 - np.tanh(A @ x + b) ** 2))
add(E, "scales columns instead of rows: A * s[None,:] (runs for square / m=1)", "wrong",
    lambda A, x, b: A * (1 - np.tanh(A @ x + b) ** 2)[None, :])
add(E, "tanh instead of tanh'", "wrong", lambda A, x, b: np.tanh(A @ x + b)[:, None] * A)
add(E, "sign typo z = Ax - b", "wrong", lambda A, x, b: (1 - np.tanh(A @ x - b) ** 2)[:, None] * A)
add(E, "tanh' evaluated at x instead of z (crashes unless m == n)", "wrong",
    lambda A, x, b: np.diag(1 - np.tanh(x) ** 2) @ A)
add(E, "calls coursekit.activations.tanh_prime", "wrong",
    lambda A, x, b: coursekit.activations.tanh_prime(A @ x + b, np.tanh(A @ x + b))[:, None] * A)

# ============================================================================ 04-least-squares
E = "04-least-squares"


def ls_ok(Phi, y, theta):
    N, D = Phi.shape
    g = np.zeros((1, D))
    for n in range(N):
        u = float(Phi[n] @ theta[:, 0])
        f = 0.5 * (1 + math.tanh(0.5 * u))
        e = y[n, 0] - f
        g[0] += -2.0 * e * f * (1 - f) * Phi[n]
    return g


def _parts(Phi, y, theta):
    u = Phi @ theta
    f = sig(u)
    return u, f, y - f


def ls_no2(Phi, y, theta):
    u, f, e = _parts(Phi, y, theta)
    return -(e * f * (1 - f)).T @ Phi


def ls_sign(Phi, y, theta):
    u, f, e = _parts(Phi, y, theta)
    return 2 * (e * f * (1 - f)).T @ Phi


def ls_no_sigma_prime(Phi, y, theta):
    u, f, e = _parts(Phi, y, theta)
    return -2 * e.T @ Phi


def ls_column(Phi, y, theta):
    u, f, e = _parts(Phi, y, theta)
    return -2 * Phi.T @ (e * f * (1 - f))


def ls_u_prime(Phi, y, theta):
    u, f, e = _parts(Phi, y, theta)
    return -2 * (e * u * (1 - u)).T @ Phi               # σ' from u instead of f


def ls_exp(Phi, y, theta):
    u, f, e = _parts(Phi, y, theta)
    with np.errstate(all="ignore"):
        sp = np.exp(-u) / (1 + np.exp(-u)) ** 2
    return -2 * (e * sp).T @ Phi


def ls_mean(Phi, y, theta):
    u, f, e = _parts(Phi, y, theta)
    return -2 * (e * f * (1 - f)).T @ Phi / Phi.shape[0]


def ls_sp_twice(Phi, y, theta):
    u, f, e = _parts(Phi, y, theta)
    sp = f * (1 - f)
    return -2 * (e * sp * sp).T @ Phi


def ls_sum_structure(Phi, y, theta):
    u, f, e = _parts(Phi, y, theta)
    return (-2 * np.sum(e * f * (1 - f)) * np.sum(Phi, axis=0)).reshape(1, -1)


add(E, "correct: loop over examples", "correct", ls_ok)
add(E, "forgot the factor 2 (L has no 1/2)", "wrong", ls_no2)
add(E, "sign: +2 instead of -2", "wrong", ls_sign)
add(E, "forgot sigma' (linear model's answer)", "wrong", ls_no_sigma_prime)
add(E, "column (D,1) instead of row", "wrong", ls_column)
add(E, "sigma' from u (pre-activation) instead of f", "wrong", ls_u_prime)
add(E, "sigma' via exp (NaN at |u|>700)", "wrong", ls_exp)
add(E, "averaged over N", "wrong", ls_mean)
add(E, "sigma' applied twice", "wrong", ls_sp_twice)
add(E, "sums e*s' and Phi separately (broken pairing of examples)", "wrong", ls_sum_structure)

# ============================================================================ 05-outer-tensor
E = "05-outer-tensor"


def ot_ok(x):
    n = x.shape[0]
    I = np.eye(n)
    return np.einsum("ik,j->ijk", I, x) + np.einsum("i,jk->ijk", x, I)


def ot_elif(x):
    n = x.shape[0]
    T = np.zeros((n, n, n))
    for i in range(n):
        for j in range(n):
            for k in range(n):
                if i == k:
                    T[i, j, k] = x[j]
                elif j == k:                      # misses the doubling at i == j == k
                    T[i, j, k] = x[i]
    return T


def ot_flat_F(x):
    n = x.shape[0]
    return ot_ok(x).reshape(n * n, n).reshape(n, n, n, order="F")


def ot_diag_only(x):
    n = x.shape[0]
    T = np.zeros((n, n, n))
    for i in range(n):
        T[i, i, i] = 2 * x[i]
    return T


add(E, "correct: einsum of two indicator terms", "correct", ot_ok)
add(E, "only one term: delta_ik x_j", "wrong", lambda x: np.einsum("ik,j->ijk", np.eye(len(x)), x))
add(E, "layout k first: T[k,i,j]", "wrong", lambda x: np.transpose(ot_ok(x), (2, 0, 1)))
add(E, "loops with elif: i==j==k not doubled", "wrong", ot_elif)
add(E, "only the diagonal 2x_i (derivative of x_i^2)", "wrong", ot_diag_only)
add(E, "wrong index in 2nd term: x_j delta_jk", "wrong",
    lambda x: np.einsum("ik,j->ijk", np.eye(len(x)), x) + np.einsum("i,j,jk->ijk", np.ones(len(x)), x, np.eye(len(x))))
add(E, "Approach 2 folded back with order='F'", "wrong", ot_flat_F)
add(E, "returns n x n (2 diag(x))", "wrong", lambda x: 2 * np.diag(x))
add(E, "calls coursekit.tensor_jacobian", "wrong",
    lambda x: coursekit.tensor_jacobian(lambda v: np.outer(v, v), x))

# ============================================================================ 05-matrix-gradient
E = "05-matrix-gradient"


def mg_ok(A, x, y):
    delta = A @ x - y
    return np.einsum("i,q->iq", delta[:, 0], x[:, 0])


add(E, "correct: einsum outer product", "correct", mg_ok)
add(E, "correct: broadcasting (M,1)*(1,N)", "correct", lambda A, x, y: (A @ x - y) * x.T)
add(E, "factor 2 (ignored the 1/2)", "wrong", lambda A, x, y: 2 * (A @ x - y) @ x.T)
add(E, "sign: (y - Ax) x^T", "wrong", lambda A, x, y: (y - A @ x) @ x.T)
add(E, "transposed: x delta^T (N,M)", "wrong", lambda A, x, y: x @ (A @ x - y).T)
add(E, "forgot -y: delta = Ax", "wrong", lambda A, x, y: (A @ x) @ x.T)
add(E, "book layout: flattened row 1 x MN", "wrong", lambda A, x, y: ((A @ x - y) @ x.T).reshape(1, -1))
add(E, "gradient wrt x instead of A: A^T delta", "wrong", lambda A, x, y: A.T @ (A @ x - y))
add(E, "outer with Ax instead of x: delta (Ax)^T (square-only shapes)", "wrong",
    lambda A, x, y: (A @ x - y) @ (A @ x).T)
add(E, "uses coursekit.tensor_jacobian (numerical)", "wrong",
    lambda A, x, y: coursekit.tensor_jacobian(lambda M: 0.5 * float(np.sum((M @ x - y) ** 2)), A))

# ============================================================================ 06-adjoints
E = "06-adjoints"


def adj_parts(x):
    a = x * x
    b = math.exp(a)
    c = a + b
    d = math.sqrt(c)
    e = math.cos(c)
    return a, b, c, d, e


def adj_ok(x):
    a, b, c, d, e = adj_parts(x)
    bar = {"f": 1.0}
    bar["e"] = bar["f"]
    bar["d"] = bar["f"]
    bar["c"] = bar["d"] * 0.5 / math.sqrt(c) - bar["e"] * math.sin(c)
    bar["b"] = bar["c"]
    bar["a"] = bar["c"] + bar["b"] * b          # exp(a) is b itself
    bar["x"] = 2 * x * bar["a"]
    return bar


def adj_variant(x, *, c_paths="both", a_paths="both", sin_sign=-1, two=True, half=True, b_exp=False):
    a, b, c, d, e = adj_parts(x)
    fb = 1.0
    db = eb = fb
    cb = 0.0
    if c_paths in ("both", "d"):
        cb += db * ((0.5 if half else 1.0) / math.sqrt(c))
    if c_paths in ("both", "e"):
        cb += eb * (sin_sign * math.sin(c))
    bb = cb * (math.exp(a) if b_exp else 1.0)
    ab = 0.0
    if a_paths in ("both", "b"):
        ab += bb * math.exp(a)
    if a_paths in ("both", "c"):
        ab += cb
    xb = ab * (2 * x if two else x)
    return {"f": fb, "e": eb, "d": db, "c": cb, "b": bb, "a": ab, "x": xb}


add(E, "correct: dict built step by step, exp(a) reused as b", "correct", adj_ok)
add(E, "c-bar misses the e path (fan-out not summed)", "wrong", lambda x: adj_variant(x, c_paths="d"))
add(E, "a-bar misses the direct c path", "wrong", lambda x: adj_variant(x, a_paths="b"))
add(E, "sign of sin: d cos = +sin", "wrong", lambda x: adj_variant(x, sin_sign=+1))
add(E, "x-bar = a-bar * x (missing 2)", "wrong", lambda x: adj_variant(x, two=False))
add(E, "d sqrt(c) = 1/sqrt(c) (missing 1/2)", "wrong", lambda x: adj_variant(x, half=False))
add(E, "b-bar multiplied by exp(a) (local derivative put on the wrong edge)", "wrong",
    lambda x: adj_variant(x, b_exp=True))


def adj_values(x):
    a, b, c, d, e = adj_parts(x)
    return {"f": d + e, "e": e, "d": d, "c": c, "b": b, "a": a, "x": x}


add(E, "returns forward values instead of adjoints", "wrong", adj_values)
add(E, "forgot key 'f'", "wrong", lambda x: {k: v for k, v in adj_ok(x).items() if k != "f"})
add(E, "values as 1-element lists", "wrong", lambda x: {k: [v] for k, v in adj_ok(x).items()})

# ============================================================================ 06-local-backward
E = "06-local-backward"


def lb_ok(op, inputs, out, out_grad):
    if op == "add":
        return (out_grad, out_grad)
    if op == "mul":
        u, v = inputs
        return (out_grad * v, out_grad * u)
    if op == "exp":
        return (out_grad * out,)
    if op == "log":
        return (out_grad / inputs[0],)
    if op == "sigmoid":
        return (out_grad * out * (1.0 - out),)
    raise ValueError(op)


def lb_mut(**changes):
    def rule(op, inputs, out, out_grad):
        if op in changes:
            return changes[op](inputs, out, out_grad)
        return lb_ok(op, inputs, out, out_grad)
    return rule


add(E, "correct", "correct", lb_ok)
add(E, "mul not swapped: (g*u, g*v)", "wrong", lb_mut(mul=lambda i, o, g: (g * i[0], g * i[1])))
add(E, "exp: forgot out_grad, returns (out,)", "wrong", lb_mut(exp=lambda i, o, g: (o,)))
add(E, "log: g*u instead of g/u", "wrong", lb_mut(log=lambda i, o, g: (g * i[0],)))
add(E, "sigmoid: g*out (missing 1-out)", "wrong", lb_mut(sigmoid=lambda i, o, g: (g * o,)))


def _sig_exp(i, o, g):
    u = i[0]
    return (g * math.exp(-u) / (1 + math.exp(-u)) ** 2,)   # OverflowError at u = -750


add(E, "sigmoid recomputed with exp (overflow at u=-750)", "wrong", lb_mut(sigmoid=_sig_exp))
add(E, "one-input op returns a bare number, not a tuple", "wrong",
    lb_mut(exp=lambda i, o, g: g * o, log=lambda i, o, g: g / i[0], sigmoid=lambda i, o, g: g * o * (1 - o)))
add(E, "add returns one share only", "wrong", lb_mut(add=lambda i, o, g: (g,)))


def lb_no_grad(op, inputs, out, out_grad):
    return lb_ok(op, inputs, out, 1.0)       # local derivatives only, out_grad ignored everywhere


add(E, "forgot out_grad everywhere (local derivatives only)", "wrong", lb_no_grad)
add(E, "exp: g*u (derivative of u^2/2 confusion)", "wrong", lb_mut(exp=lambda i, o, g: (g * i[0],)))
add(E, "log: g/out instead of g/u", "wrong", lb_mut(log=lambda i, o, g: (g / o,)))

# ============================================================================ 06-topological-order
E = "06-topological-order"


def topo_ok(parents, output):
    order, done, stack = [], set(), [(output, False)]
    while stack:
        node, expanded = stack.pop()
        if node in done:
            continue
        if expanded:
            done.add(node)
            order.append(node)
            continue
        stack.append((node, True))
        for p in parents[node]:
            if p not in done:
                stack.append((p, False))
    return order


def topo_kahn_ok(parents, output):
    children_left = {n: len(set(ps)) for n, ps in parents.items()}
    kids = {n: [] for n in parents}
    for n, ps in parents.items():
        for p in set(ps):
            kids[p].append(n)
    ready = [n for n, k in children_left.items() if k == 0]
    order = []
    while ready:
        n = ready.pop()
        order.append(n)
        for c in kids[n]:
            children_left[c] -= 1
            if children_left[c] == 0:
                ready.append(c)
    return order


def topo_rec(parents, output):
    seen, order = set(), []

    def visit(n):
        if n in seen:
            return
        seen.add(n)
        for p in parents[n]:
            visit(p)
        order.append(n)
    visit(output)
    return order


def topo_reversed(parents, output):
    return topo_ok(parents, output)[::-1]


def topo_bfs(parents, output):
    seen, queue, order = {output}, [output], []
    while queue:
        n = queue.pop(0)
        order.append(n)
        for p in parents[n]:
            if p not in seen:
                seen.add(p)
                queue.append(p)
    return order[::-1]


def topo_keys(parents, output):
    return list(parents)[::-1]


def topo_dups(parents, output):
    order = []

    def visit(n):
        for p in parents[n]:
            visit(p)
        if n not in order[-1:]:
            order.append(n)
    visit(output)
    return order


def topo_mutating(parents, output):
    order, pending = [], parents
    while pending:
        ready = [n for n, ps in pending.items() if not ps]
        for n in ready:
            order.append(n)
            del pending[n]
            for ps in pending.values():
                while n in ps:
                    ps.remove(n)
    return order


def topo_no_output(parents, output):
    return topo_ok(parents, output)[:-1]


def topo_sorted(parents, output):
    return sorted(parents)


def topo_preorder(parents, output):
    order, seen, stack = [], set(), [output]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        order.append(n)
        stack.extend(parents[n])
    return order[::-1]                       # reversed DFS preorder: not always topological


add(E, "correct: iterative DFS post-order", "correct", topo_ok)
add(E, "correct: Kahn's algorithm on a copy", "correct", topo_kahn_ok)
add(E, "recursive DFS (right order; recursion depth on deep graphs)", "edge", topo_rec)
add(E, "returns the reverse (output first)", "wrong", topo_reversed)
add(E, "BFS from the output, reversed", "wrong", topo_bfs)
add(E, "dict keys reversed (graph_of insertion order)", "wrong", topo_keys)
add(E, "DFS without a visited set (duplicates)", "wrong", topo_dups)
add(E, "Kahn's algorithm that empties the parents dict (mutates input)", "wrong", topo_mutating)
add(E, "leaves out the output node", "wrong", topo_no_output)
add(E, "sorted node labels (works only when labels are in order)", "wrong", topo_sorted)
add(E, "reversed DFS pre-order", "wrong", topo_preorder)

# ============================================================================ 06-engine
E = "06-engine"


class Node:
    def __init__(self, value, op="", parents=(), name=""):
        self.value = float(value)
        self.op = op
        self.parents = tuple(parents)
        self.grad = 0.0
        self.name = name

    def __add__(self, other):
        other = as_node(other)
        return Node(self.value + other.value, "add", (self, other))

    def __mul__(self, other):
        other = as_node(other)
        return Node(self.value * other.value, "mul", (self, other))

    def __radd__(self, other):
        return as_node(other) + self

    def __rmul__(self, other):
        return as_node(other) * self

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-as_node(other))

    def __rsub__(self, other):
        return as_node(other) + (-self)

    def exp(self):
        return Node(math.exp(self.value), "exp", (self,))

    def log(self):
        return Node(math.log(self.value), "log", (self,))

    def sigmoid(self):
        return Node(0.5 * (1.0 + math.tanh(0.5 * self.value)), "sigmoid", (self,))


def as_node(v):
    return v if isinstance(v, Node) else Node(v)


def graph_of(output):
    graph, todo = {}, [output]
    while todo:
        node = todo.pop()
        if node not in graph:
            graph[node] = list(node.parents)
            todo.extend(node.parents)
    return graph


def eng_backward(output, *, reset=True, reverse=True, accumulate=True):
    graph = graph_of(output)
    order = topo_ok(graph, output)
    if reset:
        for n in order:
            n.grad = 0.0
    output.grad = 1.0
    for n in (reversed(order) if reverse else order):
        if n.parents:
            shares = lb_ok(n.op, tuple(p.value for p in n.parents), n.value, n.grad)
            for p, s in zip(n.parents, shares):
                if accumulate:
                    p.grad += s
                else:
                    p.grad = s


def make_engine(*, reset=True, reverse=True, accumulate=True, half=True, bias=True, per_example=False,
                mean=False, shapes="ok"):
    def engine_gradients(params, X, Y):
        K = 2
        nodes = {k: np.array([[Node(v) for v in row] for row in params[k]], dtype=object) for k in params}
        terms = []
        R = X.shape[1]
        last_nodes = nodes
        for r in range(R):
            if per_example:
                last_nodes = {k: np.array([[Node(v) for v in row] for row in params[k]], dtype=object)
                              for k in params}
            P = last_nodes
            f = [Node(float(v)) for v in X[:, r]]
            for i in range(K):
                A, b = P[f"A{i}"], P[f"b{i}"]
                z = []
                for j in range(A.shape[0]):
                    s = b[j, 0] if bias else Node(0.0)
                    for q in range(A.shape[1]):
                        s = s + A[j, q] * f[q]
                    z.append(s)
                f = [zj.sigmoid() for zj in z]
            for k in range(len(f)):
                d = f[k] - float(Y[k, r])
                terms.append(d * d)
        Etot = terms[0]
        for t in terms[1:]:
            Etot = Etot + t
        if half:
            Etot = Etot * 0.5
        if mean:
            Etot = Etot * (1.0 / R)
        eng_backward(Etot, reset=reset, reverse=reverse, accumulate=accumulate)
        src = last_nodes
        out = {}
        for k in params:
            g = np.array([[n.grad for n in row] for row in src[k]])
            out[k] = g if shapes == "ok" else g.ravel().tolist()
        return out
    return engine_gradients


def eng_ok_einsum_free(params, X, Y):
    return make_engine()(params, X, Y)


def eng_cached(params, X, Y, _cache={}):
    # builds the graph once per problem and calls backward twice: must still be right (reset)
    g1 = make_engine()(params, X, Y)
    return g1


add(E, "correct: scalar engine, shared parameter nodes", "correct", eng_ok_einsum_free)
add(E, "backward does not reset grads (second call doubles)", "wrong", None)   # filled below
add(E, "visits nodes in topological, not reverse, order", "wrong", make_engine(reverse=False))
add(E, "parent.grad = share instead of += (fan-out lost)", "wrong", make_engine(accumulate=False))
add(E, "cost without the 1/2", "wrong", make_engine(half=False))
add(E, "forgot the bias in Z", "wrong", make_engine(bias=False))
add(E, "new parameter nodes per example (not shared): last example only", "wrong", make_engine(per_example=True))
add(E, "mean cost (1/R)", "wrong", make_engine(mean=True))
add(E, "grads returned as flat lists", "wrong", make_engine(shapes="list"))
add(E, "calls coursekit.backward", "wrong",
    lambda params, X, Y: coursekit.backward(params, coursekit.forward(params, X), Y))


class _Persist:
    """An engine whose nodes live across calls and whose backward never resets grads."""

    def __init__(self):
        self.store = {}

    def __call__(self, params, X, Y):
        key = tuple(np.asarray(v).tobytes() for v in params.values()) + (X.tobytes(), Y.tobytes())
        if key not in self.store:
            self.store.clear()
            nodes = {k: np.array([[Node(v) for v in row] for row in params[k]], dtype=object) for k in params}
            terms = []
            for r in range(X.shape[1]):
                f = [Node(float(v)) for v in X[:, r]]
                for i in range(2):
                    A, b = nodes[f"A{i}"], nodes[f"b{i}"]
                    z = []
                    for j in range(A.shape[0]):
                        s = b[j, 0]
                        for q in range(A.shape[1]):
                            s = s + A[j, q] * f[q]
                        z.append(s)
                    f = [zj.sigmoid() for zj in z]
                for k in range(len(f)):
                    d = f[k] - float(Y[k, r])
                    terms.append(d * d)
            Etot = terms[0]
            for t in terms[1:]:
                Etot = Etot + t
            self.store[key] = (nodes, Etot * 0.5)
        nodes, Etot = self.store[key]
        eng_backward(Etot, reset=False)
        return {k: np.array([[n.grad for n in row] for row in nodes[k]]) for k in params}


def eng_noreset(params, X, Y):
    # same engine, but grads never reset and the graph's parameter nodes reused between calls
    return _PERSIST(params, X, Y)


_PERSIST = _Persist()
ANSWERS[E][1] = ("backward does not reset grads; nodes kept between calls (second call doubles)", "wrong",
                 eng_noreset)

# ============================================================================ 07-jacobian-chain
E = "07-jacobian-chain"


def jc_ok(dL_dfK, orange, blue):
    K = len(blue)
    out = [None] * K
    row = dL_dfK
    i = K - 1
    while i >= 0:
        out[i] = row @ blue[i]
        if i > 0:
            row = row @ orange[i]
        i -= 1
    return out


def jc_index(dL_dfK, orange, blue):
    K = len(blue)
    out, row = [None] * K, dL_dfK
    for i in reversed(range(K)):
        if i < K - 1:
            row = row @ orange[i]              # should be orange[i + 1]
        out[i] = row @ blue[i]
    return out


def jc_no_orange(dL_dfK, orange, blue):
    return [dL_dfK @ B for B in blue]


def jc_reversed_list(dL_dfK, orange, blue):
    return jc_ok(dL_dfK, orange, blue)[::-1]


def jc_columns(dL_dfK, orange, blue):
    return [r.T for r in jc_ok(dL_dfK, orange, blue)]


def jc_mutate(dL_dfK, orange, blue):
    orange.reverse()                            # in place
    blue.reverse()
    K = len(blue)
    out, row = [], dL_dfK
    for i in range(K):                          # now index 0 is the last layer
        out.append(row @ blue[i])
        if i < K - 1:
            row = row @ orange[i]
    return out[::-1]


def jc_transposed_orange(dL_dfK, orange, blue):
    K = len(blue)
    out, row = [None] * K, dL_dfK
    for i in reversed(range(K)):
        if i < K - 1:
            row = (orange[i + 1] @ row.T).T    # orange @ column: the transpose of the right product
        out[i] = row @ blue[i]
    return out


def jc_scratch(dL_dfK, orange, blue):
    # correct, from scratch each time (O(K^2)): multiplies each orange factor more than once
    K = len(blue)
    out = []
    for i in range(K):
        row = dL_dfK
        for j in range(K - 1, i, -1):
            row = row @ orange[j]
        out.append(row @ blue[i])
    return out


add(E, "correct: running row, while loop, preallocated list", "correct", jc_ok)
add(E, "off-by-one layer index: orange[i] instead of orange[i+1]", "wrong", jc_index)
add(E, "no orange factors at all: dL/dfK @ blue[i]", "wrong", jc_no_orange)
add(E, "list returned in reverse order (theta_{K-1} first)", "wrong", jc_reversed_list)
add(E, "returns columns (p_i,1)", "wrong", jc_columns)
add(E, "reverses the input lists in place", "wrong", jc_mutate)
add(E, "orange applied as M @ column (i.e. transposed orange; square-only)", "wrong", jc_transposed_orange)
add(E, "from scratch per layer (right values, orange factors reused O(K^2) times)", "edge", jc_scratch)

# ============================================================================ 07-reuse-count
E = "07-reuse-count"


def mac_ok(sizes, reuse):
    K = len(sizes) - 1
    blue = sum(sizes[i + 1] * (1 + sizes[i]) for i in range(K))
    orange = 0
    for j in range(1, K):                          # orange factor j: n_{j+1} x n_j
        uses = 1 if reuse else j                   # from scratch, layers i = 0..j-1 all need it
        orange += uses * sizes[j + 1] * sizes[j]
    return int(blue + orange)


def mac_uniform(sizes, reuse):
    n, K = sizes[0], len(sizes) - 1
    if reuse:
        return n * n * (K - 1) + K * n * (n + 1)
    return n * n * K * (K - 1) // 2 + K * n * (n + 1)


def mac_no_diag(sizes, reuse):
    return mac_ok(sizes, reuse) - sum(sizes[1:])


def mac_reuse_all(sizes, reuse):
    K = len(sizes) - 1
    if reuse:
        return mac_ok(sizes, True) + sizes[1] * sizes[0]   # counts an orange for layer 0 too
    return mac_ok(sizes, False)


def mac_reversed_weight(sizes, reuse):
    K = len(sizes) - 1
    blue = sum(sizes[i + 1] * (1 + sizes[i]) for i in range(K))
    orange = sum((1 if reuse else K - j) * sizes[j + 1] * sizes[j] for j in range(1, K))
    return blue + orange


def mac_float(sizes, reuse):
    return float(mac_ok(sizes, reuse))


def mac_swapped(sizes, reuse):
    return mac_ok(sizes, not reuse)


def mac_blue_index(sizes, reuse):
    K = len(sizes) - 1
    return mac_ok(sizes, reuse) - sum(sizes[i + 1] * sizes[i] for i in range(K)) + sum(
        sizes[i] * sizes[i] for i in range(K))


def mac_start_row(sizes, reuse):
    return mac_ok(sizes, reuse) + sizes[-1]


def mac_uniform_float(sizes, reuse):
    n, K = sizes[0], len(sizes) - 1
    if reuse:
        return n * n * (K - 1) + K * n * (n + 1)
    return n * n * K * (K - 1) / 2 + K * n * (n + 1)


add(E, "correct: sum over orange factors with use counts", "correct", mac_ok)
add(E, "equal-width formula with n = sizes[0]", "wrong", mac_uniform)
add(E, "blue cost without the n_{i+1} diag term", "wrong", mac_no_diag)
add(E, "reuse also counts an orange product for layer 0", "wrong", mac_reuse_all)
add(E, "from scratch: use count K-j instead of j (layer index reversed)", "wrong", mac_reversed_weight)
add(E, "returns a float", "wrong", mac_float)
add(E, "reuse and scratch swapped", "wrong", mac_swapped)
add(E, "blue outer product n_i*n_i instead of n_{i+1}*n_i", "wrong", mac_blue_index)
add(E, "counts the start row dL/dfK as n_K extra multiplies", "wrong", mac_start_row)
add(E, "equal-width formula with /2 (float)", "wrong", mac_uniform_float)

# ============================================================================ 08-backward-by-hand
E = "08-backward-by-hand"
_A0 = np.array([[0.5, -0.4], [0.3, 0.8], [-0.6, 0.2]])
_b0 = np.array([[0.1], [-0.2], [0.05]])
_A1 = np.array([[0.7, -0.5, 0.2], [-0.3, 0.6, 0.9]])
_b1 = np.array([[-0.1], [0.2]])
_X = np.array([[1.0], [0.5]])
_Ynew = np.array([[0.0], [1.0]])
_Yold = np.array([[1.0], [0.0]])
_Z1 = _A0 @ _X + _b0
_f1 = sig(_Z1)
_Z2 = _A1 @ _f1 + _b1
_f2 = sig(_Z2)


def _hand(Y=_Ynew, sp2=True, sp1=True, sign=1, row=False, pre=False, factor=1.0):
    s2 = _f2 * (1 - _f2) if sp2 else 1.0
    s1 = (_Z1 * (1 - _Z1) if pre else _f1 * (1 - _f1)) if sp1 else 1.0
    d2 = sign * (_f2 - Y) * s2
    back = (_A1[0, :2][:, None] * d2).sum() if row else (_A1.T @ d2)[0, 0]
    back_vec = _A1.T @ d2
    d1_0 = back * (s1 if np.isscalar(s1) else s1[0, 0])
    return factor * d1_0 * _X[1, 0]


_d2 = (_f2 - _Ynew) * _f2 * (1 - _f2)
_d1 = (_A1.T @ _d2) * _f1 * (1 - _f1)
add(E, "correct: 0.5 * delta1[0]", "correct", float(_d1[0, 0] * _X[1, 0]))
add(E, "correct, rounded to 4 significant digits", "correct", 0.01348)
add(E, "used the old target Y = (1, 0)", "wrong", float(_hand(Y=_Yold)))
add(E, "forgot sigma'(Z1)", "wrong", float(_hand(sp1=False)))
add(E, "forgot sigma'(Z2)", "wrong", float(_hand(sp2=False)))
add(E, "sign: (Y - f2)", "wrong", float(_hand(sign=-1)))
add(E, "took A0[0,0]: times x_0 = 1 instead of x_1 = 0.5", "wrong", float(_d1[0, 0] * _X[0, 0]))
add(E, "took A0[1,0] (indices swapped): delta1[1] * x_0", "wrong", float(_d1[1, 0] * _X[0, 0]))
add(E, "A1 row instead of column: A1[0,0]*d2_0 + A1[0,1]*d2_1", "wrong", float(_hand(row=True)))
add(E, "sigma'(Z1) computed from Z1 instead of f1", "wrong", float(_hand(pre=True)))
add(E, "factor 2 (L = ||.||^2 instead of E)", "wrong", float(_hand(factor=2.0)))
add(E, "returned as a 1x1 array", "wrong", _d1[[0], :] * _X[1, 0])
add(E, "took delta1[0] (= dE/db0[0]), forgot the x_1", "wrong", float(_d1[0, 0]))
add(E, "rounded to 2 significant digits (0.013)", "wrong", 0.013)

# ============================================================================ 08-backward
E = "08-backward"


def bw_ok(params, trace, Y):
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    d2 = (f2 - Y) * f2 * (1 - f2)
    d1 = np.einsum("ji,jr->ir", params["A1"], d2) * f1 * (1 - f1)
    return {"A1": np.einsum("ir,jr->ij", d2, f1), "b1": d2.sum(axis=1)[:, None],
            "A0": np.einsum("ir,jr->ij", d1, f0), "b0": d1.sum(axis=1)[:, None]}


def bw_general(*, sp1=True, transpose=True, keep=True, mean=False, pre=False, exp=False, inplace=False,
               f_for_A0="f0", b_axis=1, sign=1, dA1_T=False, sp2=True):
    def fn(params, trace, Y):
        f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
        if pre:
            sp = lambda k: trace[f"Z{k}"] * (1 - trace[f"Z{k}"])
        elif exp:
            def sp(k):
                Z = trace[f"Z{k}"]
                with np.errstate(all="ignore"):
                    return np.exp(-Z) / (1 + np.exp(-Z)) ** 2
        else:
            sp = lambda k: trace[f"f{k}"] * (1 - trace[f"f{k}"])
        if inplace:
            e = trace["f2"]
            e -= Y
        else:
            e = f2 - Y
        d2 = sign * e * (sp(2) if sp2 else 1.0)
        A1 = params["A1"]
        back = (A1.T @ d2) if transpose else (A1 @ d2)
        d1 = back * sp(1) if sp1 else back
        R = f0.shape[1]
        c = 1.0 / R if mean else 1.0
        g = {"A1": c * (f1 @ d2.T if dA1_T else d2 @ f1.T),
             "A0": c * d1 @ trace[f_for_A0].T,
             "b1": c * d2.sum(axis=b_axis, keepdims=keep),
             "b0": c * d1.sum(axis=b_axis, keepdims=keep)}
        return g
    return fn


add(E, "correct: einsum, delta-form", "correct", bw_ok)
add(E, "forgot sigma'(Z1)", "wrong", bw_general(sp1=False))
add(E, "forgot sigma'(Z2)", "wrong", bw_general(sp2=False))
add(E, "A1 instead of A1^T (runs only for square)", "wrong", bw_general(transpose=False))
add(E, "bias grads (n,) not (n,1)", "wrong", bw_general(keep=False))
add(E, "averaged over R", "wrong", bw_general(mean=True))
add(E, "sigma' from Z instead of f (pre-activation)", "wrong", bw_general(pre=True))
add(E, "sigma' via exp(-Z) (NaN when |Z|>=700)", "wrong", bw_general(exp=True))
add(E, "in place: e = trace['f2']; e -= Y (modifies trace)", "wrong", bw_general(inplace=True))
add(E, "dA0 uses f1 instead of f0 (layer mix; square only)", "wrong", bw_general(f_for_A0="f1"))
add(E, "bias summed over axis 0 -> (1,R)", "wrong", bw_general(b_axis=0))
add(E, "sign: Y - f2", "wrong", bw_general(sign=-1))
add(E, "dA1 transposed: f1 delta2^T", "wrong", bw_general(dA1_T=True))


def bw_first_example(params, trace, Y):
    t = {k: v[:, :1] for k, v in trace.items()}
    return bw_ok(params, t, Y[:, :1])


add(E, "uses only the first example (column 0)", "wrong", bw_first_example)

# ============================================================================ 07-deep-backward
E = "07-deep-backward"


def deep_ok(params, trace, Y):
    K = len(params) // 2
    grads = {}
    fK = trace[f"f{K}"]
    delta = (fK - Y) * fK * (1 - fK)
    for i in range(K - 1, -1, -1):
        fi = trace[f"f{i}"]
        grads[f"A{i}"] = delta @ fi.T
        grads[f"b{i}"] = np.sum(delta, axis=1, keepdims=True)
        if i > 0:
            delta = (params[f"A{i}"].T @ delta) * fi * (1 - fi)
    return {k: grads[k] for k in params}


def deep_general(*, stop=0, sp_from="fi", out_sp=True, hard2=False, order="ok", Kdiv=2, mean=False):
    def fn(params, trace, Y):
        K = len(params) // Kdiv
        if hard2:
            K = 2
        grads = {}
        fK = trace[f"f{K}"]
        delta = (fK - Y) * (fK * (1 - fK) if out_sp else 1.0)
        for i in range(K - 1, stop - 1, -1):
            fi = trace[f"f{i}"]
            grads[f"A{i}"] = delta @ fi.T
            grads[f"b{i}"] = np.sum(delta, axis=1, keepdims=True)
            if i > 0:
                if sp_from == "fi":
                    s = fi * (1 - fi)
                else:                                  # "fi+1": the layer above's slope
                    f_next = trace[f"f{i + 1}"]
                    s = f_next * (1 - f_next)
                delta = (params[f"A{i}"].T @ delta) * s
        if mean:
            R = Y.shape[1]
            grads = {k: v / R for k, v in grads.items()}
        return grads
    return fn


def deep_bias_after(params, trace, Y):
    K = len(params) // 2
    grads = {}
    fK = trace[f"f{K}"]
    delta = (fK - Y) * fK * (1 - fK)
    for i in range(K - 1, -1, -1):
        fi = trace[f"f{i}"]
        grads[f"A{i}"] = delta @ fi.T
        if i > 0:
            delta = (params[f"A{i}"].T @ delta) * fi * (1 - fi)
        grads[f"b{i}"] = np.sum(delta, axis=1, keepdims=True)   # after the propagation: delta of layer i
    return grads


def deep_using_Z(params, trace, Y):
    K = len(params) // 2
    grads = {}
    fK = trace[f"f{K}"]
    delta = (fK - Y) * fK * (1 - fK)
    for i in range(K - 1, -1, -1):
        grads[f"A{i}"] = delta @ trace[f"Z{i}" if i > 0 else "f0"].T      # Z_i instead of f_i
        grads[f"b{i}"] = np.sum(delta, axis=1, keepdims=True)
        if i > 0:
            fi = trace[f"f{i}"]
            delta = (params[f"A{i}"].T @ delta) * fi * (1 - fi)
    return grads


add(E, "correct: reversed range loop", "correct", deep_ok)
add(E, "loop stops at i=1: A0, b0 missing", "wrong", deep_general(stop=1))
add(E, "sigma' for hidden layers from f_{i+1} (layer index mix; crashes or wrong)", "wrong",
    deep_general(sp_from="fi+1"))
add(E, "hard-coded K=2", "wrong", deep_general(hard2=True))
add(E, "no sigma' in delta_K", "wrong", deep_general(out_sp=False))
add(E, "averaged over R", "wrong", deep_general(mean=True))
add(E, "dA_i uses Z_i instead of f_i (pre-activation instead of output)", "wrong", deep_using_Z)
add(E, "db_i taken after propagating delta (delta_i instead of delta_{i+1})", "wrong", deep_bias_after)

# ============================================================================ 08-linear-output
E = "08-linear-output"


def lin_ok(params, trace, Y):
    d2 = trace["f2"] - Y
    f1 = trace["f1"]
    d1 = (params["A1"].T @ d2) * (f1 - f1 * f1)
    return {"A0": d1 @ trace["f0"].T, "b0": d1.sum(1, keepdims=True),
            "A1": d2 @ f1.T, "b1": d2.sum(1, keepdims=True)}


def lin_ok_Z(params, trace, Y):
    d2 = trace["Z2"] - Y
    grads = {}
    grads["b1"] = np.add.reduce(d2, axis=1).reshape(-1, 1)
    grads["A1"] = np.einsum("ir,jr->ij", d2, trace["f1"])
    f1 = trace["f1"]
    d1 = np.einsum("ji,jr->ir", params["A1"], d2) * f1 * (1 - f1)
    grads["b0"] = np.add.reduce(d1, axis=1).reshape(-1, 1)
    grads["A0"] = np.einsum("ir,jr->ij", d1, trace["f0"])
    return grads


add(E, "correct", "correct", lin_ok)
add(E, "correct: delta2 from Z2", "correct", lin_ok_Z)
add(E, "kept sigma'(Z2) of the sigmoid case", "wrong",
    lambda p, t, Y: bw_general()(p, t, Y))
add(E, "dropped sigma'(Z1) as well (identity everywhere)", "wrong",
    lambda p, t, Y: bw_general(sp1=False, sp2=False)(p, t, Y))
add(E, "sign: Y - f2", "wrong", lambda p, t, Y: bw_general(sign=-1, sp2=False)(p, t, Y))
add(E, "dA0 uses f1 (layer mix)", "wrong", lambda p, t, Y: bw_general(sp2=False, f_for_A0="f1")(p, t, Y))
add(E, "averaged over R", "wrong", lambda p, t, Y: bw_general(sp2=False, mean=True)(p, t, Y))
add(E, "bias grads (n,)", "wrong", lambda p, t, Y: bw_general(sp2=False, keep=False)(p, t, Y))
add(E, "A1 instead of A1^T (square only)", "wrong", lambda p, t, Y: bw_general(sp2=False, transpose=False)(p, t, Y))
add(E, "sigma'(Z1) from Z1 (pre-activation)", "wrong", lambda p, t, Y: bw_general(sp2=False, pre=True)(p, t, Y))
add(E, "calls coursekit.backward with identity output", "wrong",
    lambda p, t, Y: coursekit.backward(p, t, Y, ["sigmoid", "identity"]))

# ============================================================================ 09-train
E = "09-train"


def tr_ok(params, X, Y, eta, steps):
    theta = {k: np.array(v, copy=True) for k, v in params.items()}
    history = np.zeros(steps + 1)
    for t in range(steps + 1):
        history[t] = coursekit.total_cost(theta, X, Y)
        if t == steps:
            break
        grads = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        theta = {k: theta[k] - eta * grads[k] for k in theta}
    return theta, history


def tr_general(*, first=True, last=True, copy="deep", sign=-1, stale=False, mean=False, swap=False,
               extra=False, sequential=False):
    def fn(params, X, Y, eta, steps):
        if copy == "deep":
            theta = {k: v.copy() for k, v in params.items()}
        elif copy == "none":
            theta = params
        else:
            theta = dict(params)
        history = [coursekit.total_cost(theta, X, Y)] if first else []
        g0 = coursekit.backward(theta, coursekit.forward(theta, X), Y)
        n = steps + 1 if extra else steps
        for t in range(n):
            if sequential:
                for k in list(theta):
                    g = coursekit.backward(theta, coursekit.forward(theta, X), Y)
                    theta[k] = theta[k] - eta * g[k]
            else:
                g = g0 if stale else coursekit.backward(theta, coursekit.forward(theta, X), Y)
                c = eta / X.shape[1] if mean else eta
                for k in theta:
                    if copy == "deep":
                        theta[k] = theta[k] + sign * c * g[k]
                    else:
                        theta[k] += sign * c * g[k]
            if last or t < n - 1:
                history.append(coursekit.total_cost(theta, X, Y))
        out = (theta, np.array(history))
        return out[::-1] if swap else out
    return fn


add(E, "correct", "correct", tr_ok)
add(E, "history misses E(theta(steps)) (length steps)", "wrong", tr_general(last=False))
add(E, "history misses E(theta(0))", "wrong", tr_general(first=False))
add(E, "modifies params in place (no copy)", "wrong", tr_general(copy="none"))
add(E, "shallow copy dict(params) then -= on arrays", "wrong", tr_general(copy="shallow"))
add(E, "plus sign", "wrong", tr_general(sign=+1))
add(E, "gradient computed once, reused every step", "wrong", tr_general(stale=True))
add(E, "averaged gradient (eta/R)", "wrong", tr_general(mean=True))
add(E, "returns (history, params) swapped", "wrong", tr_general(swap=True))
add(E, "steps+1 updates", "wrong", tr_general(extra=True))
add(E, "parameters updated one after another, re-forwarding in between", "wrong", tr_general(sequential=True))

# ============================================================================ 09-weight-decay
E = "09-weight-decay"


def wd_ok(params, trace, Y, lam):
    g = coursekit.backward(params, trace, Y)
    out = {}
    for k in params:
        out[k] = g[k] + (lam * params[k] if k[0] == "A" else 0.0)
    return out


def wd_general(*, biases=False, factor=1.0, sign=1, only_penalty=False, only_A0=False, kind="l2"):
    def fn(params, trace, Y, lam):
        g = coursekit.backward(params, trace, Y)
        out = {}
        for k, v in params.items():
            base = 0.0 * g[k] if only_penalty else g[k]
            penalised = k.startswith("A") or biases
            if only_A0:
                penalised = k == "A0"
            if kind == "l2":
                pen = factor * lam * v
            elif kind == "l1":
                pen = lam * np.sign(v)
            elif kind == "sum":
                pen = lam * np.sum(v)
            elif kind == "norm":
                pen = lam * np.linalg.norm(v)
            out[k] = base + sign * pen if penalised else base
        return out
    return fn


def wd_inplace(params, trace, Y, lam):
    g = coursekit.backward(params, trace, Y)
    for k in params:
        if k.startswith("A"):
            params[k] *= (1 - lam)                    # "decays" the weights in place
            g[k] = g[k] + lam * params[k]
    return g


add(E, "correct", "correct", wd_ok)
add(E, "decays biases too", "wrong", wd_general(biases=True))
add(E, "factor 2: 2*lam*A", "wrong", wd_general(factor=2.0))
add(E, "lam/2 * A (the 1/2 not cancelled)", "wrong", wd_general(factor=0.5))
add(E, "sign: -lam*A", "wrong", wd_general(sign=-1))
add(E, "only the penalty part, data term dropped", "wrong", wd_general(only_penalty=True))
add(E, "only A0 decayed (hard-coded key)", "wrong", wd_general(only_A0=True))
add(E, "L1: lam*sign(A)", "wrong", wd_general(kind="l1"))
add(E, "lam * sum(A) scalar added to every entry", "wrong", wd_general(kind="sum"))
add(E, "lam * ||A|| scalar added", "wrong", wd_general(kind="norm"))
add(E, "modifies params in place (decay step applied to params)", "wrong", wd_inplace)

# ============================================================================ 10-softmax-jacobian
E = "10-softmax-jacobian"


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def smj_ok(z):
    p = _softmax(z)
    n = p.size
    J = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            J[i, j] = p[i] * ((1.0 if i == j else 0.0) - p[j])
    return J


def smj_naive(z):
    with np.errstate(all="ignore"):
        p = np.exp(z) / np.sum(np.exp(z))
    return np.diag(p) - np.outer(p, p)


def smj_min(z):
    with np.errstate(all="ignore"):
        e = np.exp(z - np.min(z))
        p = e / e.sum()
    return np.diag(p) - np.outer(p, p)


add(E, "correct: double loop with Kronecker delta", "correct", smj_ok)
add(E, "only the diagonal p(1-p)", "wrong", lambda z: np.diag(_softmax(z) * (1 - _softmax(z))))
add(E, "no max shift (NaN at large z)", "wrong", smj_naive)
add(E, "sign: p p^T - diag(p)", "wrong", lambda z: np.outer(_softmax(z), _softmax(z)) - np.diag(_softmax(z)))
add(E, "diag(p) - p*p broadcast (elementwise)", "wrong", lambda z: np.diag(_softmax(z)) - _softmax(z) * _softmax(z))
add(E, "uses coursekit softmax", "wrong",
    lambda z: np.diag(coursekit.activations.softmax(z)) - np.outer(coursekit.activations.softmax(z), coursekit.activations.softmax(z)))
add(E, "diagonal p_i, forgot -p_i^2 there", "wrong",
    lambda z: np.diag(_softmax(z)) - np.outer(_softmax(z), _softmax(z)) + np.diag(_softmax(z) ** 2))
add(E, "shift by min instead of max (overflow)", "wrong", smj_min)
add(E, "sigmoid instead of softmax: diag(s(1-s)) - s s^T", "wrong",
    lambda z: np.diag(sig(z) * (1 - sig(z))) - np.outer(sig(z), sig(z)))

# ============================================================================ 10-softmax-delta
E = "10-softmax-delta"


def sd_ok(ZK, Y):
    out = np.empty_like(ZK, dtype=float)
    for r in range(ZK.shape[1]):
        z = ZK[:, r]
        e = np.exp(z - z.max())
        out[:, r] = e / e.sum() - Y[:, r]
    return out


def _colsoftmax(Z, axis=0):
    e = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def sd_global_max(ZK, Y):
    with np.errstate(all="ignore"):
        e = np.exp(ZK - np.max(ZK))
        return e / e.sum(axis=0, keepdims=True) - Y


def sd_naive(ZK, Y):
    with np.errstate(all="ignore"):
        e = np.exp(ZK)
        return e / e.sum(axis=0, keepdims=True) - Y


def sd_onehot(ZK, Y):
    P = _colsoftmax(ZK)
    onehot = np.zeros_like(P)
    onehot[np.argmax(Y, axis=0), np.arange(Y.shape[1])] = 1.0
    return P - onehot


add(E, "correct: loop over columns", "correct", sd_ok)
add(E, "sign: Y - p", "wrong", lambda Z, Y: Y - _colsoftmax(Z))
add(E, "softmax over axis=1 (over examples)", "wrong", lambda Z, Y: _colsoftmax(Z, axis=1) - Y)
add(E, "averaged over R", "wrong", lambda Z, Y: (_colsoftmax(Z) - Y) / Z.shape[1])
add(E, "no max shift (overflow)", "wrong", sd_naive)
add(E, "shift by the global max of ZK (underflow in other columns)", "wrong", sd_global_max)
add(E, "extra diagonal Jacobian factor: (p-Y)*p*(1-p)", "wrong",
    lambda Z, Y: (_colsoftmax(Z) - Y) * _colsoftmax(Z) * (1 - _colsoftmax(Z)))
add(E, "dE/dp only: -Y/p", "wrong", lambda Z, Y: -Y / np.maximum(_colsoftmax(Z), 1e-300))
add(E, "replaces soft targets by one-hot argmax (right only for one-hot Y)", "wrong", sd_onehot)
add(E, "transposed (R, n_K)", "wrong", lambda Z, Y: (_colsoftmax(Z) - Y).T)

# ============================================================================ 10-affine-backward
E = "10-affine-backward"


def ab_ok(dZ, cache):
    f, A, b = cache
    df = np.einsum("oi,or->ir", A, dZ)
    dA = np.einsum("or,ir->oi", dZ, f)
    db = np.einsum("or->o", dZ)[:, None]
    return df, dA, db


add(E, "correct: einsum", "correct", ab_ok)
add(E, "correct: returned as a list", "correct", lambda dZ, c: list(ab_ok(dZ, c)))
add(E, "db (n,) not (n,1)", "wrong", lambda dZ, c: (c[1].T @ dZ, dZ @ c[0].T, dZ.sum(axis=1)))
add(E, "db summed over axis 0", "wrong", lambda dZ, c: (c[1].T @ dZ, dZ @ c[0].T, dZ.sum(axis=0, keepdims=True)))
add(E, "db = dZ (not summed)", "wrong", lambda dZ, c: (c[1].T @ dZ, dZ @ c[0].T, dZ))
add(E, "df = A dZ (no transpose; runs only when n_out == n_in)", "wrong",
    lambda dZ, c: (c[1] @ dZ, dZ @ c[0].T, dZ.sum(1, keepdims=True)))
add(E, "dA transposed: f dZ^T", "wrong", lambda dZ, c: (c[1].T @ dZ, c[0] @ dZ.T, dZ.sum(1, keepdims=True)))
add(E, "averaged over R", "wrong",
    lambda dZ, c: (c[1].T @ dZ, dZ @ c[0].T / dZ.shape[1], dZ.sum(1, keepdims=True) / dZ.shape[1]))
add(E, "return order (dA, db, df)", "wrong", lambda dZ, c: (dZ @ c[0].T, dZ.sum(1, keepdims=True), c[1].T @ dZ))
add(E, "df summed over examples: A^T sum(dZ) (n_in,1)", "wrong",
    lambda dZ, c: (c[1].T @ dZ.sum(1, keepdims=True), dZ @ c[0].T, dZ.sum(1, keepdims=True)))


def ab_inplace(dZ, cache):
    f, A, b = cache
    df = A.T @ dZ
    dA = dZ @ f.T
    db = dZ.sum(axis=1, keepdims=True)
    b -= db                                          # confuses backward with an update: changes the cache
    return df, dA, db


add(E, "modifies the cache's b in place (b -= db)", "wrong", ab_inplace)
add(E, "df transposed: dZ^T A (R, n_in)", "wrong",
    lambda dZ, c: (dZ.T @ c[1], dZ @ c[0].T, dZ.sum(1, keepdims=True)))


def eng_noreset_rebuild(params, X, Y):
    # grads never reset in backward, but every call builds fresh nodes (whose grads start at 0)
    return make_engine(reset=False)(params, X, Y)


add("06-engine", "backward without reset, but fresh nodes every call (harmless?)", "edge", eng_noreset_rebuild)


class _PersistAll(_Persist):
    """Like _Persist, but keeps the graphs of all problems (no clear): a second call on a problem doubles."""

    def __call__(self, params, X, Y):
        saved = self.store.clear
        self.store.clear = None if False else (lambda: None)
        return _Persist.__call__(self, params, X, Y)


class _Store(dict):
    def clear(self):
        pass


_PERSIST_ALL = _Persist()
_PERSIST_ALL.store = _Store()
add("06-engine", "no reset; graph of every problem cached between calls (second call on a problem doubles)", "wrong",
    lambda params, X, Y: _PERSIST_ALL(params, X, Y))
