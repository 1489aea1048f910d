"""Grading one submitted notebook: run it in its sandbox, ask its answers for results on fresh problems, and
judge the returned data here, in the grader's process.

    result = grade_notebook(job, settings)     # a dict: rows (one per graded item), notes, timing

The problems are drawn here from a secret seed (`secrets`) for every exercise, so they differ from the
practice problems of the student's check and from run to run; the verdict is `decide` (coursekit.exercises),
the same decision as the student's check, on what came back. Nothing the submission printed, displayed or
raised in its check cells counts, and nbgrader's rules (stderr, partial credit) play no part: an exercise
earns its points when the verdict is a pass, else none.
"""
import os
import queue
import secrets
import select
import threading
import time
from dataclasses import dataclass

import numpy as np

from ..exercises import EXERCISES, wire
from ..exercises.decide import decide, result as verdict_of
from ..exercises.running import Outcome
from . import sanitize
from .sandbox import Limits


@dataclass(frozen=True)
class Settings:
    """How every notebook of a run is graded."""

    sandbox: object                      #: sandbox.Sandbox
    builds: dict                         #: notebook name → folder holding its grading build of coursekit
    files: dict                          #: notebook name → {data file name: path} copied next to it
    cell_timeout: float = 60.0           #: seconds one cell may run
    check_timeout: float = 5.0           #: seconds one call of an answer may run
    notebook_timeout: float = 300.0      #: seconds the whole notebook (cells and answers) may take
    limits: Limits = Limits()


@dataclass(frozen=True)
class Job:
    """One student's notebook to grade."""

    student: str
    notebook: str            #: the course notebook's file name
    path: object             #: the submitted file, or None when not submitted
    items: tuple             #: sanitize.Item of the course notebook
    notes: tuple = ()        #: what the choice of file was (copies, renamed files)


class _Reader(threading.Thread):
    """Reads the collector's messages into a queue (data only: formulas are refused), at most `budget` bytes
    and `count` messages in all, so that a submission flooding the channel costs the grader nothing."""

    def __init__(self, stream, budget=256 * 2 ** 20, count=20_000):
        super().__init__(daemon=True)
        self.stream, self.messages = stream, queue.Queue()
        self.budget, self.count = budget, count

    def run(self):
        try:
            while True:
                size = self.stream.read(8)
                if len(size) < 8:
                    break
                length = int.from_bytes(size, "big")
                self.budget -= length
                self.count -= 1
                if length > wire.MAX_BYTES or self.budget < 0 or self.count < 0:
                    self.messages.put(("garbled", "more than the grader reads from one notebook"))
                    break
                data = self.stream.read(length)
                if len(data) < length:
                    break
                try:
                    self.messages.put(("message", wire.decode(data)))
                except wire.WireError as error:
                    self.messages.put(("garbled", str(error)))
                    break
        except (OSError, ValueError):
            pass
        self.messages.put(("closed", None))

    def next(self, deadline):
        """("message", value) | ("closed", None) | ("garbled", why) | ("timeout", None) before the deadline."""
        try:
            return self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return ("timeout", None)


class _Stderr(threading.Thread):
    def __init__(self, stream, keep=64 * 1024):
        super().__init__(daemon=True)
        self.stream, self.keep, self.text = stream, keep, b""

    def run(self):
        try:
            while chunk := self.stream.read(65536):
                if len(self.text) < self.keep:
                    self.text += chunk[:self.keep - len(self.text)]
        except (OSError, ValueError):
            pass


def _send(process, message, seconds=30.0):
    """Write one message to the collector, giving up after `seconds` if it does not read (never blocks for good)."""
    payload = wire.encode(message)
    data = memoryview(len(payload).to_bytes(8, "big") + payload)
    deadline = time.monotonic() + seconds
    try:
        fd = process.stdin.fileno()
        os.set_blocking(fd, False)
        while data:
            if time.monotonic() > deadline:
                return False
            _, ready, _ = select.select([], [fd], [], max(0.0, deadline - time.monotonic()))
            if ready:
                data = data[os.write(fd, data[:65536]):]
        return True
    except (BrokenPipeError, OSError, ValueError):
        return False


