"""Which functions of coursekit are answers to exercises: the course's reference for a capability.

    @reference("backward")
    def backward(params, trace, Y, …): …

marks `backward` as the reference for the capability "backward" (writing the Backward Paths). An exercise
names the capabilities a student must supply themselves (`Exercise.forbidden`); then
- the student's own check (coursekit.check) names an answer that calls one of these functions, under any
  alias, as `delegates_to_reference`;
- the grading sandbox (coursekit.grading) ships a copy of coursekit in which these functions' bodies are
  removed, so that a submission cannot get its results from them however it looks them up.

A marked function is returned unchanged: the decorator costs nothing per call. `reference_module(name)` marks
a whole module (every function and method defined in it), e.g. the autodiff engine.

Capabilities: "backward" (Backward Paths, δ rules, ∂E/∂θ of a network), "descent" (the gradient-descent loop),
"cost" (per-example and total cost), "cost_gradient" (∂E/∂f_K and δ_K of a cost), "derivative" (σ', tanh', …,
and their Jacobians), "numerical" (central differences: derivative, gradient, jacobian, tensor_jacobian,
numerical_grads), "autodiff" (the reverse-mode engine and its graphs), "softmax" (softmax, its Jacobian and
categorical cross-entropy).
"""
import sys

CAPABILITIES = ("backward", "descent", "cost", "cost_gradient", "derivative", "numerical", "autodiff", "softmax")

REFERENCES = {capability: [] for capability in CAPABILITIES}   # capability → [functions]
MODULES = {capability: [] for capability in CAPABILITIES}      # capability → [module names]


def _known(capability):
    if capability not in REFERENCES:
        raise ValueError(f"unknown capability {capability!r}; valid: {', '.join(CAPABILITIES)}")
    return capability


def reference(*capabilities):
    """Decorator: the function is coursekit's reference for these capabilities (returned unchanged)."""
    for capability in capabilities:
        _known(capability)

    def mark(function):
        for capability in capabilities:
            REFERENCES[capability].append(function)
        return function
    return mark


def reference_module(module_name, *capabilities):
    """Mark every function and method of the module `module_name` as the reference for these capabilities."""
    for capability in capabilities:
        MODULES[_known(capability)].append(module_name)


def public_name(function):
    """'coursekit.backward' for coursekit.network.backward when the package exports it, else module.qualname."""
    module = function.__module__
    package = sys.modules.get("coursekit")
    if package is not None and getattr(package, function.__name__, None) is function:
        return f"coursekit.{function.__name__}"
    return f"{module}.{function.__qualname__}"


class Delegation(Exception):
    """Raised in the grading sandbox by a reference function whose body was removed (see coursekit.grading)."""

    def __init__(self, name, capability):
        super().__init__(f"{name} is not available while this exercise is graded: it is the course's own "
                         f"answer ({capability}); write this part yourself")
        self.name, self.capability = name, capability


def unavailable(name, capability):
    """The error a removed reference function raises in the grading sandbox (it is logged as delegation)."""
    DELEGATIONS.append(name)
    return Delegation(name, capability)


DELEGATIONS = []    # names of removed reference functions called in this process (grading sandbox only)
