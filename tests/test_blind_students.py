"""The checks against answers their authors never saw: 266 answers to all 25 exercises (tests/blind_answers.py),
written from the student notebooks alone with each slip labelled before any check ran (README, "Exercises
that name the mistake"). Every right answer passes, no wrong one is accepted but the ones listed here, and
no answer makes a check fail in itself."""
import warnings

import pytest

import coursekit
from blind_answers import ANSWERS

# wrong answers no check can tell from right ones, each with the reason (README lists them)
INDISTINGUISHABLE = {
    ("08-backward-by-hand", "sigma'(Z1) computed from Z1 instead of f1"):
        "Z1[0] = 0.4 gives Z(1 − Z) = 0.2400 against f(1 − f) = 0.2403: 0.1 %, inside the 0.5 % for rounding",
    ("07-reuse-count", "returns a float"): "the count is right; a float equal to a whole number is accepted",
    ("06-engine", "backward does not reset grads; nodes kept between calls (second call doubles)"):
        "the answer caches one graph only, and other problems run between two calls on the same one",
}
NOT_A_SLIP = {("05-outer-tensor", "Approach 2 folded back with order='F'")}   # x xᵀ is symmetric: it is right


@pytest.mark.parametrize("exercise_id", list(ANSWERS))
def test_blind_answers_right_pass_wrong_fail(exercise_id):
    accepted, rejected = [], []
    for label, kind, answer in ANSWERS[exercise_id]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = coursekit.check(exercise_id, answer)
        assert result.diagnosis != "checker_error", (label, result.message)
        if kind == "correct":
            if not result.passed:
                rejected.append((label, result.message))
        elif kind == "wrong" and result.passed and (exercise_id, label) not in set(INDISTINGUISHABLE) | NOT_A_SLIP:
            accepted.append(label)
    assert not rejected, f"right answers rejected: {rejected}"
    assert not accepted, f"wrong answers accepted: {accepted}"
