"""Gradient check: analytic ∂E/∂θ against central differences, entry by entry, with a verdict a teacher can trust.

For each checked entry θ_j the step is relative, h_j = h · max(1, |θ_j|), and the error is

    e_j = |a_j − n_j| / max(|a_j|, |n_j|, floor_j),   floor_j = noise_j / RIGHT,

where n_j is the fourth-order central difference and noise_j bounds its round-off (≈ ε |E| / h_j): a
disagreement no larger than the finite-difference noise reads as right, whatever the size of the gradient, and
a gradient far above the noise is judged by its relative error. An analytic NaN or ±inf anywhere is wrong. An
entry whose evaluations E(θ ± h_j), E(θ ± 2h_j) straddle a ReLU kink (some Z of a ReLU layer changes sign)
has no derivative to compare: it is left out, with a warning. Large networks are checked on a seeded sample of
entries (see `sample`).
"""
import warnings

import numpy as np

from .activations import ACTIVATIONS, layer_activations
from .network import backward, forward, forward_pass, layer_forward, output_cost, total_cost, trace_cost
from .notation import (as_float, check_count, check_number, check_seed, check_X, check_Y, read_only,
                       shape_str)
from .reference import reference

RIGHT = 1e-7       # relative error at or below this: the analytic gradient is right
WRONG = 1e-2       # above this: it is wrong; in between: suspicious
ALL_UP_TO = 5000   # sample=None checks every entry of a network with at most this many parameter entries …
SAMPLE = 20        # … and otherwise this many entries of each parameter (all of a smaller one), seeded
H = 1e-4           # the relative step: the fourth-order difference's truncation O(h⁴) is negligible there,
#                    and its round-off ε |E| / h is 10 times smaller than at the 1e-5 of a plain central difference
NOISE = 4 * 2.0 ** -52                  # noise_j = NOISE · (max |E(θ ± k h_j)| + scale) / h_j, see _Problem


class KinkWarning(UserWarning):
    """Some entries could not be checked: their central difference straddles a kink of ReLU."""


def rel_error(analytic, numerical, floor=1e-12):
    """max_j |a_j − n_j| / max(|a_j|, |n_j|, floor): 0 when equal, 1 or more when unrelated (2 for a sign flip)."""
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numerical, dtype=np.float64)
    return float(np.max(np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), floor), initial=0.0))


def verdict(error):
    """'right', 'suspicious' or 'wrong' for a relative error, by the thresholds RIGHT and WRONG (NaN is wrong)."""
    if not error <= WRONG:                                  # also NaN
        return "wrong"
    return "right" if error <= RIGHT else "suspicious"


# ---- central differences entry by entry, with their noise and their kinks ------------------------------

