"""Checks of notebook 00: the Total Cost E = Σ_r ½‖f_K − Y_r‖² and gradient descent on one parameter.

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
Neither exercise involves an exponential, so no problem tests overflow: a squared error of outputs overflows
only when the true cost itself is beyond float64, which no network output reaches.
"""
import numpy as np

from .catalogue import Case, Exercise, Formula, Mistake
from .rules import right_only_on


# ---------------------------------------------------------------------------------------- 00-total-cost

def _total_cost(F, Y):
    return float(0.5 * np.sum((F - Y) ** 2))


def _per_example(F, Y):
    return 0.5 * np.sum((F - Y) ** 2, axis=0)                # E^r, one per column r


def _columns(F, Y, keep):
    """½ Σ over the kept columns r of ‖F[:, r] − Y[:, r]‖² (a loop over the wrong range of r)."""
    return float(np.sum(_per_example(F, Y)[keep]))


def _binary_cross_entropy(F, Y):
    with np.errstate(all="ignore"):
        return float(-np.sum(Y * np.log(F) + (1 - Y) * np.log1p(-F)))


def _total_cost_problems(rng):
    cases = []
    for n, R in [(3, 5), (1, 4), (2, 1), (4, 3)]:
        F, Y = rng.uniform(0.05, 0.95, size=(n, R)), rng.uniform(size=(n, R))
        tags = ({"R=1"} if R == 1 else set()) | ({"n_K=1"} if n == 1 else set())
        cases.append(Case((F, Y), f"F, Y of shape ({n}, {R})", tags))
    return cases


_R1_MESSAGE = ("your E is right for one example (R = 1) but not for several: ½(f_K − Y)ᵀ(f_K − Y) is the cost of "
               "ONE column; with R columns (f_K − Y)ᵀ(f_K − Y) is an R × R matrix whose diagonal holds the 2E^r, "
               "and its other entries mix different examples. Add the squares of all entries, E = Σ_r E^r "
               "(Total Cost)")
_ONE_OUTPUT_MESSAGE = ("your E is right when the network has one output (n_K = 1) but not for several: each "
                       "example's cost ½‖f_K − Y_r‖² adds the squared errors of ALL n_K outputs (rows), and the "
                       "Total Cost adds those over all R columns")

