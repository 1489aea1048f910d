"""Checks of notebook 03: Jacobians (5.56)–(5.59) derived by hand, of an element-wise function (the SiLU
z ⊙ σ(z)) and of a whole tanh layer x ↦ tanh(Ax + b).

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from ..activations import sigmoid
from .catalogue import Case, Exercise, Mistake
from .rules import off_diagonal, right_only_on


def _vector(values):
    return "(" + ", ".join(f"{v:g}" for v in values).replace("-", "−") + ")"


# ----------------------------------------------------------------------------------- 03-sigmoid-jacobian
# s(z) = z ⊙ σ(z) (the sigmoid-weighted linear unit, SiLU), element-wise: ds/dz = diag(σ(z) + z σ'(z)),
# with σ'(z) = σ(z)(1 − σ(z)) (the product rule (5.46) in one variable, then (5.58)–(5.59)).

def _silu_parts(z):
    z = np.asarray(z, dtype=np.float64)
    s = sigmoid(z)
    return z, s, s * (1 - s)                      # z, σ(z), σ'(z)


def _silu_prime(z):
    z, s, ds = _silu_parts(z)
    return s + z * ds                             # (z σ(z))' = 1 · σ(z) + z · σ'(z)


def _silu_jacobian(z):
    return np.diag(_silu_prime(z))


def _silu_problems(rng):
    # each probe has one z between 15 and 40: s(z) ≈ z is large there while s'(z) ≈ 1, so central differences
    # lose digits to round-off, whereas any analytic form agrees to round-off
    cases = []
    for n in (3, 4, 2):
        z = np.round(rng.uniform(-3.0, 3.0, size=n), 2)
        z[rng.integers(n)] = np.round(rng.uniform(15, 40), 1)
        cases.append(Case((z,), "", {"probe"}))
    # |z| ≥ 720: np.exp(|z|) is inf there (above about 709.8), so a quotient of exponentials gives inf/inf
    cases.append(Case((np.round(np.concatenate([[rng.uniform(-850, -720)], rng.uniform(-2, 2, size=1),
                                                [rng.uniform(720, 850)]]), 1),), "", {"extreme"}))
    return [Case(c.args, "z = " + _vector(c.args[0]), c.tags) for c in cases]


def _silu(z):
    z, s, _ = _silu_parts(z)
    return np.diag(z * s)


SIGMOID_JACOBIAN = Exercise(
    id="03-sigmoid-jacobian", function="sigmoid_jacobian", args=("z",), analytic=True,
    forbidden=("numerical", "derivative", "backward"),
    overflow_hint="compute σ(z) in an overflow-safe form (np.exp of −|z| only, or coursekit.activations.sigmoid) "
                  "and write σ'(z) through σ(z) itself, σ'(z) = σ(z)(1 − σ(z)), instead of a quotient of "
                  "exponentials",
    rules=[off_diagonal("the diagonal is right, but entries off the diagonal are not zero: s acts element-wise, "
                        "so ∂s_i/∂z_j = 0 for i ≠ j and J(i, j) (5.59) vanishes off the diagonal")],
    step="the product rule (5.46) for z σ(z), then the Jacobian (5.58)–(5.59) of an element-wise function",
    reference=_silu_jacobian, problems=_silu_problems,
    mistakes=[
        Mistake("vector_not_matrix", "this is the vector of the n derivatives s'(z_i); the Jacobian (5.58) of "
                                     "s: R^n → R^n is an n × n matrix with them on its diagonal: np.diag(…)",
                lambda z: _silu_prime(z)),
        Mistake("vector_not_matrix", "this is the column of the n derivatives s'(z_i); the Jacobian (5.58) of "
                                     "s: R^n → R^n is an n × n matrix with them on its diagonal: np.diag(…)",
                lambda z: _silu_prime(z).reshape(-1, 1)),
        Mistake("sigmoid_jacobian_not_silu", "this is the Jacobian of σ alone, diag(σ'(z)) from the page; "
                                             "s(z) = z σ(z) is a product of z and σ(z), so use the product rule "
                                             "(5.46): the derivative of a product is not the product of the "
                                             "derivatives",
                lambda z: np.diag(_silu_parts(z)[2])),
        Mistake("product_rule_term_missing", "the diagonal holds z σ'(z) only: the product rule (5.46) for "
                                             "z σ(z) has two terms, and the one where z is differentiated "
                                             "(dz/dz = 1) is missing",
                lambda z: np.diag(_silu_parts(z)[0] * _silu_parts(z)[2])),
        Mistake("product_rule_term_missing", "the diagonal holds σ(z) only, as if the factor z were a constant: "
                                             "the product rule (5.46) for z σ(z) has a second term, z times the "
                                             "derivative of σ",
                lambda z: np.diag(_silu_parts(z)[1])),
        Mistake("product_rule_factor_missing", "the second term of the product rule lacks its factor z: in "
                                               "(5.46) for z σ(z), σ is differentiated while z stays as it is",
                lambda z: np.diag(_silu_parts(z)[1] + _silu_parts(z)[2])),
        Mistake("sign_error", "the second term of the product rule has the wrong sign: both terms of (5.46) are "
                              "added, and σ'(z) = σ(z)(1 − σ(z)) is positive",
                lambda z: np.diag(_silu_parts(z)[1] - _silu_parts(z)[0] * _silu_parts(z)[2])),
        Mistake("function_not_derivative", "the diagonal holds s(z) = z σ(z) itself; the Jacobian (5.58) holds "
                                           "derivatives, ∂s_i/∂z_i",
                _silu),
        Mistake("sigma_prime_wrong_formula", "σ'(z) is written as z(1 − z); the shortcut σ'(z) = σ(z)(1 − σ(z)) "
                                             "applies σ first (then the product rule (5.46))",
                lambda z: np.diag(_silu_parts(z)[1] + _silu_parts(z)[0] ** 2 * (1 - _silu_parts(z)[0]))),
        Mistake("not_diagonal", "entries off the diagonal are not zero: s acts element-wise, so ∂s_i/∂z_j = 0 "
                                "for i ≠ j and J(i, j) (5.59) vanishes off the diagonal",
                lambda z: np.ones((len(z), len(z))) * _silu_prime(z)[:, None]),
        Mistake("not_diagonal", "entries off the diagonal are not zero (an outer product); s acts element-wise, "
                                "so J(i, j) = ∂s_i/∂z_j (5.59) vanishes for i ≠ j",
                lambda z: np.outer(_silu_prime(z), _silu_prime(z))),
    ])


# ------------------------------------------------------------------------------------- 03-tanh-jacobian
# f(x) = tanh(z), z = Ax + b: by the chain rule (5.48), df/dx = (df/dz)(dz/dx) = diag(1 − tanh²(z)) A, (m, n).

def _tanh_prime(z):
    return 1.0 - np.tanh(z) ** 2


def _z(A, x, b):
    return np.asarray(A, dtype=np.float64) @ np.asarray(x, dtype=np.float64) + np.asarray(b, dtype=np.float64)


def _tanh_layer_jacobian(A, x, b):
    return _tanh_prime(_z(A, x, b))[:, None] * np.asarray(A, dtype=np.float64)


def _tanh_case(rng, m, n, extreme=False):
    A = np.round(rng.normal(size=(m, n)), 2)
    x = np.round(rng.normal(size=n), 2)
    b = np.round(rng.normal(size=m), 2)
    tags = {"square"} if m == n else set()
    tags |= {"m=1"} if m == 1 else set()
    if extreme:        # a bias far out on both sides: |z| ≥ 710 in two rows (where np.sinh, np.cosh and
        #                  np.exp overflow), a moderate z in the others
        b[0] = np.round(rng.uniform(720, 850) - A[0] @ x, 1)
        b[1] = np.round(-rng.uniform(720, 850) - A[1] @ x, 1)
        label = f"A of shape ({m}, {n}) with |Ax + b| ≥ 700 in two rows"
        return Case((A, x, b), label, tags | {"extreme"})
    return Case((A, x, b), f"A of shape ({m}, {n})" + (" (one output)" if m == 1 else ""), tags | {"probe"})


def _tanh_problems(rng):
    return [_tanh_case(rng, 3, 4), _tanh_case(rng, 4, 2), _tanh_case(rng, 3, 3), _tanh_case(rng, 1, 3),
            _tanh_case(rng, 2, 2), _tanh_case(rng, 3, 2, extreme=True)]


def _tanh_mutant(prime=_tanh_prime, at="z"):
    """diag(prime(·)) A, with prime evaluated at z = Ax + b (or at x, or at Ax)."""
    def answer(A, x, b):
        A, x, b = (np.asarray(v, dtype=np.float64) for v in (A, x, b))
        where = {"z": A @ x + b, "x": x, "Ax": A @ x}[at]
        return np.diag(prime(where)) @ A
    return answer


def _only_diagonal(A, x, b):
    J = _tanh_layer_jacobian(A, x, b)
    return J * np.eye(*J.shape)


def _sigmoid_prime(z):
    s = sigmoid(np.asarray(z, dtype=np.float64))
    return s * (1 - s)


TANH_JACOBIAN = Exercise(
    id="03-tanh-jacobian", function="tanh_layer_jacobian", args=("A", "x", "b"), analytic=True,
    forbidden=("numerical", "derivative", "backward"),
    overflow_hint="np.tanh itself never overflows: compute tanh'(z) from np.tanh(z) rather than from np.exp, "
                  "np.sinh or np.cosh of z",
    rules=[right_only_on("m=1", "right_only_for_one_output",
                         "right only for the layer with a single output (m = 1), where a (1,) vector times A "
                         "cannot go wrong: with m outputs, output i responds to x through z_i alone, so the "
                         "factor tanh'(z_i) belongs to row i of the Jacobian (rows are outputs, (5.58)); check "
                         "how your code lines tanh'(z) up with A"),
           right_only_on("square", "right_only_for_square",
                         "right only when A is square (m = n): somewhere the number of inputs n stands where the "
                         "number of outputs m belongs, or the other way round; the Jacobian is m × n (5.58)")],
    step="the chain rule (5.48) with the Jacobians of z = Ax + b (Example 5.9) and of the element-wise tanh",
    reference=_tanh_layer_jacobian, problems=_tanh_problems,
    mistakes=[
        Mistake("missing_A", "this is the m × m Jacobian of tanh with respect to z only; z = Ax + b depends on "
                             "x, so the chain rule (5.48) multiplies it by dz/dx, the matrix of Example 5.9",
                lambda A, x, b: np.diag(_tanh_prime(_z(A, x, b)))),
        Mistake("vector_not_matrix", "this is the vector of the m derivatives tanh'(z_i); the Jacobian (5.58) "
                                     "of x ↦ tanh(Ax + b) is an m × n matrix, one row per output, one column "
                                     "per input",
                lambda A, x, b: _tanh_prime(_z(A, x, b))),
        Mistake("transposed", "the Jacobian is transposed (n × m): rows are outputs and columns are inputs, "
                              "J(i, j) = ∂f_i/∂x_j (5.59), so it is m × n like A",
                lambda A, x, b: _tanh_layer_jacobian(A, x, b).T),
        Mistake("A_transposed", "Aᵀ stands where A belongs (this only runs when A is square): z = Ax + b has "
                                "dz/dx = A (5.68), not Aᵀ",
                lambda A, x, b: np.diag(_tanh_prime(_z(A, x, b))) @ np.asarray(A, dtype=np.float64).T),
        Mistake("diag_wrong_side", "the diagonal factor stands on the wrong side of A (this only runs when A is "
                                   "square): the chain rule (5.48) writes the outer function's Jacobian first, "
                                   "df/dz, then dz/dx, and a diagonal on the right scales the columns of A "
                                   "instead of its rows",
                lambda A, x, b: np.asarray(A, dtype=np.float64) @ np.diag(_tanh_prime(_z(A, x, b)))),
        Mistake("only_diagonal", "only the entries (i, i) are filled: tanh acts element-wise on z, but each z_i "
                                 "depends on every x_j through A, so the Jacobian of the layer is not diagonal "
                                 "(chain rule (5.48))",
                _only_diagonal),
        Mistake("tanh_prime_wrong", "the derivative of tanh is written as 1 − tanh(z); derive it again (tanh = "
                                    "sinh/cosh, quotient rule): a square is missing, then the chain rule (5.48)",
                _tanh_mutant(lambda z: 1.0 - np.tanh(z))),
        Mistake("tanh_prime_wrong", "the derivative of tanh is written as sech(z) = 1/cosh(z); derive it again "
                                    "(tanh = sinh/cosh, quotient rule): a square is missing, then the chain rule "
                                    "(5.48)",
                _tanh_mutant(lambda z: 1.0 / np.cosh(z))),
        Mistake("tanh_prime_wrong", "the derivative of tanh is written as 1 − tanh(z²); the square belongs to "
                                    "tanh(z), not to z (np.tanh(z) ** 2, not np.tanh(z ** 2)), then the chain "
                                    "rule (5.48)",
                _tanh_mutant(lambda z: 1.0 - np.tanh(z ** 2))),
        Mistake("sign_error", "the signs are reversed: tanh is increasing, so its derivative is positive; "
                              "recheck the derivative of tanh, then the chain rule (5.48)",
                _tanh_mutant(lambda z: np.tanh(z) ** 2 - 1.0)),
        Mistake("function_not_derivative", "the diagonal factor holds tanh(z) itself; the chain rule (5.48) needs "
                                           "the derivative of tanh at z",
                _tanh_mutant(np.tanh)),
        Mistake("sigmoid_prime_not_tanh", "the diagonal factor holds σ'(z) = σ(z)(1 − σ(z)), the sigmoid's "
                                          "derivative; this layer uses tanh, whose derivative is another function "
                                          "(derive it, then the chain rule (5.48))",
                _tanh_mutant(_sigmoid_prime)),
        Mistake("evaluated_at_x", "tanh' is evaluated at x: the chain rule (5.48) evaluates the outer function's "
                                  "derivative at the inner function's value, z = Ax + b",
                _tanh_mutant(at="x")),
        Mistake("evaluated_at_x", "tanh' is evaluated at x and multiplied on the right: the chain rule (5.48) "
                                  "evaluates the outer function's derivative at the inner function's value, "
                                  "z = Ax + b, and writes it first",
                lambda A, x, b: np.asarray(A, dtype=np.float64) @ np.diag(_tanh_prime(np.asarray(x, float)))),
        Mistake("missing_b", "tanh' is evaluated at Ax: the bias belongs to the point z = Ax + b where the "
                             "outer derivative is taken (chain rule (5.48)), even though it drops out of dz/dx",
                _tanh_mutant(at="Ax")),
    ])


EXERCISES = [SIGMOID_JACOBIAN, TANH_JACOBIAN]
