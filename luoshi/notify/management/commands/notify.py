"""luoshi notify dispatch — send the queued messages of the outbox."""

from django.core.management.base import BaseCommand

from luoshi.notify import services


class Command(BaseCommand):
    help = "消息通知：发送发件箱中排队的消息。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        dispatch = sub.add_parser("dispatch", help="发送排队的消息")
        dispatch.add_argument("--limit", type=int, default=1000)

    def handle(self, action, limit=1000, **options):
        sent, failed = services.dispatch(limit=limit)
        self.stdout.write(f"已发送 {sent} 条，失败 {failed} 条")
