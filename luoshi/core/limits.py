"""Bounds on what an import may cost: the upload's size, an xlsx's members, unzipped size and compression ratio,
the rows, columns and cells of a sheet's real extent, and the text its cells hold. Checked before the file is read
(docs/security.md), within a time limit.

An xlsx is a zip of XML: a 5 KB file with one cell at XFD1048576 makes a grid reader allocate hundreds of GiB,
and a 1 MB file can unzip to 900 MB. So before calamine sees a workbook, `check_xlsx` counts the zip's members, looks
at them (declared sizes first, then the real bytes, streamed) and scans each sheet's XML for the cells that hold a
value: empty formatted cells far away are ignored (calamine ignores them too), a value beyond the caps refuses the
file. Memory follows what is read, not the file's size: a cell that names a shared string gets its own copy of it
(in calamine, then in Python), so a 1 MB string named by 1,500 cells is 1.5 GB twice. The shared strings are
measured first (streamed, never kept: only their lengths), then each cell's text is counted with the shared strings
expanded, and the total is capped. What calamine keeps an entry of when it opens a workbook (sheets, relationships,
defined names, number formats) is counted too, and only xlsx is let through: calamine reads its other formats
whatever the file's name, and they cannot be looked into first.
"""

import copy
import re
import time
import zipfile
import zlib
from array import array
from dataclasses import dataclass
from operator import itemgetter
from xml.parsers import expat

from luoshi.core.problems import Rejected

MB = 1024 * 1024
RATIO_MIN_SIZE = 1 * MB  # small members (styles, a short sheet) may compress as well as they like
CHUNK = 4 * MB
LONGEST_PIECE = 8 * MB  # XML between two cell ends; Excel's longest cell text is 32,767 characters
LONGEST_STRING = 32_767  # characters of one shared string: Excel's own limit for a cell
# Sheets, relationships, defined names, number formats of a workbook, each: real ones have dozens to thousands, and
# calamine keeps an entry of each (2,000,000 number formats in a 10 MB file took 443 MB).
MOST_ENTRIES = 10_000
# Cell formats (<xf>) and the length of a number format's code: Excel's own limits (64,000; 255). calamine reads the
# code of each cell format's number format, a 100,000-character code named by 10,000 cell formats took 4 s.
MOST_CELL_FORMATS = 65_536
LONGEST_FORMAT = 255
DEEPEST = 64  # elements one in another (a sheet's text: worksheet, sheetData, row, c, is, r, t)
UNREADABLE = "无法读取该 Excel 文件，请确认文件为 xlsx 格式且未损坏。"
NOT_XLSX = "只能导入 xlsx 格式的 Excel 文件（旧版 .xls、.xlsb、.ods 无法在读取前检查），请用 Excel 或 WPS 另存为 .xlsx 后再导入。"


