"""One settings module, driven by environment variables (see docs/configuration.md)."""

import os
import secrets
from pathlib import Path

import dj_database_url


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LUOSHI_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


DEBUG = env_bool("LUOSHI_DEBUG", False)
# SQLite is one host by construction; any other database may have several app servers in front of it.
SHARED_DATABASE = not (os.environ.get("DATABASE_URL") or "sqlite:").startswith("sqlite:")


def _secret_key():
    """LUOSHI_SECRET_KEY, else the file LUOSHI_SECRET_KEY_FILE names; one generated into the data folder only for a
    single host (debug, or SQLite): servers sharing a database must share one key, or a session or a signed link made
    by one server is refused by the next."""
    from django.core.exceptions import ImproperlyConfigured

    key = os.environ.get("LUOSHI_SECRET_KEY", "").strip()
    key_file = os.environ.get("LUOSHI_SECRET_KEY_FILE", "").strip()
    if not key and key_file:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"无法读取 LUOSHI_SECRET_KEY_FILE 指定的密钥文件 {key_file}：{error.strerror}") from None
    production = SHARED_DATABASE and not DEBUG
    if key:
        if production and len(key) < 32:
            raise ImproperlyConfigured(
                f"密钥过短（{len(key)} 个字符）：生产环境中 LUOSHI_SECRET_KEY / LUOSHI_SECRET_KEY_FILE 的密钥至少 32 个字符，"
                "可用 python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 生成。")
        return key
    if production:
        raise ImproperlyConfigured(
            "未设置密钥：使用共享数据库（DATABASE_URL）且 LUOSHI_DEBUG=0 时，必须通过环境变量 LUOSHI_SECRET_KEY "
            "或 LUOSHI_SECRET_KEY_FILE（密钥文件路径）提供密钥。多台应用服务器必须使用同一个密钥，"
            "否则在一台服务器上的登录和签名链接到另一台服务器上会失效。")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Plain-HTTP serving (make run on 127.0.0.1) turns this off; production behind TLS keeps it on.
HTTPS = env_bool("LUOSHI_HTTPS", not DEBUG)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("LUOSHI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("LUOSHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # its own copy of Swagger UI for /api/v1/docs (instead of a CDN with inline script, which the CSP blocks)
    "luoshi.audit",
    "luoshi.orgs",
    "luoshi.holidays",  # a year's 放假安排 loaded by an administrator, read by core.workdays (docs/rules.md §3)
    "luoshi.notify",
    "luoshi.indicators",
    "luoshi.work",
    "luoshi.supervision",
    "luoshi.daily",
    "luoshi.briefings",
    "luoshi.breakdown",  # 政府工作要点落实: the year's 任务分解方案 read and imported as key work
    "luoshi.projects",
    "django_q",  # django-q2: the scheduler and workers of `luoshi worker` (luoshi/jobs, docs/architecture.md)
    "luoshi.jobs",
    "luoshi.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "luoshi.web.guards.RequestGuard",  # NUL bytes, oversized bodies, API errors as JSON, 503 while the database restarts
    "luoshi.web.replica.PinToPrimaryMiddleware",  # after a write, that browser reads from the primary a few seconds
    # The morning rush: a village's first daily report over the API skips the rest (luoshi.web.fastpath)
    "luoshi.web.fastpath.LeanSubmitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luoshi.web.passwords.OneTimePasswordMiddleware",  # a one-time password leads to the change page until changed
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luoshi.web.context.shell",
            ],
            # One Chinese number and date formatter on every page (luoshi.core.wording): no {% load %} needed.
            "builtins": ["luoshi.web.templatetags.wording"],
        },
    },
]

