# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make book   -> set up .venv from the lock file, validate data, execute chapters, build HTML
#   make test   -> same set-up, then the test suite (unit, pipeline, built book, browser)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: book test setup validate bench clean distclean

book: $(STAMP)
	$(BIN)/report build

test: $(STAMP)
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/report validate

bench: $(STAMP)
	$(BIN)/report bench

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

clean:
	rm -rf _build/html _build/work _build/cache

distclean: clean
	rm -rf _build $(VENV)
