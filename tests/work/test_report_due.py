"""Report due days (issue #12 item 3): the due date of each report period, late and missing reports, the campaign's
due day as the plan manager sets it, the task page's due-day text and the league table's read helper.

Hand-computed on China's 2020 calendar (core.workdays / chinesecalendar): 五一 break Fri 1 – Tue 5 May (Sun 26 Apr and
Sat 9 May worked); 端午 Thu 25 – Sat 27 Jun (Sun 28 Jun worked); 春节 extended to Sun 2 Feb (Sun 19 Jan worked).
"""

from datetime import date

import pytest

from luoshi.core.problems import Rejected
from luoshi.work import queries, rules, services
from luoshi.work.models import Campaign
from luoshi.work.rules import HALF_MONTHLY, LATE, MISSING, MONTHLY, ON_TIME, OPEN, WEEKLY

APRIL = (date(2020, 4, 1), date(2020, 4, 30))
MAY = (date(2020, 5, 1), date(2020, 5, 31))


def test_monthly_due_day_is_that_day_of_the_month_moved_to_the_next_working_day():
    # 28 Apr 2020 is a Tuesday: stays. 28 Mar is a Saturday: Mon 30 Mar. 28 Jun is the working Sunday after 端午: stays.
    assert rules.report_due_date(*APRIL, MONTHLY, 28) == date(2020, 4, 28)
    assert rules.report_due_date(date(2020, 3, 1), date(2020, 3, 31), MONTHLY, 28) == date(2020, 3, 30)
    assert rules.report_due_date(date(2020, 6, 1), date(2020, 6, 30), MONTHLY, 28) == date(2020, 6, 28)
    # The 31st in a 30-day month is its last day: Thu 30 Apr. In February 2020 (29 days) Sat 29 Feb → Mon 2 Mar.
    assert rules.report_due_date(*APRIL, MONTHLY, 31) == date(2020, 4, 30)
    assert rules.report_due_date(date(2020, 2, 1), date(2020, 2, 29), MONTHLY, 31) == date(2020, 3, 2)


def test_monthly_default_is_the_periods_last_working_day():
    # May 2020 ends on a Sunday: Fri 29 May. January 2020 ends in the extended 春节 break (24 Jan – 2 Feb): Thu 23 Jan.
    assert rules.report_due_date(*MAY, MONTHLY) == date(2020, 5, 29)
    assert rules.report_due_date(date(2020, 1, 1), date(2020, 1, 31), MONTHLY) == date(2020, 1, 23)
    assert rules.report_due_date(*APRIL, MONTHLY, None) == date(2020, 4, 30)


def test_weekly_due_day_is_a_weekday_default_friday():
    # Week Mon 11 – Sun 17 May 2020: Friday 15 May; weekday 3 is Wed 13 May.
    assert rules.report_due_date(date(2020, 5, 11), date(2020, 5, 17), WEEKLY) == date(2020, 5, 15)
    assert rules.report_due_date(date(2020, 5, 11), date(2020, 5, 17), WEEKLY, 3) == date(2020, 5, 13)
    # Week of 27 Apr: Friday 1 May is 五一 → the next working day Wed 6 May (after the period).
    assert rules.report_due_date(date(2020, 4, 27), date(2020, 5, 3), WEEKLY) == date(2020, 5, 6)
    # Week of 4 May, weekday 6: Sat 9 May is a working Saturday, so it stays.
    assert rules.report_due_date(date(2020, 5, 4), date(2020, 5, 10), WEEKLY, 6) == date(2020, 5, 9)


def test_half_monthly_periods_are_due_on_the_15th_and_the_last_day():
    # Fri 15 May stays; Sun 31 May → Mon 1 Jun; a due day given is ignored. Wed 15 Apr stays.
    assert rules.report_due_date(date(2020, 5, 1), date(2020, 5, 15), HALF_MONTHLY) == date(2020, 5, 15)
    assert rules.report_due_date(date(2020, 5, 16), date(2020, 5, 31), HALF_MONTHLY, 3) == date(2020, 6, 1)
    assert rules.report_due_date(date(2020, 4, 1), date(2020, 4, 15), HALF_MONTHLY) == date(2020, 4, 15)


