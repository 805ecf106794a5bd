"""Hostile workbooks for the reader's limits (tests/core/test_workbook_bombs.py and bench/imports.py).

Each function writes a file under `directory` and returns its path. The big ones are written streaming: the
900 MB sheet never sits in memory.
"""

import base64
import random
import struct
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

from luoshi.core.limits import column_letters

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '{overrides}</Types>')
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
             'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '{rels}</Relationships>')
SHEET_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
             'Target="worksheets/sheet{n}.xml"/>')
SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SHEET_CLOSE = "</worksheet>"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>代码</t></is></c></row>'
SHARED_STRINGS = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  '{strings}</sst>')


def _write_parts(archive, sheet_count):
    archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(
        overrides="".join(SHEET_TYPE.format(n=n) for n in range(1, sheet_count + 1))))
    archive.writestr("_rels/.rels", ROOT_RELS)
    archive.writestr("xl/workbook.xml", WORKBOOK.format(
        sheets="".join(f'<sheet name="表{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheet_count + 1))))
    archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(
        rels="".join(SHEET_REL.format(n=n) for n in range(1, sheet_count + 1))))


def raw_xlsx(directory, name, *sheets, strings=()):
    """An xlsx whose sheets are the given XML bodies (what goes inside <worksheet>), written by hand, with the given
    shared strings."""
    path = Path(directory) / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_parts(archive, len(sheets))
        if strings:
            items = "".join(f"<si><t>{s}</t></si>" for s in strings)
            archive.writestr("xl/sharedStrings.xml", SHARED_STRINGS.format(strings=items))
        for n, body in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", SHEET_OPEN + body + SHEET_CLOSE)
    return path


def far_cell(directory, ref="XFD1048576", name="far.xlsx"):
    """A header and one value at `ref`, with no <dimension> (only the cells tell how far the sheet goes)."""
    row = "".join(ch for ch in ref if ch.isdigit())
    return raw_xlsx(directory, name, f'<sheetData>{HEADER_ROW}<row r="{row}"><c r="{ref}"><v>1</v></c></row></sheetData>')


def far_cell_openpyxl(directory, name="far-openpyxl.xlsx"):
    """The same made by openpyxl, as an attacker would (it also writes <dimension ref="A1:XFD1048576"/>)."""
    book = Workbook()
    book.active["A1"] = "代码"
    book.active["XFD1048576"] = 1
    path = Path(directory) / name
    book.save(path)
    return path


def huge_dimension(directory, name="dimension.xlsx"):
    return raw_xlsx(directory, name, f'<dimension ref="A1:XFD1048576"/><sheetData>{HEADER_ROW}</sheetData>')


def stray_formatted_cell(directory, name="stray.xlsx"):
    """A real sheet and one empty formatted cell far away (Excel writes such cells): read by its real data."""
    return raw_xlsx(directory, name, f'<sheetData>{HEADER_ROW}<row r="2"><c r="A2"><v>370115</v></c></row>'
                                     '<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>')


def _deflated(data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _hand_zip(path, members, method=8):
    """Write a zip by hand: members are (name, raw deflate pieces, crc, size to declare); the pieces may repeat.
    `method` 0: the pieces are stored as they are."""
    central, offset = [], 0
    with open(path, "wb") as f:
        for name, pieces, crc, size in members:
            encoded = name.encode()
            compressed = sum(len(p) for p in pieces)
            header = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0, crc, compressed, size,
                                 len(encoded), 0)
            f.write(header + encoded)
            for piece in pieces:
                f.write(piece)
            central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, compressed,
                                       size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
            offset += len(header) + len(encoded) + compressed
        directory = b"".join(central)
        f.write(directory)
        count = min(len(central), 0xFFFF)  # a zip64 record would tell more: readers go by the directory's size
        f.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0))
    return path


