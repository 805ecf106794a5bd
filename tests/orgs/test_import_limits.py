"""The import pages and the CLI within the limits: a file over the upload limit answers in Chinese and is not kept;
a rejected file lists at most 200 problems; an oversized form answers a Chinese page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from luoshi.core.problems import Rejected
from luoshi.indicators.models import Figure
from luoshi.orgs.models import Region, Unit

HEADER = "代码,名称,类别,上级代码\n"
GOOD = "370115002,济北街道,乡镇(街道),370115\n"


def big_csv(megabytes):
    """A valid organisation sheet padded to `megabytes` MB with lines of spaces (blank rows, read as nothing)."""
    head = (HEADER + GOOD).encode()
    line = b" " * 8191 + b"\n"
    size = megabytes * 1024 * 1024 - len(head)
    return head + line * (size // len(line)) + b" " * (size % len(line))


def test_a_21_mb_upload_to_the_organisation_import_is_refused_in_chinese_and_nothing_is_saved(client_for, cast):
    client = client_for("wang_admin")
    response = client.post("/orgs/import/", {"file": SimpleUploadedFile("orgs.csv", big_csv(21))})
    assert response.status_code == 400
    assert "文件过大（21 MB），上限为 20 MB。" in response.content.decode()
    assert not Region.objects.filter(code="370115002").exists()


def test_a_file_just_under_the_limit_is_imported(client_for, cast):
    client = client_for("wang_admin")
    response = client.post("/orgs/import/", {"file": SimpleUploadedFile("orgs.csv", big_csv(19))}, follow=True)
    assert "已导入" in response.content.decode()
    assert Region.objects.get(code="370115002").name == "济北街道"


def test_a_21_mb_upload_to_the_indicator_import_is_refused_in_chinese(client_for, cast):
    client = client_for("qian_tongji")
    head = "地区代码,指标代码,期间,累计值\n370115,gdp,2020年1-3月,100\n".encode()
    padding = (b" " * 8191 + b"\n") * (21 * 128)
    response = client.post("/indicators/import/", {"kind": "indicators", "file": SimpleUploadedFile("f.csv", head + padding)})
    assert response.status_code == 400
    assert "文件过大（21 MB），上限为 20 MB。" in response.content.decode()
    assert not Figure.objects.exists()


def test_the_limit_is_a_setting(client_for, cast, settings):
    settings.LUOSHI_MAX_UPLOAD_MB = 1
    client = client_for("wang_admin")
    response = client.post("/orgs/import/", {"file": SimpleUploadedFile("orgs.csv", big_csv(2))})
    assert "文件过大（2 MB），上限为 1 MB。" in response.content.decode()


def test_a_form_field_over_djangos_limit_answers_a_chinese_page(client_for, cast):
    client = client_for("wang_admin")
    response = client.post("/orgs/import/", {"note": "x" * (21 * 1024 * 1024),
                                             "file": SimpleUploadedFile("orgs.csv", (HEADER + GOOD).encode())})
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()
    assert not Region.objects.filter(code="370115002").exists()


def test_a_sheet_with_250_bad_rows_lists_200_problems_and_counts_the_rest(client_for, cast):
    client = client_for("wang_admin")
    rows = "".join(f"370115{n:03d},,乡镇(街道),370115\n" for n in range(100, 350))
    response = client.post("/orgs/import/", {"file": SimpleUploadedFile("orgs.csv", (HEADER + rows).encode())})
    body = response.content.decode()
    assert response.status_code == 400
    assert "共 250 个问题" in body
    assert body.count("<li>") == 201
    assert "第201行「名称」列：名称不能为空" in body and "第202行" not in body
    assert "另有 50 处问题未列出" in body


def test_rejected_keeps_200_problems_and_one_line_for_the_rest():
    rejected = Rejected([f"问题{n}" for n in range(1, 150_660)])
    assert rejected.total == 150_659
    assert len(rejected.problems) == len(rejected.messages) == 201
    assert rejected.messages[199] == "问题200"
    assert rejected.messages[-1] == "另有 150459 处问题未列出，请先改正以上问题后再导入"
    assert rejected.messages.total == 150_659
    assert len(Rejected(["一", "二"]).messages) == 2


def test_the_cli_refuses_a_file_over_the_limit_with_exit_status_1(tmp_path, cast, settings, capsys):
    settings.LUOSHI_MAX_UPLOAD_MB = 1
    path = tmp_path / "orgs.csv"
    path.write_bytes(big_csv(2))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "orgs", str(path))
    assert exit_info.value.code == 1
    assert "文件过大（2 MB），上限为 1 MB。" in capsys.readouterr().err
    assert not Unit.objects.filter(code="370115002").exists() and not Region.objects.filter(code="370115002").exists()


def test_the_cli_counts_every_problem_and_lists_200(tmp_path, cast, capsys):
    path = tmp_path / "orgs.csv"
    path.write_text(HEADER + "".join(f"370115{n:03d},,乡镇(街道),370115\n" for n in range(100, 350)), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import", "orgs", str(path))
    err = capsys.readouterr().err
    assert "共 250 个问题" in err and err.count("  - ") == 201 and "另有 50 处问题未列出" in err
