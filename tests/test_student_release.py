"""The student course that `make release` writes stands alone: its files, its zip, Run All on every untouched
notebook (nbclient, and JupyterLab in Chromium), and `make lab` in a fresh copy that sets itself up from nothing
(marked fresh_install: `make test-fresh`).

Writes tests/artifacts/student_release.json: the release's size, the cells Run All reached per notebook, and
the set-up time of a fresh copy.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from coursekit import release as homework

import chromium  # noqa: E402  (tests/chromium.py)

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "notebooks"
RAISES = "raises-exception"
CELL_TIMEOUT = 120            # seconds per cell under nbclient (finite: nbclient can stall on widget cells)
SETUP_TIMEOUT = 900           # seconds for a fresh copy's `make setup` (a first pip install from the index)
BROWSER_NOTEBOOKS = ["00_cost_and_gradient_descent.ipynb", "07_deep_network_gradients.ipynb"]
REPORT = {}


def record(key, value):
    REPORT[key] = value
    chromium.ARTIFACTS.mkdir(exist_ok=True)
    (chromium.ARTIFACTS / "student_release.json").write_text(json.dumps(REPORT, indent=2, ensure_ascii=False))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """`make release`'s command, into a temporary folder: the whole student course."""
    dest = tmp_path_factory.mktemp("course") / "release"
    before = sorted(p.name for p in ROOT.iterdir())
    result = subprocess.run([sys.executable, "-m", "coursekit.release", "--source", str(COURSE), "--dest", str(dest)],
                            capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "for an LMS:" in result.stdout
    assert sorted(p.name for p in ROOT.iterdir()) == before, "building the wheel left files in the repository"
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file() and p.suffix != ".zip")
    record("release", {"folder MB": round(size / 1e6, 2),
                       "zip MB": round((dest / f"{homework.COURSE_NAME}.zip").stat().st_size / 1e6, 2)})
    return dest


def exercises(nb):
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


# --------------------------------------------------------------------------------------------- the files

def test_the_release_holds_the_student_course_and_nothing_else(course):
    names = [p.name for p in homework.course_notebooks(COURSE)]
    wheels = [p.name for p in (course / "wheels").iterdir()]
    assert len(wheels) == 1 and re.fullmatch(r"coursekit-[\d.]+-py3-none-any\.whl", wheels[0])
    assert sorted(p.name for p in course.iterdir()) == sorted(
        names + ["Makefile", "README.md", "notation.md", "requirements.txt", "wheels", f"{homework.COURSE_NAME}.zip"])
    for name in names:
        nb = nbformat.read(course / name, as_version=4)
        assert "widgets" not in nb.metadata and exercises(nb), name
        assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code"), name


