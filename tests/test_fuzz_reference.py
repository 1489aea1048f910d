"""A fuzz run of bad, extreme and misuse inputs against the reference: every case ends in a clear error or a
right answer, never in a raw numpy error, a warning, a silent inf/NaN, a changed input or a hang.

Each case is (name, make, expect). make() returns (function, args, kwargs), built fresh for the case. expect is
Error(type, words): the call raises that type and its message holds every word (the symbol and the fix); or
Right(check): check(result) compares the result with an independent oracle (tests/oracles.py) or with a fact
worked out by hand. Every call runs with warnings turned into errors (unless the case expects a warning), under a
time limit, and its inputs are compared with copies afterwards.
"""
import copy
import math
import signal
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pytest

import coursekit
from coursekit import autodiff, calculus, data
from coursekit.gradcheck import KinkWarning

import oracles

pytestmark = pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")  # making np.matrix
TIME_LIMIT = 60    # seconds per case; the slowest right answer takes about one on a quiet machine


@dataclass
class Error:
    """The call raises `kind` with every one of `words` in its message."""
    kind: type
    words: list


@dataclass
class Right:
    """The call returns, and check(result) holds (it asserts); `warns` is a warning the call must give."""
    check: object
    warns: type = None
    notes: list = field(default_factory=list)


def call(function, *args, **kwargs):
    return function, args, kwargs


def lecture():
    """The lecture's 2-3-1 sigmoid network on XOR, with nonzero biases."""
    X, Y = data.xor()
    params = coursekit.init_params([2, 3, 1], seed=0)
    params["b0"] = np.array([[0.1], [-0.2], [0.3]])
    params["b1"] = np.array([[0.05]])
    return params, X, Y


def softmax_problem():
    rng = np.random.default_rng(5)
    params = coursekit.init_params([3, 4, 3], seed=2)
    X = rng.normal(size=(3, 5))
    Y = np.eye(3)[[0, 2, 1, 1, 0]].T
    return params, X, Y


def with_(**changes):
    params, X, Y = lecture()
    return {**params, **changes}, X, Y


# ---- oracles for the right answers -----------------------------------------------------------------------

def cost_is(params, X, Y, activations, cost, rel=1e-11):
    def check(E):
        assert isinstance(E, float) and math.isfinite(E)
        assert E == pytest.approx(oracles.total_cost(params, X, Y, activations, cost), rel=rel, abs=1e-300)
    return Right(check)


def gradients_are(params, X, Y, activations, cost, rtol=1e-6, atol=1e-8):
    def check(grads):
        numerical = oracles.central_differences(lambda p: oracles.total_cost(p, X, Y, activations, cost),
                                                {k: np.asarray(v, dtype=float) for k, v in params.items()})
        assert list(grads) == list(numerical)
        for key in numerical:
            assert type(grads[key]) is np.ndarray and np.isfinite(grads[key]).all()
            np.testing.assert_allclose(grads[key], numerical[key], rtol=rtol, atol=atol)
    return Right(check)


def backward_call(params, X, Y, activation="sigmoid", cost="squared"):
    return call(lambda: coursekit.backward(params, coursekit.forward(params, X, activation), Y, activation, cost))


def verdict_is(expected, parameter=None, warns=None):
    def check(result):
        assert result.verdict == expected, result
        if parameter is not None:
            assert result.wrong_parameters()[0] == parameter, result
    return Right(check, warns)


# ---- the cases ---------------------------------------------------------------------------------------

CASES = []


def case(name, make, expect):
    CASES.append((name, make, expect))


