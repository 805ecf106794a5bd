"""A published 方案 file as plain blocks for the reader (breakdown.reader): a .docx's body paragraphs and tables, an
.xlsx's sheets as tables. No ORM.

A .docx is a zip of XML, like an .xlsx: before anything is parsed the zip is bounded with core.limits' values (the
upload's size, its members, each member's declared and real unzipped size and compression ratio) and the main
document is then streamed through expat (no DOCTYPE, so no entities), within the limits' processor time and text.
python-docx is not used to read: it parses the whole document tree at once. A password-protected .docx is an OLE
compound file, not a zip: refused as such. Text with a character core.text refuses (a C1 control character, which XML
may hold) is refused with its place. An .xlsx goes through core.tabular.read_sheets (check_xlsx first), its merged
cells filled.

Merged cells read the same way from both: a Word cell spanning N grid columns (gridSpan) gives its text to each of
them, a vertically merged cell (vMerge) continues the text of the cell above, as read_sheets fills an .xlsx's.
"""

import io
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat

from luoshi.core import limits as bounds
from luoshi.core import text as refused_text
from luoshi.core.problems import Problem, Rejected
from luoshi.core.tabular import read_sheets

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UNREADABLE = "无法读取该 Word 文件，请确认文件为 .docx 格式且未损坏。"
ENCRYPTED = "该文件设置了打开密码（或为旧版 .doc 格式），无法读取：请在 Word 或 WPS 中取消密码并另存为 .docx 后再导入。"
UNSUPPORTED = "不支持的文件类型：{}（请上传 .docx 或 .xlsx 文件）。"
CHUNK = 1024 * 1024


@dataclass
class Paragraph:
    text: str
    where: str  # 第12段
    auto: tuple | None = None  # (numId, ilvl) of a paragraph Word numbers itself


@dataclass
class Table:
    rows: list  # [[cell text]]
    wheres: list = field(default_factory=list)  # each row's place: 表格1第3行 / 工作表「台账」第3行


def read_blocks(data: bytes, filename: str):
    """The blocks of a .docx or .xlsx (Rejected in Chinese for anything else, or beyond the limits)."""
    name = (filename or "").lower()
    bounds.check_size(len(data))
    if name.endswith(".docx"):
        return read_docx(data)
    if name.endswith((".xlsx", ".xlsm")):
        sheets = read_sheets(data, filename)
        return [Table([[_cell(c) for c in row] for row in sheet.rows],
                      [f"工作表「{sheet.name}」第{r}行" for r in range(1, len(sheet.rows) + 1)]) for sheet in sheets]
    if name.endswith((".doc", ".wps")):
        raise Rejected("旧版 .doc / .wps 文件无法在读取前检查，请在 Word 或 WPS 中另存为 .docx 后再导入。")
    raise Rejected(UNSUPPORTED.format(filename or "（无文件名）"))


def _cell(value):
    """An .xlsx cell as the reader takes it: text, or a date (a deadline column of real dates)."""
    from datetime import date, datetime

    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Clock:
    def __init__(self, seconds):
        self.seconds, self.end = seconds, time.thread_time() + seconds

    def check(self):
        if time.thread_time() > self.end:
            raise Rejected(f"读取文件用时超过 {self.seconds} 秒的上限，请删除多余的内容后另存再导入。")


def _main_part(archive, limit):
    """The zip's word/document.xml after the zip is bounded (members, declared sizes, ratio, encryption)."""
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > limit.members:
        raise Rejected(f"文件中有 {len(members)} 个部件（.docx 是一个压缩包），上限为 {limit.members} 个，疑似压缩炸弹，未读取。")
    if any(m.flag_bits & 0x1 for m in members):
        raise Rejected(ENCRYPTED)
    cap = limit.unzipped_mb * bounds.MB
    declared = sum(m.file_size for m in members)
    if declared > cap:
        raise Rejected(f"文件解压后过大（{declared / bounds.MB:.1f} MB），上限为 {limit.unzipped_mb} MB。")
    main = next((m for m in members if m.filename == "word/document.xml"), None)
    if main is None:
        raise Rejected("该文件不是 Word 文档（缺少正文部件 word/document.xml），请上传 .docx 文件。")
    if main.file_size > bounds.RATIO_MIN_SIZE and main.file_size > limit.ratio * max(main.compress_size, 1):
        raise Rejected(f"文件正文的压缩比过高（上限为 {limit.ratio}:1），疑似压缩炸弹，未读取。")
    return main, cap


