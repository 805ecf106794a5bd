import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.orgs.models import Region, Unit
from luoshi.orgs.exports import export_orgs
from luoshi.orgs.transfers import import_orgs

pytestmark = pytest.mark.usefixtures("empty_database")  # an organisation imported into an empty database

HEADER = ["代码", "名称", "类别", "上级代码"]
GOOD_ROWS = [
    ["370100", "济南市", "市", ""],
    ["370115", "济阳区", "县级", "370100"],
    ["370115001", "济阳街道", "乡镇(街道)", "370115"],
    ["370115001201", "东关村", "村(社区)", "370115001"],
    ["370115D01", "区发展和改革局", "区直部门", "370115"],
    ["370115001", "济阳街道办事处", "镇街政府", "370115001"],
]


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "组织机构"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8", header=HEADER):
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def rejected_messages(data, filename):
    with pytest.raises(Rejected) as info:
        import_orgs(data, filename=filename)
    return info.value.messages


@pytest.mark.django_db
def test_good_xlsx_sheet_saves_regions_and_units():
    summary = import_orgs(xlsx(GOOD_ROWS), filename="orgs.xlsx")
    assert "4 个地区、2 个单位" in summary
    village = Region.objects.get(code="370115001201")
    assert village.parent.code == "370115001" and village.level == "village"
    assert Unit.objects.get(code="370115D01").region.code == "370115"
    assert Unit.objects.get(code="370115001").kind == "township"


@pytest.mark.django_db
def test_gbk_csv_with_columns_in_another_order_is_read():
    header = ["上级代码", "名称", "代码", "类别"]
    rows = [[r[3], r[1], r[0], r[2]] for r in GOOD_ROWS]
    import_orgs(csv_bytes(rows, "gbk", header), filename="orgs.csv")
    assert Region.objects.get(code="370115").name == "济阳区"


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    data = xlsx(GOOD_ROWS)
    import_orgs(data, filename="orgs.xlsx")
    entries = AuditEntry.objects.count()
    summary = import_orgs(data, filename="orgs.xlsx")
    assert "新增 0，更新 0，未变化 6" in summary
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_reimport_with_a_new_name_updates_and_audits_before_and_after():
    import_orgs(xlsx(GOOD_ROWS), filename="orgs.xlsx")
    renamed = [r[:] for r in GOOD_ROWS]
    renamed[4][1] = "区发展改革局"
    import_orgs(xlsx(renamed), filename="orgs.xlsx")
    entry = AuditEntry.objects.filter(action="修改单位").get()
    assert entry.before["name"] == "区发展和改革局" and entry.after["name"] == "区发展改革局"


@pytest.mark.django_db
def test_duplicate_code_is_rejected_with_row_and_column_and_nothing_saved():
    rows = GOOD_ROWS + [["370115001201", "西街社区", "村(社区)", "370115001"]]
    messages = rejected_messages(xlsx(rows), "orgs.xlsx")
    assert "工作表「组织机构」第8行「代码」列：代码 370115001201 与第5行重复" in messages
    assert Region.objects.count() == 0 and Unit.objects.count() == 0


@pytest.mark.django_db
def test_missing_parent_is_rejected():
    rows = GOOD_ROWS + [["370115009", "不存在街道", "乡镇(街道)", "370199"]]
    messages = rejected_messages(csv_bytes(rows), "orgs.csv")
    assert any("第8行「上级代码」列：上级代码 370199 不存在" in m for m in messages)
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_parent_may_already_be_in_the_database():
    import_orgs(xlsx(GOOD_ROWS[:2]), filename="orgs.xlsx")
    import_orgs(xlsx([["370115002", "济北街道", "乡镇(街道)", "370115"]]), filename="more.xlsx")
    assert Region.objects.get(code="370115002").parent.code == "370115"


@pytest.mark.django_db
def test_code_of_the_wrong_length_is_rejected():
    rows = GOOD_ROWS + [["3701150012", "短代码村", "村(社区)", "370115001"]]
    messages = rejected_messages(xlsx(rows), "orgs.xlsx")
    assert "工作表「组织机构」第8行「代码」列：村(社区)的行政区划代码应为12位，实际为10位" in messages
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_empty_name_is_rejected():
    rows = GOOD_ROWS + [["370115002", "", "乡镇(街道)", "370115"]]
    messages = rejected_messages(xlsx(rows), "orgs.xlsx")
    assert "工作表「组织机构」第8行「名称」列：名称不能为空" in messages


