"""The repository as a Binder / JupyterHub environment: repo2docker reads runtime.txt and requirements.txt and
installs coursekit once; the README's launch link opens notebook 00 in JupyterLab."""
import re
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIRST = "notebooks/00_cost_and_gradient_descent.ipynb"


def test_runtime_and_requirements_say_which_python_and_leave_coursekit_to_the_folder():
    runtime = (ROOT / "runtime.txt").read_text().strip()
    version = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert version and floor == f">={version.group(1)}.{version.group(2)}", (runtime, floor)
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert not [line for line in lines if line in (".", "-e .", "-e.") or "coursekit" in line], \
        "requirements.txt must not install coursekit: repo2docker installs the folder itself"
    assert "jupyterlab>=4.0" in lines


def test_the_readme_links_binder_to_notebook_00_in_jupyterlab():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s\"]+", readme)
    assert links and all(link.endswith(f"?urlpath=lab/tree/{FIRST}") for link in links), links
    assert "mybinder.org/badge_logo.svg" in readme
    assert (ROOT / FIRST).exists()
    assert "nbgitpuller" in readme and "git-pull?repo=" in readme


@pytest.mark.fresh_install
def test_repo2docker_plans_python_3_11_and_one_install_of_coursekit(tmp_path):
    """jupyter-repo2docker --no-build (installed from the package index into its own venv) shows the Dockerfile
    it would build from this folder."""
    venv.create(tmp_path / "r2d", with_pip=True)
    python = tmp_path / "r2d" / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                              "jupyter-repo2docker"], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    plan = subprocess.run([str(tmp_path / "r2d" / "bin" / "jupyter-repo2docker"), "--no-build", "--no-run", "--debug",
                           "--user-id", "1000", "--user-name", "jovyan", str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    text = plan.stdout + plan.stderr
    assert plan.returncode == 0, text[-3000:]
    assert "python=3.11" in text, "repo2docker did not take the Python version from runtime.txt"
    installs = re.findall(r"^RUN .*pip install .*$", text, re.M)
    assert [line for line in installs if '-r "requirements.txt"' in line], installs
    assert [line.split("pip install")[1].split() for line in installs if "requirements" not in line] == \
        [["--no-cache-dir", "."]], f"coursekit must be installed once, from the folder: {installs}"
