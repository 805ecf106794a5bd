"""Bounds on what an import may cost: the upload's size, an xlsx's unzipped size and compression ratio, and the
rows, columns and cells of a sheet's real extent. Checked before the file is read (docs/security.md).

An xlsx is a zip of XML: a 5 KB file with one cell at XFD1048576 makes a grid reader allocate hundreds of GiB,
and a 1 MB file can unzip to 900 MB. So before calamine sees a workbook, `check_xlsx` looks at the zip's members
(declared sizes first, then the real bytes, streamed) and scans each sheet's XML for the cells that hold a value:
empty formatted cells far away are ignored (calamine ignores them too), a value beyond the caps refuses the file.
"""

import copy
import re
import zipfile
import zlib
from dataclasses import dataclass
from operator import itemgetter

from luoshi.core.problems import Rejected

MB = 1024 * 1024
RATIO_MIN_SIZE = 1 * MB  # small members (styles, a short sheet) may compress as well as they like
CHUNK = 4 * MB
LONGEST_PIECE = 8 * MB  # XML between two cell ends; Excel's longest cell text is 32,767 characters


@dataclass(frozen=True)
class Limits:
    upload_mb: int = 20
    unzipped_mb: int = 100
    ratio: int = 100
    rows: int = 200_000
    columns: int = 200
    cells: int = 2_000_000
    merged: int = 50_000

    @classmethod
    def from_settings(cls):
        from django.conf import settings

        return cls(upload_mb=getattr(settings, "LUOSHI_MAX_UPLOAD_MB", cls.upload_mb),
                   unzipped_mb=getattr(settings, "LUOSHI_MAX_UPLOAD_UNZIPPED_MB", cls.unzipped_mb),
                   ratio=getattr(settings, "LUOSHI_MAX_UPLOAD_RATIO", cls.ratio),
                   rows=getattr(settings, "LUOSHI_MAX_UPLOAD_ROWS", cls.rows),
                   columns=getattr(settings, "LUOSHI_MAX_UPLOAD_COLUMNS", cls.columns),
                   cells=getattr(settings, "LUOSHI_MAX_UPLOAD_CELLS", cls.cells),
                   merged=getattr(settings, "LUOSHI_MAX_UPLOAD_MERGED", cls.merged))


def limits() -> Limits:
    try:
        return Limits.from_settings()
    except Exception:  # settings not configured (a plain script): the defaults
        return Limits()


def _mb(size):
    return f"{size / MB:.1f}".removesuffix(".0")


def too_large(size, limit: Limits | None = None):
    """The Chinese message for an upload over the size limit, or None."""
    limit = limit or limits()
    if size is not None and size > limit.upload_mb * MB:
        return f"文件过大（{_mb(size)} MB），上限为 {limit.upload_mb} MB。"
    return None


def check_size(size, limit: Limits | None = None):
    message = too_large(size, limit)
    if message:
        raise Rejected(message)


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused (Rejected, in Chinese) when over LUOSHI_MAX_UPLOAD_MB, before reading."""
    check_size(upload.size)
    data = upload.read(limits().upload_mb * MB + 1)
    check_size(len(data))
    return data


def read_path(path) -> bytes:
    """A file's bytes from the command line, with the same size limit (checked before reading)."""
    import os

    check_size(os.path.getsize(path))
    with open(path, "rb") as f:
        return f.read()


# --- xlsx ----------------------------------------------------------------------------------------------------

_PREFIX = rb"(?:[A-Za-z_][\w.-]{0,30}:)?"
# Attribute values may hold ">" and "/>": the tags are matched attribute by attribute.
_ATTR = rb"""\s+[^\s=/<>]+\s*=\s*(?:"[^"<]*"|'[^'<]*')"""
CELL_TAG = re.compile(rb"<" + _PREFIX + rb"c[\s/>]")
EMPTY_CELL = re.compile(rb"<" + _PREFIX + rb"c(?:" + _ATTR + rb")*\s*(?:/>|>\s*</" + _PREFIX + rb"c\s*>)")
VALUED_CELL = re.compile(rb"<" + _PREFIX + rb"c(?:" + _ATTR + rb")*?\s+r\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,7})[\"'](?:" + _ATTR
                         + rb")*\s*>(?!\s*</" + _PREFIX + rb"c\s*>)")
MERGE_TAG = re.compile(rb"<" + _PREFIX + rb"mergeCell[\s/>]")
DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']{0,40})[\"']")
REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
FAST_REF = re.compile(rb'<c r="([A-Za-z]{1,3})([0-9]{1,7})"')
# Anything that the fast reading of a piece does not understand sends it to the precise one: comments and CDATA,
# namespace prefixes, a cell tag without attributes or with another space than " " (separate patterns: each is a
# literal search, far faster than one alternation or `in`).
ODD_MARKS = (re.compile(rb"<!"), re.compile(rb":c"), re.compile(rb"<c[^ a-z]"))
SHEET_DATA = re.compile(rb"<" + _PREFIX + rb"sheetData[\s/>]")