@pytest.mark.django_db
def test_unknown_unit_kind_is_rejected():
    rows = GOOD_ROWS + [["370115X01", "某合作社", "合作社", "370115"]]
    messages = rejected_messages(xlsx(rows), "orgs.xlsx")
    assert any(m.startswith("工作表「组织机构」第8行「类别」列：未知的类别「合作社」") for m in messages)


@pytest.mark.django_db
def test_every_problem_in_a_file_is_reported_at_once():
    rows = [
        ["370100", "济南市", "市", ""],
        ["370115", "", "县级", "370100"],
        ["37011500", "短", "乡镇(街道)", "370115"],
        ["370115D01", "发改局", "部门单位", "370115"],
        ["370115D02", "统计局", "区直部门", "379999"],
    ]
    messages = rejected_messages(xlsx(rows), "orgs.xlsx")
    assert len(messages) == 4
    assert [m.split("行")[0] for m in messages] == ["工作表「组织机构」第3", "工作表「组织机构」第4", "工作表「组织机构」第5", "工作表「组织机构」第6"]


@pytest.mark.django_db
def test_missing_required_column_is_named():
    messages = rejected_messages(xlsx([["370100", "济南市", "市"]], header=["代码", "名称", "类别"]), "orgs.xlsx")
    assert messages == ["工作表「组织机构」第1行：缺少必需的列「上级代码」"]


@pytest.mark.django_db
def test_unreadable_file_is_rejected_in_chinese():
    messages = rejected_messages(b"not a spreadsheet", "orgs.xlsx")
    assert messages == ["无法读取该 Excel 文件，请确认文件为 xlsx 格式且未损坏。"]


@pytest.mark.django_db
def test_export_then_import_gives_the_same_organisation(tmp_path):
    import_orgs(xlsx(GOOD_ROWS), filename="orgs.xlsx")
    path = tmp_path / "orgs.xlsx"
    call_command("export", "orgs", str(path))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0][:4]) == HEADER
    assert ("370115001201", "东关村", "村(社区)", "370115001") in [tuple(r[:4]) for r in rows]
    before = sorted(Region.objects.values_list("code", "name", "level", "parent__code"))
    units_before = sorted(Unit.objects.values_list("code", "name", "kind", "region__code"))
    Unit.objects.all().delete()
    Region.objects.filter(level="village").delete()
    Region.objects.filter(level="town").delete()
    Region.objects.filter(level="county").delete()
    Region.objects.all().delete()
    call_command("import", "orgs", str(path))
    assert sorted(Region.objects.values_list("code", "name", "level", "parent__code")) == before
    assert sorted(Unit.objects.values_list("code", "name", "kind", "region__code")) == units_before


@pytest.mark.django_db
def test_cli_import_exits_1_with_the_problem_list(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS + [["370115002", "", "乡镇(街道)", "370115"]]))
    with pytest.raises(SystemExit) as info:
        call_command("import", "orgs", str(path))
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "导入被拒绝" in err and "第8行「名称」列：名称不能为空" in err
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_cli_import_saves_and_exits_0(tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    call_command("import", "orgs", str(path))
    assert "已导入 4 个地区、2 个单位" in capsys.readouterr().out
    assert Region.objects.count() == 4


@pytest.mark.django_db
def test_csv_export_opens_in_excel_with_a_bom():
    import_orgs(xlsx(GOOD_ROWS), filename="orgs.xlsx")
    filename, mime, data = export_orgs().render("csv")
    assert filename == "组织机构.csv" and mime.startswith("text/csv")
    assert data.startswith("\ufeff代码,名称,类别,上级代码".encode("utf-8"))


@pytest.mark.django_db
def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_sheet_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "组织机构"
    sheet.append(["济阳区组织机构表"])
    sheet.merge_cells("A1:D1")
    sheet.append(["填报单位：区委组织部"])
    sheet.append(HEADER)
    for row in GOOD_ROWS:
        sheet.append(row)
    sheet.append(["370115D02", "", "区直部门", "370115"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert rejected_messages(buffer.getvalue(), "orgs.xlsx") == ["工作表「组织机构」第10行「名称」列：名称不能为空"]
    sheet.delete_rows(10)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "4 个地区、2 个单位" in import_orgs(buffer.getvalue(), filename="orgs.xlsx")
