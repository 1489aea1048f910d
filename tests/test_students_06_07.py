"""A class of wrong answers to the exercises of notebooks 06–07, written the way students write them (not the
catalogue's mutants): none may pass, none may break the checker, and at least three quarters must be told
what their mistake is (a diagnosis other than the generic "wrong_values" / "raises")."""
import math
from collections import Counter

import numpy as np
import pytest

from coursekit.exercises import check

STUDENTS = []          # (exercise id, answer, what a teacher would say)
GENERIC = {"wrong_values", "raises"}


def student(exercise_id, mistake):
    def add(function):
        STUDENTS.append((exercise_id, function, mistake))
        return function
    return add


# ------------------------------------------------------------------------------------------- 06-adjoints

@student("06-adjoints", "forgets the direct path a → c")
def adjoints_5_109(x):
    a = x ** 2
    b = math.exp(a)
    c = a + b
    f_bar = d_bar = e_bar = 1.0
    c_bar = d_bar / (2 * math.sqrt(c)) - e_bar * math.sin(c)
    b_bar = c_bar
    a_bar = b_bar * b
    return {"f": f_bar, "e": e_bar, "d": d_bar, "c": c_bar, "b": b_bar, "a": a_bar, "x": a_bar * 2 * x}


@student("06-adjoints", "∂a/∂x written as x")
def adjoints_x_not_2x(x):
    a, b = x * x, math.exp(x * x)
    c = a + b
    grads = {"f": 1.0, "d": 1.0, "e": 1.0}
    grads["c"] = 0.5 / math.sqrt(c) - math.sin(c)
    grads["b"] = grads["c"]
    grads["a"] = grads["c"] + grads["b"] * b
    grads["x"] = grads["a"] * x
    return grads


@student("06-adjoints", "d/dc √c taken as 1/(2c)")
def adjoints_sqrt_slip(x):
    a = x ** 2
    b = math.exp(a)
    c = a + b
    dc = 1 / (2 * c) - math.sin(c)
    da = dc * (1 + b)
    return {"f": 1.0, "e": 1.0, "d": 1.0, "c": dc, "b": dc, "a": da, "x": 2 * x * da}


@student("06-adjoints", "∂b/∂a taken as exp(x)")
def adjoints_exp_of_x(x):
    a = x ** 2
    c = a + math.exp(a)
    c_bar = 1 / (2 * math.sqrt(c)) - math.sin(c)
    a_bar = c_bar + c_bar * math.exp(x)
    return {"f": 1.0, "e": 1.0, "d": 1.0, "c": c_bar, "b": c_bar, "a": a_bar, "x": 2 * x * a_bar}


@student("06-adjoints", "+ sin instead of − sin")
def adjoints_plus_sin(x):
    a = x ** 2
    b = math.exp(a)
    c = a + b
    c_bar = 1 / (2 * math.sqrt(c)) + math.sin(c)
    a_bar = c_bar * (1 + b)
    return {"f": 1.0, "e": 1.0, "d": 1.0, "c": c_bar, "b": c_bar, "a": a_bar, "x": 2 * x * a_bar}


@student("06-adjoints", "runs forward mode (∂node/∂x) instead")
def adjoints_forward_mode(x):
    t = {"x": 1.0}
    a = x * x
    t["a"] = 2 * x * t["x"]
    b = math.exp(a)
    t["b"] = b * t["a"]
    c = a + b
    t["c"] = t["a"] + t["b"]
    t["d"] = t["c"] / (2 * math.sqrt(c))
    t["e"] = -math.sin(c) * t["c"]
    t["f"] = t["d"] + t["e"]
    return t


@student("06-adjoints", "two slips: + sin, and x for 2x")
def adjoints_two_slips(x):
    a = x ** 2
    b = math.exp(a)
    c = a + b
    c_bar = 1 / (2 * math.sqrt(c)) + math.sin(c)
    a_bar = c_bar * (1 + b)
    return {"f": 1.0, "e": 1.0, "d": 1.0, "c": c_bar, "b": c_bar, "a": a_bar, "x": x * a_bar}


# ------------------------------------------------------------------------------------- 06-local-backward

@student("06-local-backward", "mul does not swap the inputs")
def local_backward(op, inputs, out, out_grad):
    if op == "add":
        return (out_grad, out_grad)
    if op == "mul":
        return (out_grad * inputs[0], out_grad * inputs[1])
    if op == "exp":
        return (out_grad * out,)
    if op == "log":
        return (out_grad / inputs[0],)
    return (out_grad * out * (1 - out),)


