"""Checks of notebook 03: Jacobians, here the Jacobian (5.58) of the element-wise sigmoid.

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from ..activations import sigmoid
from .catalogue import Case, Exercise, Mistake
from .rules import off_diagonal


# ----------------------------------------------------------------------------------- 03-sigmoid-jacobian

def _sigmoid_jacobian(z):
    s = sigmoid(np.asarray(z, dtype=np.float64))
    return np.diag(s * (1 - s))


def _sigmoid_prime(z):
    s = sigmoid(np.asarray(z, dtype=np.float64))
    return s * (1 - s)


def _sigmoid_problems(rng):
    cases = [Case((np.round(rng.uniform(-2.5, 2.5, size=n), 2),), "", {"probe"}) for n in (3, 4, 2)]
    cases.append(Case((np.array([-800.0, 0.3, 750.0]),), "", {"extreme"}))
    return [Case(c.args, "z = (" + ", ".join(f"{v:g}" for v in c.args[0]).replace("-", "−") + ")", c.tags)
            for c in cases]


SIGMOID_JACOBIAN = Exercise(
    id="03-sigmoid-jacobian", function="sigmoid_jacobian", args=("z",), analytic=True,
    forbidden=("numerical", "derivative", "backward"),
    overflow_hint="compute σ(z) in the overflow-safe form (np.exp of −|z| only) and σ'(z) = σ(z)(1 − σ(z))",
    rules=[off_diagonal("the diagonal is right, but entries off the diagonal are not zero: σ acts element-wise, "
                        "so ∂σ(z_i)/∂z_j = 0 for i ≠ j (5.59)")],
    step="the Jacobian (5.58) of an element-wise function",
    reference=_sigmoid_jacobian, problems=_sigmoid_problems,
    mistakes=[
        Mistake("vector_not_matrix", "this is the vector σ'(z); the Jacobian (5.58) of σ: R^n → R^n is an "
                                     "n × n matrix with σ'(z_i) on the diagonal: np.diag(…)",
                lambda z: _sigmoid_prime(z)),
        Mistake("vector_not_matrix", "this is σ'(z) as a column; the Jacobian (5.58) of σ: R^n → R^n is an "
                                     "n × n matrix with σ'(z_i) on the diagonal: np.diag(…)",
                lambda z: _sigmoid_prime(z).reshape(-1, 1)),
        Mistake("sigma_not_derivative", "the diagonal holds σ(z) itself; the Jacobian (5.58) holds derivatives, "
                                        "σ'(z) = σ(z)(1 − σ(z))",
                lambda z: np.diag(sigmoid(np.asarray(z, dtype=np.float64)))),
        Mistake("z_times_one_minus_z", "the diagonal is z(1 − z); the shortcut σ'(z) = σ(z)(1 − σ(z)) "
                                       "applies σ first (5.58)",
                lambda z: np.diag(np.asarray(z, dtype=np.float64) * (1 - np.asarray(z, dtype=np.float64)))),
        Mistake("not_diagonal", "entries off the diagonal are not zero; σ acts element-wise, so ∂σ(z_i)/∂z_j "
                                "= 0 for i ≠ j and J(i, j) (5.59) vanishes off the diagonal",
                lambda z: np.ones((len(z), len(z))) * _sigmoid_prime(z)[:, None]),
        Mistake("not_diagonal", "entries off the diagonal are not zero (an outer product); σ acts "
                                "element-wise, so J(i, j) = ∂σ(z_i)/∂z_j (5.59) vanishes for i ≠ j",
                lambda z: np.outer(_sigmoid_prime(z), _sigmoid_prime(z))),
        Mistake("sign_error", "the diagonal has the wrong sign: σ'(z) = σ(z)(1 − σ(z)) is positive (5.58)",
                lambda z: -_sigmoid_jacobian(z)),
    ])


EXERCISES = [SIGMOID_JACOBIAN]
