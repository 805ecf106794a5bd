"""Web pages per role: the reporter's page and submitting, town and district status, history, export, forms."""

import io

import pytest
import time_machine
from openpyxl import load_workbook

from luoshi.daily.models import DailyReport
from tests.daily.conftest import DAY, GOOD, at, submit

pytestmark = pytest.mark.django_db

MORNING = at(DAY, 9, 15)


def post_report(client, form="yiqing", village="370115001201", key="k-1", zero=False, **values):
    data = {"village": village, "date": DAY.isoformat(), "key": key}
    data.update({f"f_{k}": v for k, v in ({**GOOD, **values} if not zero else {}).items()})
    if zero:
        data["zero"] = "1"
    return client.post(f"/daily/report/{form}/submit", data)


@pytest.fixture
def frozen():
    with time_machine.travel(MORNING, tick=False):
        yield


def test_reporter_sees_todays_form_for_own_village(client_for, form, frozen):
    response = client_for("wu_cunju").get("/daily/report/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "东关村 · 今天4月14日日报" in html and "疫情防控日报" in html and "零报告（今日无情况）" in html
    assert 'name="f_new_cases"' in html


def test_reporter_index_goes_to_the_report_page(client_for, form, frozen):
    assert client_for("wu_cunju").get("/daily/").url == "/daily/report/"


def test_reporter_submits_from_the_page_and_a_double_tap_saves_once(client_for, form, frozen):
    c = client_for("wu_cunju")
    first = post_report(c)
    assert first.status_code == 302
    again = post_report(c)
    assert again.status_code == 302
    assert DailyReport.objects.count() == 1
    page = c.get(again.url).content.decode()
    assert "这份日报已经收到（重复提交未重复保存）" in page
    assert "已报送第1版" in page


def test_zero_report_is_one_tap(client_for, form, frozen):
    c = client_for("wu_cunju")
    response = c.post("/daily/report/yiqing/submit", {"village": "370115001201", "date": DAY.isoformat(), "key": "z", "zero": "1"})
    assert response.status_code == 302
    report = DailyReport.objects.get()
    assert report.zero_report and report.values["new_cases"] == 0
    assert "4月14日零报告已报送" in c.get(response.url).content.decode()


def test_bad_values_on_the_page_show_chinese_messages_and_keep_what_was_typed(client_for, form, frozen):
    response = post_report(client_for("wu_cunju"), new_cases="abc", returnees="-3")
    html = response.content.decode()
    assert response.status_code == 400
    assert "「新增病例」应为整数，而不是「abc」" in html and "「返乡人员」应在 0 到 1000000000 之间，填写的是 -3" in html
    assert 'value="abc"' in html
    assert DailyReport.objects.count() == 0


def test_correction_on_the_page_keeps_the_earlier_version_visible(client_for, form, frozen):
    c = client_for("wu_cunju")
    post_report(c, key="a")
    response = post_report(c, key="b", new_cases="4")
    assert "已更正：4月14日第2版" in c.get(response.url).content.decode()
    history = c.get("/daily/village/370115001201/").content.decode()
    assert "第1版（已更正）" in history and "新增病例：1" in history and "新增病例：4" in history
    assert "卡口值守：是" in history and "new_cases=" not in history and "checkpoint" not in history


def test_reporter_cannot_post_for_another_village(client_for, form, frozen):
    response = post_report(client_for("wu_cunju"), village="370115001202")
    assert response.status_code == 403
    assert DailyReport.objects.count() == 0


def test_reporter_cannot_read_another_village_or_the_town(client_for, form, frozen):
    c = client_for("wu_cunju")
    assert c.get("/daily/village/370115001202/").status_code == 403
    assert c.get("/daily/town/370115001/").status_code == 403
    assert c.get("/daily/village/370115001201/").status_code == 200


def test_future_date_on_the_page_is_refused(client_for, form, frozen):
    c = client_for("wu_cunju")
    response = c.post("/daily/report/yiqing/submit", {"village": "370115001201", "date": "2020-04-15", "key": "f", "zero": "1"})
    assert response.status_code == 400
    assert "不能报送未来日期（2020-04-15）的日报" in response.content.decode()


def test_town_sees_its_villages_and_who_has_not_reported(cast, client_for, form, frozen):
    submit(cast, now=at(DAY, 8))
    c = client_for("sun_jiedao")
    assert c.get("/daily/").url.startswith("/daily/town/370115001/")
    html = c.get("/daily/town/370115001/").content.decode()
    assert "东关村" in html and "西街社区" in html and "王家村" not in html
    missing = html.split('id="missing"')[1].split("</div>")[0]
    assert "西街社区" in missing and "东关村" not in missing
    assert 'hx-trigger="every 30s' in html


def test_town_cannot_read_another_town(client_for, form, frozen):
    c = client_for("sun_jiedao")
    assert c.get("/daily/town/370115101/").status_code == 403
    assert c.get("/daily/village/370115101201/").status_code == 403
    assert c.get("/daily/?area=370115").status_code == 403


def test_town_partial_refresh_returns_the_table_only(cast, client_for, form, frozen):
    c = client_for("sun_jiedao")
    before = c.get("/daily/town/370115001/?form=yiqing&partial=1").content.decode()
    assert "<html" not in before and "未报的村（社区） <small class=\"muted\">2 个" in before
    submit(cast, user="chen_cunju", village="370115001202", now=at(DAY, 9))
    after = c.get("/daily/town/370115001/?form=yiqing&partial=1").content.decode()
    assert "未报的村（社区） <small class=\"muted\">1 个" in after


def test_district_sees_the_roll_up_by_town_with_sums(cast, client_for, form, frozen):
    submit(cast, now=at(DAY, 8))
    submit(cast, user="chen_cunju", village="370115001202", now=at(DAY, 9), values={**GOOD, "new_cases": 2})
    submit(cast, user=None, village="370115101201", now=at(DAY, 9), zero_report=True, values=None)
    html = client_for("sun_leader").get("/daily/?date=2020-04-14").content.decode()
    row = html.split('data-town="370115001"')[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    # 应报 按时 逾期 未报 零报告 报送率 新增病例 返乡人员
    assert cells[1:] == ["2", "2", "0", "0", "0", "100.0%", "3", "24"]
    assert "缺报最多的村（社区）" in html


@pytest.mark.parametrize("name", ["sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "wang_admin"])
def test_district_roles_read_every_town(client_for, form, frozen, name):
    html = client_for(name).get("/daily/?area=370115").content.decode()
    assert 'data-town="370115001"' in html and 'data-town="370115101"' in html


def test_a_leader_of_another_district_sees_nothing_of_jiyang(client_for, form, frozen):
    c = client_for("ma_lixia")
    assert c.get("/daily/town/370115001/").status_code == 403
    html = c.get("/daily/").content.decode()
    assert "370115001" not in html


@pytest.mark.parametrize("name", ["zhou_shangwu", "nobody"])
def test_departments_and_people_without_a_role_cannot_read_daily_reports(client_for, form, frozen, name):
    assert client_for(name).get("/daily/").status_code == 403


def test_export_is_an_xlsx_with_one_row_per_village(cast, client_for, form, frozen):
    submit(cast, now=at(DAY, 10, 30))
    response = client_for("sun_jiedao").get("/daily/export.xlsx?area=370115001&date=2020-04-14&form=yiqing")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:7] == ("镇（街道）", "村（社区）", "代码", "状态", "首次报送时间", "零报告", "版本")
    assert rows[1][1:4] == ("东关村", "370115001201", "逾期报送") and rows[1][7] == 1
    assert rows[2][1:4] == ("西街社区", "370115001202", "未报")
    assert len(rows) == 3


def test_streaks_on_the_town_page(cast, client_for, form):
    from datetime import date

    for d in [12, 13, 14]:
        day = date(2020, 4, d)
        submit(cast, day=day, now=at(day, 9), idempotency_key=f"s{d}")
    with time_machine.travel(MORNING, tick=False):
        html = client_for("sun_jiedao").get("/daily/town/370115001/").content.decode()
    row = html.split('id="streaks"')[1].split("东关村")[1].split("</tr>")[0]
    assert '<td class="num">3</td><td class="num">11</td>' in row  # 3 days on time, 11 missed since 1 April


def test_supervision_office_defines_and_changes_a_form_on_the_page(cast, client_for, frozen):
    c = client_for("li_ducha")
    response = c.post("/daily/forms/", {"region": "370115", "code": "fangxun", "title": "防汛日报", "deadline": "09:30",
                                        "fields": "water | 水位超警 | 是否 | 必填\npeople | 转移人数 | 整数 | | 0-"})
    assert response.status_code == 302 and response.url == "/daily/forms/fangxun/"
    response = c.post("/daily/forms/fangxun/", {"action": "assign", "codes": "370115001", "starts_on": "2020-04-14"})
    assert response.status_code == 302
    response = c.post("/daily/forms/fangxun/", {"action": "change", "title": "防汛日报", "deadline": "09:30", "remind": "30",
                                                "fields": "water | 水位超警 | 是否 | 必填", "note": "删去转移人数"})
    html = c.get("/daily/forms/fangxun/").content.decode()
    assert "第2版" in html and "删去转移人数" in html and "370115001202" in html


def test_bad_form_definition_on_the_page_is_explained(client_for, frozen):
    response = client_for("li_ducha").post("/daily/forms/", {"region": "370115", "code": "x", "title": "x", "fields": "a | 甲 | 小数"})
    assert response.status_code == 400
    assert "类型「小数」无法识别" in response.content.decode()


@pytest.mark.parametrize("name", ["sun_jiedao", "wu_cunju", "sun_leader"])
def test_only_supervision_defines_forms(client_for, form, frozen, name):
    c = client_for(name)
    assert c.post("/daily/forms/", {"region": "370115", "code": "y", "title": "y", "fields": "a | 甲 | 整数"}).status_code == 403
    assert c.post("/daily/forms/yiqing/", {"action": "change", "deadline": "08:00"}).status_code == 403


def test_navigation_shows_daily_reports_as_live(client_for, form, frozen):
    html = client_for("sun_leader").get("/daily/").content.decode()
    assert 'href="/daily/"' in html
