# The lab's two commands: `make run` and `make test`. Both create .venv on first use.
# Origins: `make run API_ORIGIN=http://localhost:9001`, or the environment variable LAB_API_ORIGIN.
TRUSTED_ORIGIN ?= $(or $(LAB_TRUSTED_ORIGIN),http://localhost:8000)
UNTRUSTED_ORIGIN ?= $(or $(LAB_UNTRUSTED_ORIGIN),http://127.0.0.1:8000)
API_ORIGIN ?= $(or $(LAB_API_ORIGIN),http://localhost:8001)
API_ALIAS_ORIGIN ?= $(or $(LAB_API_ALIAS_ORIGIN),http://127.0.0.1:8001)
ATTACKER_ORIGIN ?= $(or $(LAB_ATTACKER_ORIGIN),http://localhost:8002)

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
PYTEST_ARGS ?=

export LAB_TRUSTED_ORIGIN := $(TRUSTED_ORIGIN)
export LAB_UNTRUSTED_ORIGIN := $(UNTRUSTED_ORIGIN)
export LAB_API_ORIGIN := $(API_ORIGIN)
export LAB_API_ALIAS_ORIGIN := $(API_ALIAS_ORIGIN)
export LAB_ATTACKER_ORIGIN := $(ATTACKER_ORIGIN)

.PHONY: run test browser bench clean

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

test: browser
	$(VPY) -m pytest $(PYTEST_ARGS)

# Ratios measured in one run on this machine: CORS overhead, preflights, servers, page weight.
bench: browser
	$(VPY) -m labctl.bench

clean:
	rm -rf $(VENV) instance .pytest_cache
