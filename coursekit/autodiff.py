"""A tiny reverse-mode automatic differentiation on scalars, and eq. (5.109) as its computational graph.

Each Var keeps its value, its parents (an ordered tuple) and the local derivatives ∂self/∂parent. backward()
visits the graph in reverse topological order and applies the chain rule: every node passes
∂f/∂node · ∂node/∂parent back to each parent (the adjoints of §5.6).
"""
import math
import numbers

from .reference import reference_module

reference_module(__name__, "autodiff")


class Var:
    """A scalar node: value, grad = ∂f/∂(this node) after f.backward(), parents with local derivatives."""

    def __init__(self, value, parents=(), local=(), op="", name=""):
        # a finite float passes as it is (x − x is 0 only for finite x); anything else is converted or refused
        self.value = value if type(value) is float and value - value == 0.0 else \
            _number(value, f"the value of {op or 'a Var'}")
        self.grad = 0.0
        self.parents = tuple(parents)
        self.local = tuple(d if type(d) is float and d - d == 0.0 else _number(d, f"∂({op})/∂(input {i + 1})")
                           for i, d in enumerate(local))   # local[i] = ∂self/∂parents[i] at the current values
        self.op = op
        self.name = name

    def __repr__(self):
        label = f"{self.name} = " if self.name else ""
        return f"Var({label}{self.value:.6g}, grad={self.grad:.6g}{', op=' + self.op if self.op else ''})"

    def __add__(self, other):
        other = lift(other)
        return Var(self.value + other.value, (self, other), (1.0, 1.0), "+")           # ∂(u+v)/∂u = 1

    def __mul__(self, other):
        other = lift(other)
        return Var(self.value * other.value, (self, other), (other.value, self.value), "×")  # ∂(uv)/∂u = v

    def __pow__(self, k):
        if isinstance(k, Var):
            raise TypeError("only a constant power u**k is supported; write exp(k * log(u)) for a variable k")
        k, u = _number(k, "the power k in u ** k"), self.value
        if k == 0:
            return Var(1.0, (self,), (0.0,), "^0")         # u⁰ = 1, a constant (also at u = 0)
        if u < 0 and not k.is_integer():
            raise ValueError(f"u ** k needs a whole-number k when u = {u:g} < 0 (the result would be complex); "
                             f"got k = {k:g}")
        if u == 0 and k < 1:
            raise ValueError(f"u ** k at u = 0 with k = {k:g} < 1 has no finite derivative (k u^(k−1) is "
                             f"infinite); move u away from 0")
        return Var(u ** k, (self,), (k * u ** (k - 1),), f"^{k:g}")  # ∂u^k/∂u = k u^(k−1)

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-lift(other))

    def __truediv__(self, other):
        other = lift(other)
        if other.value == 0:
            raise ZeroDivisionError(f"division by zero in u / v: v = 0 (u = {self.value:g})")
        return self * other ** -1

    def __radd__(self, other):
        return lift(other) + self

    def __rmul__(self, other):
        return lift(other) * self

    def __rsub__(self, other):
        return lift(other) - self

    def __rtruediv__(self, other):
        return lift(other) / self

    def backward(self):
        """Fill .grad = ∂self/∂node for every node of the graph; calling it again gives the same grads."""
        order = topological_order(self)
        for node in order:
            node.grad = 0.0                                 # reset, so a second call does not double
        self.grad = 1.0                                     # ∂f/∂f = 1
        for node in reversed(order):                        # outputs before inputs
            for parent, d in zip(node.parents, node.local):
                parent.grad += node.grad * d                # ∂f/∂parent += ∂f/∂node · ∂node/∂parent


def _number(x, what):
    """x as a finite float; TypeError/ValueError naming `what` for anything else."""
    if type(x) is float or type(x) is int:
        x = float(x)
        if x - x == 0.0:
            return x
    elif isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number (autodiff works on scalars); got {type(x).__name__} "
                        f"{str(x)[:40]!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{what} is {x}: an intermediate result left the float64 range (or a non-finite "
                         f"number was given); autodiff needs finite values")
    return x


