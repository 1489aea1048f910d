"""Checks of notebooks 01–02: the numerical gradient (5.40), the chain rule (5.51)–(5.53), and the chain rule
through a sigmoid into the binary cross-entropy (5.48).

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from ..activations import sigmoid
from .catalogue import Case, Exercise, Formula, Mistake
from .comparing import _close
from .decide import NUMERICAL


# ------------------------------------------------------------------------------------------- 01-gradient

def _partials(f, x, h, scheme):
    x = np.array(x, dtype=np.float64)
    out = np.zeros(x.size)
    cumulative = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        cumulative[i] = h
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
        elif scheme == "precedence":                  # `/ 2*h` is `(… / 2) * h`
            out[i] = (f(x + e) - f(x - e)) / 2 * h
        elif scheme == "half_step":                   # x ± h/2, divided by h
            out[i] = (f(x + e / 2) - f(x - e / 2)) / h
        elif scheme == "not_reset":                   # the step vector keeps the h of the earlier entries
            out[i] = (f(x + cumulative) - f(x - cumulative)) / (2 * h)
    return out


def _gradient_ref(f, x, h=1e-5):
    return _partials(f, x, h, "central").reshape(1, -1)


def _gradient_all_at_once(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    slope = (f(x + h) - f(x - h)) / (2 * h)
    return np.full((1, x.size), slope)


def _gradient_skipping(f, x, h, keep):
    grad = _gradient_ref(f, x, h)
    grad[0, keep] = 0.0
    return grad


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
        Mistake("operator_precedence", "every partial derivative is far too small: `/ 2*h` divides by 2 and "
                                       "then MULTIPLIES by h, as Python reads it (… / 2) * h; write "
                                       "`/ (2 * h)` (the central difference of Definition 5.5)",
                lambda f, x, h=1e-5: _partials(f, x, h, "precedence").reshape(1, -1)),
        Mistake("half_step", "the two points are x ± (h/2) e_i; the exercise's central difference moves x_i by "
                             "±h and divides by 2h, (f(x + h e_i) − f(x − h e_i))/2h (Definition 5.5)",
                lambda f, x, h=1e-5: _partials(f, x, h, "half_step").reshape(1, -1)),
        Mistake("sign_error", "every partial derivative has the wrong sign: the central difference is "
                              "(f(x + h e_i) − f(x − h e_i))/2h (Definition 5.5)",
                lambda f, x, h=1e-5: _partials(f, x, h, "flipped").reshape(1, -1)),
        Mistake("column_not_row", "the gradient is a column (n, 1); (5.40) collects the partial derivatives "
                                  "in a ROW, shape (1, n): reshape(1, -1)",
                lambda f, x, h=1e-5: _partials(f, x, h, "central").reshape(-1, 1)),
        Mistake("flat_not_row", "the gradient is a 1-D array (n,); (5.40) collects the partial derivatives "
                                "in a row of shape (1, n): reshape(1, -1)",
                lambda f, x, h=1e-5: _partials(f, x, h, "central")),
        Mistake("step_not_reset", "only the first partial derivative is right: the step vector keeps the h of "
                                  "the earlier entries, so for entry i it moves x_1, …, x_i together; make a "
                                  "fresh e_i = h · (unit vector i) in every pass of the loop, so that only x_i "
                                  "moves (Definition 5.5)",
                lambda f, x, h=1e-5: _partials(f, x, h, "not_reset").reshape(1, -1)),
        Mistake("skips_an_entry", "the last partial derivative is missing (left at 0): loop over every entry, "
                                  "range(n) with n = x.size, not range(n − 1) (Definition 5.5, one partial per "
                                  "variable)",
                lambda f, x, h=1e-5: _gradient_skipping(f, x, h, -1)),
        Mistake("skips_an_entry", "the first partial derivative is missing (left at 0): Python counts from 0, so "
                                  "the loop over x_1, …, x_n is range(n), not range(1, n) (Definition 5.5)",
                lambda f, x, h=1e-5: _gradient_skipping(f, x, h, 0)),
        Mistake("same_point_twice", "every partial derivative is 0: both evaluations of f see the same point. "
                                    "`xp = x` does not copy an array (xp, xm and x are one array, so the ±h "
                                    "cancel before f is called), and an integer step vector (np.zeros(n, "
                                    "dtype=int)) rounds h to 0; use x.copy() and a float step, or evaluate f "
                                    "right after each change (Definition 5.5)",
                lambda f, x, h=1e-5: np.zeros((1, np.size(x)))),
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
# f(x1, x2) = sin(x1) x2² with x1 = s t, x2 = s + t²: the exercise's own function (not the page's example).

def _chain_parts(s, t, *, outer="right", inner="right"):
    x1, x2 = s * t, s + t ** 2
    df_dx = {                                                              # ∂f/∂x, 1 × 2, at x(s, t)
        "right": [np.cos(x1) * x2 ** 2, 2 * np.sin(x1) * x2],
        "power_rule": [np.cos(x1) * x2 ** 2, np.sin(x1) * x2],            # d(x2²)/dx2 taken as x2
        "dropped_factor": [np.cos(x1), 2 * np.sin(x1) * x2],              # x2² lost from ∂f/∂x1
        "cos_sign": [-np.cos(x1) * x2 ** 2, 2 * np.sin(x1) * x2],         # d sin = −cos
        "at_st": [np.cos(s) * t ** 2, 2 * np.sin(s) * t],                 # evaluated at (s, t), not x(s, t)
    }[outer]
    dx_dst = {                                                             # ∂x/∂(s, t), 2 × 2
        "right": [[t, s], [1.0, 2 * t]],
        "power_rule": [[t, s], [1.0, t]],                                  # d(t²)/dt taken as t
        "row_swapped": [[s, t], [1.0, 2 * t]],                             # ∂x1/∂s and ∂x1/∂t swapped
        "lost_s": [[t, s], [0.0, 2 * t]],                                  # ∂x2/∂s taken as 0
    }[inner]
    return np.array([df_dx]), np.array(dx_dst)


def _chain_ref(s, t):
    df_dx, dx_dst = _chain_parts(s, t)
    return df_dx @ dx_dst


def _chain_with(outer="right", inner="right"):
    def mutant(s, t):
        df_dx, dx_dst = _chain_parts(s, t, outer=outer, inner=inner)
        return df_dx @ dx_dst
    return mutant


def _chain_one_path(s, t, keep):
    df_dx, dx_dst = _chain_parts(s, t)
    return df_dx[:, [keep]] @ dx_dst[[keep], :]


def _page_example(s, t, polar=True):
    """df/d(s, t) of the page's f = e^{x1 x2}, on the page's polar x(s, t) or on the exercise's x(s, t)."""
    if polar:
        x1, x2 = s * np.cos(t), s * np.sin(t)
        dx_dst = np.array([[np.cos(t), -s * np.sin(t)], [np.sin(t), s * np.cos(t)]])
    else:
        x1, x2 = s * t, s + t ** 2
        dx_dst = np.array([[t, s], [1.0, 2 * t]])
    e = np.exp(x1 * x2)
    return np.array([[x2 * e, x1 * e]]) @ dx_dst