class _Problem:
    """A validated network problem and E(θ) on it, recomputing only the layers after the moved parameter."""

    def __init__(self, params, X, Y, activations, cost):
        self.params = {key: value.copy() for key, value in params.items()}
        self.X, self.Y, self.activations, self.cost = X, Y, activations, cost
        self.relu = [i + 1 for i, name in enumerate(activations) if name == "relu"]
        K = len(activations)
        with np.errstate(over="ignore", invalid="ignore"):
            self.trace = forward_pass(self.params, X, activations)
            fK, ZK = self.trace[f"f{K}"], self.trace[f"Z{K}"]
            # how much rounding f_K and Z_K by ε moves E: Σ |f_K − Y| (|f_K| + |Z_K|), added to |E| in the noise
            self.scale = float(np.sum(np.abs(fK - Y) * (np.abs(fK) + np.abs(ZK))))

    def E(self, key, index):
        """E(θ) and the ReLU layers' signs after θ_j = params[key][index] moved.

        θ_j is in A_i or b_i, so it moves only row j = index[0] of Z_{i+1}: that row is recomputed from the
        trace's f_i, then every later layer in full (E itself, not a derivative: the check stays independent).
        """
        i, j = int(key[1:]), index[0]
        trace = dict(self.trace)
        with np.errstate(over="ignore", invalid="ignore"):
            Z = trace[f"Z{i + 1}"].copy()
            Z[j] = self.params[f"A{i}"][j] @ trace[f"f{i}"] + self.params[f"b{i}"][j]   # row j of A_i f_i + b_i
            trace[f"Z{i + 1}"], trace[f"f{i + 1}"] = Z, ACTIVATIONS[self.activations[i]][0](Z)
            for layer in range(i + 1, len(self.activations)):
                trace[f"Z{layer + 1}"], trace[f"f{layer + 1}"] = layer_forward(
                    self.params[f"A{layer}"], self.params[f"b{layer}"], trace[f"f{layer}"], self.activations[layer])
            E = trace_cost(trace, self.Y, self.cost)
        return E, [trace[f"Z{k}"] > 0 for k in self.relu]

    @reference("numerical")
    def central_difference(self, key, index, h):
        """(n_j, noise_j, straddles a kink) for the entry θ_j = params[key][index], with h_j = h max(1, |θ_j|).

        n_j = [8 (E(θ + h_j) − E(θ − h_j)) − (E(θ + 2h_j) − E(θ − 2h_j))] / 12 h_j, the central difference
        whose truncation error is O(h⁴) (the plain one's is O(h²)); noise_j bounds its round-off.
        """
        theta = self.params[key]
        old = theta[index]
        step = h * max(1.0, abs(old))
        values, signs = {}, []
        for k in (1, -1, 2, -2):
            theta[index] = old + k * step
            values[k], sign = self.E(key, index)
            signs.append(sign)
        theta[index] = old                                   # restored before the next entry moves
        n = (8 * (values[1] - values[-1]) - (values[2] - values[-2])) / (12 * step)
        noise = NOISE * (max(map(abs, values.values())) + self.scale) / step
        kink = any((s != signs[0][i]).any() for sign in signs[1:] for i, s in enumerate(sign))
        return n, noise, kink


def _entries(params, sample, seed):
    """{θ: indices to check} by the sampling rule, and a sentence describing the sample (or None)."""
    total = sum(value.size for value in params.values())
    if sample == "all" or (sample is None and total <= ALL_UP_TO):
        return {key: list(np.ndindex(value.shape)) for key, value in params.items()}, None
    per = SAMPLE if sample is None else sample
    rng = np.random.default_rng(seed)
    chosen = {}
    for key, value in params.items():
        if value.size <= per:
            chosen[key] = list(np.ndindex(value.shape))
        else:
            flat = np.sort(rng.choice(value.size, size=per, replace=False))
            chosen[key] = [tuple(int(i) for i in np.unravel_index(j, value.shape)) for j in flat]
    sampled = [key for key in params if len(chosen[key]) < params[key].size]
    note = (f"sampled: {per} entries of each of {', '.join(sampled)} (seed {seed}), every entry of the rest"
            + (f"; the network has {total:,} entries, more than {ALL_UP_TO:,}" if sample is None else "")
            + "; sample='all' checks every entry")
    return chosen, note


@reference("numerical")
def numerical_grads(params, X, Y, activation="sigmoid", cost="squared", h=H):
    """∂E/∂θ of the total cost by central differences with the relative step h · max(1, |θ_j|), every entry."""
    X, params, sizes = check_X(X, params)
    activations = layer_activations(activation, len(sizes) - 1)
    cost = output_cost(cost, activations)
    Y = check_Y(Y, sizes, X.shape[1], cost)
    h = check_number("the step h", h, 0.0, 0.1, low_open=True, fix="gradcheck's default is h = 1e-4")
    problem = _Problem(params, X, Y, activations, cost)
    grads = {}
    for key, value in params.items():
        grads[key] = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            grads[key][index] = problem.central_difference(key, index, h)[0]
    return grads


# ---- the report ------------------------------------------------------------------------------------