# network: keys, shapes, types, blaming the right parameter -- through each public function
BAD_PARAMS = [
    ("b0 as a 1-D array", lambda: with_(b0=np.zeros(3)), ["b0", "(3, 1)", "broadcast"]),
    ("b0 of the wrong length", lambda: with_(b0=np.zeros((2, 1))), ["b0 must have shape (3, 1)", "got (2, 1)"]),
    ("A1 transposed", lambda: with_(A1=np.zeros((3, 1))), ["A1 must have shape (1, 3)", "(3, 1)"]),
    ("A1 with one column too many", lambda: with_(A1=np.zeros((1, 4))), ["A1 must have shape (1, 3)"]),
    ("a missing b1", lambda: ({k: v for k, v in lecture()[0].items() if k != "b1"},) + lecture()[1:],
     ["missing b1"]),
    ("an extra key W", lambda: with_(W=np.zeros((1, 1))), ["unexpected key 'W'"]),
    ("A0 with a NaN", lambda: with_(A0=np.full((3, 2), np.nan)), ["A0", "non-finite", "nan"]),
    ("b1 = +inf", lambda: with_(b1=np.array([[np.inf]])), ["b1", "non-finite", "inf"]),
    ("A1 of strings", lambda: with_(A1=[["a", "b", "c"]]), ["A1", "real numbers"]),
    ("A0 complex", lambda: with_(A0=np.zeros((3, 2)) + 1j), ["A0", "complex"]),
    ("A0 ragged", lambda: with_(A0=[[1, 2], [3]]), ["A0", "ragged"]),
    ("A0 = None", lambda: with_(A0=None), ["A0", "None"]),
    ("A0 masked", lambda: with_(A0=np.ma.masked_array(np.ones((3, 2)), mask=np.eye(3, 2))), ["A0", "masked"]),
]
for label, make, words in BAD_PARAMS:
    kind = TypeError if any(w in words for w in ("real numbers", "complex", "ragged", "None", "masked")) else ValueError
    case(f"forward: {label}", lambda make=make: call(coursekit.forward, *make()[:2]), Error(kind, words))
    case(f"total_cost: {label}", lambda make=make: call(coursekit.total_cost, *make()), Error(kind, words))
    case(f"gradient_descent: {label}",
         lambda make=make: call(coursekit.gradient_descent, *make(), eta=0.5, steps=2), Error(kind, words))

case("params is a list", lambda: call(coursekit.forward, list(lecture()[0].values()), lecture()[1]),
     Error(TypeError, ["params", "dict"]))
case("params is empty", lambda: call(coursekit.forward, {}, lecture()[1]), Error(ValueError, ["params is empty"]))
case("X with examples as rows", lambda: call(coursekit.forward, lecture()[0], lecture()[1].T),
     Error(ValueError, ["X (= f0) must have n0 = 2", "try X.T"]))
case("X 1-D", lambda: call(coursekit.forward, lecture()[0], np.zeros(2)), Error(ValueError, ["X", "2-D", "(2,)"]))
case("X without examples", lambda: call(coursekit.forward, lecture()[0], np.zeros((2, 0))),
     Error(ValueError, ["X", "at least one example"]))
case("X a string", lambda: call(coursekit.forward, lecture()[0], "0 1"), Error(TypeError, ["X", "string"]))
case("X with NaN", lambda: call(coursekit.forward, lecture()[0], np.array([[0.0, np.nan], [1, 1]])),
     Error(ValueError, ["X", "non-finite", "nan"]))
case("Y of the wrong shape", lambda: call(coursekit.total_cost, *lecture()[:2], np.zeros((4, 1))),
     Error(ValueError, ["Y", "(1, 4)", "(4, 1)"]))
case("Y outside [0, 1] for cross-entropy", lambda: call(coursekit.total_cost, *lecture()[:2], 2 * lecture()[2],
                                                        cost="cross_entropy"),
     Error(ValueError, ["binary_cross_entropy", "[0, 1]"]))
case("Y columns not summing to 1", lambda: call(coursekit.total_cost, *softmax_problem()[:2],
                                               0.5 * softmax_problem()[2], ["tanh", "softmax"],
                                               "categorical_cross_entropy"),
     Error(ValueError, ["categorical_cross_entropy", "sums to 0.5"]))
case("categorical cross-entropy without softmax", lambda: call(coursekit.total_cost, *softmax_problem(),
                                                              cost="categorical_cross_entropy"),
     Error(ValueError, ["softmax output layer", "'softmax'"]))
case("binary cross-entropy with a tanh output", lambda: call(coursekit.total_cost, *lecture(), "tanh",
                                                             "binary_cross_entropy"),
     Error(ValueError, ["sigmoid outputs"]))
case("an unknown cost", lambda: call(coursekit.total_cost, *lecture(), cost="hinge"),
     Error(ValueError, ["'hinge'", "'squared'"]))
case("an unknown activation", lambda: call(coursekit.forward, *lecture()[:2], "swish"),
     Error(ValueError, ["'swish'", "'relu'"]))
