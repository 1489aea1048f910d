"""Checks of notebook 08: the two-layer Backward Paths (1)–(4), one of their entries worked out by hand, the
backward pass of K layers (5.115)–(5.118), and δ_K of a linear (identity) output layer.

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
(07-deep-backward keeps its id and function name, backward_deep, from the time it was part of notebook 07.)
"""
import numpy as np

from ..activations import sigmoid
from ..network import forward
from .catalogue import Case, Exercise, Mistake, shorten
from .rules import right_only_on


# ---------------------------------------------------------------------------- 07-deep-backward, 08-backward

def _backprop(params, trace, Y, *, no_prime=(), prime_of_f=(), prime_of_z_formula=(), transposed=(),
              unsummed=(), bias_axis0=(), A_not_T=False, sign=1.0, factor=1.0, mean=False, input_of=(),
              linear_output=False, output_prime=None):
    """Backward Paths for K sigmoid layers with squared error, optionally making known mistakes.

    Layer k (1 … K) has Z_k, f_k and σ'(Z_k); parameter i (0 … K−1) maps f_i to Z_{i+1}. The keyword sets
    name where a mistake is made: σ' left out (no_prime), σ' evaluated at f (prime_of_f), σ'(Z) written as
    Z(1 − Z) (prime_of_z_formula), ∂E/∂A_i transposed, ∂E/∂b_i not summed over examples or summed over units,
    ∂E/∂A_i built from f_{i+1} instead of f_i (input_of); A_i instead of A_iᵀ, a sign, a factor, a mean.
    linear_output: the output layer is the identity, f_K = Z_K, so ∂f_K/∂Z_K = I; output_prime names a
    mistake there: "f" keeps a sigmoid's f_K ⊙ (1 − f_K), "sigmoid" keeps σ'(Z_K), "sigmoid_output" treats
    the output as σ(Z_K) altogether.
    """
    K = len(params) // 2
    R = trace["f0"].shape[1]

    def sigma_prime(k):
        Z, f = trace[f"Z{k}"], trace[f"f{k}"]
        if linear_output and k == K:
            if output_prime == "f":
                return f * (1 - f)
            if output_prime in ("sigmoid", "sigmoid_output"):
                s = sigmoid(Z)
                return s * (1 - s)
            return np.ones_like(Z)                            # ∂f_K/∂Z_K = I for the identity
        if k in no_prime:
            return np.ones_like(Z)
        if k in prime_of_f:
            s = sigmoid(f)
            return s * (1 - s)
        if k in prime_of_z_formula:
            return Z * (1 - Z)
        return f * (1 - f)

    fK = sigmoid(trace[f"Z{K}"]) if output_prime == "sigmoid_output" else trace[f"f{K}"]
    delta = sign * (fK - Y) * sigma_prime(K)
    grads = {}
    for i in reversed(range(K)):
        f_in = trace[f"f{i + 1}"] if i in input_of else trace[f"f{i}"]
        dA = delta @ f_in.T
        grads[f"A{i}"] = dA.T if i in transposed else dA
        if i in unsummed:
            grads[f"b{i}"] = delta.copy()
        elif i in bias_axis0:
            grads[f"b{i}"] = delta.sum(axis=0, keepdims=True)
        else:
            grads[f"b{i}"] = delta.sum(axis=1, keepdims=True)
        if i > 0:
            A = params[f"A{i}"]
            delta = ((A if A_not_T else A.T) @ delta) * sigma_prime(i)
    scale = factor / (R if mean else 1)
    return {key: scale * grads[key] for key in params}


def _backprop_reference(params, trace, Y):
    return _backprop(params, trace, Y)


def random_params(rng, sizes):
    """A network of these sizes with N(0, 1) weights and N(0, 0.5²) biases, drawn from rng."""
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        params[f"A{i}"] = rng.normal(0.0, 1.0, size=(n_out, n_in))
        params[f"b{i}"] = rng.normal(0.0, 0.5, size=(n_out, 1))
    return params


def saturate(rng, params):
    """The params with hidden units driven to |Z| ≥ 700 (units 0 and 1 of every hidden layer, Z ≈ +800 and
    Z ≈ −800 through their biases), the others and the output layer left moderate.

    Naive arithmetic overflows there (np.exp(Z) / (1 + np.exp(Z)) is inf/inf = NaN at Z = 800), while the
    gradients that pass through the moderate units stay far from zero, so that an answer must be right, not
    merely finite, on such a problem.
    """
    params = {key: np.array(value, dtype=np.float64) for key, value in params.items()}
    K = len(params) // 2
    for i in range(K - 1):                       # b_i feeds hidden layer i + 1
        b = params[f"b{i}"]
        b[0, 0] = rng.uniform(750.0, 900.0)
        if b.shape[0] > 2:
            b[1, 0] = -rng.uniform(750.0, 900.0)
    return params


