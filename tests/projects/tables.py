"""调度表 files as 发改局 send them: a title and a note row, a two-row header with merged cells, section rows, a
合计 row, units written short or long."""

import io

HEAD = ["序号", "项目名称", "项目性质", "责任单位", "建设内容及规模", "总投资", "本年计划投资", "DONE", "DONE",
        "开工以来累计完成投资", "形象进度", "存在问题", "包保领导"]
SUB = [None] * 7 + ["金额", "占年计划（%）"] + [None] * 4


def project(name, kind="新建", unit="区商务局", total=1000, plan=500, done=100, percent=None, since=None, progress="",
            problems="", leader="", content=""):
    percent = round(done * 100 / plan, 1) if percent is None and plan else percent
    return ["", name, kind, unit, content, total, plan, done, percent, since if since is not None else done, progress,
            problems, leader]


def workbook(sections, year=2020, month=3, total=True, title="济阳区2020年重点项目建设调度表", fix_total=None,
             funding=None):
    """sections: [(section title or None, [rows from project()])]; fix_total: {column index: value} for the 合计."""
    from openpyxl import Workbook

    head = [f"{year}年1-{month}月完成投资" if h == "DONE" else h for h in HEAD]
    sub = list(SUB)
    if funding is not None:  # 资金构成 columns after 总投资
        head = head[:6] + ["资金构成", "资金构成"] + head[6:]
        sub = sub[:6] + ["自有资金", "银行贷款"] + sub[6:]
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
    sheet.append(["填报单位：区发展和改革局", None, None, None, None, "单位：万元"])
    sheet.append(head)
    sheet.append(sub)
    for column, (h, s) in enumerate(zip(head, sub), start=1):
        if s is None:
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    group = [i + 1 for i, h in enumerate(head) if h.endswith("完成投资") and h.startswith(str(year))]
    sheet.merge_cells(start_row=3, start_column=group[0], end_row=3, end_column=group[-1])
    serial = 0
    all_rows = []
    for section, rows in sections:
        if section:
            sheet.append([f"{section}（{len(rows)}个）"])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(head))
        for row in rows:
            serial += 1
            row = [serial] + row[1:]
            if funding is not None:
                parts = funding.get(row[1], (None, None))
                row = row[:6] + list(parts) + row[6:]
            sheet.append(row)
            all_rows.append(row)
    if total:
        amounts = [i for i, h in enumerate(head) if h in ("总投资", "本年计划投资", "开工以来累计完成投资", "资金构成")
                   or (h.endswith("完成投资") and sub[i] == "金额")]
        totals = ["合计"] + [None] * (len(head) - 1)
        for i in amounts:
            totals[i] = sum((r[i] or 0) for r in all_rows)
        pct = next(i for i, s in enumerate(sub) if s == "占年计划（%）")
        plan_i = head.index("本年计划投资")
        done_i = next(i for i, s in enumerate(sub) if s == "金额")
        totals[pct] = round(totals[done_i] * 100 / totals[plan_i], 1) if totals[plan_i] else 0
        for index, value in (fix_total or {}).items():
            totals[index] = value
        sheet.append(totals)
    sheet.append(["注：本表由各责任单位填报，发改局汇总。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
