"""Writes to the pools: monthly reports as versions, refusals in Chinese with nothing saved, permissions."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.projects import services
from luoshi.projects.models import MonthlyReport, Project
from luoshi.projects.rules import NEW
from tests.projects.conftest import MARCH


pytestmark = pytest.mark.both_databases  # transactions, the partial unique index of current reports, rollbacks


def test_a_correction_is_a_new_version_and_the_first_stays(cast, pool, frozen):
    first = MonthlyReport.objects.get(project=pool.p1, period=MARCH)
    second = services.submit_report(cast.zhou_shangwu, pool.p1, period=MARCH, amount="3200", progress="主体封顶",
                                    corrects=first, correction_note="漏报设备款")
    assert (second.series, second.version, second.is_current) == (first.series, 2, True)
    first.refresh_from_db()
    assert first.is_current is False and first.amount == D("3000.00")
    assert MonthlyReport.objects.filter(project=pool.p1, period=MARCH).count() == 2


def test_a_second_report_of_the_same_month_must_be_a_correction(cast, pool, frozen):
    with pytest.raises(Rejected, match="2020年3月已报送（第1版），如需修改请点「更正」"):
        services.submit_report(cast.zhou_shangwu, pool.p1, period=MARCH, amount="10")


def test_a_report_keeps_its_photos_in_the_attachment_storage(cast, pool, frozen):
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0 photo")
    report = services.submit_report(cast.zhou_shangwu, pool.p1, period=date(2020, 4, 1), amount="100",
                                    progress="厂房钢结构吊装", photos=[photo])
    stored = report.photos.get()
    assert stored.name == "现场.jpg" and stored.file.read() == b"\xff\xd8\xff\xe0 photo"


@pytest.mark.parametrize("amount, photos, message", [
    ("-1", [], "本月完成投资：金额不能为负数（-1）"),
    ("inf", [], "本月完成投资：应为有限的数字（万元）"),
    ("100", [SimpleUploadedFile("a.exe", b"MZ")], "附件「a.exe」的类型不允许"),
    ("100", [SimpleUploadedFile("a.jpg", b"not a jpeg")], "附件「a.jpg」的内容与扩展名不符"),
])
def test_bad_reports_are_refused_in_chinese_and_nothing_is_saved(cast, pool, frozen, amount, photos, message):
    before = (MonthlyReport.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Rejected, match=message):
        services.submit_report(cast.zhou_shangwu, pool.p1, period=date(2020, 4, 1), amount=amount, photos=photos)
    assert (MonthlyReport.objects.count(), AuditEntry.objects.count()) == before


def test_a_month_to_come_is_refused(cast, pool, frozen):
    with pytest.raises(Rejected, match="调度月份 2020-05 晚于本月"):
        services.submit_report(cast.zhou_shangwu, pool.p1, period=date(2020, 5, 1), amount="1")


def test_only_the_responsible_unit_or_the_office_reports(cast, pool, frozen):
    with pytest.raises(PermissionDenied):
        services.submit_report(cast.zheng_caizheng, pool.p1, period=date(2020, 4, 1), amount="1")
    services.submit_report(cast.zhao_fagai, pool.p1, period=date(2020, 4, 1), amount="1")


def test_the_office_of_the_region_manages_its_pool_and_nobody_else(cast, pool, frozen):
    values = dict(region=cast.jiyang, name="新项目", kind=NEW, unit=cast.units.shangwu, total_investment=D("100"),
                  year_plans={2020: D("50")})
    for user in (cast.zhou_shangwu, cast.sun_leader, cast.ma_lixia, cast.li_ducha):
        with pytest.raises(PermissionDenied):
            services.save_project(user, **values)
    project, outcome = services.save_project(cast.zhao_fagai, **values)
    assert outcome == "created"
    assert services.save_project(cast.zhao_fagai, **values) == (project, "unchanged")


@pytest.mark.parametrize("change, message", [
    ({"year_plans": {2020: D("200")}}, "2020年计划投资 200.00 万元超过总投资 100.00 万元"),
    ({"funding": {"自有资金": D("60"), "银行贷款": D("30")}}, "资金构成合计 90.00 万元与总投资 100.00 万元不一致"),
    ({"total_investment": D("-1")}, "总投资不能为负数"),
    ({"unit": "lixia_gov"}, "责任单位「历下区政府办公室」不属于济阳区"),
    ({"kind": "扩建"}, "项目性质应为「新建」或「续建」"),
])
def test_a_project_that_does_not_add_up_is_refused(cast, frozen, change, message):
    values = dict(region=cast.jiyang, name="新项目", kind=NEW, unit=cast.units.shangwu, total_investment=D("100"),
                  year_plans={2020: D("50")})
    if change.get("unit") == "lixia_gov":
        change = {"unit": cast.units.lixia_gov}
    values.update(change)
    with pytest.raises(Rejected, match=message):
        services.save_project(None, **values)
    assert not Project.objects.filter(name="新项目").exists()


def test_thresholds_that_contradict_each_other_are_refused(cast, frozen):
    with pytest.raises(Rejected, match="黄灯差距应小于红灯差距"):
        services.save_thresholds(cast.zhao_fagai, cast.jiyang, yellow_gap="40", red_gap="30")
    with pytest.raises(PermissionDenied):
        services.save_thresholds(cast.sun_leader, cast.jiyang, yellow_gap="5")