def _network_case(rng, sizes, R, extreme=False, linear_output=False):
    """A random network of these sizes on R random examples; extreme: hidden units at |Z| ≥ 700 (saturate).

    linear_output: the output layer is the identity (f_K = Z_K) and the targets are any real numbers.
    """
    params = random_params(rng, sizes)
    if extreme:
        params = saturate(rng, params)
    X = rng.normal(size=(sizes[0], R))
    Y = rng.normal(size=(sizes[-1], R)) if linear_output else rng.uniform(size=(sizes[-1], R))
    activation = ["sigmoid"] * (len(sizes) - 2) + ["identity"] if linear_output else "sigmoid"
    trace = {key: np.array(value) for key, value in forward(params, X, activation).items()}   # plain arrays
    name = "-".join(map(str, sizes))
    tags = {f"K={len(sizes) - 1}", "extreme" if extreme else "probe"} | ({"R=1"} if R == 1 else set()) \
        | ({"one output"} if sizes[-1] == 1 else set())
    label = f"the {name} network with R = {R}" + (" and hidden units at |Z| ≥ 700" if extreme else "")
    return Case((params, trace, Y), label, tags)


def _two_layer_problems(rng):
    cases = [_network_case(rng, sizes, R) for sizes, R in
             [([2, 3, 1], 4), ([3, 4, 2], 5), ([4, 2, 2], 3), ([2, 5, 3], 1)]]
    return cases + [_network_case(rng, [3, 3, 2], 4, extreme=True)]


def _deep_problems(rng):
    cases = [_network_case(rng, sizes, R) for sizes, R in
             [([2, 3, 1], 4), ([3, 2], 3), ([3, 4, 2, 3], 5), ([4, 2, 2], 3), ([3, 2, 2, 2], 4),
              ([2, 3, 4, 2, 1], 1)]]
    return cases + [_network_case(rng, [3, 3, 2, 2], 3, extreme=True)]


def _mutant(**flags):
    def answer(params, trace, Y):
        return _backprop(params, trace, Y, **flags)
    return answer


def _only_two_layers(params, trace, Y):
    """A backward pass hard-wired to K = 2 layers (A0, b0, A1, b1; f0 … f2)."""
    delta2 = (trace["f2"] - Y) * trace["f2"] * (1 - trace["f2"])
    delta1 = (params["A1"].T @ delta2) * trace["f1"] * (1 - trace["f1"])
    return {"A0": delta1 @ trace["f0"].T, "b0": delta1.sum(axis=1, keepdims=True),
            "A1": delta2 @ trace["f1"].T, "b1": delta2.sum(axis=1, keepdims=True)}


_TWO_LAYER_PARTS = {"A0": ("∂E/∂A0", "Backward Path (4)"), "b0": ("∂E/∂b0", "Backward Path (2)"),
                    "A1": ("∂E/∂A1", "Backward Path (3)"), "b1": ("∂E/∂b1", "Backward Path (1)")}

_SHORT = {
    "missing_sigma_prime": "lacks a σ' factor (∂f/∂Z = diag(σ'(Z)))",
    "sigma_prime_of_f": "evaluates σ' at f instead of Z (σ'(Z) = f ⊙ (1 − f))",
    "sigma_prime_wrong_formula": "uses Z ⊙ (1 − Z) for σ'(Z) (it is f ⊙ (1 − f))",
    "sign_error": "has the wrong sign ((f − Y), not (Y − f))",
    "transposed_weight_gradient": "is transposed (it must have the parameter's shape)",
    "bias_not_summed": "is not summed over the R examples",
    "bias_summed_wrong_axis": "is summed over the units instead of the R examples",
    "wrong_constant_factor": "is off by a constant factor (½ or 2)",
    "A_not_transposed": "passes the error back through A instead of Aᵀ",
    "mean_instead_of_sum": "is averaged over the R examples instead of summed",
    "wrong_layer_input": "multiplies by the layer's output f_{i+1}ᵀ instead of its input f_iᵀ",
}