def read_docx(data: bytes, limit=None):
    """The body's paragraphs and tables of a .docx, in order."""
    limit = limit or bounds.limits()
    if data.startswith(OLE):
        raise Rejected(ENCRYPTED)
    if data.count(b"PK\x01\x02") > limit.members:
        raise Rejected(f"文件中的部件超过 {limit.members} 个（.docx 是一个压缩包），疑似压缩炸弹，未读取。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        main, cap = _main_part(archive, limit)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Rejected(UNREADABLE)
    clock = _Clock(limit.seconds)
    reader = _DocxReader(limit.text)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    size = 0
    try:
        with archive.open(main) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > cap or (size > bounds.RATIO_MIN_SIZE and size > limit.ratio * max(main.compress_size, 1)):
                    raise Rejected(f"文件正文解压后过大或压缩比过高（上限 {limit.unzipped_mb} MB、{limit.ratio}:1），未读取。")
                parser.Parse(chunk, False)
                clock.check()
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise Rejected(UNREADABLE)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        raise Rejected(UNREADABLE)
    _refuse_characters(reader.blocks)
    return reader.blocks


def _no_doctype(*args):
    raise Rejected(UNREADABLE)


def _refuse_characters(blocks):
    problems = []
    for block in blocks:
        if isinstance(block, Paragraph):
            if message := refused_text.problem(block.text):
                problems.append(Problem(f"{block.where}：{message}"))
        else:
            for where, row in zip(block.wheres, block.rows):
                message = next((m for m in (refused_text.problem(c) for c in row if isinstance(c, str)) if m), None)
                if message:
                    problems.append(Problem(f"{where}：{message}"))
    if problems:
        raise Rejected(problems)


class _DocxReader:
    """expat handlers over word/document.xml: body paragraphs (numbered as a person counts them, empty ones
    skipped) and the outermost tables (a nested table's text joins its outer cell; text boxes are left out)."""

    def __init__(self, most_text):
        self.blocks = []
        self.most_text, self.chars = most_text, 0
        self.paragraphs = 0
        self.tables = 0
        self.depth = 0  # tables one in another
        self.in_box = 0  # text boxes (w:txbxContent): drawn on the page, not the body's text
        self.run = None  # the paragraph's text pieces, while inside a w:p of the body or an outer cell
        self.collect = False
        self.num = [None, None]
        self.rows = self.row = self.cell = None
        self.span, self.vmerge, self.in_tcpr = 1, None, False

    def start(self, name, attrs):
        uri, _, local = name.rpartition(" ")
        if uri != W:
            return
        if local == "txbxContent":
            self.in_box += 1
        if self.in_box:
            return
        if local == "tbl":
            self.depth += 1
            if self.depth == 1:
                self.rows = []
        elif self.depth == 1 and local == "tr":
            self.row = []
        elif self.depth == 1 and local == "tc":
            self.cell, self.span, self.vmerge = [], 1, None
        elif self.depth == 1 and local == "tcPr":
            self.in_tcpr = True
        elif self.depth == 1 and self.in_tcpr and local == "gridSpan":
            value = attrs.get(f"{W} val", "1")
            self.span = min(int(value), 200) if value.isdigit() and int(value) > 0 else 1
        elif self.depth == 1 and self.in_tcpr and local == "vMerge":
            self.vmerge = attrs.get(f"{W} val", "continue")
        elif local == "p":
            if self.run is None:
                self.run, self.num = [], [None, None]
        elif local == "numId" and self.run is not None:
            self.num[0] = attrs.get(f"{W} val")
        elif local == "ilvl" and self.run is not None:
            self.num[1] = attrs.get(f"{W} val")
        elif local == "t":
            self.collect = True
        elif local == "tab" and self.run is not None:
            self.run.append("\t")
        elif local in ("br", "cr") and self.run is not None:
            self.run.append("\n")

    def end(self, name):
        uri, _, local = name.rpartition(" ")
        if uri != W:
            return
        if local == "txbxContent":
            self.in_box -= 1
            return
        if self.in_box:
            return
        if local == "t":
            self.collect = False
        elif local == "p" and self.run is not None:
            text = "".join(self.run)
            self.run = None
            if self.depth == 0:
                if text.strip():
                    self.paragraphs += 1
                    auto = tuple(self.num) if self.num[0] not in (None, "0") else None
                    self.blocks.append(Paragraph(text, f"第{self.paragraphs}段", auto))
            elif self.cell is not None:
                self.cell.append(text)
        elif self.depth == 1 and local == "tcPr":
            self.in_tcpr = False
        elif self.depth == 1 and local == "tc" and self.row is not None:
            self.row.append(("\n".join(p for p in self.cell if p.strip()), self.span, self.vmerge))
            self.cell = None
        elif self.depth == 1 and local == "tr" and self.rows is not None:
            self.rows.append(self.row)
            self.row = None
        elif local == "tbl":
            if self.depth == 1:
                self.tables += 1
                rows = _grid(self.rows)
                self.blocks.append(Table(rows, [f"表格{self.tables}第{r}行" for r in range(1, len(rows) + 1)]))
                self.rows = None
            self.depth = max(self.depth - 1, 0)

    def text(self, data):
        if self.collect and self.run is not None and not self.in_box:
            self.chars += len(data)
            if self.chars > self.most_text:
                raise Rejected(f"文件中的文字超过 {self.most_text} 个字符的上限，请分成几个文件导入。")
            self.run.append(data)


def _grid(rows):
    """Rows of cell texts laid on the table's grid: a cell spanning columns gives its text to each, a vertically
    merged cell continues the text above it."""
    grid = []
    for row in rows:
        cells = []
        for text, span, vmerge in row:
            for _ in range(span):
                column = len(cells)
                if vmerge == "continue" and grid and column < len(grid[-1]):
                    cells.append(grid[-1][column])
                else:
                    cells.append(text)
        grid.append(cells)
    return grid
