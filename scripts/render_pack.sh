#!/usr/bin/env bash
# Render the demo's 2020 Q1 meeting pack (济阳区, 2020-03) to PNG pages, to check by eye that Chinese shows in the
# text and the charts: .docx (luoshi briefings pack) → PDF (LibreOffice headless) → PNG (pdftoppm).
# Usage: scripts/render_pack.sh [OUT_DIR]   (default test-output/pack). Installs LibreOffice Writer, poppler-utils
# and fonts-noto-cjk via apt when missing. Uses the demo database of LUOSHI_DATA_DIR (built when empty).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT="${1:-test-output/pack}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || {
    as_root apt-get update -qq >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}
command -v soffice >/dev/null 2>&1 || { echo "== 安装 LibreOffice Writer"; apt_install libreoffice-writer-nogui; }
command -v pdftoppm >/dev/null 2>&1 || { echo "== 安装 poppler-utils"; apt_install poppler-utils; }
[ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ] || apt_install fonts-noto-cjk

mkdir -p "$OUT"
$BIN/luoshi migrate --noinput -v0
$BIN/luoshi demo --if-empty --as-of 2020-05-12 >/dev/null  # the 2020 demo: the 2020-03 pack
$BIN/luoshi briefings pack --region 370115 --period 2020-03 --out "$OUT/pack.docx"
# LibreOffice keeps its profile in HOME: a throwaway one, so a running instance or a read-only HOME does not interfere.
PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT
soffice -env:UserInstallation=file://"$PROFILE" --headless --convert-to pdf --outdir "$OUT" "$OUT/pack.docx" >/dev/null
rm -f "$OUT"/page-*.png
pdftoppm -r 60 -png "$OUT/pack.pdf" "$OUT/page"
ls "$OUT"/page-*.png
