"""Reading notebooks without trusting them: the code a submission runs, and what the course grades.

    cells, notes = submission_cells(path)     # [(index, source)] of its code cells; notes on what was odd
    items = graded_items(course_notebook)     # what earns points: judged exercises and cells graded by hand

A submission is any JSON file: metadata of the wrong type (a string where nbgrader expects a dict, a list as
a grade_id), cells without a type, sources given as lists or numbers, outputs of any kind are tolerated
and reported, never fatal; only what is not a notebook at all (not JSON, no list of cells, too large) is
Unreadable. Outputs are never read.
"""
import json
from dataclasses import dataclass
from pathlib import Path

MAX_NOTEBOOK_BYTES = 50 * 2 ** 20
MAX_CELLS = 5000
MAX_SOURCE_CHARS = 5 * 2 ** 20


class Unreadable(ValueError):
    """A submitted file that is not a notebook the grader can run."""


def _source(cell):
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def nbgrader(cell):
    """The cell's nbgrader metadata as a dict, or None (also None when it is not a dict)."""
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else None


def grade_id(cell):
    meta = nbgrader(cell)
    value = meta.get("grade_id") if meta else None
    return value if isinstance(value, str) else None


def read(path):
    """The notebook's JSON as a dict with a list of cells; Unreadable when it is not one."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise Unreadable(f"the file cannot be read ({error.strerror})") from None
    if size > MAX_NOTEBOOK_BYTES:
        raise Unreadable(f"the file is {size / 2 ** 20:.0f} MB, more than the {MAX_NOTEBOOK_BYTES // 2 ** 20} MB a "
                         f"notebook may have (clear its outputs and save again)")
    try:
        nb = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Unreadable("the file is not a notebook (not valid JSON): was it saved from JupyterLab?") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise Unreadable("the file is JSON but not a notebook (it has no list of cells)")
    return nb


def submission_cells(path):
    """([(cell index, source)] of the code cells in order, [notes]) of a submitted notebook; or Unreadable."""
    nb = read(path)
    cells, notes, total = [], [], 0
    if len(nb["cells"]) > MAX_CELLS:
        raise Unreadable(f"the notebook has {len(nb['cells'])} cells, more than {MAX_CELLS}")
    for index, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict):
            notes.append(f"cell {index + 1} is not a cell (a {type(cell).__name__}); skipped")
            continue
        metadata = cell.get("metadata")
        if isinstance(metadata, dict) and "nbgrader" in metadata:
            meta = metadata["nbgrader"]
            if not isinstance(meta, dict):
                notes.append(f"cell {index + 1} has nbgrader metadata that is a {type(meta).__name__}, not a dict; "
                             f"treated as an ordinary cell")
            elif "grade_id" in meta and not isinstance(meta["grade_id"], str):
                notes.append(f"cell {index + 1} has a grade_id that is a {type(meta['grade_id']).__name__}; "
                             f"treated as an ordinary cell")
        if cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        total += len(source)
        if total > MAX_SOURCE_CHARS:
            raise Unreadable(f"the notebook's code is longer than {MAX_SOURCE_CHARS // 2 ** 20} M characters")
        cells.append((index, source))
    return cells, notes


@dataclass(frozen=True)
class Item:
    """One thing of a course notebook that earns points."""

    grade_id: str       #: the cell's nbgrader grade_id
    exercise: str       #: the exercise id (grade_id without "-check") or the grade_id of a cell graded by hand
    points: float       #: its points
    kind: str           #: "judged" (a catalogued exercise) or "manual" (grade by hand)
    why: str = ""       #: for "manual": why it is not judged automatically


def graded_items(nb, catalogue):
    """The items of a course notebook (trusted, the instructor's) in order; `catalogue` = {exercise id: …}."""
    items = []
    for cell in nb.get("cells", []):
        meta = nbgrader(cell)
        gid = grade_id(cell)
        if not meta or not gid or not meta.get("grade"):
            continue
        try:
            points = float(meta.get("points", 0) or 0)
        except (TypeError, ValueError):
            points = 0.0
        exercise = gid[:-len("-check")] if gid.endswith("-check") else gid
        if cell.get("cell_type") == "code" and not meta.get("solution") and exercise in catalogue:
            items.append(Item(gid, exercise, points, "judged"))
        elif cell.get("cell_type") == "markdown":
            items.append(Item(gid, gid, points, "manual", "a written answer: grade it by hand"))
        elif meta.get("solution"):
            items.append(Item(gid, gid, points, "manual", "code graded by hand (nbgrader's manually graded answer)"))
        else:
            items.append(Item(gid, exercise, points, "manual",
                              "a test cell that coursekit's catalogue does not know: its result in the student's "
                              "process cannot be trusted, so grade it by hand"))
    return items
