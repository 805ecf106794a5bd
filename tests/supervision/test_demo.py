"""The demo district's 督查督办 (luoshi/supervision/demo.py), built once for the module with `luoshi demo`: notices in
every state through the real services and the daily sweep, re-baseline requests decided by the demo accounts, the
league table with both ends, dated in spring 2020 up to the demo's day, and a second run that changes nothing."""

import io
import json
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.notify.models import Message
from luoshi.supervision.models import Notice, NoticeCounter, NoticeSource, NoticeState, NoticeStep, StepKind
from luoshi.work.demo import CAMPAIGNS, DEMO_AS_OF
from luoshi.work.models import Campaign, Milestone, Rebaseline, RebaselineStatus, Task
from tests.conftest import committed_data

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MILESTONE_KEYS = ["milestones_due", "done", "done_late", "overdue", "seriously_overdue"]


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """`luoshi demo` once for the module (it takes seconds) in an emptied database; the cast is back afterwards."""
    def build():
        with override_settings(PASSWORD_HASHERS=FAST_HASHER):
            call_command("demo", "--as-of", "2020-05-12", stdout=io.StringIO())

    with committed_data(django_db_blocker, build):
        yield


def user(username):
    return get_user_model().objects.get(username=username)


def local_day(at):
    return timezone.localtime(at).date()


def json_of(*args):
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_command_runs_the_supervision_demo_after_the_plan_it_works_on():
    from luoshi.web.management.commands.demo import demo_builders

    names = [name for name, _ in demo_builders()]
    assert "luoshi.supervision" in names
    assert names.index("luoshi.work") < names.index("luoshi.supervision")


def test_the_demo_has_notices_in_every_state_numbered_without_gaps_in_the_order_they_were_opened():
    notices = list(Notice.objects.order_by("serial"))
    assert {n.state for n in notices} == {NoticeState.PENDING, NoticeState.REPLIED, NoticeState.RETURNED,
                                          NoticeState.CLOSED}
    assert [n.serial for n in notices] == list(range(1, len(notices) + 1))
    assert {n.year for n in notices} == {2020}
    assert NoticeCounter.objects.get(year=2020).last == len(notices)
    assert notices[0].number == "督办〔2020〕1号"
    opened = sorted(notices, key=lambda n: (n.opened_on, n.steps.get(kind=StepKind.OPENED).at))
    assert opened == notices
    # Every notice is on the demo plan and goes to its task's lead unit, in 济阳区.
    assert all(n.unit_id == n.task.lead_unit_id and n.region.code == "370115" for n in notices)


def test_the_office_opens_notices_by_hand_and_the_sweep_opens_the_rest():
    ducha = user("ducha")
    by_hand = Notice.objects.filter(source=NoticeSource.MANUAL)
    swept = Notice.objects.filter(source=NoticeSource.SWEEP)
    assert by_hand.count() >= 4 and swept.count() >= 3
    assert set(by_hand.values_list("opened_by", flat=True)) == {ducha.pk}
    assert set(swept.values_list("opened_by", flat=True)) == {None}
    # The sweep opened its notices on red tasks: their reason says so.
    assert all("亮红灯" in n.reason for n in swept)


def test_one_notice_not_answered_by_its_reply_due_is_escalated_to_the_leader_once():
    escalated = Notice.objects.filter(escalated_on__isnull=False)
    assert escalated.count() == 1
    notice = escalated.get()
    assert notice.state == NoticeState.PENDING and notice.first_replied_on is None
    assert notice.escalated_on > notice.reply_due
    steps = list(notice.steps.values_list("kind", flat=True))
    assert steps.count(StepKind.ESCALATED) == 1 and StepKind.REPLIED not in steps
    leader = user("leader")
    assert Message.objects.filter(recipient=leader, subject__startswith=f"升级督办：{notice.number}").count() == 1


