"""Each task's judged rows are kept per server process (work.gantt.judged_parts) and judged again only when the
task's revision moved: every write gives the tasks it touches a new revision, and a change shows at once."""

from datetime import date

import orjson
import pytest
from django.db import transaction

from luoshi.orgs import services as org_services
from luoshi.work import gantt, queries, rules, services
from luoshi.work.gantt import gantt_rows, judged_parts
from luoshi.work.models import Task
from luoshi.work.transfers import import_schedule
from tests.work.test_transfers import GOOD, HEADER, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]

MAY_7 = date(2020, 5, 7)


@pytest.fixture
def april_report(plan):
    """商务局 reported on task 1 in April, so task 1 is yellow and task 2 red on 7 May."""
    return services.submit_report(None, plan.t1, percent=30, done_text="洽谈推进中", reported_on=date(2020, 4, 10))


def milestone_row(client, milestone):
    data = client.get("/work/gantt/data?on=2020-05-07").json()
    row = next(m for m in data["milestones"] if m[0] == milestone.pk)
    return row, data["statuses"][row[5]]


def revisions():
    return dict(Task.objects.values_list("number", "revision"))


def moved(before):
    """The numbers of the tasks whose revision differs from `before`."""
    return {number for number, revision in revisions().items() if before.get(number) != revision}


def from_scratch(user, as_of=MAY_7, **filters):
    """The chart judged with nothing kept."""
    judged_parts.forget()
    return gantt_rows(as_of, user, **filters)


def test_a_progress_report_changes_the_chart_at_once(client_for, plan):
    ducha = client_for("li_ducha")
    row, status = milestone_row(ducha, plan.m11)
    assert row[4] is None and status == rules.SERIOUSLY_OVERDUE  # not done by 7 May, and no report since March
    before = revisions()
    services.submit_report(None, plan.t1, percent=40, completions=[(plan.m11, date(2020, 4, 29))],
                           reported_on=date(2020, 5, 6))
    assert moved(before) == {"1"}
    row, status = milestone_row(ducha, plan.m11)
    assert row[4] == (date(2020, 4, 29) - date(1970, 1, 1)).days and status == rules.DONE


def test_a_milestone_rebaselined_shows_its_new_due_date(client_for, plan):
    ducha = client_for("li_ducha")
    due = lambda: next(m[3] for m in ducha.get("/work/gantt/data?on=2020-05-07").json()["milestones"] if m[0] == plan.m13.pk)
    first = due()
    services.rebaseline_milestone(None, plan.m13, date(2020, 7, 31), "疫情影响顺延")
    assert due() == first + 31


def test_an_approved_rebaseline_request_moves_the_revision_and_shows_at_once_a_pending_one_does_not(cast, plan):
    """The approval flow (work.services.request_rebaseline / approve_rebaseline): asking changes nothing, not even the
    revision; approving moves the date and the task's revision, and the kept chart equals a fresh judgement, judged
    against the current dates and against the baseline alike."""
    admin = cast.wang_admin
    services.set_plan(cast.li_ducha, plan.zs)
    services.set_plan(cast.wang_admin, plan.hc)  # 合村并点 holds a 历下区 task: an administrator sets its plan
    for against in ("current", "baseline"):
        gantt_rows(MAY_7, admin, against=against)  # keep the parts of both judgements
    before = revisions()
    asked = services.request_rebaseline(cast.zhou_shangwu, milestone=plan.m12, new_due=date(2020, 5, 29), reason="协议文本调整")
    deadline = services.request_rebaseline(cast.li_ducha, task=plan.t2, new_due=date(2020, 5, 29), reason="选址复核")
    assert moved(before) == set()
    services.approve_rebaseline(cast.li_ducha, asked)  # the office approves a unit's request
    assert moved(before) == {"1"}
    services.approve_rebaseline(cast.sun_leader, deadline)  # the office's own request: a leader approves
    assert moved(before) == {"1", "2"}
    for against in ("current", "baseline"):
        kept = gantt_rows(MAY_7, admin, against=against)
        assert kept == from_scratch(admin, against=against)
    current, baseline = (orjson.loads(gantt_rows(MAY_7, admin, against=a)[0]) for a in ("current", "baseline"))
    m12 = lambda data: next(m for m in data["milestones"] if m[0] == plan.m12.pk)
    day = lambda d: (d - date(1970, 1, 1)).days
    assert m12(current)[3] == m12(baseline)[3] == day(date(2020, 5, 29)) and m12(current)[7] == day(date(2020, 5, 1))
    # 7 May: not yet due against 29 May; against the baseline (1 May, effective 6 May) it is late.
    assert current["statuses"][m12(current)[5]] != baseline["statuses"][m12(baseline)[5]]
    t2 = next(t for t in current["tasks"] if t[0] == plan.t2.pk)
    assert (t2[6], t2[9]) == (day(date(2020, 5, 29)), day(date(2020, 4, 3)))