def compressed_sheet(directory, megabytes=900, name="zipbomb.xlsx", declared=None):
    """A sheet of `megabytes` MiB of XML (one row repeated) in a file of about 1 MB: the same deflated MiB written
    `megabytes` times (each starts afresh, so the pieces join into one valid stream). `declared`: the size its
    headers claim (the real one when None)."""
    row = b'<row r="2"><c r="A2"><v>0</v></c></row>'
    block = row * (1024 * 1024 // len(row))
    head = (SHEET_OPEN + "<sheetData>" + HEADER_ROW).encode()
    tail = ("</sheetData>" + SHEET_CLOSE).encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    middle = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = _deflated(tail)
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + megabytes * len(block) + len(tail)
    members = [(n, [_deflated(t)], zlib.crc32(t), len(t)) for n, t in _parts().items()]
    members.append(("xl/worksheets/sheet1.xml", [first] + [middle] * megabytes + [last], crc,
                    size if declared is None else declared))
    return _hand_zip(Path(directory) / name, members)


def _parts():
    """The parts of a one-sheet workbook but the sheet, as {name: bytes}."""
    return {"[Content_Types].xml": CONTENT_TYPES.format(overrides=SHEET_TYPE.format(n=1)).encode(),
            "_rels/.rels": ROOT_RELS.encode(),
            "xl/workbook.xml": WORKBOOK.format(sheets='<sheet name="表1" sheetId="1" r:id="rId1"/>').encode(),
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(rels=SHEET_REL.format(n=1)).encode()}


def lying_sizes(directory, megabytes=300, name="lying.xlsx"):
    """compressed_sheet whose headers declare the sheet 2 KB long: only the real bytes tell how big it is."""
    return compressed_sheet(directory, megabytes, name, declared=2048)


def many_sheets(directory, count=12, ref="GR4000", name="sheets.xlsx"):
    """`count` sheets, each with one value at `ref` (200 columns × 4,000 rows: within a sheet's caps)."""
    row = "".join(ch for ch in ref if ch.isdigit())
    body = f'<sheetData>{HEADER_ROW}<row r="{row}"><c r="{ref}"><v>1</v></c></row></sheetData>'
    return raw_xlsx(directory, name, *([body] * count))


def disguised_far_cell(directory, name="disguised.xlsx"):
    """A far value whose tag holds "/>" in an attribute value and uses a namespace prefix and lowercase letters."""
    return raw_xlsx(directory, name, f'<sheetData>{HEADER_ROW}<row r="1048576"><x:c xmlns:x="http://schemas.openxmlformats.org/'
                                     'spreadsheetml/2006/main" note="/>" r=\'xfd1048576\'><x:v>1</x:v></x:c></row></sheetData>')


def unplaced_cells(directory, name="unplaced.xlsx"):
    """Cells without a position: calamine places them by the row's number, here the sheet's last row."""
    return raw_xlsx(directory, name, f'<sheetData>{HEADER_ROW}<row r="1048576"><c><v>1</v></c></row></sheetData>')


def many_merges(directory, count=60_000, name="merges.xlsx", sheets=1):
    merges = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(1, count + 1))
    body = f'<sheetData>{HEADER_ROW}</sheetData><mergeCells count="{count}">{merges}</mergeCells>'
    return raw_xlsx(directory, name, *[body] * sheets)


def overlapping_merges(directory, count=200, name="overlapping.xlsx"):
    """A 1,000 × 10 sheet with `count` merged ranges over all of it: filling them would write 10,000 cells each."""
    merges = '<mergeCell ref="A1:J1000"/>' * count
    return raw_xlsx(directory, name, f'<sheetData>{HEADER_ROW}<row r="1000"><c r="J1000"><v>1</v></c></row></sheetData>'
                                     f'<mergeCells count="{count}">{merges}</mergeCells>')


