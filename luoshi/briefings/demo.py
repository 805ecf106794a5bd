"""Demo: 济阳区's 2020年一季度经济形势分析会 — opened by 发改局, sections from most responsible units, each written by
the unit's own account (市场监管局 has not written its own, so the page shows who is missing; 发改局's is written by
its head 赵磊, who is the analysis office too), closed and published, three follow-up items in key work.
Built around a day after 2020 (`ctx["as_of"]`), also the meeting on the last quarter whose material collection has
begun by then (e.g. 2026年前三季度经济形势分析会 for a demo built on 1 December 2026): sections written from that
quarter's figures and lights; once held, closed and published with two follow-up items; before that, still
collecting, with the sections written so far.
Idempotent: a second run finds the meeting, the same texts and the items and changes nothing."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from luoshi.briefings import services
from luoshi.briefings.models import FollowUp, Meeting, MeetingState
from luoshi.indicators import queries as indicator_queries
from luoshi.indicators.models import Indicator
from luoshi.orgs.models import Region, Unit

TITLE = "2020年一季度经济形势分析会"
JIYANG = "370115"
TZ = ZoneInfo("Asia/Shanghai")

# indicator → (unit, 完成情况, 原因, 措施); wording after the district's own analysis meeting of April 2020.
SECTIONS = {
    "gdp": ("370115D02", "一季度全区地区生产总值受疫情冲击同比下降，降幅小于全市平均水平。",
            "新冠肺炎疫情打乱了正常生产生活秩序，一季度住宿餐饮、交通运输和批发零售业下滑明显；工业企业2月份复工偏晚。",
            "加大监测力度，抓实统计工作，按月调度重点企业和重点项目，确保主要指标符合时间节点计划。"),
    "industry_va": ("370115D09", "规模以上工业增加值降幅逐月收窄，3月份规上企业复工率达到98%。",
                    "受疫情影响，部分企业原材料供应和产品销售受阻，用工不足，产能恢复较慢。",
                    "一企一策帮助企业解决原材料、用工和物流问题，推动停产半停产企业尽快满负荷生产。"),
    "fai": ("370115D01", "固定资产投资降幅较1-2月份收窄，重点项目已全部复工。",
            "疫情期间新开工项目推迟，项目审批、土地供应等前期手续办理放缓。",
            "紧盯半年目标不动摇，建立重点项目配档表、横道图，一个节点一个节点地抓推进，确保二季度新开工项目按期开工。"),
    "retail": ("370115D03", "社会消费品零售总额同比下降，线上销售逆势增长。",
               "疫情期间商场、餐饮等线下消费场所停业时间较长，居民消费意愿不足。",
               "组织开展促消费活动，发放消费券，推动商贸企业线上线下融合发展。"),
    "fdi": ("370115D03", "1-3月份全区实际利用外资2000万美元，实现一季度开门红，增幅居全市前列。",
            "外经外贸工作实现逆势上扬，两个新设外资项目资金按期到账。",
            "加大招商引资、内引外联力度，通过电话、邮件、微信群加强与客商联络，做到双招双引不停步，推动在谈项目尽快签约落地。"),
    "trade": ("370115D03", "进出口总额同比下降，出口降幅小于进口。",
              "海外疫情蔓延，部分外贸订单取消或延期，国际物流运力紧张。",
              "落实出口退税、出口信用保险等政策，帮助外贸企业稳订单、拓市场。"),
    "budget_revenue": ("370115D04", "一般公共预算收入同比下降，完成进度低于序时进度。",
                       "落实减税降费政策和疫情期间阶段性减免，企业停产导致税源减少。",
                       "加强收入征管和税源监控，强化对上争取，确保全年收入目标完成。"),
    "tax_revenue": ("370115D28", "税收收入同比下降，降幅较1-2月份有所收窄。",
                    "受疫情影响，增值税、企业所得税等主体税种减收。",
                    "强化重点税源企业服务，做好税收分析预测，做到应收尽收。"),
    "income": ("370115D02", "一季度城乡居民人均可支配收入保持增长，农村居民收入增速快于城镇居民。",
               "工资性收入受复工推迟影响增速放缓，转移性收入增长较快。",
               "抓好稳就业、保民生各项政策落实，拓宽农民增收渠道。"),
}
FOLLOW_UPS = [
    ("确保二季度目标任务“双过半”，各责任单位按月分解指标、按周调度", "370115D01", "2020-06-30"),
    ("加快在谈外资项目签约落地，二季度实际利用外资保持全市前列", "370115D03", "2020-06-30"),
    ("落实减税降费和收入征管，一般公共预算收入追上序时进度", "370115D04", "2020-05-31"),
]


def build(ctx):
    region = Region.objects.filter(code=JIYANG).first()
    if region is None:
        return ctx
    as_of = ctx.get("as_of") or DEMO_DAY
    if as_of.year == 2020:
        _meeting_2020(ctx, region)
    else:  # a demo built around a later day holds that year's meeting only, no 2020 leftovers
        ctx["latest_meeting"] = _quarter_meeting(ctx, region, as_of)
    return ctx


DEMO_DAY = date(2020, 5, 12)


def _meeting_2020(ctx, region):
    opener = ctx.get("users", {}).get("fagai")
    meeting = Meeting.objects.filter(title=TITLE).first()
    if meeting is None:
        meeting = services.open_meeting(opener, title=TITLE, held_on="2020-04-17", region=region, period="2020-03",
                                        sections_due="2020-04-14")
        Meeting.objects.filter(pk=meeting.pk).update(created_at=datetime(2020, 4, 8, 9, tzinfo=TZ))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=SECTIONS)}
    units = {u.code: u for u in Unit.objects.filter(code__in={v[0] for v in SECTIONS.values()})}
    writers = ctx.get("unit_users", {})  # each unit's own account (orgs/demo.py); 发改局's is its head, 赵磊
    if meeting.state != MeetingState.CLOSED:
        for n, (code, (unit_code, completion, reasons, measures)) in enumerate(SECTIONS.items()):
            if code in indicators and unit_code in units:
                services.submit_section(writers.get(unit_code), meeting, indicators[code], units[unit_code],
                                        completion_text=completion, reasons_text=reasons, measures_text=measures,
                                        now=datetime(2020, 4, 10 + n % 4, 9 + n, tzinfo=TZ))
        services.set_state(opener, meeting, MeetingState.CLOSED)
        services.publish(opener, meeting)
    if not FollowUp.objects.filter(meeting=meeting).exists():
        for title, unit_code, deadline in FOLLOW_UPS:
            lead = Unit.objects.select_related("region").filter(code=unit_code).first()
            if lead is not None:
                services.add_follow_up(opener, meeting, title=title, lead_unit=lead, deadline=deadline)
    ctx["meeting"] = meeting


QUARTER_NAMES = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
# The meeting's calendar after the quarter, as in April 2020: opened on the 8th of the next month, sections
# written on the 10th to 13th, due on the 14th, held on the 17th.
OPENS, DUE, HELD = 8, 14, 17


def _after_quarter(period, day):
    return date(period.year + 1, 1, day) if period.month == 12 else date(period.year, period.month + 1, day)


def _quarter_meeting(ctx, region, as_of):
    """The meeting on the latest quarter whose collection opened before `as_of` (not 2020's first, built above)."""
    period = date(as_of.year, (as_of.month - 1) // 3 * 3 or 12, 1)
    if period.month == 12 and as_of.month <= 3:
        period = period.replace(year=as_of.year - 1)
    while _after_quarter(period, OPENS) >= as_of:
        period = date(period.year - 1, 12, 1) if period.month == 3 else period.replace(month=period.month - 3)
    if period <= date(2020, 3, 1):
        return None
    title = f"{period.year}年{QUARTER_NAMES[period.month]}经济形势分析会"
    opener = ctx.get("users", {}).get("fagai")
    held_on = _after_quarter(period, HELD)
    meeting = Meeting.objects.filter(title=title).first()
    if meeting is None:
        meeting = services.open_meeting(opener, title=title, held_on=held_on, region=region,
                                        period=f"{period.year}-{period.month:02d}", sections_due=_after_quarter(period, DUE))
        opened = _after_quarter(period, OPENS)
        Meeting.objects.filter(pk=meeting.pk).update(created_at=datetime(opened.year, opened.month, opened.day, 9, tzinfo=TZ))
    if meeting.state == MeetingState.CLOSED:
        return meeting
    rows = {r["indicator"]: r for r in indicator_queries.table(region, period)}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=SECTIONS)}
    units = {u.code: u for u in Unit.objects.filter(code__in={v[0] for v in SECTIONS.values()})}
    writers = ctx.get("unit_users", {})  # each unit's own account (orgs/demo.py); 发改局's is its head, 赵磊
    for n, (code, (unit_code, *_)) in enumerate(SECTIONS.items()):
        written = _after_quarter(period, 10 + n % 4)
        if code in indicators and unit_code in units and code in rows and written < as_of:
            completion, reasons, measures = _section_texts(rows[code], period)
            services.submit_section(writers.get(unit_code), meeting, indicators[code], units[unit_code],
                                    completion_text=completion, reasons_text=reasons, measures_text=measures,
                                    now=datetime(written.year, written.month, written.day, 9 + n, tzinfo=TZ))
    if held_on >= as_of:
        return meeting  # not held yet: still collecting
    services.set_state(opener, meeting, MeetingState.CLOSED)
    services.publish(opener, meeting)
    if not FollowUp.objects.filter(meeting=meeting).exists():
        quarter_end = date(held_on.year, (held_on.month - 1) // 3 * 3 + 3, 1)
        deadline = (quarter_end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        judged = [r for code, r in rows.items() if code in SECTIONS and r["light"] and code in indicators]
        worst = min(judged, key=lambda r: (r["light"] != "red", r["gap"] if r["gap"] is not None else 0), default=None)
        items = [("各责任单位按月分解剩余目标、按周调度，确保全年目标任务完成", "370115D01")]
        if worst is not None:
            items.append((f"{worst['name']}列为短板指标，责任单位制定赶超方案，下季度追上序时进度", SECTIONS[worst["indicator"]][0]))
        for title_, unit_code in items:
            lead = Unit.objects.select_related("region").filter(code=unit_code).first()
            if lead is not None:
                services.add_follow_up(opener, meeting, title=title_, lead_unit=lead, deadline=deadline)
    return meeting


REASONS = {"green": "重点企业和重点项目支撑有力，{name}运行好于预期。",
           "yellow": "部分重点企业（项目）进度慢于预期，{name}增长后劲不足，与目标进度仍有差距。",
           "red": "受市场需求不足、重点企业（项目）减量影响，{name}明显落后于年度目标进度。"}
MEASURES = {"green": "保持调度频次，巩固向好势头，力争全年超额完成目标任务。",
            "yellow": "按月分解剩余目标，逐企业、逐项目调度，确保尽快追上序时进度。",
            "red": "列入短板指标清单，分管领导牵头专题调度，制定赶超措施，按周跟踪落实。"}


def _number(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _section_texts(row, period):
    """完成情况 from the quarter's figure, rank and light; 原因 and 措施 by the light."""
    name, light = row["name"], row["light"] or "yellow"
    text = f"1-{period.month}月份全区{name}"
    if row["value"] is not None:
        text += f"完成{_number(row['value'])}{row['unit']}，"
    if row["growth"] is not None:
        text += f"同比{'增长' if row['growth'] >= 0 else '下降'}{_number(abs(row['growth']))}%"
    if row["rank"]:
        text += f"，居全市第{row['rank']}位"
    if row["completion"] is not None and row["gap"] is not None:
        text += (f"；完成年度目标的{_number(row['completion'])}%，{'超' if row['gap'] >= 0 else '低于'}序时进度"
                 f"{_number(abs(row['gap']))}个百分点")
    elif row["growth"] is not None and row["target_growth"] is not None:
        diff = row["growth"] - row["target_growth"]
        text += f"，{'高于' if diff >= 0 else '低于'}年度目标{_number(abs(diff))}个百分点"
    return text + "。", REASONS[light].format(name=name), MEASURES[light]
