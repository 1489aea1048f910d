"""Sphinx configuration of the rendered course (built by site/build.py, which stages the notebooks beside it).

Stored outputs only (nothing is executed), formulas by MathJax 3 served from _static, each interactive view as
the picture stored beside it (coursekit.release.frozen_views): a page of the site asks no other host for anything.
"""
project = "Backpropagation, step by step"
author = "CSE463 Neural Networks"
copyright = "the course authors"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "node_modules", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]     # widget views without a saved state show their text form

nb_execution_mode = "off"                             # the notebooks are stored executed (strict nbval checks them)
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
myst_update_mathjax = False                          # mathjax-config.js holds the settings

# MathJax 3 and the widget manager from local copies (npm packages, copied into _static by site/build.py)
mathjax_path = "mathjax/tex-chtml.js"
nb_ipywidgets_js = {"require.min.js": {}, "embed-amd.js": {}}

html_theme = "sphinx_book_theme"
html_title = project
html_favicon = "favicon.svg"                         # (and no request for /favicon.ico)
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_js_files = ["mathjax-config.js"]               # before MathJax, which Sphinx loads deferred
html_extra_path = ["_extra"]                         # @jupyter-widgets/: the fonts of the widget manager
html_last_updated_fmt = None
html_copy_source = False                             # the notebooks are in the repository (and the release)
html_show_sourcelink = False
html_theme_options = {
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "home_page_in_toc": True,
    "navigation_with_keys": True,
}
html_context = {"default_mode": "light"}             # the views' stored pictures are drawn for a light page


def display_math_as_in_jupyterlab(app, doctree):
    r"""Hand each $$ … $$ block to MathJax as written, as JupyterLab does.

    Sphinx wraps a display formula that contains a line break (\\) in \begin{split}, where MathJax refuses
    \tag{5.49}; the notebooks number their equations with \tag, so the formulas go to MathJax unwrapped.
    """
    from docutils import nodes

    for node in doctree.findall(nodes.math_block):
        if not node.get("nowrap") and not node.get("no-wrap"):
            node["nowrap"] = True
            text = node.astext()
            node.children = [nodes.Text(r"\[" + text + r"\]")]


def setup(app):
    app.connect("doctree-read", display_math_as_in_jupyterlab)
