"""Student-style answers for the exercises of notebooks 06–07 (see answers.py)."""
import math  # noqa: F401

import numpy as np  # noqa: F401

import coursekit  # noqa: F401
from answers import answer, central, sigma  # noqa: F401


# ------------------------------------------------------------------------------------- 06-local-backward

@answer("correct", "06-local-backward")
def local_backward(op, inputs, out, out_grad):
    if op == "add":
        return (out_grad, out_grad)
    elif op == "mul":
        u, v = inputs
        return (out_grad * v, out_grad * u)
    elif op == "exp":
        return (out_grad * out,)
    elif op == "log":
        return (out_grad / inputs[0],)
    elif op == "sigmoid":
        return (out_grad * out * (1 - out),)
    raise ValueError(op)


RULES = {
    "add": lambda u, v, out: [1.0, 1.0],
    "mul": lambda u, v, out: [v, u],
    "exp": lambda u, out: [out],
    "log": lambda u, out: [1 / u],
    "sigmoid": lambda u, out: [out - out ** 2],
}


@answer("correct", "06-local-backward")
def local_backward_table(op, inputs, out, out_grad):
    return [out_grad * d for d in RULES[op](*inputs, out)]


@answer("correct", "06-local-backward")
def local_backward_from_inputs(op, inputs, out, out_grad):
    # recomputes every local derivative from the inputs (overflow-safe σ via tanh)
    if op == "sigmoid":
        s = 0.5 * (1 + math.tanh(inputs[0] / 2))
        return (out_grad * s * (1 - s),)
    if op == "exp":
        return (out_grad * math.exp(inputs[0]),)
    if op == "log":
        return (out_grad * inputs[0] ** -1,)
    if op == "mul":
        return (inputs[1] * out_grad, inputs[0] * out_grad)
    return tuple(out_grad for _ in inputs)


FORWARD = {"add": lambda u, v: u + v, "mul": lambda u, v: u * v, "exp": math.exp, "log": math.log,
           "sigmoid": lambda u: 0.5 * (1 + math.tanh(u / 2))}


@answer("numerical", "06-local-backward")
def local_backward_by_differences(op, inputs, out, out_grad, h=1e-5):
    shares = []
    for k in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[k] += h
        down[k] -= h
        shares.append(out_grad * (FORWARD[op](*up) - FORWARD[op](*down)) / (2 * h))
    return tuple(shares)


@answer("delegating", "06-local-backward")
def local_backward_by_autodiff(op, inputs, out, out_grad):
    from coursekit.autodiff import Var, exp, log, sigmoid
    nodes = [Var(u) for u in inputs]
    made = {"add": lambda: nodes[0] + nodes[1], "mul": lambda: nodes[0] * nodes[1], "exp": lambda: exp(nodes[0]),
            "log": lambda: log(nodes[0]), "sigmoid": lambda: sigmoid(nodes[0])}[op]()
    return tuple(out_grad * d for d in made.local)


# ---------------------------------------------------------------------------------- 06-topological-order

@answer("correct", "06-topological-order")
def topological_order(parents, output):
    order, visited = [], set()

    def visit(node):
        if node in visited:
            return
        visited.add(node)
        for p in parents[node]:
            visit(p)
        order.append(node)
    visit(output)
    return order


@answer("correct", "06-topological-order")
def topological_order_kahn(parents, output):
    waiting = {node: len(set(ps)) for node, ps in parents.items()}
    children = {node: [] for node in parents}
    for node, ps in parents.items():
        for p in set(ps):
            children[p].append(node)
    ready = [node for node, count in waiting.items() if count == 0]
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for child in children[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return tuple(order)


@answer("correct", "06-topological-order")
def topological_order_placed(parents, output):
    # repeatedly place every node whose parents are all placed
    placed = []
    while len(placed) < len(parents):
        for node in parents:
            if node not in placed and all(p in placed for p in parents[node]):
                placed.append(node)
    return np.array(placed)


@answer("delegating", "06-topological-order")
def topological_order_by_autodiff(parents, output):
    from coursekit.autodiff import Var, topological_order as order_of
    made = {}

    def var(node):
        if node not in made:
            made[node] = Var(0.0, [var(p) for p in parents[node]], [1.0] * len(parents[node]), name=str(node))
        return made[node]
    return [int(v.name) for v in order_of(var(output))]


# ------------------------------------------------------------------------------------------- 06-engine

class Node:
    def __init__(self, value, op="", parents=()):
        self.value, self.op, self.parents, self.grad = float(value), op, tuple(parents), 0.0

    def __add__(self, other):
        other = other if isinstance(other, Node) else Node(other)
        return Node(self.value + other.value, "add", (self, other))

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Node) else Node(other)
        return Node(self.value * other.value, "mul", (self, other))

    __rmul__ = __mul__

    def __sub__(self, other):
        return self + (-1.0) * other

    def sigmoid(self):
        return Node(0.5 * (1 + math.tanh(self.value / 2)), "sigmoid", (self,))


def graph_of(output):
    graph, stack = {}, [output]
    while stack:
        node = stack.pop()
        if node not in graph:
            graph[node] = list(node.parents)
            stack.extend(node.parents)
    return graph