def _two_layer_mistakes():
    return [
        Mistake("missing_sigma_prime", "∂E/∂b1 lacks the σ'(Z2) factor: ∂f2/∂Z2 is diag(σ'(Z2)), Backward Path "
                                       "(1); the other three gradients reuse that product and are wrong too",
                _mutant(no_prime={2})),
        Mistake("missing_sigma_prime", "∂E/∂b0 and ∂E/∂A0 lack the σ'(Z1) factor: ∂f1/∂Z1 is diag(σ'(Z1)), "
                                       "Backward Paths (2) and (4)",
                _mutant(no_prime={1})),
        Mistake("missing_sigma_prime", "every gradient lacks the σ' factors: ∂f2/∂Z2 = diag(σ'(Z2)) and "
                                       "∂f1/∂Z1 = diag(σ'(Z1)), Backward Paths (1)–(4)",
                _mutant(no_prime={1, 2})),
        Mistake("sigma_prime_of_f", "σ' is evaluated at f instead of Z: σ(f)(1 − σ(f)) applies σ twice; since "
                                    "f = σ(Z), σ'(Z) = f ⊙ (1 − f) (∂f/∂Z = diag(σ'(Z)), Backward Paths (1)–(2))",
                _mutant(prime_of_f={1, 2})),
        Mistake("sigma_prime_of_f", "σ'(Z2) is evaluated at f2: σ(f2)(1 − σ(f2)) applies σ twice; since "
                                    "f2 = σ(Z2), σ'(Z2) = f2 ⊙ (1 − f2) (Backward Path (1))",
                _mutant(prime_of_f={2})),
        Mistake("sigma_prime_of_f", "σ'(Z1) is evaluated at f1: σ(f1)(1 − σ(f1)) applies σ twice; since "
                                    "f1 = σ(Z1), σ'(Z1) = f1 ⊙ (1 − f1) (Backward Path (2))",
                _mutant(prime_of_f={1})),
        Mistake("sigma_prime_wrong_formula", "σ'(Z) is computed as Z ⊙ (1 − Z); the shortcut is "
                                             "σ'(Z) = σ(Z)(1 − σ(Z)) = f ⊙ (1 − f) (Backward Paths (1)–(2))",
                _mutant(prime_of_z_formula={1, 2})),
        Mistake("sign_error", "every gradient has the wrong sign: E = ½‖f2 − Y‖² gives ∂E/∂f2 = (f2 − Y)ᵀ, not "
                              "(Y − f2)ᵀ (Backward Path (1))",
                _mutant(sign=-1.0)),
        Mistake("transposed_weight_gradient", "∂E/∂A1 and ∂E/∂A0 are transposed: ∂E/∂A_i must have A_i's shape, "
                                              "(∂E/∂Z_{i+1} as columns) times f_iᵀ, Backward Paths (3) and (4)",
                _mutant(transposed={0, 1})),
        Mistake("transposed_weight_gradient", "∂E/∂A1 is transposed: it must have A1's shape (n2, n1), "
                                              "(∂E/∂Z2 as columns) times f1ᵀ, Backward Path (3)",
                _mutant(transposed={1})),
        Mistake("transposed_weight_gradient", "∂E/∂A0 is transposed: it must have A0's shape (n1, n0), "
                                              "(∂E/∂Z1 as columns) times f0ᵀ, Backward Path (4)",
                _mutant(transposed={0})),
        Mistake("bias_not_summed", "∂E/∂b1 and ∂E/∂b0 are not summed over the R examples: E = Σ_r E^r, and "
                                   "∂Z/∂b = I for every example, so add the columns (sum(axis=1, keepdims=True)), "
                                   "Backward Paths (1) and (2)",
                _mutant(unsummed={0, 1})),
        Mistake("bias_not_summed", "∂E/∂b1 is not summed over the R examples: E = Σ_r E^r and ∂Z2/∂b1 = I, "
                                   "so add the columns (sum(axis=1, keepdims=True)), Backward Path (1)",
                _mutant(unsummed={1})),
        Mistake("bias_not_summed", "∂E/∂b0 is not summed over the R examples: E = Σ_r E^r and ∂Z1/∂b0 = I, "
                                   "so add the columns (sum(axis=1, keepdims=True)), Backward Path (2)",
                _mutant(unsummed={0})),
        Mistake("bias_summed_wrong_axis", "the bias gradients are summed over the units (axis=0) instead of "
                                          "over the R examples (axis=1): ∂E/∂b_i has b_i's shape (n, 1), "
                                          "Backward Paths (1) and (2)",
                _mutant(bias_axis0={0, 1})),
        Mistake("wrong_constant_factor", "every gradient is half the right size: the ½ of E = ½‖f2 − Y‖² "
                                         "already cancels the 2 from the square, ∂E/∂f2 = (f2 − Y)ᵀ "
                                         "(Backward Path (1))",
                _mutant(factor=0.5)),
        Mistake("wrong_constant_factor", "every gradient is twice the right size: the ½ of E = ½‖f2 − Y‖² "
                                         "cancels the 2 from the square, ∂E/∂f2 = (f2 − Y)ᵀ (Backward Path (1))",
                _mutant(factor=2.0)),
        Mistake("A_not_transposed", "the error is passed back through A1 instead of A1ᵀ: ∂Z2/∂f1 = A1, and a "
                                    "row times A1 is A1ᵀ times the column, so ∂E/∂Z1 = (A1ᵀ ∂E/∂Z2) ⊙ σ'(Z1) "
                                    "(Backward Paths (2) and (4))",
                _mutant(A_not_T=True)),
        Mistake("mean_instead_of_sum", "every gradient is divided by R: the Total Cost is the sum E = Σ_r E^r, "
                                       "so its gradient is the sum of the per-example gradients, not their mean",
                _mutant(mean=True)),
        Mistake("wrong_layer_input", "∂E/∂A0 is built from f1 instead of f0 = X: ∂Z1/∂A0 involves the layer's "
                                     "input, Z1 = A0 f0 + b0 (Backward Path (4))",
                _mutant(input_of={0})),
    ]