def shared_string_bomb(directory, length=1_000_000, cells=1_500, name="strings.xlsx", prefix=""):
    """Issue 20's: one shared string of `length` random letters (they barely compress: 0.74 MB for 1 MB) named by
    `cells` cells, one a row. A reader copies the string into each cell, and Python again: 1,500 × 1 MB, twice.
    `prefix` writes the cells with a namespace prefix (read by the precise scan)."""
    text = base64.b64encode(random.Random(20).randbytes(length * 3 // 4 + 3)).decode()[:length]
    namespace = f' xmlns:{prefix[:-1]}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' if prefix else ""
    rows = "".join(f'<row r="{n}"><{prefix}c{namespace} r="A{n}" t="s"><{prefix}v>0</{prefix}v></{prefix}c></row>'
                   for n in range(1, cells + 1))
    return raw_xlsx(directory, name, f"<sheetData>{rows}</sheetData>", strings=[text])


def split_text(directory, cells=3, length=1_900_000, name="split.xlsx"):
    """Inline strings of random letters with "c>" every 1,000 characters: a cut of the XML after "c>" (the end of a
    cell, or not) would split them from their tags."""
    rows = []
    for n in range(1, cells + 1):
        text = base64.b64encode(random.Random(n).randbytes(length * 3 // 4)).decode()
        text = "c>".join(text[at:at + 998] for at in range(0, len(text), 998))
        rows.append(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{text}</t></is></c></row>')
    return raw_xlsx(directory, name, f"<sheetData>{''.join(rows)}</sheetData>")


def _replaced(path, parts):
    """The workbook at `path` with the given parts ({name: text}) put in or replaced."""
    with zipfile.ZipFile(path) as archive:
        kept = {info.filename: archive.read(info) for info in archive.infolist() if info.filename not in parts}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in {**kept, **parts}.items():
            archive.writestr(part, data)
    return path


def repeated_sheet(directory, count=1_000, name="repeated.xlsx"):
    """One sheet part that `count` sheets of the workbook point to: calamine would read it once for each."""
    path = raw_xlsx(directory, name, f'<sheetData>{HEADER_ROW}<row r="2"><c r="J1000"><v>1</v></c></row></sheetData>')
    sheets = "".join(f'<sheet name="表{n}" sheetId="{n}" r:id="rId1"/>' for n in range(1, count + 1))
    return _replaced(path, {"xl/workbook.xml": WORKBOOK.format(sheets=sheets)})


def many_entries(directory, names=0, formats=0, name="entries.xlsx"):
    """A workbook with `names` defined names and `formats` number formats: calamine keeps an entry of each (2,000,000
    number formats in a 10 MB file took 443 MB)."""
    path = raw_xlsx(directory, name, f"<sheetData>{HEADER_ROW}</sheetData>")
    defined = "".join(f'<definedName name="n{n}">表1!A{n}</definedName>' for n in range(names))
    numbers = "".join(f'<numFmt numFmtId="{164 + n}" formatCode="0.{n}"/>' for n in range(formats))
    workbook = WORKBOOK.format(sheets='<sheet name="表1" sheetId="1" r:id="rId1"/>')
    return _replaced(path, {
        "xl/workbook.xml": workbook.replace("</sheets>", f"</sheets><definedNames>{defined}</definedNames>"),
        "xl/styles.xml": ('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                          f'<numFmts count="{formats}">{numbers}</numFmts></styleSheet>')})


def long_format(directory, length=100_000, cells=10_000, name="format.xlsx"):
    """A number format's code of `length` characters named by `cells` cell formats: calamine reads the code once for
    each (4 s for these 2 KB)."""
    path = raw_xlsx(directory, name, f"<sheetData>{HEADER_ROW}</sheetData>")
    code, formats = "0." + "0" * length, '<xf numFmtId="164"/>' * cells
    return _replaced(path, {"xl/styles.xml": (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1">'
        f'<numFmt numFmtId="164" formatCode="{code}"/></numFmts>'
        f'<cellXfs count="{cells}">{formats}</cellXfs></styleSheet>')})


def deep_nesting(directory, depth=100_000, name="deep.xlsx"):
    """Shared strings holding `depth` elements one in another: an XML reader that keeps each open element (expat
    does) grows with them."""
    path = raw_xlsx(directory, name, f"<sheetData>{HEADER_ROW}</sheetData>")
    nested = "<b>" * depth + "</b>" * depth
    return _replaced(path, {"xl/sharedStrings.xml": SHARED_STRINGS.format(strings=f"<si>{nested}</si>")})


def many_members(directory, count=150_000, name="members.xlsx"):
    """Issue 20's: a one-sheet workbook and `count` empty members (15 MB): each an entry of the zip's directory."""
    sheet = (SHEET_OPEN + "<sheetData>" + HEADER_ROW + "</sheetData>" + SHEET_CLOSE).encode()
    parts = {**_parts(), "xl/worksheets/sheet1.xml": sheet}
    members = [(n, [t], zlib.crc32(t), len(t)) for n, t in parts.items()]
    members += [(f"xl/media/{n}", [], 0, 0) for n in range(count)]
    return _hand_zip(Path(directory) / name, members, method=0)


def at_the_limits(directory, rows=100_000, columns=10, length=5, name="limits.xlsx", first=0x4E00, size=0):
    """The largest honest workbook the default limits accept: 100,000 rows × 10 columns (the cell cap), each cell a
    different shared string of 5 Chinese characters (as many strings as cells, the text cap). `first`: the strings'
    first character (0x1F300, emoji: 4 bytes each in calamine and in Python); `size`: the file's size, made up by a
    picture of random bytes."""
    letters = [column_letters(n) for n in range(1, columns + 1)]
    head, tail = SHARED_STRINGS.split("{strings}")

    def text(n):
        return "".join(chr(first + (n >> (4 * k)) % 16 + 16 * k) for k in range(length))

    path = Path(directory) / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_parts(archive, 1)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(head.encode())
            for row in range(rows):
                f.write("".join(f"<si><t>{text(row * columns + n)}</t></si>" for n in range(columns)).encode())
            f.write(tail.encode())
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write((SHEET_OPEN + "<sheetData>").encode())
            for row in range(1, rows + 1):
                cells = "".join(f'<c r="{letter}{row}" t="s"><v>{(row - 1) * columns + n}</v></c>'
                                for n, letter in enumerate(letters))
                f.write(f'<row r="{row}">{cells}</row>'.encode())
            f.write(("</sheetData>" + SHEET_CLOSE).encode())
    if size > path.stat().st_size:
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("xl/media/image1.png", random.Random(20).randbytes(size - path.stat().st_size - 200))
    return path


def huge_merge(directory, name="merge.xlsx"):
    """One merged range over the whole grid, on a two-row sheet: filled only where there are rows."""
    return raw_xlsx(directory, name, f'<sheetData>{HEADER_ROW}<row r="2"><c r="A2"><v>370115</v></c></row></sheetData>'
                                     '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')


def line_breaks_csv(directory, megabytes=19, name="lines.csv"):
    path = Path(directory) / name
    with open(path, "wb") as f:
        f.write("代码,名称\n".encode())
        for _ in range(megabytes):
            f.write(b"\n" * (1024 * 1024))
    return path
