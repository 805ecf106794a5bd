"""The audit log as a person reads it: Chinese field labels, "字段：旧值 → 新值", 是/否, people by full name —
no dict literal, no raw field code. And the one formatting helper (core.labels) with hand cases."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import record
from luoshi.core import labels
from luoshi.daily import services as daily_services
from luoshi.orgs import services
from luoshi.orgs.models import Person, Unit
from tests.daily.conftest import DAY, at, build_form

pytestmark = pytest.mark.django_db


def test_values_are_formatted_for_a_person():
    assert labels.format_value(True) == "是" and labels.format_value(False) == "否"
    assert labels.format_value(None) == "—" and labels.format_value("") == "—"
    assert labels.format_value(date(2020, 4, 14)) == "2020-04-14"
    assert labels.format_value(datetime(2020, 4, 14, 1, 5, tzinfo=ZoneInfo("UTC"))) == "2020-04-14 09:05"
    assert labels.format_value("2020-04-14T01:05:00+00:00") == "2020-04-14 09:05"
    assert labels.format_value("10:00:00") == "10:00"
    assert labels.format_value(["济阳街道", "曲堤镇"]) == "济阳街道、曲堤镇"


def test_a_record_and_a_change_read_with_labels():
    names = {"new_cases": "新增病例", "checkpoint": "卡口值守"}
    assert labels.describe({"new_cases": 0, "checkpoint": True}, names) == "新增病例：0；卡口值守：是"
    assert labels.changes({"new_cases": 1, "checkpoint": True}, {"new_cases": 4, "checkpoint": True}, names) == [
        "新增病例：1 → 4"]
    assert labels.changes({"values": {"new_cases": 1}}, {"values": {"new_cases": 0}}, {"values.": names}) == [
        "数据 · 新增病例：1 → 0"]


RAW = re.compile(r"[a-z]+_[a-z_]+=|\{'|\{\"|': |True|False|None")


def audit_cells(client, **params):
    html = client.get("/audit/", params).content.decode()
    return "".join(re.findall(r'<ul class="changes">(.*?)</ul>', html, re.S)), html


def test_the_audit_log_shows_a_change_as_label_old_new(client_for, cast):
    unit = Unit.objects.get(code="370115D03")
    services.save_unit(cast.wang_admin, code=unit.code, name="区商务和投资促进局", kind=unit.kind, region=unit.region)
    cells, html = audit_cells(client_for("wang_admin"), action="修改单位")
    assert "名称：区商务局 → 区商务和投资促进局" in cells
    assert not RAW.search(cells) and "{&#x27;" not in html


def test_the_audit_log_shows_yes_no_and_people_by_full_name(client_for, cast):
    services.set_active(cast.wang_admin, cast.nobody, False)
    person = Person.objects.get(user=cast.zhou_shangwu)
    record(cast.wang_admin, "修改人员", person, before={"name": person.name, "user": None},
           after={"name": person.name, "user": cast.zhou_shangwu.pk})
    c = client_for("wang_admin")
    cells, _ = audit_cells(c, action="停用账号")
    assert "启用：是 → 否" in cells
    cells, html = audit_cells(c, action="修改人员")
    assert "账号：— → 周商务" in cells
    assert ">人员 #" in html  # the type by its Chinese name, not orgs.Person
    assert not RAW.search(cells)


def test_the_audit_log_shows_a_daily_report_by_its_form_labels(client_for, cast):
    build_form(cast)
    daily_services.submit_report(cast.wu_cunju, form="yiqing", village="370115001201", day=DAY, now=at(DAY, 9),
                                 values={"new_cases": 1, "checkpoint": "是"})
    cells, html = audit_cells(client_for("wang_admin"), action="报送村居日报")
    assert "新增病例：1" in cells and "卡口值守：是" in cells and "日期：2020-04-14" in cells
    assert "new_cases" not in cells and "checkpoint" not in cells and not RAW.search(cells)


def test_the_audit_log_has_no_dict_literal_for_any_entry_of_a_busy_day(client_for, cast):
    form = build_form(cast)
    daily_services.change_form(cast.li_ducha, form, deadline="09:30", note="提前")
    services.create_api_token(cast.sun_leader, cast.sun_leader, "区长脚本")
    services.reset_password(cast.wang_admin, cast.zhou_shangwu)
    cells, html = audit_cells(client_for("wang_admin"))
    assert "截止时间：10:00 → 09:30" in cells and "须修改密码：— → 是" in cells or "须修改密码：是" in cells
    assert "新增病例（整数，必填，0～1000）" in cells and "风险等级（选项，低/中/高）" in cells
    assert "integer" not in cells and "label：" not in cells
    assert "角色：领导" in cells and "单位：区商务局" in cells  # choices by label, related objects by name
    assert not RAW.search(cells)
    assert AuditEntry.objects.count() >= 4


def test_apps_tell_the_audit_log_the_names_of_their_types():
    """audit knows no domain app: daily registers the Chinese names of its types whose models have none."""
    from luoshi.audit.labels import type_label

    assert type_label("daily.DailyReport") == "村居日报" and type_label("daily.FormVersion") == "日报表单版本"
    assert type_label("daily.DailyForm") == "日报表单"  # the model's own verbose_name
    assert type_label("auth.User") == "用户" and type_label("no.Such") == "no.Such"