@student("06-local-backward", "add splits the gradient in half")
def local_backward_split(op, inputs, out, out_grad):
    rules = {"add": lambda: [out_grad / 2, out_grad / 2],
             "mul": lambda: [out_grad * inputs[1], out_grad * inputs[0]],
             "exp": lambda: [out_grad * out], "log": lambda: [out_grad / inputs[0]],
             "sigmoid": lambda: [out_grad * out * (1 - out)]}
    return rules[op]()


@student("06-local-backward", "returns the local derivatives without out_grad")
def local_backward_no_chain(op, inputs, out, out_grad):
    if op == "add":
        return 1.0, 1.0
    elif op == "mul":
        u, v = inputs
        return v, u
    elif op == "exp":
        return (out,)
    elif op == "log":
        return (1 / inputs[0],)
    else:
        return (out * (1 - out),)


@student("06-local-backward", "σ' = σ, forgot (1 − σ)")
def local_backward_sigmoid_half(op, inputs, out, out_grad):
    if op == "sigmoid":
        s = out
        return (out_grad * s,)
    if op == "add":
        return (out_grad, out_grad)
    if op == "mul":
        return (out_grad * inputs[1], out_grad * inputs[0])
    if op == "exp":
        return (out_grad * math.exp(inputs[0]),)
    return (out_grad / inputs[0],)


@student("06-local-backward", "σ' from the input with math.exp(−u): overflows")
def local_backward_sigmoid_exp(op, inputs, out, out_grad):
    if op == "sigmoid":
        u = inputs[0]
        s = 1 / (1 + math.exp(-u))
        return (out_grad * s * (1 - s),)
    if op == "mul":
        return (out_grad * inputs[1], out_grad * inputs[0])
    if op == "add":
        return (out_grad, out_grad)
    if op == "exp":
        return (out_grad * out,)
    return (out_grad / inputs[0],)


@student("06-local-backward", "d log u = log u")
def local_backward_log(op, inputs, out, out_grad):
    u = inputs[0]
    if op == "log":
        return (out_grad * math.log(u),)
    if op == "exp":
        return (out_grad * out,)
    if op == "sigmoid":
        return (out_grad * out * (1 - out),)
    if op == "mul":
        return (out_grad * inputs[1], out_grad * u)
    return (out_grad, out_grad)


@student("06-local-backward", "exp of the output")
def local_backward_exp_out(op, inputs, out, out_grad):
    if op in ("add",):
        return [out_grad] * 2
    if op == "mul":
        return [inputs[1] * out_grad, inputs[0] * out_grad]
    if op == "exp":
        return [math.exp(out) * out_grad]
    if op == "log":
        return [out_grad / inputs[0]]
    if op == "sigmoid":
        return [out * (1 - out) * out_grad]


@student("06-local-backward", "bare numbers for the one-input operations")
def local_backward_bare(op, inputs, out, out_grad):
    if op == "add":
        return (out_grad, out_grad)
    if op == "mul":
        return (out_grad * inputs[1], out_grad * inputs[0])
    if op == "exp":
        return out_grad * out
    if op == "log":
        return out_grad / inputs[0]
    return out_grad * out * (1 - out)


@student("06-local-backward", "two rules wrong: mul not swapped and add halved")
def local_backward_two(op, inputs, out, out_grad):
    table = {
        "add": lambda u, v: (out_grad * 0.5, out_grad * 0.5),
        "mul": lambda u, v: (out_grad * u, out_grad * v),
        "exp": lambda u: (out_grad * out,),
        "log": lambda u: (out_grad / u,),
        "sigmoid": lambda u: (out_grad * out * (1 - out),),
    }
    return table[op](*inputs)


@student("06-local-backward", "forgets out_grad in exp and sigmoid only")
def local_backward_some_chain(op, inputs, out, out_grad):
    if op == "add":
        return (out_grad, out_grad)
    if op == "mul":
        return (out_grad * inputs[1], out_grad * inputs[0])
    if op == "exp":
        return (out,)
    if op == "log":
        return (out_grad / inputs[0],)
    return (out * (1 - out),)


@student("06-local-backward", "log not written yet (KeyError)")
def local_backward_partial(op, inputs, out, out_grad):
    rules = {"add": (1.0, 1.0), "mul": (inputs[-1], inputs[0]),
             "exp": (out,), "sigmoid": (out * (1 - out),)}
    return tuple(out_grad * d for d in rules[op])