@dataclass(frozen=True)
class Limits:
    upload_mb: int = 20
    unzipped_mb: int = 100
    ratio: int = 100
    rows: int = 200_000
    columns: int = 200
    cells: int = 1_000_000
    merged: int = 50_000
    text: int = 5_000_000  # characters of all cells' text, a shared string counted for each cell that names it
    members: int = 10_000
    seconds: int = 10  # processor time of check_xlsx

    @classmethod
    def from_settings(cls):
        from django.conf import settings

        return cls(upload_mb=getattr(settings, "LUOSHI_MAX_UPLOAD_MB", cls.upload_mb),
                   unzipped_mb=getattr(settings, "LUOSHI_MAX_UPLOAD_UNZIPPED_MB", cls.unzipped_mb),
                   ratio=getattr(settings, "LUOSHI_MAX_UPLOAD_RATIO", cls.ratio),
                   rows=getattr(settings, "LUOSHI_MAX_UPLOAD_ROWS", cls.rows),
                   columns=getattr(settings, "LUOSHI_MAX_UPLOAD_COLUMNS", cls.columns),
                   cells=getattr(settings, "LUOSHI_MAX_UPLOAD_CELLS", cls.cells),
                   merged=getattr(settings, "LUOSHI_MAX_UPLOAD_MERGED", cls.merged),
                   text=getattr(settings, "LUOSHI_MAX_UPLOAD_TEXT", cls.text),
                   members=getattr(settings, "LUOSHI_MAX_UPLOAD_MEMBERS", cls.members),
                   seconds=getattr(settings, "LUOSHI_MAX_UPLOAD_SECONDS", cls.seconds))


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
# Anything that the fast reading of a piece does not understand sends it to the precise one: comments and CDATA
# (MARKUP, with processing instructions), namespace prefixes, a cell tag without attributes or with another space
# than " " (separate patterns: each is a literal search, far faster than one alternation or `in`).
MARKUP = re.compile(rb"<!")
ODD_MARKS = (re.compile(rb":c"), re.compile(rb"<c[^ a-z]"))
SHEET_DATA = re.compile(rb"<" + _PREFIX + rb"sheetData[\s/>]")
# The cells' text (_piece_text): a shared-string cell as the usual writers (Excel, WPS, openpyxl, POI) end it,
# `t="s"><v>7</v></c>` (numeric attributes such as s, cm, vm may follow t); everything from a <t> or a <v> to the first
# end of it, but a <v> holding a number (up to 24 characters: a value no longer than a number is not counted).
SHARED_CELL = re.compile(rb'"s"(?: [a-z]{1,2}="[0-9]{1,9}")*><v>([0-9]{1,10})</v></c>')
NUMBER = r"[-+.0-9Ee]{1,24}"
T_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*(?:<(?!/t>)[^<]*)*)</t>")
V_TEXT = re.compile(rb"<v(?:\s[^>]*)?>(?!" + NUMBER.encode() + rb"</v>)([^<]*(?:<(?!/v>)[^<]*)*)</v>")
TEXT_PREFIX = re.compile(rb":[tv][\s/>]")
ENTITY = re.compile(rb"&(?:#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}|amp|lt|gt|quot|apos);")
INDEX = re.compile(r"[0-9]{1,10}")


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
    attribute, counting only the cells that hold a value. `exact` reads every piece precisely.

    `text` counts the characters of the cells' text (`strings`: the shared strings' lengths), None once a piece is
    written otherwise than _piece_text trusts: _exact_text then counts the sheet."""

    def __init__(self, limit, strings, exact=False):
        self.limit = limit
        self.strings = strings
        self.text = 0
        self.exact = exact
        self.rows = set()
        self.columns = set()
        self.merged = 0
        self.dimension = None
        self.unplaced = False
        self.sheet_data = False  # a worksheet (calamine reads cells from sheetData, wherever the member lies)
        self.pieces = 0

    def feed(self, piece: bytes, whole: bool):
        """`whole`: the piece ends at the end of a cell or row (or of the member), so its text is all in it."""
        first = self.pieces == 0
        self.pieces += 1
        markup = MARKUP.search(piece) or piece.count(b"<?") > (1 if first else 0)
        if self.text is not None:
            text = None if markup or not whole else _piece_text(piece, self.strings)
            self.text = None if text is None else self.text + text
        if not self.sheet_data and b"sheetData" in piece and SHEET_DATA.search(piece):
            self.sheet_data = True
        if first:
            found = DIMENSION.search(piece)
            if found:
                self.dimension = found.group(1).decode("ascii", "replace")
        odd = (self.exact or markup or any(mark.search(piece) for mark in ODD_MARKS)
               or piece.count(b"<c ") != piece.count(b'<c r="'))
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


def _chars(data: bytes) -> int:
    return len(data.decode("utf-8", "replace"))


def _piece_text(piece, strings):
    """Characters of the cells' text in a piece of a sheet's XML without comments, CDATA or processing instructions
    (which may hide an end tag): each shared string a cell names (SHARED_CELL), the text of each <t> (an inline
    string, its entities one character each) and each <v> that is not a number, as written. An upper bound: calamine
    keeps no more. None when a shared-string cell may be written otherwise (a "s" elsewhere, 's', a prefixed <t> or
    <v>): _exact_text then counts the sheet."""
    if TEXT_PREFIX.search(piece) or b"'s'" in piece:
        return None
    shared = SHARED_CELL.findall(piece)
    if piece.count(b'"s"') != len(shared):
        return None
    inline = b"".join(T_TEXT.findall(piece))
    entities = ENTITY.findall(inline)
    return (strings.named(map(int, shared)) + _chars(inline) - sum(map(len, entities)) + len(entities)
            + _chars(b"".join(V_TEXT.findall(piece))))


class _Deadline:
    """The processor time check_xlsx may spend, counted for its own thread: a server busy with other work (or other
    requests of the same process) does not make an honest file fail."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.end = time.thread_time() + seconds

    def check(self):
        if time.thread_time() > self.end:
            raise Rejected(f"检查文件用时超过 {self.seconds} 秒的上限，未读取，请删除多余的内容后另存再导入。")


def _open_unbounded(archive, info, budget):
    """Open a member reading its real bytes up to `budget`, whatever size its header declares."""
    probe = copy.copy(info)
    probe.file_size = budget
    return archive.open(probe)


