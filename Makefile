# The two commands: `make lab` (set up and open the course) and `make test` (set up and run every test).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --disable-pip-version-check -q
ROOT   := $(if $(filter 0,$(shell id -u)),--allow-root,)
PORT   ?= 8888

.PHONY: lab test bench release grade notebooks clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "coursekit needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.lab: requirements.txt pyproject.toml | $(PY)
	$(PIP) -r requirements.txt
	@touch $@

$(VENV)/.test: $(VENV)/.lab pyproject.toml
	$(PIP) -e '.[test,instructor]'
	@touch $@

lab: $(VENV)/.lab
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(ROOT) --ServerApp.root_dir=notebooks

test: $(VENV)/.test
	$(PY) -m pytest

# Instructors (see README): `make release` writes the student copies of every notebook to release/;
# `make grade SUBMISSIONS=folder GRADEFLAGS=…` grades folder/<student>/<notebook>.ipynb into grades/ (see README).
# Both need nbgrader (the `instructor` extra); an environment set up by `make test` already has it.
INSTRUCTOR := $(if $(wildcard $(VENV)/.test),$(VENV)/.test,$(VENV)/.instructor)

$(VENV)/.instructor: $(VENV)/.lab pyproject.toml
	$(PIP) -e '.[instructor]'
	@touch $@

release: $(INSTRUCTOR)
	$(PY) -m coursekit.release --source notebooks --dest release

grade: $(INSTRUCTOR)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [GRADEFLAGS='--jobs 2 --notebooks 08 09']  (folder/<student>/<notebook>.ipynb)"; exit 2; }
	$(PY) -m coursekit.grading "$(SUBMISSIONS)" --source notebooks --out grades $(GRADEFLAGS)

# Speed: medians and ratios against a hand-written NumPy pass and, where installed (pip install -e '.[bench]'),
# PyTorch and JAX, measured in one process; then the network explorer's slider latency in a real kernel.
bench: $(VENV)/.test
	$(PY) bench/bench.py --nbval --json bench/results/latest.json --markdown bench/results/latest.md
	$(PY) bench/widget_latency.py --json bench/results/widget_latency.json

# Maintainers: re-execute every notebook in place (after changing one), outputs stored, volatile metadata stripped.
notebooks: $(VENV)/.test
	$(PY) tools/execute_notebooks.py notebooks/[0-9][0-9]_*.ipynb

clean:
	rm -rf $(VENV) release grades
