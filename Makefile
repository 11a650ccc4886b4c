# ctscreen: `make run` sets up and runs the main job, `make test` sets up and runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
CTSCREEN_DATA ?= ../shared/data
LISTS := $(CTSCREEN_DATA)/lists
BIN := $(VENV)/bin

.PHONY: setup run test lint compiled

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

# The whole suite, on SQLite and on a real PostgreSQL server that scripts/postgres.sh installs and starts;
# then again on the matching core as a wheel compiles it (mypyc, setup.py), which is what `pip install .` runs.
test: setup compiled
	@test -d $(LISTS) || { echo "real list files not found in $(LISTS) (set CTSCREEN_DATA)"; exit 1; }
	PG_URL=$$(scripts/postgres.sh) && \
	CTSCREEN_DATA=$(CTSCREEN_DATA) CTSCREEN_TEST_PG_URL=$$PG_URL CTSCREEN_REQUIRE_PG=1 \
	  $(BIN)/pytest -n 2 -q && \
	CTSCREEN_DATA=$(CTSCREEN_DATA) CTSCREEN_TEST_PG_URL=$$PG_URL CTSCREEN_REQUIRE_PG=1 \
	  CTSCREEN_EXPECT_COMPILED=1 PYTHONPATH=$(COMPILED) $(BIN)/pytest -n 2 -q -p no:cacheprovider
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

# The wheel `pip install .` builds, its matching core compiled, unpacked where PYTHONPATH=$(COMPILED) finds it
# ahead of the editable sources. Fails if the core does not compile (a type error mypy reports, no compiler).
COMPILED := build/compiled
compiled: setup
	rm -rf build/wheel $(COMPILED)
	CTSCREEN_REQUIRE_COMPILED=1 $(BIN)/pip wheel -q --no-deps -w build/wheel .
	$(BIN)/python -m zipfile -e build/wheel/ctscreen-*.whl $(COMPILED)

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
