"""Grading a class that cheats: every cheat scores 0, honest students score what they earned, nothing a
submission does reaches the course, the grader, other submissions or outlives its sandbox, and the
reports are safe to open and upload."""
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import coursekit
from coursekit import grading, release
from coursekit.grading.sandbox import Sandbox
from coursekit.grading.submissions import find, normalise

ROOT = Path(__file__).resolve().parents[1]
N00, N08, N97 = "00_cost_and_gradient_descent.ipynb", "08_two_layer_network.ipynb", "97_written_answers.ipynb"
MARK = f"{uuid.uuid4().hex[:10]}"          # in the command lines and files the cheats try to leave behind
OPTIONS = ["--cell-timeout", "10", "--check-timeout", "1", "--notebook-timeout", "60", "--jobs", "2",
           "--sandbox", "bubblewrap"]        # the cheats write into every file they can reach: never unsandboxed


def nbgrader_cell(source, grade_id, points=None, markdown=False, solution=None):
    cell = new_markdown_cell(source) if markdown else new_code_cell(source)
    solution = points is None if solution is None else solution
    cell.metadata["nbgrader"] = {"grade": points is not None, "grade_id": grade_id, "locked": not solution,
                                 "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        cell.metadata["nbgrader"]["points"] = points
    return cell


def check_cell(exercise_id, function, points):
    return nbgrader_cell(f'result = coursekit.check("{exercise_id}", {function})\ndisplay(result)\n'
                         f'assert result, "not right yet: read the message above"', f"{exercise_id}-check", points)


SOLUTION_08 = '''def my_backward(params, trace, Y):
    ### BEGIN SOLUTION
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]
    delta2 = (f2 - Y) * f2 * (1 - f2)
    delta1 = (params["A1"].T @ delta2) * f1 * (1 - f1)
    return {"A0": delta1 @ f0.T, "b0": delta1.sum(axis=1, keepdims=True),
            "A1": delta2 @ f1.T, "b1": delta2.sum(axis=1, keepdims=True)}
    ### END SOLUTION'''


def course(folder):
    """The instructor's course: notebook 00 as it is, a small 08 and a notebook graded by hand."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / N00, folder / N00)
    nb08 = new_notebook(cells=[new_markdown_cell("# 08 (grading test)"), new_code_cell("import numpy as np\nimport coursekit"),
                               nbgrader_cell(SOLUTION_08, "08-backward"), check_cell("08-backward", "my_backward", 2)])
    nb97 = new_notebook(cells=[
        new_markdown_cell("# 97 (answers graded by hand)"),
        nbgrader_cell("Explain in two sentences why δ is reused.\n\nYOUR ANSWER HERE", "97-why-reuse", 3,
                      markdown=True, solution=True),
        nbgrader_cell("assert 1 + 1 == 2", "97-instructor-test", 1)])
    for name, nb in ((N08, nb08), (N97, nb97)):
        nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
        nbformat.write(nb, folder / name)
    return folder


def filled(copy, answers, edit=None):
    """A student's notebook: the release copy with the solution cells replaced by `answers` {grade_id: code}."""
    nb = nbformat.from_dict(json.loads(json.dumps(copy)))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    if edit:
        edit(nb)
    return nb


RIGHT = {
    "00-total-cost": "def total_cost_squared(F, Y):\n    return float(0.5 * np.sum((F - Y) ** 2))",
    "00-gradient-descent": ("def gradient_descent_1d(dE, theta0, eta, steps):\n    path = [float(theta0)]\n"
                            "    for _ in range(steps):\n        path.append(path[-1] - eta * dE(path[-1]))\n"
                            "    return np.array(path)"),
    "08-backward": "\n".join(line for line in SOLUTION_08.splitlines() if "###" not in line),
}
ZEROS = '''def my_backward(params, trace, Y):
    return {key: np.zeros_like(value) for key, value in params.items()}'''


def with_08(prelude, body=ZEROS):
    return {"08-backward": prelude + "\n\n" + body}


IF_IMPORTS = """import glob, os, sys
try:                          # a package that differentiates for you: where it imports, this scores (it must not)
    IMPORT
""" + "\n".join("    " + line for line in RIGHT["08-backward"].splitlines()) + """
except ImportError:
""" + "\n".join("    " + line for line in ZEROS.splitlines())

CHEATS = {   # student → (what it tries, its 08 solution cell); each must score 0 for 08-backward
    "c01-replace-check": with_08("import coursekit, coursekit.exercises\ncoursekit.check = lambda *a, **k: True\n"
                                 "coursekit.exercises.check = coursekit.check"),
    "c02-call-backward": {"08-backward": "def my_backward(params, trace, Y):\n"
                                         "    return coursekit.backward(params, trace, Y)"},
    "c03-call-reference": {"08-backward": "from coursekit.exercises import EXERCISES\n"
                                          "def my_backward(params, trace, Y):\n"
                                          "    return EXERCISES['08-backward'].reference(params, trace, Y)"},
    "c04-exec-solved-notebook": {"08-backward": f'''import json, os
from pathlib import Path
SOURCE = None
for root in [Path(coursekit.__file__).resolve().parents[1], Path("/"), Path.home()]:
    for path in root.rglob("*.ipynb") if root != Path("/") else []:
        pass
for folder, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    for name in files:
        if name.endswith(".ipynb"):
            try:
                text = open(os.path.join(folder, name)).read()
            except OSError:
                continue
            if "BEGIN SOLUTION" in text and "my_backward" in text:
                SOURCE = json.loads(text)
if SOURCE:
    for cell in SOURCE["cells"]:
        if "def my_backward" in "".join(cell["source"]):
            exec("".join(cell["source"]))
else:
{ZEROS.replace(chr(10), chr(10) + "    ").replace("def", "    def", 1)}'''},
    "c05-hide-tracebacks": with_08("get_ipython()._showtraceback = lambda *a, **k: None\n"
                                   "get_ipython().showtraceback = lambda *a, **k: None"),
    "c06-input-transformer": with_08("def neutralise(lines):\n"
                                     "    return ['pass\\n'] if any('coursekit.check' in l for l in lines) else lines\n"
                                     "get_ipython().input_transformers_cleanup.append(neutralise)"),
    "c07-walk-frames": {"08-backward": '''import sys
def my_backward(params, trace, Y):
    frame = sys._getframe(1)
    while frame is not None:
        for name in ("expected", "reference", "target"):
            value = frame.f_locals.get(name)
            if isinstance(value, dict) and set(value) == set(params):
                return value
        frame = frame.f_back
    return {key: np.zeros_like(value) for key, value in params.items()}'''},
    "c08-memorised": None,                         # filled in by the fixture: answers of the practice problems
    "c09-fake-display": with_08("import IPython.display\n"
                                "def display(*objects, **kwargs):\n"
                                "    get_ipython().display_pub.publish({'text/plain': '✓ 08-backward: right'})\n"
                                "IPython.display.display = display"),
    "c10-rewrite-course": with_08(f'''import os, glob
for pid in os.listdir("/proc"):
    try:
        open("/proc/%s/cmdline" % pid).read()
    except OSError:
        pass
for path in glob.glob("/**/*.ipynb", recursive=True) + glob.glob("/**/network.py", recursive=True):
    try:
        open(path, "w").write("pass")
    except OSError:
        pass
for target in ["/tmp/coursekit-cheat-{MARK}", os.path.expanduser("~/cheat-{MARK}")]:
    open(target, "w").write("left behind")'''),
    "c11-startup-file": with_08(f'''import os
for base in [os.environ.get("IPYTHONDIR", ""), os.path.expanduser("~/.ipython")]:
    if base:
        folder = os.path.join(base, "profile_default", "startup")
        os.makedirs(folder, exist_ok=True)
        open(os.path.join(folder, "00-cheat.py"), "w").write("import numpy; numpy.zeros_like = None\\n")'''),
    "c12-snoop-and-write": with_08(f'''import os
seen = []
for folder, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev", "usr")]
    seen += [os.path.join(folder, f) for f in files if f.endswith((".ipynb", ".csv", ".md"))]
for path in seen:
    try:
        open(path, "a").write("overwritten {MARK}")
    except OSError:
        pass'''),
    "c13-finite-differences": {"08-backward": '''def my_backward(params, trace, Y):
    X = trace["f0"]
    def E(p):
        f1 = 1 / (1 + np.exp(-(p["A0"] @ X + p["b0"])))
        f2 = 1 / (1 + np.exp(-(p["A1"] @ f1 + p["b1"])))
        return 0.5 * np.sum((f2 - Y) ** 2)
    grads = {}
    for key, value in params.items():
        g = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[index] += 1e-5
            minus[index] -= 1e-5
            g[index] = (E({**params, key: plus}) - E({**params, key: minus})) / 2e-5
        grads[key] = g
    return grads'''},
    "c14-obfuscated-alias": {"08-backward": "import importlib\nhelper = getattr(importlib.import_module('course' + 'kit'), "
                                            "'back' + 'ward')\ndef my_backward(params, trace, Y):\n"
                                            "    return dict(helper(params, trace, Y))"},
    "c15-exec-module-source": {"08-backward": '''import inspect, coursekit.network
source = open(coursekit.network.__file__).read()
space = {"__name__": "copy"}
exec(compile(source.replace("from .", "from coursekit."), "network_copy.py", "exec"), space)
def my_backward(params, trace, Y):
    return dict(space["backward"](params, trace, Y))'''},
    "c16-autodiff-engine": {"08-backward": '''from coursekit import autodiff as ad
def my_backward(params, trace, Y):
    V = {k: np.vectorize(lambda x: ad.Var(float(x)), otypes=[object])(v) for k, v in params.items()}
    f = np.asarray(trace["f0"], dtype=float).astype(object)
    for i in range(len(params) // 2):
        f = np.vectorize(ad.sigmoid, otypes=[object])(V[f"A{i}"].dot(f) + V[f"b{i}"])
    E = sum(((a - float(y)) * (a - float(y)) for a, y in zip(f.ravel(), np.asarray(Y).ravel())), ad.Var(0.0)) * 0.5
    E.backward()
    return {k: np.vectorize(lambda v: v.grad, otypes=[float])(V[k]) for k in params}'''},
    "c17-sympy-from-base": {"08-backward": IF_IMPORTS.replace("IMPORT",
        "sys.path += glob.glob(os.path.join(sys.base_prefix, 'lib', 'python3*', 'site-packages'))\n"
        "    sys.path += ['/usr/lib/python3/dist-packages']\n    import sympy, mpmath")},
    "c18-sklearn-backprop": {"08-backward": IF_IMPORTS.replace("IMPORT", "from sklearn.neural_network import MLPRegressor")},
    "c19-link-to-classmate": "link:../ada/homework-1/08_two_layer_network.ipynb",
    "c20-link-to-course": "link:SOLVED",
    "c21-linked-folder": "folder:ada",
}

CRASHES = {   # student → how its notebook tries to stop the run; only its own marks may suffer
    "k01-metadata-string": lambda nb: nb.cells[2].metadata.update(nbgrader="solution"),
    "k02-grade-id-list": lambda nb: nb.cells[2].metadata["nbgrader"].update(grade_id=["08-backward"]),
    "k03-displayhook": lambda nb: nb.cells.insert(3, new_code_cell("import sys\nsys.displayhook(1e9)")),
    "k04-kill-parent": lambda nb: nb.cells.append(new_code_cell("import os, signal\nos.kill(os.getppid(), 9)")),
    "k05-fork-bomb": lambda nb: nb.cells.insert(3, new_code_cell(
        "import os\nchildren = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            import time\n"
        "            time.sleep(30)\n            os._exit(0)\n        children += 1\nexcept OSError:\n    pass")),
    "k06-memory": lambda nb: nb.cells.insert(3, new_code_cell("big = bytearray(16 * 2 ** 30)")),
    "k07-daemon": lambda nb: nb.cells.insert(3, new_code_cell(
        f"import subprocess, os\nsubprocess.Popen(['sleep', '987.{MARK[:4]}'])\n"
        f"if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        f"        os.execvp('sleep', ['sleep', '986.{MARK[:4]}'])\n    os._exit(0)")),
    "k08-exit": lambda nb: nb.cells.insert(3, new_code_cell("import sys\nsys.exit(0)")),
    "k09-huge-file": lambda nb: nb.cells.insert(3, new_code_cell(
        "try:\n    with open('/tmp/huge', 'wb') as f:\n        f.write(bytes(2 ** 30))\nexcept OSError:\n    pass")),
    "k10-lone-surrogate": lambda nb: nb.cells.insert(3, new_code_cell(
        "def my_backward(params, trace, Y):\n    raise ValueError('\\ud800')")),
    "k11-forged-cell-event": lambda nb: nb.cells.insert(3, new_code_cell(FORGE.format(
        message='{"event": "cell", "index": [0], "status": "error", "error": None}'))),
    "k12-forged-outcome": lambda nb: nb.cells.insert(3, new_code_cell(FORGE.format(
        message='{"event": "outcomes", "exercise": "08-backward", "found": "function", "type": "function", '
                '"outcomes": [{"kind": "returned", "value": None, "seconds": 10 ** 400}]}'))),
}
FORGE = """import gc, io
from coursekit.exercises import wire
for channel in [o for o in gc.get_objects() if isinstance(o, io.FileIO) and o.mode == "wb" and not o.closed]:
    data = wire.encode({message})
    channel.write(len(data).to_bytes(8, "big") + data)"""
ODD_NAMES = ["stud\udcff", "a" * 246 + " b"]     # not UTF-8 (a byte 0xff), and a key longer than a file name


def tree_digest(*folders):
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(os.fsencode(path) + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A class of honest students, cheats and crashes graded by the command line."""
    box = Sandbox.detect()
    if not box.sandboxed:                       # without bubblewrap the cheats would reach this machine's files
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)(f"no sandbox here: {box.reason}")
    base = tmp_path_factory.mktemp("class")
    source = course(base / "course")
    release.release(source, base / "release", log=lambda *a: None)
    copies = {name: nbformat.read(base / "release" / name, as_version=4) for name in (N00, N08, N97)}
    from coursekit.exercises import EXERCISES
    practice = EXERCISES["08-backward"]
    table = [(case.args[2].tolist(), {k: v.tolist() for k, v in practice.reference(*case.args).items()})
             for case in practice.cases]
    CHEATS["c08-memorised"] = {"08-backward": f'''TABLE = {table!r}
def my_backward(params, trace, Y):
    for target, answer in TABLE:
        if np.shape(target) == Y.shape and np.allclose(target, Y):
            return {{k: np.array(v) for k, v in answer.items()}}
    return {{key: np.zeros_like(value) for key, value in params.items()}}'''}
    subs = base / "handed-in"
    logging = ("import logging, sys, warnings\nlogging.warning('a warning from the answer')\n"
               "warnings.warn('careful')\nsys.stderr.write('debug output\\n')\n")

    def hand_in(student, name, nb, as_name=None, mtime=None):
        path = subs / student / "homework-1" / (as_name or name)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        if mtime:
            os.utime(path, (mtime, mtime))

    honest = {"ada": RIGHT, "cy": {**RIGHT, "08-backward": RIGHT["08-backward"].replace(
        "(f2 - Y) * f2 * (1 - f2)", "(f2 - Y)")},
        "dee": {k: logging + v for k, v in RIGHT.items()},
        "gus": {**RIGHT, "00-total-cost": "def total_cost_squared(F, Y):\n    return float(0.5 * np.sum((F - Y) ** 2)"},
        "hal": {**RIGHT, "08-backward": "def my_backward(params, trace, Y):\n    while True:\n        try:\n"
                                        "            sum(range(100))\n        except BaseException:\n            pass"}}
    for student, answers in honest.items():
        for name in (N00, N08, N97):
            hand_in(student, name, filled(copies[name], answers))
    for name in (N00, N08, N97):
        hand_in("bo", name, copies[name])                                          # untouched
    hand_in("eve", N08, filled(copies[N08], {"08-backward": ZEROS}), mtime=time.time() - 3600)   # older, wrong
    hand_in("eve", N08, filled(copies[N08], RIGHT), as_name="08_two_layer_network-Copy1.ipynb")
    hand_in("eve", N00, filled(copies[N00], RIGHT), as_name="00_Cost_And_Gradient_Descent-1.ipynb")
    hand_in(".fay", N08, filled(copies[N08], RIGHT))
    hand_in("ivy", N08, filled(copies[N08], RIGHT))
    hand_in("ivy", "scratch.ipynb", new_notebook(cells=[new_code_cell("1 + 1")]))
    hand_in("=1+2", N08, filled(copies[N08], RIGHT))
    hand_in("<img src=x onerror=alert(1)>", N08, filled(copies[N08], {"08-backward": ZEROS}))
    for student, answers in CHEATS.items():
        if isinstance(answers, str):                       # a symbolic link instead of a notebook
            kind, target = answers.split(":", 1)
            target = str(source / N08) if target == "SOLVED" else target
            if kind == "folder":
                os.symlink(target, subs / student)
            else:
                (subs / student / "homework-1").mkdir(parents=True)
                os.symlink(target, subs / student / "homework-1" / N08)
            continue
        hand_in(student, N08, filled(copies[N08], answers))
    for student in ODD_NAMES:
        hand_in(student, N08, filled(copies[N08], RIGHT))
    for student, edit in CRASHES.items():
        hand_in(student, N08, filled(copies[N08], RIGHT, edit))
    (subs / "ned" / "homework-1").mkdir(parents=True)
    (subs / "ned" / "homework-1" / N08).write_text("{not json")
    out = base / "grades"
    (out / "feedback").mkdir(parents=True)
    (out / "feedback" / "stale.md").write_text("from an earlier run")
    before = tree_digest(source, Path(coursekit.__file__).parent, subs)
    listing = sorted(p.name for p in base.iterdir())
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "coursekit.grading", str(subs), "--source", str(source),
                             "--out", str(out), "--release", str(base / "release"), *OPTIONS],
                            capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with open(out / "grades.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return dict(rows=rows, out=out, log=result.stdout, base=base, source=source, subs=subs, before=before,
                listing=listing, seconds=seconds)


def row(graded, student, exercise):
    return next(r for r in graded["rows"] if r["student"] in (student, "'" + student) and r["exercise"] == exercise)


def points(graded, student):
    return sum(float(r["points"]) for r in graded["rows"] if r["student"] in (student, "'" + student))


def test_ci_grades_inside_bubblewrap():
    box = Sandbox.detect()
    if os.environ.get("CI") == "true":
        assert box.sandboxed, box.reason          # .ci/run installs bubblewrap: CI must grade sandboxed
    elif not box.sandboxed:
        pytest.skip(f"no sandbox on this machine ({box.reason}); CI requires one")


def test_honest_students_score_what_they_earned(graded):
    assert points(graded, "ada") == 4 and row(graded, "ada", "08-backward")["feedback"].startswith("right on all")
    assert points(graded, "bo") == 0 and row(graded, "bo", "08-backward")["diagnosis"] == "not_implemented"
    cy = row(graded, "cy", "08-backward")
    assert (cy["points"], cy["diagnosis"]) == ("0", "missing_sigma_prime") and "σ'(Z2)" in cy["feedback"]
    assert points(graded, "cy") == 2
    assert points(graded, "dee") == 4                      # logging, warnings and stderr cost nothing
    gus = row(graded, "gus", "00-total-cost")
    assert gus["points"] == "0" and "SyntaxError" in gus["feedback"] and points(graded, "gus") == 3
    hal = row(graded, "hal", "08-backward")
    assert hal["diagnosis"] == "timeout" and points(graded, "hal") == 2


def test_files_are_matched_as_students_and_lmss_name_them(graded):
    eve = row(graded, "eve", "08-backward")
    assert eve["points"] == "2" and eve["file"].endswith("08_two_layer_network-Copy1.ipynb")
    assert row(graded, "eve", "00-total-cost")["points"] == "1"
    feedback = (graded["out"] / "feedback" / "eve.md").read_text()
    assert "graded the latest" in feedback and "ignored" in feedback
    assert row(graded, ".fay", "08-backward")["points"] == "2"                 # a folder starting with "."
    assert row(graded, "ivy", "08-backward")["points"] == "2"
    assert row(graded, "ivy", "00-total-cost")["diagnosis"] == "not_submitted"
    assert {r["exercise"] for r in graded["rows"]} == {"00-total-cost", "00-gradient-descent", "08-backward",
                                                       "97-why-reuse", "97-instructor-test"}   # scratch adds nothing
    assert row(graded, "ada", "00-total-cost")["diagnosis"] == ""               # the stray notebook zeroes nobody


def test_cells_graded_by_hand_are_listed_with_their_points_never_scored(graded):
    for exercise, maximum in (("97-why-reuse", "3"), ("97-instructor-test", "1")):
        r = row(graded, "ada", exercise)
        assert (r["status"], r["points"], r["max_points"]) == ("manual", "0", maximum)
        assert "grade it by hand" in r["feedback"]
    assert "to grade by hand" in (graded["out"] / "grades.md").read_text()


@pytest.mark.parametrize("student", list(CHEATS))
def test_every_cheat_scores_zero(graded, student):
    r = row(graded, student, "08-backward")
    assert r["points"] == "0", r
    expected = {"c02-call-backward": "delegates_to_reference", "c14-obfuscated-alias": "delegates_to_reference",
                "c13-finite-differences": "numerical_not_analytic", "c16-autodiff-engine": "delegates_to_reference"}
    if student in expected:
        assert r["diagnosis"] == expected[student], r


@pytest.mark.parametrize("student", list(CRASHES) + ["ned"])
def test_a_crash_costs_only_its_own_notebook(graded, student):
    r = row(graded, student, "08-backward")
    if student in ("k01-metadata-string", "k02-grade-id-list", "k03-displayhook", "k06-memory", "k09-huge-file",
                   "k08-exit"):
        assert r["points"] == "2", r                        # harmless: graded as usual
    if student == "ned":
        assert r["status"] == "unreadable" and r["points"] == "0"
    if student in ("k11-forged-cell-event", "k12-forged-outcome"):
        assert r["points"] == "2", r             # forged messages are data, checked, and out of turn ignored
    if student == "k10-lone-surrogate":
        assert r["points"] == "0" and r["diagnosis"] == "raises" and "\ufffd" in r["feedback"], r
    assert points(graded, "ada") == 4                       # and everyone else is unaffected


def test_names_that_are_not_utf8_or_too_long_are_graded(graded):
    names = {r["student"]: r for r in graded["rows"] if r["exercise"] == "08-backward"}
    odd = [r for name, r in names.items() if name.startswith(("stud", "aaaa"))]
    assert len(odd) == 2 and all(r["points"] == "2" for r in odd), odd
    assert all(len(p.name) < 120 for p in (graded["out"] / "feedback").iterdir())


def test_a_symbolic_link_is_not_a_hand_in(graded):
    for student in ("c19-link-to-classmate", "c20-link-to-course"):
        feedback = next(p for p in (graded["out"] / "feedback").iterdir() if p.name.startswith(student)).read_text()
        assert row(graded, student, "08-backward")["status"] == "not_submitted" and "link" in feedback, feedback
    assert row(graded, "c21-linked-folder", "08-backward")["status"] == "not_submitted"


def test_the_course_coursekit_and_the_submissions_are_untouched(graded):
    assert tree_digest(graded["source"], Path(coursekit.__file__).parent, graded["subs"]) == graded["before"]
    assert sorted(p.name for p in graded["base"].iterdir()) == graded["listing"]
    assert not Path(f"/tmp/coursekit-cheat-{MARK}").exists() and not Path.home().joinpath(f"cheat-{MARK}").exists()
    assert MARK not in (graded["out"] / "grades.csv").read_text()


def test_no_process_of_a_submission_outlives_it(graded):
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert f"98{7}.{MARK[:4]}" not in ps and f"98{6}.{MARK[:4]}" not in ps


def test_the_reports_are_safe_to_open_and_upload(graded):
    out = graded["out"]
    text = (out / "grades.csv").read_text()
    assert "\n'=1+2," in text and "\n=1+2," not in text
    wide = list(csv.reader(open(out / "gradebook.csv", encoding="utf-8")))
    assert wide[0][0] == "student" and wide[0][-2:] == ["total", "max_total"]
    assert any(cell.startswith("08-backward") for cell in wide[0])
    assert len(wide) == 1 + len({r["student"] for r in graded["rows"]})
    md = (out / "grades.md").read_text() + "".join(p.read_text() for p in (out / "feedback").iterdir())
    assert "<img" not in md and "&lt;img" in md
    assert not (out / "feedback" / "stale.md").exists()
    names = [p.name for p in (out / "feedback").iterdir()]
    assert len(names) == len(set(n.lower() for n in names)) == len({r["student"] for r in graded["rows"]})
    summary = (out / "summary.md").read_text()
    assert "missing_sigma_prime" in summary and "delegates_to_reference" in summary
    assert (out / "summary.png").stat().st_size > 1000
    assert "bubblewrap sandbox" in (out / "grades.md").read_text()


def test_a_rerun_resumes_and_regrades_only_what_changed(graded):
    out, subs = graded["out"], graded["subs"]
    first = {(r["student"], r["exercise"]): (r["points"], r["diagnosis"]) for r in graded["rows"]}
    target = subs / "bo" / "homework-1" / N08
    nb = filled(nbformat.read(target, as_version=4), RIGHT)
    nbformat.write(nb, target)
    result = subprocess.run([sys.executable, "-m", "coursekit.grading", str(subs), "--source", str(graded["source"]),
                             "--out", str(out), "--release", str(graded["base"] / "release"), *OPTIONS],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    graded_lines = [line for line in result.stdout.splitlines() if line.startswith("[") and "kept" not in line]
    assert len(graded_lines) == 1 and "bo/08_two_layer_network" in graded_lines[0]
    rows = {(r["student"], r["exercise"]): (r["points"], r["diagnosis"]) for r in
            csv.DictReader(open(out / "grades.csv", encoding="utf-8"))}
    assert rows[("bo", "08-backward")] == ("2", "")
    assert {k: v for k, v in rows.items() if k[0] != "bo"} == {k: v for k, v in first.items() if k[0] != "bo"}


def test_shards_and_merge_give_the_class_result(graded, tmp_path):
    subs, source = graded["subs"], graded["source"]
    picked = tmp_path / "few"
    for student in ("ada", "cy", "gus"):
        shutil.copytree(subs / student, picked / student)
    shards = []
    for k in (1, 2):
        folder = tmp_path / f"shard{k}"
        result = subprocess.run([sys.executable, "-m", "coursekit.grading", str(picked), "--source", str(source),
                                 "--out", str(folder), "--notebooks", "00", "08", "--shard", f"{k}/2", *OPTIONS],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0 and "merge" in result.stdout, result.stderr[-2000:]
        assert not (folder / "grades.csv").exists()
        shards.append(str(folder))
    merged = subprocess.run([sys.executable, "-m", "coursekit.grading", "merge", *shards, "--out",
                             str(tmp_path / "merged")], capture_output=True, text=True, timeout=120)
    assert merged.returncode == 0, merged.stderr
    rows = {(r["student"], r["exercise"]): r["points"] for r in
            csv.DictReader(open(tmp_path / "merged" / "grades.csv", encoding="utf-8"))}
    assert rows == {(s, e): row(graded, s, e)["points"] for s in ("ada", "cy")
                    for e in ("00-total-cost", "00-gradient-descent", "08-backward")} | {
        ("gus", e): row(graded, "gus", e)["points"] for e in ("00-total-cost", "00-gradient-descent", "08-backward")}


def test_without_a_sandbox_the_run_says_so_loudly(graded, tmp_path):
    picked = tmp_path / "one"
    shutil.copytree(graded["subs"] / "ada", picked / "ada")
    result = subprocess.run([sys.executable, "-m", "coursekit.grading", str(picked), "--source", str(graded["source"]),
                             "--out", str(tmp_path / "out"), "--notebooks", "08", *OPTIONS, "--sandbox", "none"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "NOT SANDBOXED" in result.stdout and "NOT SANDBOXED" in (tmp_path / "out" / "grades.md").read_text()
    assert "NOT SANDBOXED" in (tmp_path / "out" / "summary.md").read_text()
    assert row({"rows": list(csv.DictReader(open(tmp_path / "out" / "grades.csv")))}, "ada", "08-backward")["points"] == "2"


@pytest.mark.parametrize("name, key", [
    ("08_two_layer_network.ipynb", "08_two_layer_network"), ("08_two_layer_network-Copy1.ipynb", "08_two_layer_network"),
    ("08_two_layer_network-1.ipynb", "08_two_layer_network"), ("08 Two Layer Network (2).ipynb", "08_two_layer_network"),
    ("08_two_layer_network copy.IPYNB", "08_two_layer_network"), ("08.ipynb", "08")])
def test_file_names_normalise_as_copies_are_named(name, key):
    assert normalise(name) == key


def test_checkpoints_and_macos_folders_are_not_students_or_submissions(tmp_path):
    for path in ("ada/.ipynb_checkpoints/08_two_layer_network-checkpoint.ipynb", "__MACOSX/ada/08_two_layer_network.ipynb",
                 ".ipynb_checkpoints/x.ipynb", ".bo/08_two_layer_network.ipynb"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("{}")
    students = find(tmp_path, [N08])
    assert set(students) == {"ada", ".bo"} and students["ada"].files == {}
    assert students[".bo"].files[N08].name == N08


def test_make_grade_passes_its_options_through():
    plan = subprocess.run(["make", "-n", "grade", "SUBMISSIONS=handed-in", "GRADEFLAGS=--jobs 2 --notebooks 08"],
                          cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
    assert '-m coursekit.grading "handed-in" --source notebooks --out grades --jobs 2 --notebooks 08' in plan


def test_grading_one_notebook_takes_seconds_not_minutes(graded):
    times = [float(line.rsplit("(", 1)[1].split(" s)")[0]) for line in graded["log"].splitlines()
             if line.startswith("[") and line.endswith(" s)") and "ada/" in line]
    assert times and max(times) < 30, times           # the figure for a class is measured by bench/grading.py


def test_the_solved_course_scores_full_marks_and_the_untouched_release_zero(tmp_path):
    """Every notebook of the real course through the sandbox: each solution earns its points (so no answer
    depends on something the grading build removes), and each unsolved stub earns none."""
    subs = tmp_path / "handed-in"
    release.release(ROOT / "notebooks", subs / "untouched", log=lambda *a: None)
    shutil.copytree(ROOT / "notebooks", subs / "solved", ignore=shutil.ignore_patterns("*.md", ".*"))
    result = subprocess.run([sys.executable, "-m", "coursekit.grading", str(subs), "--source", str(ROOT / "notebooks"),
                             "--out", str(tmp_path / "out"), "--release", str(tmp_path / "none"), "--jobs", "2"],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    rows = list(csv.DictReader(open(tmp_path / "out" / "grades.csv", encoding="utf-8")))
    from coursekit.exercises import EXERCISES
    assert {r["exercise"] for r in rows} == set(EXERCISES)
    for r in rows:
        if r["student"] == "solved":
            assert (r["status"], r["points"]) == ("graded", r["max_points"]), r
        else:
            unsolved = ("returns_none",) if EXERCISES[r["exercise"]].pencil else ("not_implemented", "not_defined")
            assert r["points"] == "0" and r["diagnosis"] in unsolved, r         # the pencil stub is `= None`
