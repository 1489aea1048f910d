"""Bad input is refused with a message that names the lecture symbol (and both shapes), never broadcast."""
import numpy as np
import pytest

import coursekit


def lecture_network():
    params = coursekit.init_params([2, 3, 1], seed=0)
    X = np.array([[0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 1.0, 0.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    return params, X, Y


def with_(params, **changes):
    return {**params, **changes}


@pytest.mark.parametrize("change, words", [
    (lambda p: with_(p, b0=np.zeros(3)), ["b0", "(3, 1)", "(3,)", "broadcast"]),
    (lambda p: with_(p, b1=np.zeros((1, 3))), ["b1", "(1, 1)", "(1, 3)"]),
    (lambda p: with_(p, A1=p["A1"].T), ["A1", "(1, 3)", "(3, 1)", "f1", "Z2"]),
    (lambda p: with_(p, A0=p["A0"].T), ["A0", "(3, 2)", "(2, 3)", "f0", "Z1"]),
    (lambda p: {k: v for k, v in p.items() if k != "b1"}, ["missing", "b1"]),
    (lambda p: {k: v for k, v in p.items() if k != "A0"}, ["missing", "A0"]),
    (lambda p: with_(p, W1=np.zeros((1, 1))), ["unexpected", "W1"]),
    (lambda p: with_(p, A2=np.zeros((1, 1))), ["missing", "b2"]),
    (lambda p: with_(p, A1=np.zeros((0, 3)), b1=np.zeros((0, 1))), ["n2 = 0"]),
    (lambda p: with_(p, A0=np.where(np.eye(3, 2) > 0, np.nan, p["A0"])), ["A0", "non-finite", "nan"]),
    (lambda p: with_(p, b1=np.array([[np.inf]])), ["b1", "non-finite", "inf"]),
    (lambda p: with_(p, A1=[["a", "b", "c"]]), ["A1", "real numbers"]),
    (lambda p: list(p.values()), ["params", "dict"]),
])
def test_bad_params_are_refused_by_name(change, words):
    params, X, Y = lecture_network()
    for call in (lambda: coursekit.forward(change(params), X),
                 lambda: coursekit.total_cost(change(params), X, Y),
                 lambda: coursekit.gradient_descent(change(params), X, Y, eta=0.1, steps=1)):
        with pytest.raises((ValueError, TypeError)) as error:
            call()
        for word in words:
            assert word in str(error.value), (word, str(error.value))


@pytest.mark.parametrize("bad_X, words", [
    (np.zeros((4, 2)), ["X", "n0 = 2", "(4, 2)", "A0", "(3, 2)"]),         # examples as rows, not columns
    (np.zeros((5, 4)), ["X", "n0 = 2", "(5, 4)"]),
    (np.zeros(2), ["X", "2-D", "(2,)"]),
    (np.zeros((2, 0)), ["X", "at least one example"]),
    (np.array([[0.0, np.nan], [1.0, 1.0]]), ["X", "non-finite", "nan"]),
    (np.array([[0.0, -np.inf], [1.0, 1.0]]), ["X", "non-finite", "inf"]),
])
def test_bad_X_is_refused_by_name(bad_X, words):
    params, _, _ = lecture_network()
    with pytest.raises(ValueError) as error:
        coursekit.forward(params, bad_X)
    for word in words:
        assert word in str(error.value), (word, str(error.value))


@pytest.mark.parametrize("bad_Y, cost, words", [
    (np.zeros((4, 1)), "squared", ["Y", "(1, 4)", "(4, 1)", "f2"]),
    (np.zeros((1, 3)), "squared", ["Y", "(1, 4)", "(1, 3)"]),
    (np.zeros((2, 4)), "squared", ["Y", "(1, 4)", "(2, 4)"]),
    (np.zeros(4), "squared", ["Y", "2-D", "(4,)"]),
    (np.array([[0.0, 1.0, np.nan, 0.0]]), "squared", ["Y", "non-finite"]),
    (np.array([[0.0, 1.0, 2.0, 0.0]]), "cross_entropy", ["Y", "[0, 1]", "2.0"]),
    (np.array([[0.0, -0.5, 1.0, 0.0]]), "cross_entropy", ["binary_cross_entropy", "Y", "[0, 1]", "-0.5"]),
    (np.array([[0.0, -0.5, 1.0, 0.0]]), "binary_cross_entropy", ["binary_cross_entropy", "Y", "[0, 1]", "-0.5"]),
])
def test_bad_Y_is_refused_by_name(bad_Y, cost, words):
    params, X, _ = lecture_network()
    trace = coursekit.forward(params, X)
    for call in (lambda: coursekit.total_cost(params, X, bad_Y, cost=cost),
                 lambda: coursekit.backward(params, trace, bad_Y, cost=cost),
                 lambda: coursekit.backward_jacobians(params, trace, bad_Y, cost=cost),
                 lambda: coursekit.gradcheck(params, X, bad_Y, cost=cost)):
        with pytest.raises(ValueError) as error:
            call()
        for word in words:
            assert word in str(error.value), (word, str(error.value))


def test_unknown_activation_and_cost_list_the_valid_names():
    params, X, Y = lecture_network()
    with pytest.raises(ValueError) as error:
        coursekit.forward(params, X, activation="swish")
    assert "'swish'" in str(error.value)
    for name in ("'sigmoid'", "'tanh'", "'relu'", "'identity'", "'softmax'"):
        assert name in str(error.value)
    with pytest.raises(ValueError) as error:
        coursekit.total_cost(params, X, Y, cost="hinge")
    for name in ("'hinge'", "'squared'", "'binary_cross_entropy'", "'cross_entropy'", "'categorical_cross_entropy'"):
        assert name in str(error.value)
    with pytest.raises(ValueError, match="K = 2 layers"):
        coursekit.forward(params, X, activation=["tanh"])
    with pytest.raises(ValueError, match="'binary_cross_entropy' needs sigmoid outputs"):
        coursekit.total_cost(params, X, Y, activation="tanh", cost="cross_entropy")
    with pytest.raises(ValueError, match=r"'categorical_cross_entropy' needs a softmax output layer.*\[…, 'softmax'\]"):
        coursekit.total_cost(params, X, Y, cost="categorical_cross_entropy")


@pytest.mark.parametrize("sizes, words", [
    ([2, 0, 1], ["n1 = 0"]),
    ([0, 3], ["n0 = 0"]),
    ([2], ["at least"]),
    ([2, 3.5, 1], ["n1", "integer"]),
    ("231", ["sizes"]),
])
def test_bad_layer_sizes(sizes, words):
    with pytest.raises((ValueError, TypeError)) as error:
        coursekit.init_params(sizes)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize("change, words", [
    (lambda t: {k: v for k, v in t.items() if k != "Z2"}, ["trace", "Z2", "missing"]),
    (lambda t: {**t, "Z1": t["Z1"][:2]}, ["trace", "Z1", "(2, 4)", "(3, 4)"]),
    (lambda t: {**t, "f3": t["f2"], "Z3": t["Z2"]}, ["trace", "K = 2", "f3"]),
    (lambda t: {k: v for k, v in t.items() if k != "f0"}, ["trace", "f0"]),
    (lambda t: {**t, "f1": t["f1"] * np.nan}, ["f1", "non-finite"]),
])
def test_a_trace_that_does_not_match_the_params_is_refused(change, words):
    params, X, Y = lecture_network()
    trace = change(coursekit.forward(params, X))
    for fn in (coursekit.backward, coursekit.backward_jacobians):
        with pytest.raises(ValueError) as error:
            fn(params, trace, Y)
        for word in words:
            assert word in str(error.value), (word, str(error.value))


def test_trace_of_another_network_is_refused():
    params, X, Y = lecture_network()
    other = coursekit.init_params([2, 4, 1])
    with pytest.raises(ValueError, match=r"trace Z1 has shape \(4, 4\) but A0 gives Z1 of shape \(3, 4\)"):
        coursekit.backward(params, coursekit.forward(other, X), Y)


def test_gradient_descent_arguments():
    params, X, Y = lecture_network()
    with pytest.raises(ValueError, match="η"):
        coursekit.gradient_descent(params, X, Y, eta=-1, steps=3)
    with pytest.raises(ValueError, match="steps"):
        coursekit.gradient_descent(params, X, Y, eta=0.1, steps=2.5)


def softmax_network():
    params = coursekit.init_params([2, 3, 3], seed=0)
    X = np.array([[0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 1.0, 0.0]])
    Y = np.eye(3)[[0, 2, 1, 2]].T                       # one-hot columns (3, 4)
    return params, X, Y, ["sigmoid", "softmax"]


@pytest.mark.parametrize("bad_Y, words", [
    (np.array([[1.0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0.5]]), ["categorical_cross_entropy", "column r = 3",
                                                                "sums to 0.5", "one-hot"]),
    (np.array([[1.0, 0, 0, 2], [0, 0, 1, -1], [0, 1, 0, 0]]), ["categorical_cross_entropy", "[0, 1]", "Y[0, 3]"]),
    (np.zeros((2, 4)), ["Y", "(3, 4)", "(2, 4)"]),
])
def test_categorical_targets_must_be_probability_columns(bad_Y, words):
    params, X, _, activation = softmax_network()
    trace = coursekit.forward(params, X, activation)
    cost = "categorical_cross_entropy"
    for call in (lambda: coursekit.total_cost(params, X, bad_Y, activation, cost),
                 lambda: coursekit.backward(params, trace, bad_Y, activation, cost),
                 lambda: coursekit.backward_jacobians(params, trace, bad_Y, activation, cost),
                 lambda: coursekit.gradcheck(params, X, bad_Y, activation, cost),
                 lambda: coursekit.gradient_descent(params, X, bad_Y, 0.1, 1, activation, cost)):
        with pytest.raises(ValueError) as error:
            call()
        for word in words:
            assert word in str(error.value), (word, str(error.value))


def test_categorical_cross_entropy_needs_two_classes_and_a_softmax_output():
    params = coursekit.init_params([2, 3, 1], seed=0)
    X, Y = np.zeros((2, 2)), np.ones((1, 2))
    with pytest.raises(ValueError, match="n2 ≥ 2 classes.*binary_cross_entropy"):
        coursekit.total_cost(params, X, Y, ["sigmoid", "softmax"], "categorical_cross_entropy")
    params, X, Y, _ = softmax_network()
    with pytest.raises(ValueError, match="'binary_cross_entropy' needs sigmoid outputs"):
        coursekit.total_cost(params, X, Y, ["sigmoid", "softmax"], "binary_cross_entropy")


# ---- when two arrays disagree, the one that is wrong is named -------------------------------------------

@pytest.mark.parametrize("change, words, not_words", [
    (lambda p: with_(p, b0=np.zeros((2, 1))), ["b0 must have shape (3, 1)", "got (2, 1)"], ["A0 must"]),
    (lambda p: with_(p, b1=np.zeros((2, 1))), ["b1 must have shape (1, 1)", "got (2, 1)"], ["A1 must"]),
    (lambda p: with_(p, A1=np.zeros((1, 4))), ["A1 must have shape (1, 3)", "got (1, 4)"], ["A0 must", "b0"]),
    (lambda p: with_(p, A0=np.zeros((4, 2))), ["A0 must have shape (3, 2)", "got (4, 2)"], ["b0 must", "A1 must"]),
    (lambda p: with_(p, A0=np.zeros((3, 5))), ["X (= f0) must have n0 = 5", "A0 (3, 5)"], ["A0 must"]),
])
def test_the_parameter_that_disagrees_is_blamed(change, words, not_words):
    params, X, Y = lecture_network()
    with pytest.raises(ValueError) as error:
        coursekit.forward(change(params), X)
    for word in words:
        assert word in str(error.value), (word, str(error.value))
    for word in not_words:
        assert word not in str(error.value), (word, str(error.value))


# ---- numbers: η, h, seeds, sizes, noise, batch sizes, memory ------------------------------------------

@pytest.mark.parametrize("call, error, words", [
    (lambda p, X, Y: coursekit.gradient_descent(p, X, Y, eta="abc", steps=3), TypeError, ["η", "real number", "'abc'"]),
    (lambda p, X, Y: coursekit.gradient_descent(p, X, Y, eta=float("nan"), steps=3), ValueError, ["η", "nan"]),
    (lambda p, X, Y: coursekit.gradient_descent(p, X, Y, eta=0, steps=3), ValueError, ["η", "> 0"]),
    (lambda p, X, Y: coursekit.gradient_descent(p, X, Y, eta=np.inf, steps=3), ValueError, ["η", "inf"]),
    (lambda p, X, Y: coursekit.gradient_descent(p, X, Y, eta=True, steps=3), TypeError, ["η", "bool"]),
    (lambda p, X, Y: coursekit.gradient_descent(p, X, Y, 0.1, steps=-1), ValueError, ["steps", "≥ 0", "-1"]),
    (lambda p, X, Y: coursekit.gradient_descent(p, X, Y, 0.1, steps=3.0), ValueError, ["steps", "decimal point"]),
    (lambda p, X, Y: coursekit.gradient_descent(p, X, Y, 0.1, 3, callback=5), TypeError, ["callback", "function"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, h=0), ValueError, ["step h", "(0, 0.1]", "1e-4"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, h=-1e-5), ValueError, ["step h"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, h=float("nan")), ValueError, ["step h", "nan"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, h="small"), TypeError, ["step h", "real number"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, h=1.0), ValueError, ["step h", "(0, 0.1]"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, sample=0), ValueError, ["sample", "≥ 1"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, sample="some"), ValueError, ["sample", "'all'"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, seed=-2), ValueError, ["seed", "≥ 0"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, backward_fn="backward"), TypeError, ["backward_fn", "function"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, grads={}, backward_fn=coursekit.backward), ValueError,
     ["either grads", "not both"]),
    (lambda p, X, Y: coursekit.gradcheck(p, X, Y, grads=[1, 2]), TypeError, ["analytic gradients", "dict"]),
    (lambda p, X, Y: coursekit.init_params([2, 3, 1], seed=-1), ValueError, ["seed", "≥ 0", "-1"]),
    (lambda p, X, Y: coursekit.init_params([2, 3, 1], seed=1.5), ValueError, ["seed", "whole number"]),
    (lambda p, X, Y: coursekit.init_params([40000, 40000]), ValueError, ["12.8 GB", "2 GB", "40000-40000"]),
    (lambda p, X, Y: coursekit.forward(coursekit.init_params([1, 20000, 1]), np.zeros((1, 30000))), ValueError,
     ["forward pass", "GB", "R = 30,000", "fewer examples"]),
    (lambda p, X, Y: coursekit.forward(p, "X"), TypeError, ["X", "string"]),
    (lambda p, X, Y: coursekit.forward(p, None), TypeError, ["X", "None"]),
    (lambda p, X, Y: coursekit.forward(p, [[0, 1], [1]]), TypeError, ["X", "ragged"]),
    (lambda p, X, Y: coursekit.forward(p, X + 1j), TypeError, ["X", "complex"]),
    (lambda p, X, Y: coursekit.forward(p, X, activation=["tanh", 3]), ValueError, ["activation", "3", "'sigmoid'"]),
    (lambda p, X, Y: coursekit.forward(p, X, activation=None), TypeError, ["activation", "name"]),
    (lambda p, X, Y: coursekit.total_cost(p, X, Y, cost=None), ValueError, ["cost", "None", "'squared'"]),
    (lambda p, X, Y: coursekit.total_cost(p, X, Y, cost=np.array([1])), ValueError, ["cost", "'squared'"]),
    (lambda p, X, Y: coursekit.data.two_moons(noise=float("nan")), ValueError, ["noise", "nan"]),
    (lambda p, X, Y: coursekit.data.two_moons(noise=-0.1), ValueError, ["noise", "≥ 0"]),
    (lambda p, X, Y: coursekit.data.two_moons(noise="x"), TypeError, ["noise", "real number"]),
    (lambda p, X, Y: coursekit.data.two_moons(R=1), ValueError, ["R", "≥ 2"]),
    (lambda p, X, Y: coursekit.data.two_moons(seed=-1), ValueError, ["seed", "≥ 0"]),
    (lambda p, X, Y: coursekit.data.two_moons(R=10**9), ValueError, ["two_moons", "GB", "fewer"]),
    (lambda p, X, Y: coursekit.data.spirals(turns=0), ValueError, ["turns", "> 0"]),
    (lambda p, X, Y: coursekit.data.spirals(noise=np.inf), ValueError, ["noise", "inf"]),
    (lambda p, X, Y: coursekit.data.linear_regression(N=0), ValueError, ["N", "≥ 1"]),
    (lambda p, X, Y: coursekit.data.linear_regression(seed="a"), ValueError, ["seed", "whole number"]),
    (lambda p, X, Y: coursekit.data.digits(test_fraction=1.0), ValueError, ["test_fraction", "(0, 1)"]),
    (lambda p, X, Y: coursekit.data.digits(test_fraction=1e-5), ValueError, ["test_fraction", "no test example"]),
    (lambda p, X, Y: coursekit.data.digits(seed=-3), ValueError, ["seed", "≥ 0"]),
    (lambda p, X, Y: coursekit.activations.activation_pair("softmax"), ValueError, ["softmax", "softmax_jacobian"]),
])
def test_bad_arguments_are_refused_by_name_with_the_fix(call, error, words):
    params, X, Y = lecture_network()
    with pytest.raises(error) as raised:
        call(params, X, Y)
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))


@pytest.mark.parametrize("name", ["squared_error", "squared_error_grad", "binary_cross_entropy",
                                  "binary_cross_entropy_grad", "categorical_cross_entropy",
                                  "categorical_cross_entropy_grad"])
def test_the_cost_functions_refuse_shapes_that_would_broadcast(name):
    function = getattr(coursekit.costs, name)
    with pytest.raises(ValueError, match=r"f_K \(1, 4\) and Y \(4, 1\)"):
        function(np.full((1, 4), 0.5), np.full((4, 1), 0.5))
    with pytest.raises(ValueError, match=r"f_K \(3,\) and Y \(3,\).*columns"):
        function(np.full(3, 0.5), np.full(3, 0.5))
    with pytest.raises(TypeError, match="Y must hold real numbers"):
        function(np.full((1, 2), 0.5), [["a", "b"]])
