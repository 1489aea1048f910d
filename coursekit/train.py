"""Gradient descent on the total cost: θ(t+1) = θ(t) − η ∂E(θ(t))/∂θ (Problem Formulation)."""
import numpy as np

from .activations import layer_activations
from .network import (_output_layer_check, backward_unchecked, buffers, check_X, check_Y, forward_unchecked,
                      trace_cost)
from .notation import check_count
from .reference import reference


@reference("descent")
def gradient_descent(params, X, Y, eta, steps, activation="sigmoid", cost="squared", callback=None):
    """Full-batch gradient descent; returns (new params, history of E at θ(0), …, θ(steps)).

    X (n0, R), Y (n_K, R). The params passed in are not modified. `callback(t, params, E)` runs before
    step t with the current θ(t) and E(θ(t)) (read it, do not modify it); returning True stops early.
    """
    X, params, sizes = check_X(X, params)                 # validated once per run, not once per step
    activations = layer_activations(activation, len(sizes) - 1)
    _output_layer_check(cost, activations)
    Y = check_Y(Y, sizes, X.shape[1], cost)
    eta, steps = float(eta), check_count("steps", steps)
    if not np.isfinite(eta) or eta <= 0:
        raise ValueError(f"the learning rate η (eta) must be a positive number; got {eta}")
    theta = {key: value.copy() for key, value in params.items()}
    out = buffers(sizes, X.shape[1])                       # every step writes into the same arrays
    history = np.empty(steps + 1)
    for t in range(steps):
        trace = forward_unchecked(theta, X, activations, out)
        history[t] = trace_cost(trace, Y, cost)
        if callback is not None and callback(t, theta, history[t]):
            return theta, history[:t + 1].copy()
        grads = backward_unchecked(theta, trace, Y, activations, cost, out)
        for key, g in grads.items():
            g *= eta
            theta[key] -= g                                # θ(t+1) = θ(t) − η ∂E/∂θ
    history[steps] = trace_cost(forward_unchecked(theta, X, activations, out), Y, cost)
    return theta, history


def predict(params, X, activation="sigmoid"):
    """The network's output f_K for X (n0, R): (n_K, R)."""
    X, params, sizes = check_X(X, params)
    K = len(sizes) - 1
    return forward_unchecked(params, X, layer_activations(activation, K))[f"f{K}"]


def accuracy(params, X, Y, activation="sigmoid"):
    """Fraction of the R examples classified right: the largest output for one-hot Y, f_K > ½ for one output."""
    X, params, sizes = check_X(X, params)
    Y = check_Y(Y, sizes, X.shape[1])
    fK = predict(params, X, activation)
    if fK.shape[0] == 1:
        return float(np.mean((fK > 0.5) == (Y > 0.5)))
    return float(np.mean(np.argmax(fK, axis=0) == np.argmax(Y, axis=0)))
