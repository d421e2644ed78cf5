# Two commands for a fresh machine with Python >= 3.10 and make:
#   make lab    install into .venv on first use, open JupyterLab on notebooks/ (English; zh/: Chinese)
#   make test   install into .venv on first use (the course and the tests' extras), run the whole suite
#   make site   the course as a static website in site/ (both editions); open site/index.html
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test

.PHONY: lab test test-slow app notebooks lint bench install install-site install-test site

# The course: requirements.txt (make lab, make app and the rest).
install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# The course and the website's tools (Sphinx, its book theme, MyST-NB, MathJax, jieba):
# requirements-site.txt, for make site.
install-site: $(SITE_STAMP)

$(SITE_STAMP): $(STAMP) requirements-site.txt
	$(BIN)/python -m pip install --quiet -r requirements-site.txt
	touch $(SITE_STAMP)

# The above and what only the tests need (playwright): requirements-test.txt, for make test.
install-test: $(TEST_STAMP)

$(TEST_STAMP): $(SITE_STAMP) requirements-test.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $(TEST_STAMP)

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(ROOT_FLAG) $(LAB_ARGS)

# The browser test needs Debian's Chromium (never `playwright install`) and PyPI's playwright, which
# requirements-test.txt brings; without Chromium it is skipped, loudly.
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"
	@if command -v chromium >/dev/null 2>&1 && $(BIN)/python -c "import playwright" 2>/dev/null; then \
		echo "make test: browser test (every notebook of both editions in JupyterLab, a chapter of each in Voila, the website; in Chromium)"; \
		$(BIN)/python -m pytest -m browser tests/test_browser.py tests/test_site.py; \
	else \
		echo "make test: SKIPPED the browser test: it needs chromium and playwright. Enable it with"; \
		echo "    apt-get install -y chromium && $(BIN)/python -m pip install -r requirements-test.txt"; \
	fi

# The tests marked slow: the book's own training loop to 97 % (about 10 s)
test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow tests/

# The course as an app: code hidden, sliders live, at http://localhost:8866 (both editions; zh/: Chinese)
app: $(STAMP)
	$(BIN)/voila notebooks/ $(APP_ARGS)

# Re-execute every notebook in place (after any change to bplib that a notebook shows or uses).
notebooks: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py

# The course as a static website in site/: both editions, built by Sphinx from the stored notebooks
# (nothing is re-run), readable with no Python and no network. Open site/index.html, or publish
# site/ as it is. Sphinx keeps what it parsed in build/website/, so a second build is faster.
site: $(SITE_STAMP)
	$(BIN)/python website/build.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/sliders.py
