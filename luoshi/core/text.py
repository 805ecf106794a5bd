"""Characters no person types, refused where text comes in and dropped where documents go out.

Refused (`problem` says why, in Chinese, naming the code point):
- lone surrogates, U+D800–U+DFFF (a JSON "\\ud800", bytes of another encoding on a command line): they have no UTF-8,
  so neither database can store them;
- control characters (Unicode's Cc: U+0000–U+001F, U+007F–U+009F) except tab, line feed and carriage return: XML 1.0,
  the text of every .docx and .xlsx, cannot hold the C0 ones, and one stored would break each document that shows it;
- non-characters (U+FDD0–U+FDEF and the last two code points of each plane, U+FFFE, U+FFFF, …).
Tab and line breaks stay allowed in every field: a cell copied from Excel often holds a line break (Alt+Enter).

Where text comes in: web/guards.py (every form field and JSON string of a request), core/tabular.py (every cell of an
imported file, via `refuse_in_sheets`), luoshi/cli.py (every argument of the command). Where it goes out, exporters
write text through `for_documents`, so text stored before these checks (or written around them) still gives a file.
"""

import re

from luoshi.core.problems import Problem, Rejected

IN_BMP = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
BEYOND_BMP = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
REFUSED = re.compile(f"[{IN_BMP}{BEYOND_BMP}]")
# The other planes' 32 non-characters make a search ten times slower (0.3 s for 5 million characters, a large import);
# a text with no character beyond U+FFFF, nearly every text, is searched without them.
_REFUSED_IN_BMP = re.compile(f"[{IN_BMP}]")
_ANY_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


def _refused(value):
    return REFUSED if _ANY_BEYOND_BMP.search(value) else _REFUSED_IN_BMP


def problem(value: str) -> str | None:
    """Why the text is refused (its first refused character), or None when it is fine."""
    found = _refused(value).search(value)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"含有无效的字符编码（孤立代理项 {code}），请删除后重试"
    if char <= "\x9f":
        return f"含有不可见的控制字符（{code}），请删除后重试"
    return f"含有非字符（{code}），请删除后重试"


def for_documents(value: str) -> str:
    """The text without the characters refused above: what a .docx, an .xlsx or a csv may safely hold."""
    return _refused(value).sub("", value)


ROWS_SEARCHED_AT_ONCE = 10_000  # one joined string per this many rows: few searches, and no copy of a whole sheet


def refuse_in_sheets(sheets):
    """The sheets of a file (core.tabular.Sheet), or Rejected listing each cell (sheet, row, column letter) that holds
    a refused character. Rows without any are passed over a block at a time, in one search each."""
    problems = []
    for sheet in sheets:
        for start in range(0, len(sheet.rows), ROWS_SEARCHED_AT_ONCE):
            block = sheet.rows[start:start + ROWS_SEARCHED_AT_ONCE]
            joined = "\n".join(c for row in block for c in row if type(c) is str)
            if not _refused(joined).search(joined):
                continue
            for r, row in enumerate(block, start=start + 1):
                for c, value in enumerate(row):
                    if type(value) is str and (message := problem(value)):
                        problems.append(Problem(message, row=r, column=_letter(c), sheet=sheet.name))
    if problems:
        raise Rejected(problems)
    return sheets


def _letter(index):
    """A 0-based column index as the spreadsheet names it: 0 → A, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name