def _database(url):
    database = dj_database_url.parse(url, conn_max_age=int(os.environ.get("LUOSHI_DB_CONN_MAX_AGE", "60")),
                                     conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {
            # Writers queue on BEGIN IMMEDIATE instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    return database


DATABASES = {"default": _database(os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'luoshi.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-luoshi.sqlite3")}
# A streaming replica of the primary for heavy read-only pages (luoshi.core.dbrouter, docs/configuration.md "Read
# replica"). The tests mirror it onto the primary: the same test database under a second connection.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = _database(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["luoshi.core.dbrouter.ReplicaRouter"]
# After a write (any unsafe request), that browser reads from the primary this long (luoshi.web.replica).
LUOSHI_REPLICA_PIN_SECONDS = int(os.environ.get("LUOSHI_REPLICA_PIN_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# PostgreSQL: the hot statements of luoshi.core.sql are prepared once per connection (off behind old PgBouncers).
LUOSHI_DB_PREPARED = env_bool("LUOSHI_DB_PREPARED", True)

# Per-process memory cache: only site flags (web.models.SiteFlag, 30 s; the demo banner), which need no sharing
# between app servers (docs/architecture.md "Several app servers").
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 200}}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's rule with a Chinese message (its zh_Hans catalog leaves this one in English)
    {"NAME": "luoshi.web.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock the pair (username, address) after repeated failures, so nobody can lock `leader` out from another PC
# (luoshi.web.signin); an administrator can unlock with `luoshi axes_reset_username NAME`.
AXES_FAILURE_LIMIT = int(os.environ.get("LUOSHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LUOSHI_LOGIN_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Reverse proxies in front of luoshi whose X-Forwarded-For is trusted (0: use the connection's address).
LUOSHI_TRUSTED_PROXIES = int(os.environ.get("LUOSHI_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "luoshi.web.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "luoshi.web.signin.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Indicator lights and 双过半 (docs/rules.md §2); kept as strings, read as Decimal by indicators.queries.thresholds.
LUOSHI_INDICATOR_RED_GAP = os.environ.get("LUOSHI_INDICATOR_RED_GAP", "-10")
LUOSHI_INDICATOR_RED_GROWTH_GAP = os.environ.get("LUOSHI_INDICATOR_RED_GROWTH_GAP", "-2")
LUOSHI_INDICATOR_HALF_HALF = os.environ.get("LUOSHI_INDICATOR_HALF_HALF", "50")

# 督查督办 sweep (supervision.sweep): remind a milestone this many working days before its due date (comma-separated).
LUOSHI_REMIND_BEFORE_DAYS = os.environ.get("LUOSHI_REMIND_BEFORE_DAYS", "7,3")
# Each process checks the stored 放假安排 (luoshi.holidays) at most this often: a year loaded counts everywhere within it.
LUOSHI_HOLIDAY_CHECK_SECONDS = int(os.environ.get("LUOSHI_HOLIDAY_CHECK_SECONDS", "30"))

# Jobs that run by themselves (`luoshi worker`, luoshi/jobs, docs/configuration.md): minutes between runs, or a
# daily HH:MM; "off" switches a job off. Checked by luoshi.jobs.checks (a bad value stops migrate and the server).
LUOSHI_JOB_JUDGE_AT = os.environ.get("LUOSHI_JOB_JUDGE_AT", "00:05")
LUOSHI_JOB_DISPATCH_EVERY = os.environ.get("LUOSHI_JOB_DISPATCH_EVERY", "1")
LUOSHI_JOB_DAILY_REMIND_EVERY = os.environ.get("LUOSHI_JOB_DAILY_REMIND_EVERY", "5")
LUOSHI_JOB_SWEEP_AT = os.environ.get("LUOSHI_JOB_SWEEP_AT", "07:30")
LUOSHI_JOB_BRIEFINGS_REMIND_AT = os.environ.get("LUOSHI_JOB_BRIEFINGS_REMIND_AT", "08:00")
LUOSHI_JOB_INPUTS_REMIND_AT = os.environ.get("LUOSHI_JOB_INPUTS_REMIND_AT", "08:30")
LUOSHI_WORKER_PROCESSES = os.environ.get("LUOSHI_WORKER_PROCESSES", "1")
# django-q2 over the database (no Redis). A task runs at most 30 minutes; one not acknowledged within `retry` is
# delivered again, which the JobRun claim turns into a no-op. No catch-up of missed runs: the next one is enough.
Q_CLUSTER = {
    "name": "luoshi",
    "orm": "default",
    "workers": int(LUOSHI_WORKER_PROCESSES) if LUOSHI_WORKER_PROCESSES.strip().isdigit() else 1,
    "timeout": 1800,
    "retry": 1860,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "poll": 1,
    "save_limit": 250,
    "label": "定时任务",
    "log_level": os.environ.get("LUOSHI_WORKER_LOG_LEVEL", "WARNING"),
}

# Messages (luoshi/notify, docs/configuration.md "Messages"): robots' allowed hosts, retry waits, robots' rate, e-mail.
LUOSHI_WEBHOOK_HOSTS = os.environ.get("LUOSHI_WEBHOOK_HOSTS", "qyapi.weixin.qq.com,oapi.dingtalk.com")
LUOSHI_NOTIFY_RETRY_MINUTES = os.environ.get("LUOSHI_NOTIFY_RETRY_MINUTES", "1,5,30,120,360")
LUOSHI_ROBOT_PER_MINUTE = os.environ.get("LUOSHI_ROBOT_PER_MINUTE", "20")
LUOSHI_BASE_URL = os.environ.get("LUOSHI_BASE_URL", "")
EMAIL_BACKEND = os.environ.get("LUOSHI_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("LUOSHI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("LUOSHI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("LUOSHI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LUOSHI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LUOSHI_EMAIL_STARTTLS", False)
EMAIL_USE_SSL = env_bool("LUOSHI_EMAIL_SSL", False)
EMAIL_TIMEOUT = 5
DEFAULT_FROM_EMAIL = os.environ.get("LUOSHI_EMAIL_FROM", "luoshi@localhost")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    # Attachments: the data folder's media/ on one host; S3-compatible object storage when several servers share
    # them (LUOSHI_S3_*, docs/configuration.md). Downloads always go through luoshi's permission-checked views.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if os.environ.get("LUOSHI_S3_BUCKET"):
    _s3_endpoint = os.environ.get("LUOSHI_S3_ENDPOINT_URL") or None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["LUOSHI_S3_BUCKET"],
            "endpoint_url": _s3_endpoint,
            "region_name": os.environ.get("LUOSHI_S3_REGION") or "us-east-1",
            # unset: boto3's usual chain (environment, ~/.aws, instance role)
            "access_key": os.environ.get("LUOSHI_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("LUOSHI_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("LUOSHI_S3_PREFIX", "media"),
            "addressing_style": os.environ.get("LUOSHI_S3_ADDRESSING_STYLE") or ("path" if _s3_endpoint else None),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp, docs/configuration.md): scripts only from this site's files, no inline script,
# nothing from other hosts. Styles allow 'unsafe-inline' because ECharts writes its tooltips as HTML with style
# attributes (as do Swagger UI and a few templates); an inline style cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = env_bool("LUOSHI_SSL_REDIRECT", False)

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Import limits (core.limits, docs/configuration.md): checked before a file is read.
LUOSHI_MAX_UPLOAD_MB = int(os.environ.get("LUOSHI_MAX_UPLOAD_MB", "20"))
LUOSHI_MAX_UPLOAD_UNZIPPED_MB = int(os.environ.get("LUOSHI_MAX_UPLOAD_UNZIPPED_MB", "100"))
LUOSHI_MAX_UPLOAD_RATIO = int(os.environ.get("LUOSHI_MAX_UPLOAD_RATIO", "100"))
LUOSHI_MAX_UPLOAD_ROWS = int(os.environ.get("LUOSHI_MAX_UPLOAD_ROWS", "200000"))
LUOSHI_MAX_UPLOAD_COLUMNS = int(os.environ.get("LUOSHI_MAX_UPLOAD_COLUMNS", "200"))
LUOSHI_MAX_UPLOAD_CELLS = int(os.environ.get("LUOSHI_MAX_UPLOAD_CELLS", "1000000"))
LUOSHI_MAX_UPLOAD_MERGED = int(os.environ.get("LUOSHI_MAX_UPLOAD_MERGED", "50000"))
LUOSHI_MAX_UPLOAD_TEXT = int(os.environ.get("LUOSHI_MAX_UPLOAD_TEXT", "5000000"))
LUOSHI_MAX_UPLOAD_MEMBERS = int(os.environ.get("LUOSHI_MAX_UPLOAD_MEMBERS", "10000"))
LUOSHI_MAX_UPLOAD_SECONDS = int(os.environ.get("LUOSHI_MAX_UPLOAD_SECONDS", "10"))
# A file past LUOSHI_MAX_UPLOAD_MB is read from the request and dropped, not kept in memory or on disk.
FILE_UPLOAD_HANDLERS = ["luoshi.core.uploads.LimitedUploadHandler",
                        "django.core.files.uploadhandler.MemoryFileUploadHandler",
                        "django.core.files.uploadhandler.TemporaryFileUploadHandler"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LUOSHI_LOG_LEVEL", "WARNING")},
    # an expected refusal (PermissionDenied, 403) is one line, not a traceback (luoshi.web.logfilters)
    "filters": {"expected_403": {"()": "luoshi.web.logfilters.ExpectedForbidden"}},
    "loggers": {"django.request": {"filters": ["expected_403"]}},
}
