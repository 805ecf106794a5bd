"""The meeting pack's wording rules as pure functions (no ORM): the one-paragraph summary, an indicator's figures in one
sentence, the overview drafted from the data (运行特点、存在问题、下步建议), the full-year outlook and the cover's
issuing office. Every number and date goes through luoshi.core.wording. Tested by hand in
tests/briefings/test_pack_rules.py and test_overview.py; stated in docs/rules.md (会议材料).

A row is one of indicators.queries.table's rows (the keys of `luoshi indicators table --json`), as the pack extends
it (assemble._extend); a section entry is {"row", "weakness", "sections": [{"unit", "reasons", "measures", …}]}.
"""

from collections import Counter

from luoshi.core import wording
from luoshi.core.periods import period_label
from luoshi.indicators.rules import STRENGTH, WEAKNESS

LIGHT_TEXT = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", None: "—"}
ORDINALS = "一二三四五六七八九十"
DEFAULT_ISSUER_SUFFIX = "发展和改革局"
CLASSIFICATION = "内部资料"


def ordinal(n):
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (n from 1 to 99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return ORDINALS[ones - 1]
    head = "" if tens == 1 else ORDINALS[tens - 1]
    return head + "十" + (ORDINALS[ones - 1] if ones else "")


def _join(names):
    return "、".join(names)


def _flat(text):
    """A unit's text on one line (its lines joined, with "；" where a line ends without punctuation), its closing
    punctuation dropped so that "（区商务局）。" can follow."""
    lines = [" ".join(line.split()) for line in str(text or "").splitlines()]
    joined = ""
    for line in filter(None, lines):
        if joined and joined[-1] not in "。；;，,：:！？!?":
            joined += "；"
        joined += line
    return joined.rstrip("。；;，,. ")


# --- the cover -----------------------------------------------------------------------------------

def default_issuer(region_name, office_name=""):
    """The issuing office as the cover names it: the region's analysis office with the region's name in front
    (区发展和改革局 of 济阳区 → 济阳区发展和改革局); <region>发展和改革局 when the office is not known."""
    office = (office_name or "").strip()
    if not office:
        return f"{region_name}{DEFAULT_ISSUER_SUFFIX}"
    if office.startswith(region_name):
        return office
    if office[0] in "区县市" and region_name.endswith(office[0]):
        return region_name + office[1:]
    return region_name + office


# --- an indicator's figures ----------------------------------------------------------------------

def is_value_target(row):
    return row.get("completion") is not None


def _growth_with_average(row):
    text = wording.growth(row["growth"])
    if row.get("peer_avg_growth") is not None:
        text += f"（全市平均{wording.growth(row['peer_avg_growth'])}）"
    return text


def _rank_text(row):
    text = f"居全市{wording.rank(row['rank'])}"
    change = row.get("rank_change")
    if change:
        text += f"，较上期{wording.rank_change(change)}"
    return text


def _progress_text(row):
    """完成年度目标的65.35%，低于序时进度9.65个百分点 (a value target), 低于目标增速1.7个百分点 (a growth target), or ""."""
    if is_value_target(row):
        text = f"完成年度目标的{wording.fixed(row['completion'], 2)}%"
        return text + (f"，{wording.gap(row['gap'])}" if row.get("gap") is not None else "")
    if row.get("gap") is not None and row.get("target_growth") is not None:
        return wording.gap(row["gap"], against="目标增速")
    return ""


def figures_sentence(row, light=True):
    """One indicator's figures in words, only those there are: "1-9月累计910.77亿元，下降5.5%（全市平均增长6.1%），
    居全市第12位，完成年度目标的65.35%，低于序时进度9.65个百分点，黄灯。"; "暂无数据。" when there are none."""
    parts = []
    if row.get("value") is not None:
        parts.append(f"累计{wording.amount(row['value'], row['unit'])}")
    if row.get("growth") is not None:
        parts.append(_growth_with_average(row))
    if row.get("rank") is not None:
        parts.append(_rank_text(row))
    progress = _progress_text(row)
    if progress:
        parts.append(progress)
    if not parts:
        return f"{wording.MISSING}。"
    if light and row.get("light"):
        parts.append(LIGHT_TEXT[row["light"]])
    return (row.get("period_note") or "") + "，".join(parts) + "。"


def _brief(row, average=True):
    """An indicator in a list of the overview: its growth (and the peers' average) and rank, and how it stands
    against its target."""
    parts = []
    if row.get("growth") is not None:
        parts.append(_growth_with_average(row) if average else wording.growth(row["growth"]))
    if row.get("rank") is not None:
        parts.append(f"居全市{wording.rank(row['rank'])}")
    progress = _progress_text(row)
    if progress:
        parts.append(progress)
    return row["name"] + ("，".join(parts) if parts else wording.MISSING)


# --- the summary and the overview ---------------------------------------------------------------

def lights_sentence(region_name, period, rows):
    label = period_label(period)
    lights = {key: [r for r in rows if r["light"] == key] for key in ("green", "yellow", "red")}
    unlit = len(rows) - sum(len(v) for v in lights.values())
    text = (f"{label}，{region_name}纳入监测的{len(rows)}项指标中，绿灯{len(lights['green'])}项、"
            f"黄灯{len(lights['yellow'])}项、红灯{len(lights['red'])}项")
    return text + (f"、未亮灯{unlit}项。" if unlit else "。")


def course_sentence(period, rows):
    """Before June the course for 双过半; in June its verdict; "" from July on."""
    if period.month < 6:
        course = _yes_no(rows, "outlook", "进度达到要求", "尚未达到序时进度或目标增速，需加压推进")
        return "对照“双过半”目标，" + course if course else ""
    if period.month == 6:
        return _yes_no(rows, "half_half", "实现“双过半”", "未实现“双过半”")
    return ""


def summary(region_name, period, rows):
    """The one-paragraph summary (the API's "summary"): lights, the top three, the weaknesses, 双过半."""
    text = lights_sentence(region_name, period, rows)
    top = [r for r in rows if r["rank"] is not None and r["rank"] <= 3]
    if top:
        text += "位居全市前三的有" + _join(f"{r['name']}（{wording.rank(r['rank'])}）" for r in top) + "。"
    else:
        text += "没有指标位居全市前三。"
    weak = [r["name"] for r in rows if r["band"] == WEAKNESS]
    text += ("短板指标为" + _join(weak) + "。") if weak else "没有短板指标。"
    return text + course_sentence(period, rows)


def _yes_no(rows, key, yes, no):
    """"甲、乙2项<yes>；丙1项<no>。" for the rows whose `key` is True and False; "" when none is either."""
    parts = []
    for value, says in ((True, yes), (False, no)):
        names = [r["name"] for r in rows if r.get(key) is value]
        if names:
            parts.append(_join(names) + f"{len(names)}项{says}")
    return "；".join(parts) + "。" if parts else ""


def ahead(row):
    """Ahead of 序时进度 (a value target: completion above time progress) or at its target growth (a growth target)."""
    if row.get("gap") is None:
        return False
    return row["gap"] > 0 if is_value_target(row) else row["gap"] >= 0


def behind(row):
    return row.get("gap") is not None and row["gap"] < 0


def _listed(title, rows, none, average=True):
    if not rows:
        return none
    return f"{title}{len(rows)}项：" + "；".join(_brief(r, average) for r in rows) + "。"


def draft_overview(region_name, period, rows, sections=None, work=None, follow_ups=None):
    """The overview as drafted from the data: {"features", "problems", "suggestions"}, each a list of paragraphs.

    运行特点: the lights and the course for 双过半; the 长项 (top third of the peers, with the peers' average); the
    other indicators ahead of 序时进度 or at their target growth.
    存在问题: the 短板 (bottom third, or red), with each one's 原因分析 quoted from its units' sections (a meeting's
    pack; "<responsible unit>未报送原因分析" when there is none); the others behind 序时; key work's red tasks and
    seriously overdue milestones.
    下步建议: the units' 下步措施 for the 短板 and for the indicators behind 序时, then the previous meeting's items not
    yet done, as 一是…二是…; one general line when there is none of either.
    """
    sections = sections or []
    texts = {e["row"]["indicator"]: e["sections"] for e in sections}
    owners = {e["row"]["indicator"]: e.get("owner") for e in sections}
    features = [lights_sentence(region_name, period, rows) + course_sentence(period, rows)]
    strong = [r for r in rows if r["band"] == STRENGTH]
    features.append(_listed("长项指标", strong, "本期没有进入全市前三分之一的长项指标。"))
    ahead_rows = [r for r in rows if ahead(r) and r["band"] != STRENGTH]
    if strong:
        if ahead_rows:
            features.append(_listed("此外，快于序时进度或达到目标增速的指标还有", ahead_rows, "", average=False))
    else:
        features.append(_listed("快于序时进度或达到目标增速的指标", ahead_rows,
                                "本期没有快于序时进度或达到目标增速的指标。", average=False))

    weak = [r for r in rows if r["band"] == WEAKNESS]
    problems = [_listed("短板指标", weak, "本期没有短板指标。")]
    others_behind = [r for r in rows if behind(r) and r["band"] != WEAKNESS]
    if others_behind:
        problems.append(f"此外，{_join(r['name'] for r in others_behind)}{len(others_behind)}项指标低于序时进度或目标增速。")
    if sections:
        for r in weak:
            found = [s for s in texts.get(r["indicator"], []) if _flat(s.get("reasons"))]
            if found:
                problems.append(f"{r['name']}：" + "；".join(f"{_flat(s['reasons'])}（{s['unit']}）" for s in found) + "。")
            else:
                units = _join(s["unit"] for s in texts.get(r["indicator"], [])) or owners.get(r["indicator"]) or "责任单位"
                problems.append(f"{r['name']}：{units}未报送原因分析。")
    if work:
        red = sum(c["red"] for c in work.get("campaigns", []))
        overdue = work.get("overdue", [])
        if red or overdue:
            units = list(dict.fromkeys(o["lead_unit"] for o in overdue))
            text = f"重点工作中红灯任务{red}项、严重滞后节点{len(overdue)}个"
            if len(units) > 5:
                text += f"，涉及{_join(units[:5])}等{len(units)}个单位。"
            else:
                text += f"，涉及{_join(units)}。" if units else "。"
            problems.append(text)

    measures = []
    for r in weak + others_behind:
        for s in texts.get(r["indicator"], []):
            if _flat(s.get("measures")):
                measures.append(f"{r['name']}方面，{_flat(s['measures'])}（{s['unit']}）。")
    for item in (follow_ups or {}).get("items", []):
        if item["standing"] != "已完成":
            measures.append(f"抓好上次会议确定事项落实：{_flat(item['title'])}（{item['lead_unit']}，"
                            f"{item['standing']}）。")
    if not measures:
        measures = ["继续加强经济运行监测调度，紧盯年度目标，确保完成全年各项目标任务。"]
    suggestions = [f"{ordinal(n)}是{text}" for n, text in enumerate(measures, start=1)]
    return {"features": features, "problems": problems, "suggestions": suggestions}


# --- the indicator table and the full-year outlook ---------------------------------------------

def peers_note(rows):
    """How many peers the table's ranks are among: "位次为全市12个同级地区按增速排名", naming the indicators ranked
    among fewer (其中地区生产总值为3个地区)."""
    counts = Counter(r["peers"] for r in rows if r.get("rank") is not None and r.get("peers"))
    if not counts:
        return "位次为全市同级地区按增速排名"
    usual = counts.most_common(1)[0][0]
    text = f"位次为全市{usual}个同级地区按增速排名"
    odd = [r for r in rows if r.get("rank") is not None and r.get("peers") and r["peers"] != usual]
    if odd:
        text += "，其中" + "、".join(f"{r['name']}为{r['peers']}个地区" for r in odd)
    return text


def _month_of(row):
    """The month the row's figure is cumulative to (a quarterly indicator's latest quarter)."""
    return int(str(row["period"])[5:7])


def outlook(rows):
    """The full-year outlook, one dict per indicator with a target: the target, done so far, the monthly average so
    far and the monthly average the remaining months need (indicators.rules.required_monthly), and a verdict.

    A value target: 已完成全年目标 (completion ≥ 100); in December the year's completion; 按目前进度可完成全年目标 when
    the required average is at most the average so far; else 后N个月月均须比前M个月提高X%. A growth target only:
    the growth against the target growth."""
    result = []
    for row in rows:
        name = f"{row['name']}（{row['period_note']}）" if row.get("period_note") else row["name"]
        month = _month_of(row)
        unit = row["unit"]
        if is_value_target(row):
            done = row["value"]
            so_far = done / month if done is not None else None
            required = row.get("required_monthly")
            if row["completion"] >= 100:
                verdict = "已完成全年目标"
            elif month >= 12:
                verdict = f"全年完成目标的{wording.fixed(row['completion'], 2)}%"
            elif required is not None and so_far is not None and required <= round(so_far, 2):  # as both are shown
                verdict = "按目前进度可完成全年目标"
            elif so_far and so_far > 0 and required is not None:
                verdict = (f"后{12 - month}个月月均须比前{month}个月提高"
                           f"{wording.fixed((required / so_far - 1) * 100, 1)}%")
            else:
                verdict = "须加快进度"
            result.append({"name": name, "target": wording.amount(row["target_value"], unit, wording.MISSING_CELL),
                           "done": wording.amount(done, unit, wording.MISSING_CELL),
                           "completion": wording.fixed(row["completion"], 2),
                           "so_far": wording.amount(so_far, unit, wording.MISSING_CELL),
                           "required": wording.amount(required, unit, wording.MISSING_CELL) if month < 12
                           else wording.MISSING_CELL,
                           "verdict": verdict, "light": row.get("light")})
        elif row.get("target_growth") is not None:
            if row.get("growth") is None:
                verdict = wording.MISSING
            elif row["growth"] >= row["target_growth"]:
                verdict = f"{wording.gap(row['gap'], against='目标增速')}，保持"
            else:
                verdict = f"{wording.gap(row['gap'], against='目标增速')}，须加快"
            result.append({"name": name, "target": wording.growth(row["target_growth"]),
                           "done": wording.growth(row["growth"], wording.MISSING_CELL), "completion": wording.MISSING_CELL,
                           "so_far": wording.MISSING_CELL, "required": wording.MISSING_CELL, "verdict": verdict,
                           "light": row.get("light")})
    return result
