from collections import Counter

import pytest

from luoshi.orgs import demo as orgs_demo
from luoshi.work import demo, queries
from luoshi.work.access import reporting_task_ids
from luoshi.work.models import Campaign, Milestone, ProgressReport, Task

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db, pytest.mark.usefixtures("empty_database")]


@pytest.fixture
def ctx(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ctx = orgs_demo.build({"as_of": demo.DEMO_AS_OF})  # the 2020 demo (`luoshi demo --as-of 2020-05-12`)
    demo.build(ctx)
    return ctx


def test_demo_plan_has_eight_campaigns_about_60_tasks_and_250_milestones(ctx):
    assert Campaign.objects.count() == 8
    assert Campaign.objects.filter(name__startswith="双招双引").exists() and Campaign.objects.filter(name__startswith="合村并点").exists()
    assert 55 <= Task.objects.count() <= 65
    assert 220 <= Milestone.objects.count() <= 280
    towns = set(Task.objects.filter(task_units__unit__kind="township").values_list("task_units__unit__code", flat=True))
    assert len(towns) >= 5  # towns take part, not only departments


def test_demo_progress_leaves_some_tasks_red_and_most_green(ctx):
    board = queries.board(demo.DEMO_AS_OF)
    lights = Counter(t["light"] for t in board.tasks)
    assert lights["red"] >= 5 and lights["green"] > lights["red"] and lights["yellow"] >= 1
    statuses = Counter(m["status"] for m in board.milestones)
    assert statuses["done"] > 0 and statuses["seriously_overdue"] > 0 and statuses["in_progress"] > 0
    # done_on of every milestone comes from a report, as the services would have it.
    assert not Milestone.objects.filter(done_on__isnull=False, completions__isnull=True).exists()
    assert ProgressReport.objects.filter(series__isnull=True).count() == 0


def test_demo_accounts_shangwu_and_jiedao_have_tasks_to_report_on(ctx):
    for username in ("shangwu", "jiedao"):
        assert reporting_task_ids(ctx["users"][username]).exists(), username


def test_demo_is_idempotent(ctx):
    before = (Task.objects.count(), Milestone.objects.count(), ProgressReport.objects.count())
    demo.build(ctx)
    assert (Task.objects.count(), Milestone.objects.count(), ProgressReport.objects.count()) == before


def test_demo_progress_percentages_never_go_down_from_one_report_to_the_next(ctx):
    by_task = {}
    for task_id, percent in ProgressReport.objects.order_by("task_id", "reported_on").values_list("task_id", "percent"):
        by_task.setdefault(task_id, []).append(percent)
    assert by_task and all(series == sorted(series) for series in by_task.values())
