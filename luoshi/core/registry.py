"""Importers and exporters by name, for `luoshi import KIND FILE` and `luoshi export KIND FILE`.

Each domain app registers its importers in its `transfers.py` module and its exporters in its `exports.py`, both found
by autodiscovery. An importer is called as importer(path_or_bytes, filename=..., actor=user_or_None) and returns a
short summary string, or raises luoshi.core.problems.Rejected. An exporter is called as
exporter(actor=user_or_None) and returns an Export of what the actor may see (everything for None, the server's
command line); pages call the same function with their user.
"""

IMPORTERS: dict = {}
EXPORTERS: dict = {}


def register_importer(kind, description):
    def decorate(func):
        IMPORTERS[kind] = (func, description)
        return func

    return decorate


def register_exporter(kind, description):
    def decorate(func):
        EXPORTERS[kind] = (func, description)
        return func

    return decorate


def discover():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("transfers", "exports")
