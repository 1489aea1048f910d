"""The checks of notebooks 06–07 beyond the generic catalogue tests: their test problems, their rules and the
messages they give, against oracles written independently of coursekit.exercises.graphs."""
import itertools
import math

import numpy as np
import pytest

import coursekit
from coursekit.exercises import EXERCISES, check
from coursekit.exercises.graphs import _count

SEEDS = range(8)


def draws(exercise_id):
    exercise = EXERCISES[exercise_id]
    return [exercise.cases] + [exercise.draw(np.random.default_rng([seed, 7])) for seed in SEEDS]


# ------------------------------------------------------------------------------------- 06-local-backward

def test_06_local_backward_problems_cover_every_operation_and_an_overflowing_sigmoid():
    for cases in draws("06-local-backward"):
        ops = [case.args[0] for case in cases]
        assert set(ops) == {"add", "mul", "exp", "log", "sigmoid"}
        extreme = [case for case in cases if "extreme" in case.tags]
        assert extreme and all(case.args[0] == "sigmoid" and abs(case.args[1][0]) >= 700 for case in extreme)
        assert any(case.args[1][0] <= -700 for case in extreme)          # where math.exp(−u) overflows
        for op, inputs, out, out_grad in (case.args for case in cases):
            assert out_grad != 1.0 and math.isfinite(out)                # the factor out_grad is visible
            if op == "sigmoid":
                assert math.isclose(out, 1 / (1 + math.exp(-inputs[0])) if inputs[0] > -700 else 0.0, abs_tol=1e-300)
        squares = [case for case in cases if case.args[0] == "mul" and case.args[1][0] == case.args[1][1]]
        assert squares, "one node u · u, whose two shares the engine adds"


def test_06_local_backward_names_each_wrong_rule_when_two_are_wrong():
    def local_backward(op, inputs, out, out_grad):
        if op == "add":
            return (out_grad / 2, out_grad / 2)
        if op == "sigmoid":
            return (out_grad * out,)
        if op == "mul":
            return (out_grad * inputs[1], out_grad * inputs[0])
        if op == "exp":
            return (out_grad * out,)
        return (out_grad / inputs[0],)

    result = check("06-local-backward", local_backward)
    assert result.diagnosis == "add_splits_adjoint+sigmoid_lacks_one_minus", repr(result)
    assert result.message.startswith("The rules of add, sigmoid are wrong: add splits out_grad in halves (it passes")
    assert "; sigmoid multiplies out_grad by σ(u) only (σ" in \
        result.message
    assert result.message.endswith("Right: mul, exp, log (the local derivatives of §5.6)")


def test_06_local_backward_one_rule_wrong_in_an_unknown_way_is_located():
    def local_backward(op, inputs, out, out_grad):
        rules = {"add": (1.0, 1.0), "mul": (inputs[-1], inputs[0]), "exp": (out,), "log": (-1 / inputs[0],),
                 "sigmoid": (out * (1 - out),)}
        return tuple(out_grad * d for d in rules[op])

    result = check("06-local-backward", local_backward)
    assert result.diagnosis == "wrong_values"
    assert result.message.startswith("the rule for 'log' gives wrong shares") and "every other operation is right" \
        in result.message


def test_06_local_backward_an_overflowing_sigmoid_is_told_to_use_out():
    def local_backward(op, inputs, out, out_grad):
        if op == "sigmoid":
            e = math.exp(-inputs[0])
            return (out_grad * e / (1 + e) ** 2,)
        return {"add": (out_grad, out_grad), "exp": (out_grad * out,), "log": (out_grad / inputs[0],)}.get(
            op) or (out_grad * inputs[1], out_grad * inputs[0])

    result = check("06-local-backward", local_backward)
    assert result.diagnosis == "not_overflow_safe" and "out · (1 − out)" in result.message


def test_06_local_backward_an_array_instead_of_a_tuple_is_a_type_problem_not_a_crash():
    result = check("06-local-backward", lambda op, inputs, out, out_grad: np.array([out_grad] * len(inputs)))
    assert result.diagnosis == "wrong_type" and "tuple" in result.message


