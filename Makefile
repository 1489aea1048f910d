# The two commands: `make lab` (set up and open the course) and `make test` (set up and run every test).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --disable-pip-version-check -q
NPM    ?= npm
ROOT   := $(if $(filter 0,$(shell id -u)),--allow-root,)
PORT   ?= 8888
NOTEBOOKS := notebooks/[0-9][0-9]_*.ipynb

.PHONY: lab test test-fresh bench release grade site slides notebooks clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "coursekit needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# what the course needs (requirements.txt, also Binder's), then coursekit from this folder
$(VENV)/.lab: requirements.txt pyproject.toml | $(PY)
	$(PIP) -r requirements.txt
	$(PIP) -e .
	@touch $@

$(VENV)/.test: $(VENV)/.lab pyproject.toml
	$(PIP) -e '.[test,instructor,site]'
	@touch $@

# MathJax, reveal.js, RequireJS, jQuery and the ipywidgets HTML manager for the site and the slides (npm registry)
site/node_modules/.installed: site/package.json
	cd site && $(NPM) install --no-audit --no-fund --no-package-lock --loglevel=error
	@touch $@

# the solved course, for instructors and lecturers (students use the release: see README)
lab: $(VENV)/.lab
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(ROOT) --ServerApp.root_dir=notebooks \
		--ServerApp.kernel_websocket_connection_class=coursekit.server.QuickConnection

test: $(VENV)/.test site/node_modules/.installed
	$(PY) -m pytest -m "not fresh_install"

# what installs from the package index: the student release set up from nothing in a fresh copy of its zip,
# and repo2docker's plan for this folder (Binder)
test-fresh: $(VENV)/.test
	$(PY) -m pytest -m fresh_install tests

# Instructors (see README): `make release` writes the student course to release/ (notebooks, README, Makefile,
# requirements, the coursekit wheel) and release/backpropagation-course.zip;
# `make grade SUBMISSIONS=folder GRADEFLAGS=…` grades folder/<student>/<notebook>.ipynb into grades/ (see README).
# Both need nbgrader (the `instructor` extra); an environment set up by `make test` already has it.
INSTRUCTOR := $(if $(wildcard $(VENV)/.test),$(VENV)/.test,$(VENV)/.instructor)
SITE_DEPS  := $(if $(wildcard $(VENV)/.test),$(VENV)/.test,$(VENV)/.site)

$(VENV)/.instructor: $(VENV)/.lab pyproject.toml
	$(PIP) -e '.[instructor]'
	@touch $@

$(VENV)/.site: $(VENV)/.instructor pyproject.toml
	$(PIP) -e '.[instructor,site]'
	@touch $@

release: $(INSTRUCTOR)
	$(PY) -m coursekit.release --source notebooks --dest release

grade: $(INSTRUCTOR)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [GRADEFLAGS='--jobs 2 --notebooks 08 09']  (folder/<student>/<notebook>.ipynb)"; exit 2; }
	$(PY) -m coursekit.grading "$(SUBMISSIONS)" --source notebooks --out grades $(GRADEFLAGS)

# The rendered course: static HTML from the executed notebooks in build/site/ (open build/site/index.html)
site: $(SITE_DEPS) site/node_modules/.installed
	$(PY) site/build.py --out build/site

# Offline reveal.js handouts of every notebook in build/slides/ (the notebooks are not changed)
slides: $(SITE_DEPS) site/node_modules/.installed
	$(PY) tools/slides.py --html build/slides $(NOTEBOOKS)

# Speed: medians and ratios against a hand-written NumPy pass and, where installed (pip install -e '.[bench]'),
# PyTorch and JAX, measured in one process; then the network explorer's slider latency in a real kernel.
bench: $(VENV)/.test
	$(PY) bench/bench.py --nbval --json bench/results/latest.json --markdown bench/results/latest.md
	$(PY) bench/widget_latency.py --json bench/results/widget_latency.json
	$(PY) bench/grading.py --json bench/results/grading.json

# Maintainers: re-execute every notebook in place (after changing one), outputs stored, volatile metadata stripped.
notebooks: $(VENV)/.test
	$(PY) tools/execute_notebooks.py $(NOTEBOOKS)

clean:
	rm -rf $(VENV) release grades build site/node_modules