def _row(job, item, points, status, diagnosis, feedback):
    return {"student": job.student, "notebook": job.notebook, "exercise": item.exercise, "points": float(points),
            "max_points": float(item.points), "status": status, "diagnosis": diagnosis or "",
            "feedback": _text(feedback)}


def _text(value):
    """A message that may quote the submission, as text every report can write (a lone surrogate becomes �)."""
    return str(value).encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def grade_notebook(job, settings):
    """{"rows", "notes", "seconds", "sandbox"} for one job (see the module docstring)."""
    started = time.monotonic()
    notes = list(job.notes)
    judged = [item for item in job.items if item.kind == "judged"]
    rows_manual = {item.grade_id: _row(job, item, 0.0, "manual", "to_grade_by_hand", f"to grade by hand: {item.why}")
                   for item in job.items if item.kind == "manual"}
    if job.path is None:
        rows = [_row(job, item, 0.0, "not_submitted", "not_submitted", "not submitted") if item.kind == "judged"
                else _row(job, item, 0.0, "not_submitted", "not_submitted", "not submitted") for item in job.items]
        return {"rows": rows, "notes": notes, "seconds": 0.0, "sandbox": settings.sandbox.kind}
    try:
        cells, cell_notes = sanitize.submission_cells(job.path)
        notes += cell_notes
    except sanitize.Unreadable as error:
        rows = [_row(job, item, 0.0, "unreadable", "unreadable", f"the notebook could not be graded: {error}")
                if item.kind == "judged" else rows_manual[item.grade_id] for item in job.items]
        return {"rows": rows, "notes": notes + [str(error)], "seconds": time.monotonic() - started,
                "sandbox": settings.sandbox.kind}
    verdicts, seeds, problem = _run(job, judged, cells, settings, notes)
    rows = []
    for item in job.items:
        if item.kind == "manual":
            rows.append(rows_manual[item.grade_id])
            continue
        verdict = verdicts.get(item.exercise)
        if verdict is None:
            rows.append(_row(job, item, 0.0, "error", "not_run", problem or "the notebook did not get this far"))
        else:
            rows.append(_row(job, item, item.points if verdict.passed else 0.0, "graded", verdict.diagnosis,
                             verdict.message))
    return {"rows": rows, "notes": notes, "seconds": round(time.monotonic() - started, 3),
            "sandbox": settings.sandbox.kind, "seeds": seeds}


