"""Checks of notebooks 01–03: the numerical gradient (5.40), the chain rule (5.51)–(5.53) and the Jacobian
of the sigmoid (5.58).

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from ..activations import sigmoid
from .checker import Case, Exercise, Mistake


# ------------------------------------------------------------------------------------------- 01-gradient

def _partials(f, x, h, scheme):
    x = np.array(x, dtype=np.float64)
    out = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        if scheme == "central":
            out[i] = (f(x + e) - f(x - e)) / (2 * h)
        elif scheme == "forward":
            out[i] = (f(x + e) - f(x)) / h
        elif scheme == "backward":
            out[i] = (f(x) - f(x - e)) / h
        elif scheme == "over_h":
            out[i] = (f(x + e) - f(x - e)) / h
        elif scheme == "flipped":
            out[i] = (f(x - e) - f(x + e)) / (2 * h)
    return out


def _gradient_ref(f, x, h=1e-5):
    return _partials(f, x, h, "central").reshape(1, -1)


def _gradient_all_at_once(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    slope = (f(x + h) - f(x - h)) / (2 * h)
    return np.full((1, x.size), slope)


def _gradient_in_place(f, x, h=1e-5):
    grad = np.zeros((1, x.size))
    for i in range(x.size):
        x[i] += h
        plus = f(x)
        x[i] -= 2 * h
        minus = f(x)              # never restored: x[i] stays at x_i − h
        grad[0, i] = (plus - minus) / (2 * h)
    return grad


def _gradient_cases():
    functions = [
        (lambda x: float(np.sum(np.sin(x)) + x[0] * x[1] ** 2), np.array([0.3, -1.2, 0.8]),
         "f(x) = Σ sin x_i + x_1 x_2² at x = (0.3, −1.2, 0.8)"),
        (lambda x: float(np.exp(0.5 * x[0]) + x[1] * x[2] - x[3] ** 3 / 3 + x[0] ** 2),
         np.array([1.0, 0.5, -0.7, 2.0]), "f(x) = e^(x_1/2) + x_2 x_3 − x_4³/3 + x_1² at x = (1, 0.5, −0.7, 2)"),
        (lambda x: float(np.log(1 + x[0] ** 2) * np.cos(x[1])), np.array([0.9, -0.4]),
         "f(x) = log(1 + x_1²) cos x_2 at x = (0.9, −0.4)"),
    ]
    cases = [Case((f, x), label) for f, x, label in functions]
    f, x, label = functions[0]
    cases.append(Case((f, x, 1e-2), label.replace(" at x", " with h = 0.01 at x")))
    return cases


GRADIENT = Exercise(
    id="01-gradient", name="numerical_gradient", arg_names=("f", "x"),
    step="the central difference and the row vector of partial derivatives (5.40)",
    reference=_gradient_ref, cases=_gradient_cases, rtol=1e-7, atol=1e-8,
    modified_code="x_modified",
    modified_hint="x must be left unchanged: after perturbing x[i], put it back (or perturb a copy, "
                  "x.copy()), as Definition 5.5 varies one variable at a time around the same point",
    mistakes=[
        Mistake("forward_difference", "this is the forward difference (f(x + h e_i) − f(x))/h of Definition "
                                      "5.5, accurate only to O(h); use the central difference "
                                      "(f(x + h e_i) − f(x − h e_i))/2h, accurate to O(h²)",
                lambda f, x, h=1e-5: _partials(f, x, h, "forward").reshape(1, -1)),
        Mistake("backward_difference", "this is the backward difference (f(x) − f(x − h e_i))/h, accurate "
                                       "only to O(h); use the central difference (f(x + h e_i) − f(x − h e_i))/2h "
                                       "(Definition 5.5 on both sides of x)",
                lambda f, x, h=1e-5: _partials(f, x, h, "backward").reshape(1, -1)),
        Mistake("divided_by_h", "every partial derivative is twice too large: the central difference "
                                "divides by the distance between its two points, 2h, not h (Definition 5.5)",
                lambda f, x, h=1e-5: _partials(f, x, h, "over_h").reshape(1, -1)),
        Mistake("sign_error", "every partial derivative has the wrong sign: the central difference is "
                              "(f(x + h e_i) − f(x − h e_i))/2h (Definition 5.5)",
                lambda f, x, h=1e-5: _partials(f, x, h, "flipped").reshape(1, -1)),
        Mistake("column_not_row", "the gradient is a column (n, 1); (5.40) collects the partial derivatives "
                                  "in a ROW, shape (1, n): reshape(1, -1)",
                lambda f, x, h=1e-5: _partials(f, x, h, "central").reshape(-1, 1)),
        Mistake("flat_not_row", "the gradient is a 1-D array (n,); (5.40) collects the partial derivatives "
                                "in a row of shape (1, n): reshape(1, -1)",
                lambda f, x, h=1e-5: _partials(f, x, h, "central")),
        Mistake("all_entries_at_once", "all entries of x are perturbed at once, which gives one directional "
                                       "slope, not n partial derivatives: perturb one entry x_i at a time "
                                       "(e_i, Definition 5.5)",
                _gradient_all_at_once),
        Mistake("all_entries_at_once", "all entries of x are perturbed at once, which gives one number, not n "
                                       "partial derivatives: perturb one entry x_i at a time (Definition 5.5)",
                lambda f, x, h=1e-5: float(_gradient_all_at_once(f, x, h)[0, 0])),
        Mistake("ignores_h", "the step h you are given is not used (the answer is the same for every h): "
                             "perturb x_i by h, the function's argument (Definition 5.5)",
                lambda f, x, h=1e-5: _partials(f, x, 1e-5, "central").reshape(1, -1)),
        Mistake("x_modified", "x was left modified", _gradient_in_place, match=False),
    ])


# ----------------------------------------------------------------------------------------- 02-chain-rule

def _chain_parts(s, t):
    x1, x2 = s * t, s + t ** 2
    df_dx = np.array([[np.cos(x1) * x2 ** 2, 2 * np.sin(x1) * x2]])     # ∂f/∂x, 1 × 2
    dx_dst = np.array([[t, s], [1.0, 2 * t]])                             # ∂x/∂(s, t), 2 × 2
    return df_dx, dx_dst


def _chain_ref(s, t):
    df_dx, dx_dst = _chain_parts(s, t)
    return df_dx @ dx_dst


def _chain_one_path(s, t, keep):
    df_dx, dx_dst = _chain_parts(s, t)
    return df_dx[:, [keep]] @ dx_dst[[keep], :]


def _chain_outer_at_st(s, t):
    _, dx_dst = _chain_parts(s, t)
    return np.array([[np.cos(s) * t ** 2, 2 * np.sin(s) * t]]) @ dx_dst


def _chain_cases():
    return [Case((s, t), f"(s, t) = ({s:g}, {t:g})".replace("-", "−")) for s, t in [(0.7, -0.4), (1.3, 0.9), (-0.5, 1.1)]]


CHAIN_RULE = Exercise(
    id="02-chain-rule", name="df_dst", arg_names=("s", "t"),
    step="(5.51)–(5.53)",
    reference=_chain_ref, cases=_chain_cases,
    mistakes=[
        Mistake("transposed_inner_jacobian", "the inner Jacobian is transposed: ∂x/∂(s, t) has one ROW per "
                                             "x_i and one COLUMN per variable s, t, with ∂x_1/∂t = s in row 1, "
                                             "column 2 (5.53)",
                lambda s, t: _chain_parts(s, t)[0] @ _chain_parts(s, t)[1].T),
        Mistake("missing_inner_jacobian", "this is ∂f/∂x only; multiply it by the inner Jacobian ∂x/∂(s, t) "
                                          "(5.53): df/d(s, t) = ∂f/∂x · ∂x/∂(s, t)",
                lambda s, t: _chain_parts(s, t)[0]),
        Mistake("missing_path", "only the path through x_1 is counted; f depends on s and t through both x_1 "
                                "and x_2, and (5.51)–(5.52) add the two paths",
                lambda s, t: _chain_one_path(s, t, 0)),
        Mistake("missing_path", "only the path through x_2 is counted; f depends on s and t through both x_1 "
                                "and x_2, and (5.51)–(5.52) add the two paths",
                lambda s, t: _chain_one_path(s, t, 1)),
        Mistake("outer_at_wrong_point", "∂f/∂x is evaluated at (x_1, x_2) = (s, t); evaluate it at "
                                        "x_1 = s·t, x_2 = s + t², where f is actually differentiated (5.51)",
                _chain_outer_at_st),
        Mistake("swapped_entries", "the two entries are swapped: the row is [∂f/∂s, ∂f/∂t], in the order of "
                                   "the variables (s, t) (5.53)",
                lambda s, t: _chain_ref(s, t)[:, ::-1]),
        Mistake("column_not_row", "the result is a column (2, 1); df/d(s, t) is a 1 × 2 ROW, "
                                  "[∂f/∂s, ∂f/∂t] (5.53)",
                lambda s, t: _chain_ref(s, t).T),
        Mistake("flat_not_row", "the result is a 1-D array (2,); df/d(s, t) is a 1 × 2 row: "
                                "reshape(1, 2) (5.53)",
                lambda s, t: _chain_ref(s, t).ravel()),
    ])


# ----------------------------------------------------------------------------------- 03-sigmoid-jacobian

def _sigmoid_jacobian(z):
    s = sigmoid(np.asarray(z, dtype=np.float64))
    return np.diag(s * (1 - s))


def _sigmoid_prime(z):
    s = sigmoid(np.asarray(z, dtype=np.float64))
    return s * (1 - s)


def _sigmoid_cases():
    return [Case((np.array(z),), "z = (" + ", ".join(f"{v:g}".replace("-", "−") for v in z) + ")")
            for z in ([0.5, -1.0, 2.0], [-0.3, 0.0, 1.2, -2.5], [1.5, -0.7])]


SIGMOID_JACOBIAN = Exercise(
    id="03-sigmoid-jacobian", name="sigmoid_jacobian", arg_names=("z",),
    step="the Jacobian (5.58) of an element-wise function",
    reference=_sigmoid_jacobian, cases=_sigmoid_cases,
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
