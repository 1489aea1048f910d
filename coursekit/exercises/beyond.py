"""Checks of notebook 10, beyond the lecture: the softmax Jacobian, δ_K for softmax with categorical
cross-entropy, and the backward rule of an affine layer.

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
The references and mutants are written here with plain numpy (overflow-safe where the lesson needs it).
"""
import numpy as np

from .. import layers  # noqa: F401 — registers the layer API's @reference marks, so that a check watches them
from .catalogue import Case, Exercise, Mistake, shorten
from .comparing import _as_array, _close
from .decide import NUMERICAL
from .rules import off_diagonal, right_only_on


def _p(z, axis=0):
    """softmax along `axis`, shifted by the largest entry so that no exponential overflows."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _sigma(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z))          # 1 / (1 + e^(−z)) without overflow


def _minus(text):
    return text.replace("-", "−")


def _numbers(values):
    return _minus(", ".join(f"{v:g}" for v in values))


def mistake_besides_overflow(note):
    """Rule: a catalogued mistake on every moderate problem, and NaN/inf (or an error) on an extreme one.

    The mutants compute overflow-safely, so an answer that makes a known mistake *and* overflows matches no
    mutant on the extreme problems; this names the mistake and adds `note` about the overflow.
    """
    def rule(ev):
        extreme = [i for i, case in enumerate(ev.cases) if "extreme" in case.tags]
        moderate = [i for i in range(len(ev.cases)) if i not in extreme]
        if not extreme or not moderate:
            return None

        def broke(i):
            outcome, problem = ev.outcomes[i], ev.problems[i]
            return outcome.kind == "raised" or (outcome.kind == "returned" and problem is not None and
                                                problem.kind == "nan")

        if not any(broke(i) for i in extreme):
            return None
        rtol, atol = ev.exercise.rtol, ev.exercise.atol
        for mistake in ev.exercise.mistakes:
            if not mistake.match:
                continue
            results = ev.mutant(mistake)

            def same(i):
                outcome, (kind, value) = ev.outcomes[i], results[i]
                if outcome.kind == "raised" and kind == "raised":
                    return True
                return outcome.kind == kind == "returned" and _close(outcome.value, value, rtol, atol)

            if all(same(i) for i in moderate) and any(ev.outcomes[i].kind == "returned" for i in moderate) and \
                    all(broke(i) or same(i) for i in extreme):
                # the mistake itself may be what overflows (e.g. −Y/p with p = 0): then no note is due
                own = all(not _finite(results[i]) for i in extreme if broke(i))
                return mistake.code, mistake.message if own else f"{mistake.message}; besides, {note}"
        return None
    rule.__name__ = "mistake_besides_overflow"
    return rule


def numerical_besides_extreme(note):
    """Rule: within finite-difference error of the analytic result on every moderate problem (and not equal to
    round-off on a probe), but wrong on an extreme one: finite differences that also break at |z| ≥ 700."""
    def rule(ev):
        ex = ev.exercise
        extreme = [i for i, case in enumerate(ev.cases) if "extreme" in case.tags]
        moderate = [i for i in range(len(ev.cases)) if i not in extreme]
        probes = [i for i in moderate if "probe" in ev.cases[i].tags]
        if not ex.analytic or not extreme or not probes or all(ev.right[i] for i in probes):
            return None
        if not all(ev.outcomes[i].kind == "returned" and ev.problems[i] is None and
                   _close(ev.outcomes[i].value, ev.expected[i], NUMERICAL, NUMERICAL) for i in moderate):
            return None
        if all(ev.right[i] for i in extreme):
            return None
        return ("numerical_not_analytic",
                f"{ev.name}'s values agree with the analytic result only to about 1e-6 to 1e-10, as finite "
                f"differences do; this exercise asks for the derivative worked out by the rules ({ex.step}), "
                f"which is exact up to round-off; besides, {note}")
    rule.__name__ = "numerical_besides_extreme"
    return rule


def unless_parts_named(rule):
    """The rule, except when every wrong part of a tuple/dict answer matches some mistake's part (then the
    part-by-part report, which names each part's mistake, says more)."""
    def wrapped(ev):
        found = rule(ev)
        if found is None or not ev.exercise.parts or not ev.returned() or any(p is not None for p in ev.problems):
            return found
        rtol, atol = ev.exercise.rtol, ev.exercise.atol
        for key in ev.exercise.parts:
            wrong = [i for i, o in enumerate(ev.outcomes) if not _close(o.value[key], ev.expected[i][key], rtol, atol)]
            if not wrong:
                continue
            if not any(all(kind == "returned" and _close(ev.outcomes[i].value[key], _part(value, key), rtol, atol)
                           for i, (kind, value) in enumerate(ev.mutant(m)))
                       for m in ev.exercise.mistakes if m.match):
                return found
        return None
    wrapped.__name__ = getattr(rule, "__name__", "rule")
    return wrapped


