"""Every write to the organisation goes through these functions (atomic, audited)."""

import atexit
import secrets
import threading
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core.problems import Rejected
from luoshi.core.sql import columns_of, hot_cursor, model_from_row
from luoshi.orgs.models import AccountState, ApiToken, Person, Region, RoleAssignment, Unit

REGION_FIELDS = ["code", "name", "level", "parent"]
UNIT_FIELDS = ["code", "name", "short_name", "kind", "region"]


def _upsert(model, fields, actor, lookup, values, label):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        record(actor, f"新增{label}", obj, after=snapshot(obj, fields))
        return obj, "created"
    before = snapshot(obj, fields)
    for key, value in values.items():
        setattr(obj, key, value)
    after = snapshot(obj, fields)
    if after == before:
        return obj, "unchanged"
    obj.save()
    record(actor, f"修改{label}", obj, before=before, after=after)
    return obj, "updated"


def length_problems(model, values):
    """Chinese messages for the texts longer than their columns: values maps field → (label, text)."""
    problems = []
    for field, (label, value) in values.items():
        limit = model._meta.get_field(field).max_length
        if value and len(value) > limit:
            problems.append(f"{label}最长{limit}个字符，填写了{len(value)}个")
    return problems


@transaction.atomic
def save_region(actor, *, code, name, level, parent=None):
    return _upsert(Region, REGION_FIELDS, actor, {"code": code}, {"name": name, "level": level, "parent": parent}, "地区")


@transaction.atomic
def save_unit(actor, *, code, name, kind, region, short_name=""):
    return _upsert(Unit, UNIT_FIELDS, actor, {"code": code}, {"name": name, "kind": kind, "region": region, "short_name": short_name}, "单位")


@transaction.atomic
def save_person(actor, *, name, title="", unit=None, user=None, phone=""):
    lookup = {"user": user} if user is not None else {"name": name, "unit": unit}
    return _upsert(Person, ["name", "title", "unit", "user", "phone"], actor, lookup,
                   {"name": name, "title": title, "unit": unit, "phone": phone}, "人员")


@transaction.atomic
def create_account(actor, *, username, password, full_name="", email=""):
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise Rejected(f"账号 {username} 已存在")
    user = User(username=username, email=email, first_name=full_name)
    user.set_password(password)
    user.save()
    record(actor, "新增账号", user, after={"username": username, "full_name": full_name})
    return user


@transaction.atomic
def set_password(actor, user, password):
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, "重置密码", user)


# A one-time password is read aloud or copied by hand: no 0/O, 1/l/I.
ONE_TIME_CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password(length=12):
    return "".join(secrets.choice(ONE_TIME_CHARS) for _ in range(length))


@transaction.atomic
def reset_password(actor, user):
    """An administrator of the person (orgs.access.check_account) resets the password: a one-time password
    (returned, shown once, never stored in clear nor in the audit log) that signs in once and must then be
    changed. Every API token of the person is revoked and every session of theirs ends (deleted; Django's session
    hash follows the password too)."""
    from luoshi.orgs.access import check_account

    check_account(actor, user)
    raw = one_time_password()
    user.set_password(raw)
    user.save(update_fields=["password"])
    AccountState.objects.update_or_create(user=user, defaults={
        "must_change_password": True, "password_reset_at": timezone.now(), "password_reset_by": actor})
    tokens = [revoke_api_token(actor, token) for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True)]
    sessions = end_sessions(user)
    record(actor, "重置密码", user, after={"must_change_password": True, "tokens_revoked": len(tokens),
                                          "sessions_ended": sessions},
           note=f"为 {user.get_full_name() or user.username} 生成一次性密码，首次登录须修改")
    return raw


