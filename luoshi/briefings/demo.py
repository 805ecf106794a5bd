"""Demo: 济阳区's 2020年一季度经济形势分析会 — opened by 发改局, sections from most responsible units (市场监管局 has
not written its own, so the page shows who is missing), closed and published, three follow-up items in key work.
Idempotent: a second run finds the meeting, the same texts and the items and changes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

from luoshi.briefings import services
from luoshi.briefings.models import FollowUp, Meeting, MeetingState
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
    opener = ctx.get("users", {}).get("fagai")
    meeting = Meeting.objects.filter(title=TITLE).first()
    if meeting is None:
        meeting = services.open_meeting(opener, title=TITLE, held_on="2020-04-17", region=region, period="2020-03",
                                        sections_due="2020-04-14")
        Meeting.objects.filter(pk=meeting.pk).update(created_at=datetime(2020, 4, 8, 9, tzinfo=TZ))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=SECTIONS)}
    units = {u.code: u for u in Unit.objects.filter(code__in={v[0] for v in SECTIONS.values()})}
    writers = {"370115D03": ctx.get("users", {}).get("shangwu")}
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
    return ctx
