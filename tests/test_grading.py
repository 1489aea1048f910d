"""Grading scores each exercise, gives each check's message as feedback, and survives broken submissions."""
import copy
import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit import grading
from coursekit import release as homework

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "notebooks"

# The notebooks the end-to-end grading test runs: the one place that picks them. Notebook 00 comes from the
# course as it is (two exercises whose check cells call coursekit.check); notebook 08 is generated below with the
# course's 08-backward exercise plus hidden tests, so that grading is also shown to put hidden tests back.
E2E_COURSE_NOTEBOOKS = ["00_cost_and_gradient_descent.ipynb"]
GENERATED_08 = True
E2E_CELL_TIMEOUT = 5          # seconds per cell while grading in the tests (a real run uses 60)
E2E_CHECK_TIMEOUT = 1         # seconds per call of a student's function inside coursekit.check

SOLUTION_08 = '''def my_backward(params, trace, Y):
    ### BEGIN SOLUTION
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    delta2 = (f2 - Y) * f2 * (1 - f2)                       # (f2 − Y) ⊙ σ'(Z2)
    delta1 = (params["A1"].T @ delta2) * f1 * (1 - f1)      # (A1ᵀ δ2) ⊙ σ'(Z1)
    return {"A0": delta1 @ f0.T, "b0": delta1.sum(axis=1, keepdims=True),
            "A1": delta2 @ f1.T, "b1": delta2.sum(axis=1, keepdims=True)}
    ### END SOLUTION'''

CHECK_08 = '''result = coursekit.check("08-backward", my_backward)
display(result)
assert result, "not right yet: read the message above"
### BEGIN HIDDEN TESTS
hidden_params = coursekit.init_params([3, 2, 2], seed=11)
hidden_trace = coursekit.forward(hidden_params, np.linspace(-1, 1, 12).reshape(3, 4))
hidden_grads = my_backward(hidden_params, hidden_trace, np.full((2, 4), 0.25))
assert np.allclose(hidden_grads["A0"], coursekit.backward(hidden_params, hidden_trace, np.full((2, 4), 0.25))["A0"])
### END HIDDEN TESTS'''


def nbgrader_cell(source, grade_id, points=None):
    cell = new_code_cell(source)
    if points is None:
        cell.metadata["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3,
                                     "solution": True, "task": False}
    else:
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True, "points": points,
                                     "schema_version": 3, "solution": False, "task": False}
    return cell


