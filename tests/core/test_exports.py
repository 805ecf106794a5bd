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
