"""The copy of coursekit a submission runs against: the course's answers removed for what it must supply.

    folder = build(("backward", "numerical"), into)      # into/coursekit: the package, ready to bind

For every function marked `@reference(...)` with one of the forbidden capabilities (coursekit/reference.py),
the copy keeps the signature and replaces the body by `raise unavailable(name, capability)`; a module marked
with `reference_module` for one of them becomes a module whose every attribute raises. The exercise
catalogue (references and mutants) is replaced by a `check` that only says the grader decides; the views,
which a grading run never shows, by factories that raise; the grading code by the collector alone. No
__pycache__ is copied, so no compiled copy of a removed body survives. The rest is copied byte for byte.
"""
import ast
import os
import shutil
from pathlib import Path

import coursekit
from .. import reference

PACKAGE = Path(coursekit.__file__).resolve().parent
KEEP_EXERCISES = ("running.py", "wire.py", "comparing.py")      # what the collector needs of coursekit.exercises
KEEP_GRADING = ("collect.py",)

EXERCISES_STUB = '''"""Grading sandbox: checks are decided by the grader, outside this process (coursekit.grading)."""
EXERCISES = {}


class CheckResult:
    """Stands in for a check's result while grading: truthy, and says who decides."""

    passed, diagnosis = True, None

    def __init__(self, exercise_id):
        self.exercise_id = exercise_id
        self.message = "checked by the grader, outside this notebook"

    def __bool__(self):
        return True

    def __repr__(self):
        return f"… {self.exercise_id}: {self.message}"


def check(exercise_id, answer, timeout=None):
    """While grading, a check does nothing here: the grader calls the answer itself on fresh problems."""
    return CheckResult(exercise_id)


def catalogue():
    return {}
'''

WIDGETS_STUB = '''"""Grading sandbox: the interactive views are not run while grading."""


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)

    def view(*args, **kwargs):
        raise RuntimeError(f"coursekit.widgets.{name} is not shown while grading")
    return view
'''

MODULE_STUB = '''"""Grading sandbox: {name} is the course's own answer for {capability}, not available here."""
from coursekit.reference import unavailable


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise unavailable("{name}." + name, "{capability}")
'''


def _marked(node):
    """The capabilities named in a function's @reference(...) decorators."""
    found = set()
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "reference":
            found |= {a.value for a in decorator.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def _stub_body(name, capability):
    return ast.parse(f"raise __import__('coursekit.reference', fromlist=['unavailable'])"
                     f".unavailable({name!r}, {capability!r})").body


def _public_names():
    """{(module, qualname): public name} of every marked function (coursekit.backward, not network.backward)."""
    names = {}
    for functions in reference.REFERENCES.values():
        for function in functions:
            names[(function.__module__, function.__qualname__)] = reference.public_name(function)
    return names


def strip(source, module, forbidden, names):
    """The module's source with the bodies of functions marked for a forbidden capability replaced; or None."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                getattr(node.value.func, "id", None) == "reference_module":
            capabilities = {a.value for a in node.value.args[1:] if isinstance(a, ast.Constant)}
            hit = sorted(capabilities & set(forbidden))
            if hit:
                return MODULE_STUB.replace("{name}", module).replace("{capability}", hit[0])
    changed = False

    def visit(body, prefix):
        nonlocal changed
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                hit = sorted(_marked(node) & set(forbidden))
                if hit:
                    qualname = prefix + node.name
                    name = names.get((module, qualname), f"{module}.{qualname}")
                    doc = ast.get_docstring(node)
                    node.body = ([ast.Expr(ast.Constant(doc))] if doc else []) + _stub_body(name, hit[0])
                    changed = True
            elif isinstance(node, ast.ClassDef):
                visit(node.body, prefix + node.name + ".")
    visit(tree.body, "")
    if not changed:
        return None
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def build(forbidden, into):
    """Write the sandbox copy of coursekit to into/coursekit for these forbidden capabilities; return its path."""
    into = Path(into)
    target = into / "coursekit"
    if target.exists():
        shutil.rmtree(target)
    names = _public_names()
    for folder, dirs, files in os.walk(PACKAGE):
        folder = Path(folder)
        relative = folder.relative_to(PACKAGE)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        parts = relative.parts
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            if parts[:1] == ("exercises",) and name not in KEEP_EXERCISES and name != "__init__.py":
                continue
            if parts[:1] == ("grading",) and name not in KEEP_GRADING and name != "__init__.py":
                continue
            if parts[:1] == ("widgets",) and name != "__init__.py":
                continue
            destination = target / relative / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            if parts[:1] == ("exercises",) and name == "__init__.py":
                destination.write_text(EXERCISES_STUB, encoding="utf-8")
                continue
            if parts[:1] == ("widgets",):
                destination.write_text(WIDGETS_STUB, encoding="utf-8")
                continue
            if parts[:1] == ("grading",) and name == "__init__.py":
                destination.write_text('"""Grading sandbox: only the collector is here."""\n', encoding="utf-8")
                continue
            source = (folder / name).read_text(encoding="utf-8")
            module = ".".join(("coursekit",) + parts + (() if name == "__init__.py" else (name[:-3],)))
            stripped = strip(source, module, forbidden, names)
            destination.write_text(source if stripped is None else stripped, encoding="utf-8")
    return target
