"""The student release of the course, over nbgrader's markup: a folder that stands alone, and its zip.

    python -m coursekit.release [--source notebooks] [--dest release] [--notebooks-only] [notebook …]

Every course notebook goes through nbgrader's own preprocessors (CheckCellMetadata, LockCells,
ClearSolutions, ClearHiddenTests, ClearMarkScheme, ClearOutput, ComputeChecksums), with metadata enforcement
on, exactly as `nbgrader generate_assignment` would: solution regions become `raise NotImplementedError()`,
hidden tests, outputs and saved widget state disappear. The result is verified (no solution or hidden-test
line may survive). Every cell that raises while its exercise is unsolved (the check cells, a stub that raises
at the top level, a later cell that calls the student's function) gets the `raises-exception` tag, so that
Run All in JupyterLab or nbclient goes on to the end and shows each check's ✗ message.

Beside the notebooks the release holds what a student needs and nothing of the solutions: README.md (from
student/README.md), a Makefile whose `make lab` sets everything up and opens the notebooks (student/Makefile),
requirements.txt (the course's own, with coursekit as the wheel in wheels/), and <course>.zip of all of it
for an LMS. Grading lives in coursekit.grading.
"""
import argparse
import ast
import copy
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .jupyter_env import jupyter_sandbox  # noqa: F401  (kept importable from here)

COURSE_PATTERN = "[0-9][0-9]_*.ipynb"    # the course notebooks: 00_cost_and_gradient_descent.ipynb, …
COURSE_NAME = "backpropagation-course"   # the zip's name and its top folder
RAISES = "raises-exception"              # the cell tag that lets Run All go on past an error (JupyterLab, nbclient)
LINKS = {"](../README.md)": "](README.md)"}   # the notebooks sit beside the README in the release


def course_notebooks(folder):
    """The course notebooks in a folder, in course order: the one place that decides what is released."""
    return sorted(Path(folder).glob(COURSE_PATTERN))


