"""Gradient descent on the total cost: θ(t+1) = θ(t) − η ∂E(θ(t))/∂θ (Problem Formulation), full or mini-batch."""
import numpy as np

from .activations import layer_activations
from .network import (_output_layer_check, backward_unchecked, buffers, check_X, check_Y, forward_unchecked,
                      trace_cost)
from .notation import check_count
from .reference import reference


@reference("descent")
def gradient_descent(params, X, Y, eta, steps, activation="sigmoid", cost="squared", callback=None,
                     batch_size=None, seed=None):
    """Gradient descent on the total cost; returns (new params, history of E at θ(0), …, θ(steps)).

    X (n0, R), Y (n_K, R). The params passed in are not modified. `callback(t, params, E)` runs before
    step t with the current θ(t) and E(θ(t)) (read it, do not modify it); returning True stops early.

    batch_size=None: full batch, θ(t+1) = θ(t) − η ∂E/∂θ over all R examples.
    batch_size=m (1 … R): mini-batch SGD. Epoch by epoch, a permutation of the R examples is drawn from
    np.random.default_rng(seed) (seed=None means seed 0) and cut into B = ⌈R / m⌉ consecutive batches of m
    examples (the last one holds the R − (B − 1) m left over); step t uses batch t mod B of the current
    epoch's permutation and moves along (R / |batch|) Σ_{r ∈ batch} ∂E^r/∂θ, the batch's estimate of the
    full ∂E/∂θ, so η means the same as for the full batch. The history still records the total cost E over
    all R examples at θ(0), …, θ(steps) (one more forward pass per step).
    """
    X, params, sizes = check_X(X, params)                 # validated once per run, not once per step
    activations = layer_activations(activation, len(sizes) - 1)
    cost = _output_layer_check(cost, activations)
    R = X.shape[1]
    Y = check_Y(Y, sizes, R, cost)
    eta, steps = float(eta), check_count("steps", steps)
    if not np.isfinite(eta) or eta <= 0:
        raise ValueError(f"the learning rate η (eta) must be a positive number; got {eta}")
    if batch_size is not None:
        batch_size = check_count("batch_size", batch_size, 1)
        if batch_size > R:
            raise ValueError(f"batch_size = {batch_size} is more than the R = {R} examples; use 1 … {R}, "
                             f"or batch_size=None for full-batch descent")
    if seed is not None:
        seed = check_count("seed", seed, 0)
    theta = {key: value.copy() for key, value in params.items()}
    out = buffers(sizes, R)                                # every step writes into the same arrays
    history = np.empty(steps + 1)
    batches = _batches(R, batch_size, seed)
    batch_out = {}
    for t in range(steps):
        trace = forward_unchecked(theta, X, activations, out)
        history[t] = trace_cost(trace, Y, cost)
        if callback is not None and callback(t, theta, history[t]):
            return theta, history[:t + 1].copy()
        if batch_size is None:
            grads = backward_unchecked(theta, trace, Y, activations, cost, out)
            scale = eta
        else:
            batch = next(batches)
            m = batch.size
            if m not in batch_out:
                batch_out[m] = buffers(sizes, m)
            Xb, Yb = X[:, batch], Y[:, batch]
            trace = forward_unchecked(theta, Xb, activations, batch_out[m])
            grads = backward_unchecked(theta, trace, Yb, activations, cost, batch_out[m])
            scale = eta * (R / m)                          # (R / |batch|) Σ_batch ∂E^r/∂θ estimates ∂E/∂θ
        for key, g in grads.items():
            g *= scale
            theta[key] -= g                                # θ(t+1) = θ(t) − η ∂E/∂θ
    history[steps] = trace_cost(forward_unchecked(theta, X, activations, out), Y, cost)
    return theta, history


@reference("descent")
def _batches(R, batch_size, seed):
    """The examples of each mini-batch, epoch after epoch: a fresh permutation of 0 … R − 1 per epoch."""
    if batch_size is None:
        return None
    rng = np.random.default_rng(0 if seed is None else seed)

    def generate():
        while True:
            order = rng.permutation(R)
            for start in range(0, R, batch_size):
                yield order[start:start + batch_size]
    return generate()


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