def backward(output):
    order = topological_order(graph_of(output), output)
    for node in order:
        node.grad = 0.0
    output.grad = 1.0
    for node in reversed(order):
        if node.parents:
            shares = local_backward(node.op, [p.value for p in node.parents], node.value, node.grad)
            for parent, share in zip(node.parents, shares):
                parent.grad += share


@answer("correct", "06-engine")
def engine_gradients(params, X, Y):
    nodes = {key: [[Node(v) for v in row] for row in value] for key, value in params.items()}
    E = Node(0.0)
    for r in range(X.shape[1]):
        f = [Node(v) for v in X[:, r]]
        for i in range(2):
            A, b = nodes[f"A{i}"], nodes[f"b{i}"]
            f = [sum((A[j][k] * f[k] for k in range(len(f))), b[j][0]).sigmoid() for j in range(len(A))]
        for m in range(len(f)):
            e = f[m] - Y[m, r]
            E = E + 0.5 * e * e
    backward(E)
    return {key: np.array([[n.grad for n in row] for row in value]) for key, value in nodes.items()}


@answer("correct", "06-engine")
def engine_gradients_matrix_style(params, X, Y):
    # the forward pass with lists of nodes per layer, all examples at once; E built as Σ e·e·½
    A0 = [[Node(a) for a in row] for row in params["A0"]]
    b0 = [Node(b) for b in params["b0"][:, 0]]
    A1 = [[Node(a) for a in row] for row in params["A1"]]
    b1 = [Node(b) for b in params["b1"][:, 0]]
    terms = []
    for r in range(X.shape[1]):
        hidden = []
        for j in range(len(A0)):
            z = b0[j]
            for k in range(X.shape[0]):
                z = z + A0[j][k] * X[k, r]
            hidden.append(z.sigmoid())
        for m in range(len(A1)):
            z = b1[m]
            for j in range(len(hidden)):
                z = z + A1[m][j] * hidden[j]
            e = z.sigmoid() - Y[m, r]
            terms.append(e * e * 0.5)
    E = terms[0]
    for t in terms[1:]:
        E = E + t
    backward(E)
    return {"A0": np.array([[n.grad for n in row] for row in A0]), "b0": np.array([[n.grad] for n in b0]),
            "A1": np.array([[n.grad for n in row] for row in A1]), "b1": np.array([[n.grad] for n in b1])}


@answer("numerical", "06-engine")
def engine_gradients_by_differences(params, X, Y):
    def E(p):
        f1 = sigma(p["A0"] @ X + p["b0"])
        return 0.5 * np.sum((sigma(p["A1"] @ f1 + p["b1"]) - Y) ** 2)
    return {key: central(lambda v, key=key: E({**params, key: v}), value) for key, value in params.items()}


@answer("delegating", "06-engine")
def engine_gradients_by_coursekit(params, X, Y):
    return coursekit.backward(params, coursekit.forward(params, X), Y)


@answer("delegating", "06-engine")
def engine_gradients_by_an_alias(params, X, Y):
    from coursekit.network import backward as backprop, forward as run
    return backprop(params, run(params, X), Y)


# ------------------------------------------------------------------------------------- 07-jacobian-chain

@answer("correct", "07-jacobian-chain")
def gradient_rows(dL_dfK, orange, blue):
    K = len(blue)
    rows = [None] * K
    row = dL_dfK
    for i in range(K - 1, -1, -1):
        if i < K - 1:
            row = row @ orange[i + 1]
        rows[i] = row @ blue[i]
    return rows


@answer("correct", "07-jacobian-chain")
def gradient_rows_from_scratch(dL_dfK, orange, blue):
    rows = []
    for i in range(len(blue)):
        chain = dL_dfK.copy()
        for j in reversed(range(i + 1, len(blue))):
            chain = chain @ orange[j]
        rows.append(chain @ blue[i])
    return tuple(rows)


@answer("correct", "07-jacobian-chain")
def gradient_rows_recursive(dL_dfK, orange, blue):
    def dL_df(k):                               # ∂L/∂f_k, a row
        return dL_dfK if k == len(blue) else dL_df(k + 1) @ orange[k]
    return [dL_df(i + 1) @ blue[i] for i in range(len(blue))]


# ---------------------------------------------------------------------------------------- 07-reuse-count

@answer("correct", "07-reuse-count")
def multiply_adds(sizes, reuse):
    K = len(sizes) - 1
    total = 0
    for i in range(K):
        total += sizes[i + 1] + sizes[i + 1] * sizes[i]              # row ⊙ σ', then the outer product
        if reuse:
            if i + 1 <= K - 1:
                total += sizes[i + 2] * sizes[i + 1]
        else:
            for j in range(i + 1, K):
                total += sizes[j + 1] * sizes[j]
    return total


@answer("correct", "07-reuse-count")
def multiply_adds_closed_form(sizes, reuse):
    n = np.array(sizes)
    K = len(n) - 1
    orange = n[2:] * n[1:-1]                                  # cost of ∂f_{j+1}/∂f_j for j = 1 … K−1
    blue = np.sum(n[1:] * (n[:-1] + 1))
    if reuse:
        return int(np.sum(orange) + blue)
    times = np.arange(1, K)                                   # factor j is used by the layers i = 0 … j−1
    return int(np.sum(orange * times) + blue)
