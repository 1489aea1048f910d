"""Checks of notebooks 01–02: the numerical gradient (5.40) and the chain rule (5.51)–(5.53).

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from .catalogue import Case, Exercise, Formula, Mistake


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


def _gradient_problems(rng):
    a, b, c = (round(float(v), 2) for v in rng.uniform(0.5, 1.5, size=3))
    x1 = np.round(rng.uniform(-1.5, 1.5, size=3), 2)
    x2 = np.round(rng.uniform(-1.0, 2.0, size=4), 2)
    x3 = np.round(rng.uniform(-1.0, 1.0, size=2), 2)
    functions = [
        (f"lambda x: float(np.sum(np.sin(x)) + {a} * x[0] * x[1] ** 2)", x1, f"f(x) = Σ sin x_i + {a:g} x_1 x_2²"),
        (f"lambda x: float(np.exp({b / 2} * x[0]) + x[1] * x[2] - x[3] ** 3 / 3 + x[0] ** 2)", x2,
         f"f(x) = e^({b / 2:g} x_1) + x_2 x_3 − x_4³/3 + x_1²"),
        (f"lambda x: float(np.log(1 + {c} * x[0] ** 2) * np.cos(x[1]))", x3, f"f(x) = log(1 + {c:g} x_1²) cos x_2"),
    ]
    cases = [Case((Formula(source, label), x), f"{label} at x = {_point(x)}") for source, x, label in functions]
    source, x, label = functions[0]
    cases.append(Case((Formula(source, label), x, 1e-2), f"{label} with h = 0.01 at x = {_point(x)}", {"h"}))
    return cases


def _point(x):
    return "(" + ", ".join(f"{v:g}" for v in x).replace("-", "−") + ")"


GRADIENT = Exercise(
    id="01-gradient", function="numerical_gradient", args=("f", "x"), forbidden=("numerical",),
    step="the central difference and the row vector of partial derivatives (5.40)",
    reference=_gradient_ref, problems=_gradient_problems, rtol=1e-7, atol=1e-8,
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


def _chain_problems(rng):
    points = [(round(float(s), 2), round(float(t), 2)) for s, t in rng.uniform(-1.3, 1.3, size=(3, 2))]
    return [Case((s, t), f"(s, t) = ({s:g}, {t:g})".replace("-", "−"), {"probe"}) for s, t in points]


CHAIN_RULE = Exercise(
    id="02-chain-rule", function="df_dst", args=("s", "t"), forbidden=("numerical",), analytic=True,
    step="(5.51)–(5.53)",
    reference=_chain_ref, problems=_chain_problems,
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


EXERCISES = [GRADIENT, CHAIN_RULE]
