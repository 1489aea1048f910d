"""The grading sandbox and its build: what a submission sees, may do and leaves behind, measured from inside."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import coursekit
from coursekit.grading.build import build
from coursekit.grading.sandbox import Limits, Sandbox

ROOT = Path(__file__).resolve().parents[1]
BOX = Sandbox.detect()
needs_bwrap = pytest.mark.skipif(not BOX.sandboxed and os.environ.get("CI") != "true",
                                 reason=f"no bubblewrap here ({BOX.reason}); CI runs these")

PROBE = r'''
import json, os, socket, sys
out = {"uid": os.getuid(), "pid": os.getpid(), "home": os.path.expanduser("~"), "cwd": os.getcwd(),
       "root": sorted(os.listdir("/"))}
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2)
    out["network"] = True
except OSError as error:
    out["network"] = str(error)
out["repo_visible"] = os.path.exists(REPO + "/notebooks") or os.path.exists(REPO + "/tests")
out["home_empty"] = os.listdir(os.path.expanduser("~")) == []
open(os.path.expanduser("~/x"), "w").write("ok")
try:
    open(COURSEKIT + "/network.py", "a").write("# changed")
    out["coursekit_writable"] = True
except OSError:
    out["coursekit_writable"] = False
import coursekit, coursekit.exercises
try:
    coursekit.backward({}, {}, None)
    out["backward"] = "ran"
except Exception as error:
    out["backward"] = type(error).__name__
out["forward_source"] = "def forward" in open(coursekit.network.__file__).read()
import ast
tree = ast.parse(open(coursekit.network.__file__).read())
body = next(ast.unparse(n) for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "backward")
out["backward_source"] = "unavailable(" not in body
out["exercises"] = sorted(coursekit.exercises.EXERCISES)
out["cmdline_of_1"] = open("/proc/1/cmdline").read().replace("\0", " ")[:40]
print(json.dumps(out))
'''


@needs_bwrap
def test_a_submission_sees_no_network_no_repository_and_a_coursekit_without_the_answers(tmp_path):
    build(("backward",), tmp_path)
    limits = Limits(processes=20)
    command = BOX._command(tmp_path, tmp_path, [], limits) + [
        sys.executable, "-I", "-c", f"REPO = {str(ROOT)!r}; COURSEKIT = {str(Path(coursekit.__file__).parent)!r}\n" + PROBE]
    process = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stderr
    seen = json.loads(process.stdout.strip().splitlines()[-1])
    assert seen["uid"] == 1000 and seen["network"] is not True and not seen["repo_visible"]
    assert seen["home_empty"] and seen["cwd"] == "/course"
    assert not seen["coursekit_writable"]
    assert seen["backward"] == "Delegation" and seen["forward_source"] and not seen["backward_source"]
    assert seen["exercises"] == []
    assert seen["cmdline_of_1"].startswith("bwrap")          # its PID 1 is the sandbox's, not the grader


@needs_bwrap
def test_limits_hold_and_every_process_ends_with_the_submission(tmp_path):
    build((), tmp_path)
    marker = f"{os.getpid()}.{int(time.time()) % 1000}"
    process = BOX.start(tmp_path, {}, Limits(processes=16))
    script = (f"import os, subprocess, time\nsubprocess.Popen(['sleep', '97{marker}'])\n"
              f"n = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            time.sleep(30); os._exit(0)\n"
              f"        n += 1\nexcept OSError:\n    pass\nprint(n, flush=True)\ntime.sleep(30)\n")
    from coursekit.exercises import wire
    data = wire.encode({"op": "cells", "cells": [[0, script]], "cell_timeout": 20.0})
    process.stdin.write(len(data).to_bytes(8, "big") + data)
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while f"sleep 97{marker}" not in _ps() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert f"sleep 97{marker}" in _ps()                   # it runs …
    if process.cgroup.path is not None:
        assert int((process.cgroup.path / "pids.current").read_text()) <= 16
    process.stop()
    assert f"sleep 97{marker}" not in _ps()               # … and ends with the submission


def _ps():
    return subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout


def test_the_build_removes_exactly_the_forbidden_answers(tmp_path):
    target = build(("backward", "numerical"), tmp_path)
    network = (target / "network.py").read_text()
    assert "def forward(" in network and "unavailable('coursekit.forward'" not in network
    assert "unavailable('coursekit.backward', 'backward')" in network
    calculus = (target / "calculus.py").read_text()
    assert "unavailable('coursekit.gradient', 'numerical')" in calculus
    train = (target / "train.py").read_text()                # "descent" is allowed, "backward" is not:
    assert "unavailable('coursekit.train.backward_into', 'backward')" in train           # the buffered backward goes,
    assert "def gradient_descent(" in train and "unavailable('coursekit.gradient_descent'" not in train  # descent stays
    assert (target / "costs.py").read_text() == (Path(coursekit.__file__).parent / "costs.py").read_text()
    assert not list(target.rglob("__pycache__")) and not (target / "exercises" / "backprop.py").exists()
    assert "checked by the grader" in (target / "exercises" / "__init__.py").read_text()
    assert sorted(p.name for p in (target / "grading").iterdir()) == ["__init__.py", "collect.py"]
    autodiff = build(("autodiff",), tmp_path / "other") / "autodiff.py"
    assert "def __getattr__" in autodiff.read_text() and "class Var" not in autodiff.read_text()


def test_the_build_imports_and_its_removed_functions_say_why(tmp_path):
    build(("backward", "descent"), tmp_path)
    code = ("import coursekit, numpy as np\np = coursekit.init_params([2, 3, 1], seed=0)\n"
            "t = coursekit.forward(p, np.ones((2, 4)))\n"
            "try:\n    coursekit.gradient_descent(p, np.ones((2, 4)), np.ones((1, 4)), 0.1, 2)\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n")
    result = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n" + code],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Delegation coursekit.gradient_descent is not available while this exercise is "
                                    "graded")