case("too few activation names", lambda: call(coursekit.forward, *lecture()[:2], ["tanh"]),
     Error(ValueError, ["K = 2 layers"]))
case("a trace of another network", lambda: call(coursekit.backward, lecture()[0],
                                                coursekit.forward(coursekit.init_params([2, 4, 1]), lecture()[1]),
                                                lecture()[2]),
     Error(ValueError, ["trace Z1 has shape (4, 4)", "(3, 4)"]))
case("a trace that is not a dict", lambda: call(coursekit.backward, lecture()[0], [1, 2], lecture()[2]),
     Error(TypeError, ["trace", "dict"]))
case("a trace without f0", lambda: call(coursekit.backward, lecture()[0], {"Z1": 1}, lecture()[2]),
     Error(ValueError, ["trace has no f0"]))

# the trace: read-only, and only for the params and activation it came from
def _change_after_forward(change):
    params, X, Y = lecture()
    trace = coursekit.forward(params, X)
    change(params, trace)
    return call(coursekit.backward, params, trace, Y)


case("NaN written into A0 after forward", lambda: _change_after_forward(
    lambda p, t: p["A0"].__setitem__((0, 0), np.nan)), Error(ValueError, ["A0", "non-finite"]))
case("b0 changed after forward", lambda: _change_after_forward(
    lambda p, t: p["b0"].__setitem__((1, 0), 9.0)), Error(ValueError, ["params changed since forward", "b0[1, 0]"]))
case("trace['f1'] *= 2", lambda: call(lambda t: t.__setitem__("f1", t["f1"].__imul__(2)),
                                      coursekit.forward(*lecture()[:2])), Error(ValueError, ["read-only"]))
case("f1 = trace['f1']; f1 += 1", lambda: call(lambda f: f.__iadd__(1), coursekit.forward(*lecture()[:2])["f1"]),
     Error(ValueError, ["read-only"]))
case("trace['Z1'] = …", lambda: call(lambda t: t.__setitem__("Z1", 0), coursekit.forward(*lecture()[:2])),
     Error(TypeError, ["read-only", "copy"]))
case("a tanh trace with sigmoid backward", lambda: call(coursekit.backward, lecture()[0],
                                                        coursekit.forward(*lecture()[:2], "tanh"), lecture()[2]),
     Error(ValueError, ["activation ['tanh', 'tanh']", "the same activation"]))