# ------------------------------------------------------------------------------------------------ release

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def frozen_views(nb):
    """The notebook for a page without a kernel (site, slides): each view as the picture stored beside it.

    A view is an anywidget whose JavaScript lives in the kernel's package, so a static page cannot draw it
    from the saved widget state; its output also holds a PNG of its initial state, which is kept instead.
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and len(data) > 1:
                data.pop(WIDGET_VIEW)
    return nb


def _preprocessors():
    from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput,
                                        ClearSolutions, ComputeChecksums, LockCells)
    return [CheckCellMetadata(), LockCells(), ClearSolutions(enforce_metadata=True),
            ClearHiddenTests(enforce_metadata=True), ClearMarkScheme(enforce_metadata=True), ClearOutput(),
            ComputeChecksums(), CheckCellMetadata()]


def student_copy(nb):
    """The student version of a solved notebook (a new NotebookNode; the input is left untouched)."""
    solved = nb
    nb = copy.deepcopy(nb)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata.pop("widgets", None)                 # saved widget state: the views come from running the cells
    resources = {}
    for preprocessor in _preprocessors():
        nb, resources = preprocessor.preprocess(nb, resources)
    for cell in nb.cells:
        for key in ("execution", "ExecuteTime", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "markdown":
            for old, new in LINKS.items():
                cell.source = cell.source.replace(old, new)
    for index in cells_that_raise_unsolved(solved, nb):
        tags = nb.cells[index].metadata.setdefault("tags", [])
        if RAISES not in tags:
            tags.append(RAISES)
    return nb


# ------------------------------------------------------------------------------- Run All with exercises unsolved

def _python(source):
    """A code cell as a Python module (IPython magics turned into calls), or None if it does not parse."""
    from IPython.core.inputtransformer2 import TransformerManager
    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return None


class _Reads(ast.NodeVisitor):
    """Walks a cell in execution order: the names it binds, those it reads before binding them (`free`), and
    for each function it defines the names that function's body reads from outside (`deferred`)."""

    def __init__(self, bound=()):
        self.bound, self.free, self.deferred = set(bound), set(), {}

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            if node.id not in self.bound:
                self.free.add(node.id)
        else:
            self.bound.add(node.id)

    def _all(self, *nodes):
        for node in nodes:
            if isinstance(node, list):
                self._all(*node)
            elif node is not None:
                self.visit(node)

    def visit_Assign(self, node):                      # the value runs before the targets are bound
        self._all(node.value, node.targets)

    def visit_AnnAssign(self, node):
        self._all(node.value, node.target)

    def visit_AugAssign(self, node):                   # x += 1 reads x first
        if isinstance(node.target, ast.Name):
            self.visit_Name(ast.Name(id=node.target.id, ctx=ast.Load()))
        self._all(node.value, node.target)

    def visit_NamedExpr(self, node):
        self._all(node.value, node.target)

    def visit_For(self, node):
        self._all(node.iter, node.target, node.body, node.orelse)

    visit_AsyncFor = visit_For

    def visit_withitem(self, node):
        self._all(node.context_expr, node.optional_vars)

    def visit_ExceptHandler(self, node):
        self._all(node.type)
        if node.name:
            self.bound.add(node.name)
        self._all(node.body)

    def visit_Import(self, node):
        self.bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)

    visit_ImportFrom = visit_Import

    def _scope(self, arguments, body):
        """The free names of a function body or lambda, its parameters bound."""
        params = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
        params += [a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None]
        inner = _Reads(bound=params)
        inner._all(body)
        return inner.free

    def visit_FunctionDef(self, node):                 # defaults and decorators run now, the body when called
        self._all(node.decorator_list, node.args.defaults, node.args.kw_defaults)
        self.deferred[node.name] = self._scope(node.args, node.body)
        self.bound.add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):                      # usually called right away: its reads count now
        self._all(node.args.defaults, node.args.kw_defaults)
        self.free |= self._scope(node.args, [node.body]) - self.bound

    def visit_ClassDef(self, node):
        self._all(node.decorator_list, node.bases, node.keywords, node.body)
        self.bound.add(node.name)

    def _comprehension(self, generators, *elements):   # its loop variables stay inside it
        outside = set(self.bound)
        for generator in generators:
            self._all(generator.iter, generator.target, generator.ifs)
        self._all(*elements)
        self.bound = outside

    def visit_ListComp(self, node):
        self._comprehension(node.generators, node.elt)

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node.generators, node.key, node.value)


def _reads(tree):
    walker = _Reads()
    walker._all(tree.body)
    return walker


def _raises_at_top_level(tree):
    return any(isinstance(statement, ast.Raise) for statement in tree.body)