def _chunks(archive, member, budget, deadline):
    deadline.check()
    try:
        with _open_unbounded(archive, member, budget) as stream:
            while chunk := stream.read(CHUNK):
                yield chunk
                deadline.check()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error):
        raise Rejected(UNREADABLE)


def _parse(archive, member, limit, deadline, handler):
    """Stream a member's XML through expat to the handler (a _Reader). A DOCTYPE (and so any entity of one) is
    refused, and so is a token (a tag, a comment) longer than LONGEST_PIECE: expat holds it whole."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    fed = 0
    try:
        for chunk in _chunks(archive, member, limit.unzipped_mb * MB + 2 * CHUNK, deadline):
            parser.Parse(chunk, False)
            fed += len(chunk)
            if fed - parser.CurrentByteIndex > LONGEST_PIECE:
                raise Rejected("文件中有过长的单元格或行（超过 8 MB），无法读取。")
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise Rejected(UNREADABLE)


def _no_doctype(*args):
    raise Rejected(UNREADABLE)


class _Reader:
    """What _parse feeds: each element opened and closed by its local name (calamine ignores namespace prefixes), and
    text. Refused deeper than DEEPEST: expat keeps every open element (3,000,000 nested in a 17 MB file took 431 MB)."""

    depth = 0

    def start(self, name, attributes):
        self.depth += 1
        if self.depth > DEEPEST:
            raise Rejected(f"文件中的 XML 嵌套超过 {DEEPEST} 层，疑似异常文件，未读取。")
        self.opened(name.rpartition(":")[2], attributes)

    def end(self, name):
        self.depth -= 1
        self.closed(name.rpartition(":")[2])

    def opened(self, local, attributes):
        pass

    def closed(self, local):
        pass

    def text(self, data):
        pass


class _SharedStrings(_Reader):
    """The lengths of the strings of xl/sharedStrings.xml, numbered as calamine numbers them: an <si> holding an <r>,
    or a <t> outside <rPh>, is a string, another is skipped. A string's length counts the text of all its <t>s, the
    phonetic ones too (a little more than calamine keeps). Refused past the limits while reading."""

    def __init__(self, limit):
        self.limit = limit
        self.lengths = array("H")  # LONGEST_STRING fits
        self.longest = self.total = 0
        self.inside = self.kept = self.phonetic = False
        self.length = self.in_t = 0

    def opened(self, name, attributes):
        if name == "t":
            self.in_t += 1
            self.kept = self.kept or not self.phonetic
        elif name == "si":
            if self.inside:  # calamine would number the strings after it otherwise
                raise Rejected(UNREADABLE)
            self.inside, self.kept, self.phonetic, self.length = True, False, False, 0
        elif name == "r":
            self.kept = True
        elif name == "rPh":
            self.phonetic = True

    def closed(self, name):
        if name == "t":
            self.in_t -= 1
        elif name == "si" and self.inside:
            self.inside = False
            if self.kept:
                self._keep(self.length)
        elif name == "rPh":
            self.phonetic = False

    def _keep(self, length):
        if length > LONGEST_STRING:
            raise Rejected(f"文件中有一段文字长 {length} 个字符，超过 Excel 单元格 {LONGEST_STRING} 个字符的上限，疑似异常文件，未读取。")
        self.total += length
        if self.total > self.limit.text:
            raise Rejected(f"文件中的文字（共享字符串）合计超过 {self.limit.text} 个字符的上限，请分成几个文件导入。")
        if len(self.lengths) >= self.limit.cells:
            raise Rejected(f"文件中不同的文字（共享字符串）超过 {self.limit.cells} 段的上限，请分成几个文件导入。")
        self.lengths.append(length)
        if length > self.longest:
            self.longest = length

    def text(self, data):
        if self.in_t:
            self.length += len(data)

    def named(self, indexes):
        """Characters of the strings the numbers name (the longest for a number past the table: calamine refuses it)."""
        count, lengths, longest = len(self.lengths), self.lengths, self.longest
        return sum(lengths[i] if i < count else longest for i in indexes)


def _shared_strings(archive, members, limit, deadline):
    strings = _SharedStrings(limit)
    member = _member(members, "xl/sharedStrings.xml")
    if member:
        _parse(archive, member, limit, deadline, strings)
    return strings


class _CellText(_Reader):
    """A sheet's text counted as _piece_text counts it, precisely (expat), for a sheet written unusually. A shared
    string's number is trusted only when it is the <v>'s only text (calamine reads the first piece of text)."""

    def __init__(self, strings, budget, limit):
        self.strings = strings
        self.budget = budget  # refused past it, while reading
        self.limit = limit
        self.total = 0
        self.shared = False  # in a cell whose t is "s"
        self.open = []  # the <t>s and <v>s being read: [name, characters, pieces of text, their start]

    def opened(self, local, attributes):
        if local == "c":
            self.shared = attributes.get("t") == "s"
        if self.open:
            self.open[-1][2] += 1  # an element inside splits the text
        if local in ("t", "v"):
            self.open.append([local, 0, 0, ""])

    def closed(self, local):
        if not self.open or self.open[-1][0] != local:
            return
        local, size, pieces, start = self.open.pop()
        if local == "t":
            self.total += size
        elif self.shared:  # a number past the table (when the text is not one number) counts the longest string
            index = int(start) if pieces == 1 and INDEX.fullmatch(start) else len(self.strings.lengths)
            self.total += self.strings.named([index])
        elif not re.fullmatch(NUMBER, start) or len(start) < size:
            self.total += size
        if self.total > self.budget:
            raise _too_much_text(self.limit)

    def text(self, data):
        if self.open:
            value = self.open[-1]
            value[1] += len(data)
            value[2] += 1
            if len(value[3]) < 25:
                value[3] += data[:25]


def _exact_text(archive, member, strings, limit, deadline, budget):
    text = _CellText(strings, budget, limit)
    _parse(archive, member, limit, deadline, text)
    return text.total


def _too_much_text(limit):
    return Rejected(f"各工作表单元格中的文字合计超过 {limit.text} 个字符的上限（一段文字被多个单元格引用时，每处都算），"
                    "请分成几个文件导入。")


def _scan(archive, member, limit, strings, deadline, exact=False):
    scan = _SheetScan(limit, strings, exact)
    carry = b""
    for chunk in _chunks(archive, member, limit.unzipped_mb * MB + 2 * CHUNK, deadline):
        piece = carry + chunk
        # Cut after a cell's or row's end, so that no cell, tag or text, is split from what follows it: "</c>" and
        # "</row>" are markup (text holds no "<"). A piece without either is cut after its last tag (a ">" may also
        # stand in text) and its text is not trusted.
        cut = max(_after(piece, b"</c>"), _after(piece, b"</row>"))
        whole = cut > 0
        if not whole:
            cut = max(piece.rfind(b"c>"), piece.rfind(b"/>"), piece.rfind(b"w>")) + 2
            if cut < 2:
                cut = piece.rfind(b">") + 1
        carry = piece[cut:]
        if len(carry) > LONGEST_PIECE:
            raise Rejected("文件中有过长的单元格或行（超过 8 MB），无法读取。")
        scan.feed(piece[:cut], whole)
    if carry:
        scan.feed(carry, True)  # the member's end
    return scan


def _after(piece, end):
    at = piece.rfind(end)
    return at + len(end) if at >= 0 else 0


def _sheet_names(archive, members, limit, deadline):
    """{member name (lower case): sheet name} as calamine finds the sheets (xl/workbook.xml's <sheet>s, through the
    targets of xl/_rels/workbook.xml.rels). Two sheets of one name or one part are refused: calamine would read the
    part once for each, a sheet named 10,000 times would be read 10,000 times."""
    relationships = _elements(archive, members, "xl/_rels/workbook.xml.rels", {"Relationship": ("关系", MOST_ENTRIES)},
                              limit, deadline)
    targets = {r.get("Id", ""): r.get("Target", "") for r in relationships["Relationship"]}
    workbook = _elements(archive, members, "xl/workbook.xml",
                         {"sheet": ("工作表", MOST_ENTRIES), "definedName": ("名称定义", MOST_ENTRIES)}, limit, deadline)
    names, taken = {}, set()
    for sheet in workbook["sheet"]:
        name, target = sheet.get("name", ""), targets.get(sheet.get("r:id", sheet.get("relationships:id")))
        if target is None:
            continue  # calamine refuses the workbook
        part = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else "xl/" + target
        if part.lower() in names or name in taken:
            raise Rejected(f"工作簿中的工作表「{name}」与另一个工作表同名或指向同一内容，无法安全读取，"
                           "请用 Excel 或 WPS 打开后另存为 xlsx 再导入。")
        names[part.lower()] = name
        taken.add(name)
    return names


class _Elements(_Reader):
    """The attributes of each element of the given (local) names, refused past the most allowed of one name."""

    def __init__(self, labels):
        self.labels = labels  # {local name: (what it is, in Chinese; how many at most)}
        self.found = {local: [] for local in labels}

    def opened(self, local, attributes):
        found = self.found.get(local)
        if found is not None:
            label, most = self.labels[local]
            if len(found) >= most:
                raise Rejected(f"文件中的{label}超过 {most} 个的上限，疑似异常文件，未读取。")
            found.append(attributes)


def _elements(archive, members, path, labels, limit, deadline):
    elements = _Elements(labels)
    member = _member(members, path)
    if member:
        _parse(archive, member, limit, deadline, elements)
    return elements.found


def _member(members, path):
    """The member calamine reads for `path` (names compared ignoring ASCII case), None if none; refused if several."""
    found = [m for m in members if m.filename.encode().lower() == path.encode().lower()]
    if len(found) > 1:
        raise Rejected(f"文件中有多个「{path}」，无法安全读取，请用 Excel 或 WPS 打开后另存为 xlsx 再导入。")
    return found[0] if found else None


def check_xlsx(data: bytes, limit: Limits | None = None):
    """Refuse (Rejected, in Chinese) an xlsx whose reading would cost more than the limits allow; returns None.

    The members counted first (nothing read); their declared sizes (nothing unzipped); then each member's real bytes,
    streamed and counted (a header may lie); the shared strings measured; then each sheet's XML scanned for its
    farthest cell holding a value, its merged ranges, its declared dimension and its cells' text. All within
    `limit.seconds`."""
    import io

    limit = limit or limits()
    deadline = _Deadline(limit.seconds)
    # Each member's entry in the zip's directory starts with these bytes: their count bounds the members before the
    # directory is read (zipfile makes an object of each entry: 150,000 empty members cost 0.75 s and 74 MB).
    count = data.count(b"PK\x01\x02")
    if count > limit.members:
        raise Rejected(f"文件中有 {count} 个部件（xlsx 是一个压缩包），上限为 {limit.members} 个，疑似压缩炸弹，未读取。")
    cap = limit.unzipped_mb * MB
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Rejected(NOT_XLSX if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") else UNREADABLE)
    # calamine reads any of its formats whatever the file's name: an .xls (a compound file, above), and a zip whose
    # xlsx parts it cannot read but that has an .xlsb's or an .ods's, as those (copying shared strings into each cell,
    # repeating cells as told)
    if {m.filename.encode().lower() for m in members} & {b"xl/workbook.bin", b"content.xml", b"mimetype"}:
        raise Rejected(NOT_XLSX)
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
        for chunk in _chunks(archive, member, cap - total + 2 * CHUNK, deadline):
            size += len(chunk)
            if total + size > cap:
                raise Rejected(refuse.format(f"超过 {limit.unzipped_mb} MB", limit.unzipped_mb))
            if size > RATIO_MIN_SIZE and size > limit.ratio * max(member.compress_size, 1):
                raise Rejected(ratio.format(member.filename, f"超过 {limit.ratio}", limit.ratio))
        total += size
    strings = _shared_strings(archive, members, limit, deadline)
    names = _sheet_names(archive, members, limit, deadline)
    styles = _elements(archive, members, "xl/styles.xml",
                       {"numFmt": ("数字格式", MOST_ENTRIES), "xf": ("单元格格式", MOST_CELL_FORMATS)}, limit, deadline)
    if any(len(number.get("formatCode", "")) > LONGEST_FORMAT for number in styles["numFmt"]):
        raise Rejected(f"文件中有超过 {LONGEST_FORMAT} 个字符的数字格式（Excel 的上限），疑似异常文件，未读取。")
    sheets = []
    text = 0
    for member in members:
        scan = _scan(archive, member, limit, strings, deadline)  # every member: a sheet may be anywhere
        if scan.sheet_data:
            name = names.get(member.filename.lower(), member.filename)
            rows, columns = scan.extent()
            if rows * columns > limit.cells and not scan.exact:  # empty formatted cells may have widened it
                scan = _scan(archive, member, limit, strings, deadline, exact=True)
            sheets.append((member, name, scan))
            _check_sheet(scan, name, limit)
            if scan.text is None:
                scan.text = _exact_text(archive, member, strings, limit, deadline, limit.text - text)
            text += scan.text
            if text > limit.text:
                raise _too_much_text(limit)
    merged = sum(scan.merged for _, _, scan in sheets)
    if merged > limit.merged:  # calamine and Python keep every sheet's ranges
        raise Rejected(f"各工作表合计有 {merged} 个合并单元格，上限为 {limit.merged} 个。")
    if sum(_area(scan) for _, _, scan in sheets) > limit.cells:
        sheets = [(m, n, s if s.exact else _scan(archive, m, limit, strings, deadline, exact=True))
                  for m, n, s in sheets]
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
