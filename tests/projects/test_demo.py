"""The demo's project pool: about 60 projects of 济阳区 in a realistic state for the demo's day, built again unchanged."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from luoshi.projects.models import MonthlyReport, Project

pytestmark = pytest.mark.both_databases


def test_the_2020_demo_has_sixty_projects_in_a_realistic_state_and_builds_again_unchanged(empty_database):
    call_command("demo", "--on", "2020-05-12", "--no-accounts", stdout=StringIO())
    assert Project.objects.filter(region__code="370115").count() == 60
    reports = MonthlyReport.objects.count()
    assert reports > 150 and not MonthlyReport.objects.filter(period__gte="2020-05-01").exists()  # 12 May: up to April
    out = StringIO()
    call_command("projects", "status", "--region", "370115", "--period", "2020-04", "--json", stdout=out)
    data = json.loads(out.getvalue())
    lights = [p["light"] for p in data["projects"]]
    assert data["summary"]["count"] == 60
    assert lights.count("green") > lights.count("yellow") > 0 and lights.count("red") > 0
    assert 0 < data["summary"]["start_rate"] < 100 and data["summary"]["started_not_in_statistics"]
    assert Project.objects.filter(unit__code="370115D03").exists() and Project.objects.filter(unit__code="370115001").exists()
    call_command("demo", "--on", "2020-05-12", "--no-accounts", stdout=StringIO())
    assert (Project.objects.count(), MonthlyReport.objects.count()) == (60, reports)
