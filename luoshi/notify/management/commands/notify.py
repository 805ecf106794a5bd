"""luoshi notify — robots, sending to a unit, and one dispatch run of the outbox.

  luoshi notify robot add --unit CODE --kind wecom|dingtalk --url URL [--secret SECRET] [--name NAME]
  luoshi notify robot list
  luoshi notify send --unit CODE --subject TEXT [--body TEXT]
  luoshi notify dispatch [--limit N]
"""

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.problems import Rejected
from luoshi.notify import services
from luoshi.notify.models import Robot
from luoshi.orgs.models import Unit


class Command(BaseCommand):
    help = "消息通知：配置群机器人、向单位发送消息、发送发件箱中排队的消息。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        robot = sub.add_parser("robot", help="群机器人")
        robot_sub = robot.add_subparsers(dest="robot_action", required=True)
        add = robot_sub.add_parser("add", help="为单位添加群机器人")
        add.add_argument("--unit", required=True)
        add.add_argument("--kind", required=True, choices=["wecom", "dingtalk"])
        add.add_argument("--url", required=True)
        add.add_argument("--secret", default="")
        add.add_argument("--name", default="")
        robot_sub.add_parser("list", help="列出群机器人（地址已遮盖）")
        send = sub.add_parser("send", help="向单位的群机器人和人员发送消息")
        send.add_argument("--unit", required=True)
        send.add_argument("--subject", required=True)
        send.add_argument("--body", default="")
        dispatch = sub.add_parser("dispatch", help="发送到期的消息（一次）")
        dispatch.add_argument("--limit", type=int, default=1000)

    def _unit(self, code):
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            self._refuse(f"单位 {code} 不存在")
        return unit

    def _refuse(self, reason):
        raise CommandError(reason)  # exit status 1, the reason on stderr

    def handle(self, action, **options):
        if action == "robot":
            if options["robot_action"] == "list":
                for r in Robot.objects.select_related("unit", "region"):
                    self.stdout.write(f"{r.pk}\t{r.owner_name}\t{r.kind}\t{r.masked_url}\t{'启用' if r.active else '停用'}")
                return
            unit = self._unit(options["unit"])
            try:
                robot = services.add_robot(None, kind=options["kind"], url=options["url"],
                                           secret=options["secret"], name=options["name"], unit=unit)
            except Rejected as exc:
                self._refuse("；".join(exc.messages))
            self.stdout.write(str(robot.pk))
        elif action == "send":
            unit = self._unit(options["unit"])
            try:
                robots, people = services.send_to_unit(unit, options["subject"], options["body"])
            except Rejected as exc:
                self._refuse("；".join(exc.messages))
            self.stdout.write(f"已排队：群机器人 {robots} 条，站内消息 {people} 条")
        elif action == "dispatch":
            result = services.dispatch(limit=options["limit"])
            self.stdout.write(f"已发送 {result.sent} 条，等待重试 {result.retrying} 条，发送失败 {result.failed} 条"
                              + (f"，顺延 {result.deferred} 条" if result.deferred else ""))
        else:  # pragma: no cover - argparse refuses other actions
            raise CommandError(action)
