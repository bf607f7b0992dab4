# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test lint bench fuzz demo migrate messages clean help

help:
	@echo "make run    - install, migrate, load the demo, start web (127.0.0.1:$(PORT)) and a Celery worker"
	@echo "make test   - install and run the whole test suite (pytest)"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - run the benchmarks in bench/"
	@echo "make fuzz   - fuzz the extractor and the ingest form (10,000 examples each)"
	@echo "make messages - refresh and compile the Hindi interface catalogue (locale/hi)"
	@echo "make clean  - remove the venv and local state (var/: database, broker, demo passwords)"

# The venv is rebuilt when the requirement files change (the stamp records the last install).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Starting web on http://127.0.0.1:$(PORT)/ and a Celery worker; Ctrl-C stops both."
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho -f Procfile start

test: $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Property-based fuzzing of the extractor and the ingest form with 10,000 examples each
# (`make test` runs the same properties with a few hundred).
fuzz: $(VENV)/.installed
	FUZZ_EXAMPLES=10000 $(PY) -m pytest tests/fuzz -q

bench: $(VENV)/.installed
	@for f in bench/[!_]*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

# Refresh the Hindi catalogue after changing translatable strings; translate the new entries in
# locale/hi/LC_MESSAGES/django.po, then compile (the .mo is committed; a test checks it is current).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l hi --no-location --ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests --ignore=bench --ignore='verify/extraction/*'
	msgfmt --check -o locale/hi/LC_MESSAGES/django.mo locale/hi/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) var staticfiles
