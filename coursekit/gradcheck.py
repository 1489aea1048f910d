"""Gradient check: analytic ∂E/∂θ against central differences, per parameter and per entry, with a verdict."""
import numpy as np

from .calculus import H, numerical_gradient
from .network import backward, check_X, check_Y, forward, total_cost
from .reference import reference

RIGHT = 1e-7   # relative error at or below this: the analytic gradient is right
WRONG = 1e-2   # above this: it is wrong; in between: suspicious (a ReLU kink within h, or a tiny error)


def rel_error(analytic, numerical, floor=1e-12):
    """‖a − n‖ / max(‖a‖ + ‖n‖, floor): 0 when equal, near 1 when unrelated."""
    return float(np.linalg.norm(analytic - numerical) / max(np.linalg.norm(analytic) + np.linalg.norm(numerical),
                                                            floor))


@reference("numerical")
def numerical_grads(params, X, Y, activation="sigmoid", cost="squared", h=H):
    """∂E/∂θ of the total cost by central differences, one entry of one parameter at a time."""
    X, params, _ = check_X(X, params)
    grads = {}
    for key in params:
        def E_of(theta, key=key):
            return total_cost({**params, key: theta}, X, Y, activation, cost)
        grads[key] = numerical_gradient(E_of, params[key], h)
    return grads


def verdict(error):
    """'right', 'suspicious' or 'wrong' for a relative error, by the thresholds RIGHT and WRONG."""
    return "right" if error <= RIGHT else "wrong" if error > WRONG else "suspicious"


class GradCheck:
    """The outcome of gradcheck(): relative errors, worst entries and a verdict; truthy only when right.

    Attributes: errors {θ: relative error}, worst {θ: (index, analytic, numerical)}, analytic and numerical
    {θ: ∂E/∂θ}, max_error, verdict ("right", "suspicious" or "wrong"), passed.
    """

    def __init__(self, analytic, numerical, E, h):
        self.analytic, self.numerical, self.h = analytic, numerical, h
        # gradients far below the finite-difference noise (≈ ε E / h) cannot be judged: floor the denominator
        floor = 1e-7 * max(1.0, abs(E))
        self.errors = {key: rel_error(analytic[key], numerical[key], floor) for key in analytic}
        self.worst = {}
        for key in analytic:
            diff = np.abs(analytic[key] - numerical[key])
            index = np.unravel_index(np.argmax(diff), diff.shape)
            self.worst[key] = (tuple(int(i) for i in index), float(analytic[key][index]),
                               float(numerical[key][index]))
        self.max_error = max(self.errors.values())
        self.verdict = verdict(self.max_error)
        self.passed = self.verdict == "right"

    def __bool__(self):
        return self.passed

    def wrong_parameters(self):
        """Names of the parameters whose gradient is not right, worst first."""
        return sorted((k for k, e in self.errors.items() if verdict(e) != "right"), key=lambda k: -self.errors[k])

    def __repr__(self):
        lines = [f"gradient check (central differences, h = {self.h:g}): {self.verdict.upper()}",
                 f"  {'θ':<5}{'shape':<10}{'rel. error':<12}{'verdict':<12}worst entry: analytic vs numerical"]
        for key, error in self.errors.items():
            index, a, n = self.worst[key]
            # for a right parameter the worst entry is round-off noise: nothing to look at
            where = "—" if verdict(error) == "right" else f"{key}[{', '.join(map(str, index))}]: {a:.6g} vs {n:.6g}"
            lines.append(f"  {key:<5}{str(self.analytic[key].shape):<10}{error:<12.1e}{verdict(error):<12}{where}")
        lines.append(f"  thresholds: ≤ {RIGHT:.0e} right, > {WRONG:.0e} wrong, in between suspicious")
        return "\n".join(lines)


@reference("backward", "numerical")
def gradcheck(params, X, Y, activation="sigmoid", cost="squared", grads=None, backward_fn=None, h=H):
    """Compare analytic gradients (coursekit.backward, `backward_fn` or given `grads`) with central differences."""
    X, params, sizes = check_X(X, params)
    Y = check_Y(Y, sizes, X.shape[1], cost)
    if grads is None:
        trace = forward(params, X, activation)
        grads = (backward_fn or backward)(params, trace, Y, *((activation, cost) if backward_fn is None else ()))
    missing = [key for key in params if key not in grads]
    if missing:
        raise ValueError(f"the analytic gradients lack {', '.join(missing)}; expected one per parameter")
    analytic = {}
    for key in params:
        g = np.asarray(grads[key], dtype=np.float64)
        if g.shape != params[key].shape:
            raise ValueError(f"∂E/∂{key} must have the shape of {key} {params[key].shape}; got {g.shape}")
        analytic[key] = g
    numerical = numerical_grads(params, X, Y, activation, cost, h)
    return GradCheck(analytic, numerical, total_cost(params, X, Y, activation, cost), h)
