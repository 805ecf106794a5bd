"""The demo district's 督查督办, spring 2020: the supervision office's work on the demo plan (luoshi.work.demo, which
names its campaigns in ctx["work_campaigns"]) from the day the plan was set to the day the plan's story was written for
(ctx["work_story_day"], 12 May 2020, two days after the last reports).

Everything goes through the real services, day by day in date order. In April 督查室 (李静) works by hand: notices
on risks seen at the 调度会 and on a silent task; 商务局 (周强) answers, one answer is sent back and answered again,
another accepted; 商务局 and 济阳街道 ask to move dates, 区长 (王晓明) and 督查室 decide. From 6 May, the first working
day after the 五一 holiday, the daily sweep (supervision.sweep) runs every morning: its first run opens a notice on
each red task and escalates the April notice nobody answered. Every unit with a task has an account (orgs/demo.py),
so each notice can be answered; in the story only 商务局 answers, and the other units' notices wait for an answer
on the demo's day.

Rows the services stamp with the clock (notice steps, audit entries, messages, request and decision times, the plan's
set time) are stamped with the simulated day and hour instead, so timelines and the 倒查 chain read as spring 2020;
in-app messages count as delivered at that hour (the outbox's in-app channel only marks them sent).

Built around another day (ctx["as_of"]; `luoshi demo` builds around today), the story is a shorter one in the weeks
before that day (live_story): the plan set at the end of February (or just before the demo's day), 督查室 opening a
notice on a 商务局 task that 商务局 answers and 督查室 sends back, a date moved at 商务局's request, 济阳街道's request
waiting for a decision, and the daily sweep every morning of the last four weeks opening notices on the red tasks.

Illustrative data. Runs once: skipped when it has run before or when a notice exists on the demo plan.
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import record
from luoshi.core import workdays
from luoshi.core.periods import day_label
from luoshi.notify.models import Message
from luoshi.notify.services import INAPP
from luoshi.supervision import services, sweep
from luoshi.supervision.consequences import services as consequence_services
from luoshi.supervision.consequences.models import Consequence, ConsequenceKind
from luoshi.supervision.models import Notice, NoticeStep
from luoshi.work import access as work_access
from luoshi.work import services as work_services
from luoshi.work.models import Campaign, Rebaseline, Task

MARKER = "生成演示督查督办"
PLAN_SET_ON = date(2020, 2, 28)  # 《2020年八大攻坚战实施方案》印发
SWEEP_FROM = date(2020, 5, 6)  # the daily sweep's first morning: the first working day after the 五一 holiday
SWEEP_CLOCK = (7, 30)  # the cron line in docs/configuration.md

# Rows stamped with the clock by the services (supervision's and work's): (model, field).
STAMPED = [(AuditEntry, "at"), (NoticeStep, "at"), (Notice, "created_at"), (Rebaseline, "requested_at"),
           (Rebaseline, "decided_at"), (Rebaseline, "changed_at"), (Campaign, "plan_set_at"), (Consequence, "created_at")]


@contextmanager
def recorded_at(day, hour, minute):
    """Whatever the block writes with the current time is stamped `day hour:minute` (Asia/Shanghai) instead;
    in-app messages it queues are delivered then."""
    started = timezone.now()
    yield
    at = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    Message.objects.filter(created_at__gte=started, channel=INAPP, status=Message.Status.QUEUED).update(
        status=Message.Status.SENT, sent_at=at)
    Message.objects.filter(created_at__gte=started).update(created_at=at)
    for model, name in STAMPED:
        model.objects.filter(**{f"{name}__gte": started}).update(**{name: at})


class Story:
    """The days of the story, in date order: before anything happens on a day, the sweep has run on every morning
    from `sweep_from` up to and including it. Holds the demo plan (its campaigns and tasks) and the demo accounts."""

    def __init__(self, ctx, campaigns, sweep_from=SWEEP_FROM):
        self.day = date.min
        self.sweep_from = sweep_from
        self.swept = sweep_from - timedelta(days=1)
        self.sweeps = []
        self.campaigns = campaigns
        self.tasks = Task.objects.filter(campaign__in=campaigns)
        users = ctx["users"]
        self.ducha, self.leader, self.shangwu, self.jiedao = (users[name] for name in ("ducha", "leader", "shangwu", "jiedao"))

    def sweep_through(self, day):
        while self.swept < day:
            self.swept += timedelta(days=1)
            with recorded_at(self.swept, *SWEEP_CLOCK):
                self.sweeps.append(sweep.sweep(self.swept))

    @contextmanager
    def on(self, day, hour, minute):
        if day < self.day:
            raise ValueError(f"演示故事须按日期顺序编排：{day} 早于 {self.day}")
        self.day = day
        self.sweep_through(day)
        with recorded_at(day, hour, minute):
            yield

    def task(self, title):
        return self.tasks.select_related("lead_unit", "lead_unit__region", "leader").get(title=title)

    def set_plan(self, day):
        """The plan is set once the campaigns' 实施方案 is issued: from then on a date moves only by an approved request."""
        with recorded_at(day, 17, 0):
            for campaign in self.campaigns:
                work_services.set_plan(self.ducha, campaign)

    def finish(self, ctx, as_of):
        """The sweep up to `as_of`, and the entry that says the story has been told."""
        self.sweep_through(as_of)
        notices = Notice.objects.filter(task__in=self.tasks)
        record(None, MARKER, object_type="supervision.Notice", object_id="demo", object_repr=f"{as_of.year}年督查督办（演示）",
               after={"notices": notices.count(), "escalated": notices.filter(escalated_on__isnull=False).count(),
                      "sweeps": len(self.sweeps), "from": self.sweep_from, "as_of": as_of})
        ctx["supervision_as_of"] = as_of
        return ctx


