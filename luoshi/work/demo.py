"""The demo key-work plan of 济阳区: eight campaigns (八大攻坚战), about 60 tasks and 250 milestones in the year of
the demo's day (ctx["as_of"], today unless `luoshi demo --as-of` says otherwise), with progress reports up to a few
days before it that leave some tasks red, some yellow and most green on that day. Built around DEMO_AS_OF
(12 May 2020) it is the original 2020 demo the tests pin: the same plan, whatever the day, only dated in its year.

Illustrative data: 双招双引 and 合村并点 are named in the source report; the other campaign names, the tasks,
dates and leaders are made up. Built with bulk_create (one audit entry for the whole plan) so `luoshi demo`
stays fast; it runs once (skipped when the demo campaigns exist).
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core import workdays
from luoshi.orgs.models import Person
from luoshi.work import rules
from luoshi.work.models import Campaign, Milestone, ProgressReport, ReportCompletion, Task, TaskRole, TaskUnit

DEMO_AS_OF = date(2020, 5, 12)

D = "370115D"
CAMPAIGNS = [
    ("双招双引攻坚战", rules.HALF_MONTHLY, [D + "03", D + "25", D + "13"], [
        "引进世界500强及行业龙头企业项目", "实际利用外资2020年突破1亿美元", "招引高层次人才和创新团队", "举办线上招商推介会",
        "建设济阳区人才公寓", "驻外招商小分队常态化招商", "外贸企业稳订单拓市场", "重点签约项目落地开工"]),
    ("合村并点攻坚战", rules.MONTHLY, [D + "08", D + "14", D + "07"], [
        "合村并点社区选址与规划审批", "回迁安置社区主体建设", "村庄搬迁补偿方案公示", "新社区配套学校和卫生室建设",
        "腾退土地复垦验收", "搬迁群众就业帮扶", "新型农村社区物业管理全覆盖"]),
    ("项目建设攻坚战", rules.MONTHLY, [D + "01", D + "22", D + "09"], [
        "省市重点项目开工建设", "新旧动能转换重大项目入库", "专项债券项目申报与资金拨付", "重点项目“一对一”服务专员制度",
        "工业园区标准厂房建设", "智能制造产业园一期竣工", "项目用地指标保障", "重大项目并联审批提速"]),
    ("城市更新攻坚战", rules.MONTHLY, [D + "07", D + "24", D + "16"], [
        "老旧小区改造", "城区道路“白改黑”工程", "雨污分流管网改造", "城市公园和口袋公园建设", "黄河大桥连接线建设",
        "城区停车泊位新增", "背街小巷综合整治"]),
    ("乡村振兴攻坚战", rules.MONTHLY, [D + "08", D + "17", D + "18"], [
        "高标准农田建设", "现代农业产业园创建", "农村人居环境整治", "农村公路“户户通”", "美丽乡村示范村创建",
        "农产品品牌培育", "村级集体经济增收", "农村饮水安全提升"]),
    ("营商环境攻坚战", rules.HALF_MONTHLY, [D + "22", D + "21", D + "30"], [
        "“一窗受理、一次办好”改革", "企业开办全流程半天办结", "工程建设项目审批压缩至60个工作日", "涉企政策“免申即享”",
        "政务服务“一网通办”事项全覆盖", "惠企政策兑现平台上线", "中小企业融资对接", "信用体系建设"]),
    ("生态环保攻坚战", rules.MONTHLY, [D + "15", D + "17", D + "24"], [
        "大气污染防治“一厂一策”", "黄河滩区生态保护修复", "河长制“清四乱”专项行动", "建筑工地扬尘治理",
        "农村生活污水治理", "城乡生活垃圾分类", "国土绿化造林"]),
    ("民生保障攻坚战", rules.MONTHLY, [D + "05", D + "06", D + "11"], [
        "新建改扩建中小学和幼儿园", "基层医疗卫生机构提升", "城乡居民养老保险扩面", "困难群众兜底保障",
        "稳就业促创业", "疫情防控常态化", "全民健身设施建设"]),
]
TOWNS = ["370115001", "370115002", "370115003", "370115004", "370115005", "370115006", "370115101", "370115102",
         "370115103", "370115104"]
STEPS = ["制定实施方案", "完成前期调研和摸底", "召开专题推进会", "完成项目立项和审批", "组织招标和签约", "开工建设",
         "完成年度工作量的一半", "完成主体工作", "组织验收", "总结评估并上报成效"]
LEADERS = ["王晓明", "陈立新", "杨春华", "高志远"]


def _demo_exists():
    return Campaign.objects.filter(name__in=[c[0] for c in CAMPAIGNS]).exists()


def demo_day(ctx):
    """The day the demo is built around: ctx["as_of"] (set by `luoshi demo`), else today."""
    return ctx.setdefault("as_of", timezone.localdate())


def build(ctx):
    as_of = demo_day(ctx)
    # For the apps that build on the plan (supervision's story): its campaigns, and the day its story was written for.
    ctx.update(work_campaigns=[name for name, *_ in CAMPAIGNS], work_story_day=DEMO_AS_OF)
    if _demo_exists():
        return ctx
    year = as_of.year
    units = ctx["units"]
    rng = random.Random(2020)
    leader_person = Person.objects.filter(user=ctx["users"].get("leader")).first()
    campaigns = Campaign.objects.bulk_create([Campaign(name=name, order=i, report_cycle=cycle)
                                              for i, (name, cycle, _, _) in enumerate(CAMPAIGNS)])
    tasks, task_units, plans = [], [], []
    number = 0
    for campaign, (name, cycle, departments, titles) in zip(campaigns, CAMPAIGNS):
        for order, title in enumerate(titles):
            number += 1
            lead = units[departments[order % len(departments)]]
            responsible = [units[TOWNS[(number + k) % len(TOWNS)]] for k in range(1 + number % 2)]
            cooperating = [units[departments[(order + 1) % len(departments)]]]
            if campaign.name.startswith("双招双引") and order < 3:
                lead = units[D + "03"]  # 商务局 (demo account shangwu) leads the first 双招双引 tasks
            if order in (1, 4):
                responsible = [units["370115001"]] + [u for u in responsible if u.code != "370115001"]  # 济阳街道 (jiedao)
            if lead in responsible:
                responsible.remove(lead)
            start = date(year, 1 + rng.randrange(3), 1 + rng.randrange(20))
            leader_name = LEADERS[number % len(LEADERS)]
            task = Task(campaign=campaign, number=str(number), title=title.replace("2020年", f"{year}年"), lead_unit=lead, leader_name=leader_name,
                        leader=leader_person if leader_name == "王晓明" else None, start=start,
                        deadline=date(year, 12, 31) if rng.random() < 0.5 else date(year, 10 + rng.randrange(3), 28),
                        order=order)
            tasks.append(task)
            plans.append((task, lead, responsible, cooperating))
    Task.objects.bulk_create(tasks)
    for task, lead, responsible, cooperating in plans:
        task_units.append(TaskUnit(task=task, unit=lead, role=TaskRole.LEAD))
        task_units += [TaskUnit(task=task, unit=u, role=TaskRole.RESPONSIBLE) for u in responsible]
        task_units += [TaskUnit(task=task, unit=u, role=TaskRole.COOPERATING) for u in cooperating]
    TaskUnit.objects.bulk_create(task_units)

    milestones = []
    for task in tasks:
        count = 3 + rng.randrange(3) + (1 if int(task.number) % 3 == 0 else 0)
        span = (task.deadline - task.start).days
        steps = sorted(rng.sample(range(len(STEPS)), count))
        for k, step in enumerate(steps):
            due = task.start + timedelta(days=round(span * (k + 1) / count))
            months = rules.month_span(due - timedelta(days=span // count), due)
            milestones.append(Milestone(task=task, number=f"{task.number}.{k + 1}", title=STEPS[step], due=due,
                                        planned_months=months, order=k))
    Milestone.objects.bulk_create(milestones)
    by_task = {}
    for m in milestones:
        by_task.setdefault(m.task_id, []).append(m)
    for ms in by_task.values():
        for previous, m in zip(ms, ms[1:]):
            m.follows = previous
    Milestone.objects.bulk_update([m for m in milestones if m.follows_id], ["follows"])

    reports, completions = _progress(rng, tasks, by_task, as_of)
    record(None, "生成演示重点工作计划", object_type="work.Campaign", object_id="demo", object_repr=f"{year}年八大攻坚战（演示）",
           after={"campaigns": len(campaigns), "tasks": len(tasks), "milestones": len(milestones), "reports": len(reports),
                  "completions": len(completions), "as_of": as_of})
    ctx["work_as_of"] = as_of
    return ctx


def _progress(rng, tasks, by_task, as_of):
    """Monthly reports up to `as_of`. Each task gets a profile: on time, a little late, badly late or silent.
    A task's reported percentage never goes down from one report to the next."""
    completion_dates = {}
    reports, completions = [], []
    for index, task in enumerate(tasks):
        profile = ["good", "good", "good", "good", "late", "good", "bad", "good", "silent", "good"][index % 10]
        if task.lead_unit.code in (D + "03", "370115001") and profile in ("bad", "silent"):
            profile = "late"  # the demo units' own tasks stay reportable: yellow at worst
        for m in by_task[task.pk]:
            if m.due > as_of - timedelta(days=2):
                continue
            if profile == "good":
                done = m.due - timedelta(days=rng.randrange(0, 6))
            elif profile == "late" and m is _last_due(by_task[task.pk], as_of):
                done = None if rng.random() < 0.5 else workdays.add_working_days(workdays.effective_due(m.due), 3)
            elif profile == "bad" and m is _last_due(by_task[task.pk], as_of):
                done = None
            else:
                done = m.due - timedelta(days=rng.randrange(0, 3))
            if done is not None and (done > as_of or done < task.start):
                done = max(task.start, min(done, as_of))
            if done is not None:
                completion_dates[m.pk] = done
        last = _last_due(by_task[task.pk], as_of)
        if profile == "bad":  # make sure it is more than 10 working days late on as_of
            if last is not None and workdays.working_days_late(last.due, as_of) <= 10:
                completion_dates.pop(last.pk, None)
                last.due = as_of - timedelta(days=30)
                Milestone.objects.filter(pk=last.pk).update(due=last.due)
        if profile in ("bad", "late") and last is not None and last.pk not in completion_dates \
                and workdays.working_days_late(last.due, as_of) > 40:
            # a plan is re-dated long before a step is months late: at most about two months late on as_of
            last.due = as_of - timedelta(days=45)
            Milestone.objects.filter(pk=last.pk).update(due=last.due)
        days = (10, 25) if task.campaign.report_cycle == rules.HALF_MONTHLY else (10,)
        report_until = as_of - timedelta(days=2)  # the last reports came in a few days ago
        month_ends = [date(as_of.year, month, day) for month in range(task.start.month, as_of.month + 1) for day in days
                      if task.start <= date(as_of.year, month, day) <= report_until]
        if profile == "silent":
            month_ends = [d for d in month_ends if d.month < as_of.month - 2]
        done_so_far = 0
        percent = 0
        previous = date(as_of.year, 1, 1)
        total = len(by_task[task.pk])
        for reported_on in month_ends:
            finished = [m for m in by_task[task.pk] if previous < completion_dates.get(m.pk, date.max) <= reported_on]
            done_so_far += len(finished)
            percent = max(percent, min(100, round(done_so_far * 100 / total) + rng.randrange(0, 10)))
            report = ProgressReport(task=task, unit=task.lead_unit, reported_on=reported_on, source="demo",
                                    percent=percent,
                                    done_text="；".join(f"{m.title}已完成" for m in finished) or "按计划推进，本期无节点到期",
                                    problems="受疫情影响，部分外地人员未能到岗" if rng.random() < 0.2 else "")
            reports.append((report, finished))
            previous = reported_on
    ProgressReport.objects.bulk_create([r for r, _ in reports])
    for report, _ in reports:
        report.series = report.pk
    ProgressReport.objects.bulk_update([r for r, _ in reports], ["series"])
    for report, finished in reports:
        completions += [ReportCompletion(report=report, milestone=m, done_on=completion_dates[m.pk]) for m in finished]
    ReportCompletion.objects.bulk_create(completions)
    done = {c.milestone_id: c.done_on for c in completions}
    updated = []
    for ms in by_task.values():
        for m in ms:
            if m.pk in done:
                m.done_on = done[m.pk]
                updated.append(m)
    Milestone.objects.bulk_update(updated, ["done_on"])
    return reports, completions


def _last_due(milestones, as_of):
    due = [m for m in milestones if m.due <= as_of - timedelta(days=2)]
    return due[-1] if due else None
