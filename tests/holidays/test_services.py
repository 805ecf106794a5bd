"""Loading a year (holidays.services.load_year): one transaction, a new version each time with the earlier ones kept,
an audit entry, nothing saved when anything is wrong; core.workdays counts with the latest version, over the
calendar package for a year both know."""

from datetime import date

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.core import workdays
from luoshi.core.problems import Rejected
from luoshi.holidays import queries, rules, services
from luoshi.holidays.models import Arrangement, HolidayDay
from tests.holidays.conftest import NOTICE_2027, TABLE_2027, load_2027

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


def test_a_loaded_year_is_saved_with_who_when_its_number_and_an_audit_entry(cast):
    assert not workdays.covers(2027) and workdays.is_workday(date(2027, 2, 8))
    arrangement = load_2027(cast.wang_admin)
    assert (arrangement.year, arrangement.version, arrangement.notice_number) == (2027, 1, "国办发明电〔2026〕7号")
    assert arrangement.loaded_by == cast.wang_admin and arrangement.loaded_by_label == "王管理"
    assert arrangement.source_text == NOTICE_2027
    assert arrangement.days.filter(kind=rules.REST).count() == 29 and arrangement.days.filter(kind=rules.WORK).count() == 6
    entry = AuditEntry.objects.get(object_type="holidays.Arrangement", object_id=str(arrangement.pk))
    assert entry.action == "载入放假安排" and entry.actor == cast.wang_admin
    assert entry.after["version"] == 1 and "2027-02-20 春节" in entry.after["work"] and len(entry.after["rest"]) == 29
    # Counted at once in this process: due Mon 8 Feb (春节) moves to the working Sunday 14 Feb.
    assert workdays.covers(2027) and workdays.loaded_years() == [2027]
    assert workdays.effective_due(date(2027, 2, 8)) == date(2027, 2, 14)
    assert workdays.working_days_late(date(2027, 2, 4), date(2027, 2, 22)) == 8
    assert workdays.is_workday(date(2027, 2, 20))  # the swapped Saturday
    assert workdays.add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 14)


def test_loading_the_year_again_is_a_new_version_and_the_first_stays_readable(cast):
    first = load_2027(cast.wang_admin)
    moved = NOTICE_2027.replace("2月20日（周六）上班", "2月21日（周日）上班")
    second = load_2027(cast.wang_admin, text=moved, note="更正春节调休")
    assert (second.version, second.note) == (2, "更正春节调休")
    assert [v.version for v in queries.versions(2027)] == [2, 1]
    assert queries.current(2027) == second
    assert HolidayDay.objects.filter(arrangement=first, day=date(2027, 2, 20), kind=rules.WORK).exists()
    # The latest version counts: Sat 20 Feb rests again, Sun 21 Feb works.
    assert not workdays.is_workday(date(2027, 2, 20)) and workdays.is_workday(date(2027, 2, 21))
    assert AuditEntry.objects.filter(object_type="holidays.Arrangement").count() == 2


def test_anything_wrong_saves_nothing_and_names_each_line(cast):
    bad = NOTICE_2027.replace("共9天", "共8天").replace("9月26日（周日）", "9月27日（周日）")
    with pytest.raises(Rejected) as refused:
        services.load_year(cast.wang_admin, rules.read_text(bad, 2027))
    assert refused.value.messages == ["第7行：写明共8天，但放假日期共 9 天，请核对",
                                      "第12行：2027年9月27日是周一，原文写的是周日；请核对年份或日期"]
    with pytest.raises(Rejected, match="通知文号过长"):
        services.load_year(cast.wang_admin, rules.read_text(TABLE_2027, 2027), notice_number="号" * 61)
    with pytest.raises(Rejected, match="年度「1999」不正确"):
        services.load_year(cast.wang_admin, rules.read_text(TABLE_2027, 1999))
    assert not Arrangement.objects.exists() and not HolidayDay.objects.exists()
    assert not AuditEntry.objects.filter(object_type="holidays.Arrangement").exists()
    workdays.refresh()
    assert not workdays.covers(2027)


def test_a_loaded_year_overrides_the_calendar_package_for_that_year(cast):
    # 2026 as chinesecalendar knows it: Fri 2 Jan 2026 rests (元旦), Sun 4 Jan works (调休), Tue 17 Feb rests (春节).
    assert not workdays.is_workday(date(2026, 1, 2)) and workdays.is_workday(date(2026, 1, 4))
    assert not workdays.is_workday(date(2026, 2, 17))
    text = "一、元旦：1月1日（周四）放假，共1天。"  # an arrangement that differs, loaded for 2026
    services.load_year(cast.wang_admin, rules.read_text(text, 2026))
    workdays.refresh()
    assert workdays.is_workday(date(2026, 1, 2)) and not workdays.is_workday(date(2026, 1, 4))
    # 春节 2026 (Tue 17 Feb, a rest day in the package) is not in what was loaded: only the loaded days count.
    assert workdays.is_workday(date(2026, 2, 17)) and workdays.effective_due(date(2026, 1, 1)) == date(2026, 1, 2)


def test_the_process_that_loads_counts_with_it_after_the_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.load_year(cast.wang_admin, rules.read_text(NOTICE_2027, 2027))
    assert callbacks == [workdays.refresh]
    assert workdays.covers(2027) and not workdays.is_workday(date(2027, 2, 8))
