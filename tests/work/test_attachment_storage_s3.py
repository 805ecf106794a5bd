"""Attachments in S3-compatible object storage (LUOSHI_S3_BUCKET, settings.STORAGES): a unit uploads one with its
progress report through the page, the object lands in the bucket under the prefix, and readers download the same
bytes through luoshi's permission-checked view. moto stands in for the object store, in process."""

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from luoshi.work.models import ProgressReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]

BUCKET = "luoshi-attachments"
# Not a text file, and not valid UTF-8: the bytes must come back exactly.
CONTENT = b"%PDF-1.4\n" + bytes(range(256)) * 40


@pytest.fixture
def bucket(settings, tmp_path):
    # An empty local media folder of its own, to show that nothing lands there (other tests store files locally).
    settings.MEDIA_ROOT = tmp_path / "media"
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        s3.create_bucket(Bucket=BUCKET)
        # The options luoshi.settings builds from LUOSHI_S3_* (tests/core/test_settings_env.py checks that mapping).
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "region_name": "us-east-1", "access_key": "testing",
                        "secret_key": "testing", "location": "media", "file_overwrite": False, "default_acl": None,
                        "querystring_auth": True},
        }}
        yield s3


def report_with_attachment(client, plan, name="纪要.pdf", content=CONTENT):
    response = client.post(f"/work/tasks/{plan.t1.pk}/report", {
        "percent": "50", "done_text": "完成洽谈", "attachments": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    return ProgressReport.objects.get().attachments.get()


def test_an_attachment_uploaded_with_a_report_is_stored_in_the_bucket_under_the_prefix(client_for, plan, bucket, settings):
    attachment = report_with_attachment(client_for("zhou_shangwu"), plan)
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [f"media/{attachment.file.name}"]
    assert attachment.file.name.startswith(f"work/reports/{plan.t1.pk}/")
    assert bucket.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == CONTENT
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))  # nothing in the local folder


def test_permitted_readers_download_the_same_bytes_through_the_page_and_others_are_refused(client_for, plan, bucket):
    attachment = report_with_attachment(client_for("zhou_shangwu"), plan)
    for username in ["zhou_shangwu", "zheng_caizheng", "sun_leader"]:  # the lead unit, a cooperating unit, the leader
        response = client_for(username).get(f"/work/attachments/{attachment.pk}/")
        assert response.status_code == 200, username
        assert b"".join(response.streaming_content) == CONTENT
        assert "attachment" in response["Content-Disposition"]
    assert client_for("ma_lixia").get(f"/work/attachments/{attachment.pk}/").status_code == 403  # another district
    assert client_for("wu_cunju").get(f"/work/attachments/{attachment.pk}/").status_code == 403  # a village reporter


def test_two_attachments_of_the_same_name_in_one_report_are_two_objects(client_for, plan, bucket):
    client = client_for("zhou_shangwu")
    second_content = b"%PDF-1.4\nsecond"
    response = client.post(f"/work/tasks/{plan.t1.pk}/report", {
        "percent": "50", "done_text": "完成洽谈",
        "attachments": [SimpleUploadedFile("纪要.pdf", CONTENT), SimpleUploadedFile("纪要.pdf", second_content)]})
    assert response.status_code == 302
    first, second = ProgressReport.objects.get().attachments.order_by("pk")
    assert first.file.name != second.file.name
    assert len(bucket.list_objects_v2(Bucket=BUCKET)["Contents"]) == 2
    assert b"".join(client.get(f"/work/attachments/{first.pk}/").streaming_content) == CONTENT
    assert b"".join(client.get(f"/work/attachments/{second.pk}/").streaming_content) == second_content
