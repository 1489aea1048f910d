"""Checks of notebooks 04–05: the least-squares gradient of Example 5.11 with one more link, L = ‖y − σ(Φθ)‖²
(5.79)–(5.83); the gradient tensor of x xᵀ with respect to x (§5.4); and the gradient of ½‖Ax − y‖² with
respect to the matrix A (5.88)–(5.92).

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from ..activations import sigmoid
from .catalogue import Case, Exercise, Mistake
from .rules import right_only_on


def _vector(values):
    return "(" + ", ".join(f"{v:g}" for v in values).replace("-", "−") + ")"


# ------------------------------------------------------------------------------------- 04-least-squares
# The linear model of Example 5.11 squashed by the sigmoid: L(θ) = ‖y − σ(Φθ)‖², one more link in the chain
# (5.79): u = Φθ (N, 1), f = σ(u), e = y − f, and
#     ∂L/∂θ = ∂L/∂e · ∂e/∂f · ∂f/∂u · ∂u/∂θ = 2eᵀ · (−I) · diag(σ'(u)) · Φ = −2 (e ⊙ σ'(u))ᵀ Φ   (1 × D).

def _lsq_parts(Phi, y, theta):
    u = np.asarray(Phi, dtype=np.float64) @ np.asarray(theta, dtype=np.float64)
    f = sigmoid(u)
    return u, f, np.asarray(y, dtype=np.float64) - f, f * (1 - f)     # u, f = σ(u), e, σ'(u)


def _lsq_ref(Phi, y, theta):
    _, _, e, ds = _lsq_parts(Phi, y, theta)
    return -2 * (e * ds).T @ np.asarray(Phi, dtype=np.float64)


def _lsq_variant(*, prime="sigma", error="sigmoid", factor=-2.0, inner=True, layout="row", mean=False):
    """−2 (e ⊙ σ'(u))ᵀ Φ with one known mistake: another σ' (prime), another error e, factor, no Φ, layout."""
    def answer(Phi, y, theta):
        Phi = np.asarray(Phi, dtype=np.float64)
        u, f, e, ds = _lsq_parts(Phi, y, theta)
        if error == "linear":
            e = np.asarray(y, dtype=np.float64) - u
        d = {"sigma": ds, "none": np.ones_like(u), "of_f": sigmoid(f) * (1 - sigmoid(f)),
             "u_formula": u * (1 - u), "sigma_itself": f}[prime]
        g = factor * (e * d).T
        g = g @ Phi if inner else g
        if mean:
            g = g / Phi.shape[0]
        return {"row": g, "column": g.T, "flat": g.ravel()}[layout]
    return answer


def _lsq_case(rng, N, D, extreme=False):
    Phi, y, theta = rng.normal(size=(N, D)), rng.uniform(size=(N, 1)), rng.normal(size=(D, 1))
    tags = ({"square"} if N == D else set()) | ({"N=1"} if N == 1 else set())
    if not extreme:
        return Case((Phi, y, theta), f"Φ of shape ({N}, {D})" + (" (one observation)" if N == 1 else ""),
                    tags | {"probe"})
    t = theta[:, 0]                  # move two rows of Φ along θ so that u = Φθ is beyond ±720 there
    for row, target in ((0, rng.uniform(720, 850)), (1, -rng.uniform(720, 850))):
        Phi[row] += (target - Phi[row] @ t) * t / (t @ t)
    return Case((Phi, y, theta), f"Φ of shape ({N}, {D}) with |Φθ| ≥ 700 in two rows", tags | {"extreme"})


def _lsq_problems(rng):
    return [_lsq_case(rng, 5, 3), _lsq_case(rng, 4, 2), _lsq_case(rng, 6, 4), _lsq_case(rng, 3, 3),
            _lsq_case(rng, 1, 3), _lsq_case(rng, 5, 2, extreme=True)]


LEAST_SQUARES = Exercise(
    id="04-least-squares", function="dL_dtheta", args=("Phi", "y", "theta"), analytic=True,
    forbidden=("numerical", "derivative", "backward", "cost_gradient"),
    overflow_hint="compute σ(u) in an overflow-safe form (np.exp of −|u| only, or "
                  "coursekit.activations.sigmoid) and σ'(u) = σ(u)(1 − σ(u)) from it, not as a quotient of "
                  "exponentials",
    rules=[right_only_on("square", "right_only_for_square", "right only when Φ is square (N = D): somewhere a "
                                                            "Φ stands where Φᵀ belongs, or N where D belongs; "
                                                            "follow the shapes (1 × N)(N × D) = 1 × D of (5.79)"),
           right_only_on("N=1", "right_only_for_one_observation",
                         "right only for a single observation (N = 1), where a matrix product and an "
                         "element-wise product of the N-vectors e and σ'(u) coincide: with N observations "
                         "∂f/∂u = diag(σ'(u)) is N × N, and a row times a diagonal is an element-wise product "
                         "(notebook 03), not a dot product")],
    step="the chain rule (5.79) with e(θ) = y − σ(Φθ) split into its links ∂e/∂f, ∂f/∂u and ∂u/∂θ",
    reference=_lsq_ref, problems=_lsq_problems,
    mistakes=[
        Mistake("missing_sigma_prime", "the factor ∂f/∂u = diag(σ'(u)) is missing: with f = σ(Φθ), ∂e/∂θ is "
                                       "no longer −Φ (5.82) but the product ∂e/∂f ∂f/∂u ∂u/∂θ of the chain "
                                       "rule (5.79), and the middle link is the sigmoid's Jacobian (notebook 03)",
                _lsq_variant(prime="none")),
        Mistake("linear_model", "this is the gradient (5.83) of the linear model, with e = y − Φθ; here the model "
                                "is σ(Φθ), so e = y − σ(Φθ) and the chain (5.79) gets the factor diag(σ'(u))",
                _lsq_variant(prime="none", error="linear")),
        Mistake("linear_model", "e is taken as y − Φθ, without the sigmoid: the model is σ(Φθ), so "
                                "e = y − σ(Φθ) (5.77) before the chain rule (5.79)",
                _lsq_variant(error="linear")),
        Mistake("sigma_prime_of_f", "σ' is evaluated at f = σ(u) instead of u: σ(f)(1 − σ(f)) applies σ twice; "
                                    "σ'(u) = σ(u)(1 − σ(u)) = f ⊙ (1 − f) (notebook 03, chain rule (5.79))",
                _lsq_variant(prime="of_f")),
        Mistake("sigma_prime_wrong_formula", "σ'(u) is computed as u ⊙ (1 − u); the shortcut is "
                                             "σ'(u) = σ(u)(1 − σ(u)), σ applied first (notebook 03, (5.79))",
                _lsq_variant(prime="u_formula")),
        Mistake("sigma_not_derivative", "the factor between ∂e/∂f and Φ holds σ(u) itself; ∂f/∂u is the "
                                        "derivative, diag(σ'(u)) (notebook 03, chain rule (5.79))",
                _lsq_variant(prime="sigma_itself")),
        Mistake("sign_error", "the sign is wrong: e = y − f gives ∂e/∂f = −I (as e = y − Φθ gave ∂e/∂θ = −Φ "
                              "in (5.82)), and that is the only minus sign in the chain (5.79)",
                _lsq_variant(factor=2.0)),
        Mistake("missing_factor_2", "the factor 2 is missing: this L = ‖e‖² has no ½ (unlike the course's "
                                    "cost E), so ∂L/∂e = 2eᵀ (5.81)",
                _lsq_variant(factor=-1.0)),
        Mistake("column_not_row", "the gradient is a column (D, 1); ∂L/∂θ is a 1 × D ROW (5.78), "
                                  "(1 × N)(N × D) in (5.79)",
                _lsq_variant(layout="column")),
        Mistake("flat_not_row", "the gradient is a 1-D array (D,); ∂L/∂θ is a 1 × D row (5.78)",
                _lsq_variant(layout="flat")),
        Mistake("mean_instead_of_sum", "this divides by N: L = ‖e‖² (5.76) sums the N squared errors, with "
                                       "no mean",
                _lsq_variant(mean=True)),
        Mistake("missing_inner_jacobian", "this is ∂L/∂u (1 × N) only; the chain rule (5.79) ends with "
                                          "∂u/∂θ = Φ (5.68), which turns it into a 1 × D row",
                _lsq_variant(inner=False)),
        Mistake("diag_wrong_side", "diag(σ'(u)) stands after Φ (this only runs when Φ is square): the chain "
                                   "rule (5.79) keeps the order of the composition, ∂L/∂e ∂e/∂f ∂f/∂u ∂u/∂θ, "
                                   "and only that order fits the shapes (1 × N)(N × N)(N × N)(N × D)",
                lambda Phi, y, theta: -2 * _lsq_parts(Phi, y, theta)[2].T @ np.asarray(Phi, float)
                @ np.diag(_lsq_parts(Phi, y, theta)[3][:, 0])),
    ])


# ------------------------------------------------------------------------------------ 05-outer-tensor
# X(x) = x xᵀ (n × n) of x ∈ R^n: the gradient tensor in the layout of §5.4's Approach 1 (output indices first,
# then the input index), T[i, j, k] = ∂(x xᵀ)_ij/∂x_k = ∂(x_i x_j)/∂x_k = [i = k] x_j + x_i [j = k], shape (n, n, n);
# slice k is ∂X/∂x_k = e_k xᵀ + x e_kᵀ (the product rule (5.46)).

def _outer_ref(x):
    x = np.asarray(x, dtype=np.float64)
    eye = np.eye(x.size)
    return np.einsum("ik,j->ijk", eye, x) + np.einsum("i,jk->ijk", x, eye)


def _outer_problems(rng):
    # x xᵀ is quadratic, so central differences have no truncation error; one entry of x between 300 and 900
    # makes their round-off (about 1e-16 · |x|²/h) show for any step h up to 1e-3, while every analytic answer
    # is exact
    cases = []
    for n in (3, 4, 2, 5):
        x = np.round(rng.uniform(-2, 2, size=n), 2)
        x[rng.integers(n)] = np.round(rng.choice([-1, 1]) * rng.uniform(300, 900), 1)
        cases.append(Case((x,), "", {"probe"}))
    cases.append(Case((np.round(rng.uniform(-2, 2, size=1), 2),), "", {"probe", "n=1"}))
    return [Case(c.args, f"x = {_vector(c.args[0])} (n = {c.args[0].size})", c.tags) for c in cases]


def _one_term(x):
    x = np.asarray(x, dtype=np.float64)
    return np.einsum("ik,j->ijk", np.eye(x.size), x)                  # [i = k] x_j


def _dense(x):
    x = np.asarray(x, dtype=np.float64)
    return np.repeat(np.add.outer(x, x)[:, :, None], x.size, axis=2)  # x_i + x_j for every k


def _diagonal_only(x):
    x = np.asarray(x, dtype=np.float64)
    T = np.zeros((x.size,) * 3)
    T[np.arange(x.size), np.arange(x.size), np.arange(x.size)] = 2 * x   # only ∂(x_i²)/∂x_i
    return T


OUTER_TENSOR = Exercise(
    id="05-outer-tensor", function="dxxT_dx", args=("x",), analytic=True, forbidden=("numerical",),
    rules=[right_only_on("n=1", "right_only_for_one_entry",
                         "right only for n = 1, where x xᵀ is the single number x₁² and every way of writing "
                         "its derivative gives 2x₁: for n > 1 the entry (i, j) depends on x_i and x_j only, so "
                         "most entries of the tensor are zero; work out ∂(x_i x_j)/∂x_k case by case (i = k, "
                         "j = k), §5.4")],
    step="the product rule (5.46) entry by entry, ∂(x_i x_j)/∂x_k, collected as in §5.4's Approach 1",
    reference=_outer_ref, problems=_outer_problems,
    mistakes=[
        Mistake("product_rule_term_missing", "only one of the two terms of the product rule (5.46) is there: "
                                             "x_i x_j depends on x_k through x_i AND through x_j, so "
                                             "∂(x_i x_j)/∂x_k has a term for each",
                _one_term),
        Mistake("product_rule_term_missing", "only one of the two terms of the product rule (5.46) is there: "
                                             "x_i x_j depends on x_k through x_j AND through x_i, so "
                                             "∂(x_i x_j)/∂x_k has a term for each",
                lambda x: np.einsum("i,jk->ijk", np.asarray(x, float), np.eye(np.size(x)))),
        Mistake("product_rule_merged", "one term of the product rule is counted twice: the two terms of "
                                       "∂(x_i x_j)/∂x_k (5.46) are equal only on the diagonal i = j; off it, one "
                                       "is zero whenever the other is not",
                lambda x: 2 * _one_term(x)),
        Mistake("wrong_index_placement", "the indicator joins the two output indices ([i = j] x_k): entry "
                                         "(i, j, k) is ∂(x_i x_j)/∂x_k, which is zero unless k = i or k = j, "
                                         "whatever i and j are (§5.4, product rule (5.46))",
                lambda x: np.einsum("ij,k->ijk", np.eye(np.size(x)), np.asarray(x, float))),
        Mistake("wrong_index_placement", "the indicator joins the two output indices (2 [i = j] x_k): entry "
                                         "(i, j, k) is ∂(x_i x_j)/∂x_k, which is zero unless k = i or k = j "
                                         "(§5.4, product rule (5.46))",
                lambda x: 2 * np.einsum("ij,k->ijk", np.eye(np.size(x)), np.asarray(x, float))),
        Mistake("wrong_layout", "the input index stands first (T[k, i, j]); the layout asked for is §5.4's "
                                "Approach 1 (the partials side by side, as in (5.56)), T[i, j, k] = "
                                "∂(x xᵀ)_ij/∂x_k, the output's indices first (the shape cannot tell them "
                                "apart, since all three sizes are n)",
                lambda x: np.moveaxis(_outer_ref(x), 2, 0)),
        Mistake("wrong_layout", "the input index stands in the middle (T[i, k, j]); the layout asked for is "
                                "§5.4's Approach 1 (the partials side by side, as in (5.56)), "
                                "T[i, j, k] = ∂(x xᵀ)_ij/∂x_k, the output's indices first",
                lambda x: np.moveaxis(_outer_ref(x), 2, 1)),
        Mistake("dense_not_sparse", "every entry depends on every x_k here: entry (i, j) of x xᵀ is x_i x_j, "
                                    "which does not change with x_k unless k = i or k = j, so most entries of "
                                    "the tensor are zero (indicators [i = k], [j = k]; §5.4, product rule (5.46))",
                _dense),
        Mistake("diagonal_entries_only", "only the entries ∂(x_i²)/∂x_i are filled: the off-diagonal entries "
                                         "x_i x_j (i ≠ j) of x xᵀ depend on x_i and on x_j too (product rule "
                                         "(5.46), §5.4)",
                _diagonal_only),
        Mistake("one_slice_only", "this is one slice ∂(x xᵀ)/∂x_1 (n × n); the gradient with respect to the "
                                  "vector x stacks one such slice per x_k along a third axis, as (5.56) "
                                  "sets columns side by side: an n × n × n tensor (§5.4, Approach 1)",
                lambda x: _outer_ref(x)[:, :, 0]),
        Mistake("summed_over_k", "this n × n matrix is the sum of the slices ∂(x xᵀ)/∂x_k over k (the change "
                                 "when every x_k moves at once); the gradient keeps one slice per x_k along a "
                                 "third axis, as (5.56) keeps one column per x_k: n × n × n (§5.4)",
                lambda x: _outer_ref(x).sum(axis=2)),
        Mistake("not_reshaped", "this is the flattened n² × n Jacobian (5.58) of §5.4's Approach 2; fold its rows "
                                "back into n × n (row by row, as numpy flattened them) to get the n × n × n "
                                "tensor",
                lambda x: _outer_ref(x).reshape(np.size(x) ** 2, np.size(x))),
        Mistake("scalar_rule", "this is the one-variable rule (x²)' = 2x applied to a vector; x xᵀ is a matrix "
                               "of n² functions of n variables, so its gradient has n × n × n entries, one "
                               "per (output entry, input) as in (5.59) (§5.4)",
                lambda x: 2 * np.asarray(x, dtype=np.float64)),
    ])


# ------------------------------------------------------------------------------------ 05-matrix-gradient

def _matrix_ref(A, x, y):
    return (A @ x - y) @ x.T


def _matrix_problems(rng):
    cases = []
    for M, N in [(3, 2), (2, 4), (4, 3), (3, 3), (1, 3)]:
        A, x, y = rng.normal(size=(M, N)), rng.normal(size=(N, 1)), rng.normal(size=(M, 1))
        tags = {"probe"} | ({"square"} if M == N else set()) | ({"M=1"} if M == 1 else set())
        cases.append(Case((A, x, y), f"A of shape ({M}, {N})" + (" (one output)" if M == 1 else ""), tags))
    # L is quadratic in A, so central differences have no truncation error; a far target (L ≈ 1e6) makes
    # their round-off (about 1e-16 · L/h) show for any step h up to 1e-3, while (Ax − y) xᵀ stays exact
    A, x = rng.normal(size=(2, 3)), rng.normal(size=(3, 1))
    y = rng.choice([-1, 1], size=(2, 1)) * rng.uniform(500, 1500, size=(2, 1))
    cases.append(Case((A, x, y), "A of shape (2, 3) with a target y far from Ax", {"probe"}))
    return cases


MATRIX_GRADIENT = Exercise(
    id="05-matrix-gradient", function="dL_dA", args=("A", "x", "y"), analytic=True,
    forbidden=("numerical", "backward", "cost_gradient"),
    rules=[right_only_on("square", "right_only_for_square",
                         "right only when A is square (M = N): somewhere M and N are swapped, or x stands where "
                         "xᵀ belongs; row i of ∂L/∂A is ∂L/∂f_i times xᵀ (5.89)–(5.90), M × N like A"),
           right_only_on("M=1", "right_only_for_one_output",
                         "right only for a single output (M = 1): with M outputs each f_i has its own ∂L/∂f_i, "
                         "and row i of ∂L/∂A is ∂L/∂f_i times xᵀ (5.89)–(5.90), so the errors must not be summed "
                         "or mixed across outputs")],
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


EXERCISES = [LEAST_SQUARES, OUTER_TENSOR, MATRIX_GRADIENT]