def cells_that_raise_unsolved(solved, released):
    """Indices of the code cells of `released` that raise while every exercise is left as its stub.

    The check cells (nbgrader `grade`); a solution cell whose stub raises at the top level; and any later cell
    that reads, before binding it, a name the unsolved exercises leave undefined or broken: the functions a
    stub defines (calling one raises), what a raising solution cell would have bound (unless an earlier cell
    bound it already), what any raising cell would have bound, and the functions whose bodies read those.
    """
    solved_cells = {c.metadata["nbgrader"]["grade_id"]: c for c in solved.cells
                    if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade_id")}
    broken, defined_before, indices = set(), set(), []
    for index, cell in enumerate(released.cells):
        tree = _python(cell.source) if cell.cell_type == "code" else None
        if tree is None:
            continue
        meta = cell.metadata.get("nbgrader", {})
        cell_reads = _reads(tree)
        if meta.get("solution"):
            original = solved_cells.get(meta.get("grade_id"))
            original = _python(original.source) if original is not None else None
            wanted = _reads(original).bound if original is not None else set()
            if _raises_at_top_level(tree):
                indices.append(index)
                broken |= wanted - defined_before
            else:
                broken |= cell_reads.bound | (wanted - defined_before)   # the stub's functions raise when called
            continue
        if meta.get("grade") or cell_reads.free & broken:
            indices.append(index)
            broken |= cell_reads.bound - defined_before            # it may stop before it binds them
        else:
            calls_broken = {name for name, reads in cell_reads.deferred.items() if reads & broken}
            broken = (broken - cell_reads.bound) | calls_broken
            defined_before |= cell_reads.bound - calls_broken
    return indices


_REGIONS = [("BEGIN SOLUTION", "END SOLUTION"), ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
            ("BEGIN MARK SCHEME", "END MARK SCHEME")]


def secret_lines(nb):
    """Lines inside solution, hidden-test and mark-scheme regions that appear nowhere else in the notebook."""
    secret, public = set(), set()
    for cell in nb.cells:
        inside = None
        for line in cell.source.split("\n"):
            text = line.strip()
            begin = next((end for begin, end in _REGIONS if begin in line), None)
            if begin:
                inside = begin
                continue
            if inside and inside in line:
                inside = None
                continue
            if text:
                (secret if inside else public).add(text)
    return secret - public


def leaks(solved, released):
    """Lines of `released` that belong to solutions or hidden tests of `solved` (an empty list when clean)."""
    secret = secret_lines(solved)
    found = []
    for cell in released.cells:
        for line in cell.source.split("\n"):
            if line.strip() in secret or any(marker in line for pair in _REGIONS for marker in pair):
                found.append(line.strip())
    return found


def release(source="notebooks", dest="release", notebooks=None, log=print):
    """Write the student copy of every course notebook in `source` to `dest`; returns the written paths."""
    import nbformat

    source, dest = Path(source), Path(dest)
    paths = [Path(p) for p in notebooks] if notebooks else course_notebooks(source)
    if not paths:
        raise SystemExit(f"no course notebooks ({COURSE_PATTERN}) in {source}")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        solved = nbformat.read(path, as_version=4)
        try:
            released = student_copy(solved)
        except Exception as error:
            raise SystemExit(f"{path.name}: nbgrader refused it: {type(error).__name__}: {error}") from error
        leaked = leaks(solved, released)
        if leaked:
            raise SystemExit(f"{path.name}: the student copy still contains solution lines, e.g. {leaked[0]!r}")
        nbformat.validate(released)
        target = dest / path.name
        nbformat.write(released, target)
        written.append(target)
        exercises = [c.metadata["nbgrader"]["grade_id"] for c in released.cells
                     if c.metadata.get("nbgrader", {}).get("solution")]
        log(f"released {target}  ({len(exercises)} exercise{'s' * (len(exercises) != 1)}"
            + (f": {', '.join(exercises)}" if exercises else "") + ")")
    for item in source.iterdir():                   # data or images the notebooks read, if any
        if item.suffix == ".ipynb" or item.name.startswith((".", "_")):
            continue
        target = dest / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target)
    return written


# ------------------------------------------------------------------------------------------ the student course

PROJECT = Path(__file__).resolve().parents[1]       # the course repository: pyproject.toml, requirements.txt, student/
WHEEL_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "coursekit")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def build_wheel(project, folder):
    """coursekit as a wheel in `folder` (built by pip from a clean copy of its sources); returns its path."""
    project, folder = Path(project), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="coursekit-wheel-") as tmp:
        sources = Path(tmp) / "coursekit-src"                  # no build/ or *.egg-info left in the repository
        sources.mkdir()
        for name in WHEEL_SOURCES:
            item = project / name
            if item.is_dir():
                shutil.copytree(item, sources / name, ignore=SKIP)
            elif item.exists():
                shutil.copy2(item, sources / name)
        built = Path(tmp) / "wheels"
        result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
                                 "-q", str(sources), "-w", str(built)], capture_output=True, text=True, timeout=600)
        wheels = sorted(built.glob("coursekit-*.whl"))
        if result.returncode or len(wheels) != 1:
            raise SystemExit(f"pip could not build the coursekit wheel:\n{result.stdout}{result.stderr}")
        for old in folder.glob("coursekit-*.whl"):
            old.unlink()
        return Path(shutil.copy2(wheels[0], folder / wheels[0].name))


