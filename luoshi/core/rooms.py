"""An app whose rooms keep tables of their own (supervision/consequences, projects/pipeline): the app's config names
them, and Django loads them with the app's models.py, under the app's label and migrations. One place composes the
app's tables; no models.py imports a room's at its bottom."""

from importlib import import_module

from django.apps import AppConfig


class AppWithRooms(AppConfig):
    rooms: list = []  # dotted paths of the rooms' models modules

    def import_models(self):
        super().import_models()
        for module in self.rooms:
            import_module(module)
