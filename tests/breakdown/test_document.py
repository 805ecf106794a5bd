"""Bad 方案 files: refused in Chinese before much is read, nothing saved (issue #25, "Bad input")."""

import io
import zipfile

import openpyxl
import pytest

from luoshi.breakdown import services
from luoshi.breakdown.document import ENCRYPTED, UNREADABLE, read_blocks
from luoshi.breakdown.reader import MOST_ITEMS
from luoshi.core.limits import Limits
from luoshi.core.problems import Rejected
from tests.breakdown import documents as d


def refusal(data, name="方案.docx"):
    with pytest.raises(Rejected) as rejected:
        services.read_document(data, name)
    return rejected.value.messages


def test_a_corrupt_docx_and_a_password_protected_one_are_refused():
    assert refusal(b"PK\x03\x04 broken") == [UNREADABLE]
    assert refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) == [ENCRYPTED]
    assert refusal(b"anything", "方案.doc")[0].startswith("旧版 .doc")
    assert refusal(b"anything", "方案.pdf") == ["不支持的文件类型：方案.pdf（请上传 .docx 或 .xlsx 文件）。"]


def test_a_zip_that_is_no_word_document_and_a_zip_bomb_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", "hello")
    assert refusal(out.getvalue())[0].startswith("该文件不是 Word 文档")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document>" + b" " * (30 * 1024 * 1024))
    assert "压缩比过高" in refusal(out.getvalue())[0]


def test_a_document_with_a_doctype_is_refused_unread():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    assert refusal(out.getvalue()) == [UNREADABLE]


def test_a_document_over_the_upload_limit_is_refused(settings):
    settings.LUOSHI_MAX_UPLOAD_MB = 1
    assert refusal(b"PK" + b"\0" * (1024 * 1024 + 10))[0].startswith("文件过大")


def test_too_much_text_is_refused_while_reading():
    from luoshi.breakdown.document import read_docx

    data = d.word_paragraphs(["一二三四五" * 100] * 10)
    with pytest.raises(Rejected, match="文字超过 1000 个字符的上限"):
        read_docx(data, Limits(text=1000))


def test_a_control_character_is_refused_with_its_paragraph():
    data = d.word_paragraphs(["1. 推进改革\x85。", "牵头单位：区发改局"])
    assert refusal(data) == ["第2段：含有不可见的控制字符（U+0085），请删除后重试"]


def test_a_plan_of_ten_thousand_items_is_refused():
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["序号", "重点任务", "牵头单位", "完成时限"])
    for n in range(1, 10_001):
        sheet.append([n, f"任务{n}", "区发改局", "年底前"])
    out = io.BytesIO()
    book.save(out)
    assert refusal(out.getvalue(), "台账.xlsx") == [f"方案中有 10000 项任务，超过 {MOST_ITEMS} 项的上限，请分成几个文件导入。"]


def test_a_document_with_no_item_is_refused():
    assert refusal(d.word_paragraphs(["关于召开会议的通知", "请准时参加。"]))[0].startswith("没有找到任何任务")


def test_merged_cells_in_a_word_table_read_like_an_excel_ledgers():
    blocks = read_blocks(d.word_table(["一、稳增长", ["1", "任务", "区发改局", ""]], preface=False), "方案.docx")
    table = blocks[1]
    assert table.rows[1] == ["一、稳增长"] * 4
    assert table.wheres[1] == "表格1第2行"