def _milestone(task, title):
    return task.milestones.get(title=title)


def _m(milestone):
    return f"节点「{milestone.number} {milestone.title}」（完成时限{day_label(milestone.due)}）"


def build(ctx):
    campaigns = Campaign.objects.filter(name__in=ctx.get("work_campaigns", ())).order_by("order")
    tasks = Task.objects.filter(campaign__in=campaigns)
    if not tasks.exists() or AuditEntry.objects.filter(action=MARKER).exists() or Notice.objects.filter(task__in=tasks).exists():
        return ctx
    as_of = ctx.get("as_of") or timezone.localdate()
    if as_of != ctx.get("work_story_day"):
        return live_story(ctx, campaigns, as_of)
    story = Story(ctx, campaigns)
    story.set_plan(PLAN_SET_ON)
    notice_fair = _mid_april(story)
    notice_trade = _late_april(story)
    _may(story, notice_fair, notice_trade)
    return story.finish(ctx, as_of)


def _mid_april(story):
    """督查室 opens a notice by hand on a risk seen at the 调度会 (the task is still green); answered, later accepted.
    商务局 asks to move a milestone of a task it leads; 区长 approves."""
    fair = story.task("举办线上招商推介会")
    signing = _milestone(fair, "组织招标和签约")
    with story.on(date(2020, 4, 13), 9, 30):
        notice_fair = services.open_notice(
            story.ducha, fair, milestone=signing, on=date(2020, 4, 13),
            reason=f"4月10日调度会显示，{_m(signing)}目前仅与3家企业达成合作意向，签约项目尚未落实，存在滞后风险。"
                   "请说明推进情况，提出确保按期完成签约的具体措施和时间安排。")
    top500 = story.task("引进世界500强及行业龙头企业项目")
    with story.on(date(2020, 4, 14), 15, 0):
        moved_top500 = work_services.request_rebaseline(
            story.shangwu, milestone=_milestone(top500, "制定实施方案"), new_due=date(2020, 6, 30),
            reason="受疫情影响，境外企业高管无法来济实地考察，项目洽谈由线下转为线上，实施方案需待重点目标企业对接后确定，"
                   "申请将完成时限调整至6月30日。")
    with story.on(date(2020, 4, 16), 10, 20):
        work_services.approve_rebaseline(story.leader, moved_top500, "同意。请倒排工期，确保6月底前完成。")
    with story.on(date(2020, 4, 16), 16, 20):
        services.reply(story.shangwu, notice_fair, on=date(2020, 4, 16), text=(
            "已于4月15日召开专题会议，倒排工期，明确分管领导和责任科室：4月24日举办“云签约”线上推介会，对已达成意向的"
            "3个项目集中签约；其余2个项目由驻外招商小分队逐个跟进，确保5月9日前完成签约。"))
    return notice_fair


