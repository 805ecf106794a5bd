"""`luoshi briefings pack`: write the pack of a region and period (or of a meeting) as .docx. Exit 1 with the reason
for an unknown region, a bad period or a period with no figures for the region."""

import sys
from pathlib import Path

from luoshi.core.periods import PeriodError, parse_period, period_label


def _arguments(parser):
    parser.add_argument("--region", help="地区代码，如 370115")
    parser.add_argument("--period", help="期间，YYYY-MM（累计至该月）")
    parser.add_argument("--meeting", type=int, help="会议编号（给出时按该会议的地区和期间生成，含各单位材料）")
    parser.add_argument("--out", required=True, help="输出文件，如 材料.docx")


def _fail(command, message):
    command.stderr.write(message)
    sys.exit(1)


def _pack(command, region=None, period=None, meeting=None, out=None, **options):
    from luoshi.briefings.models import Meeting
    from luoshi.briefings.pack.assemble import build
    from luoshi.briefings.pack.word import render
    from luoshi.indicators.queries import has_figures
    from luoshi.orgs.models import Region

    found_meeting = None
    if meeting is not None:
        found_meeting = Meeting.objects.select_related("region", "region__parent").filter(pk=meeting).first()
        if found_meeting is None:
            _fail(command, f"会议 {meeting} 不存在")
        region, period = found_meeting.region.code, found_meeting.period
    if not region or not period:
        _fail(command, "请给出 --region 和 --period（或 --meeting）")
    found = Region.objects.select_related("parent").filter(code=region).first()
    if found is None:
        _fail(command, f"地区 {region} 不存在")
    try:
        month = parse_period(period)
    except PeriodError as error:
        _fail(command, str(error))
    if not has_figures(found, month):
        _fail(command, f"{found.name}{period_label(month)}没有指标数据，未生成会议材料")
    target = Path(out)
    if target.suffix.lower() != ".docx":
        _fail(command, "输出文件应以 .docx 结尾")
    built = build(found, month, meeting=found_meeting)
    try:
        target.write_bytes(render(built))
    except OSError as error:
        _fail(command, f"无法写入 {out}：{error.strerror}")
    command.stdout.write(f"已生成 {built.title}：{target}")


SUBCOMMAND = ("生成会议材料（.docx）", _arguments, _pack)
