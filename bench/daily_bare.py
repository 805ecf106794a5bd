"""The bare baseline for bench/daily.py: luoshi's settings and middleware, one view that upserts one row.

Used as both the settings module and the URLconf of the second gunicorn (DJANGO_SETTINGS_MODULE=bench.daily_bare).
"""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from luoshi.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.daily_bare"
TABLE = "bench_bare_report"
CREATE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (village varchar(12) NOT NULL, day date NOT NULL, key varchar(64) NOT NULL, "
          f"payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (village, day))")


@csrf_exempt
def upsert(request):
    data = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (village, day, key, payload) VALUES (%s, %s, %s, %s) "
                       "ON CONFLICT (village, day) DO UPDATE SET payload = EXCLUDED.payload, key = EXCLUDED.key, at = now()",
                       [data["village"], data["date"], data["idempotency_key"], json.dumps(data["values"])])
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bare/reports", upsert)]
