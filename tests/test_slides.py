"""Slides: the metadata tools/slides.py puts on the cells, the offline reveal.js handouts of `make slides`, and
the live deck in JupyterLab (jupyterlab-slideshow) where a slider still drives the kernel."""
import copy
import html as htmllib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import coursekit
from coursekit.release import WIDGET_VIEW, course_notebooks

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import slides  # noqa: E402  (tools/slides.py)

import chromium  # noqa: E402  (tests/chromium.py)

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "notebooks"
TIMEOUT = 30_000
NUM = re.compile(r'<span class="ck-num[^"]*" data-q="(\w+)"(?: data-i="([\d,]+)")?>([^<]*)</span>')


def kinds(nb):
    return [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]


def grade_cell(source):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "x-check", "locked": True, "points": 1,
                                 "schema_version": 3, "solution": False, "task": False}
    return cell


# ------------------------------------------------------------------------------------------ the metadata

def test_slides_start_at_the_title_and_each_section_subslides_at_exercises_checks_are_fragments():
    nb = new_notebook(cells=[
        new_markdown_cell("# 00 · Title\n\nGoal."), new_code_cell("import coursekit"),
        new_markdown_cell("## 1 · A section"), new_code_cell("x = 1"), new_markdown_cell("Prose, no heading."),
        new_markdown_cell("Text first\n\n### Exercise 00-x\n\nWrite it."), new_code_cell("def f(): ..."),
        grade_cell("coursekit.check('00-x', f)"), new_markdown_cell("#### a small heading: no break"),
        new_markdown_cell("Words\n## 2 · Heading further down the cell"), new_code_cell("y = 2")])
    nb.cells[4].metadata["slideshow"] = {"slide_type": "-"}          # a stale "-" is removed, not kept
    changed = slides.add_slide_metadata(nb)
    assert kinds(nb) == ["slide", "-", "slide", "-", "-", "subslide", "-", "fragment", "-", "slide", "-"]
    assert all("slideshow" not in c.metadata for c, k in zip(nb.cells, kinds(nb)) if k == "-")
    assert changed == 6


def test_the_metadata_is_idempotent_and_touches_only_slideshow(tmp_path):
    paths = []
    for path in course_notebooks(COURSE):
        shutil.copy(path, tmp_path / path.name)
        paths.append(tmp_path / path.name)
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "slides.py")] + [str(p) for p in paths],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    first = {p: p.read_bytes() for p in paths}
    for path in paths:                                                    # a second run, in this process
        nb = nbformat.read(path, as_version=4)
        assert slides.add_slide_metadata(nb) == 0, f"{path.name}: a second run would change it"
    assert slides.main([str(p) for p in paths]) == 0
    assert {p: p.read_bytes() for p in paths} == first
    for path in paths:
        original = nbformat.read(COURSE / path.name, as_version=4)
        tagged = nbformat.read(path, as_version=4)
        assert kinds(tagged)[0] == "slide" and kinds(tagged).count("slide") >= 3, path.name
        assert kinds(tagged).count("fragment") == sum(bool(c.metadata.get("nbgrader", {}).get("grade"))
                                                      for c in original.cells)
        for before, after in zip(original.cells, tagged.cells):           # nothing else moved
            before, after = copy.deepcopy(before), copy.deepcopy(after)
            before.metadata.pop("slideshow", None)
            after.metadata.pop("slideshow", None)
            assert before == after, path.name
        assert tagged.metadata == original.metadata and len(tagged.cells) == len(original.cells)


def solution_only_lines(nb):
    """Lines inside solution regions that appear nowhere else in the notebook."""
    inside, outside = set(), set()
    for cell in nb.cells:
        region = False
        for line in cell.source.splitlines():
            if "### BEGIN SOLUTION" in line or "### END SOLUTION" in line:
                region = "BEGIN" in line
            elif line.strip():
                (inside if region else outside).add(line.strip())
    return inside - outside


# --------------------------------------------------------------------------------- offline handouts

@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """`make slides`'s command on every course notebook, into a temporary folder."""
    out = tmp_path_factory.mktemp("slides")
    notebooks = [str(p) for p in course_notebooks(COURSE)]
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "slides.py"), "--html", str(out)] + notebooks,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_make_slides_runs_the_handout_command():
    plan = subprocess.run(["make", "-n", "slides"], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
    assert "tools/slides.py --html build/slides notebooks/[0-9][0-9]_*.ipynb" in plan


def test_handouts_carry_no_solution_and_no_remote_url(handouts):
    for path in course_notebooks(COURSE):
        page = (handouts / f"{path.stem}.slides.html").read_text()
        body = page[page.index("<body"):]
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<script.*?</script>", "", body, flags=re.S)))
        secret = solution_only_lines(nbformat.read(path, as_version=4))
        assert secret, path.name
        assert not [line for line in text.splitlines() if line.strip() in secret], path.name
        assert "raise NotImplementedError()" in text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), f"{path.name} links to another host"


