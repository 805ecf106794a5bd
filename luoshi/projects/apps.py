from luoshi.core import rooms  # the module, not the class: Django takes the one AppConfig class defined here


class ProjectsConfig(rooms.AppWithRooms):
    name = "luoshi.projects"
    verbose_name = "重点项目"
    rooms = ["luoshi.projects.pipeline.models"]

    def ready(self):
        from luoshi.projects.pipeline import offers

        offers.register_all()  # the ledger's and the pools' figures beside the indicators' (core.offers)
