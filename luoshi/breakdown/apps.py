from django.apps import AppConfig


class BreakdownConfig(AppConfig):
    name = "luoshi.breakdown"
    verbose_name = "政府工作要点落实"

    def ready(self):
        # `luoshi work import-plan` (issue #25's contract) is this app's import: a line added to work's command table,
        # as a room adds one (work knows nothing of the breakdown).
        from luoshi.breakdown.cli import import_arguments, import_plan
        from luoshi.work.management.commands import work

        work.SUBCOMMANDS.setdefault("import-plan", ("导入任务分解方案（同 luoshi breakdown import）", import_arguments,
                                                    import_plan))