def _late_april(story):
    """济阳街道 (a responsible unit) asks to move a milestone of a task 自然资源局 leads; 督查室 checks and approves.
    A silent task (no report for two periods): 督查室 opens a notice by hand. Nobody answers; the sweep's first morning
    escalates it to the leader. A notice answered too vaguely (sent back in May). 商务局 asks to move a task's deadline
    (a year's target); 区长 refuses."""
    reclaim = story.task("腾退土地复垦验收")
    with story.on(date(2020, 4, 24), 10, 0):
        moved_reclaim = work_services.request_rebaseline(
            story.jiedao, milestone=_milestone(reclaim, "召开专题推进会"), new_due=date(2020, 6, 19),
            reason="受疫情影响，复垦地块测绘队伍进场推迟，推进会所需的地块核查结果尚未形成，申请将完成时限调整至6月19日。")
    window = story.task("“一窗受理、一次办好”改革")
    with story.on(date(2020, 4, 24), 11, 0):
        services.open_notice(story.ducha, window, on=date(2020, 4, 24),
                             reason=services.default_reason(window, date(2020, 4, 24)))
    trade = story.task("外贸企业稳订单拓市场")
    half = _milestone(trade, "完成年度工作量的一半")
    with story.on(date(2020, 4, 27), 9, 0):
        notice_trade = services.open_notice(
            story.ducha, trade, milestone=half, on=date(2020, 4, 27),
            reason=f"据商务局4月25日报送的进展，受境外疫情影响，外贸企业订单明显下降，{_m(half)}完成进度不足三成，"
                   "按期完成难度较大。请说明原因，提出整改措施和完成时限。")
    with story.on(date(2020, 4, 27), 15, 0):
        work_services.approve_rebaseline(story.ducha, moved_reclaim, "经实地核查，情况属实，同意调整。")
    foreign = story.task("实际利用外资2020年突破1亿美元")
    with story.on(date(2020, 4, 28), 9, 40):
        kept_foreign = work_services.request_rebaseline(
            story.shangwu, task=foreign, new_due=date(2021, 3, 31),
            reason="受境外疫情影响，外资项目资金到位普遍放缓，2个重点外资项目增资推迟，申请将完成时限调整至2021年3月31日。")
    with story.on(date(2020, 4, 29), 17, 10):
        services.reply(story.shangwu, notice_trade, on=date(2020, 4, 29),
                       text="受境外疫情影响，部分外贸企业出口订单减少。我局正在积极协调，帮助企业拓展市场。")
    with story.on(date(2020, 4, 30), 16, 0):
        work_services.refuse_rebaseline(
            story.leader, kept_foreign, "实际利用外资是区委区政府确定的年度硬任务，不予调整。请加大招引力度，压实责任，确保年内完成。")
    return notice_trade


def _may(story, notice_fair, notice_trade):
    """The vague answer sent back and answered again; a notice on talent, answered and sent back; a milestone well past
    due (the task turns red the next day): a notice with the pre-filled reason, as the task page does; the fair's notice
    accepted; 济阳街道 asks again, waiting for a decision on the demo's day."""
    with story.on(date(2020, 5, 6), 9, 40):
        services.return_notice(story.ducha, notice_trade, on=date(2020, 5, 6),
                               text="答复过于笼统，未明确具体措施、完成时限和责任人。请补充后重新答复。")
    talent = story.task("招引高层次人才和创新团队")
    with story.on(date(2020, 5, 6), 10, 30):
        notice_talent = services.open_notice(
            story.ducha, talent, milestone=_milestone(talent, "完成年度工作量的一半"), on=date(2020, 5, 6),
            reason=f"该任务年度目标招引高层次人才团队10个，截至5月初仅落地2个，{_m(_milestone(talent, '完成年度工作量的一半'))}"
                   "按期完成压力较大。请说明原因，提出整改措施和完成时限。")
    projects = story.task("新旧动能转换重大项目入库")
    with story.on(date(2020, 5, 6), 15, 0):
        services.open_notice(story.ducha, projects, on=date(2020, 5, 6),
                             reason=services.default_reason(projects, date(2020, 5, 6)))
    with story.on(date(2020, 5, 8), 15, 30):
        services.reply(story.shangwu, notice_trade, on=date(2020, 5, 8), text=(
            "已召开专题会议，倒排工期：一是5月12日前对全区28家重点外贸企业逐一走访，建立“一企一策”帮扶台账；"
            "二是5月15日前组织2场线上对接会，帮助企业转内销、拓展新兴市场；三是协调出口信用保险，5月20日前完成承保扩面。"
            "确保5月24日前完成年度工作量的一半。责任人：分管副局长；责任科室：外贸科。"))
    with story.on(date(2020, 5, 8), 16, 0):
        services.reply(story.shangwu, notice_talent, on=date(2020, 5, 8),
                       text="已对接人才团队6个，其中2个已落地。下步将继续加大招引力度。")
    with story.on(date(2020, 5, 11), 10, 0):
        services.accept(story.ducha, notice_fair, on=date(2020, 5, 11), text="经核实，4.2节点已于5月9日完成签约，同意办结。")
    with story.on(date(2020, 5, 11), 11, 0):
        services.return_notice(story.ducha, notice_talent, on=date(2020, 5, 11), text=(
            "答复未说明其余团队的对接进展和落地计划，请逐个团队列明落地时间和责任人后重新答复。"))
    lanes = story.task("背街小巷综合整治")
    with story.on(date(2020, 5, 11), 14, 30):
        work_services.request_rebaseline(
            story.jiedao, milestone=_milestone(lanes, "完成项目立项和审批"), new_due=date(2020, 7, 31),
            reason="立项所需的地下管线普查成果尚未出具，需待住建部门完成管网普查后报批，申请将完成时限调整至7月31日。")


