"""One reader for every shape a 方案 is published in (DOMAIN.md §7), over the blocks of breakdown.document. No ORM:
it gives each item's units as written (breakdown.queries.UnitNames finds them) and its deadline phrase (rules).

Shapes:
- a table with a header row (序号 | 重点工作任务 | 主要责任单位 | 协同配合单位, or 牵头单位 / 责任单位 / 配合单位 /
  牵头负责领导 / 完成时限 columns, in any order), section rows merged across (every filled cell the same text), several
  lead units stacked in one cell; an .xlsx ledger is read the same way, its title rows above the header skipped;
- numbered paragraphs (一、 / （一） / 1. / （1）, or numbered by Word itself) each followed by labelled lines
  (牵头单位：, 责任单位：, 协同责任单位：, 配合单位：, 牵头负责领导：, 完成时限：; several on one line, or at the end of
  the item's own paragraph);
- a leader's heading (一、王晓明区长牵头重点工作): the items under it have that leader;
- a 工作要点 paragraph whose units are in a trailing parenthesis (（区行政审批服务局牵头，区司法局按职责分工负责）), its
  deadline in its own text (2026年10月底前…).
A numbered paragraph without units is an item when it stands at a level where items stand and has none below it; a
heading when items stand below it (their section); else the document's own structure (一、总体要求), passed over.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from luoshi.breakdown import rules
from luoshi.breakdown.document import Paragraph, Table

MOST_ITEMS = 1000
HEADERS = {
    "number": ["序号", "编号"],
    "title": ["重点工作任务", "重点任务", "工作任务", "任务内容", "主要任务", "工作内容", "具体任务", "工作要点", "目标任务",
              "重点工作", "任务名称", "任务", "工作事项", "事项", "具体工作", "工作措施"],
    "lead": ["牵头单位", "主要责任单位", "牵头部门", "牵头责任单位", "责任单位(牵头)"],
    "responsible": ["责任单位", "责任部门", "落实单位"],
    "cooperating": ["协同配合单位", "配合单位", "协同单位", "协同责任单位", "参与单位", "协办单位", "配合部门"],
    "leader": ["牵头负责领导", "责任领导", "牵头领导", "分管领导", "牵头区领导", "责任区领导", "区级领导", "包保领导"],
    "deadline": ["完成时限", "完成时间", "时间节点", "时限要求", "完成期限", "时限"],
    "section": ["类别", "领域", "板块", "分类"],
}
LABELS = {  # a labelled line's label → the item's field
    **{name: "lead" for name in ("牵头单位", "主要责任单位", "牵头部门", "牵头责任单位")},
    **{name: "responsible" for name in ("责任单位", "责任部门", "落实单位")},
    **{name: "cooperating" for name in ("协同责任单位", "协同配合单位", "配合单位", "协同单位", "参与单位", "协办单位",
                                        "配合部门")},
    **{name: "leader" for name in ("牵头负责领导", "责任领导", "牵头领导", "分管领导", "牵头区领导", "责任区领导", "包保领导")},
    **{name: "deadline" for name in ("完成时限", "完成时间", "时间节点", "时限要求", "完成期限")},
}
LABEL = re.compile("(" + "|".join(sorted(LABELS, key=len, reverse=True)) + r")\s*[:：]")
UNIT_FIELDS = ("lead", "responsible", "cooperating")


@dataclass
class Entry:
    """A candidate item while reading paragraphs."""

    where: str
    level: int | None
    number: str
    body: str
    lines: list = field(default_factory=list)  # the paragraph and its labelled lines, verbatim
    values: dict = field(default_factory=dict)  # field → text
    units: dict | None = None  # from a trailing parenthesis
    leader: str = ""
    section: str = ""

    @property
    def has_units(self):
        return bool(self.units) or any(self.values.get(f) for f in UNIT_FIELDS)


def read(blocks):
    """(items, problems): each item a dict (where, section, number, title, text, lead, responsible, cooperating,
    leader, deadline — the phrase as written, or "" when the item's text is to be searched — and notes: what the
    reader itself found wrong); problems that concern the document as a whole."""
    items, problems = [], []
    paragraphs = []
    header = None
    for block in blocks:
        if isinstance(block, Table):
            items += _flush(paragraphs)
            paragraphs = []
            header, found = _read_table(block, header)
            items += found
        elif isinstance(block, Paragraph):
            paragraphs.append(block)
    items += _flush(paragraphs)
    if not items:
        problems.append("没有找到任何任务：请确认上传的是任务分解方案（含「重点工作任务」「牵头单位」等列的表格，"
                        "带「牵头单位：」「完成时限：」等标注的编号段落，或以括号注明单位的工作要点）。")
    elif len(items) > MOST_ITEMS:
        problems.append(f"方案中有 {len(items)} 项任务，超过 {MOST_ITEMS} 项的上限，请分成几个文件导入。")
    for item in items:
        for key in ("section", "number", "title", "text", "leader"):
            item[key] = item.get(key) or ""
        if not item["lead"]:
            item["notes"].append("没有牵头单位或责任单位")
    return items, problems


# --- tables -----------------------------------------------------------------------------------------------------------

def _header_key(text):
    return re.sub(r"\s+|[（(][^）)]*[）)]$", "", str(text or "")).replace("（", "(").replace("）", ")")


def _columns(row):
    """{field: column} of a header row, or None when it is not one (no task column, or no unit column)."""
    found = {}
    keys = [_header_key(c) for c in row]
    for name, options in HEADERS.items():
        for index, key in enumerate(keys):
            if key and key in options and index not in found.values():
                found.setdefault(name, index)
    for name, options in HEADERS.items():  # 重点工作任务（共85项）: by its start
        if name not in found:
            for index, key in enumerate(keys):
                if key and index not in found.values() and any(key.startswith(o) for o in options if len(o) > 2):
                    found[name] = index
                    break
    if "title" in found and ("lead" in found or "responsible" in found):
        return found
    return None


def _read_table(table, header):
    """(header, items) of one table; a table without a header row of its own continues the previous table's (Word
    splits a long table when a page break is put into it)."""
    start = 0
    for index, row in enumerate(table.rows[:6]):
        columns = _columns(row)
        if columns:
            header, start = (columns, [_header_key(c) for c in row]), index + 1
            break
    else:
        if header is None or not table.rows or len(table.rows[0]) < max(header[0].values()) + 1:
            return header, []
    columns, header_keys = header
    items, section, leader, count = [], "", "", 0
    for where, row in zip(table.wheres[start:], table.rows[start:]):
        cells = [c if isinstance(c, date) else str(c or "").strip() for c in row]
        texts = [c for c in cells if c]
        if not texts or [_header_key(c) for c in cells] == header_keys:
            continue
        if len({str(c) for c in texts}) == 1 and (len(texts) > 1 or not _cell(cells, columns, "lead")
                                                  and not _cell(cells, columns, "responsible")):
            section = str(texts[0])
            _, _, rest = rules.numbering(section)
            if heading := rules.leader_of_heading(rest):
                leader = heading[0]
            continue
        title_text = _cell(cells, columns, "title")
        if not title_text:
            continue
        count += 1
        _, typed_number, rest = rules.numbering(title_text)
        number = _cell(cells, columns, "number") or typed_number.strip("、.．") or str(count)
        item = _item(where, section if "section" not in columns else (_cell(cells, columns, "section") or section),
                     number, rest if typed_number and not _cell(cells, columns, "number") else title_text,
                     "｜".join(str(c) for c in cells if c))
        lead = rules.split_units(_cell(cells, columns, "lead"))
        responsible = rules.split_units(_cell(cells, columns, "responsible"))
        cooperating = rules.split_units(_cell(cells, columns, "cooperating"))
        if not lead and not responsible and (found := rules.trailing_parenthesis(item["title"])):
            item["title"] = rules.make_title(found[0])
            roles = rules.role_clauses(found[1])
            lead, responsible = [(n, "lead") for n in roles["lead"]], [(n, None) for n in roles["responsible"]]
            cooperating = [(n, None) for n in roles["cooperating"]]
        item["lead"], item["responsible"], item["cooperating"] = rules.assign_roles(lead, responsible, cooperating)
        item["leader"] = rules.leader_name(_cell(cells, columns, "leader")) or leader
        deadline = cells[columns["deadline"]] if "deadline" in columns and columns["deadline"] < len(cells) else ""
        item["deadline"] = deadline.isoformat() if isinstance(deadline, date) else (deadline or "")
        items.append(item)
    return header, items


def _cell(cells, columns, name):
    index = columns.get(name)
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    return value.isoformat() if isinstance(value, date) else value


def _item(where, section, number, title, text):
    return {"where": where, "section": section, "number": str(number).strip(), "title": rules.make_title(title),
            "text": text, "lead": [], "responsible": [], "cooperating": [], "leader": "", "deadline": "", "notes": []}


# --- paragraphs -------------------------------------------------------------------------------------------------------

def _labelled(text):
    """(text before the first label, {field: value}) of a line; values split where the next label starts."""
    matches = list(LABEL.finditer(text))
    if not matches:
        return text, {}
    values = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end():end].strip().rstrip("；;。，,").strip()
        key = LABELS[match.group(1)]
        values[key] = f"{values[key]}、{value}" if values.get(key) and key in UNIT_FIELDS else value
    return text[:matches[0].start()].strip(), values


def _entries(paragraphs):
    """The candidate entries (numbered paragraphs, paragraphs with units) with their labelled lines, and the leader
    headings, in order."""
    entries, current = [], None
    auto_counts = {}
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        before, values = _labelled(text)
        if values and not before:
            if current is not None:
                for key, value in values.items():
                    if key in UNIT_FIELDS and current.values.get(key):
                        value = f"{current.values[key]}、{value}"
                    current.values[key] = value
                current.lines.append(text)
            continue
        level, number, rest = rules.numbering(before)
        if level is None and paragraph.auto:
            level, number, rest = _auto_number(paragraph.auto, auto_counts), "", before
        heading = rules.leader_of_heading(rest)
        if heading:
            entries.append(("leader", (heading[0], level if level is not None else 0), text))
            current = None
            continue
        trailing = rules.trailing_parenthesis(rest)
        if level is None and not trailing and not values:
            continue  # the document's own text (its title, a preface, a closing request): no item
        body, units = (trailing[0], trailing[1]) if trailing else (rest, None)
        entry = Entry(paragraph.where, level if level is not None else 99, number.strip("、.．").strip() if number
                      else "", body, [text], values)
        if units:
            inner_before, inner_values = _labelled(units)
            if inner_values:
                for key, value in inner_values.items():
                    entry.values.setdefault(key, value)
            else:
                entry.units = rules.role_clauses(units)
        entries.append(("entry", entry, text))
        current = entry
    return entries


def _auto_number(auto, counts):
    """A level for a paragraph Word numbers itself (10 + its list level), counting its number per list and level."""
    num_id, ilvl = auto
    level = int(ilvl) if (ilvl or "0").isdigit() else 0
    key = (num_id, level)
    counts[key] = counts.get(key, 0) + 1
    for other in [k for k in counts if k[0] == num_id and k[1] > level]:
        counts.pop(other)
    return 10 + level


def _flush(paragraphs):
    """The items of a run of paragraphs (between tables)."""
    if not paragraphs:
        return []
    entries = _entries(paragraphs)
    entry_list = [e for kind, e, _ in entries if kind == "entry"]
    item_levels = {e.level for e in entry_list if e.has_units or e.values.get("deadline")}
    items, leader, leader_level, headings, count = [], "", None, {}, 0
    for index, (kind, entry, text) in enumerate(entries):
        if kind == "leader":
            (leader, leader_level), headings = entry, {-1: text}
            continue
        is_item = entry.has_units or bool(entry.values.get("deadline"))
        if not is_item:
            below = _has_items_below(entries, index)
            if below:
                if leader_level is not None and entry.level <= leader_level:
                    leader, leader_level, headings = "", None, {}
                headings = {k: v for k, v in headings.items() if k < entry.level}
                headings[entry.level] = entry.lines[0]
                continue
            if entry.level not in item_levels:
                continue
        count += 1
        section = headings[max(k for k in headings if k < entry.level)] if any(k < entry.level for k in headings) else ""
        item = _item(entry.where, section, entry.number or str(count), entry.body, "\n".join(entry.lines))
        if entry.units:
            lead = [(n, "lead") for n in entry.units["lead"]]
            responsible = [(n, None) for n in entry.units["responsible"]]
            cooperating = [(n, None) for n in entry.units["cooperating"]]
        else:
            lead = rules.split_units(entry.values.get("lead", ""))
            responsible = rules.split_units(entry.values.get("responsible", ""))
            cooperating = rules.split_units(entry.values.get("cooperating", ""))
        item["lead"], item["responsible"], item["cooperating"] = rules.assign_roles(lead, responsible, cooperating)
        item["leader"] = rules.leader_name(entry.values.get("leader", "")) or leader
        item["deadline"] = entry.values.get("deadline", "")
        items.append(item)
    return items


def _has_items_below(entries, index):
    """Whether an entry at a deeper level with units follows before the next entry at this level or above."""
    level = entries[index][1].level
    for kind, entry, _ in entries[index + 1:]:
        if kind == "leader":
            return False
        if entry.level <= level:
            return False
        if entry.has_units or entry.values.get("deadline"):
            return True
    return False
