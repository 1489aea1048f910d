"""Grading submitted copies of the course notebooks (being replaced by the sandboxed judge)."""
import argparse
import contextlib
import copy
import csv
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from ..jupyter_env import jupyter_sandbox
from ..release import COURSE_PATTERN, course_notebooks  # noqa: F401

CELL_TIMEOUT = 60
CHECK_TIMEOUT = 5
CHECK_MARK = re.compile(r"^(✓|✗) (\S+)(?: \[([^\]]+)\])?: (.*)$", re.S)

# -------------------------------------------------------------------------------------------------- grade

def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _is_graded(cell):
    meta = _nbgrader(cell)
    return bool(meta.get("grade")) and cell.get("cell_type") == "code" and "grade_id" in meta


def exercise_of(grade_id):
    """The exercise id of a graded check cell: '08-backward-check' → '08-backward'."""
    return grade_id[:-len("-check")] if grade_id.endswith("-check") else grade_id


def merge(solved, submitted):
    """The notebook to grade: the student's cells, with every locked or graded cell restored from `solved`.

    Solution cells keep the student's code but get the course's metadata back; a graded cell the student
    deleted stays missing (it scores zero). Returns (notebook, ids of graded cells missing).
    """
    from nbgrader.preprocessors import DeduplicateIds

    nb = copy.deepcopy(submitted)
    nb, _ = DeduplicateIds().preprocess(nb, {})
    originals = {_nbgrader(c)["grade_id"]: c for c in solved.cells if _nbgrader(c).get("grade_id")}
    seen = set()
    for index, cell in enumerate(nb.cells):
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id not in originals:
            if _nbgrader(cell):
                cell.metadata.pop("nbgrader")          # an id the course does not know: an ordinary cell
            continue
        seen.add(grade_id)
        original = originals[grade_id]
        meta = _nbgrader(original)
        if meta.get("locked") or (meta.get("grade") and not meta.get("solution")):
            restored = copy.deepcopy(original)
            restored["outputs"] = []
            restored["execution_count"] = None
            nb.cells[index] = restored
        else:
            cell.metadata["nbgrader"] = copy.deepcopy(meta)
    missing = [g for g, c in originals.items() if _is_graded(c) and g not in seen]
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return nb, missing


@contextlib.contextmanager
def sandbox(check_timeout=CHECK_TIMEOUT):
    """Temporary Jupyter/IPython/matplotlib folders for the grading kernels; yields the kernel environment."""
    with jupyter_sandbox("coursekit-grade-"):
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)                 # the kernel picks its inline backend, as in JupyterLab
        env["COURSEKIT_CHECK_TIMEOUT"] = str(check_timeout)
        env["PYTHONWARNINGS"] = "ignore"            # a warning on stderr would cost a graded cell its points
        yield env


