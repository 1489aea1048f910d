"""Student-style answers for the exercises of notebooks 03–05 (see answers.py)."""
import math  # noqa: F401

import numpy as np  # noqa: F401

import coursekit  # noqa: F401
from answers import answer, central, sigma  # noqa: F401


# ------------------------------------------------------------------- 03-sigmoid-jacobian: s(z) = z ⊙ σ(z)

@answer("correct", "03-sigmoid-jacobian")
def sigmoid_jacobian(z):
    s = 1.0 / (1.0 + np.exp(-z))
    return np.diag(s + z * s * (1.0 - s))


@answer("correct", "03-sigmoid-jacobian")
def sigmoid_jacobian_loop(z):
    n = len(z)
    J = np.zeros((n, n))
    for i in range(n):
        if z[i] >= 0:                                    # σ without overflow
            s = 1 / (1 + math.exp(-z[i]))
        else:
            s = math.exp(z[i]) / (1 + math.exp(z[i]))
        J[i, i] = s * (1 + z[i] * (1 - s))               # σ + z σ(1 − σ), factored
    return J


@answer("correct", "03-sigmoid-jacobian")
def sigmoid_jacobian_with_coursekits_sigma(z):
    s = coursekit.activations.sigmoid(np.asarray(z, dtype=float))
    ds = s * (1 - s)
    return np.eye(len(z)) * (s + z * ds)


@answer("numerical", "03-sigmoid-jacobian")
def sigmoid_jacobian_numerically(z):
    z = np.asarray(z, dtype=float)
    J = np.zeros((z.size, z.size))
    for j in range(z.size):
        step = np.zeros(z.size)
        step[j] = 1e-5
        J[:, j] = ((z + step) * sigma(z + step) - (z - step) * sigma(z - step)) / 2e-5
    return J


@answer("delegating", "03-sigmoid-jacobian")
def sigmoid_jacobian_with_coursekits_sigma_prime(z):
    s = coursekit.activations.sigmoid(z)
    return np.diag(s + z * coursekit.activations.sigmoid_prime(z, s))


@answer("delegating", "03-sigmoid-jacobian")
def sigmoid_jacobian_by_coursekit_jacobian(z):
    return coursekit.jacobian(lambda v: v * coursekit.activations.sigmoid(v), z)


# ---------------------------------------------------------------------- 03-tanh-jacobian: tanh(Ax + b)

@answer("correct", "03-tanh-jacobian")
def tanh_layer_jacobian(A, x, b):
    z = A @ x + b
    return np.diag(1 - np.tanh(z) ** 2) @ A


@answer("correct", "03-tanh-jacobian")
def tanh_layer_jacobian_rows(A, x, b):
    t = np.tanh(A @ x + b)
    return (1 - t * t).reshape(-1, 1) * A                 # row i of A scaled by tanh'(z_i)


@answer("correct", "03-tanh-jacobian")
def tanh_layer_jacobian_entries(A, x, b):
    m, n = A.shape
    J = np.zeros((m, n))
    for i in range(m):
        z_i = sum(A[i, j] * x[j] for j in range(n)) + b[i]
        for j in range(n):
            J[i, j] = A[i, j] / math.cosh(z_i) ** 2 if abs(z_i) < 350 else 0.0   # sech² without overflow
    return J


@answer("correct", "03-tanh-jacobian")
def tanh_layer_jacobian_sech(A, x, b):
    return np.einsum("i,ij->ij", 1 / np.cosh(A @ x + b) ** 2, A)   # cosh overflows to inf: 1/inf = 0 is right


@answer("numerical", "03-tanh-jacobian")
def tanh_layer_jacobian_numerically(A, x, b):
    J = np.zeros(A.shape)
    for j in range(A.shape[1]):
        step = np.zeros(A.shape[1])
        step[j] = 1e-6
        J[:, j] = (np.tanh(A @ (x + step) + b) - np.tanh(A @ (x - step) + b)) / 2e-6
    return J


@answer("delegating", "03-tanh-jacobian")
def tanh_layer_jacobian_by_tanh_prime(A, x, b):
    z = A @ x + b
    return np.diag(coursekit.activations.tanh_prime(z, np.tanh(z))) @ A


@answer("delegating", "03-tanh-jacobian")
def tanh_layer_jacobian_by_coursekit_jacobian(A, x, b):
    return coursekit.jacobian(lambda v: np.tanh(A @ v + b), x)


# ----------------------------------------------------------------- 04-least-squares: L = ‖y − σ(Φθ)‖²

@answer("correct", "04-least-squares")
def dL_dtheta(Phi, y, theta):
    f = 1 / (1 + np.exp(-(Phi @ theta)))
    e = y - f
    return -2 * (e * f * (1 - f)).T @ Phi


@answer("correct", "04-least-squares")
def dL_dtheta_as_a_column_then_transposed(Phi, y, theta):
    f = coursekit.activations.sigmoid(Phi @ theta)
    return (2 * Phi.T @ ((f - y) * f * (1 - f))).T