# ---------------------------------------------------------------------------------- 06-topological-order

def _valid(order, parents):
    position = {n: k for k, n in enumerate(order)}
    return len(order) == len(parents) == len(position) and \
        all(position[p] < position[n] for n in parents for p in parents[n])


def test_06_order_problems_have_exactly_one_valid_order():
    for cases in draws("06-topological-order"):
        for case in cases:
            parents, output = case.args
            expected = list(EXERCISES["06-topological-order"].reference(parents, output))
            assert _valid(expected, parents) and expected[-1] == output
            # a chain through every node: each node's parents include the node before it, so no other order
            assert all(expected[k - 1] in parents[expected[k]] for k in range(1, len(expected)))
            assert not _valid(list(parents), parents) and not _valid(sorted(parents), parents)
            assert sum(not ps for ps in parents.values()) == 1
        assert any(len(ps) != len(set(ps)) for case in cases for ps in case.args[0].values()), "a node u · u"
        assert any(sum(n in ps for ps in case.args[0].values()) > 1 for case in cases for n in case.args[0])


def test_06_order_a_small_graph_has_no_second_order_by_brute_force():
    parents, output = EXERCISES["06-topological-order"].cases[1].args       # 7 nodes: 5040 permutations
    assert sum(_valid(list(p), parents) for p in itertools.permutations(parents)) == 1


@pytest.mark.parametrize("answer, code, phrase", [
    (lambda parents, output: [n for n in _dfs(parents, output) if n != output], "missing_nodes", "the output"),
    (lambda parents, output: _dfs(parents, output) + [output], "duplicate_nodes", "appears 2 times"),
    (lambda parents, output: [str(n) for n in _dfs(parents, output)], "wrong_type", "numpy array"),
    (lambda parents, output: _dfs(parents, output) + [1000], "unknown_nodes", "not a node of the graph"),
])
def test_06_order_rules_name_what_is_wrong(answer, code, phrase):
    result = check("06-topological-order", answer)
    assert result.diagnosis == code and phrase in result.message, repr(result)


def test_06_order_a_parent_after_its_child_is_named_with_a_real_edge():
    def topological_order(parents, output):
        order = _dfs(parents, output)
        order[-1], order[-2] = order[-2], order[-1]             # the output before its last parent
        return order

    result = check("06-topological-order", topological_order)
    assert result.diagnosis == "parent_after_child", repr(result)
    parents, output = EXERCISES["06-topological-order"].cases[0].args
    order = _dfs(parents, output)
    assert f"node {output} comes before its parent {order[-2]}" in result.message


def test_06_order_a_reversed_order_found_by_kahn_from_the_output_is_named():
    def topological_order(parents, output):
        children = {n: 0 for n in parents}
        for ps in parents.values():
            for p in set(ps):
                children[p] += 1
        ready, order = [n for n in parents if children[n] == 0], []
        while ready:
            n = ready.pop()
            order.append(n)
            for p in set(parents[n]):
                children[p] -= 1
                if children[p] == 0:
                    ready.append(p)
        return order                                             # output first: the backward order

    result = check("06-topological-order", topological_order)
    assert result.diagnosis == "reversed_order" and "the order the backward pass visits" in result.message


def _dfs(parents, output):
    order, seen = [], set()

    def go(n):
        if n not in seen:
            seen.add(n)
            for p in parents[n]:
                go(p)
            order.append(n)
    go(output)
    return order


# ------------------------------------------------------------------------------------------- 06-engine

def test_06_engine_problems_include_a_repeat_and_an_extreme_network():
    for cases in draws("06-engine"):
        again = [case for case in cases if "again" in case.tags]
        assert len(again) == 1 and again[0].args is cases[0].args
        extreme = [case for case in cases if "extreme" in case.tags]
        assert extreme
        params, X, Y = extreme[0].args
        Z1 = params["A0"] @ X + params["b0"]
        assert np.abs(Z1).max() >= 700                            # where a naive exp(−Z) overflows
        assert {tuple(p["A0"].shape) + tuple(p["A1"].shape) for p, _, _ in (c.args for c in cases)} >= \
            {(3, 2, 1, 3), (2, 3, 2, 2)}