def lift(x):
    """A Var as is, a number as a constant Var; TypeError for anything else."""
    if isinstance(x, Var):
        return x
    return Var(x if type(x) is float and x - x == 0.0 else _number(x, "an operand of a Var operation"), op="const")


def topological_order(output):
    """Every node that `output` depends on, each after all of its parents (iterative, no recursion limit)."""
    order, seen, stack = [], set(), [(output, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
    return order


def exp(u):
    """e^u; ∂e^u/∂u = e^u."""
    u = lift(u)
    if u.value > 709.78:
        raise ValueError(f"exp(u) overflows float64 for u = {u.value:g} > 709.78")
    e = math.exp(u.value)
    return Var(e, (u,), (e,), "exp")


def log(u):
    """ln u for u > 0; ∂ ln u/∂u = 1/u."""
    u = lift(u)
    if u.value <= 0:
        raise ValueError(f"log(u) needs u > 0; got u = {u.value:g}")
    return Var(math.log(u.value), (u,), (1.0 / u.value,), "log")


def sqrt(u):
    """√u for u > 0; ∂√u/∂u = 1/(2√u)."""
    u = lift(u)
    if u.value <= 0:
        raise ValueError(f"sqrt(u) needs u > 0 (at u = 0 its derivative 1/(2√u) is infinite); got u = {u.value:g}")
    s = math.sqrt(u.value)
    return Var(s, (u,), (0.5 / s,), "sqrt")


def sin(u):
    """sin u; ∂ sin u/∂u = cos u."""
    u = lift(u)
    return Var(math.sin(u.value), (u,), (math.cos(u.value),), "sin")


def cos(u):
    """cos u; ∂ cos u/∂u = −sin u."""
    u = lift(u)
    return Var(math.cos(u.value), (u,), (-math.sin(u.value),), "cos")


def tanh(u):
    """tanh u; ∂ tanh u/∂u = 1 − tanh² u."""
    u = lift(u)
    t = math.tanh(u.value)
    return Var(t, (u,), (1.0 - t * t,), "tanh")


def sigmoid(u):
    """σ(u) = 1/(1 + e^(−u)); σ'(u) = σ(u)(1 − σ(u))."""
    u = lift(u)
    s = 0.5 * (1.0 + math.tanh(0.5 * u.value))
    return Var(s, (u,), (s * (1.0 - s),), "σ")


# ---- eq. (5.109) as a computational graph -------------------------------------------------------------

def named(name, node):
    """Give a node the name it has in the lecture's derivation, and return it."""
    node.name = name
    return node


def graph_5_109(x):
    """f(x) = √(x² + exp(x²)) + cos(x² + exp(x²)) (5.109) as named intermediate nodes {x, a, b, c, d, e, f}."""
    x = Var(x, name="x")
    a = named("a", x ** 2)        # a = x²
    b = named("b", exp(a))        # b = exp(a)
    c = named("c", a + b)         # c = a + b
    d = named("d", sqrt(c))       # d = √c
    e = named("e", cos(c))        # e = cos(c)
    f = named("f", d + e)         # f = d + e
    return {"x": x, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def _x_of_5_109(x):
    """x as a float for which e^(x²) stays finite (|x| ≤ 26.6)."""
    x = _number(x, "x")
    if x * x > 709.78:
        raise ValueError(f"(5.109) at x = {x:g} overflows float64: e^(x²) needs x² ≤ 709.78, i.e. |x| ≤ 26.6")
    return x


def f_5_109(x):
    """(5.109) evaluated directly with math: √(x² + e^(x²)) + cos(x² + e^(x²))."""
    x = _x_of_5_109(x)
    c = x * x + math.exp(x * x)
    return math.sqrt(c) + math.cos(c)


def df_5_110(x):
    """(5.110), the derivative written out by hand: 2x (1/(2√c) − sin c)(1 + e^(x²)) with c = x² + e^(x²)."""
    x = _x_of_5_109(x)
    c = x * x + math.exp(x * x)
    return 2 * x * (1 / (2 * math.sqrt(c)) - math.sin(c)) * (1 + math.exp(x * x))