@answer("correct", "04-least-squares")
def dL_dtheta_jacobian_product(Phi, y, theta):
    N = Phi.shape[0]
    u = Phi @ theta
    f = np.exp(-np.logaddexp(0, -u))                       # σ(u) without overflow
    dL_de = 2 * (y - f).T                                  # (5.81)
    de_df = -np.eye(N)
    df_du = np.diag((f * (1 - f))[:, 0])
    return dL_de @ de_df @ df_du @ Phi                     # ∂u/∂θ = Φ


@answer("correct", "04-least-squares")
def dL_dtheta_loops(Phi, y, theta):
    N, D = Phi.shape
    grad = np.zeros((1, D))
    for n in range(N):
        u = float(Phi[n] @ theta[:, 0])
        f = 1 / (1 + math.exp(-u)) if u > -500 else 0.0
        for d in range(D):
            grad[0, d] += -2 * (y[n, 0] - f) * f * (1 - f) * Phi[n, d]
    return grad


@answer("numerical", "04-least-squares")
def dL_dtheta_numerically(Phi, y, theta):
    def L(th):
        e = y - coursekit.activations.sigmoid(Phi @ th)
        return float(np.sum(e ** 2))
    return central(L, theta).T


@answer("delegating", "04-least-squares")
def dL_dtheta_by_sigmoid_prime(Phi, y, theta):
    u = Phi @ theta
    f = coursekit.activations.sigmoid(u)
    return -2 * ((y - f) * coursekit.activations.sigmoid_prime(u, f)).T @ Phi


@answer("delegating", "04-least-squares")
def dL_dtheta_by_coursekit_gradient(Phi, y, theta):
    return coursekit.gradient(lambda th: float(np.sum((y - coursekit.activations.sigmoid(Phi @ th)) ** 2)), theta)


# ------------------------------------------------------------------------ 05-outer-tensor: d(x xᵀ)/dx

@answer("correct", "05-outer-tensor")
def dxxT_dx(x):
    I = np.eye(len(x))
    return np.einsum("ik,j->ijk", I, x) + np.einsum("i,jk->ijk", x, I)


@answer("correct", "05-outer-tensor")
def dxxT_dx_loops(x):
    n = len(x)
    T = np.zeros((n, n, n))
    for i in range(n):
        for j in range(n):
            for k in range(n):
                T[i, j, k] = (x[j] if i == k else 0.0) + (x[i] if j == k else 0.0)
    return T


@answer("correct", "05-outer-tensor")
def dxxT_dx_slices(x):
    x = x.reshape(-1, 1)
    slices = []
    for k in range(x.shape[0]):
        e_k = np.zeros_like(x)
        e_k[k] = 1.0
        slices.append(e_k @ x.T + x @ e_k.T)                 # ∂(x xᵀ)/∂x_k by the product rule
    return np.stack(slices, axis=-1)                         # Approach 1


@answer("correct", "05-outer-tensor")
def dxxT_dx_flattened_then_folded(x):
    n = x.size
    J = np.zeros((n * n, n))                                 # Approach 2: d vec(x xᵀ)/dx, row i·n + j
    for i in range(n):
        for j in range(n):
            J[i * n + j, i] += x[j]
            J[i * n + j, j] += x[i]
    return J.reshape(n, n, n)


@answer("numerical", "05-outer-tensor")
def dxxT_dx_numerically(x):
    n = x.size
    T = np.zeros((n, n, n))
    for k in range(n):
        step = np.zeros(n)
        step[k] = 1e-5
        T[:, :, k] = (np.outer(x + step, x + step) - np.outer(x - step, x - step)) / 2e-5
    return T


@answer("delegating", "05-outer-tensor")
def dxxT_dx_by_tensor_jacobian(x):
    return coursekit.tensor_jacobian(lambda v: np.outer(v, v), x)


@answer("delegating", "05-outer-tensor")
def dxxT_dx_by_flattened_jacobian(x):
    return coursekit.jacobian(lambda v: np.outer(v, v).ravel(), x).reshape(x.size, x.size, x.size)


# ----------------------------------------------------------------- 05-matrix-gradient (answers.py has two)

@answer("correct", "05-matrix-gradient")
def dL_dA_broadcast(A, x, y):
    return (A @ x - y) * x.T                                 # (M, 1) * (1, N): the outer product


@answer("delegating", "05-matrix-gradient")
def dL_dA_by_tensor_jacobian(A, x, y):
    return coursekit.tensor_jacobian(lambda W: 0.5 * float(np.sum((W @ x - y) ** 2)), A)


@answer("delegating", "05-matrix-gradient")
def dL_dA_by_an_identity_network(A, x, y):
    params = {"A0": A, "b0": np.zeros((A.shape[0], 1))}
    trace = coursekit.forward(params, x, activation="identity")
    return coursekit.backward(params, trace, y, activation="identity")["A0"]
