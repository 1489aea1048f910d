"""Exercise checks that name the mistake: `coursekit.check(exercise_id, answer)`.

Every exercise of the course has a checker here (catalogue.py says what one is). A check calls the student's
function on a few test problems of different shapes, in a child process with a time limit (running.py), and
decides from the plain data it returned (decide.py): right, or which typical mistake it makes (each
mistake's *mutant*, a reference that makes exactly that mistake, is compared with the answer), or that it
gets its result from the course's own answer, or what is wrong with the result. The check never raises
because of the answer and never shows the expected values.

    result = coursekit.check("08-backward", my_backward)
    result.passed, result.diagnosis, result.message
    display(result)            # ✓ / ✗ with the message
    assert result              # truthy only when passed

The grader (coursekit.grading) uses the same decision on fresh problems, outside the student's process.
The catalogues follow the course: cost (00), derivatives (01–02), jacobians (03), linear_models (04–05),
graphs (06–07), backprop (07–08), training (09), beyond (10).
"""
import math
import os

from . import backprop, beyond, cost, derivatives, graphs, jacobians, linear_models, training
from .catalogue import Case, Exercise, Mistake
from .decide import CheckResult, decide, result
from .running import run, watched

__all__ = ["check", "judge", "CheckResult", "EXERCISES", "catalogue", "Exercise", "Case", "Mistake"]

TIMEOUT = 5.0            # seconds one call of the answer may take (COURSEKIT_CHECK_TIMEOUT overrides it)

MODULES = (cost, derivatives, jacobians, linear_models, graphs, backprop, training, beyond)
EXERCISES = {exercise.id: exercise for module in MODULES for exercise in module.EXERCISES}


def check(exercise_id, answer, timeout=None):
    """Check a student's answer to an exercise of the course; returns a CheckResult.

    exercise_id: one of the catalogue's ids (e.g. "08-backward"); answer: the student's function (for a
    pencil exercise: the number worked out by hand). timeout: seconds one call of the answer may take
    (default 5, or the COURSEKIT_CHECK_TIMEOUT variable).
    """
    if not isinstance(exercise_id, str) or exercise_id not in EXERCISES:
        raise ValueError(f"unknown exercise id {exercise_id!r}; valid ids: {', '.join(EXERCISES)}")
    exercise = EXERCISES[exercise_id]
    timeout = _timeout(timeout)
    if exercise.pencil:
        value = answer
        answer = lambda: value   # noqa: E731 — a pencil answer is a value: the "function" returns it
        name = exercise.function
    else:
        if not callable(answer):
            return result(exercise, "not_callable",
                          f"expected the function {exercise.function} itself, got {_type_name(answer)}: pass its "
                          f"name without calling it, coursekit.check(\"{exercise.id}\", {exercise.function})")
        name = getattr(answer, "__name__", None)
        name = name if isinstance(name, str) and name.isidentifier() else exercise.function
    return judge(exercise, answer, exercise.cases, timeout, name)


def judge(exercise, answer, cases, timeout=TIMEOUT, name=None):
    """The verdict on a function answer over these cases: check's decision on any problems (e.g. fresh ones,
    exercise.draw(rng), as the grader draws them); name: how the messages call the answer."""
    outcomes = run(answer, cases, timeout, watch=watched(exercise.forbidden))
    verdict = decide(exercise, cases, outcomes, name=name)
    note = next((o.note for o in outcomes if o.note.startswith("no time limit")), "")
    if note:
        verdict = CheckResult(verdict.exercise_id, verdict.passed, verdict.diagnosis, f"{verdict.message} ({note})")
    return verdict


def _timeout(timeout):
    if timeout is None:
        try:
            timeout = float(os.environ.get("COURSEKIT_CHECK_TIMEOUT", TIMEOUT))
        except ValueError:
            timeout = TIMEOUT
    if isinstance(timeout, bool) or not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds; got {timeout!r} "
                         f"(from the argument or COURSEKIT_CHECK_TIMEOUT)")
    return float(timeout)


def _type_name(value):
    from .comparing import _type_name as name
    return name(value)


def catalogue():
    """{exercise id: [diagnosis codes of its known mistakes]}, in the order the checks try them."""
    return {exercise_id: exercise.codes for exercise_id, exercise in EXERCISES.items()}