def student_requirements(project, wheel):
    """The course's requirements.txt (its packages, not its comments) and coursekit from the wheel beside it."""
    lines = [line.strip() for line in (Path(project) / "requirements.txt").read_text().splitlines()]
    packages = [line for line in lines if line and not line.startswith("#")
                and line not in (".", "-e .", "-e.") and "coursekit" not in line.lower()]
    return ("# What the course needs (`make lab` installs it into .venv): run `pip install -r requirements.txt`\n"
            "# from this folder, as the path of the coursekit wheel is relative to it.\n"
            + "\n".join(packages) + f"\n./wheels/{wheel.name}\n")


def notebook_table(notebooks):
    """A Markdown table of the released notebooks: file, title, exercises."""
    import nbformat

    rows = ["| notebook | what it is about | exercises |", "|---|---|---|"]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        title = next((line[2:].strip() for c in nb.cells if c.cell_type == "markdown"
                      for line in c.source.splitlines() if line.startswith("# ")), path.stem)
        exercises = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                     if c.metadata.get("nbgrader", {}).get("solution")]
        rows.append(f"| `{path.name}` | {title} | {', '.join(exercises) or '–'} |")
    return "\n".join(rows)


def zip_course(dest, name):
    """dest/<name>.zip: everything in `dest` under one top folder <name>/, without .venv, hidden files or zips."""
    dest = Path(dest)
    target = dest / f"{name}.zip"
    target.unlink(missing_ok=True)
    files = sorted(p for p in dest.rglob("*") if p.is_file() and p.suffix != ".zip"
                   and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(dest).parts))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{name}/{path.relative_to(dest).as_posix()}", date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o644 & 0xFFFF) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return target


def student_course(source="notebooks", dest="release", project=PROJECT, name=COURSE_NAME, log=print):
    """The whole student course in `dest`: the notebooks, README.md, Makefile, requirements.txt, the coursekit
    wheel in wheels/, and dest/<name>.zip of all of it. Returns the zip's path."""
    project, dest = Path(project), Path(dest)
    templates = project / "student"
    if not (templates / "README.md").exists() or not (templates / "Makefile").exists():
        raise SystemExit(f"no student/README.md and student/Makefile in {project}: run this in the course repository")
    dest.mkdir(parents=True, exist_ok=True)
    for old in list(dest.glob(COURSE_PATTERN)) + list(dest.glob("*.zip")):
        old.unlink()                                            # a notebook dropped from the course goes too
    written = release(source, dest, log=log)
    wheel = build_wheel(project, dest / "wheels")
    log(f"built {wheel}")
    (dest / "requirements.txt").write_text(student_requirements(project, wheel))
    readme = (templates / "README.md").read_text()
    (dest / "README.md").write_text(readme.replace("{{notebooks}}", notebook_table(written))
                                    .replace("{{wheel}}", wheel.name))
    shutil.copy2(templates / "Makefile", dest / "Makefile")
    archive = zip_course(dest, name)
    log(f"zipped {archive}  ({archive.stat().st_size / 1e6:.1f} MB)")
    return archive


# ---------------------------------------------------------------------------------------------------- CLI

def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m coursekit.release",
                                     description="Write the student release of the course (nbgrader markup): the "
                                                 "student notebooks, README, Makefile, requirements, coursekit "
                                                 "wheel and a zip of them.")
    parser.add_argument("--source", default="notebooks", help="folder of solved notebooks (default: notebooks)")
    parser.add_argument("--dest", default="release", help="folder for the student course (default: release)")
    parser.add_argument("--name", default=COURSE_NAME, help=f"the zip's name and top folder (default: {COURSE_NAME})")
    parser.add_argument("--notebooks-only", action="store_true",
                        help="write only the student notebooks (no README, Makefile, wheel or zip)")
    parser.add_argument("notebooks", nargs="*", help="release only these notebooks (implies --notebooks-only)")
    args = parser.parse_args(argv)
    if args.notebooks_only or args.notebooks:
        written = release(args.source, args.dest, args.notebooks or None)
        print(f"{len(written)} student notebook{'s' * (len(written) != 1)} in {args.dest}/")
    else:
        archive = student_course(args.source, args.dest, name=args.name)
        count = len(list(Path(args.dest).glob(COURSE_PATTERN)))
        print(f"{count} student notebooks in {args.dest}/, with README.md, Makefile, requirements.txt and wheels/; "
              f"for an LMS: {archive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