def test_06_engine_reference_is_the_gradient_by_central_differences():
    params, X, Y = EXERCISES["06-engine"].cases[2].args
    grads = EXERCISES["06-engine"].reference(params, X, Y)
    for key, value in params.items():
        numerical = coursekit.tensor_jacobian(lambda v: coursekit.total_cost({**params, key: v}, X, Y), value)
        assert np.allclose(grads[key], numerical, rtol=1e-6, atol=1e-9), key


def test_06_engine_an_engine_that_overwrites_shares_is_told_to_add_them():
    def engine_gradients(params, X, Y):
        # per example, last write wins: each weight keeps the share of example 0 (visited last)
        per = [coursekit.backward(params, coursekit.forward(params, X[:, [r]]), Y[:, [r]]) for r in range(X.shape[1])]
        return {key: 0.5 * per[0][key] for key in params}

    from coursekit.exercises.decide import decide
    from coursekit.exercises.running import run
    exercise = EXERCISES["06-engine"]
    result = decide(exercise, exercise.cases, run(engine_gradients, exercise.cases, 5.0))   # no delegation watch
    assert result.diagnosis == "fan_out_not_summed" and "parent.grad += share" in result.message


def test_06_engine_state_kept_between_calls_is_named():
    calls = []

    def engine_gradients(params, X, Y):
        calls.append(1)
        grads = EXERCISES["06-engine"].reference(params, X, Y)
        return {key: value * (2.0 if len(calls) > 4 else 1.0) for key, value in grads.items()}

    from coursekit.exercises.decide import decide
    from coursekit.exercises.running import run
    exercise = EXERCISES["06-engine"]
    result = decide(exercise, exercise.cases, run(engine_gradients, exercise.cases, 5.0))
    assert result.diagnosis == "grads_not_reset" and "called on the same problem" in result.message


# -------------------------------------------------------------------------------------- 07-jacobian-chain

def test_07_chain_on_a_real_network_is_twice_coursekit_backward():
    sizes = [3, 4, 2, 2]
    params = coursekit.init_params(sizes, seed=11)
    x, y = np.array([[0.5], [-1.0], [2.0]]), np.array([[1.0], [0.0]])
    trace = coursekit.forward(params, x)
    K = len(sizes) - 1
    sp = [None] + [trace[f"f{i}"] * (1 - trace[f"f{i}"]) for i in range(1, K + 1)]
    orange = [np.diag(sp[i + 1][:, 0]) @ params[f"A{i}"] for i in range(K)]
    blue = [np.diag(sp[i + 1][:, 0]) @ np.hstack([np.kron(np.eye(sizes[i + 1]), trace[f"f{i}"].T), np.eye(sizes[i + 1])])
            for i in range(K)]
    rows = EXERCISES["07-jacobian-chain"].reference(-2 * (y - trace[f"f{K}"]).T, orange, blue)
    grads = coursekit.backward(params, trace, y)
    for i in range(K):
        flat = np.concatenate([grads[f"A{i}"].ravel(), grads[f"b{i}"].ravel()])
        assert np.allclose(rows[i].ravel(), 2 * flat, rtol=1e-12)


def test_07_chain_one_factor_too_many_is_the_slip_of_section_5():
    def gradient_rows(dL_dfK, orange, blue):
        rows, row = [None] * len(blue), dL_dfK
        for i in reversed(range(len(blue))):
            row = row @ orange[i]                              # ∂f_{i+1}/∂f_i taken in too early
            rows[i] = row @ blue[i]
        return rows

    result = check("07-jacobian-chain", gradient_rows)
    assert result.diagnosis == "one_factor_too_many"
    assert "the chain in front of the box ends at ∂f_(i+2)/∂f_(i+1)" in result.message


