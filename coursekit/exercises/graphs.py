"""Checks of notebooks 06–07: computational graphs and what they reuse.

06: the adjoints of the graph of (5.109); the scalar engine the student builds (the local backward rule of each
operation, a topological order of a graph, and the assembled engine's gradient of the 2-3-1 network).
07: the chain of Jacobians (5.115)–(5.118) carried as a running row, and what that reuse saves in multiply-adds.

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import math
from collections import Counter

import numpy as np

from ..network import backward as _network_backward, forward as _network_forward
from .catalogue import Case, Exercise, Mistake, shorten
from .comparing import _close
from .rules import right_only_on


def _num(x):
    """A number for a label: 3 significant digits, with a real minus sign."""
    return f"{x:.3g}".replace("-", "−")


# ------------------------------------------------------------------------------------------ 06-adjoints

def _adjoints(x, *, direct=True, sin_sign=-1.0, exp_factor=True, half=0.5, dadx=2.0, via_d=True, via_e=True,
              sqrt_root=True, exp_of_a=True):
    a = x ** 2
    b = math.exp(a)
    c = a + b
    f_bar = 1.0
    d_bar = f_bar * 1.0                              # f = d + e
    e_bar = f_bar * 1.0
    dd_dc = half / (math.sqrt(c) if sqrt_root else c)
    c_bar = (d_bar * dd_dc if via_d else 0.0) + (e_bar * sin_sign * math.sin(c) if via_e else 0.0)
    b_bar = c_bar * 1.0                              # c = a + b
    db_da = (b if exp_of_a else math.exp(x)) if exp_factor else 1.0
    a_bar = (c_bar * 1.0 if direct else 0.0) + b_bar * db_da
    x_bar = a_bar * (dadx * x if dadx else 1.0)
    return {"f": f_bar, "e": e_bar, "d": d_bar, "c": c_bar, "b": b_bar, "a": a_bar, "x": float(x_bar)}


def _forward_values(x):
    a = x ** 2
    b = math.exp(a)
    c = a + b
    d, e = math.sqrt(c), math.cos(c)
    return {"f": d + e, "e": e, "d": d, "c": c, "b": b, "a": a, "x": float(x)}


def _tangents(x):
    a, da = x ** 2, 2 * x
    b = math.exp(a)
    db = b * da
    c, dc = a + b, da + db
    dd, de = dc / (2 * math.sqrt(c)), -math.sin(c) * dc
    return {"f": dd + de, "e": de, "d": dd, "c": dc, "b": db, "a": da, "x": 1.0}


def _adjoint_problems(rng):
    points = [round(float(x), 3) for x in (rng.uniform(0.4, 0.9), rng.uniform(-1.2, -0.5), rng.uniform(0.1, 0.4),
                                           rng.uniform(1.1, 1.4))]
    return [Case((x,), f"x = {x:g}".replace("-", "−"), {"probe"}) for x in points]


_ADJOINT_PARTS = {key: (f"∂f/∂{key}", "") for key in ("f", "e", "d", "c", "b", "a", "x")}
ADJOINTS = Exercise(
    id="06-adjoints", function="adjoints_5_109", args=("x",), analytic=True, forbidden=("numerical", "autodiff"),
    step="the graph of (5.109) and its derivative (5.110)",
    reference=_adjoints, problems=_adjoint_problems, parts=_ADJOINT_PARTS,
    mistakes=shorten([
        Mistake("missing_direct_path", "∂f/∂a misses the direct path a → c: c = a + b depends on a directly and "
                                       "through b = exp(a), so ∂f/∂a = ∂f/∂c·1 + ∂f/∂b·exp(a), the sum over both "
                                       "paths (5.110)",
                lambda x: _adjoints(x, direct=False)),
        Mistake("wrong_sign_of_sin", "∂f/∂c has the wrong sign on the cosine path: e = cos(c) gives "
                                     "∂e/∂c = −sin(c) (5.110)",
                lambda x: _adjoints(x, sin_sign=1.0)),
        Mistake("missing_exp_factor", "∂f/∂a lacks the exp(a) factor on the path through b: b = exp(a) gives "
                                      "∂b/∂a = exp(a) (5.110)",
                lambda x: _adjoints(x, exp_factor=False)),
        Mistake("exp_of_x", "∂f/∂a uses exp(x) on the path through b; the node is b = exp(a) with a = x², so "
                            "∂b/∂a = exp(a) = b, the value stored in the forward pass (5.110)",
                lambda x: _adjoints(x, exp_of_a=False)),
        Mistake("missing_half_in_sqrt", "∂f/∂c uses ∂d/∂c = 1/√c; for d = √c it is 1/(2√c) (5.110)",
                lambda x: _adjoints(x, half=1.0)),
        Mistake("sqrt_rule_without_root", "∂f/∂c uses ∂d/∂c = 1/(2c); for d = √c = c^(1/2) it is "
                                          "½ c^(−1/2) = 1/(2√c) (5.110)",
                lambda x: _adjoints(x, sqrt_root=False)),
        Mistake("missing_da_dx", "∂f/∂x lacks ∂a/∂x = 2x: ∂f/∂x = ∂f/∂a · 2x for a = x² (5.110)",
                lambda x: _adjoints(x, dadx=0.0)),
        Mistake("missing_two_in_2x", "∂f/∂x uses ∂a/∂x = x; for a = x² it is 2x (5.110)",
                lambda x: _adjoints(x, dadx=1.0)),
        Mistake("missing_path_through_e", "∂f/∂c counts only the path through d; c feeds both d = √c and "
                                          "e = cos(c), and the adjoint adds both: ∂f/∂c = ∂f/∂d·∂d/∂c + "
                                          "∂f/∂e·∂e/∂c (5.110)",
                lambda x: _adjoints(x, via_e=False)),
        Mistake("missing_path_through_d", "∂f/∂c counts only the path through e; c feeds both d = √c and "
                                          "e = cos(c), and the adjoint adds both: ∂f/∂c = ∂f/∂d·∂d/∂c + "
                                          "∂f/∂e·∂e/∂c (5.110)",
                lambda x: _adjoints(x, via_d=False)),
        Mistake("forward_values", "these are the forward values of the nodes (a = x², b = exp(a), …); the "
                                  "exercise asks for the adjoints ∂f/∂node, computed backwards from ∂f/∂f = 1 "
                                  "(§5.6, (5.110))",
                _forward_values),
        Mistake("forward_mode_tangents", "these are the tangents ∂node/∂x (forward mode, from ∂x/∂x = 1); the "
                                         "adjoints go the other way, ∂f/∂node, starting from ∂f/∂f = 1 (§5.6)",
                _tangents),
    ], {
        "missing_direct_path": "misses the direct path a → c (∂f/∂a = ∂f/∂c + ∂f/∂b·exp(a))",
        "wrong_sign_of_sin": "has the wrong sign of sin (∂ cos(c)/∂c = −sin c)",
        "missing_exp_factor": "lacks the exp(a) factor (∂b/∂a = exp(a))",
        "exp_of_x": "uses exp(x) where ∂b/∂a = exp(a) = exp(x²)",
        "missing_half_in_sqrt": "lacks the ½ of ∂√c/∂c = 1/(2√c)",
        "sqrt_rule_without_root": "uses 1/(2c) for ∂√c/∂c = 1/(2√c)",
        "missing_da_dx": "lacks ∂a/∂x = 2x",
        "missing_two_in_2x": "uses x for ∂a/∂x = 2x",
        "missing_path_through_e": "misses the path through e",
        "missing_path_through_d": "misses the path through d",
        "forward_values": "is a forward value, not an adjoint",
        "forward_mode_tangents": "is a forward-mode tangent ∂node/∂x, not an adjoint ∂f/∂node",
    }))


# ------------------------------------------------------------------------------------ 06-local-backward
# A node out = op(inputs) receives out_grad = ∂f/∂out and sends each input u_k the share out_grad · ∂out/∂u_k.

OPS = ("add", "mul", "exp", "log", "sigmoid")


def _sigmoid(u):
    return 0.5 * (1.0 + math.tanh(0.5 * u))           # σ(u) without overflow for any u


def _local(op, inputs, out):
    """The local derivatives ∂out/∂u_k of one operation, at its stored values."""
    if op == "add":
        return (1.0, 1.0)
    if op == "mul":
        u, v = inputs
        return (v, u)                                   # ∂(uv)/∂u = v, ∂(uv)/∂v = u: the inputs swap
    (u,) = inputs
    if op == "exp":
        return (out,)                                   # ∂e^u/∂u = e^u = out
    if op == "log":
        return (1.0 / u,)
    if op == "sigmoid":
        return (out * (1.0 - out),)                     # σ'(u) = σ(u)(1 − σ(u))
    raise ValueError(f"unknown operation {op!r}")


def _local_backward(op, inputs, out, out_grad):
    return tuple(out_grad * d for d in _local(op, inputs, out))


# One wrong rule per operation, as (code, phrase for messages, rule(inputs, out, g) → shares).
_VARIANTS = {
    "add": [
        ("add_splits_adjoint", "add splits out_grad in halves (it passes all of it to each input)",
         lambda i, o, g: (g / 2, g / 2)),
    ],
    "mul": [
        ("mul_not_swapped", "mul multiplies out_grad by each input's own value (the inputs swap: the "
                            "share of u is out_grad · v, and of v is out_grad · u)",
         lambda i, o, g: (g * i[0], g * i[1])),
    ],
    "exp": [
        ("exp_of_output", "exp uses e^out (the derivative of e^u is e^u itself, which is out)",
         lambda i, o, g: (g * math.exp(o),)),
        ("exp_rule_wrong", "exp multiplies out_grad by u (∂e^u/∂u = e^u = out)",
         lambda i, o, g: (g * i[0],)),
    ],
    "log": [
        ("log_rule_wrong", "log multiplies out_grad by u (∂ log u/∂u = 1/u: divide by u)",
         lambda i, o, g: (g * i[0],)),
        ("log_rule_wrong", "log divides by out = log u (∂ log u/∂u = 1/u, with the input u)",
         lambda i, o, g: (g / o,)),
        ("log_rule_wrong", "log multiplies out_grad by log u (∂ log u/∂u = 1/u)",
         lambda i, o, g: (g * o,)),
    ],
    "sigmoid": [
        ("sigmoid_lacks_one_minus", "sigmoid multiplies out_grad by σ(u) only (σ'(u) = σ(u)(1 − σ(u)) = "
                                    "out · (1 − out))",
         lambda i, o, g: (g * o,)),
        ("sigmoid_rule_on_input", "sigmoid uses u(1 − u), the shortcut applied to the input (σ'(u) = "
                                  "σ(u)(1 − σ(u)) = out · (1 − out))",
         lambda i, o, g: (g * i[0] * (1 - i[0]),)),
        ("sigmoid_of_output", "sigmoid evaluates σ' at the output, σ(out)(1 − σ(out)), which applies σ "
                              "twice (σ'(u) = out · (1 − out))",
         lambda i, o, g: (g * _sigmoid(o) * (1 - _sigmoid(o)),)),
    ],
}
_EVERY_OP = [      # the same mistake made in every rule
    ("chain_factor_missing", "returns the local derivative alone, without the factor out_grad",
     lambda op, i, o, g: _local(op, i, o)),
    ("local_factor_missing", "passes out_grad on unchanged, as an addition would, without the local derivative",
     lambda op, i, o, g: (g,) * len(i)),
]


def _with(op_rules):
    """The reference rule, except for the operations in op_rules {op: rule(inputs, out, g)}."""
    def answer(op, inputs, out, out_grad):
        if op in op_rules:
            return op_rules[op](tuple(inputs), out, out_grad)
        return _local_backward(op, inputs, out, out_grad)
    return answer


def _everywhere(rule):
    return lambda op, inputs, out, out_grad: rule(op, tuple(inputs), out, out_grad)


def _bare_numbers(op, inputs, out, out_grad):
    shares = _local_backward(op, inputs, out, out_grad)
    return shares[0] if len(shares) == 1 else shares


def _local_problems(rng):
    def g():
        return round(float(rng.choice([-1, 1]) * rng.uniform(0.3, 2.0)), 3)

    def case(op, inputs, out_grad, tags=("probe",)):
        inputs = tuple(round(float(u), 3) for u in inputs)
        out = {"add": lambda: inputs[0] + inputs[1], "mul": lambda: inputs[0] * inputs[1],
               "exp": lambda: math.exp(inputs[0]), "log": lambda: math.log(inputs[0]),
               "sigmoid": lambda: _sigmoid(inputs[0])}[op]()
        shown = ", ".join(_num(u) for u in inputs)
        return Case((op, inputs, out, out_grad), f"{op!r} with inputs ({shown}) and out_grad {_num(out_grad)}",
                    set(tags) | {op})

    u = round(float(rng.uniform(0.5, 2.0) * rng.choice([-1, 1])), 3)
    cases = [case("add", rng.normal(size=2), g()), case("add", rng.normal(size=2), g()),
             case("mul", rng.uniform(0.3, 2.0, size=2) * [1, -1], g()), case("mul", rng.normal(size=2), g()),
             case("mul", (u, u), g()),                                             # out = u · u: a square
             case("exp", [rng.uniform(-2, 2)], g()), case("exp", [rng.uniform(-2, 2)], g()),
             case("log", [rng.uniform(0.3, 0.9)], g()), case("log", [rng.uniform(1.5, 4.0)], g()),
             case("sigmoid", [rng.uniform(-3, 3)], g()), case("sigmoid", [rng.uniform(-3, 3)], g()),
             case("sigmoid", [-rng.uniform(720, 780)], g(), ("extreme",)),
             case("sigmoid", [rng.uniform(720, 780)], g(), ("extreme",))]
    return cases


def _op_of(case):
    return case.args[0]


def _per_operation_rule(ev):
    """Name the wrong rule of each operation (several at once): the catalogue's mutants change one rule only."""
    try:
        findings, codes, wrong, unknown = [], [], [], []
        for op in OPS:
            where = [i for i, case in enumerate(ev.cases) if _op_of(case) == op]
            if not where or all(ev.right[i] for i in where):
                continue
            wrong.append(op)
            raised = next((ev.outcomes[i] for i in where if ev.outcomes[i].kind != "returned"), None)
            if raised is not None:
                findings.append(f"{op} raises {(raised.error or {}).get('type') or 'an error'}")
                codes.append("raises")
                continue
            variants = list(_VARIANTS.get(op, []))
            variants += [(code, f"{op} {text}", (lambda rule, op: lambda i, o, g: rule(op, i, o, g))(rule, op))
                         for code, text, rule in _EVERY_OP]
            for code, text, rule in variants:
                if all(_close(ev.outcomes[i].value, _safe(rule, ev.cases[i]), ev.exercise.rtol, ev.exercise.atol)
                       for i in where):
                    findings.append(text)
                    codes.append(code)
                    break
            else:
                unknown.append(op)
        if not findings and len(unknown) == 1:
            op = unknown[0]
            label = next(ev.cases[i].label for i, c in enumerate(ev.cases) if _op_of(c) == op and not ev.right[i])
            return ("wrong_values", f"the rule for {op!r} gives wrong shares (e.g. on {label}); every other "
                                    f"operation is right. Recheck ∂out/∂u for {op} and multiply it by out_grad "
                                    f"(§5.6)")
        if not findings or set(codes) == {"raises"}:
            return None
        text = "; ".join(findings)
        if unknown:
            text += f"; and the rule for {', '.join(unknown)} is wrong in another way"
            codes.append("wrong_values")
        text = f"the rules of {', '.join(wrong)} are wrong: {text}" if len(wrong) > 1 else text
        right = [op for op in OPS if op not in wrong and any(_op_of(c) == op for c in ev.cases)]
        text += (f". Right: {', '.join(right)}" if right else "") + " (the local derivatives of §5.6)"
        return "+".join(dict.fromkeys(codes)), text[0].upper() + text[1:]
    except Exception:
        return None


