# SI Joint Coach. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench check clean

$(STAMP): pyproject.toml
	@# A missing or broken environment (no working pip) is made anew.
	$(PY) -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Until the web app exists, the main job is the interactive check-in, followed by a plan.
run: $(STAMP)
	$(VENV)/bin/sijcoach check-in --out profile.json
	@if [ -f profile.json ]; then $(VENV)/bin/sijcoach plan profile.json; fi

test: $(STAMP)
	$(PY) tools/check_knowledge.py
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
