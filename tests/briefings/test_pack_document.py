"""The pack's .docx is the document python-docx and openpyxl wrote before issue 26 made it faster: rendered once as it
is and once with the reference writers (python-docx's setters for paragraphs and table cells, openpyxl for the charts'
embedded workbooks, tests/core/test_gongwen.py), every XML part must be equal byte for byte and every workbook hold the
same cells. The demo-like scene has the indicator table, the outlook, charts, key work, the units' sections of a
meeting and its follow-ups."""

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from luoshi.briefings.pack import assemble, charts, word
from luoshi.core import gongwen
from luoshi.core.exports import append_as_data
from tests.briefings.test_pack import city  # noqa: F401  (the fixture)
from tests.core.test_gongwen import reference_para, reference_table

pytestmark = pytest.mark.both_databases


def reference_workbook(names, series):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    append_as_data(ws, [""] + [label for label, _ in series])
    for i, name in enumerate(names):
        append_as_data(ws, [str(name)] + [values[i] for _, values in series])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cells(blob):
    sheet = load_workbook(io.BytesIO(blob)).active
    return sheet.title, [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]


def assert_same_document(fast, slow):
    fast, slow = zipfile.ZipFile(io.BytesIO(fast)), zipfile.ZipFile(io.BytesIO(slow))
    assert sorted(fast.namelist()) == sorted(slow.namelist())
    for name in slow.namelist():
        if name.endswith(".xlsx"):
            new, old = zipfile.ZipFile(io.BytesIO(fast.read(name))), zipfile.ZipFile(io.BytesIO(slow.read(name)))
            assert new.read("xl/worksheets/sheet1.xml") == old.read("xl/worksheets/sheet1.xml"), name
            assert cells(fast.read(name)) == cells(slow.read(name)), name
        else:
            assert fast.read(name) == slow.read(name), name


def render_both(pack, monkeypatch):
    fast = word.render(pack)
    with monkeypatch.context() as m:
        m.setattr(gongwen, "para", reference_para)
        m.setattr(gongwen, "table", reference_table)
        m.setattr(charts, "workbook_bytes", reference_workbook)
        slow = word.render(pack)
    return fast, slow


def test_the_region_pack_is_the_document_python_docx_wrote(city, monkeypatch):  # noqa: F811
    from luoshi.orgs.models import Region

    pack = assemble.build(Region.objects.get(code="370115"), date(2020, 3, 1), today=date(2020, 5, 12))
    assert pack.rows and (pack.value_chart or pack.weakness_charts)
    fast, slow = render_both(pack, monkeypatch)
    assert_same_document(fast, slow)
    parts = zipfile.ZipFile(io.BytesIO(fast)).namelist()
    assert sum(n.startswith("word/charts/chart") for n in parts) == sum(n.endswith(".xlsx") for n in parts) >= 1


def test_a_meetings_pack_with_sections_and_follow_ups_is_the_document_python_docx_wrote(meeting, monkeypatch):
    pack = assemble.build(meeting.region, date(2020, 3, 1), meeting=meeting, today=date(2020, 5, 12))
    fast, slow = render_both(pack, monkeypatch)
    assert_same_document(fast, slow)
