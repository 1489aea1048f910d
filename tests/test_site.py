"""The rendered course (`make site`): every notebook a page in lecture order, formulas typeset, figures and
each view shown as the picture of its initial state, solutions folded away, and no request leaving 127.0.0.1."""
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit.release import course_notebooks

import chromium  # noqa: E402  (tests/chromium.py)

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "site"))
import build as site_build  # noqa: E402  (site/build.py)

TIMEOUT = 30_000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`make site`'s command, into a temporary folder."""
    out = tmp_path_factory.mktemp("site") / "html"
    result = subprocess.run([sys.executable, str(ROOT / "site" / "build.py"), "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_make_site_runs_the_build():
    plan = subprocess.run(["make", "-n", "site"], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
    assert "site/build.py --out build/site" in plan


def test_a_page_per_notebook_in_lecture_order_with_navigation(site):
    names = [p.stem for p in course_notebooks(COURSE)]
    index = (site / "index.html").read_text()
    linked = re.findall(r'<a class="reference internal" href="(\d\d_[^"#]+)\.html"', index)
    assert list(dict.fromkeys(linked)) == names                   # the table of contents, in course order
    cards = [p.stem for p in sorted(COURSE.glob("*.md"))]             # the notation card follows the notebooks
    assert "notation" in cards and (site / "notation.html").exists()
    for previous, name, following in zip([None] + names[:-1], names, names[1:] + cards[:1]):
        page = (site / f"{name}.html").read_text()
        title = next(line[2:].strip() for c in nbformat.read(COURSE / f"{name}.ipynb", as_version=4).cells
                     if c.cell_type == "markdown" for line in c.source.splitlines() if line.startswith("# "))
        assert f"<h1>{title}" in page.replace("&#64;", "@"), name
        links = dict((rel, href) for rel, href in re.findall(r'<a class="(left-prev|right-next)"\s+href="([^"]+)"', page))
        assert links.get("right-next") == (f"{following}.html" if following else None), name
        if previous:
            assert links.get("left-prev") == f"{previous}.html", name


def test_the_site_carries_its_own_assets(site):
    static = site / "_static"
    assert (static / "mathjax" / "tex-chtml.js").exists() and (static / "embed-amd.js").exists()
    assert (static / "require.min.js").exists() and list((site / "@jupyter-widgets").glob("*.woff2"))
    for page in site.glob("*.html"):
        text = page.read_text()
        assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["'](https?:)?//""", text), page.name


def test_solutions_are_folded_and_hidden_tests_removed():
    solved = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell(
        "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"), new_code_cell(
        "assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(5) == 10\n### END HIDDEN TESTS")])
    solved.cells[1].metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "t", "locked": False,
                                            "schema_version": 3, "task": False}
    solved.cells[2].metadata["nbgrader"] = {"solution": False, "grade": True, "grade_id": "t-check", "points": 1,
                                            "locked": True, "schema_version": 3, "task": False}
    folded = site_build.web_copy(nbformat.from_dict(solved))
    assert folded.cells[1].source == "def f(x):\n    return 2 * x"
    assert "hide-input" in folded.cells[1].metadata["tags"]
    assert folded.cells[1].metadata["mystnb"]["code_prompt_show"] == "Show solution"
    assert "f(5)" not in folded.cells[2].source and "HIDDEN" not in folded.cells[2].source
    removed = site_build.web_copy(nbformat.from_dict(solved), solutions="remove")
    assert "remove-input" in removed.cells[1].metadata["tags"]


def test_every_page_renders_offline_in_chromium(site):
    """Each page served from 127.0.0.1: no request elsewhere, no failed request, no console error; every
    formula typeset without a MathJax error; every image loaded; the views as pictures where a notebook has views
    (their stored image); solutions folded under "Show solution". Writes the formula counts to tests/artifacts/site.json."""
    path = chromium.browser_or_skip()
    views = {p.stem: sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                         for c in nbformat.read(p, as_version=4).cells for o in c.get("outputs", []))
             for p in course_notebooks(COURSE)}
    pages = sorted(p.name for p in site.glob("*.html"))
    assert len(pages) >= len(list(course_notebooks(COURSE))) + 1
    report = {}
    with chromium.static_server(site) as base, chromium.chromium(path) as browser:
        for name in pages:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.set_default_timeout(TIMEOUT)
            watch = chromium.PageWatch(page, base)
            page.goto(f"{base}/{name}", wait_until="load")
            if page.locator(".math").count():
                page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
                page.evaluate("() => MathJax.startup.promise")
            shown = page.evaluate("""() => ({
                formulas: document.querySelectorAll('.math').length,
                typeset: [...document.querySelectorAll('.math')].filter(e => e.querySelector('mjx-container')).length,
                errors: [...document.querySelectorAll('mjx-merror')].map(e => e.getAttribute('data-mjx-error')),
                images: document.querySelectorAll('img').length,
                broken: [...document.querySelectorAll('img')].filter(i => !i.complete || !i.naturalWidth)
                        .map(i => i.src.slice(0, 60)),
                views: [...document.querySelectorAll('.cell_output img')].filter(i => i.naturalWidth > 200).length,
                solutions: [...document.querySelectorAll('details.hide summary')].map(s => s.innerText.trim()),
                open: [...document.querySelectorAll('details.hide')].filter(d => d.open).length})""")
            page.wait_for_timeout(300)                                   # late console errors
            report[name] = shown
            page.close()
            assert not watch.problems(), f"{name}: {watch.problems()}"
            assert shown["typeset"] == shown["formulas"] and not shown["errors"], (name, shown)
            assert not shown["broken"], (name, shown["broken"])
            if name.startswith(tuple(f"{i:02d}_" for i in range(100))):
                assert shown["formulas"] > 10 and shown["images"] > 0, (name, shown)
                assert shown["solutions"] and set(shown["solutions"]) == {"Show solution"} and not shown["open"], \
                    (name, shown["solutions"])
            if views.get(Path(name).stem):                # each view shown as the picture of its initial state
                assert shown["views"] >= views[Path(name).stem], (name, shown["views"], views[Path(name).stem])
    chromium.ARTIFACTS.mkdir(exist_ok=True)
    (chromium.ARTIFACTS / "site.json").write_text(json.dumps(report, indent=2))
    print("\nformulas typeset per page: " + ", ".join(f"{n.split('_')[0].replace('.html', '')} {r['typeset']}"
                                                       for n, r in report.items()))
