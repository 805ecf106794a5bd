from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "luoshi.projects"
    verbose_name = "重点项目"

    def ready(self):
        from luoshi.projects.pipeline import offers

        offers.register_all()  # the ledger's and the pools' figures beside the indicators' (core.offers)
