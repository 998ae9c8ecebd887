# make site: build output/ from content/   make test: run every test   (both set up .venv first)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=

.PHONY: site test serve check golden bench clean

site: $(VENV)/.runtime
	$(PY) build.py build $(ARGS)

test: $(VENV)/.dev
	$(PY) -m pytest $(ARGS)

check: $(VENV)/.runtime
	$(PY) build.py check

serve: $(VENV)/.runtime
	$(PY) build.py serve $(ARGS)

golden: $(VENV)/.runtime
	$(PY) tests/golden/regenerate.py

bench: $(VENV)/.runtime
	$(PY) bench/build_bench.py --articles 1000 10000

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

clean:
	rm -rf output .output.staging-* .output.previous .pytest_cache
