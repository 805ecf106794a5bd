"""任务分解方案 import benchmark (issue #25): a 250-item 方案 read, reviewed and saved.

    LUOSHI_DATA_DIR=/tmp/bd-bench .venv/bin/python bench/breakdown.py [--runs N] [--items 250] [--profile]

On a fresh database (LUOSHI_DATA_DIR must be empty or new: the script migrates it and builds the demo's
organisation, 济阳区 with its 10 towns and 30 departments, no accounts' work), builds two 方案 .docx in memory:
- the Word table (序号 | 重点工作任务 | 主要责任单位 | 协同配合单位), a section row merged across every 25 items,
  two lead units stacked as paragraphs in every third cell, deadlines in the text (6月底前…, 长期坚持);
- numbered paragraphs (一、 sections, 1. items) each followed by labelled lines 牵头单位：/ 责任单位：/ 配合单位：/
  牵头负责领导：/ 完成时限：.
Each is imported through breakdown.services.import_document (what `luoshi work import-plan` calls; the review page
calls the same reader, queries.review and save_reading): read + review + save in one transaction, a campaign with
250 tasks and their milestones. Each run imports into a new region year (2026, 2027, …) so that every run saves
all 250 items. Also times the dry run (read + review, what the review page shows) and re-importing the same
document (nothing changes). Goal: read + review + save ≤ 3 s.
"""

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-breakdown-"))
os.environ.setdefault("LUOSHI_HTTPS", "0")
GOAL_S = 3.0

SECTIONS = ["着力扩大有效需求", "加快现代化产业体系建设", "持续优化营商环境", "推进乡村全面振兴", "提升城市品质",
            "深化改革开放", "推动绿色低碳发展", "增进民生福祉", "建设更高水平平安济阳", "加强政府自身建设"]
LEADS = ["区发展和改革局", "区财政局", "区商务局", "区统计局", "区工业和信息化局", "区住房和城乡建设局", "区农业农村局",
         "区教育和体育局", "区卫生健康局", "区市场监督管理局", "区行政审批服务局", "区城市管理局"]
SHORT = ["区发改局", "区财政局", "区商务局", "区统计局", "区工信局", "区住建局", "区农业农村局", "区教体局", "区卫健局",
         "区市场监管局", "区审批局", "区城管局"]
COOPERATING = ["各镇（街道）", "区司法局、区审计局", "济阳街道、曲堤镇", "区直各部门", "区人社局", ""]
DEADLINES = ["6月底前", "2026年9月底前", "年底前", "长期坚持", "2026年12月31日前", "三季度末", "10月底前", "持续推进"]


def task_text(i, year):
    deadline = DEADLINES[i % len(DEADLINES)].replace("2026年", f"{year}年")
    return (f"实施第{i + 1}项重点攻坚行动，{deadline}完成年度目标任务，推动相关指标稳中有进，"
            f"确保工作取得实效。", deadline)


def table_docx(count, year):
    import docx

    document = docx.Document()
    document.add_paragraph(f"济阳区{year}年政府工作报告重点任务分解方案")
    document.add_paragraph("为确保政府工作报告确定的各项任务落到实处，现将重点任务分解如下：")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ("序号", "重点工作任务", "主要责任单位", "协同配合单位")):
        cell.text = text
    for i in range(count):
        if i % 25 == 0:
            cells = table.add_row().cells
            cells[0].merge(cells[-1]).text = f"{'一二三四五六七八九十'[i // 25 % 10]}、{SECTIONS[i // 25 % 10]}"
        cells = table.add_row().cells
        cells[0].text = str(i + 1)
        cells[1].text = task_text(i, year)[0]
        cells[2].text = LEADS[i % len(LEADS)]
        if i % 3 == 0:  # two lead units stacked in one cell
            cells[2].add_paragraph(LEADS[(i + 5) % len(LEADS)])
        cells[3].text = COOPERATING[i % len(COOPERATING)]
    document.add_paragraph("各牵头单位要切实担负起牵头责任，认真按照时间表、路线图抓推进。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraphs_docx(count, year):
    import docx

    document = docx.Document()
    document.add_paragraph(f"{year}年政府工作报告重点工作任务分解")
    for i in range(count):
        if i % 25 == 0:
            document.add_paragraph(f"{'一二三四五六七八九十'[i // 25 % 10]}、{SECTIONS[i // 25 % 10]}")
        text, deadline = task_text(i, year)
        document.add_paragraph(f"{i + 1}. {text}")
        document.add_paragraph(f"牵头单位：{SHORT[i % len(SHORT)]}")
        document.add_paragraph(f"责任单位：{LEADS[(i + 3) % len(LEADS)]}")
        if COOPERATING[i % len(COOPERATING)]:
            document.add_paragraph(f"配合单位：{COOPERATING[i % len(COOPERATING)]}")
        document.add_paragraph("牵头负责领导：王晓明区长")
        document.add_paragraph(f"完成时限：{deadline}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--profile", action="store_true", help="cProfile one more import of the numbered paragraphs, top 25 by cumulative")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from luoshi.breakdown import services
    from luoshi.breakdown.models import Item
    from luoshi.orgs import demo as orgs_demo
    from luoshi.orgs.models import Region

    call_command("migrate", "--noinput", verbosity=0)
    if not Region.objects.filter(code=orgs_demo.DISTRICT).exists():
        orgs_demo.build({"as_of": None})
    region = Region.objects.get(code=orgs_demo.DISTRICT)
    shapes = {"Word table": ("方案.docx", table_docx), "numbered paragraphs": ("要点.docx", paragraphs_docx)}
    year = 2026
    figures = {}
    for shape, (name, make) in shapes.items():
        dry, full, again = [], [], []
        for _ in range(args.runs):
            data = make(args.items, year)  # not timed
            started = time.perf_counter()
            result = services.import_document(None, data=data, filename=name, region=region, year=year, dry_run=True)
            dry.append(time.perf_counter() - started)
            assert not result["problems"], result["problems"][:3]
            started = time.perf_counter()
            result = services.import_document(None, data=data, filename=name, region=region, year=year)
            full.append(time.perf_counter() - started)
            assert result["saved"] and result["summary"]["added"] == args.items, result.get("summary")
            assert Item.objects.filter(plan__year=year, plan__region=region).count() == args.items
            started = time.perf_counter()
            result = services.import_document(None, data=data, filename=name, region=region, year=year)
            again.append(time.perf_counter() - started)
            assert not result["saved"] and result["unchanged"]
            year += 1
        figures[shape] = (len(data), dry, full, again)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ok = True
    for shape, (size, dry, full, again) in figures.items():
        print(f"{shape} ({args.items} items, {size / 1024:.0f} KiB), {args.runs} runs:")
        print(f"  read + review (dry run):          median {statistics.median(dry):.2f} s, worst {max(dry):.2f} s")
        print(f"  read + review + save (new year):  median {statistics.median(full):.2f} s, worst {max(full):.2f} s "
              f"(goal ≤ {GOAL_S} s)")
        print(f"  the same document again:          median {statistics.median(again):.2f} s, worst {max(again):.2f} s")
        ok = ok and statistics.median(full) <= GOAL_S
    if args.profile:
        import cProfile
        import pstats

        name, data = "要点.docx", paragraphs_docx(args.items, year)
        profile = cProfile.Profile()
        profile.enable()
        services.import_document(None, data=data, filename=name, region=region, year=year)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    print("OK" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
