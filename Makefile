# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   install into .venv, build what is needed, start the app (no LLM, no server)
#   make test  install and run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: install system-deps run lint test test-fast eval bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

install: $(STAMP)

# The app answers at once: the index of corpus/ is built (or brought up to date) by the first page
# that needs it, with its progress shown; a filing that cannot be read is listed, not fatal.
run: install
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

# Debian packages the tests use: a headless Chromium (end-to-end test), a CJK font (readable
# screenshots) and PostgreSQL (the shared-database path). Installed when missing and root.
SYSTEM_PACKAGES := chromium fonts-wqy-microhei postgresql
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -d /usr/share/fonts/truetype/wqy ] || missing="$$missing fonts-wqy-microhei"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "缺少系统软件包:$$missing（sudo apt-get install$$missing）；相关测试将跳过"; fi; \
	fi

# ruff (lint and format) and mypy, as configured in pyproject.toml.
lint: install
	$(BIN)/ruff check assistant tests bench app.py
	$(BIN)/ruff format --check assistant tests bench app.py
	$(BIN)/mypy

# pytest exits 5 when it collects nothing; that is not a failure of the suite.
test: install system-deps lint
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

# The quick loop: everything but the slow tests (browser, servers, processes, full evaluations).
test-fast: install
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider -m "not slow"; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

# Every evaluation on the dev and test splits (seed figures apart), as docs/eval.md.
eval: install
	$(BIN)/assistant eval --format markdown --commit "$$(git rev-parse --short HEAD 2>/dev/null)" --out docs/eval.md
	@cat docs/eval.md

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/review.py
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/draft.py
	$(BIN)/python bench/limits.py
	$(BIN)/python bench/app.py

clean:
	rm -rf $(VENV) data .pytest_cache
