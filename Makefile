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

.PHONY: book test lab grade mock generate bench clean

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

mock: $(STAMP)
	$(PY) -m workbook.practice
	$(PY) -m workbook.mock --n $(N) --minutes $(MINUTES)

generate: $(STAMP)
	$(PY) -m workbook.generate

book: generate $(WIDGETS)/embed-amd.js
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

test: $(STAMP) $(WIDGETS)/embed-amd.js
	$(VENV)/bin/pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env chapters tests

lab: $(STAMP)
	$(PY) -m workbook.practice
	$(VENV)/bin/jupyter lab work

grade: $(STAMP)
	$(PY) -m workbook.grade $(CHAPTER)

bench: $(STAMP) generate
	$(PY) -m workbook.bench

clean:
	rm -rf _build
