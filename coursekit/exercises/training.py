"""Checks of notebook 09: full-batch gradient descent on the Total Cost, θ(t+1) = θ(t) − η ∂E/∂θ, and the
gradient of the cost with L2 weight decay, E_λ = E + λ/2 Σ_i ‖A_i‖².

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import numpy as np

from ..data import xor
from ..network import backward, forward, total_cost
from .backprop import _backprop, _network_case, random_params, saturate
from .catalogue import Case, Exercise, Mistake, shorten
from .comparing import _close


# -------------------------------------------------------------------------------------------- 09-train

def _train(params, X, Y, eta, steps, *, sign=-1.0, use_eta=True, history="full", stale=False, extra=0,
           per_example=False, return_old=False, in_place=False, mean_grad=False, mean_history=False,
           grad_cost="squared", history_cost="squared", weights_only=False, one_example=False,
           at_least_once=False):
    """Full-batch gradient descent, optionally making known mistakes.

    The flags: the update's sign, η left out, the gradient of θ(0) reused (stale), the history shifted or one
    step too many (extra), per-example updates, the old params returned or modified in place; the mean
    gradient or mean cost instead of the Total Cost's, another cost (grad_cost, history_cost), the biases
    never updated, one example per step (example t mod R), a loop that runs once when steps = 0.
    """
    theta = params if in_place else {key: np.array(value, dtype=np.float64) for key, value in params.items()}
    R = X.shape[1]

    def cost(theta):
        return total_cost(theta, X, Y, cost=history_cost) / (R if mean_history else 1)

    costs = [cost(theta)]
    first = None
    runs = max(steps, 1) if at_least_once else steps
    for t in range(runs + extra):
        if per_example:
            for r in range(R):
                grads = backward(theta, forward(theta, X[:, [r]]), Y[:, [r]])
                for key in theta:
                    theta[key] -= eta * grads[key]
        else:
            if stale and first is not None:
                grads = first
            elif one_example:
                r = t % R
                grads = backward(theta, forward(theta, X[:, [r]]), Y[:, [r]], cost=grad_cost)
            else:
                grads = backward(theta, forward(theta, X), Y, cost=grad_cost)
            first = grads if first is None else first
            for key in theta:
                if weights_only and key.startswith("b"):
                    continue
                step = (eta if use_eta else 1.0) * grads[key] / (R if mean_grad else 1)
                theta[key] = theta[key] + sign * step
        costs.append(cost(theta))
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
    twin = random_params(rng, [3, 2, 2])
    cases.append(Case((twin, X, Y, 0.2, 3), "a 3-2-2 network, R = 5, η = 0.2, 3 steps", {"eta-base"}))
    X, Y = rng.normal(size=(2, 3)), rng.uniform(size=(1, 3))
    cases.append(Case((random_params(rng, [2, 4, 1]), X, Y, 2.0, 2), "a 2-4-1 network, R = 3, η = 2, 2 steps"))
    cases.append(Case((random_params(rng, [2, 4, 1]), X, Y, 2.0, 0), "a 2-4-1 network, R = 3, steps = 0",
                      {"steps=0"}))
    cases.append(Case((twin, cases[1].args[1], cases[1].args[2], 0.05, 3),
                      "the same 3-2-2 network, R = 5, with η = 0.05, 3 steps", {"eta-twin"}))
    big = saturate(rng, random_params(rng, [2, 4, 1]))
    X, Y = rng.normal(size=(2, 4)), rng.uniform(size=(1, 4))
    cases.append(Case((big, X, Y, 0.5, 3), "a 2-4-1 network with hidden units at |Z| ≥ 700, R = 4, η = 0.5, "
                                           "3 steps", {"extreme"}))
    return cases


def _train_mutant(**flags):
    def train(params, X, Y, eta, steps):
        return _train(params, X, Y, eta, steps, **flags)
    return train


def _eta_ignored(ev):
    """The same problem with two learning rates gives the same result: η is hard-coded or never used."""
    base = next((i for i, case in enumerate(ev.cases) if "eta-base" in case.tags), None)
    twin = next((i for i, case in enumerate(ev.cases) if "eta-twin" in case.tags), None)
    if base is None or twin is None:
        return None
    a, b = ev.outcomes[base], ev.outcomes[twin]
    if a.kind != "returned" or b.kind != "returned" or ev.problems[base] or ev.problems[twin]:
        return None
    if _close(a.value, b.value, 1e-12, 1e-15) and not _close(ev.expected[base], ev.expected[twin], 1e-6, 1e-9):
        return ("eta_ignored",
                f"{ev.name} returns the same result for η = {ev.cases[base].args[3]:g} and η = "
                f"{ev.cases[twin].args[3]:g} on the same network and data: the learning rate must come from the "
                f"argument eta, θ(t+1) = θ(t) − η ∂E/∂θ (Problem Formulation), not be written into the code")
    return None


def _swapped(ev):
    """(history, new_params) instead of (new_params, history)."""
    for outcome in ev.outcomes:
        value = outcome.value if outcome.kind == "returned" else None
        if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[1], dict) \
                and not isinstance(value[0], dict):
            return ("returned_in_wrong_order",
                    f"{ev.name} returns (history, new_params); return them in the stated order, "
                    f"(new_params, history): θ(steps) first, then E(θ(0)), …, E(θ(steps)) (Problem Formulation)")
    return None


_TRAIN_SHORT = {"gradient_ascent": "climbs (+ η ∂E/∂θ instead of −)", "missing_eta": "lacks the learning rate η",
                "gradient_not_recomputed": "reuses the gradient at θ(0)",
                "history_wrong_length": "is shifted or has the wrong length (E at θ(0), …, θ(steps))",
                "returned_old_params": "is the params passed in, not the trained ones",
                "not_full_batch": "comes from updates on single examples instead of full-batch ones",
                "mean_instead_of_sum": "uses the mean over the R examples instead of the Total Cost's sum",
                "wrong_cost": "uses the cross-entropy instead of the squared error",
                "biases_not_updated": "leaves the biases b_i at θ(0)",
                "steps_zero_runs_once": "takes a step although steps = 0"}

TRAIN = Exercise(
    id="09-train", function="train", args=("params", "X", "Y", "eta", "steps"), forbidden=("descent",),
    step="gradient descent θ(t+1) = θ(t) − η ∂E/∂θ on the Total Cost",
    reference=_train_reference, problems=_train_problems, rtol=1e-7, atol=1e-10,
    parts={0: ("new_params", ""), 1: ("history", "")},
    modified_code="params_modified",
    modified_hint="train must not modify the params it is given: start from copies, "
                  "theta = {key: value.copy() for key, value in params.items()}, and update those "
                  "(theta[key] = theta[key] − eta * grads[key] or -= on the copy)",
    rules=(_swapped, _eta_ignored),
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
        Mistake("steps_zero_runs_once", "with steps = 0 the loop still makes one update: train must then return "
                                        "copies of θ(0) and history = [E(θ(0))]; a `while True: … if t >= steps: "
                                        "break` tests the condition too late, `for t in range(steps)` runs zero "
                                        "times (Problem Formulation)",
                _train_mutant(at_least_once=True)),
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
        Mistake("not_full_batch", "each step uses the gradient of one example (example t mod R); full-batch "
                                  "descent uses the gradient of the Total Cost E = Σ_r E^r over all R examples "
                                  "in every step: backward on all of X and Y",
                _train_mutant(one_example=True)),
        Mistake("mean_instead_of_sum", "each step uses the mean gradient, ∂E/∂θ divided by R; this exercise "
                                       "descends on the Total Cost E = Σ_r E^r itself, whose gradient "
                                       "coursekit.backward returns as it is (no division by R)",
                _train_mutant(mean_grad=True)),
        Mistake("mean_instead_of_sum", "the gradient and the history are both divided by R (the mean cost); "
                                       "this exercise uses the Total Cost E = Σ_r E^r, as coursekit.backward and "
                                       "coursekit.total_cost return it",
                _train_mutant(mean_grad=True, mean_history=True)),
        Mistake("mean_instead_of_sum", "history holds the mean cost E/R; it must hold the Total Cost "
                                       "E = Σ_r E^r (coursekit.total_cost) at θ(0), …, θ(steps)",
                _train_mutant(mean_history=True)),
        Mistake("wrong_cost", "this trains with the binary cross-entropy; the exercise asks for the squared "
                              "error, E^r = ½‖f_K − Y_r‖², which is what coursekit.backward and "
                              "coursekit.total_cost use by default (Total Cost)",
                _train_mutant(grad_cost="cross_entropy", history_cost="cross_entropy")),
        Mistake("wrong_cost", "the updates use the gradient of the binary cross-entropy, but the exercise "
                              "descends on the squared error E^r = ½‖f_K − Y_r‖² (leave out cost=… in "
                              "coursekit.backward; Total Cost)",
                _train_mutant(grad_cost="cross_entropy")),
        Mistake("wrong_cost", "history records the binary cross-entropy, but the exercise's cost is the squared "
                              "error E^r = ½‖f_K − Y_r‖² (leave out cost=… in coursekit.total_cost; Total Cost)",
                _train_mutant(history_cost="cross_entropy")),
        Mistake("biases_not_updated", "only the weights A_i move: the biases b_i are parameters too, and θ "
                                      "collects all of them, so every key of params gets θ − η ∂E/∂θ "
                                      "(Problem Formulation)",
                _train_mutant(weights_only=True)),
        Mistake("params_modified", "params modified in place", _train_mutant(in_place=True), match=False),
    ], _TRAIN_SHORT))


# ------------------------------------------------------------------------------------- 09-weight-decay

def _decay(params, trace, Y, lam, *, biases=False, factor=1.0, lam_outside=False, lam_on_data=False, sign=1.0,
           layers="all", term="A", data=True, mean=False):
    """∂E_λ/∂θ for E_λ = E + λ/2 Σ_i ‖A_i‖² (biases not decayed), optionally making known mistakes.

    Each weight gets ∂E/∂A_i + λ A_i and each bias ∂E/∂b_i. The flags: the biases decayed too, λ times a
    factor (2: the ½ lost; ½: the square not differentiated), λ(∂E/∂A_i + A_i) or λ ∂E/∂A_i + A_i, the sign,
    only the last or the first layer decayed, another term (A ⊙ A, sign(A), the penalty's value), the data
    term left out or averaged over R.
    """
    K = len(params) // 2
    R = Y.shape[1]
    grads = _backprop(params, trace, Y) if data else {key: np.zeros_like(value) for key, value in params.items()}
    if mean:
        grads = {key: value / R for key, value in grads.items()}
    penalty = 0.5 * sum(float(np.sum(params[f"A{i}"] ** 2)) for i in range(K))
    decayed = {"all": range(K), "last": [K - 1], "first": [0]}[layers]
    out = dict(grads)
    for key, value in params.items():
        if key.startswith("b") and not biases:
            continue
        if key.startswith("A") and int(key[1:]) not in decayed:
            continue
        extra = {"A": value, "A2": value ** 2, "sign": np.sign(value),
                 "penalty": np.full_like(value, penalty)}[term]
        if lam_outside:
            out[key] = lam * (grads[key] + extra)
        elif lam_on_data:
            out[key] = lam * grads[key] + extra
        else:
            out[key] = grads[key] + sign * factor * lam * extra
    return {key: out[key] for key in params}


def _decay_reference(params, trace, Y, lam):
    return _decay(params, trace, Y, lam)


def _decay_problems(rng):
    cases = []
    for sizes, R, lam in [([2, 3, 1], 4, 0.1), ([3, 4, 2], 5, 0.05), ([3, 2], 3, 0.5), ([2, 3, 3, 2], 4, 0.2),
                          ([2, 5, 3], 1, 1.0)]:
        case = _network_case(rng, sizes, R)
        cases.append(Case(case.args + (lam,), f"{case.label}, λ = {lam:g}", case.tags))
    case = _network_case(rng, [3, 4, 2], 4, extreme=True)
    cases.append(Case(case.args + (0.01,), f"{case.label}, λ = 0.01", case.tags))
    return cases


def _decay_mutant(**flags):
    def answer(params, trace, Y, lam):
        return _decay(params, trace, Y, lam, **flags)
    return answer


def _decay_k2_rule(ev):
    """Right on every two-layer network, wrong or raising on networks with one or three layers."""
    two = [i for i, case in enumerate(ev.cases) if "K=2" in case.tags]
    other = [i for i, case in enumerate(ev.cases) if "K=2" not in case.tags]
    if two and other and all(ev.right[i] for i in two) and not any(ev.right[i] for i in other):
        return ("only_works_for_K2",
                f"{ev.name} is right for two-layer networks but not for K = 1 or K = 3: loop over every weight "
                f"of params (the keys A0, …, A{{K−1}}, K = len(params) // 2) instead of naming A0 and A1; the "
                f"penalty λ/2 Σ_i ‖A_i‖² has one term per layer (5.47)")
    return None


def _decay_parts():
    parts = {}
    for i in range(3):
        parts[f"A{i}"] = (f"∂E_λ/∂A{i}", "")
        parts[f"b{i}"] = (f"∂E_λ/∂b{i}", "")
    return parts


_DECAY_SHORT = {"biases_decayed": "decays the bias (the penalty has only the weights)",
                "wrong_constant_factor": "has λ times the wrong factor (d/dA of λ/2 ‖A‖² is λA)",
                "lambda_misplaced": "multiplies the wrong term by λ",
                "sign_error": "subtracts λA instead of adding it",
                "not_every_layer": "lacks the decay term λA_i",
                "wrong_penalty_gradient": "adds the wrong decay term (it is λ A_i)",
                "data_term_missing": "lacks the data term ∂E/∂θ",
                "mean_instead_of_sum": "divides the data term by R"}

WEIGHT_DECAY = Exercise(
    id="09-weight-decay", function="decayed_gradient", args=("params", "trace", "Y", "lam"),
    step="the sum rule (5.47) applied to E_λ = E + λ/2 Σ_i ‖A_i‖²", analytic=True, forbidden=("numerical",),
    reference=_decay_reference, problems=_decay_problems, parts=_decay_parts(),
    modified_hint="params, trace and Y are read-only: build new arrays (grads[key] + lam * A, not A *= lam or "
                  "grads[key] += … on an array of params)",
    overflow_hint="take the data term from coursekit.backward, or compute σ'(Z) as f ⊙ (1 − f) from the trace",
    rules=(_decay_k2_rule,),
    mistakes=shorten([
        Mistake("biases_decayed", "the biases are decayed too: the penalty λ/2 Σ_i ‖A_i‖² contains only the "
                                  "weights, so ∂/∂b_i of it is 0 and ∂E_λ/∂b_i = ∂E/∂b_i (sum rule (5.47))",
                _decay_mutant(biases=True)),
        Mistake("wrong_constant_factor", "the decay term is 2λA_i: the ½ of λ/2 ‖A_i‖² cancels the 2 from the "
                                         "square, as the ½ of the Cost does for ∂E/∂f_K (5.47)",
                _decay_mutant(factor=2.0)),
        Mistake("wrong_constant_factor", "the decay term is λ/2 · A_i: differentiating ‖A_i‖² = Σ_jk A_i[j, k]² "
                                         "gives 2A_i, and with the ½ in front λ/2 ‖A_i‖² contributes λA_i (5.47)",
                _decay_mutant(factor=0.5)),
        Mistake("biases_decayed", "the biases are decayed, and with 2λ: the penalty contains only the weights, "
                                  "and the ½ of λ/2 ‖A_i‖² cancels the 2 of the square (sum rule (5.47))",
                _decay_mutant(biases=True, factor=2.0)),
        Mistake("lambda_misplaced", "λ multiplies the whole weight gradient, λ(∂E/∂A_i + A_i); only the penalty "
                                    "carries λ: ∂E_λ/∂A_i = ∂E/∂A_i + λA_i (sum rule (5.47))",
                _decay_mutant(lam_outside=True)),
        Mistake("lambda_misplaced", "λ multiplies the data term instead of the penalty's: ∂E_λ/∂A_i = "
                                    "∂E/∂A_i + λA_i, the gradient of E itself plus λ times A_i (sum rule (5.47))",
                _decay_mutant(lam_on_data=True)),
        Mistake("sign_error", "the decay term is subtracted: E_λ = E + λ/2 Σ‖A_i‖² adds the penalty, so its "
                              "gradient adds +λA_i; the minus sign belongs to the update θ − η ∂E_λ/∂θ "
                              "(Problem Formulation)",
                _decay_mutant(sign=-1.0)),
        Mistake("not_every_layer", "only the last layer's weights are decayed: the penalty λ/2 Σ_i ‖A_i‖² has one "
                                   "term for every weight matrix, so every A_i gets + λA_i (sum rule (5.47))",
                _decay_mutant(layers="last")),
        Mistake("not_every_layer", "only the first layer's weights A0 are decayed: the penalty λ/2 Σ_i ‖A_i‖² has "
                                   "one term for every weight matrix, so every A_i gets + λA_i (sum rule (5.47))",
                _decay_mutant(layers="first")),
        Mistake("wrong_penalty_gradient", "the decay term is λ A_i ⊙ A_i: that squares the entries instead of "
                                          "differentiating them; ∂/∂A[j, k] of ½ Σ A[j, k]² is A[j, k] (5.47)",
                _decay_mutant(term="A2")),
        Mistake("wrong_penalty_gradient", "the decay term is λ sign(A_i), the gradient of the L1 penalty λ Σ|A|; "
                                          "for λ/2 ‖A_i‖² it is λ A_i (5.47)",
                _decay_mutant(term="sign")),
        Mistake("wrong_penalty_gradient", "this adds the penalty's value λ/2 Σ_i ‖A_i‖² to every entry; the "
                                          "gradient needs its derivative, ∂/∂A_i of λ/2 ‖A_i‖², which is λA_i, "
                                          "an array of A_i's shape (5.47)",
                _decay_mutant(term="penalty")),
        Mistake("data_term_missing", "only the penalty's gradient is returned: E_λ = E + λ/2 Σ‖A_i‖², and by the "
                                     "sum rule (5.47) its gradient is ∂E/∂θ (coursekit.backward may give it) plus "
                                     "the penalty's, for the biases too",
                _decay_mutant(data=False)),
        Mistake("mean_instead_of_sum", "the data term is divided by R: E is the Total Cost E = Σ_r E^r, whose "
                                       "gradient coursekit.backward returns without any division",
                _decay_mutant(mean=True)),
    ], _DECAY_SHORT))


EXERCISES = [TRAIN, WEIGHT_DECAY]
