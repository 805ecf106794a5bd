"""luoshi notify — robots, sending to a unit, and one dispatch run of the outbox.

  luoshi notify robot add --unit CODE --kind wecom|dingtalk --url URL [--secret SECRET] [--name NAME]
  luoshi notify robot list
  luoshi notify send --unit CODE --subject TEXT [--body TEXT]
  luoshi notify dispatch [--limit N]
"""

from django.core.management.base import CommandError

from luoshi.core.commands import SubcommandTable
from luoshi.core.problems import Rejected
from luoshi.notify import services
from luoshi.notify.models import Robot
from luoshi.orgs.models import Unit


def _robot_arguments(parser):
    robot_sub = parser.add_subparsers(dest="robot_action", metavar="子命令", title="子命令")
    add = robot_sub.add_parser("add", help="为单位添加群机器人")
    add.add_argument("--unit", required=True, help="单位代码")
    add.add_argument("--kind", required=True, choices=["wecom", "dingtalk"], help="wecom 企业微信，dingtalk 钉钉")
    add.add_argument("--url", required=True, help="群机器人的 Webhook 地址")
    add.add_argument("--secret", default="", help="加签密钥（仅钉钉）")
    add.add_argument("--name", default="", help="名称")
    robot_sub.add_parser("list", help="列出群机器人（地址已遮盖）")


def _robot(command, robot_action=None, **options):
    if robot_action is None:
        raise CommandError("请指定子命令：add、list")
    if robot_action == "list":
        for r in Robot.objects.select_related("unit", "region"):
            command.stdout.write(f"{r.pk}\t{r.owner_name}\t{r.kind}\t{r.masked_url}\t{'启用' if r.active else '停用'}")
        return
    unit = _unit(options["unit"])
    try:
        robot = services.add_robot(None, kind=options["kind"], url=options["url"],
                                   secret=options["secret"], name=options["name"], unit=unit)
    except Rejected as exc:
        raise CommandError("；".join(exc.messages))  # exit status 1, the reason on stderr
    command.stdout.write(str(robot.pk))


def _send_arguments(parser):
    parser.add_argument("--unit", required=True, help="单位代码")
    parser.add_argument("--subject", required=True, help="标题")
    parser.add_argument("--body", default="", help="正文")


def _send(command, unit, subject, body="", **options):
    try:
        robots, people = services.send_to_unit(_unit(unit), subject, body)
    except Rejected as exc:
        raise CommandError("；".join(exc.messages))
    command.stdout.write(f"已排队：群机器人 {robots} 条，站内消息 {people} 条")


def _dispatch_arguments(parser):
    parser.add_argument("--limit", type=int, default=1000, help="最多发送多少条（默认 1000）")


def _dispatch(command, limit=1000, **options):
    result = services.dispatch(limit=limit)
    command.stdout.write(f"已发送 {result.sent} 条，等待重试 {result.retrying} 条，发送失败 {result.failed} 条"
                         + (f"，顺延 {result.deferred} 条" if result.deferred else ""))


def _unit(code):
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"单位 {code} 不存在")
    return unit


# subcommand -> (help, add_arguments(parser), handle(command, **options))
SUBCOMMANDS = {
    "robot": ("群机器人", _robot_arguments, _robot),
    "send": ("向单位的群机器人和人员发送消息", _send_arguments, _send),
    "dispatch": ("发送到期的消息（一次）", _dispatch_arguments, _dispatch),
}


class Command(SubcommandTable):
    help = "消息通知：配置群机器人、向单位发送消息、发送发件箱中排队的消息。"
    subcommands = SUBCOMMANDS