def notebook_08():
    """A small notebook with exercise 08-backward, marked up the way the course's notebooks are."""
    nb = new_notebook(cells=[
        new_markdown_cell("# 08 · Two-layer network (homework test notebook)"),
        new_code_cell("import numpy as np\n\nimport coursekit"),
        new_markdown_cell("### Exercise 08-backward\n\nWrite `my_backward(params, trace, Y)`."),
        nbgrader_cell(SOLUTION_08, "08-backward"),
        nbgrader_cell(CHECK_08, "08-backward-check", points=2),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return nb


def e2e_course(folder):
    """The course the end-to-end test grades: E2E_COURSE_NOTEBOOKS from notebooks/, plus the generated 08."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in E2E_COURSE_NOTEBOOKS:
        shutil.copy(COURSE / name, folder / name)
    if GENERATED_08:
        nbformat.write(notebook_08(), folder / "08_two_layer_network.ipynb")
    return folder


def answered(student_copy, solved, answers=None, checks=None, delete=()):
    """A student's submission: the student copy with solution cells filled in (the course's solution without
    its markers, unless `answers` gives other code for a grade id) and, optionally, check cells tampered with
    or deleted."""
    nb = nbformat.from_dict(copy.deepcopy(student_copy))
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in delete]
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solved.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell.source = (answers or {}).get(grade_id) or "\n".join(
                line for line in solutions[grade_id].split("\n") if "### " not in line)
        if grade_id in (checks or {}):
            cell.source = checks[grade_id]
    return nb


# ----------------------------------------------------------------------------------------------------- grade

MISSING_SIGMA = '''def my_backward(params, trace, Y):
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    delta2 = f2 - Y                                          # forgot σ'(Z2)
    delta1 = (params["A1"].T @ delta2) * f1 * (1 - f1)
    return {"A0": delta1 @ f0.T, "b0": delta1.sum(axis=1, keepdims=True),
            "A1": delta2 @ f1.T, "b1": delta2.sum(axis=1, keepdims=True)}'''

SYNTAX_ERROR = '''def total_cost_squared(F, Y):
    return float(0.5 * np.sum((F - Y) ** 2)'''            # a parenthesis is missing

ENDLESS_CELL = '''def gradient_descent_1d(dE, theta0, eta, steps):
    path = [theta0]
    while len(path) <= steps:
        theta = path[-1] - eta * dE(path[-1])               # never appended: the loop never ends
    return np.array(path)'''

ENDLESS_FUNCTION = '''def my_backward(params, trace, Y):
    done = False
    while not done:
        pass'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Five students' submissions graded by the command line; returns (rows of grades.csv, output folder, log)."""
    base = tmp_path_factory.mktemp("homework")
    course = e2e_course(base / "course")
    student_copies = base / "release"
    homework.release(course, student_copies, log=lambda *args: None)
    solved = {p.name: nbformat.read(p, as_version=4) for p in homework.course_notebooks(course)}
    copies = {name: nbformat.read(student_copies / name, as_version=4) for name in solved}
    n00, n08 = "00_cost_and_gradient_descent.ipynb", "08_two_layer_network.ipynb"
    submissions = {
        "ada": {name: answered(copies[name], solved[name]) for name in solved},                  # all right
        "bo": dict(copies),                                                                       # untouched
        "cy": {n00: answered(copies[n00], solved[n00], delete={"00-gradient-descent-check"}),     # σ' missing,
               n08: answered(copies[n08], solved[n08], {"08-backward": MISSING_SIGMA},             # check edited
                             checks={"08-backward-check": 'print("✓ 08-backward: right")'})},
        "di": {n00: answered(copies[n00], solved[n00], {"00-total-cost": SYNTAX_ERROR,             # syntax error,
                                                        "00-gradient-descent": ENDLESS_CELL}),     # endless cell
               n08: answered(copies[n08], solved[n08])},
        "ed": {n08: answered(copies[n08], solved[n08], {"08-backward": ENDLESS_FUNCTION}),       # endless function,
               "scratch.ipynb": new_notebook()},                           # 00 not handed in, a stray notebook
    }
    folder = base / "submitted"
    for student, notebooks in submissions.items():
        for name, nb in notebooks.items():
            path = folder / student / "homework-1" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, path)
    out = base / "grades"
    result = subprocess.run(
        [sys.executable, "-m", "coursekit.grading", str(folder), "--source", str(course), "--out", str(out),
         "--timeout", str(E2E_CELL_TIMEOUT), "--check-timeout", str(E2E_CHECK_TIMEOUT)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(out / "grades.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows, out, result.stdout


def scores(rows, student):
    return {row["exercise"]: (float(row["points"]), float(row["max_points"])) for row in rows
            if row["student"] == student}


def feedback(rows, student, exercise):
    return next(row for row in rows if row["student"] == student and row["exercise"] == exercise)


def test_grading_scores_every_exercise_of_every_student(graded):
    rows, out, output = graded
    assert {row["student"] for row in rows} == {"ada", "bo", "cy", "di", "ed"}
    assert {row["exercise"] for row in rows} == {"00-total-cost", "00-gradient-descent", "08-backward"}
    assert "scratch.ipynb is not a course notebook; skipped" in output


def test_a_correct_submission_scores_full_marks(graded):
    rows, _, _ = graded
    marks = scores(rows, "ada")
    assert all(points == maximum > 0 for points, maximum in marks.values()), marks
    assert feedback(rows, "ada", "08-backward")["feedback"].startswith("right on all 4 test problems")


def test_an_untouched_release_scores_zero(graded):
    rows, _, _ = graded
    assert all(points == 0 for points, _ in scores(rows, "bo").values())
    assert feedback(rows, "bo", "08-backward")["diagnosis"] == "not_implemented"


def test_the_missing_sigma_prime_mistake_scores_partial_marks_and_is_named(graded):
    rows, out, _ = graded
    marks = scores(rows, "cy")
    assert marks["08-backward"] == (0.0, 2.0)                       # the edited check cell was restored
    assert 0 < sum(p for p, _ in marks.values()) < sum(m for _, m in marks.values())
    row = feedback(rows, "cy", "08-backward")
    assert row["diagnosis"] == "missing_sigma_prime"
    assert "lacks the σ'(Z2) factor" in row["feedback"] and "Backward Path (1)" in row["feedback"]
    assert "lacks the σ'(Z2) factor" in (out / "feedback" / "cy.md").read_text()


def test_a_deleted_check_cell_scores_zero(graded):
    rows, _, _ = graded
    row = feedback(rows, "cy", "00-gradient-descent")
    assert (row["points"], row["max_points"], row["diagnosis"]) == ("0", "1", "missing_cell")
    assert scores(rows, "cy")["00-total-cost"] == (1.0, 1.0)


def test_a_syntax_error_or_an_endless_loop_costs_only_that_exercise(graded):
    rows, _, _ = graded
    marks = scores(rows, "di")
    assert marks["00-total-cost"][0] == 0 and marks["00-gradient-descent"][0] == 0
    assert marks["08-backward"] == (2.0, 2.0)
    assert "SyntaxError" in feedback(rows, "di", "00-total-cost")["feedback"]
    assert feedback(rows, "di", "00-gradient-descent")["diagnosis"] == "timeout"
    ed = feedback(rows, "ed", "08-backward")
    assert ed["points"] == "0" and ed["diagnosis"] == "timeout" and "did not return within 1 s" in ed["feedback"]


def test_a_notebook_not_handed_in_scores_zero(graded):
    rows, _, _ = graded
    row = feedback(rows, "ed", "00-total-cost")
    assert row["points"] == "0" and row["max_points"] == "1" and row["diagnosis"] == "not_submitted"


def test_the_reports_and_executed_notebooks_are_written(graded):
    rows, out, _ = graded
    table = (out / "grades.md").read_text()
    assert "| student | 00_cost_and_gradient_descent | 08_two_layer_network | total |" in table
    assert re.search(r"\| ada \| 2 / 2 \| 2 / 2 \| \*\*4 / 4\*\* \|", table)
    assert re.search(r"\| bo \| 0 / 2 \| 0 / 2 \| \*\*0 / 4\*\* \|", table)
    assert re.search(r"\| ed \| 0 / 2 \| 0 / 2 \| \*\*0 / 4\*\* \|", table)
    for student in ("ada", "bo", "cy", "di", "ed"):
        assert (out / "feedback" / f"{student}.md").exists()
        assert (out / "notebooks" / student / "08_two_layer_network.ipynb").exists()
    executed = nbformat.read(out / "notebooks" / "cy" / "08_two_layer_network.ipynb", as_version=4)
    assert any("hidden_params" in cell.source for cell in executed.cells)       # hidden tests ran while grading


SWALLOWING_LOOP = '''while True:
    try:
        sum(range(100))
    except BaseException:                                  # even KeyboardInterrupt: the kernel stays busy
        pass'''


@pytest.mark.parametrize("stuck, status", [
    (SWALLOWING_LOOP, "timeout"),
    ("import os\nos._exit(3)", "the kernel died while this cell ran"),
], ids=["endless-loop-swallowing-interrupts", "kernel-dies"])
def test_a_stuck_or_dead_kernel_stops_the_notebook_and_later_checks_score_zero(tmp_path, stuck, status):
    nb = new_notebook(cells=[nbgrader_cell("x = 1", "99-first-check", points=1), new_code_cell(stuck),
                             nbgrader_cell("assert x == 1", "99-later-check", points=1)])
    with grading.sandbox() as env:
        ran = grading.execute(nb, tmp_path, env, timeout=2)
    assert ran[0] == "ran" and ran[1].startswith(status) and ran[2].startswith("not run: the kernel")
    rows = grading.score_notebook(nb, ran, [], "99_test.ipynb")
    assert [(r["exercise"], r["points"], r["diagnosis"]) for r in rows] == \
        [("99-first", 1.0, ""), ("99-later", 0.0, "not_run")]
