"""coursekit.doctor(): is the environment broken, or is the problem in the student's code?"""
import re
import sys

FLOORS = {"numpy": "2.0", "matplotlib": "3.8", "ipywidgets": "8.0", "jupyterlab_widgets": "3.0",
          "jupyterlab": "4.0", "anywidget": "0.9"}
PYTHON_FLOOR = (3, 11)
FIX = "run `make lab` in the course folder (or `pip install -r requirements.txt` in this environment), " \
      "then restart the kernel"


def _version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _installed(package):
    import importlib.metadata                      # imported here: it costs 40 ms of `import coursekit`
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _kernel():
    """(inside a Jupyter kernel?, a description) without importing IPython when it is not loaded."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is None:
        return False, "no: plain Python (widgets show only in a Jupyter kernel)"
    name = type(shell).__name__
    if name == "ZMQInteractiveShell" and getattr(shell, "kernel", None) is not None:
        return True, f"yes ({name})"
    return False, f"no: {name} (a terminal IPython cannot show widgets)"


class Report:
    """What doctor() found: one line per check, the problems with their fixes, and .ok."""

    def __init__(self, lines, problems):
        self.lines, self.problems = lines, problems
        self.ok = not problems

    def __bool__(self):
        return self.ok

    def __repr__(self):
        verdict = ("FINE: the environment works, so a failing exercise is in your own code; read its message"
                   if self.ok else "BROKEN: fix the environment first:\n" +
                   "\n".join(f"  - {problem}" for problem in self.problems))
        return "coursekit.doctor()\n" + "\n".join(f"  {line}" for line in self.lines) + "\n" + verdict


def doctor():
    """Check versions against the floors, widget support and a known-good gradient check; a Report that prints."""
    from . import data, gradcheck, init_params
    lines, problems = [], []
    python = sys.version_info[:3]
    ok = python[:2] >= PYTHON_FLOOR
    lines.append(f"{'python':<20}{'.'.join(map(str, python)):<12}needs ≥ {'.'.join(map(str, PYTHON_FLOOR)):<8}"
                 f"{'ok' if ok else 'TOO OLD'}")
    if not ok:
        problems.append(f"Python {'.'.join(map(str, python))} is older than 3.11: install Python 3.11 or newer")
    for package, floor in FLOORS.items():
        version = _installed(package)
        ok = version is not None and _version_tuple(version) >= _version_tuple(floor)
        lines.append(f"{package:<20}{version or 'missing':<12}needs ≥ {floor:<8}"
                     f"{'ok' if ok else 'MISSING' if version is None else 'TOO OLD'}")
        if not ok:
            problems.append(f"{package} {'is missing' if version is None else version + ' is too old'}: {FIX}")
    in_kernel, description = _kernel()
    lines.append(f"{'Jupyter kernel':<20}{description}")
    if in_kernel and _installed("jupyterlab_widgets") is None:
        problems.append(f"this kernel cannot show widgets without jupyterlab_widgets: {FIX}")
    try:
        X, Y = data.xor()
        check = gradcheck(init_params([2, 3, 1], seed=0), X, Y)
        ok = check.passed
        lines.append(f"{'gradient check':<20}2-3-1 on XOR, max rel. error {check.max_error:.0e}: "
                     f"{'ok' if ok else 'FAILED'}")
    except Exception as error:  # the point of doctor() is to report any failure, not to raise it
        ok = False
        lines.append(f"{'gradient check':<20}raised {type(error).__name__}: {error}")
    if not ok:
        problems.append(f"coursekit's own gradient check fails, so the installation is damaged: {FIX}")
    return Report(lines, problems)