def execute(nb, workdir, env, timeout=CELL_TIMEOUT):
    """Run every code cell of nb in a fresh kernel; returns {cell index: 'ran' | 'timeout' | why it did not run}."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    from nbformat.v4 import new_code_cell

    status = {i: "not run: the notebook did not get that far" for i, c in enumerate(nb.cells)
              if c.cell_type == "code"}
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": "CellTimeout", "evalue": f"the cell did not finish within {timeout} s and "
                                                            f"was stopped", "traceback": []},
        record_timing=False, shutdown_kernel="immediate", resources={"metadata": {"path": str(workdir)}})
    index = None
    try:
        with client.setup_kernel(env=env):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                started = time.monotonic()
                client.execute_cell(cell, index)
                if time.monotonic() - started < timeout:
                    status[index] = "ran"
                    continue
                status[index] = "timeout"
                # still busy after the interrupt (an endless loop that swallows KeyboardInterrupt)? stop here
                client.timeout, client.iopub_timeout = min(10, timeout), 1
                began = time.monotonic()
                client.execute_cell(new_code_cell("pass"), index)
                nb.cells[index] = cell                      # nbclient stores the cell it ran at that index
                client.timeout, client.iopub_timeout = timeout, 4
                if time.monotonic() - began >= min(10, timeout):
                    for later in status:
                        if later > index:
                            status[later] = ("not run: the kernel was still stuck in the cell that timed out "
                                             "and was shut down")
                    break
    except DeadKernelError:
        for later, value in status.items():
            if later == index:
                status[later] = "the kernel died while this cell ran (out of memory, or the code ended the process)"
            elif value.startswith("not run"):
                status[later] = "not run: the kernel died in an earlier cell"
    return status


def _text(output):
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return data.get("text/plain", "") if isinstance(data, dict) else ""


def _error_summary(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            evalue = str(output.get("evalue", "")).strip().splitlines()
            evalue = re.sub(r"\((?:[\w-]+)\.py, line (\d+)\)", r"(line \1 of the cell)", evalue[0] if evalue else "")
            return output.get("ename", "Error"), evalue[:200]
    return None


def check_feedback(cell):
    """(diagnosis, message) of a check cell from its outputs: the ✓/✗ line of coursekit.check, or its error."""
    for output in cell.get("outputs", []):
        for line in _text(output).splitlines():
            match = CHECK_MARK.match(line.strip())
            if match:
                mark, _, code, message = match.groups()
                return (None if mark == "✓" else code or "wrong"), message.strip()
    error = _error_summary(cell)
    if error:
        ename, evalue = error
        if ename == "CellTimeout":
            return "timeout", evalue
        if ename == "KeyboardInterrupt":
            return "timeout", "the cell was stopped (KeyboardInterrupt)"
        if ename == "NotImplementedError":
            return "not_implemented", "the function still raises NotImplementedError: replace the " \
                                      "`raise NotImplementedError()` line with your code"
        if ename == "NameError":
            name = re.search(r"name '([^']+)'", evalue)
            hint = f"`{name.group(1)}` is not defined: the solution cell did not define it (did it run without " \
                   f"an error?)" if name else evalue
            return "not_defined", hint
        return ename, f"{ename}: {evalue}" if evalue else ename
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return "stderr", "the check cell wrote to stderr (a warning or an error message)"
    return None, "passed"


def score_notebook(nb, status, missing, notebook_name):
    """One row per graded cell: exercise, points, max_points, diagnosis, feedback."""
    from nbgrader.utils import determine_grade

    rows = []
    solution_errors = {}
    for index, cell in enumerate(nb.cells):
        meta = _nbgrader(cell)
        if meta.get("solution") and cell.cell_type == "code":
            error = _error_summary(cell)
            if status.get(index) == "timeout":
                solution_errors[meta.get("grade_id")] = "the solution cell did not finish in time and was stopped"
            elif error:
                solution_errors[meta.get("grade_id")] = f"the solution cell raised {error[0]}" + \
                    (f": {error[1]}" if error[1] else "")
    last_solution = None
    for index, cell in enumerate(nb.cells):
        meta = _nbgrader(cell)
        if meta.get("solution"):
            last_solution = meta.get("grade_id")
        if not _is_graded(cell):
            continue
        grade_id = meta["grade_id"]
        exercise = exercise_of(grade_id)
        state = status.get(index, "not run")
        _, max_points = determine_grade(cell)
        if state == "ran":
            points, _ = determine_grade(cell)
            diagnosis, message = check_feedback(cell)
        elif state == "timeout":
            points, diagnosis = 0.0, "timeout"
            message = check_feedback(cell)[1]
        else:
            points, diagnosis, message = 0.0, "not_run", state
        solution = exercise if exercise in solution_errors else last_solution
        if points != max_points and solution in solution_errors:
            message = f"{solution_errors[solution]}; {message}"
        rows.append({"notebook": notebook_name, "exercise": exercise, "points": float(points or 0.0),
                     "max_points": float(max_points), "diagnosis": diagnosis or "", "feedback": message})
    for grade_id in missing:
        rows.append({"notebook": notebook_name, "exercise": exercise_of(grade_id), "points": 0.0,
                     "max_points": None, "diagnosis": "missing_cell",
                     "feedback": "the check cell was deleted from the submission"})
    return rows


def find_submissions(folder):
    """{student: {notebook file name: path}} for SUBMISSIONS/<student>/**/<notebook>.ipynb."""
    found = {}
    for student in sorted(p for p in Path(folder).iterdir() if p.is_dir() and not p.name.startswith(".")):
        notebooks = {}
        for path in sorted(student.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            notebooks.setdefault(path.name, path)
        found[student.name] = notebooks
    return found


def grade(submissions, source="notebooks", out="grades", timeout=CELL_TIMEOUT, check_timeout=CHECK_TIMEOUT,
          notebooks=None, log=print):
    """Grade every submitted notebook; writes grades/ and returns the rows (one per student and exercise)."""
    import nbformat

    source, out = Path(source), Path(out)
    course = {p.name: p for p in (map(Path, notebooks) if notebooks else course_notebooks(source))}
    submitted = find_submissions(submissions)
    if not submitted:
        raise SystemExit(f"no student folders in {submissions}: expected {submissions}/<student>/<notebook>.ipynb")
    assigned = [name for name in course if any(name in nbs for nbs in submitted.values())]
    for student, nbs in submitted.items():
        for name in nbs:
            if name not in course:
                log(f"{student}: {name} is not a course notebook; skipped")
    max_points = {}
    for name in assigned:
        solved = nbformat.read(course[name], as_version=4)
        max_points[name] = {exercise_of(_nbgrader(c)["grade_id"]): float(_nbgrader(c).get("points", 0))
                            for c in solved.cells if _is_graded(c)}
    rows = []
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    with sandbox(check_timeout) as env:
        for student, nbs in submitted.items():
            for name in assigned:
                started = time.monotonic()
                if name not in nbs:
                    student_rows = [{"notebook": name, "exercise": e, "points": 0.0, "max_points": m,
                                     "diagnosis": "not_submitted", "feedback": "not submitted"}
                                    for e, m in max_points[name].items()]
                else:
                    student_rows = _grade_one(nbs[name], course[name], out / "notebooks" / student, env, timeout)
                for row in student_rows:
                    if row["max_points"] is None:
                        row["max_points"] = max_points[name].get(row["exercise"], 0.0)
                    rows.append({"student": student, **row})
                got = sum(r["points"] for r in student_rows)
                total = sum(max_points[name].values())
                log(f"graded {student}/{name}: {got:g} / {total:g}  ({time.monotonic() - started:.1f} s)")
    write_reports(rows, out)
    return rows


def _grade_one(path, solved_path, keep_folder, env, timeout):
    import nbformat

    solved = nbformat.read(solved_path, as_version=4)
    name = solved_path.name
    try:
        submitted = nbformat.read(path, as_version=4)
    except Exception as error:
        return [{"notebook": name, "exercise": exercise_of(_nbgrader(c)["grade_id"]), "points": 0.0,
                 "max_points": None, "diagnosis": "unreadable",
                 "feedback": f"the notebook file could not be read ({type(error).__name__})"}
                for c in solved.cells if _is_graded(c)]
    nb, missing = merge(solved, submitted)
    workdir = Path(tempfile.mkdtemp(prefix="coursekit-run-"))
    try:
        for item in solved_path.parent.iterdir():     # data files next to the course notebooks
            if item.suffix != ".ipynb" and not item.name.startswith((".", "_")) and item.is_file():
                shutil.copy2(item, workdir / item.name)
        status = execute(nb, workdir, env, timeout)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    keep_folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, keep_folder / name)
    return score_notebook(nb, status, missing, name)


def write_reports(rows, out):
    """grades.csv (one row per student and exercise), grades.md (totals and feedback), feedback/<student>.md."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fields = ["student", "notebook", "exercise", "points", "max_points", "diagnosis", "feedback"]
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: (f"{row[key]:g}" if isinstance(row[key], float) else row[key]) for key in fields})
    students = list(dict.fromkeys(r["student"] for r in rows))
    notebooks = list(dict.fromkeys(r["notebook"] for r in rows))
    lines = ["# Grades", "", "| student | " + " | ".join(_stem(n) for n in notebooks) + " | total |",
             "|---|" + "---:|" * (len(notebooks) + 1)]
    for student in students:
        mine = [r for r in rows if r["student"] == student]
        cells = [f"{sum(r['points'] for r in mine if r['notebook'] == n):g} / "
                 f"{sum(r['max_points'] for r in mine if r['notebook'] == n):g}" for n in notebooks]
        lines.append(f"| {_md(student)} | " + " | ".join(cells) +
                     f" | **{sum(r['points'] for r in mine):g} / {sum(r['max_points'] for r in mine):g}** |")
    lines += ["", "## Feedback", ""]
    (out / "feedback").mkdir(exist_ok=True)
    for student in students:
        mine = [r for r in rows if r["student"] == student]
        section = [f"### {_md(student)}", "", "| notebook | exercise | points | feedback |", "|---|---|---:|---|"]
        for r in mine:
            mark = "✓" if r["points"] == r["max_points"] else "✗"
            section.append(f"| {_stem(r['notebook'])} | {r['exercise']} | {r['points']:g} / {r['max_points']:g} | "
                           f"{mark} {_md(r['feedback'])} |")
        lines += section + [""]
        (out / "feedback" / f"{_safe(student)}.md").write_text(
            "\n".join([f"# Feedback for {student}", ""] + section[2:]) + "\n", encoding="utf-8")
    (out / "grades.md").write_text("\n".join(lines), encoding="utf-8")


