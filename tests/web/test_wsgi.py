"""The WSGI entry point gunicorn loads: the URLconf and the API are loaded as a worker starts, not by its first request."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_wsgi_application_loads_every_page_and_the_api():
    code = "import sys, luoshi.wsgi; print('luoshi.api' in sys.modules, 'luoshi.daily.views' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "luoshi.settings"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True"]
