# 落实 luoshi — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-8)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install serve clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

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

test: install
	bash scripts/test.sh

clean:
	rm -rf $(VENV) var test-output
