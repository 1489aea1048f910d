"""Gradient descent on the total cost, θ(t+1) = θ(t) − η ∂E(θ(t))/∂θ (Problem Formulation): full batch or
mini-batches; predictions and accuracy.

The loop reuses its arrays from step to step (forward_into and backward_into write into buffers); they are
coursekit.network's forward_pass and backward with `out=` arrays, and the tests check that they give the same
numbers.
"""
import math

import numpy as np

from .activations import ACTIVATIONS, layer_activations, softmax_backward
from .network import finite_trace, forward_pass, output_cost, trace_cost
from .notation import (all_finite, check_count, check_number, check_seed, check_X, check_Y, describe,
                       first_non_finite, read_only)
from .reference import reference


class Diverged(ValueError):
    """gradient_descent stopped: E or θ left the float64 range. .step, .eta, .history (the finite part), .params."""

    def __init__(self, message, step, eta, history, params):
        super().__init__(message)
        self.step, self.eta, self.history, self.params = step, eta, np.array(history), params


@reference("descent")
def gradient_descent(params, X, Y, eta, steps, activation="sigmoid", cost="squared", callback=None,
                     batch_size=None, seed=None):
    """Gradient descent; returns (new params, history of E at θ(0), …, θ(steps)).

    X (n0, R), Y (n_K, R). The params passed in are not modified. `callback(t, params, E)` runs before
    step t with a read-only copy of θ(t) and E(θ(t)); returning True stops early (then θ(t) is returned).
    The run stops with a Diverged error (a ValueError naming the step, η and the last finite cost) as soon as
    E or θ is no longer finite.

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
    cost = output_cost(cost, activations)
    R = X.shape[1]
    Y = check_Y(Y, sizes, R, cost)
    eta = check_number("the learning rate η (eta)", eta, 0.0, low_open=True)
    steps = check_count("steps", steps)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function callback(t, params, E) or None; got {describe(callback)}")
    if batch_size is not None:
        batch_size = check_count("batch_size", batch_size, 1)
        if batch_size > R:
            raise ValueError(f"batch_size = {batch_size} is more than the R = {R} examples; use 1 … {R}, "
                             f"or batch_size=None for full-batch descent")
    seed = 0 if seed is None else check_seed(seed)
    theta = {key: value.copy() for key, value in params.items()}
    out = buffers(sizes, R)                                # every step writes into the same arrays
    batches = None if batch_size is None else mini_batches(R, batch_size, seed)
    batch_out = {}
    history = []
    with np.errstate(over="ignore", invalid="ignore"):   # divergence is reported by name below, not warned about
        for t in range(steps + 1):
            trace = forward_into(theta, X, activations, out)
            E = trace_cost(trace, Y, cost)                 # E(θ(t)) over all R examples
            if not np.isfinite(E):
                if t == 0:
                    finite_trace(forward_pass(theta, X, activations), theta)  # names the layer that overflows
                raise _diverged(t, f"E(θ({t})) = {E}", eta, history, theta)
            history.append(E)
            if t == steps or (callback is not None and callback(t, snapshot(theta), E)):
                break
            if batches is None:
                grads = backward_into(theta, trace, Y, activations, cost, out)
                scale = eta
            else:
                batch = next(batches)
                m = batch.size
                if m not in batch_out:
                    batch_out[m] = buffers(sizes, m)
                Xb, Yb = X[:, batch], Y[:, batch]
                grads = backward_into(theta, forward_into(theta, Xb, activations, batch_out[m]), Yb,
                                      activations, cost, batch_out[m])
                scale = eta * (R / m)                      # (R / |batch|) Σ_batch ∂E^r/∂θ estimates ∂E/∂θ
            for key, g in grads.items():
                g *= scale
                theta[key] -= g                            # θ(t+1) = θ(t) − η ∂E/∂θ
            if not math.isfinite(sum(np.add.reduce(value, axis=None) for value in theta.values())) \
                    and not all_finite(*theta.values()):   # a sum first: NaN or ±inf anywhere makes it non-finite
                what = (f"∂E/∂θ at θ({t}) overflows (η × {_first_bad(grads)})" if not all_finite(*grads.values())
                        else f"θ({t + 1}) has {_first_bad(theta)}")
                raise _diverged(t + 1, what, eta, history, theta)
    return theta, np.array(history)


def _diverged(t, what, eta, history, theta):
    """The Diverged error at step t: what is not finite, η, the last finite cost, and a smaller η to try."""
    before = f" after E(θ({len(history) - 1})) = {history[-1]:.6g}" if history else ""
    return Diverged(f"gradient descent diverged at step t = {t}: {what}{before} with η = {eta:g}; a smaller "
                    f"learning rate (e.g. η = {eta / 10:g}) may converge. The finite costs are in error.history, "
                    f"the last θ in error.params", t, eta, history, snapshot(theta))


def _first_bad(arrays):
    """'A0[1, 0] = inf': the first non-finite entry of a dict of arrays."""
    key = next(k for k in arrays if first_non_finite(arrays[k]) is not None)
    where = first_non_finite(arrays[key])
    return f"{key}{list(where)} = {arrays[key][where]}"


def snapshot(theta):
    """A read-only copy of θ, for a callback or an error to keep."""
    return {key: read_only(value.copy()) for key, value in theta.items()}


@reference("descent")
def mini_batches(R, batch_size, seed):
    """The examples of each mini-batch, epoch after epoch: a fresh permutation of 0 … R − 1 per epoch."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(R)
        for start in range(0, R, batch_size):
            yield order[start:start + batch_size]


