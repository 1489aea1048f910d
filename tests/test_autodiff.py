"""The reverse-mode engine against (5.110), written by hand, and against central differences."""
import math

import numpy as np
import pytest

from coursekit import autodiff
from coursekit.autodiff import Var, cos, exp, graph_5_109, log, sigmoid, sin, sqrt, tanh
from coursekit.calculus import derivative


@pytest.mark.parametrize("x", np.linspace(-1.5, 1.5, 31))
def test_graph_of_5_109_agrees_with_5_110(x):
    nodes = graph_5_109(x)
    f = nodes["f"]
    assert f.value == pytest.approx(autodiff.f_5_109(x), rel=1e-15)
    f.backward()
    assert nodes["x"].grad == pytest.approx(autodiff.df_5_110(x), rel=1e-12, abs=1e-12)
    assert nodes["x"].grad == pytest.approx(derivative(autodiff.f_5_109, x), rel=1e-6, abs=1e-8)


def test_adjoints_of_the_intermediate_nodes():
    # by hand: ∂f/∂d = 1, ∂f/∂e = 1, ∂f/∂c = 1/(2√c) − sin c, ∂f/∂b = ∂f/∂c, ∂f/∂a = ∂f/∂c (1 + e^a)
    x = 0.7
    nodes = graph_5_109(x)
    nodes["f"].backward()
    a = x * x
    c = a + math.exp(a)
    dc = 1 / (2 * math.sqrt(c)) - math.sin(c)
    assert nodes["d"].grad == nodes["e"].grad == 1.0
    assert nodes["c"].grad == pytest.approx(dc, rel=1e-14)
    assert nodes["b"].grad == pytest.approx(dc, rel=1e-14)
    assert nodes["a"].grad == pytest.approx(dc * (1 + math.exp(a)), rel=1e-14)
    assert [n.name for n in autodiff.topological_order(nodes["f"])] == ["x", "a", "b", "c", "d", "e", "f"]


def test_backward_twice_gives_the_same_gradients():
    nodes = graph_5_109(0.3)
    nodes["f"].backward()
    first = {name: node.grad for name, node in nodes.items()}
    nodes["f"].backward()
    assert {name: node.grad for name, node in nodes.items()} == first


def test_each_operation_against_central_differences():
    cases = {
        "add": lambda u: u + 2.0 + u, "sub": lambda u: 3.0 - u - u * u, "mul": lambda u: 2.0 * u * u,
        "div": lambda u: 1.0 / (u + 3.0) + u / 2.0, "pow": lambda u: (u + 2.0) ** 2.5, "neg": lambda u: -u,
        "exp": exp, "log": lambda u: log(u + 2.0), "sqrt": lambda u: sqrt(u + 2.0), "sin": sin, "cos": cos,
        "tanh": tanh, "sigmoid": sigmoid,
    }
    for name, g in cases.items():
        for x in (-0.8, 0.1, 1.3):
            u = Var(x)
            out = g(u)
            out.backward()
            numeric = derivative(lambda t: g(Var(t)).value, x)
            assert u.grad == pytest.approx(numeric, rel=1e-7, abs=1e-9), name


def test_a_node_used_twice_sums_both_paths():
    u = Var(1.5)
    v = u * u                     # d(u²)/du = 2u: u is a parent twice
    v.backward()
    assert u.grad == 3.0
    with pytest.raises(TypeError, match="constant power"):
        u ** Var(2.0)


def test_deep_chain_has_no_recursion_limit():
    u = Var(0.5)
    out = u
    for _ in range(5000):
        out = out * 1.0001
    out.backward()
    assert u.grad == pytest.approx(1.0001 ** 5000, rel=1e-12)


@pytest.mark.parametrize("call, error, words", [
    (lambda: Var("abc"), TypeError, ["real number", "'abc'"]),
    (lambda: Var(1.0) + "a", TypeError, ["operand", "real number"]),
    (lambda: Var(1.0) * [1], TypeError, ["operand", "list"]),
    (lambda: Var(float("nan")), ValueError, ["nan", "finite"]),
    (lambda: log(Var(-1.0)), ValueError, ["log(u) needs u > 0", "-1"]),
    (lambda: log(0.0), ValueError, ["log(u) needs u > 0"]),
    (lambda: sqrt(Var(-4.0)), ValueError, ["sqrt(u) needs u > 0"]),
    (lambda: sqrt(Var(0.0)), ValueError, ["infinite"]),
    (lambda: Var(0.0) ** -1, ValueError, ["u = 0", "k = -1"]),
    (lambda: Var(-2.0) ** 0.5, ValueError, ["whole-number k", "complex"]),
    (lambda: Var(2.0) ** "x", TypeError, ["power k", "real number"]),
    (lambda: exp(Var(1000.0)), ValueError, ["exp(u) overflows", "709.78"]),
    (lambda: Var(1e200) * Var(1e200), ValueError, ["inf", "float64 range"]),
    (lambda: Var(1.0) / 0.0, ZeroDivisionError, ["division by zero", "v = 0"]),
    (lambda: autodiff.graph_5_109("x"), TypeError, ["real number"]),
    (lambda: autodiff.f_5_109(30.0), ValueError, ["(5.109)", "|x| ≤ 26.6"]),
])
def test_bad_operands_are_refused_by_name(call, error, words):
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))


def test_zero_to_the_zero_is_one_with_derivative_zero():
    u = Var(0.0)
    v = u ** 0
    v.backward()
    assert v.value == 1.0 and u.grad == 0.0
    w = Var(0.0)
    (w ** 2).backward()                                  # d(u²)/du = 2u = 0 at u = 0
    assert w.grad == 0.0
    z = Var(0.0)
    (z ** 1).backward()
    assert z.grad == 1.0