# numbers: η, steps, h, seeds, sizes, noise, batch sizes, sampling
NUMBERS = [
    ("η = 'abc'", lambda: call(coursekit.gradient_descent, *lecture(), eta="abc", steps=2), TypeError, ["η", "'abc'"]),
    ("η = −1", lambda: call(coursekit.gradient_descent, *lecture(), eta=-1, steps=2), ValueError, ["η", "> 0"]),
    ("η = 0", lambda: call(coursekit.gradient_descent, *lecture(), eta=0.0, steps=2), ValueError, ["η"]),
    ("η = NaN", lambda: call(coursekit.gradient_descent, *lecture(), eta=np.nan, steps=2), ValueError, ["η", "nan"]),
    ("η = inf", lambda: call(coursekit.gradient_descent, *lecture(), eta=np.inf, steps=2), ValueError, ["η", "inf"]),
    ("η = [0.1]", lambda: call(coursekit.gradient_descent, *lecture(), eta=[0.1], steps=2), TypeError, ["η"]),
    ("steps = −1", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, -1), ValueError, ["steps", "≥ 0"]),
    ("steps = 2.5", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, 2.5), ValueError, ["steps"]),
    ("steps = '10'", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, "10"), ValueError, ["steps"]),
    ("batch_size = 0", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, 2, batch_size=0), ValueError,
     ["batch_size", "≥ 1"]),
    ("batch_size > R", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, 2, batch_size=5), ValueError,
     ["batch_size = 5", "R = 4"]),
    ("batch_size = 1.5", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, 2, batch_size=1.5), ValueError,
     ["batch_size", "whole number"]),
    ("mini-batch seed = −1", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, 2, batch_size=2, seed=-1),
     ValueError, ["seed", "≥ 0"]),
    ("callback = 3", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, 2, callback=3), TypeError,
     ["callback"]),
    ("gradcheck h = 0", lambda: call(coursekit.gradcheck, *lecture(), h=0), ValueError, ["step h"]),
    ("gradcheck h = NaN", lambda: call(coursekit.gradcheck, *lecture(), h=np.nan), ValueError, ["step h", "nan"]),
    ("gradcheck h = 'x'", lambda: call(coursekit.gradcheck, *lecture(), h="x"), TypeError, ["step h"]),
    ("gradcheck h = 5", lambda: call(coursekit.gradcheck, *lecture(), h=5.0), ValueError, ["step h", "0.1"]),
    ("gradcheck sample = −3", lambda: call(coursekit.gradcheck, *lecture(), sample=-3), ValueError, ["sample"]),
    ("gradcheck seed = 'a'", lambda: call(coursekit.gradcheck, *lecture(), seed="a"), ValueError, ["seed"]),
    ("init_params seed = −1", lambda: call(coursekit.init_params, [2, 3, 1], seed=-1), ValueError, ["seed", "≥ 0"]),
    ("init_params seed = None", lambda: call(coursekit.init_params, [2, 3, 1], seed=None), ValueError, ["seed"]),
    ("init_params sizes '231'", lambda: call(coursekit.init_params, "231"), TypeError, ["sizes"]),
    ("init_params n1 = 0", lambda: call(coursekit.init_params, [2, 0, 1]), ValueError, ["n1 = 0"]),
    ("init_params n1 = 3.0", lambda: call(coursekit.init_params, [2, 3.0, 1]), TypeError, ["n1", "integer"]),
    ("init_params one size", lambda: call(coursekit.init_params, [2]), ValueError, ["at least"]),
    ("two_moons noise = NaN", lambda: call(data.two_moons, noise=np.nan), ValueError, ["noise", "nan"]),
    ("two_moons noise = −1", lambda: call(data.two_moons, noise=-1), ValueError, ["noise", "≥ 0"]),
    ("two_moons R = 1", lambda: call(data.two_moons, R=1), ValueError, ["R", "≥ 2"]),
    ("two_moons R = 2.0", lambda: call(data.two_moons, R=2.0), ValueError, ["R", "whole number"]),
    ("two_moons seed = −1", lambda: call(data.two_moons, seed=-1), ValueError, ["seed"]),
    ("spirals turns = NaN", lambda: call(data.spirals, turns=np.nan), ValueError, ["turns"]),
    ("spirals noise = 'big'", lambda: call(data.spirals, noise="big"), TypeError, ["noise"]),
    ("linear_regression N = −5", lambda: call(data.linear_regression, N=-5), ValueError, ["N", "≥ 1"]),
    ("linear_regression noise = inf", lambda: call(data.linear_regression, noise=np.inf), ValueError, ["noise"]),
    ("digits test_fraction = 0", lambda: call(data.digits, test_fraction=0), ValueError, ["test_fraction"]),
    ("digits test_fraction = 'half'", lambda: call(data.digits, test_fraction="half"), TypeError,
     ["test_fraction"]),
]
for label, make, kind, words in NUMBERS:
    case(label, make, Error(kind, words))

# memory: requests over the bound say what they would need
case("init_params([40000, 40000])", lambda: call(coursekit.init_params, [40000, 40000]),
     Error(ValueError, ["12.8 GB", "2 GB"]))
case("forward over 10⁸ examples", lambda: call(coursekit.forward, coursekit.init_params([1, 3, 1]),
                                               np.broadcast_to(np.zeros((1, 1)), (1, 10**8))),
     Error(ValueError, ["forward pass", "GB", "fewer examples"]))
case("two_moons(R = 10⁹)", lambda: call(data.two_moons, R=10**9), Error(ValueError, ["GB", "fewer examples"]))
case("a Jacobian of 10⁵ outputs at 3·10³ inputs", lambda: call(calculus.jacobian, lambda v: np.zeros(100_000),
                                                              np.zeros(3000)), Error(ValueError, ["Jacobian", "GB"]))

# finite inputs whose intermediate values overflow: an error naming the layer
case("X = 1e308", lambda: call(coursekit.forward, with_(A0=np.ones((3, 2)))[0], np.full((2, 3), 1e308), "identity"),
     Error(ValueError, ["Z1", "layer 1", "overflows"]))