def test_users_with_other_scopes_see_only_their_own_tasks_from_the_same_judged_rows(client_for, plan):
    titles = lambda name: {t[3] for t in client_for(name).get("/work/gantt/data?on=2020-05-07").json()["tasks"]}
    assert titles("wang_admin") >= {"招商引资项目签约", "合村并点安置区建设", "历下区协作事项"}
    assert "历下区协作事项" not in titles("li_ducha")  # 济阳区's supervision office: its district only
    assert titles("zhou_shangwu") == {"招商引资项目签约"}  # 商务局: the task it leads
    assert titles("ma_lixia") == {"历下区协作事项"}


def test_the_filters_apply_to_the_judged_rows(client_for, plan, april_report):
    ducha = client_for("li_ducha")
    everything = ducha.get("/work/gantt/data?on=2020-05-07").json()
    red = ducha.get("/work/gantt/data?on=2020-05-07&light=red").json()
    assert 0 < len(red["tasks"]) < len(everything["tasks"])
    assert all(red["lights"][t[7]] == rules.RED for t in red["tasks"])


def test_every_write_gives_exactly_the_tasks_it_touches_a_new_revision(cast, plan):
    p, u = plan, cast.units
    task_values = dict(campaign=p.zs, number="1", title="招商引资项目签约", lead_unit=u.shangwu, responsible_units=[u.town],
                       cooperating_units=[u.caizheng], leader_name="孙区长", start=date(2020, 3, 1), deadline=date(2020, 6, 30),
                       indicator_codes=["sjlywz"])
    before = revisions()
    services.save_task(None, **{**task_values, "leader": p.t1.leader})
    assert moved(before) == set()  # nothing changed, nothing moves

    steps = [
        (lambda: services.save_task(None, **{**task_values, "title": "招商引资项目签约（调整）"}), {"1"}),
        (lambda: services.save_task(None, **{**task_values, "cooperating_units": []}), {"1"}),
        (lambda: services.save_milestone(None, task=p.t2, number="2.2", title="开工建设", due=date(2020, 6, 1), order=1), {"2"}),
        (lambda: services.save_milestone(None, task=p.t2, number="2.2", title="开工建设", due=date(2020, 6, 5), order=1), {"2"}),
        (lambda: services.save_milestone(None, task=p.t3, number="2.2", title="开工建设", due=date(2020, 6, 5)), {"2", "3"}),
        (lambda: services.rebaseline_milestone(None, p.m13, date(2020, 7, 31), "疫情影响顺延"), {"1"}),
        (lambda: services.submit_report(None, p.t3, percent=10, reported_on=date(2020, 4, 10)), {"3"}),
    ]
    for write, touched in steps:
        before = revisions()
        write()
        assert moved(before) == touched
    report = services.submit_report(None, p.t2, percent=100, completions=[(p.m21, date(2020, 4, 20))])
    before = revisions()
    services.submit_report(None, p.t2, percent=50, corrects=report, correction_note="尚未完成", completions=[])
    assert moved(before) == {"2"}


def test_after_each_kind_of_write_the_chart_is_what_judging_from_scratch_gives(cast, plan):
    """The kept rows are used for the next request; every write must show in it exactly as a fresh judgement does."""
    p, u, admin = plan, cast.units, cast.wang_admin
    writes = [
        lambda: services.submit_report(None, p.t1, percent=40, completions=[(p.m11, date(2020, 4, 29))],
                                       reported_on=date(2020, 4, 10)),
        lambda: services.rebaseline_milestone(None, p.m12, date(2020, 5, 29), "协议文本调整"),
        lambda: services.save_milestone(None, task=p.t2, number="2.2", title="开工建设", due=date(2020, 5, 6), order=1),
        lambda: services.save_task(None, campaign=p.hc, number="3", title="历下区协作事项", lead_unit=u.lixia_gov,
                                   responsible_units=[u.caizheng], start=date(2020, 3, 1), deadline=date(2020, 4, 30)),
        # Neither a campaign's report cycle nor a unit's name is part of a task's revision: both are read each request.
        lambda: services.save_campaign(None, name="双招双引", order=0, report_cycle=rules.WEEKLY),
        lambda: org_services.save_unit(None, code=u.caizheng.code, name=u.caizheng.name, kind=u.caizheng.kind,
                                       region=u.caizheng.region, short_name="区财政"),
    ]
    for write in writes:
        shown = gantt_rows(MAY_7, admin)[0]
        write()
        kept = gantt_rows(MAY_7, admin)
        assert kept[0] != shown  # the write shows...
        assert kept == from_scratch(admin)  # ...exactly as judging everything again shows it
        for filters in ({"light": "red"}, {"campaign_id": p.hc.pk}, {"unit_id": u.caizheng.pk}):
            assert gantt_rows(MAY_7, admin, **filters) == from_scratch(admin, **filters)


