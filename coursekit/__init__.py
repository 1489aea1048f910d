"""coursekit: the reference implementation, data and checks behind the backpropagation course.

Notation (notebooks/notation.md): X = f0 (n0, R), one example per column; A_i (n_{i+1}, n_i); b_i (n_{i+1}, 1);
Z_i, f_i (n_i, R); Y (n_K, R); E = Σ_r E^r; ∂E/∂θ in the shape of θ.
"""
import importlib

from . import activations, autodiff, calculus, costs, data
from .calculus import derivative, gradient, jacobian, tensor_jacobian
from .doctor import doctor
from .gradcheck import gradcheck
from .network import Trace, backward, backward_jacobians, forward, init_params, layer_sizes, total_cost
from .train import Diverged, accuracy, gradient_descent, predict

__version__ = "0.1.0"

__all__ = [
    "activations", "autodiff", "calculus", "costs", "data",
    "derivative", "gradient", "jacobian", "tensor_jacobian",
    "init_params", "forward", "backward", "backward_jacobians", "total_cost", "layer_sizes",
    "gradient_descent", "Diverged", "predict", "accuracy", "gradcheck", "doctor", "check", "Trace",
]

# Views load matplotlib (and ipywidgets) only when first used, so `import coursekit` stays fast.
_LAZY_MODULES = ("plots", "widgets", "exercises", "release", "grading", "reference", "layers")


def __getattr__(name):
    if name == "check":      # coursekit.check(exercise_id, answer): exercise feedback that names the mistake
        from .exercises import check
        globals()["check"] = check
        return check
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'coursekit' has no attribute {name!r}")
