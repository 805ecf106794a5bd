"""The unit league table (考核排名) for April 2020 on a hand-computed example, cross-checked against `luoshi work
status`; the CLI's JSON contract, ties, rank change, bands; the page, the export, the API and who may read them.

The small 2020 plan (tests/work/conftest.py) with, on top:
  双招双引 (monthly, reports due on the 20th):
    task 1 区商务局: reports 20 Mar (on time) and 29 Apr (late: due Mon 20 Apr), milestone 1.1 (due Thu 30 Apr) done
         28 Apr; a notice opened 25 Mar, answered 30 Mar (reply due 1 Apr: on time)
    task 4 济阳街道 (new, starts 1 Apr): milestone 4.1 due 20 May; no report (April's period still open on 30 Apr)
  合村并点 (half-monthly: due the 15th and the month's last day, moved to the next working day):
    task 2 区财政局 (from 1 Feb): milestone 2.1 due Fri 3 Apr, never done: 19 working days late on 30 Apr
         (7–10, 13–17, 20–24 Apr, the working Sunday 26 Apr, 27–30 Apr) → 严重滞后; one report, 20 Mar; a notice opened
         Fri 10 Apr (reply due Fri 17 Apr: 5 working days), answered Tue 21 Apr → late
    task 3 历下区府办 (from 1 Mar): milestone 3.1 due Thu 30 Apr, open on 30 Apr → 推进中 (not due yet on the day);
         one report, 10 Mar

April 2020, judged as of Thu 30 Apr (score: 100 + done − 2·done_late − 5·overdue − 10·seriously_overdue
− reports_late − 3·reports_missing − 2·notices − 3·notices_late):
  商务局     milestones 1 (done 1); reports due 1 (Apr, due 20 Apr: late 1)          → 100 + 1 − 1            = 100
  济阳街道   milestones 0; reports due 1 (Apr: open)                                  → 100
  历下区府办 milestones 1 (in progress); reports due 2 (1–15 Apr missing, 16–30 open)  → 100 − 3               = 97
  财政局     milestones 1 (seriously overdue 1); reports due 2 (1–15 Apr missing);
             notices 1, late 1                                                        → 100 − 10 − 3 − 2 − 3 = 82
  ranks 1, 1 (tie), 3, 4. Four units: two at each end (k = min(3, 4 // 2)): 商务局, 济阳街道 先进; 历下区府办, 财政局 后进.
March 2020, as of Tue 31 Mar (济阳街道's task had not started: not ranked):
  历下区府办 reports due 2 (1–15 Mar: 10 Mar on time; 16–31 Mar open)                 → 100, rank 1
  商务局     reports due 1 (Mar, due Fri 20 Mar: on time); notice 1 (on time)          → 98, rank 2
  财政局     reports due 3 (16–29 Feb, due Mon 2 Mar: missing; 1–15 Mar, due Mon 16 Mar:
             missing; 16–31 Mar: 20 Mar on time)                                     → 94, rank 3
  rank change in April: 商务局 2 − 1 = +1, 济阳街道 none, 历下区府办 1 − 3 = −2, 财政局 3 − 4 = −1.
"""

import io
import json
from collections import Counter, defaultdict
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.supervision import services as notice_services
from luoshi.work import rules as work_rules
from luoshi.work import services as work_services

pytestmark = pytest.mark.both_databases

APRIL = {
    "商务局": {"unit": "商务局", "rank": 1, "rank_change": 1, "score": 100, "milestones_due": 1, "done": 1, "done_late": 0,
            "overdue": 0, "seriously_overdue": 0, "reports_due": 1, "reports_late": 1, "reports_missing": 0, "notices": 0,
            "notices_late": 0, "band": "top", "assessed": True},
    "济阳街道": {"unit": "济阳街道", "rank": 1, "rank_change": None, "score": 100, "milestones_due": 0, "done": 0,
             "done_late": 0, "overdue": 0, "seriously_overdue": 0, "reports_due": 1, "reports_late": 0,
             "reports_missing": 0, "notices": 0, "notices_late": 0, "band": None, "assessed": True},
    "历下区府办": {"unit": "历下区府办", "rank": 3, "rank_change": -2, "score": 97, "milestones_due": 1, "done": 0,
              "done_late": 0, "overdue": 0, "seriously_overdue": 0, "reports_due": 2, "reports_late": 0,
              "reports_missing": 1, "notices": 0, "notices_late": 0, "band": "bottom", "assessed": True},
    "财政局": {"unit": "财政局", "rank": 4, "rank_change": -1, "score": 82, "milestones_due": 1, "done": 0, "done_late": 0,
            "overdue": 0, "seriously_overdue": 1, "reports_due": 2, "reports_late": 0, "reports_missing": 1, "notices": 1,
            "notices_late": 1, "band": "bottom", "assessed": True},
}
KEYS = ["unit", "rank", "rank_change", "score", "milestones_due", "done", "done_late", "overdue", "seriously_overdue",
        "reports_due", "reports_late", "reports_missing", "notices", "notices_late", "band", "assessed",
        "adjustment", "adjusted_score", "adjustment_pending"]  # the last three added by 结果运用 (#23), nothing renamed