class GradCheck:
    """The outcome of gradcheck(): per-entry relative errors, the worst entries and a verdict; truthy when right.

    Attributes: analytic and numerical {θ: ∂E/∂θ} (numerical is NaN where an entry was not checked), errors
    {θ: the worst entry's relative error}, entry_errors {θ: array of e_j, NaN where not judged}, worst
    {θ: (index, analytic, numerical)}, checked {θ: number of entries checked}, kinks {θ: [indices]},
    notes [sentences], max_error, verdict ("right", "suspicious" or "wrong"), passed, h.
    """

    def __init__(self, analytic, numerical, entry_errors, checked, kinks, notes, h):
        self.analytic, self.numerical, self.entry_errors = analytic, numerical, entry_errors
        self.checked, self.kinks, self.notes, self.h = checked, kinks, notes, h
        self.errors, self.worst = {}, {}
        for key, a in analytic.items():
            bad = np.argwhere(~np.isfinite(a))
            e = entry_errors[key]
            if bad.size:                                     # NaN or ±inf in the analytic gradient
                index = tuple(int(i) for i in bad[0])
                self.errors[key] = np.inf
            elif np.isfinite(e).any():
                index = tuple(int(i) for i in np.unravel_index(np.nanargmax(e), e.shape))
                self.errors[key] = float(e[index])
            else:                                            # nothing to judge (every entry at a kink)
                index = None
                self.errors[key] = np.nan
            self.worst[key] = None if index is None else (index, float(a[index]), float(numerical[key][index]))
        judged = [e for e in self.errors.values() if not np.isnan(e)]
        self.max_error = max(judged) if judged else np.nan
        self.verdict = verdict(self.max_error) if judged else "suspicious"
        if not judged:
            self.notes.append("no entry could be judged: every checked entry straddles a ReLU kink")
        self.passed = self.verdict == "right"

    def __bool__(self):
        return self.passed

    def parameter_verdict(self, key):
        """The verdict for one parameter ('unjudged' when each of its checked entries sits at a kink)."""
        return "unjudged" if np.isnan(self.errors[key]) else verdict(self.errors[key])

    def wrong_parameters(self):
        """Names of the parameters whose gradient is not right, worst first."""
        keys = [k for k in self.errors if self.parameter_verdict(k) in ("wrong", "suspicious")]
        return sorted(keys, key=lambda k: -self.errors[k])

    def __repr__(self):
        h = np.format_float_scientific(self.h, trim="-")
        lines = [f"gradient check (central differences, h = {h} · max(1, |θ|)): {self.verdict.upper()}",
                 f"  {'θ':<5}{'shape':<10}{'rel. error':<12}{'verdict':<12}worst entry: analytic vs numerical"]
        for key, error in self.errors.items():
            shape = str(self.analytic[key].shape)
            judged = self.parameter_verdict(key)
            if self.worst[key] is None or judged == "right":
                where = "—"                                  # for a right parameter the worst entry is noise
            else:
                index, a, n = self.worst[key]
                where = f"{key}[{', '.join(map(str, index))}]: {a:.6g} vs {n:.6g}"
            shown = "—" if np.isnan(error) else f"{error:.1e}"
            lines.append(f"  {key:<5}{shape:<10}{shown:<12}{judged:<12}{where}")
        for note in self.notes:
            lines.append(f"  {note}")
        lines.append("  rel. error: the worst entry's |a − n| / max(|a|, |n|, floor), "
                     "floor from the finite-difference noise")
        lines.append(f"  thresholds: ≤ {RIGHT:.0e} right, > {WRONG:.0e} wrong, in between suspicious")
        return "\n".join(lines)


def _accepts(function, name):
    """True when function takes a keyword argument `name` (by name or through **kwargs)."""
    import inspect                                          # only here: it costs milliseconds of `import coursekit`
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == name and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) or p.kind == p.VAR_KEYWORD
               for p in parameters)


def _call_backward(backward_fn, params, X, Y, activation, cost, notes):
    """backward_fn(params, trace, Y, activation=…, cost=…) with the keywords it accepts, on read-only inputs."""
    trace = forward(params, X, activation)
    options = {name: value for name, value in (("activation", activation), ("cost", cost))
               if _accepts(backward_fn, name)}
    left_out = [name for name, value, default in (("activation", activation, "sigmoid"), ("cost", cost, "squared"))
                if name not in options and value != default]
    if left_out:
        notes.append(f"note: backward_fn takes no {' or '.join(n + '=' for n in left_out)} argument, so it was "
                     f"called as backward_fn(params, trace, Y) although this check uses "
                     + ", ".join(f"{n} {dict(activation=activation, cost=cost)[n]!r}" for n in left_out))
    frozen = {key: read_only(value.copy()) for key, value in params.items()}
    try:
        return backward_fn(frozen, trace, read_only(Y.copy()), **options)
    except ValueError as error:
        if "read-only" in str(error):
            raise ValueError(f"backward_fn tried to change params, the trace or Y in place ({error}); compute new "
                             f"arrays instead (e.g. e = f2 - Y, not f2 -= Y)") from error
        raise


