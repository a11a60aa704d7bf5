# Everything a fresh clone needs: `make demo` and `make test` create the virtual environment themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test stress bench bench-quick clean venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench,dask,fast]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m corpus.demo

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/python -m pytest -q -m stress || [ $$? -eq 5 ]

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.bench_distributed

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.run --quick
	$(BIN)/python -m benchmarks.bench_distributed --docs 50000 --query-docs 10000 --queries 100 \
		--out build/bench-quick/distributed.json

clean:
	rm -rf $(VENV) index/* build *.egg-info
