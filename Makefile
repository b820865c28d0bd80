# Stödkedjan — two commands: `make run` (demo on SQLite) and `make test` (everything CI runs).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
PG_URL ?= postgres://postgres@127.0.0.1:5432/stodkedjan
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run setup test audit validate-hsds bench loadtest loadtest-run lint typecheck test-sqlite test-postgres system-deps chromium postgres redis lock messages clean

help:
	@echo "make run    – set up everything and serve the demo at http://$(HOST):$(PORT)/ (SQLite)"
	@echo "make test   – set up everything and run lint, type checks and all tests on SQLite and PostgreSQL"
	@echo "make bench  – the finder, the HSDS API and coverage at national scale (50,000 services), SQLite and PostgreSQL, with ratios"
	@echo "make loadtest – gunicorn on PostgreSQL and Redis, 40 paced locust users, with the page cache and without it (2,000 distinct searches): throughput, p50/p95/p99, stored answers"
	@echo "make validate-hsds – export the demo as JSON, CSV data package and XLSX and check them and the API as Open Referral's tools do (part of make test)"
	@echo "make audit  – pip-audit of every lock file against a cached copy of the OSV advisory database (part of make test)"
	@echo "make lint | typecheck | test-sqlite | test-postgres | messages | lock | clean"

# --- setup -------------------------------------------------------------------------------------------
$(STAMP): requirements/base.txt requirements/dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# pip before 24 refuses a hash-pinned lock whose packages ask for an extra of a pinned one (weasyprint → fonttools[woff])
	$(BIN)/pip install --quiet 'pip>=25'
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	@touch $@

apt-updated := /var/lib/apt/lists/.stodkedjan-updated
$(apt-updated):
	$(SUDO) apt-get update -qq
	@$(SUDO) touch $@

# gettext compiles translations; Pango and DejaVu let WeasyPrint lay out the PDF reports; Cairo lets CairoSVG draw
# the report's maps as PNG for Word.
system-deps:
	@command -v msgfmt >/dev/null || { $(MAKE) --no-print-directory $(apt-updated) && $(APT_INSTALL) gettext; }
	@{ ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libcairo.so.2 && test -d /usr/share/fonts/truetype/dejavu; } || \
		{ $(MAKE) --no-print-directory $(apt-updated) && $(APT_INSTALL) libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-dejavu-core; }

%.mo: %.po | system-deps
	msgfmt --check-format -o $@ $<

setup: $(STAMP) system-deps $(MO_FILES)

# --- run ---------------------------------------------------------------------------------------------
run: setup
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_reference_data
	$(MANAGE) load_demo
	@echo "Serving Stödkedjan at http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	@echo "Survey links and QR codes point to $${SITE_URL:-the address each page is opened at (set SITE_URL for another)}"
	$(MANAGE) runserver $(HOST):$(PORT)

# --- test --------------------------------------------------------------------------------------------
chromium:
	@test -x /usr/bin/chromium || { $(MAKE) --no-print-directory $(apt-updated) && $(APT_INSTALL) chromium; }

postgres:
	@command -v pg_ctlcluster >/dev/null || { $(MAKE) --no-print-directory $(apt-updated) && $(APT_INSTALL) postgresql; }
	@pg_isready -q -h 127.0.0.1 -p 5432 || $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -1) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

