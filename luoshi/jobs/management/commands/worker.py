"""luoshi worker — the jobs that run by themselves: the scheduler and the workers (django-q2) in one process group.

    luoshi worker              run until stopped (Ctrl-C or SIGTERM); `make run` starts it beside gunicorn
    luoshi worker --list       print the jobs, their schedule and the equivalent cron lines
    luoshi worker --run JOB    one run of JOB now, claimed like a scheduled run (for those who prefer cron)
"""

import signal
import sys
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from luoshi.core.problems import Rejected
from luoshi.jobs import runner, schedule


class Command(BaseCommand):
    help = "定时任务：调度器和执行进程（发送消息、村居日报提醒、督查督办每日巡查）。"
    requires_system_checks = []  # the job settings are checked below, with the other checks left to the server

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="列出定时任务、时间和等效的 cron 行")
        parser.add_argument("--run", metavar="JOB", help="立即运行一次某个任务（" + "、".join(schedule.BY_NAME) + "）")

    def handle(self, list=False, run=None, **options):
        try:
            plans = schedule.planned()
        except Rejected as exc:
            raise CommandError("定时任务设置有误：" + "；".join(exc.messages))
        if list:
            self._list(plans)
            return
        if run:
            if run not in schedule.BY_NAME:
                raise CommandError(f"没有名为「{run}」的定时任务；可用：{'、'.join(schedule.BY_NAME)}")
            outcome = runner.run(run)
            self.stdout.write(outcome if outcome is not None else "本次已由其他进程运行，跳过")
            return
        if MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes()):
            raise CommandError("数据库尚未迁移到最新，请先运行 luoshi migrate")
        from django_q.cluster import Cluster

        from luoshi.jobs import sync

        sync.sync()
        connection.close()  # the cluster's processes open their own connections
        # Our own signal handling: django-q2's handler stops the cluster from inside the handler, and a second signal
        # (Ctrl-C reaches every process of the terminal, then scripts/run.sh sends SIGTERM) arriving while it holds
        # the stop event's lock deadlocks the worker. Here a signal only sets a flag; the main loop stops once.
        stopping = threading.Event()
        cluster = Cluster()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *args: stopping.set())
        cluster.start()
        self.stdout.write("定时任务已启动：" + "；".join(f"{p.job.label}（{p.describe()}）" for p in plans))
        sys.stdout.flush()
        while not stopping.wait(1):
            if not cluster.sentinel.is_alive():
                raise CommandError("定时任务进程意外退出，请查看上面的错误信息")
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        cluster.stop()
        self.stdout.write("定时任务已停止")

    def _list(self, plans):
        on = {p.job.name: p for p in plans}
        for job in schedule.JOBS:
            plan = on.get(job.name)
            when = plan.describe() if plan else "已关闭"
            self.stdout.write(f"{job.name}\t{when}\t{job.label}（{job.setting}）")
        self.stdout.write("")
        self.stdout.write("# 不用 luoshi worker 时的等效 crontab（在项目目录下，与服务器相同的用户和环境变量）：")
        for plan in plans:
            line = plan.cron()
            command = f".venv/bin/luoshi worker --run {plan.job.name}"
            self.stdout.write(f"{line}  {command}" if line else f"# {plan.job.name}：{plan.describe()} 无法写成一行 cron")
