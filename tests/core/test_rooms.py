"""An app's rooms' tables load with the app's own, under its label, without a late import in models.py."""

from pathlib import Path

from django.apps import apps

import luoshi


def test_the_rooms_tables_belong_to_their_apps_and_no_models_py_imports_them_late():
    assert {"Consequence", "ConsequenceDecision", "LeagueAdjustment"} <= {
        m.__name__ for m in apps.get_app_config("supervision").get_models()}
    assert {"Lead", "LeadStage", "Arrival"} <= {m.__name__ for m in apps.get_app_config("projects").get_models()}
    for app in ("supervision", "projects"):
        text = (Path(luoshi.__file__).parent / app / "models.py").read_text()
        assert "noqa: E402" not in text and ".consequences.models" not in text and ".pipeline.models" not in text