# The cache tests talk to a real Redis on loopback (the machine's own, or one started here).
redis:
	@command -v redis-server >/dev/null || { $(MAKE) --no-print-directory $(apt-updated) && $(APT_INSTALL) redis-server; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 0.5; done; echo "Redis did not start"; exit 1

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy stodkedjan depaudit tests conftest.py

TEST_ENV := STODKEDJAN_ENV=test
test-sqlite: setup chromium redis
	$(TEST_ENV) $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: setup chromium postgres redis
	$(TEST_ENV) DATABASE_URL=$(PG_URL) STODKEDJAN_EXPECT_DATABASE=postgresql $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

# Known vulnerabilities in the locked dependencies; skipped, saying so, only when no advisory database can be had.
audit: setup
	$(BIN)/python -m depaudit

# The demo's HSDS exchange as Open Referral's own tools check it: frictionless on the data package and the
# official compiled schemas with additional properties forbidden, for every export format and the live API.
# A scratch database of this run's own, so that two runs side by side do not share it.
validate-hsds: setup
	@set -e; scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	export $(TEST_ENV) DATABASE_URL="sqlite:///$$scratch/hsds.sqlite3"; \
	$(MANAGE) migrate --noinput -v0; \
	$(MANAGE) load_reference_data -v0; \
	$(MANAGE) load_demo -v0 >/dev/null; \
	$(MANAGE) validate_hsds

test: lint typecheck audit validate-hsds test-sqlite test-postgres

# --- speed: figures and ratios, never pass/fail ---------------------------------------------------
BENCH_SQLITE := sqlite:////tmp/stodkedjan-bench.sqlite3
BENCH_PG := postgres://postgres@127.0.0.1:5432/stodkedjan_bench
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): requirements/bench.txt $(STAMP)
	$(BIN)/pip install --quiet --require-hashes -r requirements/bench.txt
	@touch $@

bench: setup postgres $(BENCH_STAMP)
	$(TEST_ENV) DATABASE_URL=$(BENCH_SQLITE) $(BIN)/python -m bench.finder
	$(TEST_ENV) DATABASE_URL=$(BENCH_SQLITE) $(BIN)/python -m bench.api
	$(TEST_ENV) DATABASE_URL=$(BENCH_SQLITE) $(BIN)/python -m bench.coverage
	$(TEST_ENV) DATABASE_URL=$(BENCH_SQLITE) $(BIN)/python -m bench.placement
	$(TEST_ENV) DATABASE_URL=$(BENCH_SQLITE) $(BIN)/python -m bench.maps
	rm -f /tmp/stodkedjan-surveys.sqlite3 && $(TEST_ENV) DATABASE_URL=sqlite:////tmp/stodkedjan-surveys.sqlite3 $(BIN)/python -m bench.surveys
	rm -f /tmp/stodkedjan-judged.sqlite3 && $(TEST_ENV) DATABASE_URL=sqlite:////tmp/stodkedjan-judged.sqlite3 $(BIN)/python -m bench.judged
	@psql -q -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='stodkedjan_bench'" | grep -q 1 || createdb -h 127.0.0.1 -U postgres stodkedjan_bench
	$(TEST_ENV) DATABASE_URL=$(BENCH_PG) $(BIN)/python -m bench.finder
	$(TEST_ENV) DATABASE_URL=$(BENCH_PG) $(BIN)/python -m bench.api
	$(TEST_ENV) DATABASE_URL=$(BENCH_PG) $(BIN)/python -m bench.coverage

# --- load: gunicorn on PostgreSQL on loopback, driven by locust for a bounded time ----------------------
LOAD_PG := postgres://postgres@127.0.0.1:5432/stodkedjan_load
LOAD_PORT ?= 8111
LOAD_USERS ?= 40
# Four processes of two threads: on two cores, threads of one process wait for each other's Python (the GIL), and
# 3 × 4 spent ~10 % more CPU per request than 4 × 2 for the same pages.
LOAD_WORKERS ?= 4
LOAD_THREADS ?= 2
LOAD_TIME ?= 40s
LOAD_CACHE ?= redis://127.0.0.1:6379/14
LOAD_PAGE_CACHE ?= 60
LOAD_PARENT_RATE ?= 10
LOAD_DISTINCT_SEARCHES ?= 0
LOAD_GOAL ?= 300
LOAD_ENV := STODKEDJAN_ENV=test DATABASE_URL=$(LOAD_PG) DATABASE_CONN_MAX_AGE=60 SURVEY_SUBMISSIONS_PER_WINDOW=1000000 LOG_LEVEL=WARNING PUBLIC_PAGE_CACHE_SECONDS=$(LOAD_PAGE_CACHE) CACHE_URL=$(LOAD_CACHE)
LOAD_STAMP := $(VENV)/.loadtest-installed
$(LOAD_STAMP): requirements/loadtest.txt $(STAMP)
	$(BIN)/pip install --quiet --require-hashes -r requirements/loadtest.txt
	@touch $@

