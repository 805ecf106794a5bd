from luoshi.core import rooms  # the module, not the class: Django takes the one AppConfig class defined here


class SupervisionConfig(rooms.AppWithRooms):
    name = "luoshi.supervision"
    verbose_name = "督查督办"
    rooms = ["luoshi.supervision.consequences.models"]
