"""Checks of notebooks 04–05: the least-squares gradient (5.83) and the gradient of ½‖Ax − y‖² with respect
to the matrix A (5.88)–(5.92).

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from .catalogue import Case, Exercise, Mistake
from .rules import right_only_on


# ------------------------------------------------------------------------------------- 04-least-squares

def _lsq_ref(Phi, y, theta):
    e = y - Phi @ theta                          # (5.77)
    return -2 * e.T @ Phi                        # (5.83), 1 × D


def _lsq_problems(rng):
    cases = []
    for N, D in [(5, 3), (4, 2), (6, 4), (3, 3)]:
        Phi, y, theta = rng.normal(size=(N, D)), rng.normal(size=(N, 1)), rng.normal(size=(D, 1))
        cases.append(Case((Phi, y, theta), f"Φ of shape ({N}, {D})", {"probe", "square"} if N == D else {"probe"}))
    return cases


LEAST_SQUARES = Exercise(
    id="04-least-squares", function="dL_dtheta", args=("Phi", "y", "theta"), analytic=True,
    forbidden=("numerical",),
    rules=[right_only_on("square", "right_only_for_square", "right only when Φ is square (N = D): somewhere a "
                                                            "Φ stands where Φᵀ belongs, or the other way round; "
                                                            "follow the shapes (1 × N)(N × D) = 1 × D in (5.83)")],
    step="(5.79)–(5.83)",
    reference=_lsq_ref, problems=_lsq_problems,
    mistakes=[
        Mistake("sign_error", "the sign is wrong: e = y − Φθ gives ∂e/∂θ = −Φ (5.82), so "
                              "∂L/∂θ = −2eᵀΦ (5.83)",
                lambda Phi, y, theta: -_lsq_ref(Phi, y, theta)),
        Mistake("missing_factor_2", "the factor 2 is missing: L = ‖e‖² = eᵀe gives ∂L/∂e = 2eᵀ (5.81)",
                lambda Phi, y, theta: 0.5 * _lsq_ref(Phi, y, theta)),
        Mistake("column_not_row", "the gradient is a column (D, 1); ∂L/∂θ is a 1 × D ROW (5.78): "
                                  "−2eᵀΦ, not −2Φᵀe",
                lambda Phi, y, theta: _lsq_ref(Phi, y, theta).T),
        Mistake("flat_not_row", "the gradient is a 1-D array (D,); ∂L/∂θ is a 1 × D row (5.78)",
                lambda Phi, y, theta: _lsq_ref(Phi, y, theta).ravel()),
        Mistake("mean_instead_of_sum", "this divides by N: L = ‖e‖² (5.76) sums the N squared errors, with "
                                       "no mean",
                lambda Phi, y, theta: _lsq_ref(Phi, y, theta) / Phi.shape[0]),
        Mistake("missing_inner_jacobian", "this is ∂L/∂e = 2eᵀ (1 × N) only; the chain rule (5.79) multiplies "
                                          "it by ∂e/∂θ = −Φ (5.82)",
                lambda Phi, y, theta: 2 * (y - Phi @ theta).T),
    ])


# ------------------------------------------------------------------------------------ 05-matrix-gradient

def _matrix_ref(A, x, y):
    return (A @ x - y) @ x.T


def _matrix_problems(rng):
    cases = []
    for M, N in [(3, 2), (2, 4), (4, 3), (3, 3)]:
        A, x, y = rng.normal(size=(M, N)), rng.normal(size=(N, 1)), rng.normal(size=(M, 1))
        cases.append(Case((A, x, y), f"A of shape ({M}, {N})", {"probe", "square"} if M == N else {"probe"}))
    return cases


MATRIX_GRADIENT = Exercise(
    id="05-matrix-gradient", function="dL_dA", args=("A", "x", "y"), analytic=True, forbidden=("numerical",),
    step="(5.88)–(5.92): row i of ∂L/∂A is ∂L/∂f_i · xᵀ",
    reference=_matrix_ref, problems=_matrix_problems,
    mistakes=[
        Mistake("transposed", "the gradient is transposed, x(Ax − y)ᵀ of shape (N, M); ∂f_i/∂A_{i,:} = xᵀ "
                              "(5.90) puts xᵀ in row i, so ∂L/∂A = (Ax − y) xᵀ has A's shape (M, N)",
                lambda A, x, y: x @ (A @ x - y).T),
        Mistake("missing_x", "the factor xᵀ is missing: ∂f_i/∂A_iq = x_q (5.89), so row i of ∂L/∂A is "
                             "(Ax − y)_i xᵀ",
                lambda A, x, y: A @ x - y),
        Mistake("missing_x", "every column is Ax − y, without the factor x_q: ∂f_i/∂A_iq = x_q (5.89), so "
                             "∂L/∂A = (Ax − y) xᵀ",
                lambda A, x, y: np.tile(A @ x - y, (1, A.shape[1]))),
        Mistake("sign_error", "the sign is wrong: L = ½‖Ax − y‖² gives ∂L/∂f = (Ax − y)ᵀ, not (y − Ax)ᵀ, "
                              "which multiplies ∂f/∂A of (5.87)–(5.92)",
                lambda A, x, y: -_matrix_ref(A, x, y)),
        Mistake("factor_two", "this is twice the gradient: the ½ of L = ½‖Ax − y‖² cancels the 2 from the "
                              "square, ∂L/∂f = (Ax − y)ᵀ, before ∂f/∂A of (5.87)–(5.92)",
                lambda A, x, y: 2 * _matrix_ref(A, x, y)),
        Mistake("missing_y", "the error must be Ax − y; this uses Ax alone: ∂L/∂f = (Ax − y)ᵀ before ∂f/∂A of (5.87)",
                lambda A, x, y: (A @ x) @ x.T),
        Mistake("gradient_wrt_x", "this is ∂L/∂x transposed, Aᵀ(Ax − y); the exercise asks for the gradient "
                                  "with respect to the matrix A, ∂L/∂A = (Ax − y) xᵀ (5.88)–(5.92)",
                lambda A, x, y: A.T @ (A @ x - y)),
    ])


EXERCISES = [LEAST_SQUARES, MATRIX_GRADIENT]