def test_a_notice_sent_back_is_answered_again_its_steps_in_order_by_the_office_and_the_unit():
    ducha, shangwu = user("ducha"), user("shangwu")
    notice = Notice.objects.get(state=NoticeState.REPLIED, steps__kind=StepKind.RETURNED)
    steps = list(notice.steps.order_by("at", "id"))
    assert [s.kind for s in steps] == [StepKind.OPENED, StepKind.REPLIED, StepKind.RETURNED, StepKind.REPLIED]
    assert [s.by_id for s in steps] == [ducha.pk, shangwu.pk, ducha.pk, shangwu.pk]
    days = [s.on for s in steps]
    assert days == sorted(days) and len(set(days)) == 4
    assert notice.first_replied_on == days[1] and notice.replied_on == days[3]
    assert all(s.text.strip() for s in steps)


def test_the_closed_notice_was_answered_by_the_unit_and_accepted_by_the_office():
    notice = Notice.objects.get(state=NoticeState.CLOSED)
    steps = list(notice.steps.order_by("at", "id"))
    assert [s.kind for s in steps] == [StepKind.OPENED, StepKind.REPLIED, StepKind.ACCEPTED]
    assert steps[1].by == user("shangwu") and steps[2].by == user("ducha")
    assert notice.first_replied_on <= notice.reply_due  # answered in time


def test_notice_steps_messages_and_audit_entries_are_dated_in_spring_2020_up_to_the_demo_day():
    steps = NoticeStep.objects.all()
    assert steps.exists()
    for step in steps:
        assert local_day(step.at) == step.on <= DEMO_AS_OF
        assert step.on >= step.notice.opened_on
    for notice in Notice.objects.all():
        assert date(2020, 4, 1) <= notice.opened_on <= DEMO_AS_OF and local_day(notice.created_at) == notice.opened_on
    entries = AuditEntry.objects.filter(object_type__in=["supervision.Notice", "work.Rebaseline"]).exclude(object_id="demo")
    assert entries.exists()
    assert all(date(2020, 2, 1) <= local_day(e.at) <= DEMO_AS_OF for e in entries)
    messages = Message.objects.exclude(link__startswith="/briefings/")  # the meeting's reminders: briefings/demo.py
    assert messages.exists()
    assert all(m.status == Message.Status.SENT and local_day(m.created_at) == local_day(m.sent_at) <= DEMO_AS_OF
               for m in messages)
    plan = Campaign.objects.filter(name__in=[c[0] for c in CAMPAIGNS])  # not the meeting's campaign (briefings)
    assert {local_day(c.plan_set_at) for c in plan} == {date(2020, 2, 28)}


def test_two_re_baselines_approved_one_refused_one_pending_asked_by_units_and_decided_by_others():
    requests = Rebaseline.objects.select_related("milestone", "task", "unit", "requested_by", "decided_by")
    assert Counter(r.status for r in requests) == {RebaselineStatus.APPROVED: 2, RebaselineStatus.REFUSED: 1,
                                                   RebaselineStatus.PENDING: 1}
    accounts = {u.username: u for u in get_user_model().objects.filter(username__in=["shangwu", "jiedao", "leader", "ducha"])}
    for r in requests:
        assert r.requested_by in (accounts["shangwu"], accounts["jiedao"])
        assert r.unit is not None and r.reason.strip() and len(r.reason) <= 300
        assert date(2020, 4, 1) <= local_day(r.requested_at) <= DEMO_AS_OF
        if r.status == RebaselineStatus.PENDING:
            assert r.decided_by is None and r.decided_at is None
            continue
        assert r.decided_by in (accounts["leader"], accounts["ducha"])
        assert local_day(r.requested_at) < local_day(r.decided_at) <= DEMO_AS_OF
        assert r.decision_note.strip()
    deciders = {r.decided_by.username for r in requests if r.decided_by}
    assert deciders == {"leader", "ducha"}  # both the district leader and the office decide
    for r in requests.filter(status=RebaselineStatus.APPROVED):
        milestone = Milestone.objects.get(pk=r.milestone_id)
        assert (milestone.due, milestone.original_due) == (r.new_due, r.old_due)
    refused = requests.get(status=RebaselineStatus.REFUSED)
    assert refused.task_id is not None  # a task's deadline, kept
    task = Task.objects.get(pk=refused.task_id)
    assert task.deadline == refused.old_due and task.original_deadline in (None, refused.old_due)
    pending = requests.get(status=RebaselineStatus.PENDING)
    assert Milestone.objects.get(pk=pending.milestone_id).due == pending.old_due


