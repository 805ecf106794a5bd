"""The demo's accounts (luoshi/orgs/demo.py), on the demo built around today and on the 2020 demo: every unit with work
in the demo — lead or responsible unit of a task, addressee of a notice, answerable for an indicator's meeting section
— has an account of its own, so every notice can be answered; 发改局's head (fagai) holds two roles; `make run`
prints them all on a few lines."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from luoshi.briefings.models import Section
from luoshi.indicators.models import Responsibility
from luoshi.orgs import demo as orgs_demo
from luoshi.orgs.access import units_with_accounts
from luoshi.orgs.models import Role, RoleAssignment, Unit
from luoshi.supervision import access as supervision_access
from luoshi.supervision.models import Notice
from luoshi.work.models import REPORTING_ROLES, TaskUnit
from tests.conftest import committed_data

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module", params=["today", "2020-05-12"])
def demo(request, django_db_setup, django_db_blocker):
    """`luoshi demo` once per demo day (it takes seconds) in an emptied database; the cast is back afterwards."""
    def build():
        args = [] if request.param == "today" else ["--on", request.param]
        with override_settings(PASSWORD_HASHERS=FAST_HASHER):
            call_command("demo", *args, stdout=io.StringIO())

    with committed_data(django_db_blocker, build):
        yield request.param


def units_with_work():
    """Every unit the demo gives work to: tasks to lead or be responsible for, notices to answer, sections to write."""
    ids = set(TaskUnit.objects.filter(role__in=REPORTING_ROLES).values_list("unit_id", flat=True))
    ids |= set(Notice.objects.values_list("unit_id", flat=True))
    ids |= set(Responsibility.objects.values_list("unit_id", flat=True))
    ids |= set(Section.objects.values_list("unit_id", flat=True))
    return ids


def test_every_unit_with_work_in_the_demo_has_an_account_of_its_own(demo):
    with_work = units_with_work()
    assert len(with_work) >= 30  # the plan's departments and towns, the indicators' units
    missing = Unit.objects.filter(pk__in=with_work - units_with_accounts(with_work)).values_list("name", flat=True)
    assert list(missing) == []


def test_every_notice_of_the_demo_can_be_answered_by_a_demo_account_other_than_the_administrator(demo):
    notices = list(Notice.objects.select_related("unit"))
    assert notices
    users = [u for u in get_user_model().objects.filter(role_assignments__role=Role.UNIT).distinct()]
    for notice in notices:
        answerers = [u.username for u in users if supervision_access.can_answer(u, notice)]
        assert answerers, f"{notice.number}（{notice.unit.name}）无人可以答复"


def test_fagai_is_the_analysis_office_and_his_bureaus_unit_and_signs_in_with_the_demo_password(demo):
    fagai = get_user_model().objects.get(username="fagai")
    roles = set(RoleAssignment.objects.filter(user=fagai).values_list("role", "region__code", "unit__code"))
    assert roles == {(Role.ANALYSIS, "370115", None), (Role.UNIT, None, "370115D01")}
    assert fagai.check_password(orgs_demo.DEMO_PASSWORD)
    assert get_user_model().objects.get(username="zhujian").check_password(orgs_demo.DEMO_PASSWORD)


def test_the_meeting_sections_are_written_by_the_units_own_accounts(demo):
    sections = Section.objects.select_related("unit", "submitted_by")
    assert sections.exists()
    for section in sections:
        assert section.submitted_by is not None and section.proxy_label == ""
        assert RoleAssignment.objects.filter(user=section.submitted_by, role=Role.UNIT, unit=section.unit).exists()
    assert sections.filter(unit__code="370115D01", submitted_by__username="fagai").exists()


def test_make_run_prints_every_account_on_a_few_lines(demo):
    out = io.StringIO()
    call_command("accounts", stdout=out)
    text = out.getvalue()
    for username, *_ in orgs_demo.all_accounts():
        assert f"{username} " in text
    assert "fagai      发改局（经济分析） + 责任单位（发改局）" in text and "单位账号" in text
    assert orgs_demo.DEMO_PASSWORD in text
    assert len(text.splitlines()) <= 20  # grouped, not one line per unit
    # Every account the demo made is listed, none more.
    assert {u for u in get_user_model().objects.values_list("username", flat=True)} == \
        {a[0] for a in orgs_demo.all_accounts()}


def test_the_demo_leader_has_proposals_to_decide_and_one_came_from_the_office_by_hand(demo):
    from luoshi.supervision.consequences.models import Consequence, ProposalSource
    from luoshi.supervision.consequences.queries import pending_for_leader

    if demo != "today":
        pytest.skip("the 2020 story ends on 12 May, before any 结果运用")
    pending = pending_for_leader(get_user_model().objects.get(username="leader"))
    by_hand = Consequence.objects.get(source=ProposalSource.MANUAL)
    assert by_hand.unit.name == "区商务局" and by_hand.proposed_by.username == "ducha"
    assert by_hand.pk in {item.obj.pk for item in pending if item.kind == "consequence"}
