"""Notice pages: the list's filters, the detail's forms per viewer, opening from a task, the print view, the .docx."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document

from luoshi.supervision import services

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_the_list_filters_by_state_unit_and_overdue_for_reply(plan, cast, client_for, may_12):
    first = services.open_notice(cast.li_ducha, plan.t1, on=date(2020, 5, 1))  # reply_due 2020-05-11: overdue
    second = services.open_notice(cast.li_ducha, plan.t2, on=may_12)
    services.reply(cast.zheng_caizheng, second, "已报批。", on=may_12)
    office = client_for("li_ducha")
    everything = text(office.get("/supervision/notices/"))
    assert first.number in everything and second.number in everything and "逾期未答复" in everything
    replied = text(office.get("/supervision/notices/?state=replied"))
    assert second.number in replied and first.number not in replied
    by_unit = text(office.get(f"/supervision/notices/?unit={cast.units.shangwu.pk}"))
    assert first.number in by_unit and second.number not in by_unit
    copied = text(office.get(f"/supervision/notices/?unit={cast.units.town.pk}"))  # copied on task 1's notice
    assert first.number in copied and second.number not in copied
    overdue = text(office.get("/supervision/notices/?overdue=1"))
    assert first.number in overdue and second.number not in overdue
    api = office.get("/api/v1/supervision/notices?overdue=true").json()
    assert [n["number"] for n in api] == [first.number]
    assert office.get("/supervision/notices/?unit=abc&state=<b>").status_code == 200


def test_the_task_page_links_to_its_notices_and_the_office_opens_one_with_the_reason_filled_in(plan, cast, client_for,
                                                                                             may_12):
    office = client_for("li_ducha")
    task_page = text(office.get(f"/work/tasks/{plan.t1.pk}/"))
    assert f"/supervision/notices/?task={plan.t1.pk}" in task_page and "开督办单" in task_page
    assert "开督办单" not in text(client_for("zhou_shangwu").get(f"/work/tasks/{plan.t1.pk}/"))
    listing = text(office.get(f"/supervision/notices/?task={plan.t1.pk}"))
    assert f"/supervision/notices/open/{plan.t1.pk}" in listing
    assert "/supervision/notices/open/" not in text(client_for("sun_leader").get(f"/supervision/notices/?task={plan.t1.pk}"))
    form = text(office.get(f"/supervision/notices/open/{plan.t1.pk}"))
    assert "已滞后 6 个工作日" in form and 'value="2020-05-19"' in form
    response = office.post(f"/supervision/notices/open/{plan.t1.pk}",
                           {"reason": "请说明1.1滞后原因", "reply_due": "2020-05-20", "milestone": plan.m11.pk})
    notice = plan.t1.notices.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/notices/{notice.pk}/"
    assert (notice.reason, notice.reply_due, notice.milestone) == ("请说明1.1滞后原因", date(2020, 5, 20), plan.m11)
    again = office.post(f"/supervision/notices/open/{plan.t1.pk}", {"reason": "再开一份"})
    assert again.status_code == 400 and "已有未办结的督办单" in text(again)
    bad_day = office.post(f"/supervision/notices/open/{plan.t2.pk}", {"reason": "x", "reply_due": "2020-02-30"})
    assert bad_day.status_code == 400 and "不是真实的日期" in text(bad_day)
    assert plan.t2.notices.count() == 0


def test_the_detail_shows_each_viewer_only_the_forms_it_may_use(notice, cast, client_for):
    unit_page = text(client_for("zhou_shangwu").get(f"/supervision/notices/{notice.pk}/"))
    assert 'id="reply-form"' in unit_page and 'id="accept-form"' not in unit_page
    office_page = text(client_for("li_ducha").get(f"/supervision/notices/{notice.pk}/"))
    assert 'id="reply-form"' not in office_page and 'id="accept-form"' not in office_page  # nothing to review yet
    assert 'id="remind-form"' in office_page
    for reader in ("sun_jiedao", "sun_leader"):
        page = text(client_for(reader).get(f"/supervision/notices/{notice.pk}/"))
        assert 'id="reply-form"' not in page and 'id="accept-form"' not in page and "督办事由" in page
    services.reply(cast.zhou_shangwu, notice, "<script>alert(1)</script>已整改")
    office_page = text(client_for("li_ducha").get(f"/supervision/notices/{notice.pk}/"))
    assert 'id="accept-form"' in office_page and 'id="return-form"' in office_page
    assert "<script>alert(1)" not in office_page and "&lt;script&gt;alert(1)" in office_page


def test_the_office_reminds_the_unit_once_a_day_by_hand(notice, cast, client_for):
    from luoshi.notify.models import Message

    office = client_for("li_ducha")
    assert office.post(f"/supervision/notices/{notice.pk}/remind").status_code == 302
    assert office.post(f"/supervision/notices/{notice.pk}/remind").status_code == 302
    assert Message.objects.filter(recipient=cast.zhou_shangwu, subject__contains="待答复").count() == 1
    assert notice.steps.filter(kind="reminded").count() == 1
    assert client_for("zhou_shangwu").post(f"/supervision/notices/{notice.pk}/remind").status_code == 403


def test_the_print_view_is_one_document_without_navigation(notice, cast, client_for):
    services.reply(cast.zhou_shangwu, notice, "已约谈企业。", on=date(2020, 5, 14))
    page = text(client_for("sun_leader").get(f"/supervision/notices/{notice.pk}/print"))
    assert "督 办 单" in page and "督办〔2020〕1号" in page and "mainnav" not in page
    assert "承办单位</th><td>区商务局" in page and "抄送单位</th><td>济阳街道办事处" in page
    assert "请区商务局于2020年5月19日前将办理情况书面报济阳区督查室。" in page
    assert "2020年5月14日 答复（周商务）：已约谈企业。" in page
    assert "supervision/print.css" in page


def test_the_word_file_reads_back_with_the_number_the_units_the_reason_and_the_steps(notice, cast, client_for):
    services.reply(cast.zhou_shangwu, notice, "已约谈企业。", on=date(2020, 5, 14))
    response = client_for("zhou_shangwu").get(f"/supervision/notices/{notice.pk}/docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    doc = Document(BytesIO(response.content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[:2] == ["督 办 单", "督办〔2020〕1号"]
    rows = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert rows["承办单位"] == "区商务局" and rows["抄送单位"] == "济阳街道办事处" and rows["责任领导"] == "孙区长"
    assert rows["答复时限"] == "2020年5月19日" and rows["办理状态"] == "已答复"
    assert rows["督办事由"] == notice.reason
    assert "2020年5月14日 答复（周商务）：已约谈企业。" in paragraphs
    assert "济阳区督查室\n2020年5月12日" in paragraphs


@pytest.mark.parametrize("username,shown", [("li_ducha", True), ("sun_leader", True), ("zhou_shangwu", True),
                                            ("zhao_fagai", False), ("wu_cunju", False)])
def test_the_navigation_opens_supervision_for_the_office_leaders_and_units_only(cast, client_for, username, shown):
    body = text(client_for(username).get("/"))
    nav = body[body.index('<nav class="mainnav"'):body.index("</nav>")]
    assert ('href="/supervision/"' in nav) is shown
    assert "督查督办<em>即将上线" not in nav
