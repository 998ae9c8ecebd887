# make site: build output/ from content/   make test: run every test   make serve: preview and the desk (/admin/)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=
NPM ?= npm
# axe-core for the accessibility tests and Lighthouse for bench/lighthouse.sh: pinned in tools/*/package-lock.json,
# installed from the npm registry into git-ignored tools/*/node_modules, never fetched while tests run.
AXE := tools/axe/node_modules/axe-core/axe.min.js
LIGHTHOUSE := tools/lighthouse/node_modules/.bin/lighthouse
# Decap CMS for the editor's desk (serve's /admin/): pinned in tools/decap/package-lock.json (the one package: only
# its prebuilt dist/ is served), installed from the npm registry by 'make serve' and 'make test'.
DECAP := tools/decap/node_modules/decap-cms/dist/decap-cms.js

.PHONY: site test serve check publish golden bench lighthouse tools clean messages

site: $(VENV)/.runtime
	$(PY) build.py build $(ARGS)

test: $(VENV)/.dev $(AXE) $(DECAP)
	$(PY) -m pytest $(ARGS)

check: $(VENV)/.runtime
	$(PY) build.py check

serve: $(VENV)/.runtime $(DECAP)
	$(PY) build.py serve $(ARGS)

publish: $(VENV)/.runtime
	$(PY) build.py publish $(ARGS)

golden: $(VENV)/.runtime
	$(PY) tests/golden/regenerate.py

bench: $(VENV)/.runtime
	$(PY) bench/build_bench.py --articles 1000 10000

lighthouse: $(VENV)/.runtime $(LIGHTHOUSE)
	bash bench/lighthouse.sh

tools: $(AXE) $(LIGHTHOUSE) $(DECAP)

$(AXE): tools/axe/package.json tools/axe/package-lock.json
	$(NPM) ci --prefix tools/axe --no-audit --no-fund --loglevel=error
	touch $@

$(DECAP): tools/decap/package.json tools/decap/package-lock.json
	$(NPM) ci --prefix tools/decap --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	$(NPM) ci --prefix tools/lighthouse --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

clean:
	rm -rf output .output.staging-* .output.previous .pytest_cache tools/*/node_modules

# The message catalogs: extract every message of the code (say(...), _(...)) into sitegen/locale/sitegen.pot, merge
# it into the Chinese catalog (new messages arrive untranslated: tests/unit/test_messages.py fails until they are
# translated), and compile it to the .mo the build reads.
POT := sitegen/locale/sitegen.pot
PO := sitegen/locale/zh_Hans/LC_MESSAGES/sitegen.po
messages: $(VENV)/.dev
	$(VENV)/bin/pybabel extract -F sitegen/locale/babel.cfg -k say -k say_plural:1,2 -k _ -k language \
		--no-default-keywords --sort-by-file --omit-header --no-location --width 120 -o $(POT) .
	test -f $(PO) || $(VENV)/bin/pybabel init -i $(POT) -d sitegen/locale -D sitegen -l zh_Hans
	$(VENV)/bin/pybabel update -i $(POT) -d sitegen/locale -D sitegen -l zh_Hans --no-fuzzy-matching --width 120 \
		--ignore-obsolete --ignore-pot-creation-date
	$(VENV)/bin/pybabel compile -d sitegen/locale -D sitegen -l zh_Hans --statistics
	$(PY) sitegen/locale/table.py
