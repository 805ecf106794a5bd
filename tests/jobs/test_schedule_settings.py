"""The schedule settings (LUOSHI_JOB_*): read as minutes or a daily HH:MM, "off" switches a job off, and a bad value
is refused in Chinese by `luoshi worker` and by the system checks (so migrate and the server refuse it too)."""

from datetime import datetime, time, timezone

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from luoshi.jobs import schedule


def plans():
    return {p.job.name: p for p in schedule.planned()}


def test_the_defaults_are_dispatch_every_minute_reminders_every_5_minutes_and_the_sweep_at_0730(settings):
    got = plans()
    assert got["dispatch"].minutes == 1 and got["daily_remind"].minutes == 5
    assert got["supervision_sweep"].at == time(7, 30) and got["briefings_remind"].at == time(8, 0)


def test_values_are_read_with_spaces_a_chinese_colon_and_off(settings):
    settings.LUOSHI_JOB_DISPATCH_EVERY = " 2 "
    settings.LUOSHI_JOB_DAILY_REMIND_EVERY = "关闭"
    settings.LUOSHI_JOB_SWEEP_AT = "8：05"
    got = plans()
    assert got["dispatch"].minutes == 2 and "daily_remind" not in got and got["supervision_sweep"].at == time(8, 5)
    settings.LUOSHI_JOB_SWEEP_AT = "OFF"
    assert "supervision_sweep" not in plans()


@pytest.mark.parametrize("setting, value, message", [
    ("LUOSHI_JOB_DISPATCH_EVERY", "abc", "LUOSHI_JOB_DISPATCH_EVERY 应为 1 到 1440 之间的整数（分钟），或 off 关闭；现为「abc」"),
    ("LUOSHI_JOB_DISPATCH_EVERY", "0", "现为「0」"),
    ("LUOSHI_JOB_DISPATCH_EVERY", "-5", "现为「-5」"),
    ("LUOSHI_JOB_DAILY_REMIND_EVERY", "1441", "LUOSHI_JOB_DAILY_REMIND_EVERY 应为 1 到 1440"),
    ("LUOSHI_JOB_DAILY_REMIND_EVERY", "1.5", "现为「1.5」"),
    ("LUOSHI_JOB_SWEEP_AT", "25:00", "LUOSHI_JOB_SWEEP_AT 应为每天的时刻 HH:MM（如 07:30），或 off 关闭；现为「25:00」"),
    ("LUOSHI_JOB_SWEEP_AT", "7:60", "现为「7:60」"),
    ("LUOSHI_JOB_SWEEP_AT", "0730", "现为「0730」"),
    ("LUOSHI_JOB_SWEEP_AT", "", "现为「」"),
    ("LUOSHI_WORKER_PROCESSES", "0", "LUOSHI_WORKER_PROCESSES 应为 1 到 16 之间的整数；现为「0」"),
])
def test_a_bad_value_is_refused_in_chinese_by_the_worker_and_the_system_checks(settings, setting, value, message):
    setattr(settings, setting, value)
    with pytest.raises(CommandError) as refused:
        call_command("worker", "--list")
    assert str(refused.value).startswith("定时任务设置有误：") and message in str(refused.value)
    with pytest.raises(SystemCheckError) as check:
        call_command("check")
    assert message in str(check.value)


def test_every_bad_value_is_listed_at_once(settings):
    settings.LUOSHI_JOB_DISPATCH_EVERY = "x"
    settings.LUOSHI_JOB_SWEEP_AT = "y"
    with pytest.raises(CommandError) as refused:
        call_command("worker", "--list")
    assert "LUOSHI_JOB_DISPATCH_EVERY" in str(refused.value) and "LUOSHI_JOB_SWEEP_AT" in str(refused.value)


def test_the_worker_lists_the_jobs_and_the_equivalent_cron_lines(settings, capsys):
    settings.LUOSHI_JOB_DAILY_REMIND_EVERY = "90"
    call_command("worker", "--list")
    out = capsys.readouterr().out
    assert "dispatch\t每分钟" in out and "supervision_sweep\t每天 07:30" in out
    assert "* * * * *  .venv/bin/luoshi worker --run dispatch" in out
    assert "30 7 * * *  .venv/bin/luoshi worker --run supervision_sweep" in out
    assert "daily_remind：每 90 分钟 无法写成一行 cron" in out


def test_an_unknown_job_is_refused_in_chinese(db):
    with pytest.raises(CommandError, match="没有名为「sweep」的定时任务"):
        call_command("worker", "--run", "sweep")


def test_a_job_run_by_hand_from_cron_runs_once_for_its_minute(db, capsys):
    with time_machine.travel(datetime(2026, 12, 1, 10, 7, 20, tzinfo=timezone.utc), tick=False):
        call_command("worker", "--run", "dispatch")  # cron on one server
        call_command("worker", "--run", "dispatch")  # the same line on a second server
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("发件箱：已发送 0 条") and out[1] == "本次已由其他进程运行，跳过"
