"""The meeting pack's 项目建设 and 双招双引 sections (issue 24 item 8): the figures of `luoshi projects status` and
`luoshi projects pipeline` for hand-built projects and leads (tests/projects/conftest.py, tests/projects/pipeline/
leads.py: the figures worked out in their docstrings), in the .docx re-read with python-docx and on the print page;
nothing of either when the region has no projects or leads."""

import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.core.management import call_command
from docx import Document

from luoshi.briefings.pack import assemble, word
from tests.projects.conftest import MARCH, TODAY, build_projects
from tests.projects.pipeline.leads import build_pipeline

pytestmark = pytest.mark.both_databases

TODAY_DATE = date(2020, 4, 14)


@pytest.fixture
def both(cast):
    with time_machine.travel(TODAY, tick=False):
        yield build_projects(cast), build_pipeline(cast)


def cli(capsys, *args):
    capsys.readouterr()
    call_command("projects", *args, "--region", "370115", "--period", "2020-03", "--json")
    return json.loads(capsys.readouterr().out)


def reread(pack):
    return Document(io.BytesIO(word.render(pack)))


def table_after(document, first_header):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_header)


def rows(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_sections_have_the_status_and_pipeline_figures(cast, both, capsys):
    with time_machine.travel(TODAY, tick=False):
        pack = assemble.build(cast.jiyang, MARCH, today=TODAY_DATE)
        status = cli(capsys, "status")["summary"]
        pipeline = cli(capsys, "pipeline")
    p = pack.projects
    # by hand (tests/projects/conftest.py): 3 projects, plan 55000, done 8500 → 15.45 %, pace 25, 新建 2, started 1
    assert (p["count"], p["year_plan"], p["done_ytd"]) == (3, D("55000"), D("8500"))
    assert round(p["completion_rate"], 2) == D("15.45") and p["pace"] == D("25")
    assert (p["to_start"], p["started"], p["start_rate"]) == (2, 1, D("50"))
    assert [(r["name"], r["reasons"]) for r in p["red"]] == [("济阳街道社区服务中心", [
        "投资完成率0.0%，低于序时进度25个百分点", "计划2019年12月开工，尚未开工"])]
    # the same figures as `luoshi projects status`
    assert (p["count"], float(p["year_plan"]), float(p["done_ytd"]), p["to_start"], p["started"]) == (
        status["count"], status["year_plan"], status["done_ytd"], status["to_start"], status["started"])
    assert round(float(p["completion_rate"]), 2) == round(status["completion_rate"], 2)
    # 双招双引 by hand (tests/projects/pipeline/leads.py), and as `luoshi projects pipeline`
    q = pack.pipeline
    assert (q["signed"], q["contract_total"], q["started"], q["producing"], q["funds_arrived"], q["fdi_usd"]) == (
        2, D("95000"), 1, 0, D("8520"), D("500"))
    assert (q["signed"], float(q["contract_total"]), q["started"], q["producing"], float(q["funds_arrived"]),
            float(q["fdi_usd"])) == (pipeline["signed"], pipeline["contract_total"], pipeline["started"],
                                     pipeline["producing"], pipeline["funds_arrived"], pipeline["fdi_usd"])


def test_the_docx_carries_both_sections_in_tables_that_fit_a4(cast, both):
    with time_machine.travel(TODAY, tick=False):
        document = reread(assemble.build(cast.jiyang, MARCH, today=TODAY_DATE))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "、项目建设" in text and "、双招双引" in text
    assert ("2020年纳入调度的重点项目3个，年度计划投资5.50亿元，1-3月完成投资8500万元，投资完成率15.5%，"
            "低于序时进度9.55个百分点（序时进度25.0%）；新建项目2个，已开工1个，开工率50.0%；红灯项目1个。") in text
    assert ("2020年1-3月，签约项目2个，合同投资额9.50亿元；已开工1个，已投产0个；到位资金8520万元，"
            "实际利用外资500万美元。") in text
    assert rows(table_after(document, "项目数")) == [word.PROJECT_COLUMNS,
                                                   ["3", "55000", "8500", "15.5", "25.0", "2", "1", "50.0"]]
    assert rows(table_after(document, "序号"))[1] == ["1", "济阳街道社区服务中心", "济阳街道", "0.0",
                                                    "投资完成率0.0%，低于序时进度25个百分点；计划2019年12月开工，尚未开工"]
    assert rows(table_after(document, "签约项目")) == [word.PIPELINE_COLUMNS,
                                                     ["2", "95000", "1", "0", "8520", "500", "9.0"]]
    # portrait A4 leaves 15.6 cm between gongwen's margins: every new table fits
    for widths in (word.PROJECT_WIDTHS, word.RED_WIDTHS, word.PIPELINE_WIDTHS):
        assert sum(widths) <= 15.6


def test_the_print_page_shows_both_sections(both, client_for):
    page = client_for("zhao_fagai").get("/briefings/pack?region=370115&period=2020-03").content.decode()
    assert 'id="pack-projects"' in page and 'id="pack-pipeline"' in page
    assert "红灯项目1个" in page and "济阳街道社区服务中心" in page and "实际利用外资500万美元" in page


def test_nothing_of_either_without_projects_or_leads(cast, client_for):
    pack = assemble.build(cast.jiyang, MARCH, today=TODAY_DATE)
    assert pack.projects is None and pack.pipeline is None
    text = "\n".join(p.text for p in reread(pack).paragraphs)
    assert "项目建设" not in text and "双招双引" not in text
    page = client_for("zhao_fagai").get("/briefings/pack?region=370115&period=2020-03").content.decode()
    assert 'id="pack-projects"' not in page and 'id="pack-pipeline"' not in page