def _safe(rule, case):
    try:
        _, inputs, out, g = case.args
        return rule(tuple(inputs), out, g)
    except Exception:
        return None


def _local_mistakes():
    mistakes = [Mistake(code, f"{text[0].upper()}{text[1:]} (the chain rule at one node, §5.6: the share of "
                              f"input u is ∂f/∂u = ∂f/∂out · ∂out/∂u)", _everywhere(rule))
                for code, text, rule in _EVERY_OP]
    for op, variants in _VARIANTS.items():
        for code, text, rule in variants:
            mistakes.append(Mistake(code, f"{text[0].upper()}{text[1:]}; every other operation is right (the "
                                          f"local derivatives of §5.6)", _with({op: rule})))
    mistakes.append(Mistake("one_share_not_a_tuple", "for a one-input operation (exp, log, sigmoid) return a tuple "
                                                     "of one share, (share,) with the comma, not the bare number: "
                                                     "the backward pass zips the shares with the node's parents "
                                                     "(§5.6)", _bare_numbers))
    return mistakes


LOCAL_BACKWARD = Exercise(
    id="06-local-backward", function="local_backward", args=("op", "inputs", "out", "out_grad"),
    analytic=True, forbidden=("autodiff", "derivative", "numerical"),
    step="the local derivative of each operation (§5.6)",
    reference=_local_backward, problems=_local_problems, mistakes=_local_mistakes(),
    parts={0: ("the share of the first input", ""), 1: ("the share of the second input", "")},
    overflow_hint="use the stored output: σ'(u) = out · (1 − out) never overflows, while math.exp(−u) does for "
                  "u below about −709",
    rules=(_per_operation_rule,))