TOTAL_COST = Exercise(
    id="00-total-cost", function="total_cost_squared", args=("F", "Y"),
    step="Cost and Total Cost",
    reference=_total_cost, problems=_total_cost_problems, forbidden=("cost",),
    rules=(right_only_on("R=1", "right_only_for_R1", _R1_MESSAGE),
           right_only_on("n_K=1", "right_only_for_one_output", _ONE_OUTPUT_MESSAGE)),
    mistakes=[
        Mistake("missing_half", "the ½ is missing: each example costs E^r = ½‖f_K − Y_r‖² (Cost), so the "
                                "total is half the sum of squared errors",
                lambda F, Y: float(np.sum((F - Y) ** 2))),
        Mistake("mean_instead_of_sum", "this averages over the R examples; the Total Cost adds them, "
                                       "E = Σ_r E^r, with no division by R",
                lambda F, Y: float(0.5 * np.sum((F - Y) ** 2) / F.shape[1])),
        Mistake("mean_instead_of_sum", "this averages over all entries (np.mean); the Total Cost adds the "
                                       "per-example costs, E = Σ_r E^r, with no division",
                lambda F, Y: float(0.5 * np.mean((F - Y) ** 2))),
        Mistake("mean_instead_of_sum", "this averages over the n_K outputs of each example; the Cost of one "
                                       "example adds them, E^r = ½‖f_K − Y_r‖² = ½ Σ_k (squared error of output "
                                       "k) (Cost)",
                lambda F, Y: float(0.5 * np.sum(np.mean((F - Y) ** 2, axis=0)))),
        Mistake("not_squared", "this adds the distances ‖f_K − Y_r‖, not their squares: E^r = ½‖f_K − Y_r‖² "
                               "(Cost)",
                lambda F, Y: float(0.5 * np.sum(np.linalg.norm(F - Y, axis=0)))),
        Mistake("not_squared", "this adds absolute errors |F − Y|; the Cost squares them, E^r = ½‖f_K − Y_r‖² "
                               "= ½ Σ_k (f_K − Y_r)_k² (Cost)",
                lambda F, Y: float(0.5 * np.sum(np.abs(F - Y)))),
        Mistake("not_squared", "np.linalg.norm(F − Y) is the square root of the sum of squares; the Cost "
                               "needs the square itself: ½‖·‖² (Cost, Total Cost)",
                lambda F, Y: float(0.5 * np.linalg.norm(F - Y))),
        Mistake("not_squared", "np.linalg.norm(F − Y) is the square root of the sum of squares, and the ½ is "
                               "missing too: E = ½ Σ_r ‖f_K − Y_r‖² (Cost, Total Cost)",
                lambda F, Y: float(np.linalg.norm(F - Y))),
        Mistake("squared_sum", "this squares the sum of the errors; the cost sums the squared errors, "
                               "½ Σ_r Σ_k (F_kr − Y_kr)² (Cost, Total Cost)",
                lambda F, Y: float(0.5 * np.sum(F - Y) ** 2)),
        Mistake("squared_sum", "this squares the sum of each example's errors, (Σ_k e_kr)²; the Cost of "
                               "example r sums the squares, ½ Σ_k e_kr² (Cost); the two agree only for one output",
                lambda F, Y: float(0.5 * np.sum(np.sum(F - Y, axis=0) ** 2))),
        Mistake("difference_of_squares", "this subtracts the squares, F² − Y²; the Cost squares the "
                                         "difference, ½‖f_K − Y_r‖² with (F − Y)², not F² − Y² (Cost)",
                lambda F, Y: float(0.5 * np.sum(F ** 2 - Y ** 2))),
        Mistake("right_only_for_R1", "this adds every entry of the R × R matrix (f_K − Y)ᵀ(f_K − Y), which "
                                     "also holds products of DIFFERENT examples; only its diagonal holds the "
                                     "2E^r. Add the squared entries of f_K − Y (or take the trace): E = Σ_r E^r "
                                     "(Total Cost)",
                lambda F, Y: float(0.5 * np.sum((F - Y).T @ (F - Y)))),
        Mistake("per_example_not_total", "this returns one cost per example (an array of R values); the "
                                         "Total Cost adds them into one number, E = Σ_r E^r",
                _per_example),
        Mistake("per_output_not_total", "this returns one number per output (np.sum over axis=1 only, an "
                                        "array of n_K values); the Total Cost adds every squared error into one "
                                        "number, E = Σ_r E^r",
                lambda F, Y: 0.5 * np.sum((F - Y) ** 2, axis=1)),
        Mistake("not_summed", "this returns the matrix ½(F − Y)² of squared errors; the Total Cost adds all its "
                              "entries into one number, E = Σ_r ½‖f_K − Y_r‖²",
                lambda F, Y: 0.5 * (F - Y) ** 2),
        Mistake("skips_an_example", "the last example is left out: a loop over range(R − 1) stops one column "
                                    "early; the Total Cost runs over r = 1, …, R (range(R) in Python)",
                lambda F, Y: _columns(F, Y, slice(0, -1))),
        Mistake("skips_an_example", "the first example is left out: range(1, R) starts at the second column; "
                                    "Python counts columns from 0, so the Total Cost over r = 1, …, R is "
                                    "range(R)",
                lambda F, Y: _columns(F, Y, slice(1, None))),
        Mistake("not_accumulated", "only the last example's cost is kept: `E = …` inside the loop overwrites "
                                   "the running total; accumulate it, E += E^r (Total Cost)",
                lambda F, Y: _columns(F, Y, slice(-1, None))),
        Mistake("first_example_only", "only the first example (column 0) is counted, e.g. a `return` inside "
                                      "the loop, or F[:, 0]; the Total Cost adds all R examples, E = Σ_r E^r",
                lambda F, Y: _columns(F, Y, slice(0, 1))),
        Mistake("right_only_for_one_output", "only the first output (row 0) is counted; the Cost of one "
                                             "example adds the squared errors of all n_K outputs, "
                                             "½‖f_K − Y_r‖² (Cost)",
                lambda F, Y: float(0.5 * np.sum((F[0] - Y[0]) ** 2))),
        Mistake("wrong_cost", "this is the binary cross-entropy; the exercise asks for the squared-error cost "
                              "E^r = ½‖f_K − Y_r‖² (Cost), added over the examples",
                _binary_cross_entropy),
    ])


