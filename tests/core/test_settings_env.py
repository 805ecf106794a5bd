"""Settings read from the environment at start (luoshi/settings.py), each case in a fresh Python process: the secret
key several app servers must share, S3-compatible storage for attachments, the read replica."""

import json
import os
import stat
import subprocess
import sys

SHOW = ("import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'key': s.SECRET_KEY, 'storage': s.STORAGES['default'], 'databases': sorted(s.DATABASES), "
        "'replica': s.DATABASES.get('replica'), 'pin': s.LUOSHI_REPLICA_PIN_SECONDS}, default=str))")
POSTGRES = "postgres://luoshi@127.0.0.1:9/luoshi"  # never connected to: settings only
KEY = "k" * 20 + "-shared-by-every-server-0123456789"
OURS = ("LUOSHI_SECRET_KEY", "LUOSHI_SECRET_KEY_FILE", "DATABASE_URL", "DATABASE_REPLICA_URL", "LUOSHI_DEBUG",
        "LUOSHI_REPLICA_PIN_SECONDS")


def start(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in OURS and not k.startswith("LUOSHI_S3_")}
    clean.update(LUOSHI_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="luoshi.settings", **env)
    return subprocess.run([sys.executable, "-c", SHOW], env=clean, capture_output=True, text=True, timeout=60)


def started(tmp_path, **env):
    result = start(tmp_path, **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_a_server_on_a_shared_database_without_a_key_refuses_to_start_and_says_why(tmp_path):
    result = start(tmp_path, DATABASE_URL=POSTGRES)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert "LUOSHI_SECRET_KEY" in message and "LUOSHI_SECRET_KEY_FILE" in message
    assert "多台应用服务器必须使用同一个密钥" in message
    assert not (tmp_path / "data" / "secret_key").exists()  # no per-host key made behind one's back


def test_the_luoshi_command_refuses_too(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    env.update(LUOSHI_DATA_DIR=str(tmp_path), DATABASE_URL=POSTGRES)
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "luoshi"), "check"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "未设置密钥" in result.stderr


def test_a_shared_database_server_starts_with_the_key_from_the_environment(tmp_path):
    assert started(tmp_path, DATABASE_URL=POSTGRES, LUOSHI_SECRET_KEY=KEY)["key"] == KEY


def test_a_shared_database_server_starts_with_the_key_from_a_file_without_its_newline(tmp_path):
    key_file = tmp_path / "luoshi.key"
    key_file.write_text(KEY + "\n")
    assert started(tmp_path, DATABASE_URL=POSTGRES, LUOSHI_SECRET_KEY_FILE=f" {key_file} ")["key"] == KEY


def test_a_missing_key_file_or_a_short_key_is_refused_in_production(tmp_path):
    missing = start(tmp_path, DATABASE_URL=POSTGRES, LUOSHI_SECRET_KEY_FILE=str(tmp_path / "nowhere.key"))
    assert missing.returncode != 0 and "无法读取 LUOSHI_SECRET_KEY_FILE" in missing.stderr
    short = start(tmp_path, DATABASE_URL=POSTGRES, LUOSHI_SECRET_KEY="short-key")
    assert short.returncode != 0 and "密钥过短（9 个字符）" in short.stderr and "至少 32 个字符" in short.stderr


def test_one_host_keeps_its_generated_key_in_the_data_folder(tmp_path):
    first = started(tmp_path)["key"]  # SQLite, the default: one host by construction
    path = tmp_path / "data" / "secret_key"
    assert path.read_text().strip() == first and len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert started(tmp_path)["key"] == first
    assert started(tmp_path, DATABASE_URL=POSTGRES, LUOSHI_DEBUG="1")["key"] == first  # debug: a developer's machine


def test_attachments_stay_in_the_data_folder_unless_a_bucket_is_given(tmp_path):
    assert started(tmp_path)["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_puts_attachments_in_s3_compatible_storage_with_the_given_options(tmp_path):
    storage = started(tmp_path, LUOSHI_S3_BUCKET="luoshi", LUOSHI_S3_ENDPOINT_URL="http://127.0.0.1:9000",
                      LUOSHI_S3_ACCESS_KEY_ID="AKID", LUOSHI_S3_SECRET_ACCESS_KEY="SECRET",
                      LUOSHI_S3_PREFIX="jiyang/media")["storage"]
    assert storage == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "luoshi", "endpoint_url": "http://127.0.0.1:9000", "region_name": "us-east-1",
        "access_key": "AKID", "secret_key": "SECRET", "location": "jiyang/media", "addressing_style": "path",
        "file_overwrite": False, "default_acl": None, "querystring_auth": True}}
    aws = started(tmp_path, LUOSHI_S3_BUCKET="luoshi", LUOSHI_S3_REGION="cn-north-1")["storage"]["OPTIONS"]
    # No endpoint (AWS itself): virtual-hosted addressing, and boto3's own credential chain.
    assert (aws["endpoint_url"], aws["addressing_style"], aws["access_key"], aws["secret_key"], aws["region_name"],
            aws["location"]) == (None, None, None, None, "cn-north-1", "media")


def test_a_replica_url_adds_the_replica_alias_mirrored_in_tests(tmp_path):
    assert started(tmp_path)["databases"] == ["default"]
    shown = started(tmp_path, DATABASE_URL=POSTGRES, LUOSHI_SECRET_KEY=KEY, LUOSHI_REPLICA_PIN_SECONDS="8",
                    DATABASE_REPLICA_URL="postgres://reader@10.0.0.2:5432/luoshi")
    assert shown["databases"] == ["default", "replica"] and shown["pin"] == 8
    replica = shown["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"], replica["TEST"]["MIRROR"]) == (
        "10.0.0.2", "reader", "luoshi", "default")
    assert replica["CONN_HEALTH_CHECKS"] is True