def test_report_periods_tell_on_time_late_missing_and_open():
    # Monthly, due the 28th, task started 10 Mar, judged 10 Jun 2020. March due Mon 30 Mar: report 30 Mar on time.
    # April due Tue 28 Apr: report 29 Apr is late (inside the period). May due Thu 28 May: none in May, the 2 Jun
    # report is in June's period → May missing. June (due Sun 28 Jun, a working day) has not ended: open.
    periods = rules.report_periods([date(2020, 3, 30), date(2020, 4, 29), date(2020, 6, 2)], cycle=MONTHLY,
                                   due_day=28, task_start=date(2020, 3, 10), as_of=date(2020, 6, 10))
    assert periods == [(date(2020, 3, 1), date(2020, 3, 31), date(2020, 3, 30), ON_TIME),
                       (date(2020, 4, 1), date(2020, 4, 30), date(2020, 4, 28), LATE),
                       (date(2020, 5, 1), date(2020, 5, 31), date(2020, 5, 28), MISSING),
                       (date(2020, 6, 1), date(2020, 6, 30), date(2020, 6, 28), ON_TIME)]
    # Judged 1 Jun, the 2 Jun report is not known yet: June is open.
    assert rules.report_periods([date(2020, 6, 2)], cycle=MONTHLY, due_day=28, task_start=date(2020, 5, 10),
                                as_of=date(2020, 6, 1))[-1][3] == OPEN
    # A finished task owes none; a task not started yet neither.
    assert rules.report_periods([], cycle=MONTHLY, due_day=None, task_start=date(2020, 3, 1), as_of=date(2020, 6, 1),
                                finished=True) == []
    assert rules.report_periods([], cycle=MONTHLY, due_day=None, task_start=date(2020, 7, 1), as_of=date(2020, 6, 1)) == []


def test_a_late_report_is_not_a_missed_period():
    # Monthly due the 28th, judged Sun 10 May 2020: March reported 31 Mar and April 30 Apr, both after the due day
    # (Mon 30 Mar, Tue 28 Apr) but inside their periods → late, not missing: no period missed in a row, light not red.
    dates = [date(2020, 3, 31), date(2020, 4, 30)]
    kw = dict(cycle=MONTHLY, task_start=date(2020, 3, 1), as_of=date(2020, 5, 10))
    assert [p[3] for p in rules.report_periods(dates, due_day=28, **kw)] == [LATE, LATE, OPEN]
    assert rules.missed_periods_in_a_row(dates, **kw) == 0


def test_due_day_text_states_the_rule_in_chinese():
    assert rules.due_day_text(MONTHLY, 28) == "每月28日前报送"
    assert rules.due_day_text(MONTHLY, None) == "每月最后一个工作日前报送"
    assert rules.due_day_text(WEEKLY, None) == "每周五前报送"
    assert rules.due_day_text(WEEKLY, 1) == "每周一前报送"
    assert rules.due_day_text(HALF_MONTHLY, None) == "每月15日和月末前报送"


@pytest.mark.django_db
def test_save_campaign_keeps_the_due_day_unless_given_and_resets_it_with_a_new_cycle(cast):
    campaign = services.save_campaign(None, name="双招双引", report_due_day=28)
    assert campaign.report_due_day == 28
    # An import (no due day given) keeps it.
    assert services.save_campaign(None, name="双招双引", order=3).report_due_day == 28
    # A new cycle starts from its default; a weekly due day is a weekday.
    assert services.save_campaign(None, name="双招双引", report_cycle=WEEKLY).report_due_day is None
    assert services.save_campaign(None, name="双招双引", report_cycle=WEEKLY, report_due_day=3).report_due_day == 3


@pytest.mark.django_db
@pytest.mark.parametrize("cycle, day, message", [(WEEKLY, 8, "1–7"), (MONTHLY, 32, "1–31"), (MONTHLY, 0, "1–31")])
def test_a_due_day_outside_the_cycle_is_refused_and_nothing_is_saved(cast, cycle, day, message):
    services.save_campaign(None, name="双招双引", report_cycle=cycle)
    with pytest.raises(Rejected) as caught:
        services.save_campaign(None, name="双招双引", report_cycle=cycle, report_due_day=day)
    assert message in caught.value.messages[0]
    assert Campaign.objects.get(name="双招双引").report_due_day is None


