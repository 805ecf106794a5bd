"""The jobs that run by themselves and when (settings LUOSHI_JOB_*, docs/configuration.md).

Each job is either every N minutes (aligned to local midnight: every 5 minutes runs at :00, :05, …) or daily at a
local time. The values are read from settings and checked here; a bad value is refused with a Chinese message
(by `luoshi worker`, and by Django's system checks, so `luoshi migrate` and the server refuse it too).
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from luoshi.core.problems import Rejected

EVERY, DAILY = "every", "daily"
OFF_WORDS = {"off", "关闭"}


@dataclass(frozen=True)
class JobDef:
    name: str
    label: str
    setting: str
    kind: str  # EVERY (minutes) or DAILY (HH:MM)
    default: str
    command: str  # the equivalent cron command


JOBS = [
    JobDef("judge", "每日判定重点工作状态", "LUOSHI_JOB_JUDGE_AT", DAILY, "00:05", "luoshi work judge"),
    JobDef("dispatch", "发送发件箱中的消息", "LUOSHI_JOB_DISPATCH_EVERY", EVERY, "1", "luoshi notify dispatch"),
    JobDef("daily_remind", "村居日报截止前提醒和缺报名单", "LUOSHI_JOB_DAILY_REMIND_EVERY", EVERY, "5", "luoshi daily remind"),
    JobDef("supervision_sweep", "督查督办每日巡查", "LUOSHI_JOB_SWEEP_AT", DAILY, "07:30", "luoshi supervision sweep"),
    JobDef("briefings_remind", "会议材料明天截止提醒", "LUOSHI_JOB_BRIEFINGS_REMIND_AT", DAILY, "08:00",
           "luoshi briefings remind"),
    JobDef("inputs_remind", "配合单位向牵头单位报送逾期提醒", "LUOSHI_JOB_INPUTS_REMIND_AT", DAILY, "08:30",
           "luoshi work remind-inputs"),
]
BY_NAME = {job.name: job for job in JOBS}


@dataclass(frozen=True)
class Planned:
    job: JobDef
    minutes: int | None = None  # EVERY
    at: time | None = None  # DAILY

    def describe(self):
        if self.minutes:
            return f"每 {self.minutes} 分钟" if self.minutes > 1 else "每分钟"
        return f"每天 {self.at:%H:%M}"

    def cron(self):
        if self.minutes:
            if self.minutes == 1:
                return "* * * * *"
            if self.minutes < 60 and 60 % self.minutes == 0:
                return f"*/{self.minutes} * * * *"
            if self.minutes % 60 == 0 and 24 % (self.minutes // 60) == 0:
                return f"0 */{self.minutes // 60} * * *"
            return None  # not expressible as one cron line
        return f"{self.at.minute} {self.at.hour} * * *"

    def slot(self, now):
        """The scheduled time this run belongs to: the latest slot at or before `now` (aware, local slots)."""
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        if self.minutes:
            midnight = local.replace(hour=0, minute=0)
            passed = int((local - midnight).total_seconds() // 60)
            return midnight + timedelta(minutes=passed - passed % self.minutes)
        today = timezone.make_aware(datetime.combine(local.date(), self.at))
        return today if today <= local else today - timedelta(days=1)

    def first_run(self, now):
        """When a new schedule runs first: every-N jobs at once (the current slot), daily jobs at the next time."""
        slot = self.slot(now)
        return slot if self.minutes else slot + timedelta(days=1)


def _value(job):
    raw = getattr(settings, job.setting, job.default)
    return job.default if raw is None else str(raw).strip()


def parse_every(setting, raw):
    text = str(raw).strip()
    if not re.fullmatch(r"\d{1,4}", text) or not 1 <= int(text) <= 1440:
        raise Rejected(f"{setting} 应为 1 到 1440 之间的整数（分钟），或 off 关闭；现为「{raw}」")
    return int(text)


def parse_daily(setting, raw):
    text = str(raw).strip().replace("：", ":")
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise Rejected(f"{setting} 应为每天的时刻 HH:MM（如 07:30），或 off 关闭；现为「{raw}」")
    return time(int(match[1]), int(match[2]))


def planned():
    """The jobs switched on, with their schedule. Raises Rejected listing every bad setting."""
    result, problems = [], []
    for job in JOBS:
        raw = _value(job)
        if raw.lower() in OFF_WORDS:
            continue
        try:
            if job.kind == EVERY:
                result.append(Planned(job, minutes=parse_every(job.setting, raw)))
            else:
                result.append(Planned(job, at=parse_daily(job.setting, raw)))
        except Rejected as exc:
            problems.extend(exc.messages)
    processes = str(getattr(settings, "LUOSHI_WORKER_PROCESSES", "1")).strip()
    if not re.fullmatch(r"\d{1,2}", processes) or not 1 <= int(processes) <= 16:
        problems.append(f"LUOSHI_WORKER_PROCESSES 应为 1 到 16 之间的整数；现为「{processes}」")
    if problems:
        raise Rejected(problems)
    return result