def _stem(name):
    return name[:-len(".ipynb")] if name.endswith(".ipynb") else name


def _md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _safe(name):
    return re.sub(r"[^\w.-]", "_", name) or "student"


# ---------------------------------------------------------------------------------------------------- CLI

def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m coursekit.grading",
                                     description="Grade submitted notebooks: SUBMISSIONS/<student>/<notebook>.ipynb")
    parser.add_argument("submissions", help="folder with one sub-folder per student")
    parser.add_argument("--source", default="notebooks", help="folder of solved notebooks (default: notebooks)")
    parser.add_argument("--out", default="grades", help="folder for the reports (default: grades)")
    parser.add_argument("--timeout", type=float, default=CELL_TIMEOUT, help="seconds per cell (default: 60)")
    parser.add_argument("--check-timeout", type=float, default=CHECK_TIMEOUT,
                        help="seconds per call of a student's function inside a check (default: 5)")
    args = parser.parse_args(argv)
    if not Path(args.submissions).is_dir():
        parser.error(f"SUBMISSIONS folder {args.submissions!r} does not exist")
    rows = grade(args.submissions, args.source, args.out, args.timeout, args.check_timeout)
    students = len({r["student"] for r in rows})
    print(f"graded {students} student{'s' * (students != 1)}: {args.out}/grades.csv, {args.out}/grades.md")
    return 0
