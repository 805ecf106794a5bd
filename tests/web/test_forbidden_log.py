"""An expected refusal (PermissionDenied → 403) is one line in the server log, not a traceback."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def test_a_403_is_logged_as_one_line_with_who_what_and_why(client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for("wu_cunju").get("/audit/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and record.exc_text is None
    line = record.getMessage()
    assert line == "拒绝访问 403：GET /audit/（用户 wu_cunju）：此操作仅限系统管理员"
    assert "Traceback" not in caplog.text and "\n" not in line


def test_a_server_error_keeps_its_traceback(client_for, caplog, monkeypatch):
    from luoshi.web import audit_log

    def broken(*args, **kwargs):
        raise RuntimeError("坏了")

    monkeypatch.setattr(audit_log, "annotate", broken)
    client = client_for("wang_admin")
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert client.get("/audit/").status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)
