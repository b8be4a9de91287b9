# The workbook's commands. `make book` builds the site, `make test` runs every
# check; both create the virtualenv from requirements.txt on first use.
SHELL := bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
WIDGETS := _build/vendor/widgets
CHAPTER ?=
N ?= 3
MINUTES ?= 45
NEW ?= 3
TIMEOUT ?= 60
LAB_ARGS ?=
# JupyterLab refuses to start as root unless told; containers and cloud VMs often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help book test lint lab update grade mock review generate bench bench-update clean

help:  ## list the commands (the default)
	@echo "The ML Coding Interview Workbook. Commands:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 24
	@echo "Options: CHAPTER=4|ch04|losses|mock|review (grade), TIMEOUT=60 (grade, seconds per cell),"
	@echo "         N=3 MINUTES=45 (mock), NEW=3 (review), LAB_ARGS='--port 9999' (lab)"

$(STAMP): requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Saved ipywidgets need require.js and the widget manager: fetched once from the
# npm registry and served from the site itself (no CDN).
$(WIDGETS)/embed-amd.js:
	rm -rf $(WIDGETS) && mkdir -p $(WIDGETS)
	cd _build/vendor && npm pack --silent @jupyter-widgets/html-manager@1.0.15 requirejs@2.3.8 >/dev/null
	tar -xzf _build/vendor/requirejs-2.3.8.tgz -C $(WIDGETS) --strip-components=1 package/require.js
	tar -xzf _build/vendor/jupyter-widgets-html-manager-1.0.15.tgz -C $(WIDGETS) --strip-components=2 package/dist
	cd $(WIDGETS) && rm -f embed.js libembed-amd.js *.map *.LICENSE.txt

mock: $(STAMP)  ## write a timed mock interview to work/ from exercises not passed yet
	$(PY) -m workbook.update
	$(PY) -m workbook.mock --n $(N) --minutes $(MINUTES)

review: $(STAMP)  ## write today's spaced-review notebook to work/: exercises due, NEW=3 new ones
	$(PY) -m workbook.update
	$(PY) -m workbook.review --new $(NEW)

generate: $(STAMP)  ## regenerate exercises/ and solutions/ from chapters/
	$(PY) -m workbook.generate

book: generate $(WIDGETS)/embed-amd.js  ## build the site into _build/html
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

# Two workers, one thread each: torch's default of one thread per core would
# oversubscribe the two cores and slow everything down.
test: $(STAMP) $(WIDGETS)/embed-amd.js  ## run every check (notebooks, wrong answers, tooling, site)
	OMP_NUM_THREADS=1 $(VENV)/bin/pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env chapters tests

update: $(STAMP)  ## copy new notebooks to work/ and merge updates, keeping your edits
	$(PY) -m workbook.update

lab: update  ## update work/, then open it in JupyterLab
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) work

grade: $(STAMP)  ## grade your notebooks in work/ (CHAPTER=4 for one chapter)
	$(PY) -m workbook.grade --timeout $(TIMEOUT) $(CHAPTER)

bench: $(STAMP) generate  ## time the references against their library twins (writes _build/)
	$(PY) -m workbook.bench

bench-update: $(STAMP) generate  ## the same, and refresh appendix/bench_results.json (commit it)
	$(PY) -m workbook.bench --update

lint: $(STAMP)  ## ruff: lint and format check of workbook/, _ext/, tests/, chapters/
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:  ## remove _build/ (never touches work/)
	rm -rf _build