def column_number(letters) -> int:
    number = 0
    for letter in (letters.decode("ascii") if isinstance(letters, bytes) else letters).upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _SheetScan:
    """The extent of the cells that hold a value, the merged ranges and the declared dimension of one sheet's XML,
    fed in pieces that end at a cell's, row's or tag's end.

    The usual case is fast: every cell tag is written `<c r="B2" ...`, so the cells' references are found with one
    plain pattern; they include empty formatted cells, an upper bound. A piece written any other way (prefixes,
    comments, CDATA, cells without a position) or whose references pass a cap is read precisely, attribute by
    attribute, counting only the cells that hold a value. `exact` reads every piece precisely."""

    def __init__(self, limit, exact=False):
        self.limit = limit
        self.exact = exact
        self.rows = set()
        self.columns = set()
        self.merged = 0
        self.dimension = None
        self.unplaced = False
        self.sheet_data = False  # a worksheet (calamine reads cells from sheetData, wherever the member lies)
        self.pieces = 0

    def feed(self, piece: bytes):
        first = self.pieces == 0
        self.pieces += 1
        if not self.sheet_data and b"sheetData" in piece and SHEET_DATA.search(piece):
            self.sheet_data = True
        if first:
            found = DIMENSION.search(piece)
            if found:
                self.dimension = found.group(1).decode("ascii", "replace")
        odd = (self.exact or any(mark.search(piece) for mark in ODD_MARKS)
               or piece.count(b"<?") > (1 if first else 0) or piece.count(b"<c ") != piece.count(b'<c r="'))
        if not odd:
            refs = FAST_REF.findall(piece)
            rows = set(map(itemgetter(1), refs))
            columns = set(map(itemgetter(0), refs))
            if (max(map(int, rows), default=0) <= self.limit.rows
                    and max(map(column_number, columns), default=0) <= self.limit.columns):
                self.rows |= rows
                self.columns |= columns
                self.merged += piece.count(b"<mergeCell ")
                return
        valued = VALUED_CELL.findall(piece)
        if len(CELL_TAG.findall(piece)) != len(EMPTY_CELL.findall(piece)) + len(valued):
            self.unplaced = True  # a cell without a position (or one written oddly): not read, see check_xlsx
        self.rows.update(map(itemgetter(1), valued))
        self.columns.update(map(itemgetter(0), valued))
        self.merged += len(MERGE_TAG.findall(piece))

    def extent(self):
        """(rows, columns) from A1 to the farthest cell (holding a value, or a formatted one in the fast case)."""
        return max(map(int, self.rows), default=0), max(map(column_number, self.columns), default=0)


def _open_unbounded(archive, info, budget):
    """Open a member reading its real bytes up to `budget`, whatever size its header declares."""
    probe = copy.copy(info)
    probe.file_size = budget
    return archive.open(probe)


def _chunks(archive, member, budget):
    try:
        with _open_unbounded(archive, member, budget) as stream:
            while chunk := stream.read(CHUNK):
                yield chunk
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error):
        raise Rejected("无法读取该 Excel 文件，请确认文件为 xlsx 格式且未损坏。")


def _scan(archive, member, limit, exact=False):
    scan = _SheetScan(limit, exact)
    carry = b""
    for chunk in _chunks(archive, member, limit.unzipped_mb * MB + 2 * CHUNK):
        piece = carry + chunk
        # Cut after a cell's or row's end, so that no cell tag is split from what follows it.
        cut = max(piece.rfind(b"c>"), piece.rfind(b"/>"), piece.rfind(b"w>")) + 2
        if cut < 2:
            cut = piece.rfind(b">") + 1
        carry = piece[cut:]
        if len(carry) > LONGEST_PIECE:
            raise Rejected("文件中有过长的单元格或行（超过 8 MB），无法读取。")
        scan.feed(piece[:cut])
    if carry:
        scan.feed(carry)
    return scan


def _sheet_names(archive):
    """{member name: sheet name} from the workbook's relationships, best effort (for messages only)."""
    names = {}
    try:
        workbook = archive.read("xl/workbook.xml") if archive.getinfo("xl/workbook.xml").file_size < MB else b""
        rels = archive.read("xl/_rels/workbook.xml.rels") if archive.getinfo("xl/_rels/workbook.xml.rels").file_size < MB else b""
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return names
    targets = {m.group(1): m.group(2) for m in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*?\bId=\"([^\"]+)\"[^>]*?\bTarget=\"([^\"]+)\"", rels)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*?\bTarget=\"([^\"]+)\"[^>]*?\bId=\"([^\"]+)\"", rels)})
    for m in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]+)\"[^>]*?\br:id=\"([^\"]+)\"", workbook):
        target = targets.get(m.group(2))
        if target:
            target = target.decode("utf-8", "replace").lstrip("/")
            member = target if target.startswith("xl/") else "xl/" + target
            names[member.lower()] = m.group(1).decode("utf-8", "replace").replace("&amp;", "&")
    return names


