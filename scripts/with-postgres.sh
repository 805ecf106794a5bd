#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: started from the machine's PostgreSQL in a temporary
# folder on a free port (installed through apt when missing), DATABASE_URL exported, stopped afterwards.
#   scripts/with-postgres.sh .venv/bin/python -m pytest tests/orgs
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}
if [ -z "$(pg_bindir)" ] || [ ! -x "$(pg_bindir)/initdb" ]; then
  echo "== 安装 PostgreSQL 服务器" >&2
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN="$(pg_bindir)"
PGTMP="$(mktemp -d /tmp/luoshi-pg.XXXXXX)"
PGPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PGTMP"
  RUNAS=(runuser -u postgres --)
fi
stop_pg() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PGTMP"; }
trap stop_pg EXIT

echo "== 临时 PostgreSQL：$PGBIN，127.0.0.1:$PGPORT" >&2
"${RUNAS[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U luoshi --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" \
  start >/dev/null
export DATABASE_URL="postgres://luoshi@127.0.0.1:$PGPORT/luoshi"
# With a shared database luoshi needs its secret key from the environment (settings.py); a throwaway one here.
export LUOSHI_SECRET_KEY="${LUOSHI_SECRET_KEY:-throwaway-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')}"
"${RUNAS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U luoshi luoshi
"$@"
