"""Rules that find mistakes no single mutant expresses; an exercise lists the ones that apply (`rules=`).

A rule takes the Evidence of a check (decide.py) and returns (diagnosis, message) or None. The factories:

    right_only_on("R=1", "right_only_for_R1", "…")    right on the cases tagged "R=1" and wrong on others
    off_diagonal("…")                                 a square matrix whose diagonal is right, the rest not
"""
import numpy as np

from .comparing import _as_array, _close


def right_only_on(tag, code, message):
    """The answer is right on every case tagged `tag`, and on none of the others (of which there is one)."""
    def rule(ev):
        tagged = [i for i, case in enumerate(ev.cases) if tag in case.tags]
        others = [i for i in range(len(ev.cases)) if i not in tagged]
        if tagged and others and all(ev.right[i] for i in tagged) and not any(ev.right[i] for i in others):
            return code, message
        return None
    rule.__name__ = f"right_only_on_{tag}"
    return rule


def off_diagonal(message, code="off_diagonal_not_zero"):
    """A square-matrix answer whose diagonal equals the expected diagonal on every case, but not the rest."""
    def rule(ev):
        if not ev.returned():
            return None
        for outcome, expected in zip(ev.outcomes, ev.expected):
            a, e = _as_array(outcome.value), np.asarray(expected, dtype=np.float64)
            if a is None or a.shape != e.shape or a.ndim != 2 or a.shape[0] != a.shape[1]:
                return None
            if not _close(np.diag(a), np.diag(e), ev.exercise.rtol, ev.exercise.atol):
                return None
        return code, message
    return rule
