"""luoshi grant USERNAME ROLE [--scope CODE] — give an account a role with its scope."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from luoshi.core.problems import Rejected
from luoshi.orgs import services
from luoshi.orgs.models import Role


class Command(BaseCommand):
    help = "为账号授予角色及范围。角色：" + "、".join(f"{v}（{label}）" for v, label in Role.choices)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--scope", default="", help="地区代码（领导、督查室、发改局、统计局）或单位代码（责任单位、村居填报员）")

    def handle(self, username, role, scope, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号 {username} 不存在")
        try:
            assignment = services.grant_role(None, user, role, scope)
        except Rejected as rejected:
            self.stderr.write("；".join(rejected.messages))
            sys.exit(1)
        self.stdout.write(f"{username}：{assignment}")
