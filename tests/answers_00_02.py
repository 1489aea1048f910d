"""Student-style answers for the exercises of notebooks 00–02 (see answers.py).

Each is written the way a student would write it, independently of coursekit's references: loops, other
formulas, other layouts. test_catalogue.py checks each on the practice problems and on fresh draws.
"""
import math  # noqa: F401

import numpy as np  # noqa: F401

import coursekit  # noqa: F401
from answers import answer, central, sigma  # noqa: F401


# ----------------------------------------------------------------------------------------------------- 00

@answer("correct", "00-total-cost")
def total_cost_trace(F, Y):
    e = F - Y
    return 0.5 * np.trace(e.T @ e)            # the diagonal of (f − Y)ᵀ(f − Y) holds 2E^r


@answer("correct", "00-total-cost")
def total_cost_double_loop(F, Y):
    n, R = F.shape
    total = 0
    for r in range(R):
        for k in range(n):
            total = total + (F[k, r] - Y[k, r]) ** 2 / 2
    return total


@answer("correct", "00-total-cost")
def total_cost_norms(F, Y):
    return sum(0.5 * np.linalg.norm(F[:, r] - Y[:, r]) ** 2 for r in range(Y.shape[1]))


@answer("correct", "00-total-cost")
def total_cost_numpy_scalar(F, Y):
    return np.float64(0.5) * np.einsum("kr,kr->", Y - F, Y - F)     # a NumPy scalar is accepted


@answer("delegating", "00-total-cost")
def total_cost_by_per_example_cost(F, Y):
    from coursekit.costs import per_example_cost as cost
    return float(cost("squared", F, Y).sum())


@answer("correct", "00-gradient-descent")
def gradient_descent_list(dE, theta0, eta, steps):
    thetas = [theta0]
    theta = theta0
    for t in range(1, steps + 1):
        theta -= eta * dE(theta)
        thetas.append(theta)
    return thetas                                 # a list of steps + 1 numbers is accepted


@answer("correct", "00-gradient-descent")
def gradient_descent_preallocated(dE, theta0, eta, steps):
    path = np.empty(steps + 1)
    path[0] = theta0
    for t in range(steps):
        path[t + 1] = path[t] - eta * dE(path[t])
    return path


# ----------------------------------------------------------------------------------------------------- 01

@answer("correct", "01-gradient")
def numerical_gradient_put_back_exactly(f, x, h=1e-5):
    g = np.zeros((1, len(x)))
    for i in range(len(x)):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old                                   # restored bit for bit
        g[0, i] = (f_plus - f_minus) / (2 * h)
    return g


@answer("correct", "01-gradient")
def numerical_gradient_restore_after_each(f, x, h=1e-5):
    n = x.shape[0]
    row = np.zeros((1, n))
    for i in range(n):
        x[i] = x[i] + h
        up = f(x)
        x[i] = x[i] - h                              # back (up to round-off) …
        x[i] = x[i] - h
        down = f(x)
        x[i] = x[i] + h                              # … and back again
        row[0, i] = (up - down) / 2 / h
    return row


@answer("correct", "01-gradient")
def numerical_gradient_identity_rows(f, x, h=1e-5):
    E = np.eye(x.size) * h                           # row i is h e_i
    return np.array([[(f(x + E[i]) - f(x - E[i])) / (2 * h) for i in range(x.size)]])


@answer("delegating", "01-gradient")
def numerical_gradient_by_jacobian(f, x, h=1e-5):
    from coursekit.calculus import jacobian as J
    return J(lambda v: np.array([f(v)]), x, h)


# ----------------------------------------------------------------------------------------------------- 02

@answer("correct", "02-chain-rule")
def df_dst_two_sums(s, t):
    x1 = s * t
    x2 = s + t * t
    df_dx1 = np.cos(x1) * x2 ** 2
    df_dx2 = np.sin(x1) * 2 * x2
    df_ds = df_dx1 * t + df_dx2 * 1             # (5.51)
    df_dt = df_dx1 * s + df_dx2 * 2 * t         # (5.52)
    return np.array([df_ds, df_dt]).reshape(1, 2)


@answer("correct", "02-chain-rule")
def df_dst_factored(s, t):
    q = s + t ** 2
    c, sn = math.cos(s * t), math.sin(s * t)
    return np.array([[q * (t * q * c + 2 * sn), q * (s * q * c + 4 * t * sn)]])


@answer("numerical", "02-chain-rule")
def df_dst_forward_differences(s, t):
    h = 1e-7

    def f(s, t):
        return np.sin(s * t) * (s + t ** 2) ** 2
    return np.array([[(f(s + h, t) - f(s, t)) / h, (f(s, t + h) - f(s, t)) / h]])


@answer("numerical", "02-chain-rule")
def df_dst_central_small_step(s, t):
    h = 1e-6
    f = lambda a, b: math.sin(a * b) * (a + b ** 2) ** 2      # noqa: E731
    return np.array([[(f(s + h, t) - f(s - h, t)) / (2 * h), (f(s, t + h) - f(s, t - h)) / (2 * h)]])


@answer("delegating", "02-chain-rule")
def df_dst_by_autodiff(s, t):
    from coursekit import autodiff as ad
    S, T = ad.Var(s, name="s"), ad.Var(t, name="t")
    x1, x2 = S * T, S + T * T
    f = ad.sin(x1) * x2 * x2
    f.backward()
    return np.array([[S.grad, T.grad]])


@answer("correct", "02-cross-entropy-chain")
def dE_dz(z, y):
    f = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
    return (f - y).reshape(1, -1)


@answer("correct", "02-cross-entropy-chain")
def dE_dz_naive_sigmoid(z, y):
    f = 1 / (1 + np.exp(-z))                         # overflows to exp(800) = inf, but 1/inf = 0 is right
    return np.array([f - y])


@answer("correct", "02-cross-entropy-chain")
def dE_dz_loop(z, y):
    out = np.zeros((1, len(z)))
    for k in range(len(z)):
        if z[k] >= 0:
            f = 1.0 / (1.0 + math.exp(-z[k]))
        else:
            e = math.exp(z[k])
            f = e / (1.0 + e)
        out[0, k] = f - y[k]
    return out


@answer("correct", "02-cross-entropy-chain")
def dE_dz_tanh(z, y):
    return (0.5 * (1 + np.tanh(z / 2)) - y)[None, :]           # σ(z) = (1 + tanh(z/2))/2


@answer("numerical", "02-cross-entropy-chain")
def dE_dz_by_differences_of_a_stable_cost(z, y):
    def E(v):
        return float(np.sum(y * np.logaddexp(0, -v) + (1 - y) * np.logaddexp(0, v)))
    return central(E, z).reshape(1, -1)


@answer("delegating", "02-cross-entropy-chain")
def dE_dz_by_cost_gradient(z, y):
    f = coursekit.activations.sigmoid(z)
    return (coursekit.costs.cross_entropy_grad(f, y) * f * (1 - f)).reshape(1, -1)


@answer("delegating", "02-cross-entropy-chain")
def dE_dz_by_sigmoid_prime(z, y):
    from coursekit.activations import sigmoid_prime as d
    f = coursekit.activations.sigmoid(z)
    return (((f - y) / (f * (1 - f) + 1e-300)) * d(z, f)).reshape(1, -1)
