"""Exercise checks that name the mistake: `coursekit.check(exercise_id, answer)`.

Every exercise of the course has a checker here. It calls the student's function on a few fixed random
problems of different shapes and compares the result with the reference answer. When the answer is wrong it
also compares it with *mutants*: reference implementations that each make one known mistake (σ' left out,
a sign flipped, a transposed gradient, …). The mutant that matches on every problem names the mistake and
the lecture step to reread. The answer is run on copies of the inputs, with a time limit, its printing and
warnings hidden, and whatever it does (raise, return None, loop forever, return NaN) becomes a message:
the check itself never raises because of the answer and never shows the expected arrays.

    result = coursekit.check("08-backward", my_backward)
    result.passed, result.diagnosis, result.message
    display(result)            # ✓ / ✗ with the message
    assert result              # truthy only when passed

How the check decides, in this order (checker.py): an answer that is not a function, or that does not return
in time, is told so at once; an answer that returns everywhere but changed its inputs in place is told which
input; an answer right on every problem passes; otherwise the first mistake in the catalogue whose mutant does
what the answer does on every problem names it; then the exercise's own rules (07: right only for K = 2); then
the first exception the answer raised, with the line of the student's code; and last what is wrong with the
result: its structure (None, type, keys, shape, NaN) or its values, part by part for a dict or a tuple.

running.py calls the answer, comparing.py compares its result, checker.py decides; the catalogues follow the
course: cost (00), derivatives (01–03), linear_models (04–05), backprop (06–08), training (09).
"""
import math
import os

from . import backprop, cost, derivatives, linear_models, training
from .checker import CheckResult, _Checker
from .running import _first_line

__all__ = ["check", "CheckResult", "EXERCISES", "catalogue"]

TIMEOUT = 5.0            # seconds one call of the answer may take (COURSEKIT_CHECK_TIMEOUT overrides it)

EXERCISES = {exercise.id: exercise for exercise in (      # the catalogue's order
    cost.TOTAL_COST, cost.GRADIENT_DESCENT, derivatives.GRADIENT, derivatives.CHAIN_RULE,
    derivatives.SIGMOID_JACOBIAN, linear_models.LEAST_SQUARES, linear_models.MATRIX_GRADIENT, backprop.ADJOINTS,
    backprop.DEEP_BACKWARD, backprop.BACKWARD, training.TRAIN)}


def check(exercise_id, answer, timeout=None):
    """Check a student's answer to an exercise of the course; returns a CheckResult.

    exercise_id: one of the catalogue's ids (e.g. "08-backward"); answer: the student's function.
    timeout: seconds one call of the answer may take (default 5, or the COURSEKIT_CHECK_TIMEOUT variable).
    """
    if exercise_id not in EXERCISES:
        raise ValueError(f"unknown exercise id {exercise_id!r}; valid ids: {', '.join(EXERCISES)}")
    exercise = EXERCISES[exercise_id]
    if timeout is None:
        try:
            timeout = float(os.environ.get("COURSEKIT_CHECK_TIMEOUT", TIMEOUT))
        except ValueError:
            timeout = TIMEOUT
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds; got {timeout!r} "
                         f"(from the argument or COURSEKIT_CHECK_TIMEOUT)")
    try:
        return _Checker(exercise, answer, timeout).run()
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # a bug of the checker must not look like the student's
        return CheckResult(exercise_id, False, "checker_error",
                           f"the checker itself failed ({type(error).__name__}: {_first_line(error)}); your "
                           f"answer may be fine: tell your instructor")


def catalogue():
    """{exercise id: [diagnosis codes of its known mistakes]}, in the order the checks try them."""
    return {exercise_id: exercise.codes for exercise_id, exercise in EXERCISES.items()}