def _chain_problems(rng):
    points = [(round(float(s), 2), round(float(t), 2)) for s, t in rng.uniform(-1.3, 1.3, size=(3, 2))]
    points.append(tuple(round(float(v), 2) for v in rng.uniform(0.6, 1.6, size=2) * rng.choice([-1, 1], size=2)))
    return [Case((s, t), f"(s, t) = ({s:g}, {t:g})".replace("-", "−"), {"probe"}) for s, t in points]


CHAIN_RULE = Exercise(
    id="02-chain-rule", function="df_dst", args=("s", "t"), forbidden=("numerical", "autodiff"), analytic=True,
    step="(5.51)–(5.53)",
    reference=_chain_ref, problems=_chain_problems,
    mistakes=[
        Mistake("transposed_inner_jacobian", "the inner Jacobian is transposed: ∂x/∂(s, t) has one ROW per "
                                             "x_i and one COLUMN per variable s, t, with ∂x_1/∂t in row 1, "
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
                _chain_with(outer="at_st")),
        Mistake("elementwise_not_matrix_product", "df_dx * dx_dst multiplies entry by entry (NumPy broadcasts "
                                                  "the 1 × 2 row over the 2 × 2 matrix); (5.53) is a matrix "
                                                  "product, df_dx @ dx_dst, which sums over x_1, x_2",
                lambda s, t: _chain_parts(s, t)[0] * _chain_parts(s, t)[1]),
        Mistake("elementwise_not_matrix_product", "this multiplies entry by entry and then sums the columns, "
                                                  "which pairs ∂f/∂x_j with every entry of column j; (5.53) is "
                                                  "the matrix product df_dx @ dx_dst (row times columns)",
                lambda s, t: np.sum(_chain_parts(s, t)[0] * _chain_parts(s, t)[1], axis=0, keepdims=True)),
        Mistake("outer_gradient_wrong", "∂f/∂x_2 lacks a factor 2: holding x_1 fixed, the derivative of "
                                        "x_2² is 2x_2 (Definition 5.5, then (5.53))",
                _chain_with(outer="power_rule")),
        Mistake("outer_gradient_wrong", "∂f/∂x_1 lacks the factor x_2²: holding x_2 fixed, x_2² is a constant "
                                        "factor that stays in the derivative (Definition 5.5, then (5.53))",
                _chain_with(outer="dropped_factor")),
        Mistake("outer_gradient_wrong", "∂f/∂x_1 has the wrong sign: the derivative of sin is +cos "
                                        "(Definition 5.5, then (5.53))",
                _chain_with(outer="cos_sign")),
        Mistake("inner_jacobian_wrong", "∂x_2/∂t lacks a factor 2: the derivative of t² is 2t (the inner "
                                        "Jacobian ∂x/∂(s, t) of (5.53))",
                _chain_with(inner="power_rule")),
        Mistake("inner_jacobian_wrong", "the first row of ∂x/∂(s, t) has its two entries swapped: for x_1 = s·t, "
                                        "∂x_1/∂s (column 1) is the factor that multiplies s, namely t (5.53)",
                _chain_with(inner="row_swapped")),
        Mistake("inner_jacobian_wrong", "∂x_2/∂s is not 0: x_2 = s + t² grows one for one with s, so "
                                        "∂x_2/∂s = 1 (the inner Jacobian ∂x/∂(s, t) of (5.53))",
                _chain_with(inner="lost_s")),
        Mistake("page_example", "this is df/d(s, t) of the page's example, f = e^{x_1 x_2} in polar coordinates; "
                                "the exercise has its own f = sin(x_1) x_2² with x_1 = s t, x_2 = s + t²: derive "
                                "their partial derivatives (5.51)–(5.53)",
                _page_example),
        Mistake("page_example", "∂f/∂x is the one of the page's example, f = e^{x_1 x_2}; the exercise's f is "
                                "sin(x_1) x_2²: derive its two partial derivatives (Definition 5.5, (5.53))",
                lambda s, t: _page_example(s, t, polar=False)),
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


# --------------------------------------------------------------------------------- 02-cross-entropy-chain
# E(z) = Σ_k −[y_k log σ(z_k) + (1 − y_k) log(1 − σ(z_k))]: each z_k reaches E along one path, z_k → f_k → E.

def _sig(z):
    return sigmoid(np.asarray(z, dtype=np.float64))


def _dE_dz(z, y):
    return (_sig(z) - y).reshape(1, -1)            # (dE/df)(df/dz) = (f − y)/(f(1 − f)) · f(1 − f) = f − y


def _chain_sigmoid_problems(rng):
    cases = []
    for n in (3, 5):
        z = np.round(rng.normal(0.0, 1.5, size=n), 2)
        y = rng.integers(0, 2, size=n).astype(np.float64)
        cases.append(Case((z, y), f"z = {_point(z)}, y = {_point(y)}", {"probe"}))
    z = np.round(rng.normal(0.0, 1.0, size=4), 2)
    y = np.round(rng.uniform(0.1, 0.9, size=4), 2)                      # soft targets are allowed too
    cases.append(Case((z, y), f"z = {_point(z)}, soft targets y = {_point(y)}", {"probe"}))
    for _ in range(2):                                                  # saturated outputs, right and wrong
        big = np.round(rng.uniform(700, 900, size=3)) * np.array([1.0, -1.0, 1.0])
        z = np.concatenate([rng.permutation(big), np.round(rng.normal(0.0, 1.0, size=1), 2)])
        y = np.array([float(rng.integers(0, 2)) for _ in range(4)])
        cases.append(Case((z, y), f"z = {_point(z)}, y = {_point(y)} (|z| in the hundreds)", {"extreme"}))
    return cases


_OVERFLOW_02 = ("in float64, σ(z) is exactly 1 for z above about 37 and 0 below about −745, so a factor "
                "1/σ(z) or 1/(1 − σ(z)) divides by zero and ∞ · 0 is NaN. Multiply (dE/df)(df/dz) out by hand "
                "first, as symbols: the factors cancel into a short expression that never divides by σ(z); "
                "and compute σ(z) with np.exp(−z) or a stable form, never math.exp of a large number")


def _moderate_mistake_rule(ev):
    """Wrong only on the extreme problems is overflow (decide.py); wrong on the others as a catalogued mistake,
    or as finite differences, and NaN/inf on the extreme ones: name the mistake, and mention the overflow."""
    extreme = [i for i, case in enumerate(ev.cases) if "extreme" in case.tags]
    moderate = [i for i in range(len(ev.cases)) if i not in extreme]
    if not extreme or any(ev.outcomes[i].kind != "returned" or ev.problems[i] is not None for i in moderate):
        return None
    broken = [i for i in extreme if ev.outcomes[i].kind == "raised"
              or (ev.problems[i] is not None and ev.problems[i].kind == "nan")]
    if not broken:
        return None
    also = (f"; besides, on {ev.cases[broken[0]].label} it gives NaN or inf or raises: " + _OVERFLOW_02)
    for mistake in ev.exercise.mistakes:
        if not mistake.match:
            continue
        results = ev.mutant(mistake)
        if all(results[i][0] == "returned" and _close(ev.outcomes[i].value, results[i][1], ev.exercise.rtol,
                                                     ev.exercise.atol) for i in moderate):
            inherent = all(results[i][0] == "raised" or not np.all(np.isfinite(np.asarray(results[i][1], float)))
                           for i in broken)       # the mistake itself overflows there: nothing to add
            return mistake.code, mistake.message + ("" if inherent else also)
    probes = [i for i in moderate if "probe" in ev.cases[i].tags]
    if probes and not all(ev.right[i] for i in probes) and \
            all(_close(ev.outcomes[i].value, ev.expected[i], NUMERICAL, NUMERICAL) for i in moderate):
        return ("numerical_not_analytic",
                f"{ev.name}'s values agree with the analytic result only to about 1e-6 to 1e-10, as finite "
                f"differences do; this exercise asks for the derivative worked out by the chain rule (5.48), which "
                f"is exact up to round-off" + also)
    return None


CROSS_ENTROPY_CHAIN = Exercise(
    id="02-cross-entropy-chain", function="dE_dz", args=("z", "y"), analytic=True,
    forbidden=("numerical", "autodiff", "derivative", "cost_gradient"),
    step="the chain rule (5.48) through f = σ(z) into the binary cross-entropy (Cost)",
    reference=_dE_dz, problems=_chain_sigmoid_problems, overflow_hint=_OVERFLOW_02,
    rules=(_moderate_mistake_rule,),
    mistakes=[
        Mistake("sign_error", "every entry has the wrong sign: E falls when the output f = σ(z) moves towards "
                              "its target y, so ∂E/∂z_k is negative where f_k < y_k (chain rule (5.48))",
                lambda z, y: -_dE_dz(z, y)),
        Mistake("missing_sigma_prime", "this is dE/df only; z reaches E through f = σ(z), so the chain rule "
                                       "(5.48) multiplies by df/dz = σ'(z) as well",
                lambda z, y: ((_sig(z) - y) / (_sig(z) * (1 - _sig(z)))).reshape(1, -1)),
        Mistake("missing_cost_derivative", "this is df/dz = σ'(z) only; the chain rule (5.48) multiplies it by "
                                           "dE/df, the derivative of the binary cross-entropy (Cost)",
                lambda z, y: (_sig(z) * (1 - _sig(z))).reshape(1, -1)),
        Mistake("squared_error_derivative", "this is the derivative of the squared error ½(f − y)² through the "
                                            "sigmoid; the exercise's cost is the binary cross-entropy "
                                            "−[y log f + (1 − y) log(1 − f)] (Cost), whose dE/df is different",
                lambda z, y: ((_sig(z) - y) * _sig(z) * (1 - _sig(z))).reshape(1, -1)),
        Mistake("log_derivative_sign", "the derivative of log(1 − f) is −1/(1 − f), with a minus sign from the "
                                       "inner function 1 − f (chain rule (5.48)); with it, the two terms of "
                                       "dE/df have opposite signs",
                lambda z, y: (-(y * (1 - _sig(z)) + (1 - y) * _sig(z))).reshape(1, -1)),
        Mistake("z_instead_of_sigma", "the output is f = σ(z), not z: where the derivative uses the output, "
                                      "put σ(z) (chain rule (5.48) through f = σ(z))",
                lambda z, y: (np.asarray(z, dtype=np.float64) - y).reshape(1, -1)),
        Mistake("sigmoid_sign", "σ(z) is 1/(1 + e^(−z)); 1/(1 + e^z) is σ(−z) = 1 − σ(z), the output for the "
                                "opposite sign of z (the sigmoid inside the chain rule (5.48))",
                lambda z, y: (_sig(-np.asarray(z, dtype=np.float64)) - y).reshape(1, -1)),
        Mistake("mean_instead_of_sum", "this divides by the number of outputs; E adds the costs of the outputs "
                                       "(Cost), so ∂E/∂z_k has no division",
                lambda z, y: _dE_dz(z, y) / np.size(z)),
        Mistake("column_not_row", "the result is a column (n, 1); the derivative of the scalar E with respect "
                                  "to z is a ROW of shape (1, n) (5.40)",
                lambda z, y: _dE_dz(z, y).T),
        Mistake("flat_not_row", "the result is a 1-D array (n,); the derivative of the scalar E with respect to "
                                "z is a row of shape (1, n) (5.40): reshape(1, -1)",
                lambda z, y: _dE_dz(z, y).ravel()),
    ])


EXERCISES = [GRADIENT, CHAIN_RULE, CROSS_ENTROPY_CHAIN]