def _modified_hint(names):
    return (f"{names} are read-only: compute new arrays (e.g. e = f2 - Y, not f2 -= Y) or copy first, since "
            f"the trace is reused after the backward pass")


_OVERFLOW_HINT = ("take σ'(Z) from the trace, f ⊙ (1 − f), or compute σ in the overflow-safe form (np.exp of "
                  "−|Z| only)")
_R1_MESSAGE = ("right only for R = 1 example: with R columns, ∂E/∂A_i = δ_{i+1} f_iᵀ sums the outer products "
               "over the examples by itself, but ∂E/∂b_i must add δ's columns, sum(axis=1, keepdims=True), and "
               "every product must keep the examples as columns (Total Cost, E = Σ_r E^r)")

_ONE_OUTPUT_MESSAGE = ("right only for networks with one output (n_K = 1): with several outputs ∂Z_{i+1}/∂f_i = A_i "
                       "is a full matrix, and the error goes back as the matrix product A_iᵀ δ_{i+1} (@), which "
                       "adds the contributions of every output to each hidden unit; an element-wise product (*) "
                       "or a sum over the wrong axis only agrees with it when δ has a single row (Backward "
                       "Paths (2) and (4))")


def _structural_rules():
    return (right_only_on("R=1", "right_only_for_R1", _R1_MESSAGE),
            right_only_on("one output", "right_only_for_one_output", _ONE_OUTPUT_MESSAGE))


BACKWARD = Exercise(
    id="08-backward", function="my_backward", args=("params", "trace", "Y"),
    step="the Backward Paths (1)–(4)", analytic=True, forbidden=("backward", "numerical"),
    reference=_backprop_reference, problems=_two_layer_problems, parts=_TWO_LAYER_PARTS,
    mistakes=shorten(_two_layer_mistakes(), _SHORT), modified_hint=_modified_hint("params, trace and Y"),
    overflow_hint=_OVERFLOW_HINT, rules=_structural_rules())


def _deep_parts():
    parts = {}
    for i in range(4):
        parts[f"A{i}"] = (f"∂E/∂A{i}", "")
        parts[f"b{i}"] = (f"∂E/∂b{i}", "")
    return parts


def _k2_rule(ev):
    """Right on every two-layer network but not on the others: the answer is hard-wired to K = 2."""
    two = [i for i, case in enumerate(ev.cases) if "K=2" in case.tags]
    other = [i for i, case in enumerate(ev.cases) if "K=2" not in case.tags]
    if two and all(ev.right[i] for i in two) and any(not ev.right[i] for i in other):
        bad = next(i for i in other if not ev.right[i])
        outcome = ev.outcomes[bad]
        how = (f"raised {outcome.error.get('type')}: {outcome.error.get('message', '')[:80]}"
               if outcome.kind == "raised" else "returned wrong gradients")
        return ("only_works_for_K2",
                f"{ev.name} is right for K = 2 layers but not for others (on {ev.cases[bad].label} it {how}): "
                f"read K from params (len(params) // 2) and loop i = K−1, …, 0, reusing ∂E/∂Z_{{i+1}} to get "
                f"∂E/∂Z_i as in (5.115)–(5.118)")
    return None


