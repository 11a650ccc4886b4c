# ctscreen: `make run` sets up and runs the main job, `make test` sets up and runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
CTSCREEN_DATA ?= ../shared/data
LISTS := $(CTSCREEN_DATA)/lists
BIN := $(VENV)/bin

.PHONY: setup run test lint

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# The main job: import the official lists into the embedded SQLite store (~/.ctscreen), show what is
# active, screen a name and a news report.
run: setup
	$(BIN)/ctscreen lists import \
	  $(LISTS)/un/consolidated.xml \
	  $(LISTS)/ofac/sdn_2024-05-03/sdn.csv \
	  $(LISTS)/ofac/consolidated_non_sdn/cons_prim.csv \
	  $(LISTS)/uk/ConList.xlsx \
	  $(LISTS)/uk/FCDO_SL_2025-08-11_summary.ods \
	  $(LISTS)/us_csl/csl_subset_2023-11-30.csv
	$(BIN)/ctscreen lists status
	$(BIN)/ctscreen lists show QDe.132
	$(BIN)/ctscreen screen "Hafez Mohammad Sayeed" --dob 1950-06-05 --country Pakistan
	$(BIN)/ctscreen text $(CTSCREEN_DATA)/samples/news-pk-us-ct-dialogue.txt

# The whole suite, on SQLite and on a real PostgreSQL server that scripts/postgres.sh installs and starts.
test: setup
	@test -d $(LISTS) || { echo "real list files not found in $(LISTS) (set CTSCREEN_DATA)"; exit 1; }
	CTSCREEN_DATA=$(CTSCREEN_DATA) CTSCREEN_TEST_PG_URL=$$(scripts/postgres.sh) CTSCREEN_REQUIRE_PG=1 \
	  $(BIN)/pytest -n 2 -q
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