@reference("backward", "numerical")
def gradcheck(params, X, Y, activation="sigmoid", cost="squared", grads=None, backward_fn=None, h=H,
              sample=None, seed=0):
    """Compare analytic gradients (coursekit.backward, `backward_fn` or given `grads`) with central differences.

    sample=None checks every entry of a network with at most ALL_UP_TO parameter entries, else a seeded sample
    of SAMPLE entries per parameter (the report says which); sample="all" checks every entry, sample=m
    checks m entries of each parameter. h is the relative step (h · max(1, |θ_j|)), 0 < h ≤ 0.1.
    """
    X, params, sizes = check_X(X, params)
    activations = layer_activations(activation, len(sizes) - 1)
    cost = output_cost(cost, activations)
    Y = check_Y(Y, sizes, X.shape[1], cost)
    h = check_number("the step h", h, 0.0, 0.1, low_open=True, fix="gradcheck's default is h = 1e-4")
    if not (sample is None or sample == "all"):
        sample = check_count("sample (entries per parameter, or None, or 'all')", sample, 1)
    seed = check_seed(seed)
    if grads is not None and backward_fn is not None:
        raise ValueError("pass either grads= (the gradients themselves) or backward_fn= (a function), not both")
    if backward_fn is not None and not callable(backward_fn):
        raise TypeError(f"backward_fn must be a function backward_fn(params, trace, Y); got "
                        f"{type(backward_fn).__name__}")
    notes = []
    if grads is None:
        grads = (_call_backward(backward_fn, params, X, Y, activation, cost, notes) if backward_fn is not None
                 else backward(params, forward(params, X, activation), Y, activation, cost))
    analytic = _analytic(grads, params)
    total_cost(params, X, Y, activation, cost)               # finite, or an error naming the layer that overflows
    problem = _Problem(params, X, Y, activations, cost)
    chosen, note = _entries(params, sample, seed)
    if note:
        notes.append(note)
    numerical, entry_errors, kinks = {}, {}, {}
    for key, value in params.items():
        numerical[key] = np.full(value.shape, np.nan)
        entry_errors[key] = np.full(value.shape, np.nan)
        kinks[key] = []
        a = analytic[key]
        for index in chosen[key]:
            n, noise, kink = problem.central_difference(key, index, h)
            numerical[key][index] = n
            if kink:
                kinks[key].append(index)
            elif np.isfinite(a[index]):
                floor = max(noise / RIGHT, 1e-300)
                entry_errors[key][index] = abs(a[index] - n) / max(abs(a[index]), abs(n), floor)
    at_kinks = {key: found for key, found in kinks.items() if found}
    if at_kinks:
        listing = "; ".join(f"{len(found)} of {key}: " + ", ".join(f"{key}{list(i)}" for i in found[:4])
                            + (", …" if len(found) > 4 else "") for key, found in at_kinks.items())
        message = (f"warning: {sum(map(len, at_kinks.values()))} entries sit at a ReLU kink (a Z crosses 0 between "
                   f"θ − h and θ + h), where the central difference is no derivative; they are left out ({listing})")
        notes.append(message)
        warnings.warn(message, KinkWarning, stacklevel=2)
    return GradCheck(analytic, numerical, entry_errors, {k: len(v) for k, v in chosen.items()}, kinks, notes, h)


def _analytic(grads, params):
    """The analytic gradients as float64 arrays in the parameters' shapes (NaN and ±inf kept: they are wrong)."""
    if not isinstance(grads, dict):
        raise TypeError(f"the analytic gradients must be a dict {{'A0': ∂E/∂A0, …}}; got {type(grads).__name__}")
    missing = [key for key in params if key not in grads]
    if missing:
        raise ValueError(f"the analytic gradients lack {', '.join(missing)}; expected one per parameter")
    analytic = {}
    for key in params:
        g = as_float(f"∂E/∂{key}", grads[key])
        if g.shape != params[key].shape:
            raise ValueError(f"∂E/∂{key} must have the shape of {key} {shape_str(params[key].shape)}; got "
                             f"{shape_str(g.shape)}")
        analytic[key] = g
    return analytic
