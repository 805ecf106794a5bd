#!/usr/bin/env bash
# The full set of screenshots (every page of every demo role on a desktop and a phone, and each browser test's
# pictures) into test-output/screenshots/, for looking at. `make test` takes pictures only of a failed test's pages.
#   scripts/screenshots.sh                      all browser tests
#   scripts/screenshots.sh tests/browser/test_daily.py
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output
export LUOSHI_DATA_DIR="$PWD/var/test"
export LUOSHI_TEST_OUTPUT="$PWD/test-output"
export LUOSHI_SCREENSHOTS=1
unset DATABASE_URL
if [ "$#" = 0 ]; then set -- tests/browser; fi
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
echo "截图：$LUOSHI_TEST_OUTPUT/screenshots/"