def test_every_deck_opens_offline_with_its_slides_formulas_and_frozen_views(handouts):
    path = chromium.browser_or_skip()
    report = {}
    with chromium.static_server(handouts) as base, chromium.chromium(path) as browser:
        for notebook in course_notebooks(COURSE):
            nb = nbformat.read(notebook, as_version=4)
            slides.add_slide_metadata(nb)
            want = sum(k in ("slide", "subslide") for k in kinds(nb))
            views = sum("image/png" in o.get("data", {}) and WIDGET_VIEW in o.get("data", {})
                        for c in nb.cells for o in c.get("outputs", []))
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            watch = chromium.PageWatch(page, base)
            page.set_default_timeout(TIMEOUT)
            page.goto(f"{base}/{notebook.stem}.slides.html", wait_until="load")
            page.wait_for_function("() => window.courseDeck && window.courseDeck.isReady()")
            page.evaluate("() => MathJax.startup.promise")
            shown = page.evaluate("""() => ({slides: courseDeck.getTotalSlides(),
                formulas: document.querySelectorAll('mjx-container').length,
                errors: [...document.querySelectorAll('mjx-merror')].map(e => e.getAttribute('data-mjx-error')),
                dollars: [...document.querySelectorAll('.jp-MarkdownOutput')]
                         .filter(e => /\\$[^$]+\\$/.test(e.innerText)).length,
                pictures: [...document.querySelectorAll('img')]
                          .filter(i => i.src.startsWith('data:image/png') && i.naturalWidth > 300).length})""")
            page.close()
            report[notebook.stem] = shown
            assert not watch.problems(), f"{notebook.name}: {watch.problems()}"
            assert shown["slides"] == want, f"{notebook.name}: {shown['slides']} slides in the deck, {want} wanted"
            assert shown["formulas"] > 10 and not shown["errors"] and not shown["dollars"], (notebook.name, shown)
            assert views == 0 or shown["pictures"] >= views, f"{notebook.name}: {views} views, {shown['pictures']} shown"
    chromium.ARTIFACTS.mkdir(exist_ok=True)
    (chromium.ARTIFACTS / "slides.json").write_text(json.dumps(report, indent=2))


# ---------------------------------------------------------------------------- the live deck in JupyterLab

def numbers(markup):
    """{(quantity, index): text} of the ck-num spans in a view's numbers HTML."""
    return {(q, i or ""): text for q, i, text in NUM.findall(markup)}


def test_the_deck_starts_in_jupyterlab_and_a_slider_on_a_slide_moves_the_numbers():
    path = chromium.browser_or_skip()
    name = "00_cost_and_gradient_descent.ipynb"
    root = tempfile.mkdtemp(prefix="coursekit-deck-")
    try:
        nb = nbformat.read(COURSE / name, as_version=4)
        slides.add_slide_metadata(nb)
        for cell in nb.cells:                                  # as a lecturer opens it fresh
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, Path(root) / name)
        target = next(i for i, c in enumerate(nb.cells) if c.source.strip() == "coursekit.widgets.descent_explorer()")
        view = coursekit.widgets.descent_explorer()
        start = numbers(view.numbers)
        view.controls["steps"].value += 1                      # what one ArrowRight on the steps slider asks for
        want = numbers(view.numbers)
        assert want != start
        with chromium.jupyterlab(root, expose_app=True) as base, chromium.chromium(path) as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT)
            try:
                chromium.open_notebook(page, base, name, "deck")
                imports = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
                for index in (imports, target):                 # the imports, then the explorer's cell
                    page.evaluate(f"""() => {{ window.jupyterapp.shell.currentWidget.content.activeCellIndex =
                                               {index}; return window.jupyterapp.commands.execute(
                                               'notebook:run-cell'); }}""")
                    chromium.kernel_idle(page)
                page.locator(".ck-descent-explorer .ck-numbers .ck-num").first.wait_for()
                page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
                page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
                page.wait_for_selector("body[data-jp-deck-mode='presenting']", state="attached")
                on_screen = """() => [...document.querySelectorAll('.jp-Notebook-cell')]
                                     .map((c, i) => c.classList.contains('jp-deck-mod-visible') ? i : -1)
                                     .filter(i => i >= 0)"""
                page.wait_for_function(f"() => ({on_screen})().includes(0)")
                assert 2 not in page.evaluate(on_screen)               # the first section is the next slide
                for _ in range(3):                       # the first press may only move within the title slide
                    page.evaluate("() => window.jupyterapp.commands.execute('deck:forward')")
                    try:
                        page.wait_for_function(f"() => ({on_screen})().includes(2)", timeout=5000)
                        break
                    except Exception:
                        continue
                assert 2 in page.evaluate(on_screen) and 0 not in page.evaluate(on_screen), \
                    f"deck:forward did not reach the first section: cells {page.evaluate(on_screen)} on screen"
                page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
                page.evaluate(f"() => {{ window.jupyterapp.shell.currentWidget.content.activeCellIndex = {target}; }}")
                page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
                page.wait_for_function(f"() => ({on_screen})().includes({target})")
                explorer = page.locator(".ck-descent-explorer")
                assert explorer.is_visible()
                shown = lambda: numbers(explorer.locator(".ck-numbers").inner_html())   # noqa: E731
                assert shown() == start
                handle = explorer.locator('[data-control="steps"] input[type=range]').first
                handle.focus()
                handle.press("ArrowRight")
                page.wait_for_function("""want => { const e = document.querySelector(
                        '.ck-descent-explorer .ck-num[data-q="E"]'); return e && e.textContent === want; }""",
                                       arg=want[("E", "")])
                assert shown() == want, "the deck shows other numbers than coursekit computes for steps + 1"
                assert page.locator("body[data-jp-deck-mode='presenting']").count() == 1
            finally:
                chromium.ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(chromium.ARTIFACTS / "deck_00.png"))
                page.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
