# The README's commands. Every target sets up what it needs first; a second run only
# redoes what changed. Nothing is downloaded at run time beyond PyPI and npm.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOLC_VERSION := $(shell sed -n 's/.*"solc": "\(.*\)".*/\1/p' package.json)
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
export APE_DATA_FOLDER := $(CURDIR)/.ape
CONTRACT_SUITES := $(wildcard tests/compliance tests/stablecoin tests/cbdc tests/reserve tests/desk) tests/test_contract_sizes.py
# BNB Chain's public endpoints (docs.bnbchain.org, "JSON-RPC Endpoint"); the mainnet ones
# do not serve eth_getLogs, which the audit needs: see docs/audit.md, "Which node".
export BSC_TESTNET_RPC ?= https://bsc-testnet-dataseed.bnbchain.org
export BSC_MAINNET_RPC ?= https://bsc-dataseed.bnbchain.org
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)

.PHONY: setup demo test unit bench bench-report lint audit-code format clean anvil-start anvil-stop

setup: $(VENV)/.paths node_modules/.installed .solcx/solc-v$(SOLC_VERSION) vendor/.installed .build/.compiled

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# The project root on the venv's path, so `somchain` imports from any directory, and the
# import hook that makes `ape run NAME` load only scripts/NAME.py (somchain/apecompat.py, 6).
$(VENV)/.paths: $(VENV)/.installed Makefile
	$(BIN)/python -c 'import site, sys; open(site.getsitepackages()[0] + "/somchain.pth", "w").write(sys.argv[1] + "\nimport somchain.apecompat; somchain.apecompat.hook_ape_run()\n")' $(CURDIR)
	touch $@

# `npm ci` installs exactly package-lock.json and never rewrites it.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.solcx/solc-v$(SOLC_VERSION): node_modules/.installed tools/solc.js tools/install-solc.sh
	sh tools/install-solc.sh $(CURDIR)/.solcx

vendor/.installed: node_modules/.installed tools/vendor-openzeppelin.sh
	sh tools/vendor-openzeppelin.sh
	touch $@

.build/.compiled: $(VENV)/.paths vendor/.installed .solcx/solc-v$(SOLC_VERSION) ape-config.yaml $(shell find contracts -name '*.sol' -not -path '*/.cache/*')
	$(BIN)/ape compile --force
	touch $@

demo: setup
	$(BIN)/ape run demo -v WARNING

# The whole suite on the embedded chain, then the contract suites again on anvil, each in
# TEST_WORKERS parallel workers (pytest-xdist; one per core by default, 0 for none). A
# worker runs whole modules (--dist loadfile) on its own chain, with its own session
# fixtures and anvil nodes on free ports; folders holding a `slow` test start first. Each
# run ends with its time per test folder.
TEST_WORKERS ?= auto
PARALLEL := -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
test: setup
	$(BIN)/ape test tests -q $(PARALLEL) --durations=15
	$(BIN)/ape test $(CONTRACT_SUITES) -q $(PARALLEL) --network ethereum:local:foundry

# Every benchmark, then one report: benchmarks/results/bench.json and bench.md (generated from
# the benchmarks' JSON) and the README's Benchmarks block. `make bench BENCH_QUICK=1` measures the
# small sizes only (about 2 minutes on 2 cores); the full run adds the payroll at 10,000 and
# 100,000 payees and the audit at 100,000 and 1,000,000 transfers (about 35 minutes in all).
# `make bench-report` rebuilds the tables from the JSON already there.
BENCH_QUICK ?=
PAYROLL_SIZES ?= $(if $(BENCH_QUICK),1000,1000 10000 100000)
AUDIT_SIZES ?= $(if $(BENCH_QUICK),10000,10000 100000 1000000)
ONBOARDING_SIZES ?= $(if $(BENCH_QUICK),10000,10000 100000)
WATCH_SIZES ?= $(if $(BENCH_QUICK),10000,10000 100000)