def _run(job, judged, cells, settings, notes):
    """Run the cells in the sandbox, then collect and judge every exercise: ({exercise: verdict}, seeds, problem)."""
    verdicts, seeds = {}, {}
    deadline = time.monotonic() + settings.notebook_timeout
    process = settings.sandbox.start(settings.builds[job.notebook], settings.files.get(job.notebook, {}),
                                     settings.limits)
    reader, errors = _Reader(process.stdout), _Stderr(process.stderr)
    reader.start()
    errors.start()
    solution_errors, problem = {}, None
    try:
        if not _send(process, {"op": "cells", "cells": [list(c) for c in cells],
                               "cell_timeout": float(settings.cell_timeout)}):
            return verdicts, seeds, "the notebook's process did not start"
        ids = _solution_ids(job.path)
        pending = len(cells)
        while True:
            kind, message = reader.next(min(deadline, time.monotonic() + settings.cell_timeout + 10))
            if kind != "message" or not isinstance(message, dict):
                problem = _stopped(kind, message, settings, errors)
                return verdicts, seeds, problem
            if message.get("event") == "ready":
                break
            if message.get("event") == "cell":
                pending -= 1
                index, status = message.get("index"), message.get("status")
                if status in ("error", "timeout") and type(index) is int and index in ids:   # data, not trusted
                    error = message.get("error") if isinstance(message.get("error"), dict) else {}
                    solution_errors[ids[index]] = _cell_error(status, error, settings)
            if pending < -1:
                return verdicts, seeds, "the notebook's process sent more than it was asked for"
        for item in judged:
            exercise = EXERCISES[item.exercise]
            seed = secrets.randbits(64)
            seeds[item.exercise] = str(seed)
            cases = exercise.draw(np.random.default_rng(seed))
            if not _send(process, {"op": "collect", "exercise": item.exercise, "function": exercise.function,
                                   "pencil": exercise.pencil, "cases": [list(c.args) for c in cases],
                                   "timeout": float(settings.check_timeout), "forbidden": list(exercise.forbidden)}):
                problem = "the notebook's process ended before all exercises were collected"
                return verdicts, seeds, problem
            wait = min(deadline, time.monotonic() + len(cases) * (settings.check_timeout + 2) + 10)
            kind, message = reader.next(wait)
            if kind != "message" or not isinstance(message, dict) or message.get("event") != "outcomes" \
                    or message.get("exercise") != item.exercise:
                problem = _stopped(kind, message, settings, errors)
                return verdicts, seeds, problem
            try:
                verdicts[item.exercise] = _judge(exercise, cases, message, solution_errors.get(item.exercise))
            except Exception as error:          # what came back is data from the submission: never trusted
                verdicts[item.exercise] = verdict_of(exercise, "unreadable_answer", "the answer's results could not "
                                                     f"be read ({type(error).__name__}); they earn no points")
        _send(process, {"op": "bye"})
        return verdicts, seeds, None
    finally:
        process.stop()


def _solution_ids(path):
    """{cell index: grade_id} of the submission's solution cells (as the student's file marks them)."""
    try:
        nb = sanitize.read(path)
    except sanitize.Unreadable:
        return {}
    return {i: sanitize.grade_id(c) for i, c in enumerate(nb["cells"])
            if isinstance(c, dict) and sanitize.grade_id(c) and (sanitize.nbgrader(c) or {}).get("solution")}


def _cell_error(status, error, settings):
    if status == "timeout":
        return f"the solution cell ran for more than {settings.cell_timeout:g} s and was stopped"
    text = f"the solution cell raised {str(error.get('type') or 'an error')[:60]}"
    if error.get("message"):
        text += f": {str(error['message'])[:200]}"
    if error.get("where"):
        text += f" (at {str(error['where'])[:40]}" + (f": `{str(error['line'])[:120]}`)" if error.get("line") else ")")
    return text


def _stopped(kind, message, settings, errors):
    if kind == "timeout":
        return (f"the notebook ran past its limit ({settings.cell_timeout:g} s per cell, "
                f"{settings.notebook_timeout:g} s in all) and was stopped")
    if kind == "garbled":
        return f"the notebook's process sent something that is not data ({message}); it was stopped"
    if kind == "closed":
        return "the notebook's process ended (it exited, crashed or ran out of memory) before grading was done"
    return "the notebook's process answered out of turn and was stopped"


def _judge(exercise, cases, message, solution_error):
    found = message.get("found")
    if found == "missing":
        text = f"{exercise.function} is not defined in the notebook"
        text += f": {solution_error}" if solution_error else " (was its cell run, and did it keep the name?)"
        return verdict_of(exercise, "not_defined", text)
    if found == "not_callable":
        kind = str(message.get("type", "value"))[:60]
        return verdict_of(exercise, "not_callable", f"{exercise.function} is a {kind}, not a function")
    raw = message.get("outcomes")
    outcomes = [Outcome.from_data(o) for o in raw] if isinstance(raw, list) else []
    verdict = decide(exercise, cases, outcomes[:len(cases)])
    if solution_error and not verdict.passed:
        verdict = verdict_of(exercise, verdict.diagnosis, f"{solution_error}; {verdict.message}")
    return verdict