def _part(value, key):
    """value[key], or None when a mutant's result has no such part."""
    try:
        return value[key]
    except (TypeError, KeyError, IndexError):
        return None


def _finite(result):
    kind, value = result
    if kind != "returned":
        return False
    try:
        return bool(np.isfinite(np.asarray(value, dtype=np.float64)).all())
    except (TypeError, ValueError):
        return all(_finite(("returned", v)) for v in value) if isinstance(value, (tuple, list)) else False


_NUMERICAL_NOTE = ("on the problem with entries in the hundreds it is wrong as well, where the exponentials "
                   "under- or overflow")
_OVERFLOW_NOTE = ("it gives NaN or inf on the problem with entries in the hundreds: np.exp(750) is inf and "
                  "inf/inf is NaN, so subtract the column's largest entry before exponentiating (the shift "
                  "cancels between numerator and denominator)")


# ---------------------------------------------------------------------------------- 10-softmax-jacobian

def _softmax_jacobian(z):
    p = _p(z)
    return np.diag(p) - np.outer(p, p)                 # ∂p_i/∂z_j = p_i (δ_ij − p_j)


def _jacobian_problems(rng):
    cases = []
    for n in (3, 4, 2, 5):
        z = np.round(rng.uniform(-3.0, 3.0, size=n), 2)
        cases.append(Case((z,), f"z = ({_numbers(z)})", {"probe"}))
    # e^z overflows to inf above z ≈ 709.8 and underflows to 0 below z ≈ −745.1: both must happen naively
    top = round(float(rng.uniform(730.0, 800.0)), 1)
    z = np.array([top, top - round(float(rng.uniform(0.2, 1.5)), 2), -round(float(rng.uniform(700.0, 800.0)), 1)])
    z = z[rng.permutation(3)]
    cases.append(Case((z,), f"z = ({_numbers(z)}), entries in the hundreds", {"extreme"}))
    low = -round(float(rng.uniform(760.0, 800.0)), 1)
    z = np.array([low, low - round(float(rng.uniform(0.2, 1.5)), 2), low + round(float(rng.uniform(0.2, 1.5)), 2)])
    cases.append(Case((z,), f"z = ({_numbers(z)}), entries in the hundreds", {"extreme"}))
    return cases


def _index_slip_rows(z):
    p = _p(z)
    return np.diag(p) - (p * p)[:, None] * np.ones(len(p))     # p_i (δ_ij − p_i)


def _index_slip_columns(z):
    p = _p(z)
    return np.diag(p) - np.ones((len(p), 1)) * (p * p)[None, :]  # p_j (δ_ij − p_j)