# ---------------------------------------------------------------------------------- 00-gradient-descent

def _descent(dE, theta0, eta, steps, *, sign=-1.0, use_eta=True, start=True, extra=0, stale=False, last=False,
             at_least_one=False):
    path, theta = [float(theta0)], float(theta0)
    g0 = dE(theta)
    updates = max(steps, 1) if at_least_one else steps + extra
    for _ in range(updates):
        g = g0 if stale else dE(theta)
        theta = theta + sign * (eta if use_eta else 1.0) * g
        path.append(theta)
    if last:
        return float(path[-1])
    return np.array(path if start else path[1:])


def _descent_problems(rng):
    c, a = round(float(rng.uniform(1, 4)), 2), round(float(rng.uniform(0.3, 0.7)), 2)
    d = round(float(rng.uniform(-1.5, -0.5)), 2)
    start = [round(float(x), 2) for x in rng.uniform(-1, 2, size=4)]
    return [
        Case((Formula(f"lambda th: 2.0 * (th - {c})"), start[0], 0.25, 4),
             _minus(f"dE(θ) = 2(θ − {c:g}) from θ(0) = {start[0]:g} with η = 0.25, 4 steps")),
        Case((Formula(f"lambda th: np.sin(th) + {a} * th"), start[1], 0.3, 6),
             _minus(f"dE(θ) = sin θ + {a:g}θ from θ(0) = {start[1]:g} with η = 0.3, 6 steps")),
        Case((Formula(f"lambda th: 4.0 * (th - {d}) ** 3"), start[2] / 4, 0.05, 3),
             _minus(f"dE(θ) = 4(θ − {d:g})³ from θ(0) = {start[2] / 4:g} with η = 0.05, 3 steps")),
        Case((Formula(f"lambda th: 2.0 * (th - {c})"), start[0], 0.25, 0),
             _minus(f"dE(θ) = 2(θ − {c:g}) from θ(0) = {start[0]:g} with steps = 0"), {"steps=0"}),
        Case((Formula(f"lambda th: 2.0 * (th - {c})"), start[3], 1.1, 5),     # 1 − 2η = −1.2: each step overshoots more
             _minus(f"dE(θ) = 2(θ − {c:g}) from θ(0) = {start[3]:g} with η = 1.1 (too large: the path "
                    f"diverges), 5 steps"), {"diverges"}),
        Case((Formula(f"lambda th: 2.0 * (th - {c})"), start[3], 2.0, 20),     # 1 − 2η = −3: |θ| passes 10⁹
             _minus(f"dE(θ) = 2(θ − {c:g}) from θ(0) = {start[3]:g} with η = 2 (far too large), 20 steps"),
             {"diverges"}),
    ]


def _minus(text):
    return text.replace("− -", "+ ").replace("-", "−")