def check_xlsx(data: bytes, limit: Limits | None = None):
    """Refuse (Rejected, in Chinese) an xlsx whose reading would cost more than the limits allow; returns None.

    Declared sizes first (nothing unzipped); then each member's real bytes, streamed and counted (a header may lie);
    then each sheet's XML scanned for its farthest cell holding a value, its merged ranges and its declared
    dimension."""
    import io

    limit = limit or limits()
    cap = limit.unzipped_mb * MB
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip (an old .xls, or damaged): calamine answers, with no grid to blow up
    refuse = "文件解压后过大（{}），上限为 {} MB，请删除多余的行列或工作表后另存再导入。"
    declared = sum(m.file_size for m in members)
    if declared > cap:
        raise Rejected(refuse.format(f"{_mb(declared)} MB", limit.unzipped_mb))
    ratio = "文件中的「{}」压缩比过高（{}:1，上限为 {}:1），疑似压缩炸弹，未读取。"
    for member in members:
        if member.file_size > RATIO_MIN_SIZE and member.file_size > limit.ratio * max(member.compress_size, 1):
            raise Rejected(ratio.format(member.filename, member.file_size // max(member.compress_size, 1), limit.ratio))
    total = 0
    for member in members:
        size = 0
        for chunk in _chunks(archive, member, cap - total + 2 * CHUNK):
            size += len(chunk)
            if total + size > cap:
                raise Rejected(refuse.format(f"超过 {limit.unzipped_mb} MB", limit.unzipped_mb))
            if size > RATIO_MIN_SIZE and size > limit.ratio * max(member.compress_size, 1):
                raise Rejected(ratio.format(member.filename, f"超过 {limit.ratio}", limit.ratio))
        total += size
    names = _sheet_names(archive)
    sheets = []
    for member in members:
        scan = _scan(archive, member, limit)  # every member: the workbook's relationships may put a sheet anywhere
        if scan.sheet_data:
            name = names.get(member.filename.lower(), member.filename)
            rows, columns = scan.extent()
            if rows * columns > limit.cells and not scan.exact:  # empty formatted cells may have widened it
                scan = _scan(archive, member, limit, exact=True)
            sheets.append((member, name, scan))
            _check_sheet(scan, name, limit)
    if sum(_area(scan) for _, _, scan in sheets) > limit.cells:
        sheets = [(m, n, s if s.exact else _scan(archive, m, limit, exact=True)) for m, n, s in sheets]
        if sum(_area(scan) for _, _, scan in sheets) > limit.cells:
            raise Rejected(f"各工作表的数据区域合计超过 {limit.cells} 个单元格的上限，请分成几个文件导入。")


def _area(scan):
    rows, columns = scan.extent()
    return rows * columns


def _check_sheet(scan, name, limit):
    where = f"工作表「{name}」"
    if scan.unplaced:
        raise Rejected(f"{where}中有未标明位置（或写法异常）的单元格，无法安全读取，请用 Excel 或 WPS 打开后另存为 xlsx 再导入。")
    if scan.dimension:
        refs = [REF.fullmatch(part.strip().replace("$", "")) for part in scan.dimension.split(":")]
        if refs and all(refs):
            declared = max(int(m.group(2)) for m in refs) * max(column_number(m.group(1)) for m in refs)
            # An absurd claim: ten times the cell cap (a stray formatted cell a little beyond the caps still reads by
            # its real data below).
            if declared > 10 * limit.cells:
                raise Rejected(f"{where}声明的范围 {scan.dimension} 过大（{declared} 个单元格，上限为 {limit.cells} 个），"
                               "请删除多余的行列后另存再导入。")
    rows, columns = scan.extent()
    if rows > limit.rows:
        raise Rejected(f"{where}的数据有 {rows} 行，上限为 {limit.rows} 行，请分成几个文件导入或删除多余的行。")
    if columns > limit.columns:
        raise Rejected(f"{where}的数据宽到第 {columns} 列（{column_letters(columns)} 列），上限为 {limit.columns} 列，"
                       "请删除多余的列。")
    if rows * columns > limit.cells:
        raise Rejected(f"{where}的数据区域有 {rows} 行 × {columns} 列，超过 {limit.cells} 个单元格的上限，请分成几个文件导入。")
    if scan.merged > limit.merged:
        raise Rejected(f"{where}有 {scan.merged} 个合并单元格，上限为 {limit.merged} 个。")