def test_a_second_run_of_the_demo_adds_and_changes_nothing():
    def state():
        return {
            "notices": list(Notice.objects.order_by("pk").values_list("pk", "serial", "state", "escalated_on", "replied_on")),
            "steps": NoticeStep.objects.count(), "copied": Notice.copied_units.through.objects.count(),
            "counter": list(NoticeCounter.objects.values_list("year", "last")),
            "rebaselines": list(Rebaseline.objects.order_by("pk").values_list("pk", "status", "new_due", "decided_at")),
            "audit": AuditEntry.objects.count(), "messages": Message.objects.count(),
            "plan_set": list(Campaign.objects.order_by("pk").values_list("plan_set_at", flat=True)),
            "dates": list(Milestone.objects.order_by("pk").values_list("due", flat=True)),
        }

    before = state()
    assert before["notices"] and before["rebaselines"] and before["steps"]
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("demo", "--as-of", "2020-05-12", stdout=io.StringIO())
    assert state() == before


@pytest.mark.parametrize("period", ["2020-04", "2020-05"])
def test_the_league_table_shows_both_ends(period):
    rows = json_of("supervision", "league", "--period", period)
    top = [r["unit"] for r in rows if r["band"] == "top"]
    bottom = [r["unit"] for r in rows if r["band"] == "bottom"]
    assert top and bottom and not set(top) & set(bottom)
    assert max(r["score"] for r in rows if r["band"] == "bottom") < min(r["score"] for r in rows if r["band"] == "top")
    text = io.StringIO()
    call_command("supervision", "league", "--period", period, stdout=text)
    assert "先进" in text.getvalue() and "后进" in text.getvalue()


def test_the_april_league_agrees_with_work_status_on_30_april_for_every_units_milestones():
    expected = defaultdict(Counter)
    for row in json_of("work", "status", "--on", "2020-04-30"):
        if row["effective_due"].startswith("2020-04-"):
            expected[row["lead_unit"]]["milestones_due"] += 1
            expected[row["lead_unit"]][row["status"]] += 1
        elif row["effective_due"] < "2020-04-01" and row["status"] in ("overdue", "seriously_overdue"):
            expected[row["lead_unit"]][row["status"]] += 1  # still lagging from an earlier month: it counts too
    rows = json_of("supervision", "league", "--period", "2020-04")
    assert sum(c["milestones_due"] for c in expected.values()) >= 20  # the cross-check compares something
    assert set(expected) <= {row["unit"] for row in rows}
    for row in rows:
        assert {key: row[key] for key in MILESTONE_KEYS} == {key: expected[row["unit"]][key] for key in MILESTONE_KEYS}, row["unit"]
    # The April notices count for the units that received them.
    april = Counter(Notice.objects.filter(opened_on__month=4).values_list("unit__short_name", flat=True))
    assert april and all(row["notices"] == april.get(row["unit"], 0) for row in rows)


def test_the_demo_accounts_see_their_part_of_the_notices():
    def page(username):
        client = Client()
        client.force_login(user(username))
        response = client.get("/supervision/")
        assert response.status_code == 200
        return response.content.decode()

    everything = Notice.objects.all()
    own = Notice.objects.filter(unit__short_name="商务局")
    others = everything.exclude(pk__in=own.values("pk")).exclude(copied_units__short_name="商务局")
    for username in ("ducha", "leader"):
        html = page(username)
        assert all(n.number in html for n in everything)
    html = page("shangwu")
    assert own.exists() and all(n.number in html for n in own)
    assert others.exists() and not any(n.number in html for n in others)


@pytest.mark.django_db(transaction=True)  # flush (TRUNCATE) cannot run inside the test's transaction on PostgreSQL
def test_demo_reset_builds_the_same_story_again():
    def story():
        return (list(Notice.objects.order_by("serial").values_list("serial", "task__title", "state", "opened_on",
                                                                      "escalated_on")),
                list(Rebaseline.objects.order_by("requested_at").values_list("reason", "status", "new_due")))

    first = story()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("demo", "--reset", "--as-of", "2020-05-12", stdout=io.StringIO())
    assert story() == first and first[0] and first[1]