# --------------------------------------------------------------------------------- 06-topological-order

def _topological(parents, output):
    """Every node once, each after all of its parents (depth first, parents before the node)."""
    order, seen, stack = [], set(), [(output, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(parents[node]) if p not in seen)
    return np.array(order)


def _no_visited_set(parents, output):
    order = []

    def visit(node):
        for p in parents[node]:
            visit(p)
        order.append(node)
    visit(output)
    return np.array(order)


def _preorder(parents, output):
    order, seen = [], set()

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        order.append(node)
        for p in parents[node]:
            visit(p)
    visit(output)
    return np.array(order)


def _bfs_reversed(parents, output):
    order, seen, queue = [], {output}, [output]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for p in parents[node]:
            if p not in seen:
                seen.add(p)
                queue.append(p)
    return np.array(order[::-1])


def _swap_middle(parents, output):
    order = list(_topological(parents, output))
    k = len(order) // 2
    order[k - 1], order[k] = order[k], order[k - 1]
    return np.array(order)


def _is_order(order, parents):
    position = {n: k for k, n in enumerate(order)}
    return all(position[p] < position[n] for n in order for p in parents[n])


def _graph(rng, n, fan_out=True, square=False):
    """A graph of n nodes {label: [parents]} with one input and exactly one topological order.

    The nodes form a chain (each node's parents include the one before it, so the order is unique); with
    fan_out, nodes also take one earlier node as a second parent; `square` makes one node use a parent twice
    (u · u). Labels are distinct two-digit numbers unrelated to the order; the dict's keys are shuffled.
    """
    while True:
        order = [int(v) for v in rng.choice(np.arange(10, 100), size=n, replace=False)]
        parents = {order[0]: []}
        for k in range(1, n):
            ps = [order[k - 1]]
            if fan_out and k >= 2 and rng.uniform() < 0.7:
                ps.append(order[int(rng.integers(0, k - 1))])
            rng.shuffle(ps)
            parents[order[k]] = ps
        if square:
            k = int(rng.integers(2, n))
            parents[order[k]] = [order[k - 1], order[k - 1]]
        keys = list(parents)
        rng.shuffle(keys)
        shuffled = {key: list(parents[key]) for key in keys}
        if not _is_order(keys, parents) and not _is_order(sorted(keys), parents):
            return shuffled, order[-1]


def _order_problems(rng):
    specs = [(5, False, False, "a chain of 5 nodes"), (7, True, False, "a graph of 7 nodes with fan-out"),
             (9, True, True, "a graph of 9 nodes with fan-out and a square u · u"),
             (10, True, False, "a graph of 10 nodes with fan-out")]
    cases = []
    for n, fan_out, square, text in specs:
        parents, output = _graph(rng, n, fan_out, square)
        cases.append(Case((parents, output), f"{text} (output {output})", {"fan-out"} if fan_out else set()))
    return cases


def _labels(value):
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return None
    labels = []
    for item in value:
        if isinstance(item, (int, float)) and not isinstance(item, bool) and float(item).is_integer():
            labels.append(int(item))
        elif isinstance(item, np.ndarray) and item.ndim == 0:
            labels.append(int(item))
        else:
            return None
    return labels


def _order_rule(ev):
    """Duplicates, missing nodes, a reversed order or one parent placed after its child, on the first wrong case."""
    try:
        for case, outcome, right in zip(ev.cases, ev.outcomes, ev.right):
            if right or outcome.kind != "returned":
                continue
            labels = _labels(outcome.value)
            if labels is None:
                continue
            parents, output = case.args
            nodes = set(parents)
            counts = Counter(labels)
            twice = [n for n in labels if counts[n] > 1]
            if twice:
                node = twice[0]
                children = sum(node in ps for ps in parents.values())
                return ("duplicate_nodes",
                        f"on {case.label} node {node} appears {counts[node]} times: it has {children} children, "
                        f"and a search that does not remember where it has been reaches it once through each of "
                        f"them. Keep a set of visited nodes and add each node once (fan-out, §5.6)")
            strange = [n for n in labels if n not in nodes]
            if strange:
                return ("unknown_nodes", f"on {case.label} the result contains {strange[0]}, which is not a node "
                                         f"of the graph: return the nodes' own labels, the keys of the dict (§5.6)")
            missing = [n for n in parents if n not in counts]
            if missing:
                inputs = [n for n in missing if not parents[n]]
                what = ("the input (the node without parents)" if inputs else
                        "the output" if output in missing else f"node {missing[0]}")
                return ("missing_nodes",
                        f"on {case.label} the order leaves out {len(missing)} node{'s' * (len(missing) > 1)}, e.g. "
                        f"{what}: a topological order lists every node of the graph once, the inputs (no parents) "
                        f"first and the output last, since the backward pass must visit all of them (§5.6)")
            position = {n: k for k, n in enumerate(labels)}
            edges = [(p, n) for n in parents for p in set(parents[n])]
            late = [(p, n) for p, n in edges if position[p] > position[n]]
            if late and len(late) == len(edges):
                return ("reversed_order",
                        f"the order runs from the output back to the inputs (on {case.label} every node comes before "
                        f"its parents): that is the order the backward pass visits; a topological order puts each "
                        f"node after all of its parents, inputs first, output last (§5.6)")
            if late:
                parent, child = late[0]
                return ("parent_after_child",
                        f"on {case.label} node {child} comes before its parent {parent}: a node can only be computed "
                        f"once all its parents are, so every parent must come earlier. Append a node after visiting "
                        f"all of its parents (depth first), or repeatedly take a node whose parents are all placed "
                        f"(§5.6)")
        return None
    except Exception:
        return None


TOPOLOGICAL_ORDER = Exercise(
    id="06-topological-order", function="topological_order", args=("parents", "output"),
    forbidden=("autodiff",), step="the topological order of a computational graph (§5.6)",
    reference=_topological, problems=_order_problems,
    modified_hint="leave the graph as it is, since the engine needs it again: work on a copy, e.g. "
                  "remaining = {node: list(ps) for node, ps in parents.items()}",
    rules=(_order_rule,),
    mistakes=[
        Mistake("reversed_order", "the order runs from the output back to the inputs: that is the order the "
                                  "backward pass visits; a topological order puts each node after all of its "
                                  "parents, inputs first and the output last (§5.6)",
                lambda parents, output: _topological(parents, output)[::-1]),
        Mistake("duplicate_nodes", "nodes with several children appear several times: a depth-first search "
                                   "without a set of visited nodes reaches a shared node once through each child "
                                   "(fan-out). Keep a set of visited nodes and add each node once (§5.6)",
                _no_visited_set),
        Mistake("missing_nodes", "the input (the node without parents) is missing: a topological order lists "
                                 "every node once, the inputs first, since the backward pass must reach them (§5.6)",
                lambda parents, output: np.array([n for n in _topological(parents, output) if parents[n]])),
        Mistake("missing_nodes", "the output is missing: a topological order lists every node once and ends with "
                                 "the output, where the backward pass starts with ∂f/∂f = 1 (§5.6)",
                lambda parents, output: _topological(parents, output)[:-1]),
        Mistake("preorder", "each node is added before its parents (depth first, but appended on the way down): "
                            "append a node only after all of its parents are in the list (post-order, §5.6)",
                _preorder),
        Mistake("breadth_first_reversed", "the nodes are sorted by their distance from the output (breadth first, "
                                          "reversed); a node close to the output can still be the parent of a node "
                                          "further away, so this breaks the order. Place a node after all of its "
                                          "parents (§5.6)",
                _bfs_reversed),
        Mistake("dict_order", "these are the nodes in the order of the dict's keys, which says nothing about the "
                              "graph; put each node after all of its parents (§5.6)",
                lambda parents, output: np.array(list(parents))),
        Mistake("sorted_labels", "the nodes are sorted by their labels; the labels are names, not positions: put "
                                 "each node after all of its parents (§5.6)",
                lambda parents, output: np.array(sorted(parents))),
        Mistake("parent_after_child", "a node comes before one of its parents", _swap_middle, match=False),
        Mistake("unknown_nodes", "a label that is not a node of the graph",
                lambda parents, output: np.append(_topological(parents, output), 1000), match=False),
    ])


# ------------------------------------------------------------------------------------------- 06-engine

def _engine_reference(params, X, Y):
    return _network_backward(params, _network_forward(params, X), Y)


def _sig(Z):
    return 0.5 * (1.0 + np.tanh(0.5 * Z))


def _two_layer(params, X, Y, *, sign=1.0, factor=1.0, mean=False, examples=None, linear_output=False,
               linear_hidden=False, last_output=False, prime="right"):
    """∂E/∂θ of the two-layer network, optionally making one of the engine's typical mistakes."""
    if examples is not None:
        X, Y = X[:, examples], Y[:, examples]
    if last_output:                                  # E keeps only its last term ½ e·e
        params = {**params, "A1": params["A1"][-1:], "b1": params["b1"][-1:]}
        grads = _two_layer(params, X[:, -1:], Y[-1:, -1:])
        for key in ("A1", "b1"):
            grads[key] = np.vstack([np.zeros((Y.shape[0] - 1, grads[key].shape[1])),
                                    grads[key]])
        return grads
    Z1 = params["A0"] @ X + params["b0"]
    f1 = Z1 if linear_hidden else _sig(Z1)
    Z2 = params["A1"] @ f1 + params["b1"]
    f2 = Z2 if linear_output else _sig(Z2)

    def sigma_prime(Z, f):                           # the sigmoid's backward rule, right or as a student got it
        return {"right": lambda: f * (1 - f), "out": lambda: f, "input": lambda: Z * (1 - Z),
                "twice": lambda: _sig(f) * (1 - _sig(f)), "none": lambda: np.ones_like(f)}[prime]()

    delta2 = sign * (f2 - Y) * (1.0 if linear_output else sigma_prime(Z2, f2))
    delta1 = (params["A1"].T @ delta2) * (1.0 if linear_hidden else sigma_prime(Z1, f1))
    grads = {"A0": delta1 @ X.T, "b0": delta1.sum(axis=1, keepdims=True),
             "A1": delta2 @ f1.T, "b1": delta2.sum(axis=1, keepdims=True)}
    scale = factor / (X.shape[1] if mean else 1)
    return {key: scale * grads[key] for key in ("A0", "b0", "A1", "b1")}


def _random_network(rng, sizes, R, scale=1.0):
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        params[f"A{i}"] = rng.normal(0.0, 1.0, size=(n_out, n_in)) * scale
        params[f"b{i}"] = rng.normal(0.0, 0.5, size=(n_out, 1)) * scale
    X = rng.normal(size=(sizes[0], R)) * (2.0 if scale > 1 else 1.0)
    Y = rng.uniform(size=(sizes[-1], R))
    return params, X, Y


def _engine_problems(rng):
    cases = []
    for sizes, R, scale in [([2, 3, 1], 4, 1.0), ([2, 3, 1], 1, 1.0), ([3, 2, 2], 3, 1.0), ([2, 3, 1], 2, 300.0)]:
        params, X, Y = _random_network(rng, sizes, R, scale)
        if scale > 1:                                    # make sure some |Z1| is above 700, where exp(−Z) overflows
            top = float(np.abs(params["A0"] @ X + params["b0"]).max())
            if top < 750:
                params["A0"], params["b0"] = params["A0"] * 750 / top, params["b0"] * 750 / top
        name = "-".join(map(str, sizes))
        tags = {"extreme"} if scale > 1 else {"probe"}
        tags |= {"R=1"} if R == 1 else set()
        label = f"the {name} network with R = {R}" + (" and |Z| in the hundreds" if scale > 1 else "")
        cases.append(Case((params, X, Y), label, tags))
    first = cases[0]
    cases.append(Case(first.args, first.label + ", called a second time", {"again"} | set(first.tags)))
    return cases


def _proportional(got, target):
    """got = c · target for some c ≠ 0 (to 1e-6), with target not zero."""
    got, target = np.ravel(np.asarray(got, dtype=float)), np.ravel(np.asarray(target, dtype=float))
    norm = float(target @ target)
    if got.shape != target.shape or norm == 0 or not np.isfinite(got).all():
        return False
    c = float(got @ target) / norm
    return abs(c) > 1e-12 and np.linalg.norm(got - c * target) <= 1e-6 * max(np.linalg.norm(got), 1e-300)


def _single_example_rule(ev):
    """∂E/∂A1 (row by row) holds one example's share only: a node's adjoint overwritten instead of summed."""
    try:
        looked = 0
        for i, case in enumerate(ev.cases):
            params, X, Y = case.args
            R = X.shape[1]
            if R < 2 or "extreme" in case.tags or ev.right[i]:
                continue
            if ev.outcomes[i].kind != "returned" or ev.problems[i] is not None:
                return None
            got = np.asarray(ev.outcomes[i].value["A1"], dtype=float)
            shares = [_two_layer(params, X, Y, examples=[r])["A1"] for r in range(R)]
            total = ev.expected[i]["A1"]
            for row in range(got.shape[0]):
                if _proportional(got[row], total[row]) or \
                        not any(_proportional(got[row], share[row]) for share in shares):
                    return None
            looked += 1
        if not looked:
            return None
        return ("fan_out_not_summed",
                "∂E/∂A1 holds only one example's share (times some factor): the R examples all use the same weight "
                "node, so its adjoint is the sum of what each of them sends back. In the backward pass add each "
                "share to the parent's grad (parent.grad += share), never overwrite it (parent.grad = share); "
                "the same goes for a node used twice in one example, such as e in e · e (fan-out, §5.6; Total Cost)")
    except Exception:
        return None


def _state_rule(ev):
    """The same problem twice gives two different results: something (grads) is kept between calls."""
    try:
        for i, case in enumerate(ev.cases):
            if "again" not in case.tags:
                continue
            first = next(j for j, c in enumerate(ev.cases) if j != i and case.label.startswith(c.label))
            a, b = ev.outcomes[first], ev.outcomes[i]
            if a.kind == b.kind == "returned" and ev.problems[first] is None and ev.problems[i] is None and \
                    not _close(a.value, b.value, ev.exercise.rtol, ev.exercise.atol):
                return ("grads_not_reset",
                        f"{ev.name} gives a different result the second time it is called on the same problem "
                        f"({ev.cases[i].label}): something is kept from the first call. Set every node's grad to 0 "
                        f"before a backward pass (or build new nodes on each call), otherwise the adjoints of the "
                        f"earlier pass are added to the new ones (§5.6)")
        return None
    except Exception:
        return None


def _overwriting(params, X, Y):
    """An engine whose backward pass overwrites adjoints: each weight keeps the first example's share only,
    and e · e passes back e instead of 2e (so the shares are halved)."""
    return {key: 0.5 * value for key, value in _two_layer(params, X, Y, examples=[0]).items()}


def _accumulating():
    state = {"calls": 0}

    def answer(params, X, Y):
        state["calls"] += 1
        return {key: state["calls"] * value for key, value in _engine_reference(params, X, Y).items()}
    return answer


ENGINE = Exercise(
    id="06-engine", function="engine_gradients", args=("params", "X", "Y"),
    analytic=True, forbidden=("backward", "numerical", "autodiff"),
    step="your engine's backward pass on the graph of the network (§5.6; the checks of 06-local-backward and "
         "06-topological-order, passed first, rule out the rules and the order)",
    reference=_engine_reference, problems=_engine_problems,
    parts={"A0": ("∂E/∂A0", ""), "b0": ("∂E/∂b0", ""), "A1": ("∂E/∂A1", ""), "b1": ("∂E/∂b1", "")},
    modified_hint="read params, X and Y, do not change them: build the nodes from their numbers "
                  "(Node(float(v)) for each entry)",
    overflow_hint="keep the sigmoid's rule in the form out · (1 − out) and the forward σ in its tanh form",
    rules=(_state_rule, _single_example_rule),
    mistakes=[
        Mistake("no_seed_or_wrong_order", "every gradient is 0: the backward pass must start from the seed "
                                          "∂E/∂E = 1 at the output and visit the nodes from the output back to "
                                          "the inputs (the topological order reversed); visited in the forward "
                                          "order, each node passes on its adjoint before it has received it (§5.6)",
                lambda p, X, Y: {key: np.zeros_like(value) for key, value in p.items()}),
        Mistake("forward_values", "these are the parameters' values, not their gradients: after the backward pass "
                                  "read each parameter node's .grad, not its .value (§5.6)",
                lambda p, X, Y: {key: np.array(value, dtype=float) for key, value in p.items()}),
        Mistake("sign_error", "every gradient has the wrong sign: the backward pass starts from the seed "
                              "∂E/∂E = +1 at the cost E = Σ_r ½‖f2 − Y‖² itself (not at −E), and every share is "
                              "added, never subtracted (§5.6, Backward Path (1))",
                lambda p, X, Y: _two_layer(p, X, Y, sign=-1.0)),
        Mistake("wrong_constant_factor", "every gradient is twice the right size: the cost is E = Σ_r ½‖f2 − Y‖², "
                                         "with the ½ (Total Cost)",
                lambda p, X, Y: _two_layer(p, X, Y, factor=2.0)),
        Mistake("wrong_constant_factor", "every gradient is half the right size: is the ½ of E = ½ Σ e·e counted "
                                         "twice, or does e · e send back only one share e instead of 2e? A node "
                                         "used twice collects both shares (fan-out, §5.6)",
                lambda p, X, Y: _two_layer(p, X, Y, factor=0.5)),
        Mistake("mean_instead_of_sum", "every gradient is divided by R: the Total Cost is the sum E = Σ_r E^r, not "
                                       "the mean",
                lambda p, X, Y: _two_layer(p, X, Y, mean=True)),
        Mistake("only_one_example", "these are the gradients of the first example's cost E^1 only: the Total Cost "
                                    "adds every example, E = Σ_r E^r; loop over all R columns of X and add each "
                                    "example's cost to E",
                lambda p, X, Y: _two_layer(p, X, Y, examples=[0])),
        Mistake("only_one_example", "these are the gradients of the last example's cost E^R only: E must add "
                                    "every example, E = E + ½ e·e inside the loop, not E = ½ e·e (Total Cost)",
                lambda p, X, Y: _two_layer(p, X, Y, examples=[X.shape[1] - 1])),
        Mistake("only_one_example", "these are the gradients of the last term ½ e·e only (the last output of the "
                                    "last example): E must add every term, E = E + ½ e·e for every output and "
                                    "every example, not E = ½ e·e (Total Cost)",
                lambda p, X, Y: _two_layer(p, X, Y, last_output=True)),
        Mistake("linear_output", "the output layer has no sigmoid: f2 = σ(Z2) = σ(A1 f1 + b1) (Forward Path, "
                                 "Backward Path (1))",
                lambda p, X, Y: _two_layer(p, X, Y, linear_output=True)),
        Mistake("linear_hidden", "the hidden layer has no sigmoid: f1 = σ(Z1) = σ(A0 f0 + b0) (Forward Path, "
                                 "Backward Path (2))",
                lambda p, X, Y: _two_layer(p, X, Y, linear_hidden=True)),
        Mistake("sigmoid_rule_wrong", "these are the gradients of an engine whose sigmoid rule multiplies out_grad "
                                      "by σ(u) only; σ'(u) = out · (1 − out): fix local_backward (the check of "
                                      "06-local-backward names the rule, §5.6)",
                lambda p, X, Y: _two_layer(p, X, Y, prime="out")),
        Mistake("sigmoid_rule_wrong", "these are the gradients of an engine whose sigmoid rule uses u(1 − u) of the "
                                      "input; σ'(u) = out · (1 − out): fix local_backward (the check of "
                                      "06-local-backward names the rule, §5.6)",
                lambda p, X, Y: _two_layer(p, X, Y, prime="input")),
        Mistake("sigmoid_rule_wrong", "these are the gradients of an engine whose sigmoid rule evaluates σ' at the "
                                      "output, σ(out)(1 − σ(out)); σ'(u) = out · (1 − out): fix local_backward (the "
                                      "check of 06-local-backward names the rule, §5.6)",
                lambda p, X, Y: _two_layer(p, X, Y, prime="twice")),
        Mistake("sigmoid_rule_wrong", "these are the gradients of an engine whose sigmoid rule passes out_grad on "
                                      "unchanged, without σ'(u) = out · (1 − out): fix local_backward (the check of "
                                      "06-local-backward names the rule, §5.6)",
                lambda p, X, Y: _two_layer(p, X, Y, prime="none")),
        Mistake("transposed_weight_gradient", "∂E/∂A0 and ∂E/∂A1 are transposed: entry [j, k] of ∂E/∂A_i belongs "
                                              "to the node of A_i[j, k], in A_i's shape (Backward Paths (3)–(4))",
                lambda p, X, Y: {k: v.T if k.startswith("A") else v for k, v in _two_layer(p, X, Y).items()}),
        Mistake("fan_out_not_summed", "one example's share only", _overwriting, match=False),
        Mistake("grads_not_reset", "the adjoints of an earlier call are added", _accumulating(), match=False),
    ])


# -------------------------------------------------------------------------------------- 07-jacobian-chain
# ∂L/∂θ_i = ∂L/∂f_K · ∂f_K/∂f_{K−1} ⋯ ∂f_{i+2}/∂f_{i+1} · ∂f_{i+1}/∂θ_i   (5.118), orange[j] = ∂f_{j+1}/∂f_j,
# blue[i] = ∂f_{i+1}/∂θ_i.

def _rows(dL_dfK, orange, blue, *, extra=0, order="down", running=False, start=True):
    K = len(blue)
    rows = []
    for i in range(K):
        first = i + 1 - extra                              # the orange factors j = K−1, …, first
        js = list(range(K - 1, first - 1, -1))
        if order == "up":
            js = js[::-1]
        row = dL_dfK if start else None
        for j in js:
            row = orange[j] if row is None else row @ orange[j]
        if running:
            rows.append(row)
            continue
        rows.append(blue[i] if row is None else row @ blue[i])
    return tuple(rows)


def _chain_reference(dL_dfK, orange, blue):
    return _rows(dL_dfK, orange, blue)


def _chain_problems(rng):
    cases = []
    for sizes in ([2, 3], [3, 4, 2], [3, 3, 3, 3], [2, 4, 3, 3, 2], [2, 2, 2, 2]):
        K = len(sizes) - 1
        orange = [rng.normal(0, 0.8, size=(sizes[i + 1], sizes[i])) for i in range(K)]
        blue = [rng.normal(0, 0.8, size=(sizes[i + 1], sizes[i + 1] * (sizes[i] + 1))) for i in range(K)]
        dL_dfK = rng.normal(size=(1, sizes[-1]))
        square = len(set(sizes)) == 1
        cases.append(Case((dL_dfK, orange, blue), f"K = {K} layer{'s' * (K > 1)} of widths {sizes}",
                          {"square"} if square else set()))
    return cases


def _chain_rule_text(what):
    return f"{what} (5.118): ∂L/∂θ_i = ∂L/∂f_K · ∂f_K/∂f_(K−1) ⋯ ∂f_(i+2)/∂f_(i+1) · ∂f_(i+1)/∂θ_i"


CHAIN = Exercise(
    id="07-jacobian-chain", function="gradient_rows", args=("dL_dfK", "orange", "blue"),
    forbidden=("backward",), step="the products (5.115)–(5.118) with the running row",
    reference=_chain_reference, problems=_chain_problems,
    parts={i: (f"rows[{i}] = ∂L/∂θ{i}", "") for i in range(8)},
    modified_hint="the factors are read-only: row = row @ M makes a new array, while row @= M or M *= … changes "
                  "one in place",
    mistakes=[
        Mistake("one_factor_too_many", _chain_rule_text("∂L/∂θ_i has one orange factor too many: the chain in "
                                                         "front of the box ends at ∂f_(i+2)/∂f_(i+1), so "
                                                         "∂f_(i+1)/∂f_i belongs to θ_(i−1), not to θ_i"),
                lambda d, o, b: _rows(d, o, b, extra=1)),
        Mistake("one_factor_too_few", _chain_rule_text("∂L/∂θ_i lacks the orange factor ∂f_(i+2)/∂f_(i+1): the "
                                                        "running row must be ∂L/∂f_(i+1) when it meets the blue "
                                                        "factor of θ_i"),
                lambda d, o, b: _rows(d, o, b, extra=-1)),
        Mistake("product_order", _chain_rule_text("the orange factors are multiplied in the wrong order: the row "
                                                   "∂L/∂f_K meets ∂f_K/∂f_(K−1) first, then the factors of the "
                                                   "layers below, going down"),
                lambda d, o, b: _rows(d, o, b, order="up")),
        Mistake("list_reversed", "the list runs from θ_(K−1) down to θ_0, the order in which the backward pass "
                                 "finds them; return rows[i] = ∂L/∂θ_i, so rows[0] belongs to θ_0 (5.115)–(5.118)",
                lambda d, o, b: _rows(d, o, b)[::-1]),
        Mistake("running_row_returned", "rows[i] is the running row ∂L/∂f_(i+1) itself; ∂L/∂θ_i is that row times "
                                        "the blue factor ∂f_(i+1)/∂θ_i (5.118)",
                lambda d, o, b: _rows(d, o, b, running=True)),
        Mistake("missing_dL_dfK", "the chain starts without ∂L/∂f_K: every line of (5.115)–(5.118) begins with "
                                  "the row ∂L/∂f_K, so the results are 1 × p rows",
                lambda d, o, b: _rows(d, o, b, start=False)),
        Mistake("columns_not_rows", "these are columns: ∂L/∂θ_i is a gradient of a scalar, a 1 × p row in the "
                                    "book's layout (5.115)–(5.118); multiply rows from the left, row @ M, and return "
                                    "the rows",
                lambda d, o, b: tuple(row.T for row in _rows(d, o, b))),
        Mistake("only_last_layer", "only ∂L/∂θ_(K−1) is returned; return all K rows, ∂L/∂θ_0, …, ∂L/∂θ_(K−1) "
                                   "(5.115)–(5.118)",
                lambda d, o, b: (_rows(d, o, b)[-1],)),
    ])


# ------------------------------------------------------------------------------------------ 07-reuse-count
# A row 1 × p times a p × q matrix costs p·q multiply-adds; layer i's blue factor in its sparse form costs
# n_{i+1} (times diag σ') + n_{i+1} n_i (the outer product u f_iᵀ).

def _count(sizes, reuse, *, extra_orange=0, blue=True, sigma=True, bias=False, swap=False, width=None,
           whole_chain=False):
    sizes = [int(n) for n in sizes]
    if width is not None:
        sizes = [width] * len(sizes)
    reuse = (not reuse) if swap else reuse
    K = len(sizes) - 1
    n = sizes
    total = 0
    for i in range(K):
        if blue:
            total += (n[i + 1] if sigma else 0) + n[i + 1] * n[i] + (n[i + 1] if bias else 0)
        lowest = i + 1 - extra_orange                       # orange factors j = K−1, …, lowest
        if reuse:                                           # the running row: one new orange product per layer
            if lowest <= K - 1:
                total += n[lowest + 1] * n[lowest]
        else:                                               # from scratch: the whole chain again
            total += sum(n[j + 1] * n[j] for j in range(1 if whole_chain else lowest, K))
    return total


def _count_reference(sizes, reuse):
    return _count(sizes, reuse)


def _count_problems(rng):
    cases = []
    for reuse in (True, False):
        sizes = [int(v) for v in rng.integers(2, 9, size=5)]
        while len(set(sizes)) < 3:
            sizes = [int(v) for v in rng.integers(2, 9, size=5)]
        cases.append(Case((sizes, reuse), f"sizes {sizes} {'with' if reuse else 'without'} reuse",
                          {"reuse" if reuse else "scratch"}))
    sizes = [int(v) for v in rng.integers(2, 9, size=2)]
    cases.append(Case((sizes, True), f"sizes {sizes} (K = 1) with reuse", {"reuse"}))
    n = int(rng.integers(3, 9))
    cases.append(Case(([n] * 4, False), f"sizes {[n] * 4} without reuse", {"scratch", "equal"}))
    sizes = [int(v) for v in rng.integers(2, 9, size=3)]
    while sizes[0] == sizes[1]:
        sizes = [int(v) for v in rng.integers(2, 9, size=3)]
    cases.append(Case((sizes, False), f"sizes {sizes} without reuse", {"scratch"}))
    sizes = [int(v) for v in rng.integers(2, 9, size=7)]
    cases.append(Case((sizes, True), f"sizes {sizes} with reuse", {"reuse"}))
    return cases


_COUNT_RULE = ("the count of section 6: an orange product costs n_(j+1)·n_j for ∂f_(j+1)/∂f_j, each layer's blue "
               "factor n_(i+1) + n_(i+1)·n_i (5.115)–(5.118)")

REUSE_COUNT = Exercise(
    id="07-reuse-count", function="multiply_adds", args=("sizes", "reuse"),
    step=_COUNT_RULE, reference=_count_reference, problems=_count_problems,
    rules=(right_only_on("equal", "right_only_for_equal_widths",
                         "right for equal widths only: with widths n_0, …, n_K the orange factor ∂f_(j+1)/∂f_j is "
                         "an n_(j+1) × n_j matrix, so a row times it costs n_(j+1)·n_j, not n² (5.115)–(5.118)"),
           right_only_on("reuse", "count_from_scratch_wrong",
                         "right with reuse but not from scratch: without reuse, ∂L/∂θ_i multiplies ∂L/∂f_K by all "
                         "the orange factors j = K−1, …, i+1 again (5.118), K−1−i products for layer i"),
           right_only_on("scratch", "count_with_reuse_wrong",
                         "right from scratch but not with reuse: with the running row, each orange factor "
                         "∂f_(j+1)/∂f_j for j = K−1, …, 1 is multiplied once (5.118)")),
    mistakes=[
        Mistake("equal_width_formula", "this is the equal-width formula with n = n_0; with different widths, "
                                       "sum the products layer by layer: the orange factor ∂f_(j+1)/∂f_j costs "
                                       "n_(j+1)·n_j (5.115)–(5.118)",
                lambda sizes, reuse: _count(sizes, reuse, width=sizes[0])),
        Mistake("equal_width_formula", "this is the equal-width formula with n = n_K; with different widths, "
                                       "sum the products layer by layer: the orange factor ∂f_(j+1)/∂f_j costs "
                                       "n_(j+1)·n_j (5.115)–(5.118)",
                lambda sizes, reuse: _count(sizes, reuse, width=sizes[-1])),
        Mistake("equal_width_formula", "this is the equal-width formula with n = the largest width; with different "
                                       "widths, sum the products layer by layer: ∂f_(j+1)/∂f_j costs n_(j+1)·n_j "
                                       "(5.115)–(5.118)",
                lambda sizes, reuse: _count(sizes, reuse, width=max(sizes))),
        Mistake("orange_off_by_one", "one orange product too many per layer: ∂L/∂θ_i needs the orange factors "
                                     "down to ∂f_(i+2)/∂f_(i+1) only, not ∂f_(i+1)/∂f_i (5.118); ∂f_1/∂f_0 is "
                                     "never needed",
                lambda sizes, reuse: _count(sizes, reuse, extra_orange=1)),
        Mistake("missing_blue_cost", "the blue factors are not counted: each layer also pays n_(i+1) for "
                                     "diag(σ'(Z_(i+1))) and n_(i+1)·n_i for the outer product u f_iᵀ (5.118)",
                lambda sizes, reuse: _count(sizes, reuse, blue=False)),
        Mistake("missing_sigma_prime_cost", "the n_(i+1) multiplies of the row with diag(σ'(Z_(i+1))) are not "
                                            "counted; the blue factor costs n_(i+1) + n_(i+1)·n_i (5.118)",
                lambda sizes, reuse: _count(sizes, reuse, sigma=False)),
        Mistake("bias_counted", "the bias part is counted as extra work; row · [I ⊗ f_iᵀ | I] gives ∂L/∂b_i as u "
                                "itself, for free: the blue factor costs n_(i+1) + n_(i+1)·n_i (5.118)",
                lambda sizes, reuse: _count(sizes, reuse, bias=True)),
        Mistake("reuse_swapped", "the two counts are swapped: with reuse the work grows like K, from scratch "
                                 "like K² (5.115)–(5.118)",
                lambda sizes, reuse: _count(sizes, reuse, swap=True)),
        Mistake("right_only_for_equal_widths", "right for equal widths only",
                lambda sizes, reuse: _count(sizes, reuse, width=sizes[1]), match=False),
        Mistake("count_from_scratch_wrong", "wrong without reuse",
                lambda sizes, reuse: _count(sizes, reuse, whole_chain=True), match=False),
        Mistake("count_with_reuse_wrong", "wrong with reuse",
                lambda sizes, reuse: _count(sizes, reuse, extra_orange=int(reuse)), match=False),
    ])


EXERCISES = [ADJOINTS, LOCAL_BACKWARD, TOPOLOGICAL_ORDER, ENGINE, CHAIN, REUSE_COUNT]