def test_a_campaigns_new_report_cycle_changes_its_tasks_lights(cast, plan, april_report):
    light = lambda: next(t[7] for t in orjson.loads(gantt_rows(MAY_7, cast.wang_admin)[0])["tasks"] if t[0] == plan.t1.pk)
    # Monthly: April's report is there, May's is not due yet; 1.2 (due 1 May, effective 6 May) is overdue: yellow.
    assert light() == rules.LIGHTS.index(rules.YELLOW)
    services.save_campaign(None, name="双招双引", order=0, report_cycle=rules.WEEKLY)
    # Weekly: no report in the weeks of 20 and 27 April, two periods missed in a row, so 1.2 is seriously overdue.
    assert light() == rules.LIGHTS.index(rules.RED)


def test_only_the_tasks_whose_revision_moved_are_judged_again(cast, plan, monkeypatch):
    judged = []
    real = queries.chart_parts

    def spy(as_of, tasks_qs, cycle_of, scoped=True, against=None):
        parts = real(as_of, tasks_qs, cycle_of, scoped, against)
        judged.append(sorted(Task.objects.get(pk=pk).number for pk in parts))
        return parts

    monkeypatch.setattr(queries, "chart_parts", spy)
    judged_parts.forget()
    gantt_rows(MAY_7, cast.wang_admin)
    gantt_rows(MAY_7, cast.li_ducha)  # another scope: its tasks are judged already
    gantt_rows(MAY_7, cast.wang_admin, light="red")
    assert judged == [["1", "2", "3"]]
    services.submit_report(None, plan.t2, percent=100, completions=[(plan.m21, date(2020, 4, 20))])
    gantt_rows(MAY_7, cast.wang_admin)
    assert judged[1:] == [["2"]]
    gantt_rows(date(2020, 5, 8), cast.zhou_shangwu)  # another date: judged for that date
    assert judged[2:] == [["1"]]


def test_a_rolled_back_write_leaves_no_trace_in_the_chart(cast, plan):
    admin = cast.wang_admin
    committed = gantt_rows(MAY_7, admin)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        services.submit_report(None, plan.t1, percent=40, completions=[(plan.m11, date(2020, 4, 29))])
        assert gantt_rows(MAY_7, admin) != committed  # seen inside the transaction that wrote it
        raise Undo
    assert gantt_rows(MAY_7, admin) == committed == from_scratch(admin)


def test_judged_rows_are_kept_for_the_last_few_dates_only(plan):
    kept = gantt.JudgedParts()
    days = [date(2020, 5, d) for d in range(1, kept.DATES + 2)]
    for day in days:
        kept.on(day)[1] = day
    assert kept.on(days[-1]) == {1: days[-1]} and kept.on(days[1]) == {1: days[1]}
    assert kept.on(days[0]) == {}  # the oldest date asked for was let go
    kept.forget()
    assert kept.on(days[-1]) == {}


def test_a_schedule_import_that_links_milestones_shows_the_links(cast):
    import_schedule(xlsx(GOOD), filename="配档表.xlsx")
    first = orjson.loads(gantt_rows(MAY_7, cast.wang_admin)[0])
    assert all(m[6] is None for m in first["milestones"])
    linked = [r + [""] for r in GOOD]
    linked[2][-1] = "1.1"  # 1.2 follows 1.1
    import_schedule(xlsx(linked, header=HEADER + ["前置节点"]), filename="配档表.xlsx")
    chart = gantt_rows(MAY_7, cast.wang_admin)
    ids = {m[2]: m[0] for m in first["milestones"]}
    assert [m[6] for m in orjson.loads(chart[0])["milestones"] if m[2] == "签订合作协议"] == [ids["完成项目洽谈"]]
    assert chart == from_scratch(cast.wang_admin)


def test_due_dates_the_calendar_does_not_cover_are_named_as_fallback_years(cast, plan):
    from luoshi.core import workdays

    beyond = workdays.LAST_COVERED + 1
    admin = cast.wang_admin
    assert gantt_rows(MAY_7, admin)[1] == []
    services.save_milestone(None, task=plan.t2, number="2.2", title="长期管护", due=date(beyond, 3, 1), order=1)
    data, years = gantt_rows(MAY_7, admin)
    assert years == orjson.loads(data)["fallback_years"] == [beyond] == queries.board(MAY_7).fallback_years
    green = gantt_rows(MAY_7, admin, light="green")
    assert plan.t2.pk not in {t[0] for t in orjson.loads(green[0])["tasks"]}  # 2.1 is long overdue
    assert green[1] == [beyond]  # named for the tasks in scope, before the light filter
    assert gantt_rows(MAY_7, admin, campaign_id=plan.zs.pk)[1] == []  # 2.2 is in 合村并点
    assert gantt_rows(date(beyond, 1, 5), admin)[1] == [beyond]
