"""Checks of notebook 06: the adjoints of the computational graph of (5.109), backwards from ∂f/∂f = 1.

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""
import math

from .catalogue import Case, Exercise, Mistake, shorten


# ------------------------------------------------------------------------------------------ 06-adjoints

def _adjoints(x, *, direct=True, sin_sign=-1.0, exp_factor=True, half=0.5, dadx=True, via_d=True, via_e=True):
    a = x ** 2
    b = math.exp(a)
    c = a + b
    df_df = 1.0
    df_dd = df_df * 1.0                              # f = d + e
    df_de = df_df * 1.0
    df_dc = (df_dd * half / math.sqrt(c) if via_d else 0.0) + (df_de * sin_sign * math.sin(c) if via_e else 0.0)
    df_db = df_dc * 1.0                              # c = a + b
    df_da = (df_dc * 1.0 if direct else 0.0) + df_db * (b if exp_factor else 1.0)
    df_dx = df_da * (2 * x if dadx else 1.0)
    return {"f": df_df, "e": df_de, "d": df_dd, "c": df_dc, "b": df_db, "a": df_da, "x": float(df_dx)}


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
    points = [round(float(x), 3) for x in (rng.uniform(0.4, 0.9), rng.uniform(-1.2, -0.5), rng.uniform(0.1, 0.4))]
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
        Mistake("missing_half_in_sqrt", "∂f/∂c uses ∂d/∂c = 1/√c; for d = √c it is 1/(2√c) (5.110)",
                lambda x: _adjoints(x, half=1.0)),
        Mistake("missing_da_dx", "∂f/∂x lacks ∂a/∂x = 2x: ∂f/∂x = ∂f/∂a · 2x for a = x² (5.110)",
                lambda x: _adjoints(x, dadx=False)),
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
        "missing_half_in_sqrt": "lacks the ½ of ∂√c/∂c = 1/(2√c)",
        "missing_da_dx": "lacks ∂a/∂x = 2x",
        "missing_path_through_e": "misses the path through e",
        "missing_path_through_d": "misses the path through d",
        "forward_values": "is a forward value, not an adjoint",
        "forward_mode_tangents": "is a forward-mode tangent ∂node/∂x, not an adjoint ∂f/∂node",
    }))


EXERCISES = [ADJOINTS]
