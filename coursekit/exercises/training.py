"""Checks of notebook 09: full-batch gradient descent on the Total Cost, θ(t+1) = θ(t) − η ∂E/∂θ.

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from ..data import xor
from ..network import backward, forward, total_cost
from .backprop import random_params
from .catalogue import Case, Exercise, Mistake, shorten


# -------------------------------------------------------------------------------------------- 09-train

def _train(params, X, Y, eta, steps, *, sign=-1.0, use_eta=True, history="full", stale=False, extra=0,
           per_example=False, return_old=False, in_place=False):
    theta = params if in_place else {key: np.array(value, dtype=np.float64) for key, value in params.items()}
    costs = [total_cost(theta, X, Y)]
    first = None
    for _ in range(steps + extra):
        if per_example:
            for r in range(X.shape[1]):
                grads = backward(theta, forward(theta, X[:, [r]]), Y[:, [r]])
                for key in theta:
                    theta[key] -= eta * grads[key]
        else:
            grads = first if (stale and first is not None) else backward(theta, forward(theta, X), Y)
            first = grads if first is None else first
            for key in theta:
                theta[key] = theta[key] + sign * (eta if use_eta else 1.0) * grads[key]
        costs.append(total_cost(theta, X, Y))
    if history == "no_final":
        costs = costs[:-1]
    elif history == "no_initial":
        costs = costs[1:]
    return (params if return_old else theta), np.array(costs)


def _train_reference(params, X, Y, eta, steps):
    return _train(params, X, Y, eta, steps)


def _train_problems(rng):
    X_xor, Y_xor = xor()
    cases = [Case((random_params(rng, [2, 3, 1]), X_xor, Y_xor, 0.5, 4),
                  "a 2-3-1 network on XOR with η = 0.5, 4 steps")]
    X, Y = rng.normal(size=(3, 5)), rng.uniform(size=(2, 5))
    cases.append(Case((random_params(rng, [3, 2, 2]), X, Y, 0.2, 3), "a 3-2-2 network, R = 5, η = 0.2, 3 steps"))
    X, Y = rng.normal(size=(2, 3)), rng.uniform(size=(1, 3))
    cases.append(Case((random_params(rng, [2, 4, 1]), X, Y, 2.0, 2), "a 2-4-1 network, R = 3, η = 2, 2 steps"))
    cases.append(Case((random_params(rng, [2, 4, 1]), X, Y, 2.0, 0), "a 2-4-1 network, R = 3, steps = 0",
                      {"steps=0"}))
    return cases


def _train_mutant(**flags):
    def train(params, X, Y, eta, steps):
        return _train(params, X, Y, eta, steps, **flags)
    return train


TRAIN = Exercise(
    id="09-train", function="train", args=("params", "X", "Y", "eta", "steps"), forbidden=("descent",),
    step="gradient descent θ(t+1) = θ(t) − η ∂E/∂θ on the Total Cost",
    reference=_train_reference, problems=_train_problems, rtol=1e-7, atol=1e-10,
    parts={0: ("new_params", ""), 1: ("history", "")},
    modified_code="params_modified",
    modified_hint="train must not modify the params it is given: start from copies, "
                  "theta = {key: value.copy() for key, value in params.items()}, and update those "
                  "(theta[key] = theta[key] − eta * grads[key] or -= on the copy)",
    mistakes=shorten([
        Mistake("gradient_ascent", "each step climbs: θ + η ∂E/∂θ goes uphill and the cost grows; the update "
                                   "subtracts, θ(t+1) = θ(t) − η ∂E/∂θ (Problem Formulation)",
                _train_mutant(sign=1.0)),
        Mistake("missing_eta", "the learning rate is missing: each step moves by η times the gradient, "
                               "θ(t+1) = θ(t) − η ∂E/∂θ (Problem Formulation)",
                _train_mutant(use_eta=False)),
        Mistake("gradient_not_recomputed", "the gradient is computed once, at θ(0), and reused; run forward and "
                                           "backward again at the current θ(t) in every step (Problem Formulation)",
                _train_mutant(stale=True)),
        Mistake("history_wrong_length", "history lacks the cost after the last step: it holds E at θ(0), …, "
                                        "θ(steps), steps + 1 values (record E once more after the loop; Total Cost)",
                _train_mutant(history="no_final")),
        Mistake("history_wrong_length", "history lacks the cost at the start: it holds E at θ(0), …, θ(steps), "
                                        "steps + 1 values, beginning before the first update (Total Cost)",
                _train_mutant(history="no_initial")),
        Mistake("history_wrong_length", "one step too many: apply the update `steps` times, so history holds "
                                        "E at θ(0), …, θ(steps), steps + 1 values (Problem Formulation)",
                _train_mutant(extra=1)),
        Mistake("returned_old_params", "the params returned are the ones passed in, not the trained ones: "
                                       "return the updated θ(steps) (Problem Formulation)",
                _train_mutant(return_old=True)),
        Mistake("not_full_batch", "the parameters are updated after every single example (stochastic "
                                  "gradient descent); full-batch descent makes one update per step with the "
                                  "gradient of the Total Cost E = Σ_r E^r over all R examples",
                _train_mutant(per_example=True)),
        Mistake("params_modified", "params modified in place", _train_mutant(in_place=True), match=False),
    ], {"gradient_ascent": "climbs (+ η ∂E/∂θ instead of −)", "missing_eta": "lacks the learning rate η",
           "gradient_not_recomputed": "reuses the gradient at θ(0)",
           "history_wrong_length": "is shifted or has the wrong length (E at θ(0), …, θ(steps))",
           "returned_old_params": "is the params passed in, not the trained ones",
           "not_full_batch": "comes from per-example updates instead of full-batch ones"}))


EXERCISES = [TRAIN]
