"""The student release of the course, over nbgrader's markup.

    python -m coursekit.release [--source notebooks] [--dest release] [notebook …]

Every course notebook goes through nbgrader's own preprocessors (CheckCellMetadata, LockCells,
ClearSolutions, ClearHiddenTests, ClearMarkScheme, ClearOutput, ComputeChecksums), with metadata enforcement
on, exactly as `nbgrader generate_assignment` would: solution regions become `raise NotImplementedError()`,
hidden tests and outputs disappear. The result is verified (no solution or hidden-test line may survive).
Grading lives in coursekit.grading.
"""
import argparse
import copy
import shutil
import sys
from pathlib import Path

from .jupyter_env import jupyter_sandbox  # noqa: F401  (kept importable from here)

COURSE_PATTERN = "[0-9][0-9]_*.ipynb"    # the course notebooks: 00_cost_and_gradient_descent.ipynb, …


def course_notebooks(folder):
    """The course notebooks in a folder, in course order: the one place that decides what is released."""
    return sorted(Path(folder).glob(COURSE_PATTERN))


# ------------------------------------------------------------------------------------------------ release

def _preprocessors():
    from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput,
                                        ClearSolutions, ComputeChecksums, LockCells)
    return [CheckCellMetadata(), LockCells(), ClearSolutions(enforce_metadata=True),
            ClearHiddenTests(enforce_metadata=True), ClearMarkScheme(enforce_metadata=True), ClearOutput(),
            ComputeChecksums(), CheckCellMetadata()]


def student_copy(nb):
    """The student version of a solved notebook (a new NotebookNode; the input is left untouched)."""
    nb = copy.deepcopy(nb)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    resources = {}
    for preprocessor in _preprocessors():
        nb, resources = preprocessor.preprocess(nb, resources)
    for cell in nb.cells:
        for key in ("execution", "ExecuteTime", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
    return nb


_REGIONS = [("BEGIN SOLUTION", "END SOLUTION"), ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
            ("BEGIN MARK SCHEME", "END MARK SCHEME")]


def secret_lines(nb):
    """Lines inside solution, hidden-test and mark-scheme regions that appear nowhere else in the notebook."""
    secret, public = set(), set()
    for cell in nb.cells:
        inside = None
        for line in cell.source.split("\n"):
            text = line.strip()
            begin = next((end for begin, end in _REGIONS if begin in line), None)
            if begin:
                inside = begin
                continue
            if inside and inside in line:
                inside = None
                continue
            if text:
                (secret if inside else public).add(text)
    return secret - public


def leaks(solved, released):
    """Lines of `released` that belong to solutions or hidden tests of `solved` (an empty list when clean)."""
    secret = secret_lines(solved)
    found = []
    for cell in released.cells:
        for line in cell.source.split("\n"):
            if line.strip() in secret or any(marker in line for pair in _REGIONS for marker in pair):
                found.append(line.strip())
    return found


def release(source="notebooks", dest="release", notebooks=None, log=print):
    """Write the student copy of every course notebook in `source` to `dest`; returns the written paths."""
    import nbformat

    source, dest = Path(source), Path(dest)
    paths = [Path(p) for p in notebooks] if notebooks else course_notebooks(source)
    if not paths:
        raise SystemExit(f"no course notebooks ({COURSE_PATTERN}) in {source}")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        solved = nbformat.read(path, as_version=4)
        try:
            released = student_copy(solved)
        except Exception as error:
            raise SystemExit(f"{path.name}: nbgrader refused it: {type(error).__name__}: {error}") from error
        leaked = leaks(solved, released)
        if leaked:
            raise SystemExit(f"{path.name}: the student copy still contains solution lines, e.g. {leaked[0]!r}")
        nbformat.validate(released)
        target = dest / path.name
        nbformat.write(released, target)
        written.append(target)
        exercises = [c.metadata["nbgrader"]["grade_id"] for c in released.cells
                     if c.metadata.get("nbgrader", {}).get("solution")]
        log(f"released {target}  ({len(exercises)} exercise{'s' * (len(exercises) != 1)}"
            + (f": {', '.join(exercises)}" if exercises else "") + ")")
    for item in source.iterdir():                   # data or images the notebooks read, if any
        if item.suffix == ".ipynb" or item.name.startswith((".", "_")):
            continue
        target = dest / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target)
    return written


# ---------------------------------------------------------------------------------------------------- CLI

def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m coursekit.release",
                                     description="Write the student release of the course notebooks (nbgrader markup).")
    parser.add_argument("--source", default="notebooks", help="folder of solved notebooks (default: notebooks)")
    parser.add_argument("--dest", default="release", help="folder for the student copies (default: release)")
    parser.add_argument("notebooks", nargs="*", help="release only these notebooks (default: all in --source)")
    args = parser.parse_args(argv)
    written = release(args.source, args.dest, args.notebooks or None)
    print(f"{len(written)} student notebook{'s' * (len(written) != 1)} in {args.dest}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
