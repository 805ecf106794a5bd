# 落实 luoshi — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml | md5sum | cut -c1-8)
STAMP := $(VENV)/.installed-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test serve clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# make run installs what running needs; make test adds what the tests need (Playwright, schemathesis, moto…).
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

run: install
	LUOSHI_HTTPS=0 $(BIN)/luoshi migrate --noinput
	LUOSHI_HTTPS=0 $(BIN)/luoshi collectstatic --noinput --verbosity 0
	LUOSHI_HTTPS=0 $(BIN)/luoshi demo --if-empty --no-accounts
	@echo ""
	@echo "落实已启动：http://$(HOST):$(PORT)/"
	@LUOSHI_HTTPS=0 $(BIN)/luoshi accounts
	@echo ""
	@echo "定时任务（发送消息、日报提醒、每日巡查）随服务一起运行；按 Ctrl-C 同时停止。"
	LUOSHI_HTTPS=0 HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) scripts/run.sh

test: install-test
	bash scripts/test.sh

clean:
	rm -rf $(VENV) var test-output
