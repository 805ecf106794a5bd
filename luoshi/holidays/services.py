"""The one write: load a year's 放假安排 as its next version (the earlier versions stay)."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from luoshi.audit.services import record
from luoshi.core import workdays
from luoshi.core.periods import DAY_YEARS, parse_year
from luoshi.core.problems import Rejected
from luoshi.holidays import rules
from luoshi.holidays.models import Arrangement, HolidayDay

SOURCE_TEXT_MAX = rules.TEXT_MAX


def check_year(value):
    """The year an arrangement is for: 2000–2100 (the days luoshi judges), else Rejected in Chinese."""
    return parse_year(value, "年度", DAY_YEARS)


@transaction.atomic
def load_year(actor, reading, *, source_name="", source_text="", notice_number="", note=""):
    """Save what `reading` (rules.read_text / read_rows) read as the year's next version, in one transaction, with
    its audit entry; Rejected with every problem (line by line) and nothing saved when there is any. Every process
    counts with it within LUOSHI_HOLIDAY_CHECK_SECONDS; this one at once."""
    year = check_year(reading.year)
    problems = reading.problems
    notice_number = (notice_number or reading.notice_number or "").strip()
    note = (note or "").strip()
    if len(notice_number) > 60:
        problems.append("通知文号过长（上限 60 字）")
    if len(note) > 200:
        problems.append("说明过长（上限 200 字）")
    if problems:
        raise Rejected(problems)
    days = reading.days
    user = actor if getattr(actor, "is_authenticated", False) else None
    version = (Arrangement.objects.filter(year=year).aggregate(last=Max("version"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            arrangement = Arrangement.objects.create(
                year=year, version=version, notice_number=notice_number, source_name=source_name[:200],
                source_text=source_text[:SOURCE_TEXT_MAX], note=note, loaded_by=user,
                loaded_by_label=((user.get_full_name() or user.username) if user else "命令行")[:150])
    except IntegrityError:
        raise Rejected(f"{year}年放假安排刚刚有人录入了第{version}版，请刷新后重试") from None
    HolidayDay.objects.bulk_create([HolidayDay(arrangement=arrangement, day=d.day, kind=d.kind, name=d.name)
                                    for d in days])
    record(actor, "载入放假安排", arrangement, after={
        "year": year, "version": version, "notice_number": notice_number, "source_name": arrangement.source_name,
        "note": note, "rest": [f"{d.day:%Y-%m-%d} {d.name}" for d in days if d.kind == rules.REST],
        "work": [f"{d.day:%Y-%m-%d} {d.name}" for d in days if d.kind == rules.WORK]})
    transaction.on_commit(workdays.refresh)
    return arrangement
