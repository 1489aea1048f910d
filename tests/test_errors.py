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
    with pytest.raises(ValueError, match=r"'categorical_cross_entropy' needs a softmax output layer.*\['sigmoid', 'softmax'\]|activation=\[…, 'softmax'\]"):
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