case("A1 = 1e308 with identity outputs",
     lambda: call(coursekit.total_cost, *with_(A0=np.ones((3, 2)), b0=np.ones((3, 1)), A1=np.full((1, 3), 1e308),
                                               b1=np.array([[1e308]])), "identity"),
     Error(ValueError, ["Z2", "layer 2"]))
case("½ (1e160)² overflows E", lambda: call(coursekit.total_cost, {"A0": np.array([[1e150]]), "b0": np.zeros((1, 1))},
                                            np.array([[1e10]]), np.zeros((1, 1)), "identity"),
     Error(ValueError, ["total cost E = inf"]))
case("δ f0ᵀ = 1e310 overflows ∂E/∂A0", lambda: backward_call({"A0": np.array([[1e-10]]), "b0": np.zeros((1, 1))},
                                                            np.array([[1e160]]), np.zeros((1, 1)), "identity"),
     Error(ValueError, ["∂E/∂A0", "layer 1"]))
case("gradient descent with η = 10⁴ on a linear network",
     lambda: call(coursekit.gradient_descent, coursekit.init_params([2, 8, 1]), *data.two_moons(R=50), 1e4, 200,
                  "identity"), Error(coursekit.Diverged, ["diverged at step t =", "η = 10000"]))
case("gradient descent on targets of 1e150",
     lambda: call(coursekit.gradient_descent, coursekit.init_params([2, 8, 1]), data.two_moons(R=50)[0],
                  1e150 * data.two_moons(R=50)[1], 1e100, 50, ["sigmoid", "identity"]),
     Error(coursekit.Diverged, ["diverged", "η = 1e+100"]))

# central differences: functions that forget return, give NaN, change shape
case("derivative of a function without return", lambda: call(calculus.derivative, lambda x: None, 1.0),
     Error(ValueError, ["returned None", "return"]))
case("gradient of a function without return", lambda: call(calculus.gradient, lambda x: print and None, np.ones(2)),
     Error(ValueError, ["returned None", "x[0]"]))
case("jacobian of a NaN", lambda: call(calculus.jacobian, lambda x: np.array([np.nan, 1.0]), np.ones(2)),
     Error(ValueError, ["non-finite", "x[0]"]))
case("tensor_jacobian of a shape-changing F", lambda: call(calculus.tensor_jacobian,
                                                           lambda A: np.zeros(int(A[0, 0] > 1) + 1), np.ones((2, 2))),
     Error(ValueError, ["shape", "the same shape"]))
case("derivative with h = 0", lambda: call(calculus.derivative, np.sin, 1.0, 0.0), Error(ValueError, ["step h"]))
case("derivative with h below the spacing of floats",
     lambda: call(calculus.derivative, np.sin, 1e8, 1e-12), Error(ValueError, ["too small", "rounds back"]))
case("derivative at x = 'one'", lambda: call(calculus.derivative, np.sin, "one"), Error(TypeError, ["x"]))
case("derivative of a vector function", lambda: call(calculus.derivative, lambda t: [t, 2 * t], 1.0),
     Error(ValueError, ["one number", "jacobian"]))
case("gradient of a string", lambda: call(calculus.gradient, lambda x: "1.0", np.ones(2)),
     Error(TypeError, ["real numbers"]))
case("an unknown scheme", lambda: call(calculus.derivative, np.sin, 1.0, scheme="backward"),
     Error(ValueError, ["scheme", "'central'"]))

# autodiff operands
AUTODIFF = [
    ("Var('abc')", lambda: call(autodiff.Var, "abc"), TypeError, ["real number"]),
    ("Var + str", lambda: call(lambda: autodiff.Var(1.0) + "x"), TypeError, ["operand"]),
    ("Var * None", lambda: call(lambda: autodiff.Var(1.0) * None), TypeError, ["operand"]),
    ("log(−1)", lambda: call(autodiff.log, -1.0), ValueError, ["log(u) needs u > 0"]),
    ("sqrt(−1)", lambda: call(autodiff.sqrt, -1.0), ValueError, ["sqrt(u) needs u > 0"]),
    ("0 ** −1", lambda: call(lambda: autodiff.Var(0.0) ** -1), ValueError, ["u = 0"]),
    ("(−8) ** (1/3)", lambda: call(lambda: autodiff.Var(-8.0) ** (1 / 3)), ValueError, ["whole-number k"]),
    ("exp(1000)", lambda: call(autodiff.exp, 1000.0), ValueError, ["exp(u) overflows"]),
    ("1e200 × 1e200", lambda: call(lambda: autodiff.Var(1e200) * 1e200), ValueError, ["float64 range"]),
    ("1 / Var(0)", lambda: call(lambda: 1.0 / autodiff.Var(0.0)), ZeroDivisionError, ["division by zero"]),
]
for label, make, kind, words in AUTODIFF:
    case(f"autodiff {label}", make, Error(kind, words))

