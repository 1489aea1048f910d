"""Slides from the course notebooks: slide metadata on the cells, and offline reveal.js handouts.

    python tools/slides.py notebooks/[0-9][0-9]_*.ipynb                      # set the metadata in place
    python tools/slides.py --html build/slides notebooks/[0-9][0-9]_*.ipynb  # handouts; notebooks untouched

The metadata (`metadata.slideshow.slide_type`, read by jupyterlab-slideshow in JupyterLab and by nbconvert):
the title cell and every cell with a `##` heading start a new slide, a `###` heading (an exercise, a part of a
section) starts a sub-slide, a check cell appears as a fragment, every other cell (no slide type) continues
the slide it follows. Running it again changes nothing; only `metadata.slideshow` is touched.

With --html, each notebook (read into memory, metadata applied there) becomes <name>.slides.html beside an
assets/ folder holding reveal.js, MathJax 3, RequireJS, jQuery and the ipywidgets HTML manager, copied from
site/node_modules (`npm install` in site/, which `make slides` runs): the handouts open from disk or any web
server and ask no other host for anything. Each view shows as the picture of it stored in the notebook. Handouts are for
students: each exercise shows its stub and its check without the course's ✓ (`--solutions` keeps the
solutions, for the lecturer's own copy).
"""
import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from coursekit.release import frozen_views  # noqa: E402
NODE = ROOT / "site" / "node_modules"
TEMPLATE = ROOT / "site" / "reveal-offline"
WIDGETS = NODE / "@jupyter-widgets" / "html-manager" / "dist"
ASSETS = "assets"                                    # beside the .slides.html files
HEADING = re.compile(r"^(#{1,3}) \S", re.M)


def slide_type(cell, first):
    """Where a cell goes in the deck: 'slide', 'subslide', 'fragment' or '-' (it continues the slide before)."""
    if first:
        return "slide"
    if cell.cell_type == "markdown":
        levels = [len(match.group(1)) for match in HEADING.finditer(cell.source)]
        if levels and min(levels) <= 2:
            return "slide"
        if levels:
            return "subslide"
    if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
        return "fragment"                            # the check appears after its exercise
    return "-"


def add_slide_metadata(nb):
    """Set metadata.slideshow.slide_type on the cells of `nb` that start a slide, sub-slide or fragment, and
    remove it from the others (in place): no slide type means "continue" to jupyterlab-slideshow and nbconvert
    alike, while "-" would hide the cell in jupyterlab-slideshow. Returns how many cells changed."""
    changed = 0
    for index, cell in enumerate(nb.cells):
        kind = slide_type(cell, index == 0)
        before = cell.metadata.get("slideshow")
        if kind == "-":
            cell.metadata.pop("slideshow", None)
        else:
            cell.metadata["slideshow"] = {"slide_type": kind}
        changed += cell.metadata.get("slideshow") != before
    return changed


def copy_assets(out):
    """reveal.js, MathJax 3, RequireJS, jQuery and the widget manager into out/assets (and its fonts)."""
    missing = [p for p in (NODE / "reveal.js", NODE / "mathjax", NODE / "requirejs", NODE / "jquery", WIDGETS)
               if not p.exists()]
    if missing:
        raise SystemExit(f"missing {', '.join(map(str, missing))}: run `npm install` in site/ (make slides does it)")
    assets = out / ASSETS
    if assets.exists():
        shutil.rmtree(assets)
    for part in ("dist", "plugin/notes"):
        shutil.copytree(NODE / "reveal.js" / part, assets / "reveal.js" / part)
    for part in ("tex-chtml.js", "input/tex/extensions", "output/chtml", "a11y", "ui", "adaptors", "sre"):
        source, target = NODE / "mathjax" / "es5" / part, assets / "mathjax" / part
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    shutil.copy(NODE / "requirejs" / "require.js", assets / "require.js")
    shutil.copy(NODE / "jquery" / "dist" / "jquery.min.js", assets / "jquery.min.js")
    shutil.copy(WIDGETS / "embed-amd.js", assets / "embed-amd.js")
    for name in ("mathjax-config.js", "favicon.svg"):
        shutil.copy(ROOT / "site" / name, assets / name)
    fonts = out / "@jupyter-widgets"                 # the widget manager loads its icon fonts from <page>/@jupyter-widgets/
    fonts.mkdir(exist_ok=True)
    for font in WIDGETS.iterdir():
        if font.suffix in (".woff2", ".woff", ".ttf", ".eot", ".svg"):
            shutil.copy(font, fonts / font.name)


def without_solutions(nb):
    """The handout a student may keep: solution regions as nbgrader's stubs, no hidden tests, checks not run."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    for preprocessor in (ClearSolutions(enforce_metadata=True), ClearHiddenTests(enforce_metadata=True)):
        nb, _ = preprocessor.preprocess(nb, {})
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            cell.outputs, cell.execution_count = [], None
    return nb


def exporter():
    """nbconvert's SlidesExporter on the offline template, every URL pointing into assets/."""
    from nbconvert import SlidesExporter

    slides = SlidesExporter(extra_template_basedirs=[str(TEMPLATE.parent)], template_name=TEMPLATE.name)
    slides.reveal_url_prefix = f"{ASSETS}/reveal.js"
    slides.reveal_theme = "white"                   # its fonts ship with reveal.js ("simple" asks Google)
    slides.reveal_scroll = True
    slides.mathjax_url = f"{ASSETS}/mathjax/tex-chtml.js"
    slides.require_js_url = f"{ASSETS}/require.js"
    slides.jquery_url = f"{ASSETS}/jquery.min.js"
    slides.widget_renderer_url = f"{ASSETS}/embed-amd.js"
    slides.font_awesome_url = ""
    return slides


def handouts(notebooks, out, solutions=False):
    """Write out/<name>.slides.html for each notebook (metadata applied in memory) and out/assets; the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    slides, written = exporter(), []
    for path in map(Path, notebooks):
        nb = nbformat.read(path, as_version=4)
        add_slide_metadata(nb)
        frozen_views(nb)                            # the views as their stored pictures: no kernel here
        if not solutions:
            nb = without_solutions(nb)
        html, _ = slides.from_notebook_node(nb, resources={"metadata": {"name": path.stem},
                                                           "course_assets": ASSETS})
        target = out / f"{path.stem}.slides.html"
        target.write_text(html, encoding="utf-8")
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tools/slides.py", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", help="the course notebooks")
    parser.add_argument("--html", metavar="FOLDER",
                        help="write offline reveal.js handouts to FOLDER instead of changing the notebooks")
    parser.add_argument("--solutions", action="store_true", help="handouts with the course's solutions")
    args = parser.parse_args(argv)
    if args.html:
        written = handouts(args.notebooks, args.html, args.solutions)
        print(f"{len(written)} slide decks in {args.html}/ (open {written[0]})")
        return 0
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        changed = add_slide_metadata(nb)
        if changed:
            nbformat.write(nb, path)
        slides = sum(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in nb.cells)
        print(f"{path}: {slides} slides, {changed} cell{'s' * (changed != 1)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
