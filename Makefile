# Strategic Assessment generator. `make` (or `make assessment`) builds the worked example.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INPUTS ?= inputs
OUTPUTS ?= outputs

.DEFAULT_GOAL := assessment
.PHONY: assessment performance test test-fast lint format fuzz bench screenshots clean help

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

assessment: $(STAMP) ## Generate the Strategic Assessment, Plan on a Page, charts and ratings into outputs/<year>/
	$(BIN)/python generate.py generate --inputs $(INPUTS) --outputs $(OUTPUTS)

performance: $(STAMP) ## Write the board's performance update into outputs/<year>/performance/
	$(BIN)/python generate.py performance --inputs $(INPUTS) --outputs $(OUTPUTS)

# The tests keep their compiled modules (pytest's assertion rewriting of each test module, the program's
# own modules in every process a test starts) in __pycache__ between runs, even where the environment
# says not to write bytecode: compiling them again costs each worker about 2.7 s of CPU on every run.
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE

test: lint ## Lint, type-check and run the test suite (two workers)
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP) ## The fast layer: pure functions in memory (scoring, merge, sentences, Markdown, calculations)
	$(TEST_ENV) $(BIN)/python -m pytest -m fast -q

lint: $(STAMP) ## ruff format check, ruff lint, mypy
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP) ## Reformat the code and apply safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

fuzz: $(STAMP) ## Fuzz the worked example: 1,000 single mutations in-process; counts per outcome, peak memory
	$(BIN)/python scripts/fuzz.py --inputs $(INPUTS) --count 1000 --jobs 2

PEERS := $(VENV)/bench-peers
$(PEERS)/.installed: $(STAMP)
	$(BIN)/python -m pip install --quiet --upgrade --target $(PEERS) 'polars>=1.0' 'duckdb>=1.0'
	touch $@

bench: $(STAMP) $(PEERS)/.installed ## Time the pipeline against docs/speed.md (Polars and DuckDB beside the police.uk ingest); prints a JSON report last
	$(BIN)/python scripts/bench.py --inputs $(INPUTS) $(BENCH_ARGS)

screenshots: $(STAMP) ## PNGs of each page of the HTML edition at 1280 and 360 px wide into outputs/screenshots/
	$(BIN)/python scripts/screenshots.py --inputs $(INPUTS) --out $(OUTPUTS)/screenshots

clean: ## Remove generated outputs and caches (inputs are never touched)
	rm -rf $(OUTPUTS) .pytest_cache .mypy_cache .ruff_cache .hypothesis

help: ## List the jobs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'
