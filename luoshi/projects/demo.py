"""济阳区's project pool for the demo's year: about 60 projects (产业, 基础设施, 社会民生, 城市更新) in a realistic state
as of the demo's day — most on pace, some behind, a few 新建 late to start, a few started but not yet 入库 — with their
monthly 调度 up to last month and part of this month's. Illustrative: names, amounts and progress are made up.

Idempotent: a project is saved again unchanged and only the months without a current report are added."""

import random
from datetime import date
from decimal import Decimal

from luoshi.projects import rules, services
from luoshi.projects.pipeline import demo as pipeline_demo
from luoshi.projects.models import MonthlyReport

# category, how many, [(name template, the units that answer for it)]
CATEGORIES = [
    ("产业项目", 30, [("年产{n}万吨高性能复合材料项目", ["370115D09", "370115D25"]),
                   ("{n}万套新能源汽车零部件项目", ["370115D09", "370115D03"]),
                   ("智能装备制造产业园（{n}期）", ["370115D09", "370115D25"]),
                   ("高端食品精深加工项目（{n}期）", ["370115D08", "370115D03"]),
                   ("年产{n}万台智能家电项目", ["370115D09", "370115D03"]),
                   ("生物医药中间体项目（{n}期）", ["370115D10", "370115D25"]),
                   ("{n}万吨绿色建材项目", ["370115D09"]),
                   ("电子信息产业园（{n}期）", ["370115D10", "370115D25"])]),
    ("基础设施项目", 14, [("{n}号路道路工程", ["370115D16"]), ("黄河大桥连接线（{n}标段）", ["370115D16"]),
                     ("城区供热管网改造（{n}期）", ["370115D07"]), ("农村供水管网提升（{n}片区）", ["370115D17"])]),
    ("社会民生项目", 10, [("第{n}实验学校建设项目", ["370115D05"]), ("区人民医院{n}号病房楼", ["370115D06"]),
                     ("{n}号社区养老服务中心", ["370115D11"]), ("全民健身中心（{n}期）", ["370115D05", "370115D18"])]),
    ("城市更新项目", 6, [("老旧小区改造（{n}片区）", ["370115D07"]), ("济北片区城市更新（{n}期）", ["370115002"])]),
]
# Projects of the demo's unit accounts: 商务局 (shangwu) and 济阳街道 (jiedao) each report a few.
OWN = {"370115D03": 5, "370115001": 4}
LEADERS = ["王晓明", "张建国", "刘海燕", "陈立新", "赵志刚"]
TOWNS = ["370115001", "370115002", "370115003", "370115004", "370115005", "370115006", "370115101", "370115102",
         "370115103", "370115104"]
PROGRESS = {"产业项目": ["主体钢结构吊装", "厂房封顶，设备进场", "桩基施工完成", "设备安装调试", "试生产准备"],
            "基础设施项目": ["路基施工", "管网铺设", "桥梁下部结构施工", "路面摊铺", "完成征迁"],
            "社会民生项目": ["主体施工至三层", "内外装修", "基础施工", "主体封顶", "配套工程施工"],
            "城市更新项目": ["外墙保温施工", "管网改造", "居民意见征集完成", "绿化提升"]}
PROBLEMS = ["用地指标待落实", "环评批复待办理", "资金到位滞后", "征迁未完成", "施工用电待接入"]


def _money(value):
    return rules.money(Decimal(value))


def _plan(as_of):
    """The pool's projects, deterministic for the demo's year."""
    rnd = random.Random(24)
    year = as_of.year
    units = []
    for code, count in OWN.items():
        units += [code] * count
    entries, serial = [], 0
    for category, count, names in CATEGORIES:
        for i in range(count):
            serial += 1
            (template, unit_codes), k = names[i % len(names)], i // len(names)
            name = template.format(n=[10, 20, 30, 50, 60, 80, 100][k % 7] if "万" in template else k + 1)
            unit = units.pop() if units and category in ("产业项目", "城市更新项目") and i % 3 == 0 else rnd.choice(unit_codes)
            new = rnd.random() < 0.6
            total = _money(rnd.choice([5000, 8000, 12000, 20000, 30000, 50000, 80000, 120000, 200000]))
            plan = _money(total * Decimal(rnd.choice([20, 30, 40, 50, 60])) / 100)
            planned_start = date(year, rnd.randint(1, 4) if rnd.random() < 0.8 else rnd.randint(5, 11), 1) if new else None
            # How the project goes: most on pace, a quarter behind, a few far behind or late to start.
            pace = rnd.choice([1.1, 1.05, 1.0, 1.0, 0.95, 0.9, 0.8, 0.5])
            delay = 0 if not new else rnd.choice([0, 0, 0, 0, 1, 2, 3, 5])
            entries.append({"name": name, "category": category, "unit": unit, "new": new, "total": total, "plan": plan,
                            "planned_start": planned_start, "pace": pace, "delay": delay,
                            "counted_lag": rnd.choice([1, 1, 1, 0, 2, 3]), "town": rnd.choice(TOWNS),
                            "leader": rnd.choice(LEADERS), "serial": serial, "seed": rnd.random()})
    return entries


