#!/usr/bin/env bash
# The whole suite, browser tests included, on SQLite and then on a throwaway PostgreSQL server.
# Arguments go to pytest: scripts/test.sh tests/orgs -x
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || {
    as_root apt-get update -qq >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}
if ! command -v chromium >/dev/null 2>&1; then
  echo "== 安装 Debian chromium（浏览器测试需要）"
  apt_install chromium fonts-noto-cjk
fi
if [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then apt_install fonts-noto-cjk || true; fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "== 安装 Debian nginx（多服务器部署测试 tests/deploy 需要）"
  apt_install nginx
fi

mkdir -p test-output
export LUOSHI_DATA_DIR="$PWD/var/test"
export LUOSHI_TEST_OUTPUT="$PWD/test-output"
unset DATABASE_URL

echo "== 测试：SQLite"
$BIN/python -m pytest -q "$@"

echo "== 测试：PostgreSQL"
scripts/with-postgres.sh $BIN/python -m pytest -q "$@"
