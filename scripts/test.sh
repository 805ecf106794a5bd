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
if ! command -v soffice >/dev/null 2>&1; then
  echo "== 安装 LibreOffice Writer（会议材料 .docx 能否打开的测试需要）"
  apt_install libreoffice-writer-nogui || echo "   未能安装 LibreOffice：该测试将跳过"
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "== 安装 Debian nginx（多服务器部署测试 tests/deploy 需要）"
  apt_install nginx
fi

mkdir -p test-output
export LUOSHI_DATA_DIR="$PWD/var/test"
export LUOSHI_TEST_OUTPUT="$PWD/test-output"
unset DATABASE_URL

# Every test runs on SQLite; those marked both_databases (they depend on the database itself: raw SQL, locking,
# transactions, the demo build, replica, deploy) run again on PostgreSQL. Tests are spread over the machine's cores
# (pytest-xdist); LUOSHI_TEST_WORKERS=1 runs them in one process.
WORKERS="${LUOSHI_TEST_WORKERS:-$(nproc)}"
PARALLEL=()
if [ "$WORKERS" -gt 1 ]; then PARALLEL=(-n "$WORKERS"); fi
START=$(date +%s)

echo "== 测试：SQLite（全部测试）"
$BIN/python -m pytest -q "${PARALLEL[@]}" "$@"
SQLITE_DONE=$(date +%s)

echo "== 测试：PostgreSQL（标记 both_databases 的测试）"
set +e
scripts/with-postgres.sh $BIN/python -m pytest -q "${PARALLEL[@]}" -m both_databases "$@"
STATUS=$?
set -e
if [ "$STATUS" = 5 ]; then STATUS=0; fi  # the arguments named no test marked both_databases
END=$(date +%s)
echo "== 用时：SQLite $((SQLITE_DONE - START)) 秒，PostgreSQL $((END - SQLITE_DONE)) 秒，共 $((END - START)) 秒"
exit "$STATUS"
