"""Two dispatchers at once deliver each message exactly once (counted at the fake robot server). On PostgreSQL they
claim with FOR UPDATE SKIP LOCKED side by side; on SQLite they take turns (BEGIN IMMEDIATE). Both run here."""

import threading
from collections import Counter

import pytest
from django.db import connection

from luoshi.notify import services
from luoshi.notify.models import Message

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db(transaction=True)]


def test_two_dispatchers_at_once_send_each_message_exactly_once(cast, fake_robots):
    fake = fake_robots("wecom")
    robots = [services.add_robot(None, kind="wecom", url=fake.url, unit=cast.units.shangwu) for _ in range(40)]
    for i, robot in enumerate(robots):
        services.queue_robot(robot, f"消息{i:02d}")
    for i in range(200):
        services.queue_message(cast.wu_cunju, f"站内{i}")
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        from django.db import connection as own

        try:
            start.wait()
            for _ in range(3):
                results.append(services.dispatch(limit=50))
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    subjects = Counter(text.split("**")[1] for text in fake.texts())
    assert sorted(subjects) == [f"消息{i:02d}" for i in range(40)] and set(subjects.values()) == {1}, connection.vendor
    assert fake.calls == 40
    assert sum(r.sent for r in results) == 240
    assert Message.objects.exclude(status=Message.Status.SENT).count() == 0
