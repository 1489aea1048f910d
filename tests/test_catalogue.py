"""Every exercise of the catalogue, on practice problems and on problems drawn as the grader draws them:
right answers written as students write them pass, finite differences and calls to coursekit's own answers
are named, and no answer, however odd, makes the checker fail."""
import json
from pathlib import Path

import numpy as np
import pytest

from answers import CORRECT, DELEGATING, NUMERICAL
from coursekit.exercises import EXERCISES, check, judge
from coursekit.exercises.catalogue import Case

ROOT = Path(__file__).resolve().parents[1]
DRAWS = 12          # fresh problem sets per exercise, as many secret seeds

ANSWERS = [(kind, exercise_id, fn) for kind, table in (("correct", CORRECT), ("numerical", NUMERICAL),
                                                       ("delegating", DELEGATING))
           for exercise_id, fns in table.items() for fn in fns]


def verdict(exercise, answer, cases):
    return judge(exercise, answer, cases, 5.0, answer.__name__)


def test_every_answer_in_the_test_oracles_belongs_to_an_exercise():
    assert {exercise_id for _, exercise_id, _ in ANSWERS} <= set(EXERCISES)
    assert {e for e, ex in EXERCISES.items() if not ex.pencil} <= set(CORRECT), "each exercise needs right answers"


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_practice_problems_are_fixed_and_grading_problems_are_fresh(exercise_id):
    exercise = EXERCISES[exercise_id]
    first, again = exercise.draw(np.random.default_rng(exercise.seed)), exercise.draw(np.random.default_rng(exercise.seed))
    assert [c.label for c in first] == [c.label for c in again] == [c.label for c in exercise.cases]
    assert all(isinstance(c, Case) for c in first)
    if exercise.pencil:
        return
    other = exercise.draw(np.random.default_rng(12345))
    assert json.dumps(_digest(first)) != json.dumps(_digest(other)), "the grader must get problems of its own"
    if exercise.analytic:
        assert any("probe" in c.tags for c in first), "an analytic exercise needs well-conditioned probe problems"


def _digest(cases):
    out = []
    for case in cases:
        for arg in case.args:
            if isinstance(arg, np.ndarray):
                out.append(np.round(arg, 12).tolist())
            elif isinstance(arg, dict):
                out.append({k: np.round(np.asarray(v), 12).tolist() for k, v in arg.items()})
            else:
                out.append(repr(arg))
    return out


@pytest.mark.parametrize("kind, exercise_id, answer", ANSWERS, ids=[f"{k}-{e}-{f.__name__}" for k, e, f in ANSWERS])
def test_student_answers_get_their_verdict_on_practice_and_on_fresh_problems(kind, exercise_id, answer):
    exercise = EXERCISES[exercise_id]
    expected = {"correct": None, "numerical": "numerical_not_analytic", "delegating": "delegates_to_reference"}[kind]
    practice = check(exercise_id, answer)
    assert practice.diagnosis == expected and practice.passed == (kind == "correct"), repr(practice)
    for seed in range(DRAWS):
        result = verdict(exercise, answer, exercise.draw(np.random.default_rng([seed, 463])))
        assert result.diagnosis == expected, f"seed {seed}: {result!r}"


ODD = [None, "text", 3, 2.5, float("nan"), True, [], [1, 2], {}, {"A0": None}, (1,), (None, None),
       np.zeros(0), np.zeros((2, 2, 2)), np.array(["a"]), np.array([1 + 2j]), object(), print, {1: 2},
       {"A0": [[1.0]], "b0": {"x": 1}}, [{"a": np.ones(2)}], np.full((3, 3), np.inf), range(3), b"bytes",
       ({"A0": np.ones((1, 1))}, [1, 2, 3]), [[np.nan]], np.float64(1.0), np.array(2.0), np.int64(4)]


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_no_answer_makes_the_checker_fail_and_none_of_these_passes(exercise_id):
    exercise = EXERCISES[exercise_id]
    for value in ODD:
        result = check(exercise_id, value if exercise.pencil else (lambda *args, value=value: value))
        assert result.diagnosis != "checker_error", f"{value!r}: {result!r}"
        assert not result.passed, f"{value!r} passed: {result!r}"


def test_each_graded_cell_of_the_notebooks_is_a_catalogued_exercise_checked_by_its_function_name():
    seen = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            if meta.get("grade") and cell["cell_type"] == "code":
                exercise_id = meta["grade_id"].removesuffix("-check")
                assert exercise_id in EXERCISES, (path.name, exercise_id)
                source = "".join(cell["source"])
                function = EXERCISES[exercise_id].function
                assert f'coursekit.check("{exercise_id}", {function})' in source, (path.name, source)
                assert exercise_id not in seen, f"{exercise_id} in {seen.get(exercise_id)} and {path.name}"
                seen[exercise_id] = path.name
    assert set(seen) == set(EXERCISES), set(EXERCISES) ^ set(seen)