def _stops_when_diverging_rule(ev):
    """Right wherever the path stays small, but on a diverging problem the path ends before `steps` steps."""
    if not ev.returned():
        return None
    early = False
    for case, outcome, right in zip(ev.cases, ev.outcomes, ev.right):
        if right:
            continue
        dE, theta0, eta, steps = case.args
        try:
            path = np.asarray(outcome.value, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            return None
        full = _descent(dE, theta0, eta, steps)
        if "diverges" not in case.tags or not 0 < path.size < full.size or \
                not np.allclose(path, full[:path.size], rtol=1e-9, atol=1e-12):
            return None
        early = True
    if early:
        return ("stops_when_diverging", f"{ev.name} stops early when θ grows large; the exercise asks for all "
                                        f"steps + 1 values θ(0), …, θ(steps) even when the path diverges, so that "
                                        f"the divergence shows (η too large, Problem Formulation)")
    return None


def _fixed_eta_rule(ev):
    """The path is gradient descent with one and the same η on every problem, whatever `eta` says."""
    if not ev.returned():
        return None
    rates = []
    for case, outcome in zip(ev.cases, ev.outcomes):
        dE, theta0, eta, steps = case.args
        try:
            path = np.asarray(outcome.value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        if path.shape != (steps + 1,) or not np.all(np.isfinite(path)):
            return None
        if steps == 0:
            continue
        slope = dE(float(theta0))
        if slope == 0:
            return None
        rate = (path[0] - path[1]) / slope
        if not (rate > 0) or not np.allclose(path, _descent(dE, theta0, rate, steps), rtol=1e-9, atol=1e-12):
            return None
        rates.append((rate, eta))
    if len(rates) < 2 or len({eta for _, eta in rates}) < 2:
        return None
    first = rates[0][0]
    if all(np.isclose(rate, first, rtol=1e-9) for rate, _ in rates) and \
            not all(np.isclose(rate, eta, rtol=1e-9) for rate, eta in rates):
        return ("eta_ignored", f"{ev.name} takes steps of the same learning rate (η ≈ {first:.3g}) whatever "
                               f"`eta` it is given: η is hard-coded or read from a variable outside the function; "
                               f"use the argument, θ(t+1) = θ(t) − eta · dE(θ(t)) (Problem Formulation)")
    return None


GRADIENT_DESCENT = Exercise(
    id="00-gradient-descent", function="gradient_descent_1d", args=("dE", "theta0", "eta", "steps"),
    step="the update rule θ(t+1) = θ(t) − η ∂E/∂θ (Problem Formulation)",
    reference=_descent, problems=_descent_problems, forbidden=("descent",),
    rules=(_fixed_eta_rule, _stops_when_diverging_rule),
    mistakes=[
        Mistake("gradient_ascent", "each step climbs: θ(t+1) = θ(t) + η dE goes uphill; the update rule "
                                   "subtracts, θ(t+1) = θ(t) − η ∂E/∂θ (Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, sign=1.0)),
        Mistake("missing_eta", "the learning rate is missing: each step must move by η times the slope, "
                               "θ(t+1) = θ(t) − η ∂E/∂θ (Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, use_eta=False)),
        Mistake("missing_start", "the path lacks its start θ(0) = theta0: return θ(0), θ(1), …, θ(steps), "
                                 "steps + 1 values (Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, start=False)),
        Mistake("extra_step", "the path takes one step too many (steps + 2 values): apply the update "
                              "`steps` times and return θ(0), …, θ(steps) (Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, extra=1)),
        Mistake("missing_step", "the path stops one step short (it ends at θ(steps − 1)): apply the update "
                                "`steps` times, for t in range(steps), and return θ(0), …, θ(steps) "
                                "(Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, extra=-1)),
        Mistake("shifted_path", "the path runs from θ(1) to θ(steps + 1): it lacks θ(0) and takes one step "
                                "too many; start the list with theta0 and apply the update `steps` times "
                                "(Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, start=False, extra=1)),
        Mistake("steps_zero_still_steps", "with steps = 0 the path must be just [θ(0)], but yours takes a "
                                          "step: the loop updates θ before it tests the count (a do-while); "
                                          "test first, e.g. for _ in range(steps) (Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, at_least_one=True)),
        Mistake("stale_gradient", "every step uses the slope at θ(0); evaluate dE at the current θ(t) in each "
                                  "step, θ(t+1) = θ(t) − η dE(θ(t)) (Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, stale=True)),
        Mistake("returns_final_only", "this returns only the last θ; return the whole path θ(0), …, "
                                      "θ(steps) as an array of steps + 1 values (Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, last=True)),
    ])


EXERCISES = [TOTAL_COST, GRADIENT_DESCENT]
