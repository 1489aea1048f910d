"""The student release hides every solution and hidden test and passes nbgrader's own checks."""
import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

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


# --------------------------------------------------------------------------------------------------- release

def secret_lines(nb):
    """Lines inside solution and hidden-test regions that appear nowhere outside them (independent of release.py)."""
    secret, public = set(), set()
    for cell in nb.cells:
        region = None
        for line in cell.source.splitlines():
            marker = re.search(r"### (BEGIN|END) (SOLUTION|HIDDEN TESTS)", line)
            if marker:
                region = marker.group(2) if marker.group(1) == "BEGIN" else None
            elif line.strip():
                (secret if region else public).add(line.strip())
    return secret - public


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """Student copies of the real course notebooks and of the generated 08, made by the release command."""
    source = tmp_path_factory.mktemp("source")
    for path in homework.course_notebooks(COURSE):
        shutil.copy(path, source / path.name)
    nbformat.write(notebook_08(), source / "98_homework_test.ipynb")
    dest = tmp_path_factory.mktemp("release")
    result = subprocess.run([sys.executable, "-m", "coursekit.release", "--source", str(source),
                             "--dest", str(dest), "--notebooks-only"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return source, dest, result.stdout


def test_release_writes_a_student_copy_of_every_notebook(released):
    source, dest, output = released
    names = sorted(p.name for p in source.glob("*.ipynb"))
    assert sorted(p.name for p in dest.glob("*.ipynb")) == names
    assert len(names) >= 2 and "student notebooks in" in output


def test_the_release_contains_no_line_of_any_solution_or_hidden_test(released):
    source, dest, _ = released
    for path in sorted(source.glob("*.ipynb")):
        solved = nbformat.read(path, as_version=4)
        student = nbformat.read(dest / path.name, as_version=4)
        secret = secret_lines(solved)
        text = "\n".join(cell.source for cell in student.cells)
        assert not [line for line in text.splitlines() if line.strip() in secret], path.name
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert "hidden_params" not in (dest / "98_homework_test.ipynb").read_text()


def test_the_release_has_stubs_locked_checks_and_no_outputs(released):
    source, dest, _ = released
    exercises = 0
    for path in sorted(dest.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert "widgets" not in nb.metadata and "widget-state" not in path.read_text(), path.name
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                exercises += 1
                assert "raise NotImplementedError()" in cell.source and meta["schema_version"] == 3
            if meta.get("grade"):
                assert meta["locked"] and meta["points"] > 0 and cell.metadata["editable"] is False
                assert "checksum" in meta
    assert exercises >= 2


def test_every_course_notebook_passes_nbgrader_with_metadata_enforced():
    from nbgrader.preprocessors import CheckCellMetadata, ClearHiddenTests, ClearSolutions

    for path in homework.course_notebooks(COURSE) + [None]:
        nb = notebook_08() if path is None else nbformat.read(path, as_version=4)
        resources = {}
        for preprocessor in (CheckCellMetadata(), ClearSolutions(enforce_metadata=True),
                             ClearHiddenTests(enforce_metadata=True), CheckCellMetadata()):
            nb, resources = preprocessor.preprocess(nb, resources)
        grade_ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
        assert len(grade_ids) == len(set(grade_ids))


def test_cells_that_raise_while_unsolved_are_tagged_and_no_other(released):
    source, dest, _ = released
    student = nbformat.read(dest / "98_homework_test.ipynb", as_version=4)
    tags = ["raises-exception" in c.metadata.get("tags", []) for c in student.cells]
    assert tags == [False, False, False, False, True]              # the check cell only: the stub is a def
    seven = nbformat.read(dest / "07_deep_network_gradients.ipynb", as_version=4)
    tagged = [c for c in seven.cells if "raises-exception" in c.metadata.get("tags", [])]
    checks = [c for c in seven.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert tagged == checks and len(checks) == 2      # the answers are defs; the demos use the course's own answer
    eight = nbformat.read(dest / "08_two_layer_network.ipynb", as_version=4)
    tagged = [c for c in eight.cells if "raises-exception" in c.metadata.get("tags", [])]
    pencil = [c for c in tagged if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(pencil) == 1 and pencil[0].source.startswith("dE_dA0_01 = None")   # a value, not a def: it raises
    assert all("nbgrader" in c.metadata for c in tagged)


def _tagged(cells, solved_cells=None):
    """Indices release.cells_that_raise_unsolved picks for a solved notebook of `cells` and its student copy."""
    solved = new_notebook(cells=solved_cells or cells)
    student = new_notebook(cells=cells)
    return homework.cells_that_raise_unsolved(solved, student)


def _solution(source, grade_id="x"):
    return nbgrader_cell(source, grade_id)


def test_what_counts_as_raising_while_unsolved():
    stub_def = _solution("def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()")
    solved_def = _solution("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION")
    cells = [new_code_cell("import numpy as np"), stub_def, nbgrader_cell("assert f(1) == 1", "x-check", points=1),
             new_code_cell("y = f(2)"),                         # calls the stub: raises
             new_code_cell("print(y)"),                         # y was never bound: raises
             new_code_cell("def g():\n    return f(3)"),        # defining is fine …
             new_code_cell("g()"),                              # … calling is not
             new_code_cell("result = 5\nprint(result)"),        # binds its own name first: fine
             new_code_cell("[x for x in range(3)]"),            # comprehension variable, not the stub's x
             new_code_cell("lambda: f"),                        # reads f at once
             new_code_cell("y = 1\nprint(y)")]                  # y bound again: fine from here on
    solved = list(cells)
    solved[1] = solved_def
    assert _tagged(cells, solved) == [2, 3, 4, 6, 9]

    top = _solution("# YOUR CODE HERE\nraise NotImplementedError()")
    top_solved = _solution("### BEGIN SOLUTION\nw = np.ones(3)\n### END SOLUTION")
    cells = [new_code_cell("import numpy as np\nv = 1"), top, new_code_cell("w.sum()"), new_code_cell("v + 1")]
    assert _tagged(cells, [cells[0], top_solved] + cells[2:]) == [1, 2]
    earlier = [new_code_cell("import numpy as np\nw = np.zeros(3)"), top, new_code_cell("w.sum()")]
    assert _tagged(earlier, [earlier[0], top_solved, earlier[2]]) == [1]     # w still holds the earlier value


def test_release_refuses_solution_markers_outside_a_solution_cell(tmp_path):
    nb = notebook_08()
    nb.cells.append(new_code_cell("def helper():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"))
    nbformat.write(nb, tmp_path / "08_bad.ipynb")
    with pytest.raises(SystemExit, match="nbgrader refused it: RuntimeError: Solution region detected"):
        homework.release(tmp_path, tmp_path / "out", log=lambda *args: None)


def test_the_makefile_runs_the_release_and_grade_commands():
    plan = subprocess.run(["make", "-n", "release", "grade", "SUBMISSIONS=handed-in"], cwd=ROOT,
                          capture_output=True, text=True, timeout=30).stdout
    assert "-m coursekit.release --source notebooks --dest release" in plan
    assert '-m coursekit.grading "handed-in" --source notebooks --out grades' in plan


