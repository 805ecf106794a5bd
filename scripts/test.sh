#!/usr/bin/env bash
# The whole suite, browser tests included, on SQLite and then on a throwaway PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || {
    as_root apt-get update -qq >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; }
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "== 安装 Debian chromium（浏览器测试需要）"
  apt_install chromium fonts-noto-cjk
fi
if [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then apt_install fonts-noto-cjk || true; fi

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}
if [ -z "$(pg_bindir)" ] || [ ! -x "$(pg_bindir)/initdb" ]; then
  echo "== 安装 PostgreSQL 服务器"
  apt_install postgresql
fi
PGBIN="$(pg_bindir)"

PGTMP="$(mktemp -d /tmp/luoshi-pg.XXXXXX)"
PGPORT="$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PGTMP"
  RUNAS=(runuser -u postgres --)
fi
stop_pg() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PGTMP"; }
trap stop_pg EXIT

echo "== 启动临时 PostgreSQL（$PGBIN，端口 $PGPORT）"
"${RUNAS[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U luoshi --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null

mkdir -p test-output
export LUOSHI_DATA_DIR="$PWD/var/test"
export LUOSHI_TEST_OUTPUT="$PWD/test-output"
unset DATABASE_URL

echo "== 测试：SQLite"
$BIN/python -m pytest -q "$@"

echo "== 测试：PostgreSQL"
DATABASE_URL="postgres://luoshi@127.0.0.1:$PGPORT/luoshi" $BIN/python -m pytest -q "$@"
