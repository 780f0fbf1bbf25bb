# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
FAKETIME := /usr/bin/faketime
export AWS_ACCOUNT_ID_ENDPOINT_MODE := disabled

.PHONY: sam-cli run test year-ahead lint typecheck cfn unit bench fuzz openapi install web clean

# `make run TENANTS="demo acme"`: each tenant's stack side by side on one moto server (ports 8000, 8001, …).
run: install web
	$(BIN)/python -m infra.local $(if $(TENANTS),--tenants $(TENANTS))

# Tests whose subject is the calendar (due dates, aging, renewals, reminders): `make test` runs them a
# second time with the clock a year ahead (libfaketime), so a date written into a test fails here, not
# on the day it falls due.
CALENDAR_TESTS := tests/integration/test_invoices.py tests/integration/test_invoice_pdf.py \
	tests/integration/test_statements.py tests/integration/test_statement_as_of.py \
	tests/integration/test_estimates.py tests/integration/test_credit_notes.py \
	tests/integration/test_subscriptions.py tests/integration/test_subscription_renewals.py \
	tests/integration/test_subscription_invoices.py tests/integration/test_time_travel.py \
	tests/integration/test_dashboard_payments.py tests/integration/test_forwarding.py

test: install web $(CHROMIUM) $(FAKETIME) lint typecheck cfn
	$(BIN)/python -m pytest --cov --cov-report=term
	# A short fuzz pass against the gateway `make run` serves (each function in container processes).
	FUZZ_CONTAINERS=2 FUZZ_EXAMPLES=$${FUZZ_CONTAINER_EXAMPLES:-4} $(BIN)/python -m pytest tests/fuzz
	$(MAKE) year-ahead

year-ahead: install $(FAKETIME)
	$(FAKETIME) -f +365d $(BIN)/python -m pytest $(CALENDAR_TESTS)

unit: install
	$(BIN)/python -m pytest tests/unit

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

cfn: install
	$(BIN)/cfn-lint template.yaml

bench: install
	$(BIN)/python -m bench

# Schemathesis against the local gateway, more examples per operation than `make test` runs; then the
# money state machine (tests/integration/test_money_invariants.py) with random seeds and many more steps.
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-300} $(BIN)/python -m pytest tests/fuzz
	MONEY_RANDOM=1 MONEY_EXAMPLES=$${MONEY_EXAMPLES:-20} MONEY_STEPS=$${MONEY_STEPS:-50} \
		$(BIN)/python -m pytest -s tests/integration/test_money_invariants.py

# Regenerate openapi/openapi.json after changing a route or its models (tests check it is current).
openapi: install
	$(BIN)/python -m openapi

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $(STAMP)

web: web/dist/index.html

web/node_modules/.package-lock.json: web/package-lock.json
	# rollup is pinned by an override to a release whose every platform package the mirror holds,
	# so the lock is complete and `npm ci` installs exactly what it lists.
	cd web && npm ci --no-audit --no-fund
	touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(shell find web/src web/index.html web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)
	cd web && npm run build

# The year-ahead run's clock (libfaketime, Debian's package).
$(FAKETIME):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime

# Browser tests use Debian's Chromium (Playwright cannot download its own browsers here).
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# `sam build` runs build-<LogicalId> for every function (Metadata BuildMethod: makefile): only the
# Python packages and the pinned runtime dependencies, for Lambda's arm64 Python 3.11.
build-%Function:
	cp -r shared services "$(ARTIFACTS_DIR)/"
	$(PYTHON) -m pip install --quiet --target "$(ARTIFACTS_DIR)" --platform manylinux2014_aarch64 \
		--implementation cp --python-version 3.11 --only-binary=:all: -r requirements.txt

# The SAM CLI for `python -m infra.tenants deploy --sam`, in its own venv (it pins another boto3).
sam-cli: .venv-sam/bin/sam

.venv-sam/bin/sam:
	$(PYTHON) -m venv .venv-sam
	.venv-sam/bin/pip install --quiet aws-sam-cli==1.170.0

clean:
	rm -rf $(VENV) .venv-sam web/node_modules web/dist .pytest_cache .mypy_cache .ruff_cache