def test_the_readme_says_what_it_is_the_commands_and_what_to_hand_in(course):
    readme = (course / "README.md").read_text()
    assert "{{" not in readme and "make lab" in readme and "What to hand in" in readme
    for path in homework.course_notebooks(COURSE):
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{path.name}`"))
        assert all(exercise in row for exercise in exercises(nbformat.read(path, as_version=4))), row
    assert (course / "wheels" / re.search(r"wheels/(coursekit-\S+\.whl)", readme).group(1)).exists()


def test_requirements_are_the_courses_with_coursekit_from_the_wheel(course):
    ours = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    theirs = [line.strip() for line in (course / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    wheel = next((course / "wheels").iterdir())
    assert theirs == ours + [f"./wheels/{wheel.name}"]


def test_the_wheel_holds_coursekit_and_its_dependencies(course):
    wheel = next((course / "wheels").iterdir())
    with zipfile.ZipFile(wheel) as archive:
        files = archive.namelist()
        metadata = archive.read(next(f for f in files if f.endswith(".dist-info/METADATA"))).decode()
    assert "coursekit/__init__.py" in files and any(f.startswith("coursekit/exercises/") for f in files)
    assert not [f for f in files if f.endswith((".ipynb", ".pyc")) or "__pycache__" in f]
    for requirement in ("numpy>=2", "matplotlib>=3.8", "ipywidgets>=8.0", "scikit-learn>=1.3"):
        assert f"Requires-Dist: {requirement}" in metadata


def test_the_zip_holds_the_folder_under_one_top_folder(course, tmp_path):
    with zipfile.ZipFile(course / f"{homework.COURSE_NAME}.zip") as archive:
        archive.extractall(tmp_path)
        names = archive.namelist()
    top = tmp_path / homework.COURSE_NAME
    assert all(name.startswith(f"{homework.COURSE_NAME}/") for name in names)
    files = sorted(p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file() and p.suffix != ".zip")
    assert sorted(p.relative_to(top).as_posix() for p in top.rglob("*") if p.is_file()) == files
    assert all((top / f).read_bytes() == (course / f).read_bytes() for f in files)


def test_every_link_in_the_release_resolves(course):
    link = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
    for path in sorted(course.glob("*.ipynb")) + [course / "README.md"]:
        text = path.read_text() if path.suffix == ".md" else "\n".join(
            c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        for target in link.findall(text):
            if re.match(r"[a-z]+:", target):
                continue
            assert (path.parent / target).exists(), f"{path.name} links to {target}, which is not in the release"


# ------------------------------------------------------------------------------------- Run All, unsolved

def test_run_all_on_every_untouched_notebook_reaches_the_end(course):
    """nbclient (which honours raises-exception) runs every cell; exactly the tagged cells raise, each check
    shows its ✗ message, every view is built."""
    reached = {}
    for path in homework.course_notebooks(course):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                       resources={"metadata": {"path": str(course)}}).execute()     # raises past an untagged error
        code = [c for c in nb.cells if c.cell_type == "code"]
        failed = [c for c in code if any(o.output_type == "error" for o in c.outputs)]
        tagged = [c for c in code if RAISES in c.metadata.get("tags", [])]
        assert all(c.execution_count is not None for c in code), path.name
        assert failed == tagged, f"{path.name}: tagged cells that did not raise: " \
                                 f"{[c.source[:60] for c in tagged if c not in failed]}"
        for cell in code:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                text = "".join(str(o.get("data", {}).get("text/plain", "")) + o.get("text", "") for o in cell.outputs)
                exercise = meta["grade_id"].removesuffix("-check")
                assert f"✗ {exercise}" in text, f"{path.name}: the check of {exercise} shows {text[:200]!r}"
        views = sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in code for o in c.outputs)
        if "widgets" in nbformat.read(COURSE / path.name, as_version=4).metadata:
            assert views > 0, f"{path.name}: no view was built"
        reached[path.name] = {"cells": len(nb.cells), "code cells run": f"{len(code)} of {len(code)}",
                              "raised (tagged)": len(failed), "checks showing ✗": sum(
                                  bool(c.metadata.get("nbgrader", {}).get("grade")) for c in code),
                              "views": views}
    record("run all (nbclient)", reached)


def test_run_all_in_jupyterlab_reaches_the_last_cell(course):
    """JupyterLab in Chromium: Run All on an untouched student notebook runs every code cell (since JupyterLab's
    PR #6424 a raises-exception cell does not stop it), shows the errors of exactly the tagged cells and each
    check's ✗ message."""
    path = chromium.browser_or_skip()
    root = tempfile.mkdtemp(prefix="coursekit-student-")
    reached = {}
    try:
        for name in BROWSER_NOTEBOOKS:
            shutil.copy(course / name, Path(root) / name)
        with chromium.jupyterlab(root) as base, chromium.chromium(path) as browser:
            for name in BROWSER_NOTEBOOKS:
                nb = nbformat.read(course / name, as_version=4)
                tagged = sum(RAISES in c.metadata.get("tags", []) for c in nb.cells)
                page = browser.new_page(viewport={"width": 1400, "height": 1400})
                page.set_default_timeout(30_000)
                try:
                    chromium.open_notebook(page, base, name, f"student{name[:2]}")
                    ran, total = chromium.run_all(page)
                    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
                    shown = [t for t in errors.all_inner_texts() if "Error" in t]
                    checks = page.locator(".jp-OutputArea-output", has_text="✗").all_inner_texts()
                    reached[name] = {"code cells run": f"{ran} of {total}", "errors shown": len(shown),
                                     "checks showing ✗": len(checks)}
                    assert ran == total, f"{name}: Run All stopped after {ran} of {total} code cells"
                    assert len(shown) == tagged, f"{name}: {len(shown)} errors shown, {tagged} cells tagged"
                    for exercise in exercises(nb):
                        assert any(f"✗ {exercise}" in text for text in checks), f"{name}: no ✗ for {exercise}"
                finally:
                    chromium.ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(chromium.ARTIFACTS / f"student_{name[:2]}.png"), full_page=False)
                    page.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
        record("run all (JupyterLab)", reached)


# ----------------------------------------------------------------------------- a fresh copy, from nothing

@pytest.mark.fresh_install
def test_a_fresh_copy_from_the_zip_sets_itself_up_and_serves_the_notebooks(course, tmp_path):
    """Unpack the zip elsewhere, `make setup` (a new .venv, everything from the package index and the wheel),
    then `make lab`: the server lists the student notebooks, and a check cell run in that environment shows ✗
    with the stub. Minutes and about 600 MB: `make test-fresh` runs it (CI does), `make test` does not."""
    with zipfile.ZipFile(course / f"{homework.COURSE_NAME}.zip") as archive:
        archive.extractall(tmp_path)
    copy = tmp_path / homework.COURSE_NAME
    home = tmp_path / "home"                          # Jupyter, IPython and matplotlib state of the fresh copy
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(str(ROOT)))
    env.update({name: str(home / name.lower()) for name in chromium.JUPYTER_FOLDERS}, JUPYTER_PLATFORM_DIRS="1",
               JUPYTER_TOKEN=os.urandom(8).hex())                # the server's token, so that the test knows it
    start = time.monotonic()
    setup = subprocess.run(["make", "setup"], cwd=copy, env=env, capture_output=True, text=True,
                           timeout=SETUP_TIMEOUT)
    seconds = time.monotonic() - start
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    python = copy / ".venv" / "bin" / "python"
    size = sum(p.stat().st_size for p in (copy / ".venv").rglob("*") if p.is_file())
    record("fresh copy", {"make setup seconds": round(seconds), ".venv MB": round(size / 1e6)})
    where = subprocess.run([str(python), "-c", "import coursekit; print(coursekit.__file__)"], env=env,
                           cwd=tmp_path, capture_output=True, text=True, timeout=60).stdout.strip()
    assert where.startswith(str(copy / ".venv")), f"coursekit comes from {where}, not from the copy's wheel"

    port = chromium.free_port()
    log_path = tmp_path / "lab.log"
    with open(log_path, "w") as log:
        lab = subprocess.Popen(["make", "lab", f"PORT={port}"], cwd=copy, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            query = f"?token={env['JUPYTER_TOKEN']}"
            chromium.wait_for_http(f"{base}/api/status{query}", lab, log_path)
            with urllib.request.urlopen(f"{base}/api/contents{query}", timeout=10) as response:
                listed = sorted(item["name"] for item in json.load(response)["content"])
            assert [p.name for p in homework.course_notebooks(copy)] == \
                [n for n in listed if n.endswith(".ipynb")]
            assert "README.md" in listed
        finally:
            os.killpg(lab.pid, signal.SIGTERM)               # make and the jupyter server it started
            try:
                lab.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(lab.pid, signal.SIGKILL)
                lab.wait(timeout=10)

    check = r"""
import nbformat, sys
from nbclient import NotebookClient
nb = nbformat.read("00_cost_and_gradient_descent.ipynb", as_version=4)
end = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")) + 1
nb.cells = nb.cells[:end]                            # up to the first check cell
NotebookClient(nb, timeout=120, kernel_name="python3").execute()
print("".join(o.get("data", {}).get("text/plain", "") for o in nb.cells[-1].outputs))
"""
    shown = subprocess.run([str(python), "-c", check], cwd=copy, env=env, capture_output=True, text=True,
                           timeout=300)
    assert shown.returncode == 0, shown.stderr[-3000:]
    assert "✗ 00-total-cost" in shown.stdout and "NotImplementedError" in shown.stdout, shown.stdout