def test_07_chain_problems_mix_square_and_non_square_layers():
    for cases in draws("07-jacobian-chain"):
        assert any("square" in c.tags for c in cases) and any("square" not in c.tags for c in cases)
        assert {len(c.args[2]) for c in cases} >= {1, 2, 3, 4}


# ------------------------------------------------------------------------------------------ 07-reuse-count

def _spent(sizes, reuse, seed=0):
    """Multiply-adds of the running row (or of fresh chains), counted while multiplying real matrices."""
    rng = np.random.default_rng(seed)
    K = len(sizes) - 1
    orange = [rng.normal(size=(sizes[i + 1], sizes[i])) for i in range(K)]
    f = [rng.normal(size=(n, 1)) for n in sizes]
    spent = 0

    def times(row, M):
        nonlocal spent
        spent += M.size
        return row @ M

    start = rng.normal(size=(1, sizes[-1]))
    row = start
    for i in reversed(range(K)):
        if reuse and i < K - 1:
            row = times(row, orange[i + 1])
        elif not reuse:
            row = start
            for j in range(K - 1, i, -1):
                row = times(row, orange[j])
        u = row * rng.uniform(size=(1, sizes[i + 1]))          # row · diag(σ')
        outer = u.T @ f[i].T                                  # u f_iᵀ
        spent += u.size + outer.size
    return spent


@pytest.mark.parametrize("seed", range(20))
def test_07_count_reference_is_what_multiplying_real_matrices_costs(seed):
    rng = np.random.default_rng(seed)
    sizes = [int(n) for n in rng.integers(1, 9, size=int(rng.integers(2, 8)))]
    for reuse in (False, True):
        assert EXERCISES["07-reuse-count"].reference(sizes, reuse) == _spent(sizes, reuse, seed)


def test_07_count_for_equal_widths_is_the_formula_of_section_6():
    for n, K in [(16, 1), (16, 5), (4, 30), (7, 12)]:
        assert _count([n] * (K + 1), False) == n * n * K * (K - 1) // 2 + K * n * (n + 1)
        assert _count([n] * (K + 1), True) == n * n * (K - 1) + K * n * (n + 1)


def test_07_count_right_only_for_equal_widths_is_said_so():
    def multiply_adds(sizes, reuse):
        n, K = sizes[1], len(sizes) - 1                      # a width from the middle, then the formula
        return n * n * (K - 1) + K * n * (n + 1) if reuse else n * n * K * (K - 1) // 2 + K * n * (n + 1)

    result = check("07-reuse-count", multiply_adds)
    assert result.diagnosis == "right_only_for_equal_widths" and "n_(j+1)·n_j, not n²" in result.message


# ------------------------------------------------------------------------------------------------- all

@pytest.mark.parametrize("exercise_id", ["06-local-backward", "06-engine", "07-jacobian-chain", "07-reuse-count"])
def test_messages_never_show_the_expected_values(exercise_id):
    exercise = EXERCISES[exercise_id]
    zero = {"06-local-backward": lambda op, inputs, out, g: tuple(0.0 for _ in inputs),
            "06-engine": lambda p, X, Y: {k: np.zeros_like(v) + 1e-3 for k, v in p.items()},
            "07-jacobian-chain": lambda d, o, b: [np.zeros((1, m.shape[1])) for m in b],
            "07-reuse-count": lambda sizes, reuse: 1}[exercise_id]
    result = check(exercise_id, zero)
    assert not result.passed
    for case in exercise.cases:
        expected = exercise.reference(*case.args)
        leaves = expected.values() if isinstance(expected, dict) else expected if isinstance(expected, tuple) \
            else [expected]
        for leaf in leaves:
            for value in np.ravel(np.asarray(leaf, dtype=float)):
                if abs(value) > 1e-3:
                    for text in (f"{value:.6g}", f"{value:.4f}"):
                        assert text not in result.message, (exercise_id, text)
