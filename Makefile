# The README's commands. Every target sets up what it needs first; a second run only
# redoes what changed. Nothing is downloaded at run time beyond PyPI and npm.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOLC_VERSION := $(shell sed -n 's/.*"solc": "\(.*\)".*/\1/p' package.json)
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
export APE_DATA_FOLDER := $(CURDIR)/.ape
CONTRACT_SUITES := $(wildcard tests/compliance tests/stablecoin tests/cbdc tests/reserve) tests/test_contract_sizes.py
export BSC_TESTNET_RPC ?= https://data-seed-prebsc-1-s1.bnbchain.org:8545
export BSC_MAINNET_RPC ?= https://bsc-dataseed.bnbchain.org
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)

.PHONY: setup demo test unit bench lint format clean anvil-start anvil-stop

setup: $(VENV)/.installed node_modules/.installed .solcx/solc-v$(SOLC_VERSION) vendor/.installed .build/.compiled

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	# The project root on the venv's path, so `somchain` imports from any directory.
	$(BIN)/python -c 'import site, sys; open(site.getsitepackages()[0] + "/somchain.pth", "w").write(sys.argv[1] + "\n")' $(CURDIR)
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

.solcx/solc-v$(SOLC_VERSION): node_modules/.installed tools/solc.js tools/install-solc.sh
	sh tools/install-solc.sh $(CURDIR)/.solcx

vendor/.installed: node_modules/.installed tools/vendor-openzeppelin.sh
	sh tools/vendor-openzeppelin.sh
	touch $@

.build/.compiled: $(VENV)/.installed vendor/.installed .solcx/solc-v$(SOLC_VERSION) ape-config.yaml $(shell find contracts -name '*.sol' -not -path '*/.cache/*')
	$(BIN)/ape compile --force
	touch $@

demo: setup
	$(BIN)/ape run demo -v WARNING

# The whole suite on the embedded chain, then the contract suites again on anvil.
test: setup
	$(BIN)/ape test tests -q
	$(BIN)/ape test $(CONTRACT_SUITES) -q --network ethereum:local:foundry

# Every benchmark; each writes its JSON to benchmarks/results/ (the audit's 1,000,000-transfer
# run takes about 20 minutes on 2 cores).
bench: setup
	$(BIN)/python benchmarks/stablecoin_gas.py
	$(BIN)/python benchmarks/cbdc_gas.py
	$(BIN)/python benchmarks/audit_scale.py 10000 100000 1000000

# Python: ruff (rules in pyproject.toml) and mypy on the package; Solidity: prettier with the
# Solidity plugin and solhint, both pinned in package.json.
lint: setup
	$(BIN)/ruff check somchain scripts tests benchmarks
	$(BIN)/ruff format --check somchain scripts tests benchmarks
	$(BIN)/mypy
	prettier --check 'contracts/**/*.sol'
	solhint 'contracts/**/*.sol'

# The package's unit tests alone: no chain, a few seconds.
unit: $(VENV)/.installed
	$(BIN)/python -m pytest tests/unit -q -p no:ape_test

format: setup
	$(BIN)/ruff format somchain scripts tests benchmarks
	prettier --write 'contracts/**/*.sol'

clean:
	rm -rf .build .ape .solcx contracts/.cache vendor

# A local anvil on chain id 97 standing in for BNB testnet (network bsc:anvil-testnet),
# keeping its state in .anvil/state.json between a stop and the next start.
anvil-start: node_modules/.installed
	@mkdir -p .anvil
	@if [ -f .anvil/pid ] && kill -0 $$(cat .anvil/pid) 2>/dev/null; then \
		echo "anvil already running (pid $$(cat .anvil/pid)) on http://127.0.0.1:8597"; \
	else \
		nohup anvil --port 8597 --chain-id 97 --accounts 12 --state .anvil/state.json --silent > .anvil/log 2>&1 & echo $$! > .anvil/pid; \
		for i in $$(seq 50); do cast chain-id --rpc-url http://127.0.0.1:8597 >/dev/null 2>&1 && break; sleep 0.2; done; \
		if cast chain-id --rpc-url http://127.0.0.1:8597 >/dev/null 2>&1; then \
			echo "anvil started (pid $$(cat .anvil/pid)) on http://127.0.0.1:8597, chain id 97"; \
		else echo "anvil did not answer on port 8597 (see .anvil/log)"; exit 1; fi; \
	fi

anvil-stop:
	@if [ -f .anvil/pid ] && kill $$(cat .anvil/pid) 2>/dev/null; then echo "anvil stopped"; else echo "anvil not running"; fi
	@rm -f .anvil/pid