def _working_days_before(day, count):
    while count > 0:
        day -= timedelta(days=1)
        if workdays.is_workday(day):
            count -= 1
    return day


def _open_milestone(tasks, after):
    """The first milestone of these tasks not done yet and due after `after` (a date that can still move)."""
    for task in tasks:
        for milestone in task.milestones.order_by("order"):
            if milestone.done_on is None and milestone.due > after:
                return milestone
    return None


def live_story(ctx, campaigns, as_of):
    """The story in the weeks before `as_of` (any day but the plan's story day), through the services, day by day."""
    days = [_working_days_before(as_of, n) for n in (15, 13, 12, 10, 8, 6, 3, 1)]
    plan_set_on = min(date(as_of.year, 2, 28), days[0] - timedelta(days=1))
    story = Story(ctx, campaigns, sweep_from=max(as_of - timedelta(days=27), plan_set_on + timedelta(days=1)))
    story.set_plan(plan_set_on)
    tasks = story.tasks.select_related("lead_unit", "lead_unit__region", "leader").order_by("campaign__order", "order")
    own = [t for t in tasks if t.lead_unit.code == "370115D03" and t.start <= days[0]]
    notice = _live_notice_and_move(story, days, own)
    if notice is not None:
        # 倒查 ends in a proposal: the answer was sent back as too vague; 督查室 proposes a 提醒谈话, for 区长 to decide.
        with story.on(days[6], 11, 0):
            consequence_services.propose(
                story.ducha, unit=notice.unit, kind=ConsequenceKind.TALK, task=notice.task, notices=[notice],
                milestones=[notice.milestone] if notice.milestone_id else [], on=days[6],
                reason=f"{notice.number}答复过于笼统被退回，节点推进存在滞后风险，建议对{notice.unit.name}主要负责同志进行提醒谈话。")
    # 济阳街道 asks to move a step of a task it is responsible for; waiting for a decision on the demo's day.
    street = [t for t in tasks.filter(pk__in=work_access.reporting_task_ids(story.jiedao)) if t.start <= days[0]]
    waiting = _open_milestone(street, days[6])
    if waiting is not None:
        with story.on(days[6], 14, 30):
            work_services.request_rebaseline(
                story.jiedao, milestone=waiting, new_due=waiting.due + timedelta(days=45),
                reason="所需的地块核查和管线普查成果尚未出具，需待相关部门完成后推进，申请将完成时限顺延45天。")
    return story.finish(ctx, as_of)


def _live_notice_and_move(story, days, own):
    """督查室 opens a notice by hand on a 商务局 task with a step still to do; 商务局 answers too vaguely, and it is
    sent back. Meanwhile 商务局 asks to move a step of another of its tasks; 区长 approves."""
    milestone = _open_milestone(own, days[0])
    moved = _open_milestone([t for t in own if milestone is None or t != milestone.task], days[1])
    notice = None
    if milestone is not None:
        with story.on(days[0], 9, 30):
            notice = services.open_notice(
                story.ducha, milestone.task, milestone=milestone, on=days[0],
                reason=f"据{day_label(days[0] - timedelta(days=3))}调度会了解，{_m(milestone)}推进偏慢，存在滞后风险。"
                       "请说明推进情况，提出确保按期完成的具体措施和时间安排。")
    if moved is not None:
        with story.on(days[1], 15, 0):
            request = work_services.request_rebaseline(
                story.shangwu, milestone=moved, new_due=moved.due + timedelta(days=30),
                reason="受重点目标企业考察行程推迟影响，项目洽谈需延后，申请将完成时限顺延30天。")
        with story.on(days[2], 10, 20):
            work_services.approve_rebaseline(story.leader, request, "同意。请倒排工期，确保按调整后的时限完成。")
    if notice is not None:
        with story.on(days[3], 16, 20):
            services.reply(story.shangwu, notice, on=days[3], text="我局高度重视，正在积极推进，确保按期完成。")
        with story.on(days[5], 9, 40):
            services.return_notice(story.ducha, notice, on=days[5],
                                   text="答复过于笼统，未明确具体措施、完成时限和责任人。请补充后重新答复。")
    return notice
