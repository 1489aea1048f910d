"""Build the rendered course: static HTML from the executed notebooks, in lecture order, every asset local.

    python site/build.py [--out build/site] [--solutions hide|remove] [--source notebooks]

Stages the Sphinx project (site/conf.py, site/index.md with a table of contents in course order) and a copy
of every course notebook in a temporary folder, copies MathJax 3, RequireJS and the ipywidgets HTML manager
from site/node_modules (`npm install` in site/, which `make site` runs) into _static, then runs Sphinx with
myst-nb on the stored outputs. In each notebook copy the hidden tests are removed and every solution cell is
folded away under "Show solution" (`--solutions remove` leaves the solutions out of the site altogether).
"""
import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
sys.path.insert(0, str(ROOT))
from coursekit.release import course_notebooks, frozen_views  # noqa: E402

NODE = SITE / "node_modules"
# what the pages load, from the npm packages in site/package.json: (source in node_modules, name in _static)
MATHJAX = NODE / "mathjax" / "es5"
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml", "a11y", "ui", "adaptors", "sre"]
WIDGETS = NODE / "@jupyter-widgets" / "html-manager" / "dist"
ASSETS = [(NODE / "requirejs" / "require.js", "require.min.js"), (WIDGETS / "embed-amd.js", "embed-amd.js"),
          (SITE / "mathjax-config.js", "mathjax-config.js"), (SITE / "course.css", "course.css")]
# the widget manager loads its icon fonts from <page folder>/@jupyter-widgets/ (its AMD module's own URL)
WIDGET_FONTS = ("*.woff2", "*.woff", "*.ttf", "*.eot", "*.svg")
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
LINKS = {"](../README.md)": "](index.md)"}           # the course overview is the site's home page


def _without_hidden_tests(source):
    """The source without its ### BEGIN HIDDEN TESTS … ### END HIDDEN TESTS regions (markers included)."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if line.strip() == "### BEGIN HIDDEN TESTS":
            hidden = True
        elif line.strip() == "### END HIDDEN TESTS":
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def web_copy(nb, solutions="hide"):
    """The notebook as the site shows it: no hidden tests, solution cells folded (or removed), outputs kept.

    The views (anywidgets, whose JavaScript lives in the kernel's package) appear as the picture of their
    initial state stored beside them, not as live widgets: a static page has no kernel to compute them.
    """
    frozen_views(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for old, new in LINKS.items():
                cell.source = cell.source.replace(old, new)
        if cell.cell_type != "code" or "nbgrader" not in cell.metadata:
            continue
        cell.source = _without_hidden_tests(cell.source)
        if not cell.metadata["nbgrader"].get("solution"):
            continue
        cell.source = "\n".join(line for line in cell.source.split("\n") if line.strip() not in SOLUTION_MARKERS)
        tags = cell.metadata.setdefault("tags", [])
        tags.append("hide-input" if solutions == "hide" else "remove-input")
        cell.metadata["mystnb"] = {"code_prompt_show": "Show solution", "code_prompt_hide": "Hide solution"}
    return nb


def title(nb):
    """The notebook's first level-1 heading."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError("a course notebook must start with a '# ' title")


def stage(folder, source, solutions):
    """Write the Sphinx source tree into `folder`: conf.py, index.md with the toctree, notebooks, _static."""
    missing = [str(path) for path in [MATHJAX] + [a for a, _ in ASSETS] if not path.exists()]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: run `npm install` in site/ (make site does it)")
    for name in ("conf.py", "favicon.svg"):
        shutil.copy(SITE / name, folder / name)
    names = []
    for path in course_notebooks(source):
        nb = nbformat.read(path, as_version=4)
        title(nb)
        nbformat.write(web_copy(nb, solutions), folder / path.name)
        names.append(path.stem)
    if not names:
        raise SystemExit(f"no course notebooks in {source}")
    cards = sorted(Path(source).glob("*.md"))             # the notation card, linked from every notebook
    for card in cards:
        shutil.copy(card, folder / card.name)
    toctree = "\n".join(["", "```{toctree}", ":maxdepth: 1", ":caption: The notebooks", ""] + names + ["```", ""]
                        + (["```{toctree}", ":maxdepth: 1", ":caption: Reference", ""] + [c.stem for c in cards]
                           + ["```", ""] if cards else []))
    (folder / "index.md").write_text((SITE / "index.md").read_text() + toctree)
    static = folder / "_static"
    static.mkdir()
    for part in MATHJAX_PARTS:
        src, dst = MATHJAX / part, static / "mathjax" / part
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    for src, name in ASSETS:
        shutil.copy(src, static / name)
    fonts = folder / "_extra" / "@jupyter-widgets"
    fonts.mkdir(parents=True)
    for pattern in WIDGET_FONTS:
        for font in WIDGETS.glob(pattern):
            shutil.copy(font, fonts / font.name)
    return names


def build(out="build/site", source=ROOT / "notebooks", solutions="hide", quiet=True):
    """Build the site into `out` (replaced); returns the page names in course order."""
    from sphinx.cmd.build import build_main

    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="coursekit-site-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        names = stage(src, source, solutions)
        if out.exists():
            shutil.rmtree(out)
        args = ["-b", "html", "-E", "-W", "--keep-going", "-d", str(Path(tmp) / "doctrees"), str(src), str(out)]
        status = build_main((["-q"] if quiet else []) + args)
    if status:
        raise SystemExit(f"sphinx-build failed (exit {status}); the warnings are above")
    return ["index"] + names + [c.stem for c in sorted(Path(source).glob("*.md"))]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python site/build.py", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="build/site", help="output folder, replaced (default: build/site)")
    parser.add_argument("--source", default=str(ROOT / "notebooks"), help="folder of executed course notebooks")
    parser.add_argument("--solutions", choices=("hide", "remove"), default="hide",
                        help="fold solutions under 'Show solution' (default) or leave them out")
    args = parser.parse_args(argv)
    pages = build(args.out, args.source, args.solutions)
    print(f"{len(pages)} pages in {args.out}/ (open {args.out}/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