NO_ADJUSTMENT = {"adjustment": 0, "adjustment_pending": 0}
for _row in APRIL.values():  # without an adjustment the adjusted score is the score
    _row.update(NO_ADJUSTMENT, adjusted_score=_row["score"])


def build_april(cast, plan):
    u = cast.units
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        work_services.save_campaign(None, name="双招双引", order=0, report_due_day=20)
        work_services.save_campaign(None, name="合村并点", order=1, report_cycle=work_rules.HALF_MONTHLY)
        t4, _ = work_services.save_task(None, campaign=plan.zs, number="4", title="招商项目落地服务", lead_unit=u.town,
                                        start=date(2020, 4, 1), deadline=date(2020, 6, 30))
        work_services.save_milestone(None, task=t4, number="4.1", title="项目落地", due=date(2020, 5, 20))
        work_services.submit_report(None, plan.t1, percent=10, reported_on=date(2020, 3, 20))
        work_services.submit_report(None, plan.t1, percent=40, reported_on=date(2020, 4, 29),
                                    completions=[(plan.m11, date(2020, 4, 28))])
        work_services.submit_report(None, plan.t2, percent=20, reported_on=date(2020, 3, 20))
        work_services.submit_report(None, plan.t3, percent=20, reported_on=date(2020, 3, 10))
        march = notice_services.open_notice(None, plan.t1, on=date(2020, 3, 25), reason="洽谈进度偏慢")
        notice_services.reply(None, march, "已加快洽谈", on=date(2020, 3, 30))
        april = notice_services.open_notice(None, plan.t2, on=date(2020, 4, 10), reason="完成选址滞后")
        notice_services.reply(None, april, "已完成选址论证，正在报批", on=date(2020, 4, 21))
    assert (march.reply_due, april.reply_due) == (date(2020, 4, 1), date(2020, 4, 17))
    return t4


@pytest.fixture
def april(cast, plan):
    return build_april(cast, plan)


