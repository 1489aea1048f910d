"""Reports an instructor can upload: long and wide CSV, Markdown, one feedback file per student, a class summary.

    write(rows, students, out, sandbox, notes)

- grades.csv: one row per student and graded item (student, notebook, exercise, points, max_points, status,
  diagnosis, feedback, file);
- gradebook.csv: one row per student, a column per exercise, then total and max_total (for an LMS import);
- grades.md: totals per student and notebook; feedback/<student>.md: one student's feedback;
- summary.md and summary.png: per exercise, how many students made each diagnosed mistake.
Every cell a student controls is made inert: a CSV cell starting with =, +, -, @, tab or CR gets a leading
apostrophe (spreadsheet formulas), and Markdown/HTML characters are escaped in the Markdown files. Earlier
reports in `out` are replaced (no stale feedback files).
"""
import csv
import html
import re
import shutil
from collections import Counter, OrderedDict
from pathlib import Path

FIELDS = ["student", "notebook", "exercise", "points", "max_points", "status", "diagnosis", "feedback", "file"]
GENERATED = ["grades.csv", "gradebook.csv", "grades.md", "summary.md", "summary.png"]


def cell(value):
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, float):
        return f"{value:g}"
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def md(value):
    """Text a student controls, safe inside Markdown (and its HTML): no markup, no table breaks, one line."""
    text = html.escape(str(value), quote=True).replace("\r", " ").replace("\n", " ")
    text = re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)
    text = re.sub(r"^(\s*)([#+>-])", r"\1\\\2", text)
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", text)


def _stem(name):
    return name[:-len(".ipynb")] if name.endswith(".ipynb") else name


def write(rows, students, out, sandbox, notes=None):
    """Write every report for these rows; `students` = {name: file key}; `notes` = {(student, notebook): [..]}."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in GENERATED:
        (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / "feedback", ignore_errors=True)
    shutil.rmtree(out / "notebooks", ignore_errors=True)            # executed copies of earlier versions
    notes = notes or {}
    with open(out / "grades.csv", "w", newline="", encoding="utf-8", errors="backslashreplace") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for row in rows:
            writer.writerow([cell(row.get(key, "")) for key in FIELDS])
    exercises = list(OrderedDict.fromkeys((r["notebook"], r["exercise"]) for r in rows))
    maximum = {key: max(r["max_points"] for r in rows if (r["notebook"], r["exercise"]) == key) for key in exercises}
    with open(out / "gradebook.csv", "w", newline="", encoding="utf-8", errors="backslashreplace") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student"] + [f"{e} ({maximum[(n, e)]:g})" for n, e in exercises] + ["total", "max_total"])
        for student in students:
            mine = {(r["notebook"], r["exercise"]): r for r in rows if r["student"] == student}
            points = [mine[key]["points"] if key in mine else 0.0 for key in exercises]
            writer.writerow([cell(student)] + [cell(p) for p in points]
                            + [cell(sum(points)), cell(sum(maximum.values()))])
    banner = _banner(sandbox)
    notebooks = list(OrderedDict.fromkeys(r["notebook"] for r in rows))
    lines = ["# Grades", "", banner, "", "| student | " + " | ".join(md(_stem(n)) for n in notebooks) + " | total |",
             "|---|" + "---:|" * (len(notebooks) + 1)]
    feedback = out / "feedback"
    feedback.mkdir()
    for student, key in students.items():
        mine = [r for r in rows if r["student"] == student]
        sums = [f"{sum(r['points'] for r in mine if r['notebook'] == n):g} / "
                f"{sum(r['max_points'] for r in mine if r['notebook'] == n):g}" for n in notebooks]
        lines.append(f"| {md(student)} | " + " | ".join(sums) +
                     f" | **{sum(r['points'] for r in mine):g} / {sum(r['max_points'] for r in mine):g}** |")
        (feedback / f"{key}.md").write_text(_feedback(student, mine, notes), encoding="utf-8", errors="backslashreplace")
    manual = [r for r in rows if r["status"] == "manual"]
    if manual:
        lines += ["", f"{len(manual)} item{'s' * (len(manual) != 1)} to grade by hand (points not counted yet): "
                      "see grades.csv, status \"manual\"."]
    (out / "grades.md").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="backslashreplace")
    _summary(rows, exercises, out, banner)


def _banner(sandbox):
    if sandbox.sandboxed:
        return "Every submission ran in its own bubblewrap sandbox (no network, no view of other files)."
    return ("**WARNING: NOT SANDBOXED.** The submissions ran as plain processes with the grader's rights "
            f"({md(sandbox.reason)}): they could read the solved notebooks and other submissions, write files "
            "and reach the network. The verdicts are still computed outside the submissions, but for marks that "
            "count, grade on a machine with bubblewrap.")


def _feedback(student, rows, notes):
    lines = [f"# Feedback for {md(student)}", ""]
    for notebook in OrderedDict.fromkeys(r["notebook"] for r in rows):
        mine = [r for r in rows if r["notebook"] == notebook]
        got, total = sum(r["points"] for r in mine), sum(r["max_points"] for r in mine)
        lines += [f"## {md(_stem(notebook))}: {got:g} / {total:g}", ""]
        graded = next((r["file"] for r in mine if r.get("file")), "")
        if graded:
            lines.append(f"Graded file: {md(graded)}")
        for note in notes.get((student, notebook), []):
            lines.append(f"- {md(note)}")
        lines += ["", "| exercise | points | feedback |", "|---|---:|---|"]
        for r in mine:
            mark = "✓" if r["status"] == "graded" and r["points"] == r["max_points"] else \
                "…" if r["status"] == "manual" else "✗"
            lines.append(f"| {md(r['exercise'])} | {r['points']:g} / {r['max_points']:g} | {mark} {md(r['feedback'])} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def _summary(rows, exercises, out, banner):
    """Per exercise, how many students made each diagnosed mistake: what to re-teach next lecture."""
    lines = ["# Class summary", "", banner, "",
             "Per exercise: how many students passed, and how many made each mistake the checks name.", ""]
    chart = []
    for notebook, exercise in exercises:
        mine = [r for r in rows if (r["notebook"], r["exercise"]) == (notebook, exercise)]
        counts = Counter("passed" if r["status"] == "graded" and r["points"] == r["max_points"] and r["max_points"]
                         else (r["diagnosis"] or r["status"]) for r in mine)
        lines += [f"## {md(exercise)} ({len(mine)} students)", "", "| outcome | students |", "|---|---:|"]
        for outcome, n in counts.most_common():
            lines.append(f"| `{_code(outcome)}` | {n} |")
            if outcome != "passed":
                chart.append((f"{exercise}: {outcome}", n))
        lines.append("")
    (out / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="backslashreplace")
    _chart(chart, out / "summary.png")


def _code(text):
    """A diagnosis code (the grader's own words) for inside backticks."""
    return re.sub(r"[^\w+.-]", "_", str(text))


def _chart(chart, path):
    import matplotlib
    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    chart = sorted(chart, key=lambda item: -item[1])[:20]
    figure = Figure(figsize=(7, 0.35 * max(len(chart), 1) + 1.2))
    ax = figure.subplots()
    if chart:
        labels, counts = zip(*chart)
        ax.barh(range(len(chart)), counts, color="#D55E00")
        ax.set_yticks(range(len(chart)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("students")
    else:
        ax.text(0.5, 0.5, "no mistakes named", ha="center", va="center")
        ax.set_axis_off()
    ax.set_title("Mistakes the checks named, most common first", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