def _deep_mistakes():
    return [
        Mistake("missing_sigma_prime", "∂E/∂b_{K−1} lacks the σ'(Z_K) factor of the output layer: ∂f_K/∂Z_K = "
                                       "diag(σ'(Z_K)) (5.115); every other gradient reuses it and is wrong too",
                lambda p, t, Y: _backprop(p, t, Y, no_prime={len(p) // 2})),
        Mistake("missing_sigma_prime", "the gradients of the hidden layers lack their σ'(Z_i) factors: "
                                       "∂f_i/∂Z_i = diag(σ'(Z_i)) sits in every ∂f_{i+1}/∂f_i of (5.116)–(5.118)",
                lambda p, t, Y: _backprop(p, t, Y, no_prime=set(range(1, len(p) // 2)))),
        Mistake("missing_sigma_prime", "every gradient lacks the σ' factors: each layer contributes "
                                       "∂f_i/∂Z_i = diag(σ'(Z_i)) (5.115)–(5.118)",
                lambda p, t, Y: _backprop(p, t, Y, no_prime=set(range(1, len(p) // 2 + 1)))),
        Mistake("sigma_prime_of_f", "σ' is evaluated at f instead of Z: σ(f)(1 − σ(f)) applies σ twice; since "
                                    "f_i = σ(Z_i), σ'(Z_i) = f_i ⊙ (1 − f_i) in each ∂f_i/∂Z_i of (5.115)–(5.118)",
                lambda p, t, Y: _backprop(p, t, Y, prime_of_f=set(range(1, len(p) // 2 + 1)))),
        Mistake("sigma_prime_wrong_formula", "σ'(Z) is computed as Z ⊙ (1 − Z); the shortcut is "
                                             "σ'(Z) = σ(Z)(1 − σ(Z)) = f ⊙ (1 − f), (5.115)–(5.118)",
                lambda p, t, Y: _backprop(p, t, Y, prime_of_z_formula=set(range(1, len(p) // 2 + 1)))),
        Mistake("sign_error", "every gradient has the wrong sign: E = ½‖f_K − Y‖² gives ∂E/∂f_K = (f_K − Y)ᵀ, "
                              "not (Y − f_K)ᵀ (5.115)",
                _mutant(sign=-1.0)),
        Mistake("transposed_weight_gradient", "the weight gradients are transposed: ∂E/∂A_i must have A_i's shape "
                                              "(n_{i+1}, n_i), (∂E/∂Z_{i+1} as columns) times f_iᵀ (5.115)–(5.118)",
                lambda p, t, Y: _backprop(p, t, Y, transposed=set(range(len(p) // 2)))),
        Mistake("bias_not_summed", "the bias gradients are not summed over the R examples: E = Σ_r E^r and "
                                   "∂Z_{i+1}/∂b_i = I, so add the columns (sum(axis=1, keepdims=True)), Total Cost",
                lambda p, t, Y: _backprop(p, t, Y, unsummed=set(range(len(p) // 2)))),
        Mistake("bias_summed_wrong_axis", "the bias gradients are summed over the units (axis=0) instead of over "
                                          "the R examples (axis=1): ∂E/∂b_i has b_i's shape (n_{i+1}, 1), Total Cost",
                lambda p, t, Y: _backprop(p, t, Y, bias_axis0=set(range(len(p) // 2)))),
        Mistake("wrong_constant_factor", "every gradient is half the right size: the ½ of E = ½‖f_K − Y‖² "
                                         "already cancels the 2 from the square, ∂E/∂f_K = (f_K − Y)ᵀ (5.115)",
                _mutant(factor=0.5)),
        Mistake("wrong_constant_factor", "every gradient is twice the right size: the ½ of E = ½‖f_K − Y‖² "
                                         "cancels the 2 from the square, ∂E/∂f_K = (f_K − Y)ᵀ (5.115)",
                _mutant(factor=2.0)),
        Mistake("A_not_transposed", "the error is passed back through A_i instead of A_iᵀ: ∂Z_{i+1}/∂f_i = A_i, "
                                    "and a row times A_i is A_iᵀ times the column, so ∂E/∂Z_i = "
                                    "(A_iᵀ ∂E/∂Z_{i+1}) ⊙ σ'(Z_i) (5.116)–(5.118)",
                _mutant(A_not_T=True)),
        Mistake("mean_instead_of_sum", "every gradient is divided by R: the Total Cost is the sum E = Σ_r E^r, "
                                       "so its gradient is the sum of the per-example gradients, not their mean",
                _mutant(mean=True)),
        Mistake("wrong_layer_input", "∂E/∂A_i is built from the layer's output f_{i+1} instead of its input "
                                     "f_i: Z_{i+1} = A_i f_i + b_i (5.113)",
                lambda p, t, Y: _backprop(p, t, Y, input_of=set(range(len(p) // 2)))),
        Mistake("only_works_for_K2", "hard-wired to two layers", _only_two_layers, match=False),
    ]


DEEP_BACKWARD = Exercise(
    id="07-deep-backward", function="backward_deep", args=("params", "trace", "Y"),
    step="the backward pass (5.115)–(5.118)", analytic=True, forbidden=("backward", "numerical"),
    reference=_backprop_reference, problems=_deep_problems, parts=_deep_parts(),
    mistakes=shorten(_deep_mistakes(), _SHORT), modified_hint=_modified_hint("params, trace and Y"),
    overflow_hint=_OVERFLOW_HINT, rules=(_k2_rule,) + _structural_rules())


# --------------------------------------------------------------------------------------- 08-linear-output

def _linear_reference(params, trace, Y):
    return _backprop(params, trace, Y, linear_output=True)


def _linear_problems(rng):
    cases = [_network_case(rng, sizes, R, linear_output=True) for sizes, R in
             [([2, 3, 1], 4), ([3, 4, 2], 5), ([4, 2, 2], 3), ([2, 5, 3], 1)]]
    return cases + [_network_case(rng, [3, 3, 2], 4, extreme=True, linear_output=True)]


def _linear_mutant(**flags):
    def answer(params, trace, Y):
        return _backprop(params, trace, Y, linear_output=True, **flags)
    return answer


def _linear_mistakes():
    return [
        Mistake("output_sigma_prime_kept", "δ2 keeps the sigmoid's factor f2 ⊙ (1 − f2), but this output layer is "
                                           "the identity, f2 = Z2: ∂f2/∂Z2 = I, so the factor of Backward Path (1) "
                                           "is 1 and ∂E/∂Z2 is ∂E/∂f2 itself; every gradient reuses δ2",
                _linear_mutant(output_prime="f")),
        Mistake("output_sigma_prime_kept", "δ2 keeps a sigmoid slope σ(Z2)(1 − σ(Z2)), but this output layer is "
                                           "the identity, f2 = Z2: ∂f2/∂Z2 = I, so the factor of Backward Path (1) "
                                           "is 1; every gradient reuses δ2",
                _linear_mutant(output_prime="sigmoid")),
        Mistake("sigmoid_output", "this treats the output as a sigmoid, f2 = σ(Z2), as in 08-backward; here the "
                                  "output layer is the identity, f2 = Z2 (trace['f2'] already is it), and "
                                  "∂f2/∂Z2 = I in Backward Path (1)",
                _linear_mutant(output_prime="sigmoid_output")),
        Mistake("hidden_sigma_prime_dropped", "∂E/∂b0 and ∂E/∂A0 lack σ'(Z1): only the output layer is the "
                                              "identity; the hidden layer is still a sigmoid, ∂f1/∂Z1 = "
                                              "diag(σ'(Z1)) = diag(f1 ⊙ (1 − f1)) (Backward Paths (2) and (4))",
                _linear_mutant(no_prime={1})),
        Mistake("sigma_prime_of_f", "σ'(Z1) is evaluated at f1: σ(f1)(1 − σ(f1)) applies σ twice; since "
                                    "f1 = σ(Z1), σ'(Z1) = f1 ⊙ (1 − f1) (Backward Path (2))",
                _linear_mutant(prime_of_f={1})),
        Mistake("sigma_prime_wrong_formula", "σ'(Z1) is computed as Z1 ⊙ (1 − Z1); the shortcut is "
                                             "σ'(Z1) = σ(Z1)(1 − σ(Z1)) = f1 ⊙ (1 − f1) (Backward Path (2))",
                _linear_mutant(prime_of_z_formula={1})),
        Mistake("sign_error", "every gradient has the wrong sign: E = ½‖f2 − Y‖² gives ∂E/∂f2 = (f2 − Y)ᵀ, not "
                              "(Y − f2)ᵀ (Backward Path (1))",
                _linear_mutant(sign=-1.0)),
        Mistake("wrong_constant_factor", "every gradient is half the right size: the ½ of E = ½‖f2 − Y‖² "
                                         "already cancels the 2 from the square, ∂E/∂f2 = (f2 − Y)ᵀ "
                                         "(Backward Path (1))",
                _linear_mutant(factor=0.5)),
        Mistake("wrong_constant_factor", "every gradient is twice the right size: the ½ of E = ½‖f2 − Y‖² "
                                         "cancels the 2 from the square, ∂E/∂f2 = (f2 − Y)ᵀ (Backward Path (1))",
                _linear_mutant(factor=2.0)),
        Mistake("mean_instead_of_sum", "every gradient is divided by R: the Total Cost is the sum E = Σ_r E^r, "
                                       "so its gradient is the sum of the per-example gradients, not their mean",
                _linear_mutant(mean=True)),
        Mistake("transposed_weight_gradient", "∂E/∂A1 and ∂E/∂A0 are transposed: ∂E/∂A_i must have A_i's shape, "
                                              "(∂E/∂Z_{i+1} as columns) times f_iᵀ, Backward Paths (3) and (4)",
                _linear_mutant(transposed={0, 1})),
        Mistake("bias_not_summed", "∂E/∂b1 and ∂E/∂b0 are not summed over the R examples: E = Σ_r E^r, and "
                                   "∂Z/∂b = I for every example, so add the columns (sum(axis=1, keepdims=True)), "
                                   "Backward Paths (1) and (2)",
                _linear_mutant(unsummed={0, 1})),
        Mistake("bias_summed_wrong_axis", "the bias gradients are summed over the units (axis=0) instead of "
                                          "over the R examples (axis=1): ∂E/∂b_i has b_i's shape (n, 1), "
                                          "Backward Paths (1) and (2)",
                _linear_mutant(bias_axis0={0, 1})),
        Mistake("A_not_transposed", "the error is passed back through A1 instead of A1ᵀ: ∂Z2/∂f1 = A1, and a "
                                    "row times A1 is A1ᵀ times the column (Backward Paths (2) and (4))",
                _linear_mutant(A_not_T=True)),
        Mistake("wrong_layer_input", "∂E/∂A0 is built from f1 instead of f0 = X: ∂Z1/∂A0 involves the layer's "
                                     "input, Z1 = A0 f0 + b0 (Backward Path (4))",
                _linear_mutant(input_of={0})),
    ]


_LINEAR_SHORT = dict(_SHORT, output_sigma_prime_kept="keeps a sigmoid's σ'(Z2) although ∂f2/∂Z2 = I",
                     sigmoid_output="treats the output as σ(Z2) although f2 = Z2",
                     hidden_sigma_prime_dropped="lacks σ'(Z1) (the hidden layer is still a sigmoid)")

LINEAR_OUTPUT = Exercise(
    id="08-linear-output", function="backward_linear_output", args=("params", "trace", "Y"),
    step="the Backward Paths (1)–(4) with ∂f2/∂Z2 = I", analytic=True, forbidden=("backward", "numerical"),
    reference=_linear_reference, problems=_linear_problems, parts=_TWO_LAYER_PARTS,
    mistakes=shorten(_linear_mistakes(), _LINEAR_SHORT), modified_hint=_modified_hint("params, trace and Y"),
    overflow_hint=_OVERFLOW_HINT, rules=_structural_rules())


# ----------------------------------------------------------------------------------- 08-backward-by-hand

# Section 1 of notebook 08: the 2-3-2 network with round weights, the input X = (1, 0.5)ᵀ; the exercise takes
# the other target, Y = (0, 1)ᵀ, so that its answer is printed nowhere in the notebook.
_HAND = {"A0": np.array([[0.5, -0.4], [0.3, 0.8], [-0.6, 0.2]]), "b0": np.array([[0.1], [-0.2], [0.05]]),
         "A1": np.array([[0.7, -0.5, 0.2], [-0.3, 0.6, 0.9]]), "b1": np.array([[-0.1], [0.2]])}
_HAND_X, _HAND_Y, _OLD_Y = np.array([[1.0], [0.5]]), np.array([[0.0], [1.0]]), np.array([[1.0], [0.0]])
_HAND_ENTRY = (0, 1)                  # ∂E/∂A0[0, 1]: β from input 1 to hidden unit 0


def _hand(Y=_HAND_Y, *, out_prime="right", hidden_prime="right", sign=1.0, A1_rows=False, outputs=(0, 1),
          input_of="f0"):
    """∂E/∂A0 (3, 2) and δ1 (3, 1) of the section-1 network, by the Backward Paths, with optional slips."""
    f0 = _HAND_X
    Z1 = _HAND["A0"] @ f0 + _HAND["b0"]
    f1 = sigmoid(Z1)
    f2 = sigmoid(_HAND["A1"] @ f1 + _HAND["b1"])
    slope = {"right": lambda f: f * (1 - f), "none": np.ones_like, "f": lambda f: f}   # σ'(Z) = f ⊙ (1 − f)
    delta2 = sign * (f2 - Y) * slope[out_prime](f2)
    keep = np.zeros_like(delta2)
    keep[list(outputs)] = 1.0
    delta2 = delta2 * keep                                            # only some outputs' paths
    if A1_rows:                                                       # A1's row 0 instead of its column 0
        back = np.array([[_HAND["A1"][0, 0] * delta2[0, 0] + _HAND["A1"][0, 1] * delta2[1, 0]]] * 3)
    else:
        back = _HAND["A1"].T @ delta2
    delta1 = back * slope[hidden_prime](f1)
    f_in = f1[:2] if input_of == "f1" else f0
    return delta1 @ f_in.T, delta1


def _hand_value(**flags):
    entry = flags.pop("entry", _HAND_ENTRY)
    return float(_hand(**flags)[0][entry])


def _slip(**flags):
    value = _hand_value(**flags)
    return lambda: value


def _rounded_too_early(ev):
    """Within 5 % of the exact value but not within the check's 0.5 %: intermediate values rounded too much."""
    outcome, expected = ev.outcomes[0], ev.expected[0]
    if outcome.kind != "returned" or ev.problems[0] is not None:
        return None
    try:
        value = float(outcome.value)
    except (TypeError, ValueError):
        return None
    if abs(value - expected) <= 0.05 * abs(expected):
        return ("rounded_too_early",
                f"{ev.name} is close but not close enough: keep four significant digits in every intermediate "
                f"value (f2 − Y, σ'(Z2), δ2, A1ᵀδ2, σ'(Z1)) and give the result to at least three significant "
                f"digits (Backward Path (4))")
    return None


_HAND_STEP = "Backward Path (4) for one weight β = A0[0, 1]"

BY_HAND = Exercise(
    id="08-backward-by-hand", function="dE_dA0_01", args=(), pencil=True, step=_HAND_STEP,
    reference=lambda: _hand_value(),
    problems=lambda rng: [Case((), "section 1's network with X = (1, 0.5)ᵀ and the target Y = (0, 1)ᵀ")],
    rtol=5e-3, atol=1e-7, rules=(_rounded_too_early,),
    mistakes=[
        Mistake("missing_sigma_prime", "the factor σ'(Z2) is missing: ∂f2/∂Z2 = diag(σ'(Z2)) scales (f2 − Y) "
                                       "entry by entry before anything else (Backward Paths (1) and (4))",
                _slip(out_prime="none")),
        Mistake("missing_sigma_prime", "the factor σ'(Z1)[0] is missing: the path passes through hidden unit 0, "
                                       "∂f1/∂Z1 = diag(σ'(Z1)), which multiplies (A1ᵀ δ2)[0] by σ'(Z1)[0] "
                                       "(Backward Path (4))",
                _slip(hidden_prime="none")),
        Mistake("missing_sigma_prime", "both σ' factors are missing: the path E → f2 → Z2 → f1 → Z1 → β passes "
                                       "two sigmoids, ∂f2/∂Z2 = diag(σ'(Z2)) and ∂f1/∂Z1 = diag(σ'(Z1)) "
                                       "(Backward Path (4))",
                _slip(out_prime="none", hidden_prime="none")),
        Mistake("f_instead_of_sigma_prime", "this multiplies by f where the slope σ'(Z) = f ⊙ (1 − f) belongs: the "
                                            "diagonal of ∂f/∂Z holds σ'(Z), not σ(Z) (Backward Path (4))",
                _slip(out_prime="f", hidden_prime="f")),
        Mistake("f_instead_of_sigma_prime", "this multiplies by f2 where σ'(Z2) = f2 ⊙ (1 − f2) belongs: the "
                                            "diagonal of ∂f2/∂Z2 holds the slopes, not the outputs (Backward "
                                            "Path (4))",
                _slip(out_prime="f")),
        Mistake("f_instead_of_sigma_prime", "this multiplies by f1[0] where σ'(Z1)[0] = f1[0](1 − f1[0]) belongs: "
                                            "the diagonal of ∂f1/∂Z1 holds the slopes, not the outputs (Backward "
                                            "Path (4))",
                _slip(hidden_prime="f")),
        Mistake("sign_error", "the sign is wrong: E = ½‖f2 − Y‖² gives ∂E/∂f2 = (f2 − Y)ᵀ, not (Y − f2)ᵀ "
                              "(Backward Path (4) starts there)",
                _slip(sign=-1.0)),
        Mistake("old_target", "this is the value for section 1's target Y = (1, 0)ᵀ; the exercise changes the "
                              "target to Y = (0, 1)ᵀ, which changes the first factor (f2 − Y)ᵀ of Backward Path (4) "
                              "(Z1, f1, Z2, f2 and σ' stay as printed)",
                _slip(Y=_OLD_Y)),
        Mistake("transposed_index", "this is the entry ∂E/∂A0[1, 0] (the same as ∂E/∂b0[1] here, since "
                                    "f0[0] = 1): A0[0, 1] is row 0, column 1, the weight from input 1 to hidden "
                                    "unit 0, so it takes δ1[0] and f0[1] (Backward Path (4))",
                _slip(entry=(1, 0))),
        Mistake("wrong_entry", "this is another entry of ∂E/∂A0: β = A0[0, 1] (row 0, column 1, counted from 0) "
                               "needs δ1[0], the error of hidden unit 0, times f0[1], input 1 (Backward Path (4))",
                _slip(entry=(1, 1))),
        Mistake("wrong_entry", "this is another entry of ∂E/∂A0: β = A0[0, 1] (row 0, column 1, counted from 0) "
                               "needs δ1[0], the error of hidden unit 0, times f0[1], input 1 (Backward Path (4))",
                _slip(entry=(2, 0))),
        Mistake("wrong_entry", "this is another entry of ∂E/∂A0: β = A0[0, 1] (row 0, column 1, counted from 0) "
                               "needs δ1[0], the error of hidden unit 0, times f0[1], input 1 (Backward Path (4))",
                _slip(entry=(2, 1))),
        Mistake("missing_input_factor", "the last factor is missing: ∂Z1/∂β = [∂A0/∂β] f0 has the single "
                                        "non-zero entry f0[1] in row 0 (your number is ∂E/∂b0[0], or it keeps the "
                                        "2 of the square that the ½ of E cancels) (Backward Path (4))",
                _slip(entry=(0, 0))),
        Mistake("wrong_layer_input", "the last factor must be the layer's input f0[1] = X[1]: Z1 = A0 f0 + b0, so "
                                     "∂Z1/∂β = [∂A0/∂β] f0, not f1 (Backward Path (4))",
                _slip(input_of="f1")),
        Mistake("A_not_transposed", "the error of hidden unit 0 collects what unit 0 sends to both outputs: "
                                    "column 0 of A1, A1[0, 0] and A1[1, 0], not row 0; ∂Z2/∂f1 = A1, and "
                                    "δ1 = diag(σ'(Z1)) A1ᵀ δ2 (Backward Path (4))",
                _slip(A1_rows=True)),
        Mistake("one_output_only", "only the path through output 0 is counted: hidden unit 0 feeds both outputs, "
                                   "and the row (f2 − Y)ᵀ diag(σ'(Z2)) A1 adds both paths, "
                                   "(A1ᵀ δ2)[0] = A1[0, 0] δ2[0] + A1[1, 0] δ2[1] (Backward Path (4))",
                _slip(outputs=(0,))),
        Mistake("one_output_only", "only the path through output 1 is counted: hidden unit 0 feeds both outputs, "
                                   "and the row (f2 − Y)ᵀ diag(σ'(Z2)) A1 adds both paths, "
                                   "(A1ᵀ δ2)[0] = A1[0, 0] δ2[0] + A1[1, 0] δ2[1] (Backward Path (4))",
                _slip(outputs=(1,))),
    ])


EXERCISES = [BY_HAND, BACKWARD, DEEP_BACKWARD, LINEAR_OUTPUT]
