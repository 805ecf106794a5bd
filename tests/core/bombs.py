"""Hostile workbooks for the reader's limits (tests/core/test_workbook_bombs.py and bench/imports.py).

Each function writes a file under `directory` and returns its path. The big ones are written streaming: the
900 MB sheet never sits in memory.
"""

import struct
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

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


def _write_parts(archive, sheet_count):
    archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(
        overrides="".join(SHEET_TYPE.format(n=n) for n in range(1, sheet_count + 1))))
    archive.writestr("_rels/.rels", ROOT_RELS)
    archive.writestr("xl/workbook.xml", WORKBOOK.format(
        sheets="".join(f'<sheet name="表{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheet_count + 1))))
    archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(
        rels="".join(SHEET_REL.format(n=n) for n in range(1, sheet_count + 1))))


def raw_xlsx(directory, name, *sheets):
    """An xlsx whose sheets are the given XML bodies (what goes inside <worksheet>), written by hand."""
    path = Path(directory) / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_parts(archive, len(sheets))
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


def _hand_zip(path, members):
    """Write a zip by hand: members are (name, raw deflate pieces, crc, size to declare); the pieces may repeat."""
    central, offset = [], 0
    with open(path, "wb") as f:
        for name, pieces, crc, size in members:
            encoded = name.encode()
            compressed = sum(len(p) for p in pieces)
            header = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, compressed, size, len(encoded), 0)
            f.write(header + encoded)
            for piece in pieces:
                f.write(piece)
            central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, compressed, size,
                                       len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
            offset += len(header) + len(encoded) + compressed
        directory = b"".join(central)
        f.write(directory)
        f.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0))
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
    parts = {"[Content_Types].xml": CONTENT_TYPES.format(overrides=SHEET_TYPE.format(n=1)), "_rels/.rels": ROOT_RELS,
             "xl/workbook.xml": WORKBOOK.format(sheets='<sheet name="表1" sheetId="1" r:id="rId1"/>'),
             "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(rels=SHEET_REL.format(n=1))}
    members = [(n, [_deflated(t.encode())], zlib.crc32(t.encode()), len(t.encode())) for n, t in parts.items()]
    members.append(("xl/worksheets/sheet1.xml", [first] + [middle] * megabytes + [last], crc,
                    size if declared is None else declared))
    return _hand_zip(Path(directory) / name, members)


def lying_sizes(directory, megabytes=300, name="lying.xlsx"):
    """compressed_sheet whose headers declare the sheet 2 KB long: only the real bytes tell how big it is."""
    return compressed_sheet(directory, megabytes, name, declared=2048)


def many_sheets(directory, count=12, ref="GR10000", name="sheets.xlsx"):
    """`count` sheets, each with one value at `ref` (200 columns × 10,000 rows: within a sheet's caps)."""
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


def many_merges(directory, count=60_000, name="merges.xlsx"):
    merges = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(1, count + 1))
    return raw_xlsx(directory, name, f'<sheetData>{HEADER_ROW}</sheetData><mergeCells count="{count}">{merges}</mergeCells>')


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
