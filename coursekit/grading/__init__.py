"""Grading a class: each submission in its own sandbox, its answers judged outside it, a run nothing stops.

    python -m coursekit.grading SUBMISSIONS [--source notebooks] [--out grades] [--notebooks 08 09]
                                [--jobs N] [--shard K/N] [--fresh] [--sandbox auto|bubblewrap|none]
                                [--cell-timeout 60] [--check-timeout 5] [--notebook-timeout 300] [--memory 4G]
    python -m coursekit.grading merge RESULTS… --out grades    (after sharded runs)

How a submission is graded (runner.py): its code cells run in a sandbox (sandbox.py: bubblewrap, no
network, its own empty home and /tmp, a read-only view of the Python environment, limits on CPU, memory,
processes and file size) against a copy of coursekit without the course's answers (build.py); then the
grader draws fresh problems from a secret seed, the sandbox calls the student's functions on them and
returns plain data, and the grader decides in its own process with the same decision as the student's check
(coursekit.exercises.decide). An exercise earns its points when that verdict is a pass.

A class run (this module): SUBMISSIONS/<student>/…/<notebook>.ipynb, files matched as students and LMSs
name them (submissions.py); one job per student and assigned notebook, run `--jobs` at a time; each job's
result is written to OUT/results/ as soon as it is done, and a rerun reuses results whose submission,
course notebook and settings are unchanged (`--fresh` regrades all). `--shard K/N` runs every N-th job
(for an array job on a batch system) and writes results only; `merge` then writes the reports (report.py)
from the results of all shards.
"""
import hashlib
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from .. import __version__
from ..release import course_notebooks

VERSION = 1          # of the results' format and of the grading procedure: results of another version are redone


def assigned_notebooks(source, notebooks=None, release="release"):
    """The course notebooks to grade: those named (file, stem or number), else those released, else all graded."""
    course = {p.name: p for p in course_notebooks(source)}
    if not course:
        raise ValueError(f"no course notebooks ([0-9][0-9]_*.ipynb) in {source}")
    if notebooks:
        chosen = []
        for wanted in notebooks:
            hits = [name for name in course if wanted in (name, name[:-len(".ipynb")], name.split("_", 1)[0])]
            if len(hits) != 1:
                raise ValueError(f"--notebooks {wanted!r} matches {len(hits)} course notebooks; give a file name, "
                                 f"a stem or a number among: {', '.join(course)}")
            chosen.append(hits[0])
        return [course[name] for name in dict.fromkeys(chosen)]
    released = Path(release) if release else None
    if released is not None and released.is_dir():
        manifest = released / "manifest.json"
        names = []
        if manifest.is_file():
            try:
                names = [n for n in json.loads(manifest.read_text()).get("notebooks", []) if n in course]
            except (ValueError, AttributeError):
                names = []
        names = names or [p.name for p in course_notebooks(released) if p.name in course]
        if names:
            return [course[name] for name in names]
    from ..exercises import EXERCISES
    from .sanitize import graded_items, read
    return [path for path in course.values() if graded_items(read(path), EXERCISES)]


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else ""