# ---- the loop's arrays: forward_pass and backward writing into buffers ----------------------------------

def buffers(sizes, R):
    """Arrays for forward_into and backward_into to write into, so that a training loop allocates once."""
    out = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        for key in (f"Z{i + 1}", f"f{i + 1}", f"δ{i + 1}", f"σ'{i + 1}"):
            out[key] = np.empty((n_out, R))
        out[f"A{i}"], out[f"b{i}"] = np.empty((n_out, n_in)), np.empty((n_out, 1))
    return out


@reference("descent")
def forward_into(params, X, activations, out):
    """network.forward_pass writing Z_i and f_i into the buffers `out`."""
    trace = {"f0": X}
    for i, name in enumerate(activations):
        Z = np.matmul(params[f"A{i}"], trace[f"f{i}"], out=out[f"Z{i + 1}"])
        Z += params[f"b{i}"]                                         # Z_{i+1} = A_i f_i + b_i
        trace[f"Z{i + 1}"], trace[f"f{i + 1}"] = Z, ACTIVATIONS[name][0](Z, out[f"f{i + 1}"])
    return trace


@reference("backward", "descent")
def backward_into(params, trace, Y, activations, cost, out):
    """network.backward (its layer_backward and activation_backward) writing δ_i and ∂E/∂θ into `out`."""
    K = len(activations)
    delta = np.subtract(trace[f"f{K}"], Y, out=out[f"δ{K}"])         # f_K − Y
    if cost == "squared":
        _times_dfdZ(activations[-1], trace[f"Z{K}"], trace[f"f{K}"], delta, out[f"σ'{K}"])
    grads = {}
    for i in range(K - 1, -1, -1):
        grads[f"A{i}"] = np.matmul(delta, trace[f"f{i}"].T, out=out[f"A{i}"])            # δ f_iᵀ
        grads[f"b{i}"] = np.add.reduce(delta, axis=1, keepdims=True, out=out[f"b{i}"])    # Σ_r δ
        if i > 0:
            delta = np.matmul(params[f"A{i}"].T, delta, out=out[f"δ{i}"])                # A_iᵀ δ
            _times_dfdZ(activations[i - 1], trace[f"Z{i}"], trace[f"f{i}"], delta, out[f"σ'{i}"])
    return {key: grads[key] for key in params}


def _times_dfdZ(name, Z, f, df, work):
    """df ← ∂f/∂Zᵀ df in place: df ⊙ σ'(Z), or (diag(p) − p pᵀ) df for softmax."""
    if name == "softmax":
        softmax_backward(f, df, df)
    else:
        df *= ACTIVATIONS[name][1](Z, f, work)


# ---- using a trained network ------------------------------------------------------------------------

def predict(params, X, activation="sigmoid"):
    """The network's output f_K for X (n0, R): (n_K, R)."""
    X, params, sizes = check_X(X, params)
    activations = layer_activations(activation, len(sizes) - 1)
    with np.errstate(over="ignore", invalid="ignore"):
        trace = finite_trace(forward_pass(params, X, activations), params)
    return trace[f"f{len(sizes) - 1}"]


def accuracy(params, X, Y, activation="sigmoid"):
    """Fraction of the R examples classified right: the largest output for one-hot Y, f_K > ½ for one output."""
    X, params, sizes = check_X(X, params)
    Y = check_Y(Y, sizes, X.shape[1])
    fK = predict(params, X, activation)
    if fK.shape[0] == 1:
        return float(np.mean((fK > 0.5) == (Y > 0.5)))
    return float(np.mean(np.argmax(fK, axis=0) == np.argmax(Y, axis=0)))