def end_sessions(user):
    """Delete every session of the user (sessions live in the database and are signed, not indexed by user: the
    unexpired ones are read; with a 12-hour session that is about the people who signed in today). Returns how
    many ended."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()
    user_id, decoder = str(user.pk), store()
    ended = 0
    for key, data in model.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data").iterator():
        if str(decoder.decode(data).get(SESSION_KEY)) == user_id:
            store(session_key=key).delete()
            ended += 1
    return ended


@transaction.atomic
def spend_one_time_password(user):
    """The first sign-in with a one-time password uses it up: from then on it signs nobody in, and the person
    stays signed in on that one session, held on the change page until they choose a password. False when
    another sign-in spent it first (two at once): that one keeps it, this one must not."""
    User = get_user_model()
    unusable = User(password=user.password)
    unusable.set_unusable_password()
    if not User.objects.filter(pk=user.pk, password=user.password).update(password=unusable.password):
        return False
    user.password = unusable.password
    record(user, "使用一次性密码登录", user, note="一次性密码已失效，须设置新密码")
    return True


def must_change_password(user):
    return AccountState.objects.filter(user=user, must_change_password=True).exists()


@transaction.atomic
def password_changed(user):
    """The person chose a new password: the one-time password no longer binds them."""
    if AccountState.objects.filter(user=user, must_change_password=True).update(must_change_password=False):
        record(user, "修改密码", user, before={"must_change_password": True}, after={"must_change_password": False})
    else:
        record(user, "修改密码", user)


@transaction.atomic
def assign_role(actor, *, user, role, region=None, unit=None):
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, region=region, unit=unit)
    if created:
        record(actor, "授予角色", assignment, after={"user": user.username, "role": role,
                                                 "region": region.code if region else None, "unit": unit.code if unit else None})
    if hasattr(user, "_luoshi_access"):
        del user._luoshi_access
    return assignment


def _by_person(actor):
    """Whether a signed-in person acts (checked by orgs.access), not the server itself (actor None: the command
    line, the demo)."""
    return getattr(actor, "is_authenticated", False)


@transaction.atomic
def remove_role(actor, assignment):
    if _by_person(actor):
        from luoshi.orgs.access import check_role

        check_role(actor, assignment.user, assignment.role, assignment.region, assignment.unit)
    before = {"user": assignment.user.username, "role": assignment.role, "region": assignment.region_id, "unit": assignment.unit_id}
    record(actor, "撤销角色", assignment, before=before)
    assignment.delete()


@transaction.atomic
def create_api_token(actor, user, name):
    """Returns (token, raw). The raw token is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise Rejected("请填写令牌名称（例如：统计数据同步脚本）")
    if len(name) > 100:
        raise Rejected("令牌名称不能超过100个字")
    raw = "ls_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], digest=ApiToken.digest_of(raw))
    record(actor, "创建API令牌", token, after={"name": name, "prefix": token.prefix, "user": user.username})
    return token, raw


@transaction.atomic
def revoke_api_token(actor, token):
    if token.revoked_at:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "吊销API令牌", token, before={"revoked_at": None}, after={"revoked_at": token.revoked_at})
    return token


_token_sqls = {}


def _token_sql():
    """Every API call looks its token up, so the statement is fixed text (luoshi.core.sql), with the user joined."""
    from django.db import connection

    sql = _token_sqls.get(connection.vendor)
    if sql is None:
        User = get_user_model()
        sql = _token_sqls[connection.vendor] = (
            f"SELECT {columns_of(ApiToken, 't')}, {columns_of(User, 'u')}, "
            f"COALESCE(s.must_change_password, %s) FROM {ApiToken._meta.db_table} t "
            f"JOIN {User._meta.db_table} u ON u.{User._meta.pk.column} = t.user_id "
            f"LEFT JOIN {AccountState._meta.db_table} s ON s.user_id = t.user_id WHERE t.digest = %s")
    return sql


# A token works only for a person free to use the site: not while a one-time password waits to be changed
# (web.passwords). A reset revokes the person's tokens anyway; this also covers one made afterwards.
MUST_CHANGE_FOR_API = "该 API 令牌所属账号的密码已由管理员重置，须先在网页上修改密码，之后才能使用 API"


def user_for_token(raw):
    """The active user behind a raw token, or None (missing, unknown, revoked, inactive). PermissionDenied while
    the person must change a one-time password."""
    if not raw:
        return None
    with hot_cursor() as cursor:
        cursor.execute(_token_sql(), [False, ApiToken.digest_of(raw.strip())])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(ApiToken._meta.concrete_fields)
    token = model_from_row(ApiToken, row[:split])
    token.user = model_from_row(get_user_model(), row[split:-1])
    if token.revoked_at is not None or not token.user.is_active:
        return None
    if row[-1]:
        raise PermissionDenied(MUST_CHANGE_FOR_API)
    note_token_use(token.pk, token.last_used_at, timezone.now())
    return token.user


def token_user_sql():
    """SQL (one %s: the raw token's digest, ApiToken.digest_of) selecting the user behind a usable token — not
    revoked, account active, no one-time password waiting to be changed: the rule of user_for_token — as user_id,
    label (the audit trail's actor label, as audit.services.new_entry writes it), token_id and last_used_at; no row
    otherwise. For a PostgreSQL statement that authenticates and writes at once (the daily submission); it must then
    call note_token_use."""
    User = get_user_model()
    return (f"SELECT u.{User._meta.pk.column} AS user_id, "
            "LEFT(COALESCE(NULLIF(BTRIM(u.first_name || ' ' || u.last_name), ''), u.username), 150) AS label, "
            f"t.id AS token_id, t.last_used_at FROM {ApiToken._meta.db_table} t "
            f"JOIN {User._meta.db_table} u ON u.{User._meta.pk.column} = t.user_id "
            "WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active AND NOT EXISTS (SELECT 1 FROM "
            f"{AccountState._meta.db_table} s WHERE s.user_id = t.user_id AND s.must_change_password)")


# Last-used times are kept per process and written together, at most once every LAST_USED_FLUSH_SECONDS, instead
# of one UPDATE (and one more commit) on every API call: most tokens belong to village reporters who call once a
# day, so the per-call write cost them a whole extra commit. The tokens page may lag by that much; the lookup and
# revocation are never cached.
LAST_USED_FLUSH_SECONDS = 30
_token_use = {}
_token_use_lock = threading.Lock()
_token_use_flushed = [time.monotonic()]