# right answers: valid inputs, however extreme, against the oracles
for activation in ("sigmoid", "tanh", "identity"):
    for cost in ("squared", "binary_cross_entropy"):
        if cost != "squared" and activation != "sigmoid":
            continue
        case(f"total cost, {activation}, {cost}",
             lambda a=activation, c=cost: call(coursekit.total_cost, *lecture(), a, c),
             cost_is(*lecture(), [activation] * 2, cost))
        case(f"backward, {activation}, {cost}", lambda a=activation, c=cost: backward_call(*lecture(), a, c),
             gradients_are(*lecture(), [activation] * 2, cost))
case("backward with ReLU away from its kink", lambda: backward_call(*with_(b0=np.array([[0.3], [0.2], [0.4]])),
                                                                    ["relu", "sigmoid"]),
     gradients_are(*with_(b0=np.array([[0.3], [0.2], [0.4]])), ["relu", "sigmoid"], "squared"))
case("softmax with categorical cross-entropy", lambda: backward_call(*softmax_problem(), ["tanh", "softmax"],
                                                                     "categorical_cross_entropy"),
     gradients_are(*softmax_problem(), ["tanh", "softmax"], "categorical_cross_entropy"))
case("a hidden softmax layer", lambda: backward_call(*softmax_problem(), ["softmax", "sigmoid"], "squared"),
     gradients_are(*softmax_problem(), ["softmax", "sigmoid"], "squared"))
case("the total cost of a softmax output", lambda: call(coursekit.total_cost, *softmax_problem(),
                                                         ["tanh", "softmax"], "categorical_cross_entropy"),
     cost_is(*softmax_problem(), ["tanh", "softmax"], "categorical_cross_entropy"))
case("|Z| = 800 with binary cross-entropy",
     lambda: call(coursekit.total_cost, {"A0": np.array([[800.0], [-800.0]]), "b0": np.zeros((2, 1)),
                                         "A1": np.array([[800.0, -800.0]]), "b1": np.zeros((1, 1))},
                  np.array([[1.0, -1.0]]), np.array([[0.0, 1.0]]), "sigmoid", "binary_cross_entropy"),
     Right(lambda E: E == pytest.approx(1600.0)))           # −log σ(−800) = 800 for each example, by hand
case("|Z| = 800 with categorical cross-entropy",
     lambda: call(coursekit.total_cost, {"A0": np.array([[1.0]]), "b0": np.zeros((1, 1)),
                                         "A1": np.array([[800.0], [0.0], [-800.0]]), "b1": np.zeros((3, 1))},
                  np.array([[1.0, -1.0]]), np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]), ["identity", "softmax"],
                  "categorical_cross_entropy"),
     Right(lambda E: E == pytest.approx(1600.0, rel=1e-15)))  # Z_max − Z_true = 1600, then ≈ 0, by hand
case("np.matrix inputs", lambda: backward_call({k: np.matrix(v) for k, v in lecture()[0].items()},
                                               np.matrix(lecture()[1]), np.matrix(lecture()[2])),
     gradients_are(*lecture(), ["sigmoid"] * 2, "squared"))
case("integer lists", lambda: backward_call({k: np.round(v * 10).astype(int).tolist() for k, v in lecture()[0].items()},
                                            [[0, 0, 1, 1], [0, 1, 0, 1]], [[0, 1, 1, 0]]),
     gradients_are({k: np.round(v * 10) for k, v in lecture()[0].items()}, *lecture()[1:], ["sigmoid"] * 2,
                   "squared", rtol=1e-5))
case("boolean X", lambda: call(coursekit.total_cost, lecture()[0], lecture()[1].astype(bool), lecture()[2]),
     cost_is(*lecture(), ["sigmoid"] * 2, "squared"))