def grade(submissions, source="notebooks", out="grades", notebooks=None, jobs=None, shard=None, fresh=False,
          sandbox="auto", cell_timeout=60.0, check_timeout=5.0, notebook_timeout=300.0, memory=4 * 2 ** 30,
          release="release", log=print):
    """Grade SUBMISSIONS into OUT (see the module docstring); returns the rows of grades.csv as dicts."""
    from ..exercises import EXERCISES
    from .build import build
    from .runner import Job, Settings, grade_notebook
    from .sandbox import Limits, Sandbox
    from .sanitize import graded_items, read
    from .submissions import find, keys

    started = time.monotonic()
    submissions, out = Path(submissions), Path(out)
    if not submissions.is_dir():
        raise ValueError(f"SUBMISSIONS folder {str(submissions)!r} does not exist")
    course = assigned_notebooks(source, notebooks, release)
    box = Sandbox.detect(sandbox)
    if not box.sandboxed:
        log(f"WARNING: NOT SANDBOXED: {box.reason}. Submissions run as plain processes with your rights.")
    items, forbidden, files = {}, {}, {}
    for path in course:
        nb = read(path)
        items[path.name] = tuple(graded_items(nb, EXERCISES))
        forbidden[path.name] = tuple(sorted({c for item in items[path.name] if item.kind == "judged"
                                             for c in EXERCISES[item.exercise].forbidden}))
        files[path.name] = {p.name: p for p in sorted(Path(path).parent.iterdir())
                            if p.is_file() and p.suffix != ".ipynb" and not p.name.startswith((".", "_"))
                            and p.stat().st_size < 20 * 2 ** 20}
    students = find(submissions, [p.name for p in course])
    if not students:
        raise ValueError(f"no student folders in {submissions}: expected {submissions}/<student>/<notebook>.ipynb")
    key_of = keys(list(students))
    all_jobs = [Job(name, path.name, student.files.get(path.name), items[path.name],
                    tuple(student.notes.get(path.name, [])))
                for name, student in students.items() for path in course]
    jobs_here = all_jobs
    if shard:
        k, n = shard
        jobs_here = [job for i, job in enumerate(all_jobs) if i % n == k - 1]
    results_dir = out / "results"
    workspace = Path(tempfile.mkdtemp(prefix="coursekit-grading-"))
    try:
        builds = {}
        for name, capabilities in forbidden.items():
            folder = workspace / ("build-" + "-".join(capabilities) if capabilities else "build")
            if not folder.exists():
                build(capabilities, folder)
            builds[name] = folder
        settings = Settings(box, builds, files, float(cell_timeout), float(check_timeout), float(notebook_timeout),
                            Limits(cpu_seconds=int(notebook_timeout) + 30, memory_bytes=int(memory)))
        fingerprint_settings = [VERSION, __version__, float(cell_timeout), float(check_timeout), box.kind]
        done = 0

        def one(job):
            target = results_dir / key_of[job.student] / f"{job.notebook[:-len('.ipynb')]}.json"
            fingerprint = [job.student, job.notebook, _sha(job.path),
                           _sha(next(p for p in course if p.name == job.notebook)), *fingerprint_settings]
            if not fresh and target.is_file():
                try:
                    kept = json.loads(target.read_text())
                    if kept.get("fingerprint") == fingerprint and not kept.get("grader_failed"):   # retried
                        return job, kept, True
                except ValueError:
                    pass
            try:
                result = grade_notebook(job, settings)
            except Exception as error:          # one notebook the grader cannot handle costs only that notebook
                result = _grader_failed(job, error, settings.sandbox.kind)
            file = str(job.path.relative_to(submissions / job.student)) if job.path else ""
            for row in result["rows"]:
                row["file"] = file
            result.update(fingerprint=fingerprint, student=job.student, notebook=job.notebook)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(".tmp")
            temporary.write_text(json.dumps(result, ensure_ascii=True, indent=1))   # any string, even a lone surrogate
            os.replace(temporary, target)
            return job, result, False

        workers = max(1, int(jobs or os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(one, job) for job in jobs_here]
            for future in as_completed(futures):
                job, result, reused = future.result()
                done += 1
                got = sum(r["points"] for r in result["rows"])
                total = sum(r["max_points"] for r in result["rows"])
                how = "kept from the last run" if reused else f"{result.get('seconds', 0):.1f} s"
                log(f"[{done}/{len(jobs_here)}] {job.student}/{job.notebook}: {got:g} / {total:g}  ({how})")
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    if shard:
        log(f"shard {shard[0]}/{shard[1]}: {len(jobs_here)} results in {results_dir}; when every shard is done, "
            f"run: python -m coursekit.grading merge <their result folders> --out {out}")
        return []
    wanted = {(key_of[j.student], j.notebook[:-len(".ipynb")]) for j in all_jobs}
    for path in results_dir.glob("*/*.json"):
        if (path.parent.name, path.stem) not in wanted:
            path.unlink()
    for folder in results_dir.iterdir():
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    rows = _write_reports(results_dir, out, box, key_of)
    log(f"graded {len(students)} student{'s' * (len(students) != 1)} × {len(course)} notebook"
        f"{'s' * (len(course) != 1)} in {time.monotonic() - started:.1f} s ({box.kind}"
        f"{'' if box.sandboxed else ', NOT SANDBOXED'}): {out}/grades.csv, gradebook.csv, grades.md, summary.md, "
        f"feedback/")
    return rows


def _grader_failed(job, error, kind):
    """The result of a notebook on which the grader itself failed: every item 0 with status "error", named."""
    from .runner import _row

    text = (f"the grader could not grade this notebook ({type(error).__name__}: {str(error)[:200]}); "
            f"tell the instructor, who can regrade it after a fix")
    rows = [_row(job, item, 0.0, "error", "grader_error", text) for item in job.items]
    return {"rows": rows, "notes": list(job.notes) + [text], "seconds": 0.0, "sandbox": kind, "grader_failed": True}


def _load(results_dirs):
    results = {}
    for folder in results_dirs:
        for path in sorted(Path(folder).glob("*/*.json")):
            try:
                result = json.loads(path.read_text())
            except ValueError:
                continue
            results[(result["student"], result["notebook"])] = result
    return results


def _write_reports(results_dir, out, box, key_of=None):
    from . import report
    from .submissions import keys

    results = _load([results_dir] if not isinstance(results_dir, list) else results_dir)
    students = sorted({s for s, _ in results})
    key_of = key_of or keys(students)
    order = sorted(results, key=lambda k: (k[0], k[1]))
    rows = [row for key in order for row in results[key]["rows"]]
    notes = {key: results[key].get("notes", []) for key in order}
    report.write(rows, {s: key_of.get(s) or keys([s])[s] for s in students}, out, box, notes)
    return rows


def merge(results_dirs, out="grades", log=print):
    """The reports from the results of sharded runs (each folder: an OUT/results of one shard, or OUT itself)."""
    from .sandbox import Sandbox

    folders = [Path(f) / "results" if (Path(f) / "results").is_dir() else Path(f) for f in results_dirs]
    results = _load(folders)
    if not results:
        raise ValueError(f"no results in {', '.join(map(str, folders))}")
    kinds = {r.get("sandbox") for r in results.values()}
    box = Sandbox("bubblewrap") if kinds == {"bubblewrap"} else Sandbox(
        "none", "some shards ran without bubblewrap" if "bubblewrap" in kinds else "the shards ran without bubblewrap")
    target = Path(out) / "results"
    if not all(f.resolve() == target.resolve() for f in folders):
        target.mkdir(parents=True, exist_ok=True)
        for folder in folders:
            if folder.resolve() == target.resolve():
                continue
            for path in folder.glob("*/*.json"):
                (target / path.parent.name).mkdir(exist_ok=True)
                shutil.copy2(path, target / path.parent.name / path.name)
    rows = _write_reports(target, Path(out), box)
    log(f"merged {len(results)} results into {out}/")
    return rows


def main(argv=None):
    from .__main__ import main as cli
    return cli(argv)


__all__ = ["grade", "merge", "assigned_notebooks"]
