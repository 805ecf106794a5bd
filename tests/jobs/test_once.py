"""Each scheduled run happens once: the scheduler's table follows the settings, two schedulers at once on PostgreSQL
queue a due job once, and a run claimed for (job, scheduled time) is not run again by a second delivery."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ, Schedule
from django_q.scheduler import scheduler

from luoshi.jobs import runner, sync
from luoshi.jobs.models import JobRun
from luoshi.notify.models import Message
from luoshi.notify.services import queue_message

pytestmark = pytest.mark.both_databases

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def at(hour, minute, day=1):
    return datetime(2026, 12, day, hour, minute, 20, tzinfo=SHANGHAI)


def rows():
    return {s.name: s for s in Schedule.objects.filter(name__startswith="luoshi:")}


def test_the_schedule_table_follows_the_settings_and_a_restart_keeps_the_next_run(db, settings):
    sync.sync(now=at(10, 7))
    first = rows()
    assert set(first) == {"luoshi:dispatch", "luoshi:daily_remind", "luoshi:supervision_sweep", "luoshi:briefings_remind",
                          "luoshi:inputs_remind", "luoshi:judge"}
    assert first["luoshi:judge"].next_run == at(0, 5, day=2).replace(second=0)  # just after midnight
    assert first["luoshi:inputs_remind"].next_run == at(8, 30, day=2).replace(second=0)
    assert first["luoshi:dispatch"].next_run == at(10, 7).replace(second=0)  # at once: the current minute
    assert first["luoshi:daily_remind"].next_run == at(10, 5).replace(second=0)  # every 5 minutes from midnight
    assert first["luoshi:supervision_sweep"].next_run == at(7, 30, day=2).replace(second=0)  # next 07:30
    assert first["luoshi:supervision_sweep"].schedule_type == Schedule.DAILY
    assert first["luoshi:dispatch"].intended_date_kwarg == "scheduled_for"

    Schedule.objects.filter(pk=first["luoshi:dispatch"].pk).update(next_run=at(10, 9).replace(second=0))
    sync.sync(now=at(10, 12))  # a restart: nothing changed, the next run stays
    assert rows()["luoshi:dispatch"].next_run == at(10, 9).replace(second=0)
    assert Schedule.objects.filter(name__startswith="luoshi:").count() == 6

    settings.LUOSHI_JOB_SWEEP_AT = "18:05"
    settings.LUOSHI_JOB_DAILY_REMIND_EVERY = "off"
    sync.sync(now=at(10, 12))
    after = rows()
    assert set(after) == {"luoshi:dispatch", "luoshi:supervision_sweep", "luoshi:briefings_remind", "luoshi:inputs_remind",
                          "luoshi:judge"}
    assert after["luoshi:supervision_sweep"].next_run == at(18, 5).replace(second=0)


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_on_postgresql_queue_each_due_job_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite 不支持 SELECT … FOR UPDATE：一个 SQLite 数据库只配一个 worker（make run）；"
                    "多台服务器和 worker 共用的是 PostgreSQL")
    sync.sync()
    for round_ in range(5):
        OrmQ.objects.all().delete()
        Schedule.objects.filter(name__startswith="luoshi:").update(next_run=timezone.now() - timedelta(minutes=1))
        barrier = threading.Barrier(2)

        def one_scheduler():
            barrier.wait()
            scheduler(broker=get_broker())
            connection.close()

        threads = [threading.Thread(target=one_scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        queued = [task.task["args"][0] for task in OrmQ.objects.all()]
        assert sorted(queued) == ["briefings_remind", "daily_remind", "dispatch", "inputs_remind", "judge",
                                  "supervision_sweep"], \
            f"round {round_}: {queued}"
        assert not Schedule.objects.filter(name__startswith="luoshi:", next_run__lte=timezone.now()).exists()


@pytest.mark.django_db(transaction=True)
def test_a_run_is_claimed_once_for_its_scheduled_time_however_many_deliveries(cast):
    queue_message(cast.wu_cunju, "请报送今天的日报")
    when = timezone.now().replace(second=0, microsecond=0)
    outcomes = []
    barrier = threading.Barrier(2)

    def deliver():
        barrier.wait()
        outcomes.append(runner.run("dispatch", when.isoformat()))
        connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes, key=str)[0] is None and sum(o is not None for o in outcomes) == 1
    assert runner.run("dispatch", when.isoformat()) is None  # redelivered later: still the same run
    run = JobRun.objects.get(job="dispatch")
    assert run.ok and run.finished_at and run.scheduled_for == when and "已发送 1 条" in run.outcome
    assert Message.objects.get().status == Message.Status.SENT
    assert runner.run("dispatch", (when + timedelta(minutes=1)).isoformat()) is not None  # the next minute runs


def test_a_claim_left_unfinished_by_a_dead_worker_is_taken_over_after_an_hour(db):
    when = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=3)
    JobRun.objects.create(job="dispatch", scheduled_for=when, started_at=timezone.now() - timedelta(minutes=20))
    assert runner.run("dispatch", when) is None  # still possibly running
    JobRun.objects.filter(job="dispatch").update(started_at=timezone.now() - timedelta(hours=2))
    assert runner.run("dispatch", when) is not None
    assert JobRun.objects.get(job="dispatch").ok is True