case("a masked array with nothing masked", lambda: call(coursekit.total_cost, lecture()[0],
                                                        np.ma.masked_array(lecture()[1], mask=False), lecture()[2]),
     cost_is(*lecture(), ["sigmoid"] * 2, "squared"))
case("one example (R = 1)", lambda: backward_call(lecture()[0], lecture()[1][:, [2]], lecture()[2][:, [2]]),
     gradients_are(lecture()[0], lecture()[1][:, [2]], lecture()[2][:, [2]], ["sigmoid"] * 2, "squared"))
case("one unit per layer", lambda: backward_call(coursekit.init_params([1, 1, 1], seed=3), np.array([[0.5, -2.0]]),
                                                 np.array([[1.0, 0.0]])),
     gradients_are(coursekit.init_params([1, 1, 1], seed=3), np.array([[0.5, -2.0]]), np.array([[1.0, 0.0]]),
                   ["sigmoid"] * 2, "squared"))
case("ten tanh layers", lambda: backward_call(coursekit.init_params([2] + [3] * 9 + [1], seed=4), *lecture()[1:],
                                              "tanh"),
     gradients_are(coursekit.init_params([2] + [3] * 9 + [1], seed=4), *lecture()[1:], ["tanh"] * 10, "squared"))
case("backward_jacobians equals the oracle", lambda: call(coursekit.backward_jacobians, lecture()[0],
                                                          coursekit.forward(*lecture()[:2]), lecture()[2]),
     gradients_are(*lecture(), ["sigmoid"] * 2, "squared"))
case("an edited plain copy of a trace is used as given",
     lambda: call(coursekit.backward, lecture()[0], {k: v * 1.0 for k, v in coursekit.forward(*lecture()[:2]).items()},
                  lecture()[2]), gradients_are(*lecture(), ["sigmoid"] * 2, "squared"))
case("softmax of ±1000", lambda: call(coursekit.activations.softmax, np.array([[1000.0], [-1000.0], [0.0]])),
     Right(lambda p: np.testing.assert_array_equal(p, [[1.0], [0.0], [0.0]])))


def _doubled_entry():
    rng = np.random.default_rng(0)
    params = coursekit.init_params([30, 20, 1], seed=0)
    X, Y = rng.normal(size=(30, 50)), rng.uniform(size=(1, 50))
    grads = coursekit.backward(params, coursekit.forward(params, X), Y)
    grads["A0"][7, 11] *= 2
    return call(coursekit.gradcheck, params, X, Y, grads=grads)


def _with_grads(change, activation="sigmoid"):
    params, X, Y = lecture()
    grads = coursekit.backward(params, coursekit.forward(params, X, activation), Y, activation)
    change(grads)
    return call(coursekit.gradcheck, params, X, Y, activation, grads=grads)


case("gradcheck: one doubled entry of a 20×30 A0", _doubled_entry,
     Right(lambda c: (c.verdict == "wrong" and c.worst["A0"][0] == (7, 11)
                      and c.errors["A0"] == pytest.approx(0.5, rel=1e-6)) or pytest.fail(repr(c))))
for key in ("A0", "b0", "A1", "b1"):
    for bad in (np.nan, np.inf):
        case(f"gradcheck: {bad} in ∂E/∂{key}", lambda key=key, bad=bad: _with_grads(
            lambda g: g[key].__setitem__((0, 0), bad)), verdict_is("wrong", key))
case("gradcheck: ReLU at XOR's kink", lambda: call(coursekit.gradcheck, coursekit.init_params([2, 3, 1]),
                                                   *data.xor(), ["relu", "sigmoid"]),
     verdict_is("right", warns=KinkWarning))
case("gradcheck: 50 sigmoid layers", lambda: call(coursekit.gradcheck, coursekit.init_params([4] + [5] * 50 + [2],
                                                                                             seed=1),
                                                  np.random.default_rng(0).normal(size=(4, 8)),
                                                  np.random.default_rng(1).uniform(size=(2, 8))), verdict_is("right"))
case("gradcheck: backward_fn with tanh", lambda: call(coursekit.gradcheck, *lecture(), "tanh",
                                                      backward_fn=coursekit.backward), verdict_is("right"))
