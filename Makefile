# The checks a contributor runs; .ci/run runs the same test command after a fresh install.
.PHONY: check check-latest lint typecheck test test-e2e layers docs bench mutation

check: lint typecheck test test-e2e layers

lint:
	ruff check src tests benchmarks
	ruff format --check src tests benchmarks

typecheck:
	mypy

# The fast run: everything but the tests marked browser, load or schemathesis.
test:
	python -m pytest -q

# The slow end-to-end part (the e2e extra; the browser tests need chromium).
test-e2e:
	python -m pytest -q -m "browser or load or schemathesis"

# The import contracts in pyproject.toml: the layers of the pipeline, a pure core.
layers:
	lint-imports

# The tests against the newest versions pyproject.toml allows (CI uses constraints.txt).
check-latest:
	bash .ci/latest

docs:
	python -m legpress_diag.authoring.docgen

bench:
	python benchmarks/run.py

# Mutation testing (pip install -e '.[mutation]'): about 15 minutes on two cores.
mutation:
	rm -rf mutants
	mutmut run --max-children 2
	python tools/mutation_score.py > docs/mutation.md
	@cat docs/mutation.md | sed -n '/| module/,/^$$/p'