def _unnormalised(z, shift):
    """diag(e) − e eᵀ with e = e^z (or e^{z − max z}): the Jacobian built before dividing by Σ_k e^{z_k}."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - np.max(z) if shift else z)
    return np.diag(e) - np.outer(e, e)


def _diagonal_wrong(message, code="diagonal_wrong"):
    """Rule: a square-matrix answer whose entries off the diagonal are right on every case, but not the diagonal."""
    def rule(ev):
        if not ev.returned():
            return None
        for outcome, expected in zip(ev.outcomes, ev.expected):
            a, e = _as_array(outcome.value), np.asarray(expected, dtype=np.float64)
            if a is None or a.shape != e.shape or a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 2:
                return None
            off = ~np.eye(a.shape[0], dtype=bool)
            if not _close(a[off], e[off], ev.exercise.rtol, ev.exercise.atol):
                return None
        return code, message
    rule.__name__ = code
    return rule


_JACOBIAN_STEP = "the Jacobian (5.58) of p = softmax(z), entry by entry J(i, j) = ∂p_i/∂z_j (5.59)"

SOFTMAX_JACOBIAN = Exercise(
    id="10-softmax-jacobian", function="softmax_jacobian", args=("z",), analytic=True,
    forbidden=("softmax", "derivative", "numerical", "backward"), step=_JACOBIAN_STEP,
    reference=_softmax_jacobian, problems=_jacobian_problems,
    overflow_hint="compute p = softmax(z) from z − max(z), whose exponentials are at most 1 (the shift cancels "
                  "in the ratio), and build the Jacobian from p",
    rules=[off_diagonal("the diagonal p_i(1 − p_i) is right, but the entries off the diagonal are not: every "
                        "p_i depends on every z_j through the denominator Σ_k e^{z_k}, so J(i, j) = ∂p_i/∂z_j "
                        "(5.59) is −p_i p_j for i ≠ j", code="off_diagonal_wrong"),
           _diagonal_wrong("the entries off the diagonal are right (−p_i p_j), but the diagonal is not: for i = j "
                           "both terms of the quotient rule contribute, the numerator's p_i and the "
                           "denominator's −p_i², so ∂p_i/∂z_i = p_i(1 − p_i) (5.59)"),
           mistake_besides_overflow(_OVERFLOW_NOTE), numerical_besides_extreme(_NUMERICAL_NOTE)],
    mistakes=[
        Mistake("diag_only", "this is diag(p) alone: the quotient rule gives ∂p_i/∂z_j two terms, p_i δ_ij from the "
                             "numerator e^{z_i} and −p_i p_j from the denominator Σ_k e^{z_k}, which depends on "
                             "every z_j (J(i, j), (5.59))",
                lambda z: np.diag(_p(z))),
        Mistake("outer_only", "this is −p pᵀ alone: it is the denominator's term; the numerator e^{z_i} depends "
                              "on z_i too and adds p_i on the diagonal (quotient rule, J(i, j) (5.59))",
                lambda z: -np.outer(_p(z), _p(z))),
        Mistake("sign_error", "every entry has the wrong sign: raising z_i raises p_i, so the diagonal "
                              "∂p_i/∂z_i = p_i(1 − p_i) is positive and the entries off it are −p_i p_j (5.59)",
                lambda z: np.outer(_p(z), _p(z)) - np.diag(_p(z))),
        Mistake("treated_as_elementwise", "this is diag(p ⊙ (1 − p)), the Jacobian of an element-wise function "
                                          "like σ; softmax is not element-wise: each p_i depends on every z_j "
                                          "through Σ_k e^{z_k}, so the entries off the diagonal, −p_i p_j, are "
                                          "not zero (5.59)",
                lambda z: np.diag(_p(z) * (1 - _p(z)))),
        Mistake("sigmoid_jacobian", "this is the Jacobian diag(σ'(z)) of the element-wise sigmoid (notebook 03); "
                                    "softmax divides e^{z_i} by Σ_k e^{z_k}, which couples every output to every "
                                    "input (5.58)",
                lambda z: np.diag(_sigma(z) * (1 - _sigma(z)))),
        Mistake("inner_not_outer", "the second term is the number pᵀp (an inner product, broadcast over every "
                                   "entry) where the n × n outer product p pᵀ belongs: with p as a column, "
                                   "p pᵀ = np.outer(p, p) has entries p_i p_j (5.59)",
                lambda z: np.diag(_p(z)) - _p(z) @ _p(z)),
        Mistake("index_slip", "the second term uses p_i twice, p_i(δ_ij − p_i): it is p_i(δ_ij − p_j), with the "
                              "row index i from the output p_i and the column index j from the input z_j (5.59)",
                _index_slip_rows),
        Mistake("index_slip", "the second term uses p_j twice, p_j(δ_ij − p_j): it is p_i(δ_ij − p_j), with the "
                              "row index i from the output p_i and the column index j from the input z_j (5.59)",
                _index_slip_columns),
        Mistake("unnormalised", "this uses e^z where p = e^z / Σ_k e^{z_k} belongs: divide by the sum first, then "
                                "build the Jacobian from p (5.58)",
                lambda z: _unnormalised(z, shift=True)),
        Mistake("unnormalised", "this uses e^z where p = e^z / Σ_k e^{z_k} belongs: divide by the sum first, then "
                                "build the Jacobian from p (5.58)",
                lambda z: _unnormalised(z, shift=False)),
        Mistake("vector_not_matrix", "this is a vector; the Jacobian (5.58) of softmax: R^n → R^n is an n × n "
                                     "matrix with J(i, j) = ∂p_i/∂z_j (5.59)",
                lambda z: _p(z) * (1 - _p(z))),
        Mistake("function_not_derivative", "this is p = softmax(z) itself; the exercise asks for its derivatives, "
                                           "the Jacobian (5.58), an n × n matrix",
                lambda z: _p(z)),
    ])


# ------------------------------------------------------------------------------------ 10-softmax-delta

def _delta(ZK, Y):
    return _p(ZK) - Y                                  # Σ_k (−Y_k / p_k) p_k (δ_kj − p_j) = p_j Σ_k Y_k − Y_j


def _targets(rng, n, R, soft):
    if soft:
        return rng.dirichlet(np.ones(n), size=R).T     # each column a probability vector
    return np.eye(n)[:, rng.integers(0, n, size=R)]   # one-hot columns


def _delta_problems(rng):
    cases = []
    for n, R, soft in [(3, 5, False), (4, 3, True), (2, 4, False), (5, 1, False), (3, 3, True)]:
        ZK = np.round(rng.normal(0.0, 1.5, size=(n, R)), 3)
        tags = {"probe"} | ({"R=1"} if R == 1 else set()) | ({"square"} if n == R else set())
        label = f"Z_K, Y of shape ({n}, {R}) with {'soft targets (columns summing to 1)' if soft else 'one-hot Y'}"
        cases.append(Case((ZK, _targets(rng, n, R, soft)), label, tags))
    n, R = 3, 4
    signs = rng.permutation([1.0, -1.0, 1.0, -1.0])   # columns far apart: one shift for all of them fails
    base = signs * np.round(rng.uniform(760.0, 800.0, size=R), 1)   # beyond ±745: e^z over- or underflows
    ZK = base + np.round(rng.uniform(-2.0, 2.0, size=(n, R)), 2)
    ZK[rng.integers(0, n), 0] -= 800.0                 # one class e^{−800} below the others: p underflows to 0
    Y = _targets(rng, n, R, False)
    Y[:, 0] = 0.0
    Y[int(np.argmin(ZK[:, 0])), 0] = 1.0               # … and that improbable class is the target
    cases.append(Case((ZK, Y), f"Z_K of shape ({n}, {R}) with entries in the hundreds, one-hot Y", {"extreme"}))
    return cases


def _squared_error_delta(ZK, Y):
    p = _p(ZK)
    e = p - Y                                          # ∂E/∂p of ½‖p − Y‖², times diag(p) − p pᵀ per column
    return p * (e - np.sum(p * e, axis=0, keepdims=True))


_DELTA_STEP = "δ_K = ∂E/∂Z_K by the chain rule (5.48)–(5.49), ∂E^r/∂p times the softmax Jacobian, summed over r"

SOFTMAX_DELTA = Exercise(
    id="10-softmax-delta", function="softmax_delta", args=("ZK", "Y"), analytic=True,
    forbidden=("softmax", "cost_gradient", "backward", "numerical"), step=_DELTA_STEP,
    reference=_delta, problems=_delta_problems,
    overflow_hint="compute p = softmax(Z_K) column by column from Z_K − (the column's largest entry), whose "
                  "exponentials are at most 1, and use the simplified δ_K, which has no division by p",
    rules=[right_only_on("R=1", "right_only_for_R1",
                         "right only for R = 1 example: with R columns, softmax normalises each column on its own "
                         "(sums over the classes, axis=0) and δ_K keeps one column per example (Total Cost)"),
           mistake_besides_overflow(_OVERFLOW_NOTE), numerical_besides_extreme(_NUMERICAL_NOTE)],
    mistakes=[
        Mistake("sign_error", "δ_K has the wrong sign: E^r = −Σ_k Y_k log p_k falls when p moves towards Y, so "
                              "∂E/∂Z_K = p − Y, not Y − p (chain rule (5.48), Backward Path (1))",
                lambda ZK, Y: Y - _p(ZK)),
        Mistake("mean_instead_of_sum", "δ_K is divided by R: the Total Cost is the sum E = Σ_r E^r, and column r "
                                       "of ∂E/∂Z_K is ∂E^r/∂Z_K of example r alone, with no 1/R",
                lambda ZK, Y: (_p(ZK) - Y) / ZK.shape[1]),
        Mistake("sigma_prime_factor", "δ_K carries an extra factor p ⊙ (1 − p), as if ∂p/∂Z_K were a diagonal "
                                      "diag(σ') as for the sigmoid: with categorical cross-entropy the whole "
                                      "Jacobian diag(p) − p pᵀ multiplies −Y/p and the product is p − Y (chain "
                                      "rule (5.48)–(5.49))",
                lambda ZK, Y: (_p(ZK) - Y) * _p(ZK) * (1 - _p(ZK))),
        Mistake("missing_sum_over_classes", "this keeps only the k = j term of ∂E/∂z_j = Σ_k (∂E/∂p_k)(∂p_k/∂z_j), "
                                            "i.e. −Y_j(1 − p_j); every p_k depends on z_j, so sum over all k, as "
                                            "the multivariate chain rule (5.49) sums over every intermediate "
                                            "variable (use Σ_k Y_k = 1)",
                lambda ZK, Y: -Y * (1 - _p(ZK))),
        Mistake("dE_dp_not_dZ", "this is ∂E/∂p = −Y/p, the derivative with respect to the softmax outputs; δ_K "
                                "is with respect to Z_K: multiply by the softmax Jacobian diag(p) − p pᵀ (chain "
                                "rule (5.48)) and simplify",
                lambda ZK, Y: np.where(Y > 0, -Y / np.where(Y > 0, _p(ZK), 1.0), 0.0)),
        Mistake("squared_error_delta", "this is δ_K of the squared error ½‖p − Y‖² through softmax, "
                                       "(diag(p) − p pᵀ)(p − Y); the categorical cross-entropy has "
                                       "∂E^r/∂p = −(Y/p)ᵀ, and its product with the Jacobian collapses to p − Y "
                                       "(chain rule (5.48)–(5.49))",
                _squared_error_delta),
        Mistake("sigmoid_not_softmax", "this uses σ(Z_K) − Y, the δ_K of sigmoid outputs with binary "
                                       "cross-entropy (notebook 09); here the outputs are p = softmax(Z_K), each "
                                       "column normalised over the classes, and δ_K = p − Y (Backward Path (1))",
                lambda ZK, Y: _sigma(ZK) - Y),
        Mistake("softmax_wrong_axis", "softmax is taken along each row (over the R examples, axis=1); each "
                                      "example is a column, so normalise over the classes, axis=0 (Total Cost: "
                                      "one E^r per column)",
                lambda ZK, Y: _p(ZK, axis=1) - Y),
        Mistake("softmax_whole_matrix", "softmax is normalised over the whole matrix (np.sum without an axis); "
                                        "each example's column is its own probability vector, so sum over the "
                                        "classes, axis=0, keepdims=True (Total Cost: one E^r per column)",
                lambda ZK, Y: np.exp(ZK - ZK.max()) / np.sum(np.exp(ZK - ZK.max())) - Y),
        Mistake("logits_not_probabilities", "this is Z_K − Y: the outputs are p = softmax(Z_K), not Z_K itself; "
                                            "δ_K = p − Y (Backward Path (1))",
                lambda ZK, Y: ZK - Y),
        Mistake("summed_over_examples", "this sums δ_K over the R examples into one column; δ_K = ∂E/∂Z_K keeps "
                                        "Z_K's shape (n_K, R), one column per example; the sum over r comes "
                                        "later, in ∂E/∂b (Total Cost, Backward Path (1))",
                lambda ZK, Y: np.sum(_p(ZK) - Y, axis=1, keepdims=True)),
        Mistake("row_layout", "this is δ_K transposed, (R, n_K): the code keeps ∂E/∂Z_K in Z_K's shape (n_K, R), "
                              "one column per example; the book's row gradient ∂E^r/∂Z_K is column r transposed "
                              "(5.40)",
                lambda ZK, Y: (_p(ZK) - Y).T),
    ])


# ---------------------------------------------------------------------------------- 10-affine-backward

def _affine_backward(dZ, cache, *, dA_T=False, unsummed=False, axis0=False, plain_A=False, mean=False,
                     df_rows=False, flat_db=False, order=(0, 1, 2)):
    f, A, b = cache
    df = dZ.T @ A if df_rows else (A if plain_A else A.T) @ dZ      # ∂Z/∂f = A: df = Aᵀ dZ
    dA = f @ dZ.T if dA_T else dZ @ f.T                             # Σ_r dZ_r f_rᵀ
    db = dZ.copy() if unsummed else dZ.sum(axis=0, keepdims=True) if axis0 else dZ.sum(axis=1, keepdims=True)
    if flat_db:
        db = db.ravel()
    scale = 1.0 / f.shape[1] if mean else 1.0
    parts = (scale * df, scale * dA, scale * db)
    return tuple(parts[i] for i in order)


def _affine_reference(dZ, cache):
    return _affine_backward(dZ, cache)


def _affine_problems(rng):
    cases = []
    for n_out, n_in, R in [(2, 3, 4), (3, 2, 5), (4, 4, 3), (3, 2, 1), (1, 3, 4)]:
        f = np.round(rng.normal(size=(n_in, R)), 3)
        A = np.round(rng.normal(size=(n_out, n_in)), 3)
        b = np.round(rng.normal(size=(n_out, 1)), 3)
        dZ = np.round(rng.normal(size=(n_out, R)), 3)
        tags = {"probe"} | ({"R=1"} if R == 1 else set()) | ({"square"} if n_out == n_in else set())
        cases.append(Case((dZ, (f, A, b)), f"A of shape ({n_out}, {n_in}) with R = {R}", tags))

    def hundreds(shape):                               # |entries| in [700, 800]: products near 1e6, still exact
        return rng.choice([-1.0, 1.0], size=shape) * np.round(rng.uniform(700.0, 800.0, size=shape), 1)
    f, A, b, dZ = hundreds((3, 3)), hundreds((2, 3)), hundreds((2, 1)), hundreds((2, 3))
    cases.append(Case((dZ, (f, A, b)), "A of shape (2, 3) with R = 3 and entries in the hundreds", {"extreme"}))
    return cases


def _affine(**flags):
    def affine_backward(dZ, cache):
        return _affine_backward(dZ, cache, **flags)
    return affine_backward


_AFFINE_PARTS = {0: ("df = ∂E/∂f", "Backward Paths (2), (4): ∂Z/∂f = A"),
                 1: ("dA = ∂E/∂A", "Backward Paths (3), (4)"),
                 2: ("db = ∂E/∂b", "Backward Paths (1), (2)")}

_AFFINE_SHORT = {
    "dA_transposed": "is transposed (it must have A's shape (n_out, n_in): dZ fᵀ)",
    "db_not_summed": "is not summed over the R examples",
    "db_summed_wrong_axis": "is summed over the units (axis=0) instead of the R examples (axis=1)",
    "A_not_transposed": "passes dZ back through A instead of Aᵀ",
    "mean_instead_of_sum": "is divided by R",
    "df_row_layout": "is in the row layout (R, n_in): it must be Aᵀ dZ, of f's shape (n_in, R)",
    "db_one_dimensional": "is 1-D: keep b's shape (n_out, 1) with keepdims=True",
}

AFFINE_BACKWARD = Exercise(
    id="10-affine-backward", function="affine_backward", args=("dZ", "cache"), analytic=True,
    forbidden=("backward", "numerical"), step="the backward rule of Z = A f + b, Backward Paths (1)–(4)",
    reference=_affine_reference, problems=_affine_problems, parts=_AFFINE_PARTS,
    modified_hint="dZ and the cache are read-only (the cache may be shared with other layers): compute new "
                  "arrays (db = dZ.sum(…)) instead of changing them in place",
    rules=[numerical_besides_extreme("on the problem with entries in the hundreds it is wrong as well: there the "
                                     "round-off of a difference quotient, about 1e-16 |E| / h, is no longer small"),
           unless_parts_named(right_only_on("R=1", "right_only_for_R1",
                         "right only for R = 1 example: with R columns, dA = dZ fᵀ sums the outer products over "
                         "the examples by itself, db must add dZ's columns (sum(axis=1, keepdims=True)) and df "
                         "keeps one column per example (Total Cost)")),
           unless_parts_named(right_only_on("square", "right_only_for_square",
                         "right only when A is square: check every product's shapes; ∂Z/∂f = A, so the error "
                         "goes back through Aᵀ, df = Aᵀ dZ (n_in, R), and dA = dZ fᵀ has A's shape (Backward "
                         "Paths (2)–(4))"))],
    mistakes=shorten([
        Mistake("dA_transposed", "dA is transposed: it must have A's shape (n_out, n_in), the outer products "
                                 "dZ fᵀ summed over the examples, not f dZᵀ (Backward Paths (3), (4))",
                _affine(dA_T=True)),
        Mistake("db_not_summed", "db is not summed over the R examples: E = Σ_r E^r and ∂Z/∂b = I for every "
                                 "example, so add dZ's columns, dZ.sum(axis=1, keepdims=True) (Backward Paths "
                                 "(1), (2))",
                _affine(unsummed=True)),
        Mistake("db_summed_wrong_axis", "db is summed over the units (axis=0) instead of over the R examples "
                                        "(axis=1): db has b's shape (n_out, 1) (Backward Paths (1), (2))",
                _affine(axis0=True)),
        Mistake("db_one_dimensional", "db is a 1-D array: keep b's shape (n_out, 1), "
                                      "dZ.sum(axis=1, keepdims=True), or a later b − η db broadcasts to an "
                                      "(n_out, n_out) matrix (Backward Paths (1), (2))",
                _affine(flat_db=True)),
        Mistake("A_not_transposed", "df passes dZ back through A instead of Aᵀ: ∂Z/∂f = A, and a row times A is "
                                    "Aᵀ times the column, so df = Aᵀ dZ (Backward Paths (2), (4))",
                _affine(plain_A=True)),
        Mistake("df_row_layout", "df = dZᵀ A is the book's row layout, one row per example (R, n_in); the code "
                                 "keeps df in f's shape (n_in, R): its transpose, Aᵀ dZ (Backward Paths (2), (4))",
                _affine(df_rows=True)),
        Mistake("mean_instead_of_sum", "every gradient is divided by R: the Total Cost is the sum E = Σ_r E^r, "
                                       "and dZ already holds the upstream ∂E/∂Z of that sum",
                _affine(mean=True)),
        Mistake("wrong_order", "the three gradients are in the wrong order: return (df, dA, db), the gradient "
                               "for each input of affine_forward(f, A, b) in the same order (Backward Paths "
                               "(1)–(4))",
                _affine(order=(1, 2, 0))),
        Mistake("wrong_order", "the three gradients are in the wrong order: return (df, dA, db), the gradient "
                               "for each input of affine_forward(f, A, b) in the same order (Backward Paths "
                               "(1)–(4))",
                _affine(order=(1, 0, 2))),
    ], _AFFINE_SHORT))


EXERCISES = [SOFTMAX_JACOBIAN, SOFTMAX_DELTA, AFFINE_BACKWARD]
