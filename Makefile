# The two commands of the README: `make run` (the main job: build the website into site/)
# and `make test` (the whole suite). Both set everything up themselves on a fresh clone.
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: run test lint system bench serve examples dist clean

run: $(READY)
	$(BIN)/symmle build --site-dir site

test: $(READY) system lint
	$(BIN)/pytest

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

examples: $(READY)
	$(BIN)/symmle examples

serve: $(READY)
	$(BIN)/symmle serve

bench: $(READY)
	$(BIN)/python benchmarks/bench_mle.py
	$(BIN)/python benchmarks/bench_site.py
	$(BIN)/python benchmarks/bench_losses.py
	$(BIN)/python benchmarks/bench_fit.py
	$(BIN)/python benchmarks/bench_passes.py
	$(BIN)/python benchmarks/bench_inference.py
	$(BIN)/python benchmarks/bench_formula.py
	$(BIN)/python benchmarks/bench_em.py
	$(BIN)/python benchmarks/bench_vector.py
	$(BIN)/python benchmarks/bench_censored_reader.py
	$(BIN)/python -m pip install --quiet fitter  # compare's side-by-side reference
	$(BIN)/python benchmarks/bench_compare.py

# The wheel users install (KaTeX copied in from node_modules by hatch_build.py).
dist: $(READY)
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation -w dist .

# Python packages from PyPI, KaTeX from the npm registry (both pinned by their lock/ranges).
$(READY): pyproject.toml package.json package-lock.json
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,docs,dask,torch,jax]"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The browser test drives Debian's Chromium (never `playwright install`); the LaTeX test
# compiles with Debian's pdflatex (texlive-latex-base, with amsmath and amssymb).
system:
	@command -v chromium >/dev/null && command -v pdflatex >/dev/null || { \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends \
		chromium texlive-latex-base >/dev/null; }

clean:
	rm -rf $(VENV) node_modules site dist .pytest_cache .mypy_cache .ruff_cache