def note_token_use(token_id, last_used_at, now):
    """Remember that a token was used now; written with the others by flush_token_use."""
    if last_used_at is not None and (now - last_used_at).total_seconds() <= 60:
        return
    _token_use[token_id] = now
    if time.monotonic() - _token_use_flushed[0] >= LAST_USED_FLUSH_SECONDS:
        flush_token_use()


def flush_token_use():
    """Write the last-used times noted in this process. Returns how many tokens were written."""
    with _token_use_lock:
        pending = dict(_token_use)
        _token_use.clear()
        _token_use_flushed[0] = time.monotonic()
    if not pending:
        return 0
    from django.db import connection

    if connection.vendor == "postgresql":
        # One linear statement for any number of tokens (bulk_update's CASE is quadratic in the batch size, and
        # in the morning rush thousands of reporters' tokens are noted every half minute). Several app servers
        # flush in any order: a later time is never replaced by an earlier one.
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {ApiToken._meta.db_table} t SET last_used_at = u.at "
                           "FROM unnest(%s::bigint[], %s::timestamptz[]) AS u(id, at) WHERE t.id = u.id "
                           "AND (t.last_used_at IS NULL OR t.last_used_at < u.at)",
                           [list(pending), list(pending.values())])
    else:
        ApiToken.objects.bulk_update([ApiToken(pk=pk, last_used_at=at) for pk, at in pending.items()], ["last_used_at"],
                                     batch_size=500)
    return len(pending)


@atexit.register
def _flush_token_use_at_exit():
    try:
        flush_token_use()
    except Exception:  # the database may already be gone at exit; last-used times are a convenience
        pass


def resolve_scope(role, scope_code):
    """The (region, unit) a role is scoped to, from a code; Rejected in Chinese when it does not fit."""
    from luoshi.orgs.models import REGION_ROLES, Role, UnitKind

    scope_code = (scope_code or "").strip()
    if role not in Role.values:
        raise Rejected(f"未知的角色：{role}（可选：{'、'.join(f'{v}（{label}）' for v, label in Role.choices)}）")
    if role in REGION_ROLES:
        if not scope_code:
            if role == Role.ADMIN:
                return None, None
            raise Rejected(f"{Role(role).label}角色必须指定范围（地区代码）")
        region = Region.objects.filter(code=scope_code).first()
        if region is None:
            raise Rejected(f"地区 {scope_code} 不存在")
        return region, None
    unit = Unit.objects.filter(code=scope_code).first() if scope_code else None
    if unit is None:
        raise Rejected(f"{Role(role).label}角色必须指定一个存在的单位代码" + (f"（{scope_code} 不存在）" if scope_code else ""))
    if role == Role.REPORTER and unit.kind != UnitKind.VILLAGE:
        raise Rejected(f"村居填报员只能对应村（社区）委员会，{unit.name} 不是")
    return None, unit


@transaction.atomic
def grant_role(actor, user, role, scope_code):
    region, unit = resolve_scope(role, scope_code)
    if _by_person(actor):
        from luoshi.orgs.access import check_role

        check_role(actor, user, role, region, unit)
    return assign_role(actor, user=user, role=role, region=region, unit=unit)


@transaction.atomic
def add_person_with_account(actor, *, username, password, full_name, title="", unit_code="", role="", scope_code=""):
    """An account, its person (name, title, unit) and optionally one role, all or nothing."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    import re

    from django.contrib.auth.validators import UnicodeUsernameValidator

    problems = []
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    title = (title or "").strip()
    username_limit = get_user_model()._meta.get_field("username").max_length
    if not username:
        problems.append("请填写用户名")
    elif len(username) > username_limit or not re.fullmatch(UnicodeUsernameValidator.regex, username):
        problems.append(f"用户名最长{username_limit}个字符，只能包含字母、数字和 @ . + - _")
    elif get_user_model().objects.filter(username=username).exists():
        problems.append(f"账号 {username} 已存在")
    if not full_name:
        problems.append("请填写姓名")
    problems += length_problems(Person, {"name": ("姓名", full_name), "title": ("职务", title)})
    unit = None
    if unit_code:
        unit = Unit.objects.filter(code=unit_code.strip()).first()
        if unit is None:
            problems.append(f"单位 {unit_code} 不存在")
    try:
        validate_password(password or "")
    except ValidationError as error:
        problems.extend(error.messages)
    scope = (None, None)
    if role:
        try:
            scope = resolve_scope(role, scope_code)
        except Rejected as rejected:
            problems.extend(rejected.messages)
    if problems:
        raise Rejected(problems)
    if _by_person(actor):
        from luoshi.orgs.access import check_new_person

        check_new_person(actor, unit, role, *scope)
    user = create_account(actor, username=username, password=password, full_name=full_name)
    save_person(actor, name=full_name, title=title, unit=unit, user=user)
    if role:
        grant_role(actor, user, role, scope_code)
    return user


@transaction.atomic
def set_active(actor, user, active):
    if _by_person(actor):
        from luoshi.orgs.access import check_account

        check_account(actor, user)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(actor, "启用账号" if active else "停用账号", user, before={"is_active": not active}, after={"is_active": active})
    return user
