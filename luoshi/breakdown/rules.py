"""Pure rules of the task breakdown (任务分解方案, DOMAIN.md §7). No ORM here; tested with hand-computed cases
(tests/breakdown/test_rules.py) and stated in docs/rules.md.

- Deadline phrases: "X月底前" / "X月底" / "X月末" / "X月" (a deadline cell) are that month's last day; "X月上旬" the
  10th, "X月中旬" the 20th, "X月下旬" the last day; "X月Y日（前）" that day; "X月前" the last day of the month before;
  "一季度"…"四季度" the quarter's last day, "上半年" 30 June, "前三季度" 30 September, "下半年", "年内", "年底（前）",
  "年末", "全年" 31 December. Without a year the plan's year. "长期坚持", "持续推进", "常态化" have no single deadline:
  quarterly nodes, the last day of each quarter from the plan's first import on (always 31 December).
  A deadline cell (完成时限) is read whole and a phrase it holds that is not understood is a problem; without one the
  item's own text is searched, where only phrases with 底/末/前/旬/日 (and the year's and quarters' words) count and a
  date before the plan's year is context ("较2025年底"), not a deadline.
- Unit lists: separated by 、，,；; / and line breaks; "各镇（街道）", "各镇、街道", "各镇街" are one set (every town and
  street government of the region), "各街道" the streets', "各镇" the towns', "区直各部门" the departments. "区发改局（牵头）"
  marks a lead. In a trailing parenthesis, clauses say the role: "X牵头", "Y按职责分工负责", "Z配合".
- Leads: the units named as 牵头单位 (or 主要责任单位) are co-leads; when none is named, the first 责任单位 is the lead.
- Unit names: one office writes 区发改局, another 区发展和改革局 or 发改局: `name_key` drops the region's name or a
  leading 区/县/市 and a township government's 办事处/人民政府, so each form meets the unit's name or short name.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

MONTH = r"(?<!\d)(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}
CN_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
def _year(kind):
    return rf"(?:(?P<{kind}_y>\d{{4}})\s*年\s*)?"


# Each alternative names its groups; at a place the first that matches wins (a day before a month).
_PHRASES = [
    ("iso", r"(?P<iso_y>\d{4})[-/.](?P<iso_m>\d{1,2})(?:[-/.](?P<iso_d>\d{1,2}))?"),
    ("day", _year("day") + MONTH.replace("(1", "(?P<day_m>1", 1) + r"\s*月\s*(?P<day_d>\d{1,2})\s*[日号]\s*(?:前|之前|以前)?"),
    ("month", _year("month") + MONTH.replace("(1", "(?P<month_m>1", 1)
     + r"\s*月份?\s*(?P<month_s>上旬|中旬|下旬|底前|底|末前|末|以前|之前|前)?"),
    ("half", _year("half") + r"(?P<half_h>上半年|下半年|前三季度)(?:末|底)?(?:前)?"),
    ("quarter", _year("quarter") + r"(?<!每)(?:第)?(?P<quarter_q>[一二三四1-4])\s*季度(?:末|底)?(?:前)?"),
    ("year_end", r"(?:(?P<year_end_y>\d{4})\s*年\s*)?(?:年底前|年底|年末前|年末|年内|年度内|全年)"
                 r"|(?P<year_end_y2>\d{4})\s*年\s*(?:底前|底|末前|末|内)"),
    ("ongoing", r"长期坚持|持续推进|长期推进|常态化推进|常态化开展|持续开展|常态化|长期"),
    ("bare_year", r"(?P<bare_year_y>\d{4})\s*年(?!\s*[\d一二三四五六七八九十上下前第年底末内])"),
]
PHRASE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PHRASES))
# In an item's text only these count: a month without 底/末/前/旬 ("12月举办"), 全年, 长期 alone, a bare year, are
# context there.
TEXT_KINDS = {"iso", "day", "month", "half", "quarter", "year_end", "ongoing"}
TEXT_ONGOING = {"长期坚持", "持续推进", "长期推进", "常态化推进", "常态化开展", "持续开展"}
LATEST_YEARS = 5  # a plan's item may run a few years beyond the plan's year


@dataclass
class Deadline:
    """What a deadline phrase (or an item's text) says: the dates, in order, each with the phrase that gave it and
    the clause around it (a milestone's title), or quarterly nodes; `problem` when a deadline cell was not understood."""

    dates: list = field(default_factory=list)  # [(date, phrase, clause)]
    quarterly: bool = False
    problem: str | None = None

    @property
    def due_dates(self):
        return sorted({d for d, _, _ in self.dates})


def month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(token):
    return int(token) if token.isdigit() else CN_MONTHS[token]


def _phrase_date(kind, groups, year):
    """(date, None) for one matched phrase, or (None, reason) when the date does not exist."""
    y = int(groups.get(f"{kind}_y") or groups.get(f"{kind}_y2") or year)
    try:
        if kind == "iso":
            m = int(groups["iso_m"])
            return (date(y, m, int(groups["iso_d"])) if groups.get("iso_d") else month_end(y, m)), None
        if kind == "day":
            return date(y, _month(groups["day_m"]), int(groups["day_d"])), None
        if kind == "month":
            m, suffix = _month(groups["month_m"]), groups.get("month_s") or ""
            if suffix == "上旬":
                return date(y, m, 10), None
            if suffix == "中旬":
                return date(y, m, 20), None
            if suffix in ("前", "以前", "之前"):
                return (month_end(y, m - 1) if m > 1 else date(y - 1, 12, 31)), None
            return month_end(y, m), None
        if kind == "half":
            return {"上半年": date(y, 6, 30), "下半年": date(y, 12, 31), "前三季度": date(y, 9, 30)}[groups["half_h"]], None
        if kind == "quarter":
            return month_end(y, CN_QUARTERS[groups["quarter_q"]] * 3), None
        if kind in ("year_end", "bare_year"):
            return date(y, 12, 31), None
    except ValueError:
        return None, "日期不存在"
    return None, "无法识别"


def _clause(text, start, end):
    """The clause (between ，；。 and line breaks) around a phrase: a milestone's title."""
    stops = "，,；;。\n"
    left = max(text.rfind(c, 0, start) for c in stops) + 1
    rights = [i for i in (text.find(c, end) for c in stops) if i >= 0]
    return text[left:min(rights) if rights else len(text)].strip()


def _kind_of(match):
    for name, _ in _PHRASES:
        if match.group(name) is not None:
            return name
    return None


def read_deadline(phrase, year):
    """A deadline cell or line (完成时限：…) read whole: every phrase in it counts; none understood is a problem."""
    phrase = (phrase or "").strip()
    if not phrase:
        return Deadline(problem="没有完成时限")
    found = Deadline()
    for match in PHRASE.finditer(phrase):
        kind = _kind_of(match)
        if kind == "ongoing":
            found.quarterly = True
            continue
        day, reason = _phrase_date(kind, match.groupdict(), year)
        if day is None:
            return Deadline(problem=f"完成时限「{phrase[:40]}」中的「{match.group(0)}」{reason}")
        if day < date(year, 1, 1):
            return Deadline(problem=f"完成时限「{phrase[:40]}」早于方案年度（{year}年）")
        if day.year > year + LATEST_YEARS:
            return Deadline(problem=f"完成时限「{phrase[:40]}」晚于{year + LATEST_YEARS}年，请核对")
        found.dates.append((day, match.group(0), _clause(phrase, *match.span())))
    if not found.dates and not found.quarterly:
        return Deadline(problem=f"无法识别的完成时限「{phrase[:40]}」（可写 6月底前、2026年10月、年底前、长期坚持 等）")
    if found.dates:
        found.quarterly = False  # a dated item with 持续推进 in its cell: the dates are its nodes
    return found


def search_deadline(text, year):
    """The deadlines an item's own text holds (no 完成时限 cell): dated phrases with 底/末/前/旬/日, the quarters', the
    year's words; 长期坚持 / 持续推进 when there is no date. A date before the plan's year is context, passed over."""
    found = Deadline()
    ongoing = False
    for match in PHRASE.finditer(text or ""):
        kind = _kind_of(match)
        if kind not in TEXT_KINDS:
            continue
        if kind == "ongoing":
            ongoing = ongoing or match.group(0) in TEXT_ONGOING
            continue
        if kind == "month" and not match.group("month_s"):
            continue
        if kind == "year_end" and match.group(0).endswith("全年"):
            continue
        day, _ = _phrase_date(kind, match.groupdict(), year)
        if day is None or day < date(year, 1, 1) or day.year > year + LATEST_YEARS:
            continue
        found.dates.append((day, match.group(0), _clause(text, *match.span())))
    if not found.dates:
        if ongoing:
            found.quarterly = True
        else:
            found.problem = "没有完成时限（文中未写明，请填写）"
    return found


def quarterly_dues(year, first_day):
    """The quarterly nodes of a 长期坚持 item: the last day of each quarter of the year that ends on or after the plan's
    first import (`first_day`); 31 December at least."""
    ends = [month_end(year, m) for m in (3, 6, 9, 12)]
    return [d for d in ends if d >= first_day] or [ends[-1]]


QUARTER_NAMES = {3: "第一季度", 6: "第二季度", 9: "第三季度", 12: "第四季度"}


def milestone_plan(title, deadline, year, first_day):
    """[(due, node title)] of an item: one node per date (the clause that gave it, or 完成：title for a deadline cell
    with one date), or the quarterly nodes; [] when there is no deadline."""
    if deadline.quarterly:
        return [(d, f"{QUARTER_NAMES[d.month]}推进：{title}"[:300]) for d in quarterly_dues(year, first_day)]
    dues = deadline.due_dates
    if len(dues) == 1:
        return [(dues[0], f"完成：{title}"[:300])]
    clauses = {}
    for day, _, clause in deadline.dates:
        clauses.setdefault(day, clause)
    return [(d, (clauses.get(d) or f"完成：{title}")[:300]) for d in dues]


# --- unit lists -----------------------------------------------------------------------------------------------------

TOWNSHIPS, STREETS, TOWNS, DEPARTMENTS = "townships", "streets", "towns", "departments"
SET_NAMES = {"各镇街": TOWNSHIPS, "各镇(街道)": TOWNSHIPS, "各镇街道": TOWNSHIPS, "各乡镇(街道)": TOWNSHIPS,
             "各乡镇街道": TOWNSHIPS, "各街道": STREETS, "各街道办事处": STREETS, "各镇": TOWNS, "各乡镇": TOWNS,
             "区直各部门": DEPARTMENTS, "区直各部门(单位)": DEPARTMENTS, "区直各单位": DEPARTMENTS,
             "县直各部门": DEPARTMENTS, "各区直部门": DEPARTMENTS, "区直部门": DEPARTMENTS}
SET_LABELS = {TOWNSHIPS: "各镇（街道）", STREETS: "各街道", TOWNS: "各镇", DEPARTMENTS: "区直各部门"}
VAGUE = {"有关部门", "各有关部门", "区直有关部门", "区直各有关部门", "相关部门", "有关单位", "各有关单位", "相关单位",
         "各相关单位", "区直有关单位", "各部门", "各单位"}
_SEPARATORS = re.compile(r"[、，,；;/\n\r\t\u3000 ]+")
_TOWNSHIP_FORMS = re.compile(r"各(?:乡)?镇\s*[、,，和及/]\s*(?:各)?街道|各(?:乡)?镇\s*[（(]\s*街道\s*[）)]|各镇街(?!道)")
_LEAD_MARK = re.compile(r"[（(]\s*(?:牵头|牵头单位|总牵头)\s*[）)]$")
_COOP_MARK = re.compile(r"[（(]\s*(?:配合|配合单位|协同|参与)\s*[）)]$")
_TRAILING_WORDS = re.compile(r"(?:等单位|等部门|等)$")
_ROLE_SUFFIX = [  # a clause's last words → the role of the units before them
    ("lead", re.compile(r"(?:负责牵头|牵头负责|牵头落实|共同牵头|分别牵头|牵头|为牵头单位)$")),
    ("cooperating", re.compile(r"(?:按职责分工配合|协同配合|配合落实|共同参与|参与|配合|协同|协助)$")),
    ("responsible", re.compile(r"(?:按职责分工负责|按照职责分工负责|按职责分工落实|按职责负责|分工负责|共同负责|具体负责|"
                               r"负责落实|组织实施|负责|落实)$")),
]


def clean_name(name):
    """A unit name as a key: spaces gone, parentheses half-width."""
    return re.sub(r"\s+", "", name or "").replace("（", "(").replace("）", ")")


def unit_set(name):
    """The set a name stands for (TOWNSHIPS, STREETS, TOWNS, DEPARTMENTS), or None."""
    return SET_NAMES.get(clean_name(name))


def split_units(text):
    """[(name, mark)] of a unit list as written, mark "lead" for 区发改局（牵头）, "cooperating" for （配合）, else None.
    Township sets written with a separator inside (各镇、街道) stay one name."""
    text = _TOWNSHIP_FORMS.sub("各镇（街道）", text or "")
    parts = []
    for raw in _SEPARATORS.split(text):
        name = raw.strip().strip("。.:：")
        if not name:
            continue
        mark = None
        if _LEAD_MARK.search(name):
            name, mark = _LEAD_MARK.sub("", name), "lead"
        elif _COOP_MARK.search(name):
            name, mark = _COOP_MARK.sub("", name), "cooperating"
        name = _TRAILING_WORDS.sub("", name).strip()
        if name:
            parts.append((name, mark))
    return parts


def role_clauses(text):
    """{"lead": [...], "responsible": [...], "cooperating": [...]} of a parenthesis like
    区行政审批服务局牵头，区司法局、区市场监督管理局按职责分工负责；区财政局配合."""
    roles = {"lead": [], "responsible": [], "cooperating": []}
    text = _TOWNSHIP_FORMS.sub("各镇（街道）", text or "")
    for clause in re.split(r"[，,；;。]", text):
        clause = clause.strip()
        if not clause:
            continue
        clause = re.sub(r"^(?:由|请)", "", clause)
        role = "responsible"
        for name, pattern in _ROLE_SUFFIX:
            if pattern.search(clause):
                clause, role = pattern.sub("", clause), name
                break
        for name, mark in split_units(clause):
            roles[mark or role].append(name)
    return roles


def assign_roles(lead, responsible, cooperating):
    """(leads, responsible, cooperating) names, each once: marked leads join the leads; without a named lead the first
    responsible unit leads (a set of units named first leads as a whole)."""
    leads = [n for n, m in lead if m != "cooperating"] + [n for n, m in responsible if m == "lead"]
    coop = [n for n, m in cooperating] + [n for n, m in lead + responsible if m == "cooperating"]
    resp = [n for n, m in responsible if m is None]
    if not leads and resp:
        leads, resp = resp[:1], resp[1:]
    seen = set()

    def once(names):
        out = []
        for n in names:
            if n not in seen:
                seen.add(n)
                out.append(n)
        return out

    return once(leads), once(resp), once(coop)


UNIT_WORDS = re.compile(r"(?:局|委|办|中心|街道|镇|部门|部|室|院|所|队|站|公司|集团|分局|处|会|办公室|单位|政府)$")
ROLE_WORD = re.compile(r"牵头|负责|配合|协同|参与|落实")


def trailing_parenthesis(text):
    """(body, inside) when the text ends with a parenthesis that names units (a role word, or every part a unit-like
    name), else None. Parentheses may nest: （区农业农村局牵头，各镇（街道）配合）."""
    stripped = text.rstrip().rstrip("。；;，,. ")
    if not stripped.endswith(("）", ")")):
        return None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char in "）)":
            depth += 1
        elif char in "（(":
            depth -= 1
            if depth == 0:
                inside = stripped[index + 1:-1].strip()
                body = stripped[:index].rstrip()
                if not body or not inside:
                    return None
                names = [n for n, _ in split_units(inside)]
                if ROLE_WORD.search(inside) or (names and all(UNIT_WORDS.search(clean_name(n)) or unit_set(n)
                                                              for n in names)):
                    return body, inside
                return None
    return None


# Names whose first character is a word's, not the level's: 市场监管局 is no 市's 场监管局 (区市场监管局 = 市场监管局).
WORDS_AFTER_LEVEL = ("市场", "市政", "市容", "区域", "县域")


def name_key(name, region_names=()):
    """The key under which a unit's name, short name, alias and a written name meet: without the region's name
    (济阳区发改局), a leading 区/县/市 (区发改局), a township government's 办事处/人民政府 (济阳街道办事处)."""
    key = clean_name(name)
    for region in sorted(region_names, key=len, reverse=True):
        if region and key.startswith(region) and len(key) > len(region) + 1:
            key = key[len(region):]
            break
    if len(key) > 2 and key[0] in "区县市" and key[1] not in "委直" and not key.startswith(WORDS_AFTER_LEVEL):
        key = key[1:]
    for suffix in ("办事处", "人民政府"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
    return key


# --- leaders, numbering, titles -------------------------------------------------------------------------------------

LEADER_TITLES = r"(?:常务副区长|副区长|区长|常务副县长|副县长|县长|区委书记|区委副书记|书记|副主任|主任|副部长|部长|主席)"
LEADER_HEADING = re.compile(r"^(?P<name>[\u4e00-\u9fa5]{2,4}?)(?:同志)?(?P<title>" + LEADER_TITLES + r")"
                            r"(?:牵头|负责|分管|联系)(?:的)?(?:重点)?(?:工作|任务|事项)")
LEADER_VALUE = re.compile(r"^(?P<name>[\u4e00-\u9fa5·]{2,5}?)(?:同志)?(?P<title>" + LEADER_TITLES + r")?$")
CN_NUMBER = r"[一二三四五六七八九十百零〇]+"
NUMBERING = [  # (level, pattern): 一、 / （一） / 1. / （1） / 1） / ①
    (1, re.compile(r"^(?P<n>" + CN_NUMBER + r")\s*[、.．]\s*")),
    (2, re.compile(r"^[（(]\s*(?P<n>" + CN_NUMBER + r")\s*[）)]\s*")),
    (3, re.compile(r"^(?P<n>\d{1,3})\s*(?:[、．]|\.(?!\d))\s*")),
    (4, re.compile(r"^[（(]\s*(?P<n>\d{1,3})\s*[）)]\s*")),
    (5, re.compile(r"^(?P<n>\d{1,3})\s*[)）]\s*")),
    (6, re.compile(r"^(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]
TITLE_LENGTH = 300


def numbering(text):
    """(level, number as written, the rest) of a numbered paragraph, or (None, "", text)."""
    for level, pattern in NUMBERING:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return level, match.group(0).strip(), text[match.end():].strip()
    return None, "", text


def leader_of_heading(text):
    """(name, title) of a heading like 王晓明区长牵头重点工作 (its number already taken off), or None."""
    match = LEADER_HEADING.match(text.strip())
    return (match.group("name"), match.group("title")) if match else None


def leader_name(value):
    """The person's name of a 牵头负责领导 value: 王晓明 of 王晓明区长 / 王晓明同志; several: the first; "" for none."""
    first = _SEPARATORS.split((value or "").strip())[0] if value and value.strip() else ""
    match = LEADER_VALUE.match(first)
    return match.group("name") if match else first[:100]


def make_title(text):
    """An item's title: its text, cut to TITLE_LENGTH at the last sentence end within it when longer."""
    text = re.sub(r"\s+", " ", text or "").strip().rstrip("；;，,")
    if len(text) <= TITLE_LENGTH:
        return text
    head = text[:TITLE_LENGTH]
    cut = max(head.rfind(c) for c in "。；;")
    return head[:cut + 1] if cut >= 40 else head[:TITLE_LENGTH - 1] + "…"


# --- comparing an amended plan --------------------------------------------------------------------------------------

COMPARED = ["section", "number", "title", "text", "lead", "responsible", "cooperating", "leader", "dues", "quarterly"]
FIELD_LABELS = {"section": "所属部分", "number": "序号", "title": "任务", "text": "原文", "lead": "牵头单位",
                "responsible": "责任单位", "cooperating": "配合单位", "leader": "牵头负责领导", "dues": "完成时限",
                "quarterly": "长期坚持"}


def title_key(title):
    return re.sub(r"[\s，,。；;、：:（）()“”\"'《》]", "", title or "")


def match_items(old, new):
    """Pairs (old index or None, new index or None) of a stored plan's items and an amended reading: the same title
    first, then the same section and number among those left; the rest are added (new) or withdrawn (old)."""
    pairs, used_old, used_new = [], set(), set()
    by_title = {}
    for i, item in enumerate(old):
        by_title.setdefault(title_key(item["title"]), []).append(i)
    for j, item in enumerate(new):
        candidates = [i for i in by_title.get(title_key(item["title"]), []) if i not in used_old]
        if candidates:
            used_old.add(candidates[0])
            used_new.add(j)
            pairs.append((candidates[0], j))
    by_place = {}
    for i, item in enumerate(old):
        if i not in used_old:
            by_place.setdefault((item["section"], item["number"]), []).append(i)
    for j, item in enumerate(new):
        if j in used_new:
            continue
        candidates = [i for i in by_place.get((item["section"], item["number"]), []) if i not in used_old]
        if candidates and item["number"]:
            used_old.add(candidates[0])
            used_new.add(j)
            pairs.append((candidates[0], j))
        else:
            pairs.append((None, j))
    pairs += [(i, None) for i in range(len(old)) if i not in used_old]
    return sorted(pairs, key=lambda p: (p[1] if p[1] is not None else len(new), p[0] or 0))


def changed_fields(old, new):
    """The compared fields whose values differ, in COMPARED order."""
    return [f for f in COMPARED if old.get(f) != new.get(f)]


# --- 主要预期目标: an item that states an indicator's target for the year -----------------------------------------
# "地区生产总值增长6.5%左右", "一般公共预算收入增长5%", "社会消费品零售总额同比增长6%以上", "进出口总额达到120亿元": the
# indicator named (by its catalog name or an alias, the longest first), then 增长 X% (a growth target) or 达到/突破 X
# with a unit (a value target; the unit as written, converted by the analysis office's confirmation only when it is
# the indicator's). "下降" is no target here. A name may be followed by a few characters (（GDP）, 同比, 年均).

@dataclass(frozen=True)
class TargetRead:
    code: str
    name: str
    growth: str | None  # the figure as written ("6.5"), a growth target in %
    value: str | None  # the figure as written, a value target
    unit: str  # the value's unit as written ("亿元"), "%" for a growth target
    phrase: str  # the words read


_GROWTH = r"(?:同比|年均|比上年|较上年)?\s*增长\s*(?P<growth>\d+(?:\.\d+)?)\s*[%％](?:\s*(?:左右|以上|及以上))?"
_VALUE = r"(?:达到|突破|完成|实现)\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|万美元|亿美元|元|户|家)(?:\s*(?:左右|以上))?"


def read_targets(text, catalog):
    """[TargetRead] of the indicators `catalog` ([(code, name, [aliases])]) whose target the text states, each
    indicator once, in the text's order."""
    names = sorted(((alias, code, name) for code, name, aliases in catalog for alias in [name, *aliases] if alias),
                   key=lambda n: -len(n[0]))
    if not names or not text:
        return []
    pattern = re.compile("(?P<name>" + "|".join(re.escape(n) for n, _, _ in names) + r")[^，。；;,\n、]{0,8}?(?:"
                         + _GROWTH + "|" + _VALUE + ")")
    by_alias = {n: (code, name) for n, code, name in names}
    found, seen = [], set()
    for match in pattern.finditer(text):
        code, name = by_alias[match.group("name")]
        if code in seen:
            continue
        seen.add(code)
        growth, value = match.group("growth"), match.group("value")
        found.append(TargetRead(code, name, growth, value, match.group("unit") or "%" if value else "%",
                                match.group(0)))
    return found


# --- 通报: the items of a plan over a month or a quarter ----------------------------------------------------------

@dataclass(frozen=True)
class Period:
    code: str  # "2026-03", "2026-Q1"
    first: date
    last: date
    label: str  # "2026年3月", "2026年第一季度"


QUARTER_LABELS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
_PERIOD = re.compile(r"^(?P<y>\d{4})-(?:(?P<m>\d{1,2})|[Qq](?P<q>[1-4]))$")


def bulletin_period(code, year):
    """The month ("2026-03") or quarter ("2026-Q1") of the plan's year a 通报 covers; ValueError (Chinese) else."""
    match = _PERIOD.match((code or "").strip())
    if not match:
        raise ValueError(f"通报期间「{(code or '')[:20]}」应为月份（如 {year}-03）或季度（如 {year}-Q1）")
    y = int(match.group("y"))
    if y != year:
        raise ValueError(f"通报期间应在方案年度 {year} 年内")
    if match.group("q"):
        q = int(match.group("q"))
        return Period(f"{y}-Q{q}", date(y, 3 * q - 2, 1), month_end(y, 3 * q), f"{y}年{QUARTER_LABELS[q]}")
    m = int(match.group("m"))
    if not 1 <= m <= 12:
        raise ValueError(f"通报期间「{code[:20]}」的月份应在 1 至 12 之间")
    return Period(f"{y}-{m:02d}", date(y, m, 1), month_end(y, m), f"{y}年{m}月")


def bulletin_periods(year, as_of):
    """The months and quarters of the plan's year that have begun by `as_of`, latest start first, a month before the
    quarter it begins (the page's choices)."""
    months = [bulletin_period(f"{year}-{m:02d}", year) for m in range(1, 13) if date(year, m, 1) <= as_of]
    quarters = [bulletin_period(f"{year}-Q{q}", year) for q in range(1, 5) if date(year, 3 * q - 2, 1) <= as_of]
    return sorted(months + quarters, key=lambda p: (p.first, "Q" not in p.code), reverse=True)


CLOSED, OVERDUE, BEHIND, REACHED = "closed", "overdue", "behind", "reached"
STATE_LABELS = {CLOSED: "已销号", OVERDUE: "逾期未完成", BEHIND: "未达序时进度", REACHED: "达到序时进度"}


def item_state(*, closed, overdue, missed_periods, light):
    """An item at the end of a 通报's period: 已销号 when closed by then; 逾期未完成 when a node due by then is not done
    (滞后 or 严重滞后); 未达序时进度 when a report period was missed or its light is not green (a linked indicator's
    序时 judgement included: work.rules.follow_indicators); else 达到序时进度."""
    if closed:
        return CLOSED
    if overdue:
        return OVERDUE
    if missed_periods or light != "green":
        return BEHIND
    return REACHED


def unit_counts(states):
    """{"items", "reached", "behind", "overdue", "closed", "not_reached"} of one unit's item states; not_reached is
    behind + overdue."""
    counts = {"items": len(states), **{s: sum(1 for x in states if x == s) for s in (REACHED, BEHIND, OVERDUE, CLOSED)}}
    counts["not_reached"] = counts[BEHIND] + counts[OVERDUE]
    return counts