# Twice: as parents meet it (the page cache on, a few hundred searches), then with the page cache off and
# LOAD_DISTINCT searches, nearly all different, so that every request is answered by the database.
LOAD_DISTINCT ?= 2000
# Without the page cache the demand is the goal's and a tenth more (36 × 6.2 = 223 finder requests a second), so that
# p95 is measured at that throughput; LOAD_UNCACHED_RATE=100 finds the ceiling.
LOAD_UNCACHED_RATE ?= 6.2
loadtest: setup postgres redis $(LOAD_STAMP)
	@echo "== page cache on ($(LOAD_PAGE_CACHE) s) =="
	@$(MAKE) --no-print-directory loadtest-run LOAD_GOAL=300
	@echo "== page cache off, $(LOAD_DISTINCT) distinct searches, 36 parents at $(LOAD_UNCACHED_RATE) pages a second =="
	@$(MAKE) --no-print-directory loadtest-run LOAD_PAGE_CACHE=0 LOAD_DISTINCT_SEARCHES=$(LOAD_DISTINCT) LOAD_GOAL=200 \
		LOAD_PARENT_RATE=$(LOAD_UNCACHED_RATE)

loadtest-run:
	@psql -q -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='stodkedjan_load'" | grep -q 1 || createdb -h 127.0.0.1 -U postgres stodkedjan_load
	@redis-cli -u $(LOAD_CACHE) flushdb >/dev/null
	@set -e; SETUP=$$($(LOAD_ENV) $(BIN)/python -m loadtest.setup_data | tail -1); \
	$(LOAD_ENV) $(BIN)/gunicorn stodkedjan.wsgi --bind 127.0.0.1:$(LOAD_PORT) --workers $(LOAD_WORKERS) --threads $(LOAD_THREADS) --log-level warning & GUNICORN=$$!; \
	trap "kill $$GUNICORN 2>/dev/null || true" EXIT; \
	for i in $$(seq 1 30); do curl -sf http://127.0.0.1:$(LOAD_PORT)/healthz >/dev/null && break; sleep 0.5; done; \
	LOADTEST_SETUP="$$SETUP" LOAD_PARENT_RATE=$(LOAD_PARENT_RATE) LOAD_DISTINCT_SEARCHES=$(LOAD_DISTINCT_SEARCHES) $(BIN)/locust -f loadtest/locustfile.py --headless -u $(LOAD_USERS) -r 4 -t $(LOAD_TIME) --reset-stats \
		--host http://127.0.0.1:$(LOAD_PORT) --only-summary --stop-timeout 5 --csv /tmp/stodkedjan-loadtest; \
	kill $$GUNICORN; wait $$GUNICORN 2>/dev/null || true; \
	LOADTEST_SETUP="$$SETUP" LOAD_GOAL=$(LOAD_GOAL) $(LOAD_ENV) $(BIN)/python -m loadtest.check

# --- maintenance -------------------------------------------------------------------------------------
messages: setup
	for lang in sv en ar so ti fa; do $(MANAGE) makemessages -l $$lang --ignore=.venv --ignore=tests -v0; done

lock:
	$(PYTHON) -m venv /tmp/stodkedjan-lock && /tmp/stodkedjan-lock/bin/pip install -q pip-tools
	/tmp/stodkedjan-lock/bin/pip-compile -q --strip-extras --generate-hashes --allow-unsafe -o requirements/base.txt requirements/base.in
	/tmp/stodkedjan-lock/bin/pip-compile -q --strip-extras --generate-hashes --allow-unsafe -o requirements/dev.txt requirements/dev.in
	/tmp/stodkedjan-lock/bin/pip-compile -q --strip-extras --generate-hashes --allow-unsafe -o requirements/bench.txt requirements/bench.in
	/tmp/stodkedjan-lock/bin/pip-compile -q --strip-extras --generate-hashes --allow-unsafe -o requirements/loadtest.txt requirements/loadtest.in

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles $(MO_FILES)
