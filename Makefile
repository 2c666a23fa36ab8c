# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HTMX := static/vendor/htmx.min.js
FORGE := static/vendor/forge.min.js

.PHONY: install run test bench clean

install: $(VENV)/.installed $(HTMX) $(FORGE)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(HTMX): node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

# node-forge: key request and PKCS#12 in the browser, only on "Baixar meu certificado".
$(FORGE): node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/node-forge/dist/forge.min.js $@

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@

instance/ac_chave_senha:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(32))" > $@
	chmod 600 $@

# The secrets make run generated, unless the environment sets them.
SEGREDOS = SECRET_KEY=$${SECRET_KEY:-$$(cat instance/secret_key)} \
	AC_CHAVE_SENHA=$${AC_CHAVE_SENHA:-$$(cat instance/ac_chave_senha)}

run: install instance/secret_key instance/ac_chave_senha
	$(SEGREDOS) $(FLASK) init-db
	$(SEGREDOS) $(FLASK) demo-data
	$(SEGREDOS) $(FLASK) ac criar
	$(SEGREDOS) $(FLASK) run --host 127.0.0.1 --port $${FLASK_RUN_PORT:-5000}

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache

bench: install
	$(BIN)/python bench/run.py