bench: setup
	$(BIN)/python -m benchmarks.stablecoin_gas
	$(BIN)/python -m benchmarks.cbdc_gas
	$(BIN)/python -m benchmarks.reserve_gas
	$(BIN)/python -m benchmarks.desk_gas
	$(BIN)/python -m benchmarks.payroll_scale $(PAYROLL_SIZES)
	$(BIN)/python -m benchmarks.onboarding_scale $(ONBOARDING_SIZES)
	$(BIN)/python -m benchmarks.audit_scale $(AUDIT_SIZES)
	$(BIN)/python -m benchmarks.watch_scale $(WATCH_SIZES)
	$(BIN)/python -m benchmarks.report

bench-report: $(VENV)/.paths
	$(BIN)/python -m benchmarks.report

# Python: ruff (rules in pyproject.toml) and mypy on the package; Solidity: prettier with the
# Solidity plugin and solhint, both pinned in package.json.
lint: setup
	$(BIN)/ruff check somchain scripts tests benchmarks
	$(BIN)/ruff format --check somchain scripts tests benchmarks
	$(BIN)/mypy
	prettier --check 'contracts/**/*.sol'
	solhint --disc --noPoster 'contracts/**/*.sol'

# Static analysis: Slither over the production contracts (not the mocks), offline through the
# wasm compiler; fails on any finding not triaged in security/slither-triage.json (about 30 s).
audit-code: setup
	$(BIN)/python tools/audit_code.py

# The package's unit tests alone: no chain, a few seconds.
unit: $(VENV)/.paths
	$(BIN)/python -m pytest tests/unit -q -p no:ape_test

format: setup
	$(BIN)/ruff format somchain scripts tests benchmarks
	prettier --write 'contracts/**/*.sol'

clean:
	rm -rf .build .ape .solcx contracts/.cache vendor

# A local anvil on chain id 97 standing in for BNB testnet (network bsc:anvil-testnet),
# keeping its state in .anvil/state.json between a stop and the next start. It says it
# started only once the node answers eth_chainId with 97 (it waits up to a minute).
ANVIL_PORT ?= 8597
ANVIL_DIR ?= .anvil
ANVIL_URL := http://127.0.0.1:$(ANVIL_PORT)
anvil-start: node_modules/.installed
	@mkdir -p $(ANVIL_DIR)
	@if [ -f $(ANVIL_DIR)/pid ] && kill -0 $$(cat $(ANVIL_DIR)/pid) 2>/dev/null; then \
		echo "anvil already running (pid $$(cat $(ANVIL_DIR)/pid)) on $(ANVIL_URL)"; \
	elif other=$$(cast chain-id --rpc-timeout 2 --rpc-url $(ANVIL_URL) 2>/dev/null) && [ -n "$$other" ]; then \
		echo "error: another node (chain id $$other, not started here) already answers on $(ANVIL_URL): stop it or set ANVIL_PORT" >&2; \
		exit 1; \
	else \
		nohup anvil --port $(ANVIL_PORT) --chain-id 97 --accounts 12 --state $(ANVIL_DIR)/state.json \
			--silent > $(ANVIL_DIR)/log 2>&1 & echo $$! > $(ANVIL_DIR)/pid; \
		answered() { kill -0 $$(cat $(ANVIL_DIR)/pid) 2>/dev/null && \
			[ "$$(cast chain-id --rpc-timeout 2 --rpc-url $(ANVIL_URL) 2>/dev/null)" = 97 ]; }; \
		for i in $$(seq 300); do answered && break; \
			kill -0 $$(cat $(ANVIL_DIR)/pid) 2>/dev/null || break; sleep 0.2; done; \
		if answered; then \
			echo "anvil started (pid $$(cat $(ANVIL_DIR)/pid)) on $(ANVIL_URL), chain id 97"; \
		else \
			kill $$(cat $(ANVIL_DIR)/pid) 2>/dev/null; rm -f $(ANVIL_DIR)/pid; \
			echo "error: anvil did not answer eth_chainId on $(ANVIL_URL) (see $(ANVIL_DIR)/log)" >&2; \
			exit 1; \
		fi; \
	fi

anvil-stop:
	@if [ -f $(ANVIL_DIR)/pid ] && kill $$(cat $(ANVIL_DIR)/pid) 2>/dev/null; then \
		echo "anvil stopped"; else echo "anvil not running"; fi
	@rm -f $(ANVIL_DIR)/pid
