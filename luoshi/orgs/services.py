"""Every write to the organisation goes through these functions (atomic, audited)."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core.problems import Rejected
from luoshi.orgs.models import ApiToken, Person, Region, RoleAssignment, Unit

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


@transaction.atomic
def assign_role(actor, *, user, role, region=None, unit=None):
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, region=region, unit=unit)
    if created:
        record(actor, "授予角色", assignment, after={"user": user.username, "role": role,
                                                 "region": region.code if region else None, "unit": unit.code if unit else None})
    if hasattr(user, "_luoshi_access"):
        del user._luoshi_access
    return assignment


@transaction.atomic
def remove_role(actor, assignment):
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


def user_for_token(raw):
    """The active user behind a raw token, or None (missing, unknown, revoked, inactive)."""
    if not raw:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw.strip())).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
