"""core.text: which characters are refused, how the refusal reads, and what documents keep. Hand-computed cases."""

import pytest

from luoshi.core import text
from luoshi.core.problems import Rejected
from luoshi.core.tabular import Sheet

pytestmark = pytest.mark.both_databases

PLAIN = ["", "招商引资项目签约", "第一行\n第二行", "甲\t乙", "Windows 换行\r\n", "全角　空格", "表情😀", "€ © ß", "\u2028",
         "\ufdcf", "\ufdf0", "\ufffd", "\U0010fffd"]


@pytest.mark.parametrize("value", PLAIN)
def test_text_people_type_is_fine_and_kept_whole_in_documents(value):
    assert text.problem(value) is None
    assert text.for_documents(value) == value


@pytest.mark.parametrize("value, message", [
    ("a\ud800", "含有无效的字符编码（孤立代理项 U+D800），请删除后重试"),
    ("\udfff尾", "含有无效的字符编码（孤立代理项 U+DFFF），请删除后重试"),
    ("铃\x07", "含有不可见的控制字符（U+0007），请删除后重试"),
    ("\x00", "含有不可见的控制字符（U+0000），请删除后重试"),
    ("退格\x08", "含有不可见的控制字符（U+0008），请删除后重试"),
    ("竖向制表\x0b", "含有不可见的控制字符（U+000B），请删除后重试"),
    ("换页\x0c", "含有不可见的控制字符（U+000C），请删除后重试"),
    ("\x1f", "含有不可见的控制字符（U+001F），请删除后重试"),
    ("\x7f", "含有不可见的控制字符（U+007F），请删除后重试"),
    ("C1\x85", "含有不可见的控制字符（U+0085），请删除后重试"),
    ("\x9f", "含有不可见的控制字符（U+009F），请删除后重试"),
    ("\ufffe", "含有非字符（U+FFFE），请删除后重试"),
    ("末\uffff", "含有非字符（U+FFFF），请删除后重试"),
    ("\ufdd0", "含有非字符（U+FDD0），请删除后重试"),
    ("\ufdef", "含有非字符（U+FDEF），请删除后重试"),
    ("\U0001fffe", "含有非字符（U+1FFFE），请删除后重试"),
    ("\U0010ffff", "含有非字符（U+10FFFF），请删除后重试"),
])
def test_each_refused_class_is_named_with_its_code_point(value, message):
    assert text.problem(value) == message


def test_the_first_refused_character_is_the_one_named():
    assert text.problem("a\uffff\x07") == "含有非字符（U+FFFF），请删除后重试"


def test_documents_keep_everything_but_the_refused_characters():
    assert text.for_documents("督\x07办\x0b单\ufffe\ud800\x85。\n第二行\t止") == "督办单。\n第二行\t止"
    assert text.for_documents("表情😀\x07\U0010ffff\U0002fffe尾") == "表情😀尾"  # beyond U+FFFF: the full search


def test_a_text_beyond_u_ffff_is_searched_for_the_other_planes_non_characters_too():
    assert text.problem("😀\U0002ffff") == "含有非字符（U+2FFFF），请删除后重试"
    assert text.problem("😀\x07") == "含有不可见的控制字符（U+0007），请删除后重试"


def test_cells_with_refused_characters_are_listed_by_sheet_row_and_column_letter():
    good = Sheet("任务", [["序号", "名称"], ["1", "招商"]])
    bad = Sheet("节点", [["序号", "名称"], ["1", "签约\x07"], [None, 3.5, *([None] * 25), "\uffff"]])
    with pytest.raises(Rejected) as refused:
        text.refuse_in_sheets([good, bad])
    assert refused.value.messages == ["工作表「节点」第2行「B」列：含有不可见的控制字符（U+0007），请删除后重试",
                                      "工作表「节点」第3行「AB」列：含有非字符（U+FFFF），请删除后重试"]


def test_clean_sheets_are_returned_as_they_are():
    sheets = [Sheet("任务", [["名称", 1.0, None], ["第一行\n第二行", None, "甲\t乙"]])]
    assert text.refuse_in_sheets(sheets) is sheets


def test_a_refused_character_past_the_first_block_of_rows_is_found_at_its_own_row():
    rows = [["名称", "备注"]] + [[f"任务{i}", ""] for i in range(2, 25_001)]
    rows[text.ROWS_SEARCHED_AT_ONCE + 4][1] = "见附件\x0b"  # row 10,005 of the sheet: in the second block
    with pytest.raises(Rejected) as refused:
        text.refuse_in_sheets([Sheet("任务", rows)])
    assert [str(p) for p in refused.value.problems] == [
        f"工作表「任务」第{text.ROWS_SEARCHED_AT_ONCE + 5}行「B」列：含有不可见的控制字符（U+000B），请删除后重试"]
