# The checks a contributor runs; .ci/run runs the same test command after a fresh install.
.PHONY: check lint typecheck test docs bench

check: lint typecheck test

lint:
	ruff check src tests benchmarks
	ruff format --check src tests benchmarks

typecheck:
	mypy

test:
	python -m pytest -q

docs:
	python -m legpress_diag.authoring.docgen

bench:
	python benchmarks/run.py
