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

.PHONY: run test lint browser bench doctor clean

$(VPY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VPY)
	$(VPY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VPY)
	$(VPY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(VPY) -m labctl.run

browser: $(VENV)/.installed-test
	@$(VPY) -m labctl.browser

# ruff keeps the Python tidy: lint, and a format that `ruff format .` writes.
lint: $(VENV)/.installed-test
	$(VPY) -m ruff check .
	$(VPY) -m ruff format --check .

test: lint browser
	$(VPY) -m pytest $(PYTEST_ARGS)

# Ratios measured in one run on this machine: CORS overhead, preflights, servers, page weight.
bench: browser
	$(VPY) -m labctl.bench

# Your own API in a real Chromium: make doctor URL=http://localhost:5000/items [ORIGIN=http://localhost:3000]
# [METHOD=PUT] [HEADERS='Content-Type: application/json'] [COOKIES='session=abc'] [CREDENTIALS=1]
# [BODY='{"a": 1}'] [TRANSPORT=xhr] [JSON=1] [PREFLIGHT_ONLY=1]. HEADERS and COOKIES: one per line. Passed through the
# environment, so &, ; and quotes survive.
ifeq ($(MAKECMDGOALS),doctor)
export URL ORIGIN METHOD HEADERS COOKIES CREDENTIALS BODY TRANSPORT JSON PREFLIGHT_ONLY
endif
doctor: browser
	@$(VPY) -m labctl.doctor --from-environment

clean:
	rm -rf $(VENV) instance .pytest_cache
