"""Forms and their versions, submitting, corrections, idempotency, zero reports, bad input."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.daily import services
from luoshi.daily.models import DailyReport, FormAssignment
from tests.daily.conftest import DAY, FIELDS, GOOD, at, submit

pytestmark = pytest.mark.django_db


def test_supervision_office_defines_a_form_with_a_first_version_and_default_deadline(form):
    assert form.current_version.number == 1
    assert form.current_version.deadline == time(10, 0)
    assert [f["key"] for f in form.current_version.fields] == ["new_cases", "returnees", "checkpoint", "risk", "note"]
    assert FormAssignment.objects.filter(form=form).count() == 3
    assert AuditEntry.objects.filter(action="新建日报表单").count() == 1


def test_only_supervision_or_admin_may_define_forms(cast):
    for name in ["sun_leader", "sun_jiedao", "wu_cunju"]:
        with pytest.raises(PermissionDenied):
            services.define_form(getattr(cast, name), code="x", title="x", region=cast.jiyang, fields=FIELDS)
    services.define_form(cast.wang_admin, code="x", title="x", region=cast.jiyang, fields=FIELDS)


def test_supervision_office_cannot_assign_villages_outside_its_form_district(cast, form):
    with pytest.raises(Rejected) as err:
        services.assign_villages(cast.li_ducha, form, ["370102"], DAY)
    assert "历下区（370102）不在济阳区范围内" in err.value.messages


def test_a_report_before_the_deadline_is_on_time_and_audited(cast, form):
    report, created = submit(cast, now=at(DAY, 9, 30))
    assert created and report.version == 1 and not report.late and report.is_current
    assert report.values == {"new_cases": 1, "returnees": 12, "checkpoint": True, "risk": "低", "note": None}
    assert report.form_version == form.current_version
    assert AuditEntry.objects.filter(action="报送村居日报", object_id=str(report.pk)).exists()


def test_a_report_after_the_deadline_is_accepted_and_marked_late(cast, form):
    report, _ = submit(cast, now=at(DAY, 10, 1))
    assert report.late and report.status == "late"


def test_same_idempotency_key_twice_makes_one_report(cast, form):
    first, created = submit(cast, idempotency_key="tap-1")
    again, created_again = submit(cast, idempotency_key="tap-1", now=at(DAY, 9, 1))
    assert created and not created_again and again.pk == first.pk
    assert DailyReport.objects.count() == 1


def test_a_retry_of_the_first_report_after_a_correction_does_not_make_a_third_version(cast, form):
    submit(cast, idempotency_key="k1")
    submit(cast, idempotency_key="k2", values={**GOOD, "new_cases": 2})
    again, created = submit(cast, idempotency_key="k1")
    assert not created and again.version == 1
    assert DailyReport.objects.count() == 2


def test_a_correction_the_same_day_is_a_new_version_and_the_earlier_stays(cast, form):
    first, _ = submit(cast, now=at(DAY, 9))
    second, _ = submit(cast, now=at(DAY, 11), values={**GOOD, "new_cases": 3}, note="补报一例")
    first.refresh_from_db()
    assert (first.version, first.is_current, first.values["new_cases"]) == (1, False, 1)
    assert (second.version, second.is_current, second.values["new_cases"]) == (2, True, 3)
    # the day was reported on time; a later correction does not make it late
    assert not second.late and second.first_submitted_at == at(DAY, 9)
    assert AuditEntry.objects.filter(action="更正村居日报").count() == 1


def test_zero_report_is_one_call_and_still_a_report(cast, form):
    report, _ = submit(cast, values=None, zero_report=True)
    assert report.zero_report
    assert report.values == {"new_cases": 0, "returnees": 0, "checkpoint": None, "risk": None, "note": None}


def test_a_form_change_makes_a_new_version_and_old_reports_keep_theirs(cast, form):
    old, _ = submit(cast)
    services.change_form(cast.li_ducha, form, fields=FIELDS + "\nmasks | 口罩储备 | 整数 | 必填 | 0-", deadline="09:00",
                         note="增加口罩储备")
    form.refresh_from_db()
    assert form.current_version.number == 2 and form.current_version.deadline == time(9, 0)
    with pytest.raises(Rejected) as err:
        submit(cast, village="370115001202", user="chen_cunju")
    assert err.value.messages == ["「口罩储备」为必填项"]
    new, _ = submit(cast, village="370115001202", user="chen_cunju", values={**GOOD, "masks": 50}, now=at(DAY, 9, 30))
    old.refresh_from_db()
    assert old.form_version.number == 1 and new.form_version.number == 2
    assert new.late  # the new deadline is 09:00


def test_changing_only_the_title_does_not_make_a_new_version(cast, form):
    services.change_form(cast.li_ducha, form, title="防控日报")
    form.refresh_from_db()
    assert form.title == "防控日报" and form.current_version.number == 1


def test_reporter_cannot_submit_for_another_village(cast, form):
    with pytest.raises(PermissionDenied) as err:
        submit(cast, user="wu_cunju", village="370115001202")
    assert "只能报送本村（社区）" in str(err.value)
    assert DailyReport.objects.count() == 0


@pytest.mark.parametrize("name", ["sun_jiedao", "li_ducha", "wang_admin", "sun_leader"])
def test_nobody_but_the_village_reporter_sends_or_corrects_its_report(cast, form, name):
    submit(cast)
    with pytest.raises(PermissionDenied):
        submit(cast, user=name)
    assert DailyReport.objects.count() == 1


def test_future_date_is_refused_and_nothing_saved(cast, form):
    with pytest.raises(Rejected) as err:
        submit(cast, day=date(2020, 4, 15), now=at(DAY, 9))
    assert err.value.messages == ["不能报送未来日期（2020-04-15）的日报，今天是 2020-04-14"]
    assert DailyReport.objects.count() == 0


def test_a_form_the_village_is_not_on_is_refused(cast, form):
    services.define_form(cast.li_ducha, code="flood", title="防汛日报", region=cast.jiyang, fields=FIELDS)
    with pytest.raises(Rejected) as err:
        services.submit_report(cast.wu_cunju, form="flood", village="370115001201", day=DAY, values=GOOD, now=at(DAY, 9))
    assert err.value.messages == ["本村（社区）不在该日报的报送范围内"]
    with pytest.raises(Rejected) as err:
        services.submit_report(cast.wu_cunju, form="nope", village="370115001201", day=DAY, values=GOOD, now=at(DAY, 9))
    assert err.value.messages == ["日报表单「nope」不存在"]


def test_bad_values_are_all_listed_and_nothing_is_saved(cast, form):
    with pytest.raises(Rejected) as err:
        submit(cast, values={"new_cases": "abc", "returnees": -5, "risk": "极高"})
    assert len(err.value.messages) == 4
    assert "「新增病例」应为整数，而不是「abc」" in err.value.messages
    assert DailyReport.objects.count() == 0 and not AuditEntry.objects.filter(action="报送村居日报").exists()


def test_a_day_before_the_village_started_is_refused(cast, form):
    with pytest.raises(Rejected) as err:
        submit(cast, day=date(2020, 3, 31), now=at(DAY, 9))
    assert "2020-04-01 起" in err.value.messages[0]


def test_a_report_for_an_earlier_day_is_accepted_as_late(cast, form):
    report, _ = submit(cast, day=date(2020, 4, 13), now=at(DAY, 8))
    assert report.late


def test_the_database_itself_refuses_a_second_report_with_the_same_key(cast, form):
    from django.db import IntegrityError, transaction

    report, _ = submit(cast, idempotency_key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReport.objects.create(form=report.form, form_version=report.form_version, village=report.village, day=report.day,
                                   version=2, is_current=False, values={}, first_submitted_at=report.submitted_at,
                                   submitted_at=report.submitted_at, idempotency_key="same")


def test_the_database_itself_refuses_two_current_versions_of_a_day(cast, form):
    from django.db import IntegrityError, transaction

    report, _ = submit(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReport.objects.create(form=report.form, form_version=report.form_version, village=report.village, day=report.day,
                                   version=2, is_current=True, values={}, first_submitted_at=report.submitted_at,
                                   submitted_at=report.submitted_at, idempotency_key="other")


def test_a_stopped_form_refuses_reports(cast, form):
    services.change_form(cast.li_ducha, form, active=False)
    with pytest.raises(Rejected) as err:
        submit(cast)
    assert err.value.messages == ["日报「疫情防控日报」已停用"]


def test_a_village_taken_off_the_form_is_no_longer_expected_after_its_end_date(cast, form):
    from luoshi.daily import queries

    services.assign_villages(cast.li_ducha, form, ["370115001202"], date(2020, 4, 1), date(2020, 4, 10))
    assert [r["village"] for r in queries.day_rows(form, date(2020, 4, 10))] == ["370115001201", "370115001202", "370115101201"]
    assert [r["village"] for r in queries.day_rows(form, date(2020, 4, 11))] == ["370115001201", "370115101201"]
    with pytest.raises(Rejected, match="至 2020-04-10"):
        submit(cast, user="chen_cunju", village="370115001202")