@student("06-local-backward", "σ' as u(1 − u)")
def local_backward_u_one_minus_u(op, inputs, out, out_grad):
    u = inputs[0]
    if op == "sigmoid":
        return (out_grad * u * (1 - u),)
    if op == "exp":
        return (out_grad * out,)
    if op == "log":
        return (out_grad / u,)
    if op == "mul":
        return (out_grad * inputs[1], out_grad * u)
    return (out_grad, out_grad)


# ---------------------------------------------------------------------------------- 06-topological-order

@student("06-topological-order", "depth first without a visited set")
def topological_order(parents, output):
    order = []

    def visit(node):
        for p in parents[node]:
            visit(p)
        order.append(node)
    visit(output)
    return order


@student("06-topological-order", "no visited set, iterative, parents pushed in reverse")
def topological_order_stack(parents, output):
    order, stack = [], [(output, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        else:
            stack.append((node, True))
            for p in parents[node]:
                stack.append((p, False))
    return order


@student("06-topological-order", "appends before visiting the parents (pre-order)")
def topological_order_preorder(parents, output):
    seen, order = set(), []

    def go(n):
        if n in seen:
            return
        seen.add(n)
        order.append(n)
        for p in parents[n]:
            go(p)
    go(output)
    return order


@student("06-topological-order", "returns the backward order (output first)")
def topological_order_backwards(parents, output):
    seen, order = set(), []

    def go(n):
        if n not in seen:
            seen.add(n)
            for p in parents[n]:
                go(p)
            order.append(n)
    go(output)
    order.reverse()
    return order


@student("06-topological-order", "Kahn's algorithm that empties the graph it was given")
def topological_order_kahn_in_place(parents, output):
    order = []
    while parents:
        ready = [n for n, ps in parents.items() if not ps]
        for n in ready:
            order.append(n)
            del parents[n]
            for ps in parents.values():
                while n in ps:
                    ps.remove(n)
    return order


@student("06-topological-order", "lists only the nodes that have parents")
def topological_order_no_inputs(parents, output):
    order, seen = [], set()

    def go(n):
        if n in seen or not parents[n]:
            return
        seen.add(n)
        for p in parents[n]:
            go(p)
        order.append(n)
    go(output)
    return order


@student("06-topological-order", "sorts the labels")
def topological_order_sorted(parents, output):
    return sorted(parents.keys())


@student("06-topological-order", "the dict's own order")
def topological_order_keys(parents, output):
    return [node for node in parents]


@student("06-topological-order", "breadth first from the output, reversed")
def topological_order_bfs(parents, output):
    from collections import deque
    order, queue, seen = [], deque([output]), {output}
    while queue:
        n = queue.popleft()
        order.append(n)
        for p in parents[n]:
            if p not in seen:
                seen.add(p)
                queue.append(p)
    return order[::-1]


@student("06-topological-order", "Kahn with in-degree counted per list entry, children as a set")
def topological_order_kahn_counts(parents, output):
    indegree = {n: len(ps) for n, ps in parents.items()}
    children = {n: set() for n in parents}
    for n, ps in parents.items():
        for p in ps:
            children[p].add(n)
    ready = [n for n in parents if indegree[n] == 0]
    order = []
    while ready:
        n = ready.pop(0)
        order.append(n)
        for c in children[n]:
            indegree[c] -= 1
            if indegree[c] == 0:
                ready.append(c)
    return order


@student("06-topological-order", "only follows the first parent")
def topological_order_first_parent(parents, output):
    order, node = [output], output
    while parents[node]:
        node = parents[node][0]
        order.insert(0, node)
    return order


# ------------------------------------------------------------------------------------------- 06-engine
# The engine of notebook 06 as a student completes it; the variants below break one thing each.

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


def _rule(op, inputs, out, out_grad):
    if op == "add":
        return out_grad, out_grad
    if op == "mul":
        return out_grad * inputs[1], out_grad * inputs[0]
    return (out_grad * out * (1 - out),)


def _order(output):
    order, seen = [], set()

    def go(n):
        if n not in seen:
            seen.add(n)
            for p in n.parents:
                go(p)
            order.append(n)
    go(output)
    return order


def _order_without_visited(output):
    order = []

    def go(n):
        for p in n.parents:
            go(p)
        order.append(n)
    go(output)
    return order


def _rule_sigmoid_half(op, inputs, out, out_grad):
    return (out_grad * out,) if op == "sigmoid" else _rule(op, inputs, out, out_grad)


def _backward(output, overwrite=False, seed=1.0, reverse=True, reset=True, rule=None, order_of=None):
    rule = rule or _rule
    order = (order_of or _order)(output)
    if reset:
        for n in order:
            n.grad = 0.0
    if seed is not None:
        output.grad = seed
    for node in (reversed(order) if reverse else order):
        if node.parents:
            for parent, share in zip(node.parents, rule(node.op, [p.value for p in node.parents], node.value,
                                                         node.grad)):
                if overwrite:
                    parent.grad = share
                else:
                    parent.grad += share


def _network(params, X, Y, half=0.5, mean=False, last_only=False, output_sigmoid=True, nodes=None):
    nodes = nodes if nodes is not None else {k: [[Node(v) for v in row] for row in p] for k, p in params.items()}
    E = Node(0.0)
    R = X.shape[1]
    for r in range(R):
        f = [Node(v) for v in X[:, r]]
        for i in range(2):
            A, b = nodes[f"A{i}"], nodes[f"b{i}"]
            z = [sum((A[j][k] * f[k] for k in range(len(f))), b[j][0]) for j in range(len(A))]
            f = [zj.sigmoid() for zj in z] if (i == 0 or output_sigmoid) else z
        for m in range(len(f)):
            e = f[m] - Y[m, r]
            term = half * e * e if half else e * e
            E = term if last_only else E + term
    if mean:
        E = E * (1.0 / R)
    return E, nodes


def _grads(nodes, attribute="grad"):
    return {k: np.array([[getattr(n, attribute) for n in row] for row in rows]) for k, rows in nodes.items()}


@student("06-engine", "overwrites the adjoint (=) instead of adding (+=)")
def engine_gradients(params, X, Y):
    E, nodes = _network(params, X, Y)
    _backward(E, overwrite=True)
    return _grads(nodes)


@student("06-engine", "forgets the seed ∂E/∂E = 1")
def engine_gradients_no_seed(params, X, Y):
    E, nodes = _network(params, X, Y)
    _backward(E, seed=None)
    return _grads(nodes)


@student("06-engine", "walks the topological order forwards")
def engine_gradients_forward_order(params, X, Y):
    E, nodes = _network(params, X, Y)
    _backward(E, reverse=False)
    return _grads(nodes)


@student("06-engine", "E without the ½")
def engine_gradients_no_half(params, X, Y):
    E, nodes = _network(params, X, Y, half=None)
    _backward(E)
    return _grads(nodes)


@student("06-engine", "E = ½ e·e inside the loop (only the last example counts)")
def engine_gradients_last_example(params, X, Y):
    E, nodes = _network(params, X, Y, last_only=True)
    _backward(E)
    return _grads(nodes)


@student("06-engine", "averages over the examples")
def engine_gradients_mean(params, X, Y):
    E, nodes = _network(params, X, Y, mean=True)
    _backward(E)
    return _grads(nodes)


@student("06-engine", "reads .value instead of .grad")
def engine_gradients_values(params, X, Y):
    E, nodes = _network(params, X, Y)
    _backward(E)
    return _grads(nodes, "value")


@student("06-engine", "no sigmoid on the output layer")
def engine_gradients_linear_output(params, X, Y):
    E, nodes = _network(params, X, Y, output_sigmoid=False)
    _backward(E)
    return _grads(nodes)


PARAMETER_NODES = {}


@student("06-engine", "keeps the parameter nodes between calls and never resets grad")
def engine_gradients_cached(params, X, Y):
    key = tuple(sorted((k, v.shape) for k, v in params.items()))
    if key not in PARAMETER_NODES:
        PARAMETER_NODES[key] = {k: [[Node(v) for v in row] for row in p] for k, p in params.items()}
    nodes = PARAMETER_NODES[key]
    for k, p in params.items():
        for row, values in zip(nodes[k], p):
            for n, v in zip(row, values):
                n.value = float(v)
    E, _ = _network(params, X, Y, nodes=nodes)
    _backward(E, reset=False)
    return _grads(nodes)


@student("06-engine", "weight gradients built column by column (transposed)")
def engine_gradients_transposed(params, X, Y):
    E, nodes = _network(params, X, Y)
    _backward(E)
    grads = _grads(nodes)
    return {k: (g.T if k.startswith("A") else g) for k, g in grads.items()}


@student("06-engine", "a 1-D bias gradient")
def engine_gradients_flat_bias(params, X, Y):
    E, nodes = _network(params, X, Y)
    _backward(E)
    grads = _grads(nodes)
    return {k: (g.ravel() if k.startswith("b") else g) for k, g in grads.items()}


@student("06-engine", "built on a sigmoid rule without (1 − σ)")
def engine_gradients_bad_rule(params, X, Y):
    E, nodes = _network(params, X, Y)
    _backward(E, rule=_rule_sigmoid_half)
    return _grads(nodes)


@student("06-engine", "built on a topological order without a visited set")
def engine_gradients_bad_order(params, X, Y):
    E, nodes = _network(params, X, Y)
    _backward(E, order_of=_order_without_visited)
    return _grads(nodes)


# ------------------------------------------------------------------------------------- 07-jacobian-chain

@student("07-jacobian-chain", "includes ∂f_{i+1}/∂f_i in the chain of θ_i")
def gradient_rows(dL_dfK, orange, blue):
    K = len(blue)
    rows = [None] * K
    row = dL_dfK
    for i in reversed(range(K)):
        row = row @ orange[i]
        rows[i] = row @ blue[i]
    return rows


@student("07-jacobian-chain", "multiplies the orange factors bottom-up")
def gradient_rows_up(dL_dfK, orange, blue):
    rows = []
    for i in range(len(blue)):
        r = dL_dfK
        for j in range(i + 1, len(blue)):
            r = r @ orange[j]
        rows.append(r @ blue[i])
    return rows


@student("07-jacobian-chain", "appends while walking down (θ_{K−1} first)")
def gradient_rows_append(dL_dfK, orange, blue):
    out, row = [], dL_dfK
    for i in range(len(blue) - 1, -1, -1):
        out.append(row @ blue[i])
        row = row @ orange[i]
    return out


@student("07-jacobian-chain", "returns the running rows")
def gradient_rows_running(dL_dfK, orange, blue):
    K = len(blue)
    running = {K: dL_dfK}
    for k in range(K - 1, 0, -1):
        running[k] = running[k + 1] @ orange[k]
    return [running[i + 1] for i in range(K)]


@student("07-jacobian-chain", "column layout with transposes")
def gradient_rows_columns(dL_dfK, orange, blue):
    col = dL_dfK.T
    K = len(blue)
    cols = [None] * K
    for i in reversed(range(K)):
        if i < K - 1:
            col = orange[i + 1].T @ col
        cols[i] = blue[i].T @ col
    return cols


@student("07-jacobian-chain", "one orange factor too few")
def gradient_rows_short(dL_dfK, orange, blue):
    K = len(blue)
    rows = []
    for i in range(K):
        row = dL_dfK
        for j in range(K - 1, i + 1, -1):
            row = row @ orange[j]
        rows.append(row @ blue[i])
    return rows


# ---------------------------------------------------------------------------------------- 07-reuse-count

@student("07-reuse-count", "plugs n = n_0 into the equal-width formula")
def multiply_adds(sizes, reuse):
    n, K = sizes[0], len(sizes) - 1
    if reuse:
        return n * n * (K - 1) + K * n * (n + 1)
    return n * n * K * (K - 1) // 2 + K * n * (n + 1)


@student("07-reuse-count", "counts K − i orange products for layer i")
def multiply_adds_off_by_one(sizes, reuse):
    K = len(sizes) - 1
    total = sum(sizes[i + 1] * (sizes[i] + 1) for i in range(K))
    for i in range(K):
        chain = range(i, K) if not reuse else [i]
        total += sum(sizes[j + 1] * sizes[j] for j in chain)
    return total


@student("07-reuse-count", "forgets the σ' multiplies")
def multiply_adds_no_sigma(sizes, reuse):
    K = len(sizes) - 1
    count = 0
    for i in range(K):
        count += sizes[i + 1] * sizes[i]
        if reuse and i < K - 1:
            count += sizes[i + 2] * sizes[i + 1]
        if not reuse:
            count += sum(sizes[j + 1] * sizes[j] for j in range(i + 1, K))
    return count


@student("07-reuse-count", "counts only the orange products")
def multiply_adds_orange_only(sizes, reuse):
    K = len(sizes) - 1
    if reuse:
        return sum(sizes[j + 1] * sizes[j] for j in range(1, K))
    return sum(j * sizes[j + 1] * sizes[j] for j in range(1, K))


@student("07-reuse-count", "with reuse counts K orange products (∂f_1/∂f_0 too)")
def multiply_adds_reuse_all(sizes, reuse):
    K = len(sizes) - 1
    blue = sum(sizes[i + 1] + sizes[i + 1] * sizes[i] for i in range(K))
    if reuse:
        return blue + sum(sizes[j + 1] * sizes[j] for j in range(K))
    return blue + sum(sizes[j + 1] * sizes[j] * j for j in range(1, K))


@student("07-reuse-count", "squares the widths")
def multiply_adds_squares(sizes, reuse):
    K = len(sizes) - 1
    total = 0
    for i in range(K):
        total += sizes[i + 1] + sizes[i + 1] ** 2
        total += sum(sizes[j] ** 2 for j in range(i + 1, K)) if not reuse else (sizes[i + 1] ** 2 if i < K - 1 else 0)
    return total


@student("07-reuse-count", "counts the bias as extra work")
def multiply_adds_bias(sizes, reuse):
    K = len(sizes) - 1
    total = 0
    for i in range(K):
        total += 2 * sizes[i + 1] + sizes[i + 1] * sizes[i]
        if reuse:
            total += sizes[i + 2] * sizes[i + 1] if i < K - 1 else 0
        else:
            total += sum(sizes[j + 1] * sizes[j] for j in range(i + 1, K))
    return total


# ---------------------------------------------------------------------------------------------- the run

def run_class():
    """[(exercise id, answer name, teacher's label, diagnosis, passed)] for every student above."""
    PARAMETER_NODES.clear()
    rows = []
    for exercise_id, answer, mistake in STUDENTS:
        result = check(exercise_id, answer)
        rows.append((exercise_id, answer.__name__, mistake, result.diagnosis, result.passed, result.message))
    return rows


def named(diagnosis):
    return diagnosis is not None and any(code not in GENERIC for code in diagnosis.split("+"))


@pytest.fixture(scope="module")
def verdicts():
    return run_class()


def test_the_class_is_large_enough():
    assert len(STUDENTS) >= 30
    assert len({e for e, _, _ in STUDENTS}) == 6


def test_no_wrong_answer_passes_and_none_breaks_the_checker(verdicts):
    for exercise_id, name, mistake, diagnosis, passed, message in verdicts:
        assert not passed, (exercise_id, name, mistake)
        assert diagnosis != "checker_error", (exercise_id, name, message)


def test_at_least_three_quarters_are_told_their_mistake(verdicts):
    counts = Counter("named" if named(d) else "generic" for _, _, _, d, _, _ in verdicts)
    share = counts["named"] / len(verdicts)
    assert share >= 0.75, [(e, n, d) for e, n, _, d, _, _ in verdicts if not named(d)]


@pytest.mark.parametrize("exercise_id, name, expected", [
    ("06-adjoints", "adjoints_5_109", "missing_direct_path"),
    ("06-adjoints", "adjoints_x_not_2x", "missing_two_in_2x"),
    ("06-local-backward", "local_backward", "mul_not_swapped"),
    ("06-local-backward", "local_backward_sigmoid_exp", "not_overflow_safe"),
    ("06-local-backward", "local_backward_two", "add_splits_adjoint+mul_not_swapped"),
    ("06-topological-order", "topological_order", "duplicate_nodes"),
    ("06-topological-order", "topological_order_stack", "duplicate_nodes"),
    ("06-topological-order", "topological_order_kahn_in_place", "modified_input"),
    ("06-topological-order", "topological_order_kahn_counts", "missing_nodes"),
    ("06-engine", "engine_gradients", "fan_out_not_summed"),
    ("06-engine", "engine_gradients_cached", "grads_not_reset"),
    ("07-jacobian-chain", "gradient_rows", "one_factor_too_many"),
    ("07-reuse-count", "multiply_adds_reuse_all", "count_with_reuse_wrong"),
])
def test_the_teachers_diagnosis_for_typical_answers(verdicts, exercise_id, name, expected):
    found = {(e, n): d for e, n, _, d, _, _ in verdicts}
    assert found[(exercise_id, name)] == expected


if __name__ == "__main__":          # print the class's results (for the report)
    results = run_class()
    for exercise_id, name, mistake, diagnosis, passed, message in results:
        print(f"{exercise_id:22} {name:38} {str(diagnosis):40} {mistake}")
    counts = Counter("accepted" if p else "named" if named(d) else "checker_error" if d == "checker_error"
                     else "generic" for _, _, _, d, p, _ in results)
    print(dict(counts), f"of {len(results)}")
