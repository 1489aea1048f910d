"""Checks of notebook 00: the Total Cost E = Σ_r ½‖f_K − Y_r‖² and gradient descent on one parameter.

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from .catalogue import Case, Exercise, Formula, Mistake


# ---------------------------------------------------------------------------------------- 00-total-cost

def _total_cost(F, Y):
    return float(0.5 * np.sum((F - Y) ** 2))


def _total_cost_problems(rng):
    cases = []
    for n, R in [(3, 5), (1, 4), (2, 1), (4, 3)]:
        F, Y = rng.uniform(size=(n, R)), rng.uniform(size=(n, R))
        cases.append(Case((F, Y), f"F, Y of shape ({n}, {R})", {f"R={R}"} if R == 1 else ()))
    return cases


TOTAL_COST = Exercise(
    id="00-total-cost", function="total_cost_squared", args=("F", "Y"),
    step="Cost and Total Cost",
    reference=_total_cost, problems=_total_cost_problems, forbidden=("cost",),
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
        Mistake("not_squared", "this adds the distances ‖f_K − Y_r‖, not their squares: E^r = ½‖f_K − Y_r‖² "
                               "(Cost)",
                lambda F, Y: float(0.5 * np.sum(np.linalg.norm(F - Y, axis=0)))),
        Mistake("squared_sum", "this squares the sum of the errors; the cost sums the squared errors, "
                               "½ Σ_r Σ_k (F_kr − Y_kr)² (Cost, Total Cost)",
                lambda F, Y: float(0.5 * np.sum(F - Y) ** 2)),
        Mistake("per_example_not_total", "this returns one cost per example (an array of R values); the "
                                         "Total Cost adds them into one number, E = Σ_r E^r",
                lambda F, Y: 0.5 * np.sum((F - Y) ** 2, axis=0)),
    ])


# ---------------------------------------------------------------------------------- 00-gradient-descent

def _descent(dE, theta0, eta, steps, *, sign=-1.0, use_eta=True, start=True, extra=0, stale=False, last=False):
    path, theta = [float(theta0)], float(theta0)
    g0 = dE(theta)
    for _ in range(steps + extra):
        g = g0 if stale else dE(theta)
        theta = theta + sign * (eta if use_eta else 1.0) * g
        path.append(theta)
    if last:
        return float(path[-1])
    return np.array(path if start else path[1:])


def _descent_problems(rng):
    c, a = round(float(rng.uniform(1, 4)), 2), round(float(rng.uniform(0.3, 0.7)), 2)
    d = round(float(rng.uniform(-1.5, -0.5)), 2)
    start = [round(float(x), 2) for x in rng.uniform(-1, 2, size=3)]
    return [
        Case((Formula(f"lambda th: 2.0 * (th - {c})"), start[0], 0.25, 4),
             _minus(f"dE(θ) = 2(θ − {c:g}) from θ(0) = {start[0]:g} with η = 0.25, 4 steps")),
        Case((Formula(f"lambda th: np.sin(th) + {a} * th"), start[1], 0.3, 6),
             _minus(f"dE(θ) = sin θ + {a:g}θ from θ(0) = {start[1]:g} with η = 0.3, 6 steps")),
        Case((Formula(f"lambda th: 4.0 * (th - {d}) ** 3"), start[2] / 4, 0.05, 3),
             _minus(f"dE(θ) = 4(θ − {d:g})³ from θ(0) = {start[2] / 4:g} with η = 0.05, 3 steps")),
        Case((Formula(f"lambda th: 2.0 * (th - {c})"), start[0], 0.25, 0),
             _minus(f"dE(θ) = 2(θ − {c:g}) from θ(0) = {start[0]:g} with steps = 0"), {"steps=0"}),
    ]


def _minus(text):
    return text.replace("− -", "+ ").replace("-", "−")


GRADIENT_DESCENT = Exercise(
    id="00-gradient-descent", function="gradient_descent_1d", args=("dE", "theta0", "eta", "steps"),
    step="the update rule θ(t+1) = θ(t) − η ∂E/∂θ (Problem Formulation)",
    reference=_descent, problems=_descent_problems, forbidden=("descent",),
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
        Mistake("stale_gradient", "every step uses the slope at θ(0); evaluate dE at the current θ(t) in each "
                                  "step, θ(t+1) = θ(t) − η dE(θ(t)) (Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, stale=True)),
        Mistake("returns_final_only", "this returns only the last θ; return the whole path θ(0), …, "
                                      "θ(steps) as an array of steps + 1 values (Problem Formulation)",
                lambda dE, theta0, eta, steps: _descent(dE, theta0, eta, steps, last=True)),
    ])


EXERCISES = [TOTAL_COST, GRADIENT_DESCENT]
