# The lab's two commands: `make run` and `make test`. Both create .venv on first use.
# Origins: `make run API_ORIGIN=http://localhost:9001`, or the environment variable LAB_API_ORIGIN
# (TRUSTED_ORIGIN, UNTRUSTED_ORIGIN, API_ORIGIN, API_ALIAS_ORIGIN, ATTACKER_ORIGIN). Only what you
# set is passed on; the defaults live in the lab contract (lab_contract/__init__.py).
ORIGIN_NAMES := TRUSTED_ORIGIN UNTRUSTED_ORIGIN API_ORIGIN API_ALIAS_ORIGIN ATTACKER_ORIGIN
$(foreach name,$(ORIGIN_NAMES),$(if $($(name)),$(eval export LAB_$(name) := $($(name)))))

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
PYTEST_ARGS ?=
# pytest-xdist workers: each runs whole test files with a lab and a Chromium of its own.
TEST_WORKERS ?= auto

.PHONY: run test test-packages lint browser bench doctor clean

# Installing says nothing on stdout: `make doctor JSON=1` prints the report alone, first run included.
$(VPY):
	@$(PYTHON) -m venv $(VENV) >&2

$(VENV)/.installed: pyproject.toml | $(VPY)
	@$(VPY) -m pip install --quiet -e . >&2
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VPY)
	$(VPY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# `cors-lab run`, its state (wire log, sessions) in instance/.
run: $(VENV)/.installed
	$(VPY) -m labctl run --state-dir instance

browser: $(VENV)/.installed-test
	@$(VPY) -m labctl.browser

# ruff keeps the Python tidy: lint, and a format that `ruff format .` writes.
lint: $(VENV)/.installed-test
	$(VPY) -m ruff check .
	$(VPY) -m ruff format --check .

test: lint browser
	$(VPY) -m pytest -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# The tests that install or start other software: the built wheel in a fresh virtual environment, pipx;
# the doctor's fixes applied to real frameworks (pinned: tests/packages/constraints.txt, Express and cors
# by tests/packages/express/package-lock.json; Debian's nginx, which .ci/run installs).
$(VENV)/.installed-packages: pyproject.toml tests/packages/constraints.txt | $(VPY)
	$(VPY) -m pip install --quiet -e '.[test,packages]' -c tests/packages/constraints.txt
	touch $@

tests/packages/express/node_modules/.package-lock.json: tests/packages/express/package-lock.json
	npm ci --prefix tests/packages/express --no-audit --no-fund --loglevel=error

test-packages: $(VENV)/.installed-packages tests/packages/express/node_modules/.package-lock.json browser
	$(VPY) -m pytest tests/packages $(PYTEST_ARGS)

# Ratios measured in one run on this machine: CORS overhead, preflights, servers, page weight.
bench: browser
	$(VPY) -m labctl.bench

# Your own API in a real Chromium: make doctor URL=http://localhost:5000/items [ORIGIN=http://localhost:3000]
# [METHOD=PUT] [HEADERS='Content-Type: application/json'] [COOKIES='session=abc'] [CREDENTIALS=1]
# [BODY='{"a": 1}'] [TRANSPORT=xhr] [JSON=1] [PREFLIGHT_ONLY=1] [FRAMEWORK=fastapi]. HEADERS and COOKIES: one per line. Passed through the
# environment, so &, ; and quotes survive. `cors-lab doctor`, for people: make turns every failure into
# its exit status 2, so scripts call `cors-lab doctor` (0 readable, 1 blocked, 2 no usable answer).
ifeq ($(MAKECMDGOALS),doctor)
export URL ORIGIN METHOD HEADERS COOKIES CREDENTIALS BODY TRANSPORT JSON PREFLIGHT_ONLY FRAMEWORK
endif
doctor: $(VENV)/.installed
	@$(VPY) -m labctl doctor --from-environment

clean:
	rm -rf $(VENV) instance .pytest_cache

# The lab in Firefox ESR and WebKitGTK (see README "Three engines"): Selenium in .venv, puppeteer-core in
# engines/firefox/node_modules (npm ci, when Node is there: without it the command says what to install).
.PHONY: test-engines engines-table
$(VENV)/.installed-engines: pyproject.toml | $(VPY)
	$(VPY) -m pip install --quiet -e '.[engines]'
	touch $@

engines/firefox/node_modules/.package-lock.json: engines/firefox/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix engines/firefox --no-audit --no-fund --loglevel=error; fi

test-engines: $(VENV)/.installed-engines engines/firefox/node_modules/.package-lock.json
	$(VPY) -m labctl.engines

# Runs Chromium, Firefox and WebKit and rewrites the behaviour table in README.md and docs/browser-facts.md.
engines-table: $(VENV)/.installed-engines $(VENV)/.installed-test engines/firefox/node_modules/.package-lock.json
	$(VPY) -m labctl.engines --table
