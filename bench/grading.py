"""How long grading a class takes: N students × the course's notebooks 00 and 08, with --jobs 1 and --jobs 2.

    python bench/grading.py [--students 40] [--jobs 1 2] [--json bench/results/grading.json]

The class is made from `make release`'s student copies: a quarter right, a quarter untouched, a quarter with
σ' missing in 08, a quarter with a mistake in 00. Prints the wall time of each run and the median and worst
time per notebook (from the grader's own log), and whether the sandbox was bubblewrap.
"""
import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ["00_cost_and_gradient_descent.ipynb", "08_two_layer_network.ipynb"]
WRONG = {
    "08-backward": "def my_backward(params, trace, Y):\n    f0, f1, f2 = trace['f0'], trace['f1'], trace['f2']\n"
                   "    delta2 = f2 - Y\n    delta1 = (params['A1'].T @ delta2) * f1 * (1 - f1)\n"
                   "    return {'A0': delta1 @ f0.T, 'b0': delta1.sum(axis=1, keepdims=True),\n"
                   "            'A1': delta2 @ f1.T, 'b1': delta2.sum(axis=1, keepdims=True)}",
    "00-total-cost": "def total_cost_squared(F, Y):\n    return float(np.sum((F - Y) ** 2))",
}


def solutions(nb):
    return {c.metadata["nbgrader"]["grade_id"]: "\n".join(l for l in c.source.splitlines() if "### " not in l)
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def make_class(folder, students):
    from coursekit.release import release
    release(ROOT / "notebooks", folder / "release", [ROOT / "notebooks" / n for n in NOTEBOOKS], log=lambda *a: None)
    for s in range(students):
        kind = ("right", "untouched", "wrong08", "wrong00")[s % 4]
        for name in NOTEBOOKS:
            nb = nbformat.read(folder / "release" / name, as_version=4)
            answers = solutions(nbformat.read(ROOT / "notebooks" / name, as_version=4))
            if kind == "wrong08":
                answers.update({k: v for k, v in WRONG.items() if k.startswith("08")})
            if kind == "wrong00":
                answers.update({k: v for k, v in WRONG.items() if k.startswith("00")})
            for cell in nb.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if kind != "untouched" and grade_id in answers:
                    cell.source = answers[grade_id]
            path = folder / "class" / f"student{s:02d}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, path)


def run(folder, jobs):
    out = folder / f"grades-{jobs}"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "coursekit.grading", str(folder / "class"), "--source",
                             str(ROOT / "notebooks"), "--out", str(out), "--notebooks", "00", "08", "--jobs",
                             str(jobs), "--fresh"], capture_output=True, text=True, check=True)
    wall = time.monotonic() - started
    per = {name: [] for name in NOTEBOOKS}
    for line in result.stdout.splitlines():
        match = re.match(r"\[\d+/\d+\] [^/]+/(\S+): .*\((\d+\.\d+) s\)$", line)
        if match:
            per[match.group(1)].append(float(match.group(2)))
    sandbox = "bubblewrap" if "(bubblewrap)" in result.stdout else "none"
    return {"jobs": jobs, "wall_seconds": round(wall, 1), "sandbox": sandbox,
            "per_notebook": {n: {"median": round(statistics.median(t), 2), "worst": round(max(t), 2)}
                             for n, t in per.items() if t}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coursekit-bench-grading-") as folder:
        folder = Path(folder)
        make_class(folder, args.students)
        results = [run(folder, jobs) for jobs in args.jobs]
    for r in results:
        times = "; ".join(f"{n[:2]}: median {t['median']} s, worst {t['worst']} s" for n, t in r["per_notebook"].items())
        print(f"{args.students} students × {len(NOTEBOOKS)} notebooks, --jobs {r['jobs']}: {r['wall_seconds']} s "
              f"({r['sandbox']}); per notebook {times}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"students": args.students, "runs": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