@pytest.mark.django_db
def test_office_sets_the_due_day_on_the_work_page_and_the_task_page_states_it(plan, client_for, may_12):
    office = client_for("li_ducha")
    response = office.post(f"/work/campaigns/{plan.zs.pk}/cycle", {"report_cycle": MONTHLY, "report_due_day": "28"})
    assert response.status_code == 302
    plan.zs.refresh_from_db()
    assert plan.zs.report_due_day == 28
    page = office.get("/work/").content.decode()
    assert "每月28日前报送" in page
    # Task 1 (started 1 Mar) judged Tue 12 May 2020: this period is May, due Thu 28 May.
    task_page = client_for("zhou_shangwu").get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert "每月28日前报送" in task_page
    assert "本期报送截止</strong>：5月28日" in task_page


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["abc", "８", "40", "-1"])
def test_a_bad_due_day_on_the_work_page_is_a_chinese_message_and_changes_nothing(plan, client_for, may_12, raw):
    office = client_for("li_ducha")
    response = office.post(f"/work/campaigns/{plan.zs.pk}/cycle", {"report_cycle": MONTHLY, "report_due_day": raw},
                           follow=True)
    assert response.status_code == 200
    assert "报送截止日" in response.content.decode() or "1–31" in response.content.decode()
    plan.zs.refresh_from_db()
    assert plan.zs.report_due_day is None


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["zhou_shangwu", "sun_leader"])
def test_only_the_plan_manager_sets_the_due_day(plan, client_for, may_12, username):
    response = client_for(username).post(f"/work/campaigns/{plan.zs.pk}/cycle",
                                         {"report_cycle": MONTHLY, "report_due_day": "28"})
    assert response.status_code == 403
    plan.zs.refresh_from_db()
    assert plan.zs.report_due_day is None


@pytest.mark.django_db
def test_report_periods_by_unit_counts_the_periods_due_in_the_span_for_the_tasks_each_unit_leads(plan):
    # 双招双引 monthly, due the 28th. Task 1 (lead 区商务局, started 1 Mar; milestones due 30 Apr, 1 May, 30 Jun):
    # March reported Mon 30 Mar (due Mon 30 Mar, on time), April reported Wed 29 Apr (due Tue 28 Apr: late),
    # May none (due Thu 28 May: missing, judged 10 Jun). 合村并点 monthly, default due the last working day:
    # task 2 (lead 区财政局, started 1 Feb) reported 10 Apr (April due Thu 30 Apr: on time), nothing in May (due Fri 29
    # May: missing); its milestone is not done, so it still owes reports. Task 3 leads 历下区政府办公室: no report
    # → April and May missing.
    services.save_campaign(None, name="双招双引", report_due_day=28)
    services.submit_report(None, plan.t1, percent=10, reported_on=date(2020, 3, 30))
    services.submit_report(None, plan.t1, percent=20, reported_on=date(2020, 4, 29))
    services.submit_report(None, plan.t2, percent=20, reported_on=date(2020, 4, 10))
    counts = queries.report_periods_by_unit(date(2020, 4, 1), date(2020, 5, 31), date(2020, 6, 10))
    u = plan.t1.lead_unit_id, plan.t2.lead_unit_id, plan.t3.lead_unit_id
    assert counts == {u[0]: {"due": 2, "late": 1, "missing": 1}, u[1]: {"due": 2, "late": 0, "missing": 1},
                      u[2]: {"due": 2, "late": 0, "missing": 2}}
    # April alone, judged 30 Apr: task 1's April report is late; task 3's April period has not ended (open, due).
    april = queries.report_periods_by_unit(*APRIL, date(2020, 4, 30))
    assert april[u[0]] == {"due": 1, "late": 1, "missing": 0}
    assert april[u[2]] == {"due": 1, "late": 0, "missing": 0}
