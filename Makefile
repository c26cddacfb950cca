# GongYou 工友 — `make run` and `make test` are all a new user needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   ?= .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
MODEL  := models/gongyou.tar.gz
# Rasa 3.6 needs Python 3.10: use the one on PATH, else pyenv's.
# (pyenv's shim answers to python3.10 even when no 3.10 is active, so each candidate is tried.)
PYTHON310 ?= $(shell for p in $$(command -v python3.10) $$(ls -d $$HOME/.pyenv/versions/3.10*/bin/python 2>/dev/null); do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo "$$p"; break; }; done)

NLU_SOURCES := config.yml domain.yml $(shell find data -type f -name '*.yml' 2>/dev/null) \
               $(wildcard bot/nlu/*.py) $(wildcard bot/text/*.py) bot/topics.py $(wildcard bot/nlu/dictionary/*)
GAZETTEER_SOURCES := $(wildcard bot/places/*.py) $(wildcard bot/places/data/*) $(wildcard bot/nlu/dictionary/*)

export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: help install install-dev gazetteer train assets browser fonts run run-production nginx lint unit test \
        bench bench-compare bench-load clean

help:
	@echo "make run    set up, train if needed, start GongYou (REST :5005 with the actions in-process, chat/kiosk/API :8000)"
	@echo "make test   set up, train if needed, lint, run every test"
	@echo "make lint   ruff and mypy (settings in pyproject.toml)"
	@echo "make unit   the pure tests only: no model, no servers, no browser, no sudo (seconds)"
	@echo "make bench  print NLU accuracy and latency, the share of held-out questions answered right, and held-out"
	@echo "            conversations run through GongYou: goals reached, traps, wrong fields (bench-compare: against DIET)"
	@echo "make run-production  PostgreSQL, Redis, RabbitMQ; 2 Rasa replicas behind nginx on :8080"
	@echo "make bench-load      load benchmark: GongYou against a stock rasa init assistant"

$(VENV)/.installed: requirements.txt constraints.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found (python3.10 or pyenv 3.10.x)"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<24"
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed

# What only tests, lint and benchmarks need (pytest, Playwright, ruff, mypy): `make run` does without.
$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt constraints.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

install-dev: $(VENV)/.dev-installed

build/.gazetteer: $(VENV)/.installed $(GAZETTEER_SOURCES)
	$(PY) -m bot.places.build --out build
	touch $@

gazetteer: build/.gazetteer

# Trains only when the data, the config or our NLU code changed since the last model.
$(MODEL): build/.gazetteer $(NLU_SOURCES)
	$(RASA) train --fixed-model-name gongyou --out models --quiet

train: $(MODEL)

# The pages' libraries come from the npm registry at build time and are served by GongYou
# itself: kiosks and many workers' networks cannot reach a CDN.
ASSETS_DIR := bot/web/assets
VENDOR     := build/static/vendor
$(VENDOR)/.done: $(ASSETS_DIR)/package.json $(ASSETS_DIR)/package-lock.json
	cd $(ASSETS_DIR) && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp $(ASSETS_DIR)/node_modules/socket.io-client/dist/socket.io.min.js $(VENDOR)/
	cp $(ASSETS_DIR)/node_modules/chart.js/dist/chart.umd.js $(VENDOR)/
	touch $@

assets: $(VENDOR)/.done

# Browser tests drive Debian's Chromium through Playwright (no browser download), with a
# Chinese font so screenshots show what a worker sees.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if ! test -x /usr/bin/chromium || test -z "$$(fc-list :lang=zh 2>/dev/null)"; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
			chromium chromium-driver fonts-wqy-zenhei poppler-utils; fi
	@command -v pdftoppm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils; }

# Documents (bot/documents) embed a Chinese font: Debian's WenQuanYi Zen Hei.
fonts:
	@test -n "$$(fc-list :lang=zh 2>/dev/null)" || { \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-wqy-zenhei; }

run: $(MODEL) assets fonts
	$(PY) -m bot.runtime.launcher --model $(MODEL)

# The production entry point (bot/runtime/nginx.py writes its own config; the system one is untouched).
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
		echo "installing nginx-light (Debian)"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nginx-light; }

# GONGYOU_RASA_REPLICAS, GONGYOU_ACTION_SERVERS, GONGYOU_WEB_PROCESSES, GONGYOU_ENTRY_PORT and the
# store addresses of endpoints.production.yml (bot/runtime/stores.py) come from the environment.
run-production: $(MODEL) assets nginx
	$(PY) -m bot.runtime.production --model $(MODEL)

# Lint, import order, format and types: `make test` runs this first.
lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# Test lanes (markers in pytest.ini): unit needs only the venv and the offline gazetteer build.
unit: $(VENV)/.dev-installed build/.gazetteer
	$(PY) -m pytest -q -m unit tests

# lint first: it takes seconds, training and the browser install take minutes.
test: lint $(MODEL) assets browser nginx
	$(PY) -m pytest -q tests

bench: $(MODEL)
	$(PY) bench/nlu.py --model $(MODEL)
	$(PY) bench/answers.py --model $(MODEL)
	$(PY) bench/conversations.py --show-failures

# DIET (bench/configs/diet.yml) against the linear pipeline of config.yml, same held-out set.
bench-compare: $(MODEL)
	$(RASA) train --config bench/configs/diet.yml --fixed-model-name diet --out models/bench --quiet
	$(PY) bench/nlu.py --model $(MODEL) --model models/bench/diet.tar.gz

# LOAD_ARGS e.g. "--users 50 --duration 60"; the stock assistant is trained once into build/stock-rasa.
bench-load: $(VENV)/.dev-installed $(MODEL)
	$(PY) bench/load.py $(LOAD_ARGS)

clean:
	rm -rf build models .pytest_cache .mypy_cache .ruff_cache $(ASSETS_DIR)/node_modules