def _months_reported(as_of):
    """The months with their 调度 in: up to last month, and this month once past the 20th."""
    last = as_of.month if as_of.day >= 20 else as_of.month - 1
    return list(range(1, last + 1))


def build(ctx):
    with services.dated(ctx["as_of"]):
        return _build(ctx)


def _build(ctx):
    as_of = ctx["as_of"]
    district, units = ctx["district"], ctx["units"]
    regions = ctx.get("regions", {})
    year = as_of.year
    months = _months_reported(as_of)
    for entry in _plan(as_of):
        rnd = random.Random(entry["seed"])
        started_on = None
        if entry["new"]:
            start_month = entry["planned_start"].month + entry["delay"]
            start_day = date(year, start_month, rnd.randint(5, 25)) if start_month <= 12 else None
            if start_day is not None and start_day <= as_of:
                started_on = start_day
        else:
            started_on = date(year - rnd.randint(1, 2), rnd.randint(3, 10), 15)
        statistics_on = None
        if started_on is not None:
            lag = entry["counted_lag"]
            month = started_on.month + lag
            counted = date(started_on.year + (month - 1) // 12, (month - 1) % 12 + 1, 10)
            if counted <= as_of:
                statistics_on = counted
        own = _money(entry["total"] * Decimal("0.6"))
        loan = entry["total"] - own
        funding = {"自有资金": own, "银行贷款": loan} if entry["category"] == "产业项目" else \
            {"上级资金": _money(entry["total"] * Decimal("0.3")), "专项债券": entry["total"] - _money(entry["total"] * Decimal("0.3"))}
        project, _ = services.save_project(
            None, region=district, name=entry["name"], category=entry["category"],
            kind=rules.NEW if entry["new"] else rules.CONTINUING, unit=units[entry["unit"]],
            town=regions.get(entry["town"]), total_investment=entry["total"],
            done_before=Decimal("0.00") if entry["new"] else _money(entry["total"] * Decimal("0.3")),
            year_plans={year: entry["plan"]}, funding=funding, planned_start=entry["planned_start"],
            started_on=started_on, statistics_on=statistics_on, leader_name=entry["leader"],
            leader=services.resolve_leader(entry["leader"], district), owner=f"济南{entry['name'][:4]}投资有限公司",
            start_year=(started_on or entry["planned_start"]).year, end_year=year + (1 if entry["total"] > 20000 else 0),
            content=f"总建筑面积约{int(entry['total'] / 4)}平方米，{entry['category'][:-2]}类建设内容。",
            order=entry["serial"])
        done = set(MonthlyReport.objects.filter(project=project, is_current=True, period__year=year)
                   .values_list("period__month", flat=True))
        for month in months:
            if month in done:
                continue
            if started_on is not None and (started_on.year, started_on.month) > (year, month):
                continue
            if started_on is None:
                continue  # not started: nothing to report (the office sees it as not reported and as late to start)
            if month == as_of.month and rnd.random() < 0.4:
                continue  # this month's 调度 is still coming in
            # A project started this year spreads its year's plan over the months from its start (how units plan).
            spread = 12 - started_on.month + 1 if started_on.year == year else 12
            amount = _money(entry["plan"] / spread * Decimal(str(entry["pace"])) * Decimal(str(0.7 + rnd.random() * 0.6)))
            services.submit_report(None, project, period=date(year, month, 1), amount=amount,
                                   progress=rnd.choice(PROGRESS[entry["category"]]),
                                   problems=rnd.choice(PROBLEMS) if entry["pace"] < 0.7 else "")
    ctx["projects_year"] = year
    pipeline_demo.build(ctx)  # 双招双引: the 招商 ledger (its started leads are this pool's projects, linked)
    return ctx
