# SI Joint Coach. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
comma := ,

.PHONY: run test test-postgres bench illustrations check clean

$(STAMP): pyproject.toml
	@# A missing or broken environment (no working pip) is made anew.
	$(PY) -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet -e '.[web,exports,test]'
	touch $(STAMP)

# The web app on the embedded database (SQLite in ./var), or PostgreSQL when DATABASE_URL is set.
run: $(STAMP)
	$(PY) -m sijcoach.web migrate --noinput
	$(PY) -m sijcoach.web collectstatic --noinput -v 0
	@echo ""
	@echo "  SI Joint Coach is running at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@echo "  Reminder emails go out every minute$(if $(EMAIL_HOST), through $(EMAIL_HOST),$(comma) printed here (no EMAIL_HOST set))."
	@echo ""
	@# Workers, threads and logs: src/sijcoach/web/gunicorn_conf.py (WEB_CONCURRENCY, WEB_THREADS size them).
	@# Beside the server, the reminder emails every minute (send_reminders --every 60); when the server
	@# stops (Ctrl+C, or it could not start), the trap stops the sender too, after its current round.
	@SIJCOACH_BASE_URL="$${SIJCOACH_BASE_URL:-http://$(HOST):$(PORT)}" $(PY) -m sijcoach.web send_reminders --every 60 & \
	reminders=$$!; trap 'kill $$reminders 2>/dev/null; wait $$reminders' EXIT INT TERM; \
	$(VENV)/bin/gunicorn sijcoach.web.wsgi:application --bind $(HOST):$(PORT) -c python:sijcoach.web.gunicorn_conf

# Every test on SQLite, then the web tests again on a real PostgreSQL server; the browser tests run
# once, on SQLite (what the browser does does not depend on the database; their server-side paths
# are run on PostgreSQL by the other web tests).
# TEST_WORKERS: pytest-xdist's -n (auto: one per core; 0 runs in this process, as a debugger wants).
TEST_WORKERS ?= auto

test: $(STAMP)
	$(PY) tools/check_knowledge.py
	$(PY) -m pytest -n $(TEST_WORKERS)
	$(MAKE) --no-print-directory test-postgres

test-postgres: $(STAMP)
	@status=0; tools/postgres.sh url >/dev/null || status=$$?; \
	if [ $$status = 3 ] && [ "$(CI)" != "true" ]; then \
		echo "PostgreSQL is not installed: the PostgreSQL run was skipped (CI installs it and runs it)."; \
	elif [ $$status != 0 ]; then exit $$status; \
	else tools/postgres.sh run $(PY) -m pytest -n $(TEST_WORKERS) tests/web -m "not browser"; fi

# Every benchmark runs, even after one misses a target (each exits 1 then); the exit status says
# whether all of them met theirs.
BENCHMARKS := run illustrate exports web coach

bench: $(STAMP)
	@status=0; for b in $(BENCHMARKS); do $(PY) bench/$$b.py || status=1; done; exit $$status

# A contact sheet of every exercise's picture (start and end), for looking at them all at once.
illustrations: $(STAMP)
	$(PY) tools/illustrations.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
