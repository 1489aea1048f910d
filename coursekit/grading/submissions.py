"""Which file of which student is graded for which notebook, as students and LMSs name their files.

    students = find(folder, ["08_two_layer_network.ipynb", …])    # {student: Student}

A student is every folder directly in `folder`, whatever its first character (".ada" too), except
.ipynb_checkpoints and __MACOSX. Notebooks anywhere below it count (nbgrader's submitted/<student>/<assignment>/
works), except inside checkpoint folders. A file matches a course notebook when their names agree after
normalising the way copies are named: case, spaces, hyphens and underscores, and suffixes like "-Copy1",
" copy", "-1" or " (2)" do not matter. Of several matches, the latest by modification time is graded and the
feedback says which were ignored; files that match no assigned notebook are listed as ignored. A symbolic link
(to a classmate's file, to the course's solved notebook) is never read: a linked file, or a file in a linked
folder, is named in the feedback and not graded.
"""
import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

IGNORED_FOLDERS = {".ipynb_checkpoints", "__MACOSX"}
_COPY = re.compile(r"(?:[\s_-]*(?:copy\d*|\(\d+\)|\d+))+$")


def normalise(name):
    """'08_Two-Layer Network-Copy1.ipynb' → '08_two_layer_network'."""
    stem = name[:-len(".ipynb")] if name.lower().endswith(".ipynb") else name
    stem = stem.strip().lower()
    number = re.match(r"^(\d+)(.*)$", stem)                   # keep the course number ("08") apart from copies
    head, rest = (number.group(1), number.group(2)) if number else ("", stem)
    rest = _COPY.sub("", rest)
    return re.sub(r"[\s_-]+", "_", (head + rest).strip(" _-"))


@dataclass
class Student:
    """One student's folder: the file graded for each notebook, and what was said about the choice."""

    name: str
    folder: Path
    files: dict = field(default_factory=dict)      #: notebook name → the path graded
    notes: dict = field(default_factory=dict)      #: notebook name → [sentences for the feedback]
    ignored: list = field(default_factory=list)    #: paths (relative to the folder) matching no assigned notebook


def _when(path):
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def find(folder, notebooks):
    """{student name: Student} for the assigned notebook names (see the module docstring)."""
    folder = Path(folder)
    wanted = {normalise(name): name for name in notebooks}
    students = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.is_dir() or entry.name in IGNORED_FOLDERS:
            continue
        student = Student(entry.name, entry)
        students[entry.name] = student
        if entry.is_symlink():                 # a link to a classmate's folder or to the course is not a hand-in
            student.notes = {name: [f"the folder {entry.name} is a symbolic link (to {os.readlink(entry)}): "
                                    f"nothing in it was graded; hand in the notebooks themselves"] for name in notebooks}
            continue
        matches = {}
        for path in sorted(entry.rglob("*")):
            if not path.name.lower().endswith(".ipynb") or not path.is_file():
                continue
            if IGNORED_FOLDERS & set(path.relative_to(entry).parts[:-1]):
                continue
            name = wanted.get(normalise(path.name))
            linked = _linked(path, entry)
            if linked:
                if name is None:
                    student.ignored.append(str(path.relative_to(entry)))
                else:
                    student.notes.setdefault(name, []).append(f"{path.relative_to(entry)} is not graded: it is "
                                                              f"{linked}; hand in the notebook itself")
                continue
            if name is None:
                student.ignored.append(str(path.relative_to(entry)))
            else:
                matches.setdefault(name, []).append(path)
        for name, paths in matches.items():
            exact = [p for p in paths if p.name == name]
            paths.sort(key=lambda p: (p.stat().st_mtime, p in exact, str(p)))
            chosen = paths[-1]
            student.files[name] = chosen
            relative = chosen.relative_to(entry)
            notes = [] if chosen.name == name else [f"graded {relative} as {name}"]
            if len(paths) > 1:
                others = ", ".join(f"{p.relative_to(entry)} ({_when(p)})" for p in paths[:-1])
                notes.append(f"{len(paths)} copies of {name}: graded the latest, {relative} ({_when(chosen)}); "
                             f"ignored {others}")
            student.notes[name] = student.notes.get(name, []) + notes
    return students


def _linked(path, folder):
    """Why `path` is not the student's own file: it, or a folder on the way to it, is a symbolic link; else "".

    With no link below the student's folder (itself never a link), the file is inside it.
    """
    step = folder
    for part in path.relative_to(folder).parts:
        step = step / part
        if step.is_symlink():
            return f"a link to {os.readlink(step)}"
    return ""


def keys(names):
    """{student: a file-name-safe key}, distinct even for names that differ only in case or punctuation."""
    out, taken = {}, set()
    for name in names:
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", name).strip("._")[:80] or "student"   # a short file name
        key = safe if safe == name and safe.lower() not in taken else \
            f"{safe}-{hashlib.sha1(name.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"
        taken.add(key.lower())
        out[name] = key
    return out