case("gradcheck: a wrong sign in ∂E/∂A1", lambda: _with_grads(lambda g: g["A1"].__imul__(-1)),
     verdict_is("wrong", "A1"))
case("gradcheck: coursekit's own gradients, cross-entropy",
     lambda: call(coursekit.gradcheck, *lecture(), cost="cross_entropy"), verdict_is("right"))


def _descent_oracle(eta, steps, **kwargs):
    params, X, Y = lecture()
    expected = oracles.train_two_layer(params, X, Y, eta, steps, **kwargs)

    def check(result):
        new, history = result
        for key in expected:
            np.testing.assert_allclose(new[key], expected[key], rtol=1e-10, atol=1e-13)
        assert len(history) == steps + 1
    return Right(check)


case("gradient descent, 50 full-batch steps", lambda: call(coursekit.gradient_descent, *lecture(), 2.0, 50),
     _descent_oracle(2.0, 50))
case("gradient descent, steps = 0", lambda: call(coursekit.gradient_descent, *lecture(), 2.0, 0),
     _descent_oracle(2.0, 0))
case("gradient descent, mini-batches of 3", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, 9,
                                                         batch_size=3, seed=7),
     _descent_oracle(0.5, 9, batch_size=3, seed=7))
case("gradient descent, mini-batches of 1", lambda: call(coursekit.gradient_descent, *lecture(), 0.5, 6,
                                                         batch_size=1),
     _descent_oracle(0.5, 6, batch_size=1, seed=0))
case("gradient descent stopped by its callback after 3 of 10⁹ steps",
     lambda: call(coursekit.gradient_descent, *lecture(), 2.0, 10**9, callback=lambda t, p, E: t == 3),
     _descent_oracle(2.0, 3))
case("gradient of an f that changes its argument",
     lambda: call(calculus.gradient, lambda x: (float(np.sum(x ** 2)), x.__iadd__(130.0))[0], np.array([1.0, 2.0])),
     Right(lambda g: np.testing.assert_allclose(g, [[2.0, 4.0]], rtol=1e-8)))   # ∇ Σ x² = 2x, by hand
case("derivative with a tiny but valid h", lambda: call(calculus.derivative, np.exp, 0.0, 1e-12),
     Right(lambda d: abs(d - 1.0) < 1e-3))
case("0 ** 0 in autodiff", lambda: call(lambda: (autodiff.Var(0.0) ** 0).value), Right(lambda v: v == 1.0))
case("two moons without noise", lambda: call(data.two_moons, R=6, noise=0.0),
     Right(lambda XY: np.testing.assert_allclose(np.sort(np.linalg.norm(XY[0][:, XY[1][0] == 0] - [[-0.5], [-0.25]],
                                                                      axis=0)), 1.0)))


def _kind(expect):
    return "right answer" if isinstance(expect, Right) else "clear error"


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return type(a) is type(b) and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    return True                                              # functions and numbers: nothing to modify in place


@contextmanager
def time_limit(seconds):
    def stop(signum, frame):
        raise TimeoutError(f"the call took more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name, make, expect", CASES, ids=[f"{_kind(e)}: {n}" for n, _, e in CASES])
def test_case(name, make, expect):
    function, args, kwargs = make()
    before = copy.deepcopy((args, kwargs))
    with warnings.catch_warnings(record=True) as caught, time_limit(TIME_LIMIT):
        warnings.simplefilter("always" if isinstance(expect, Right) and expect.warns else "error")
        if isinstance(expect, Error):
            with pytest.raises(expect.kind) as raised:
                function(*args, **kwargs)
            message = str(raised.value)
            for word in expect.words:
                assert word in message, (word, message)
        else:
            expect.check(function(*args, **kwargs))
    if isinstance(expect, Right) and expect.warns:
        assert any(issubclass(w.category, expect.warns) for w in caught), caught
    assert _same(before, (args, kwargs)), "the call changed its inputs"


def test_the_run_has_at_least_a_hundred_classified_cases():
    kinds = [_kind(expect) for _, _, expect in CASES]
    assert len(CASES) >= 100 and kinds.count("clear error") >= 50 and kinds.count("right answer") >= 30, \
        (len(CASES), kinds.count("clear error"), kinds.count("right answer"))
    assert len({name for name, _, _ in CASES}) == len(CASES)