def league_json(*args):
    out = io.StringIO()
    call_command("supervision", "league", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_april_table_matches_the_hand_computed_example(april):
    rows = league_json("--period", "2020-04")
    assert rows == [APRIL["商务局"], APRIL["济阳街道"], APRIL["历下区府办"], APRIL["财政局"]]


def test_each_unit_has_exactly_the_keys_of_the_contract_in_order_and_no_timestamp(april):
    first = league_json("--period", "2020-04")
    assert all(list(row) == KEYS for row in first)
    with time_machine.travel("2026-11-30 23:00 +0800"):
        again = league_json("--period", "2020-04")
    assert again == first  # nothing depends on when it is run, once the month is over


def test_milestone_counts_agree_with_work_status_on_the_months_last_day(april):
    out = io.StringIO()
    call_command("work", "status", "--on", "2020-04-30", "--json", stdout=out)
    expected = defaultdict(Counter)
    for row in json.loads(out.getvalue()):
        if row["effective_due"].startswith("2020-04-"):
            expected[row["lead_unit"]]["milestones_due"] += 1
            expected[row["lead_unit"]][row["status"]] += 1
    rows = league_json("--period", "2020-04")
    assert expected  # the cross-check compares something
    for row in rows:
        for key in ["milestones_due", "done", "done_late", "overdue", "seriously_overdue"]:
            assert row[key] == expected[row["unit"]][key], (row["unit"], key)
    assert set(expected) <= {row["unit"] for row in rows}


def test_a_region_ranks_only_its_own_units(april):
    rows = league_json("--period", "2020-04", "--region", "370115")
    assert [(r["unit"], r["rank"], r["score"], r["band"]) for r in rows] == [
        ("商务局", 1, 100, "top"), ("济阳街道", 1, 100, None), ("财政局", 3, 82, "bottom")]
    # k = 1: tied at 1st, but 济阳街道 had only a report in April, no milestone done (多干多得): not 先进
    # March in 济阳区: 商务局 98 (1), 财政局 94 (2); 济阳街道's task had not started
    assert [r["rank_change"] for r in rows] == [0, None, -1]


def test_march_is_ranked_without_the_unit_whose_task_had_not_started(april):
    rows = league_json("--period", "2020-03")
    assert [(r["unit"], r["rank"], r["score"]) for r in rows] == [("历下区府办", 1, 100), ("商务局", 2, 98), ("财政局", 3, 94)]
    assert rows[1]["notices"] == 1 and rows[1]["notices_late"] == 0
    assert rows[2]["reports_due"] == 3 and rows[2]["reports_missing"] == 2


def test_the_running_month_is_judged_as_of_today(april):
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        rows = {r["unit"]: r for r in league_json("--period", "2020-05")}
    # 1.2 签订合作协议 due Fri 1 May (五一: Wed 6 May), not done: 4 working days late on 12 May (7, 8, 9 (working
    # Saturday), 11, 12 → 5). Counted as work status counts it on 12 May.
    out = io.StringIO()
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        call_command("work", "status", "--on", "2020-05-12", "--json", stdout=out)
    m12 = next(r for r in json.loads(out.getvalue()) if r["milestone_number"] == "1.2")
    assert rows["商务局"]["milestones_due"] == 1 and rows["商务局"][m12["status"]] == 1
    assert m12["status"] in ("overdue", "seriously_overdue")


def test_a_unit_with_nothing_due_in_the_month_is_not_ranked_and_is_shown_as_such(april, cast, plan, client_for):
    # 统计局 leads a task whose one milestone was done on 9 April: from then on it owes no report and has nothing due
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        t5, _ = work_services.save_task(None, campaign=plan.zs, number="5", title="统计调查", lead_unit=cast.units.tongji,
                                        start=date(2020, 4, 1), deadline=date(2020, 4, 10))
        m51, _ = work_services.save_milestone(None, task=t5, number="5.1", title="调查完成", due=date(2020, 4, 10))
        work_services.submit_report(None, t5, percent=100, reported_on=date(2020, 4, 9), completions=[(m51, date(2020, 4, 9))])
        may = {r["unit"]: r for r in league_json("--period", "2020-05")}
        page = client_for("li_ducha").get("/supervision/league/?period=2020-05").content.decode()
    tongji = may["统计局"]
    assert tongji["assessed"] is False and tongji["rank"] is None and tongji["band"] is None
    assert [r["unit"] for r in may.values()][-1] == "统计局"  # after every ranked unit
    # the four others ranked among themselves: 济阳街道 100, 商务局 95 (1.2 lagging), 历下区府办 and 财政局 90 each
    assert [(u, r["rank"]) for u, r in may.items() if r["assessed"]] == [
        ("济阳街道", 1), ("商务局", 2), ("历下区府办", 3), ("财政局", 3)]
    row = page[page.index('data-unit="统计局"'):]
    assert "本期无考核内容" in row[:row.index("</tr>")]
    assert "统计局" not in page[page.index('id="league-top"'):page.index('id="league-bottom"')]


def test_a_milestone_lagging_since_an_earlier_month_counts_in_this_one_and_keeps_the_unit_from_the_top(april):
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        may = {r["unit"]: r for r in league_json("--period", "2020-05")}
    # 财政局's 2.1 (due Fri 3 Apr) and 历下区府办's 3.1 (due Thu 30 Apr) are still not done on 12 May: each is
    # 严重滞后 there, though due in April, and each unit has no milestone due in May
    for unit in ("财政局", "历下区府办"):
        assert may[unit]["milestones_due"] == 0 and may[unit]["seriously_overdue"] == 1
        assert may[unit]["score"] < 100 and may[unit]["band"] != "top"
    # no milestone was done on time by 12 May: first place (济阳街道, a report in time) is no 先进 either
    assert may["济阳街道"]["rank"] == 1 and [u for u, r in may.items() if r["band"] == "top"] == []


def test_the_page_opens_on_the_last_complete_month_when_the_reports_are_current(april, client_for):
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        work_services.submit_report(None, april, percent=5, reported_on=date(2020, 4, 25))
    with time_machine.travel("2020-05-07 10:00 +0800", tick=False):  # the latest report (29 April) is in April
        response = client_for("sun_leader").get("/supervision/league/")
    assert response.context["table"].period == date(2020, 4, 1)


def test_a_month_not_begun_or_written_wrong_is_refused_in_chinese(april):
    with pytest.raises(CommandError, match="尚未开始"):
        with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
            call_command("supervision", "league", "--period", "2020-06", stdout=io.StringIO())
    with pytest.raises(CommandError, match="无法识别的考核月份"):
        call_command("supervision", "league", "--period", "2020-4-31", stdout=io.StringIO())
    with pytest.raises(CommandError, match="区县「999999」不存在"):
        call_command("supervision", "league", "--period", "2020-04", "--region", "999999", stdout=io.StringIO())


def test_the_text_output_lists_every_unit_with_its_band(april):
    out = io.StringIO()
    call_command("supervision", "league", "--period", "2020-04", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2020年4月单位考核排名（全部单位，截至 2020-04-30）")
    assert lines[2].split("\t")[:4] == ["1", "+1", "商务局", "100"] and lines[2].endswith("先进")
    assert lines[5].split("\t")[:4] == ["4", "-1", "财政局", "82"] and lines[5].endswith("后进")


# --- pages, export, API and who may read them -------------------------------------------------------------------

def test_the_page_highlights_both_ends(april, client_for):
    response = client_for("li_ducha").get("/supervision/league/?period=2020-04")
    assert response.status_code == 200
    html = response.content.decode()
    top = html[html.index('id="league-top"'):html.index('id="league-bottom"')]
    bottom = html[html.index('id="league-bottom"'):html.index('id="league"')]
    # 济阳区's own table: three units, one at each end (k = 1); of the two tied first only 商务局 did a milestone
    assert "商务局" in top and "济阳街道" not in top and "财政局" not in top
    assert "财政局" in bottom and "商务局" not in bottom
    assert 'class="band-top" data-unit="商务局"' in html and 'class="band-bottom" data-unit="财政局"' in html
    assert "历下区府办" not in html


def test_the_page_without_a_month_opens_on_the_last_month_ended_before_the_latest_report(april, client_for):
    # the latest report is dated 29 Apr 2020: March is the last month that had ended (an old plan opens on its own time)
    response = client_for("sun_leader").get("/supervision/league/")
    assert response.status_code == 200 and response.context["table"].period == date(2020, 3, 1)
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        work_services.submit_report(None, april, percent=5, reported_on=date(2020, 5, 11))
    response = client_for("sun_leader").get("/supervision/league/")
    assert response.context["table"].period == date(2020, 4, 1)


@pytest.mark.parametrize("period, message", [("2020-13", "无法识别的考核月份"), ("2999-01", "超出")])
def test_a_bad_month_on_the_page_is_a_400_with_a_chinese_message(april, client_for, period, message):
    response = client_for("li_ducha").get(f"/supervision/league/?period={period}")
    assert response.status_code == 400 and message in response.content.decode()


def test_the_export_is_an_xlsx_with_the_table(april, client_for):
    from openpyxl import load_workbook

    response = client_for("li_ducha").get("/supervision/league/export?period=2020-04")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("名次", "名次升降", "单位", "单位全称", "得分")
    assert rows[1][:5] == (1, 0, "商务局", "区商务局", 100) and rows[1][-1] == "先进"
    assert rows[3][2] == "财政局" and rows[3][-1] == "后进"


def test_the_api_gives_the_same_rows_as_the_cli(april, client_for):
    response = client_for("li_ducha").get("/api/v1/supervision/league?period=2020-04&region=370115")
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2020-04" and body["as_of"] == "2020-04-30" and body["region"]["code"] == "370115"
    assert body["units"] == league_json("--period", "2020-04", "--region", "370115")


@pytest.mark.parametrize("username", ["wang_admin", "sun_leader", "li_ducha", "zhou_shangwu", "zheng_caizheng", "sun_jiedao"])
def test_the_office_leaders_and_every_unit_of_the_district_read_its_table(april, client_for, username):
    client = client_for(username)
    assert client.get("/supervision/league/?period=2020-04&region=370115").status_code == 200
    assert client.get("/api/v1/supervision/league?period=2020-04&region=370115").status_code == 200
    assert client.get("/supervision/league/export?period=2020-04&region=370115").status_code == 200


@pytest.mark.parametrize("username", ["zhao_fagai", "qian_tongji", "wu_cunju", "nobody"])
def test_other_roles_do_not_read_the_table(april, client_for, username):
    client = client_for(username)
    assert client.get("/supervision/league/?period=2020-04").status_code == 403
    assert client.get("/api/v1/supervision/league?period=2020-04").status_code == 403
    assert client.get("/supervision/league/export?period=2020-04").status_code == 403


def test_another_districts_leader_reads_only_their_own_table(april, client_for):
    client = client_for("ma_lixia")
    assert client.get("/supervision/league/?period=2020-04&region=370115").status_code == 403
    assert client.get("/api/v1/supervision/league?period=2020-04&region=370115").status_code == 403
    response = client.get("/api/v1/supervision/league?period=2020-04")
    assert response.status_code == 200 and [r["unit"] for r in response.json()["units"]] == ["历下区府办"]


def test_signed_out_visitors_are_sent_to_sign_in_or_refused(april, client):
    assert client.get("/supervision/league/?period=2020-04").status_code == 302
    assert client.get("/api/v1/supervision/league?period=2020-04").status_code == 401
