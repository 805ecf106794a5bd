import hashlib

from django.conf import settings
from django.db import models


class RegionLevel(models.TextChoices):
    CITY = "city", "市"
    COUNTY = "county", "县级"
    TOWN = "town", "乡镇(街道)"
    VILLAGE = "village", "村(社区)"


# Length of the national administrative division code at each level, and how many leading digits
# a region's descendants share with it (济南市 370100 → 3701xx; 济阳区 370115 → 370115xxx...).
CODE_LENGTH = {RegionLevel.CITY: 6, RegionLevel.COUNTY: 6, RegionLevel.TOWN: 9, RegionLevel.VILLAGE: 12}
PREFIX_LENGTH = {RegionLevel.CITY: 4, RegionLevel.COUNTY: 6, RegionLevel.TOWN: 9, RegionLevel.VILLAGE: 12}
PARENT_LEVEL = {RegionLevel.COUNTY: RegionLevel.CITY, RegionLevel.TOWN: RegionLevel.COUNTY, RegionLevel.VILLAGE: RegionLevel.TOWN}


class Region(models.Model):
    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "地区"

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def prefix(self):
        return self.code[: PREFIX_LENGTH[self.level]]

    def contains(self, other):
        return other.code.startswith(self.prefix) and len(other.code) >= len(self.code)

    def peers(self):
        """The other regions with the same parent and level (a district's peers in its city)."""
        return Region.objects.filter(parent_id=self.parent_id, level=self.level).exclude(pk=self.pk)


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", "区直部门"
    TOWNSHIP = "township", "镇街政府"
    VILLAGE = "village", "村居委会"
    OFFICE = "office", "机关办公室"


class Unit(models.Model):
    code = models.CharField("单位代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类别", max_length=12, choices=UnitKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="units", verbose_name="所属地区")

    class Meta:
        ordering = ["region__code", "kind", "code"]
        verbose_name = verbose_name_plural = "单位"

    def __str__(self):
        return self.name


class Person(models.Model):
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=100, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name="单位")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person", verbose_name="账号")
    phone = models.CharField("电话", max_length=30, blank=True)

    class Meta:
        ordering = ["unit__code", "id"]
        verbose_name = verbose_name_plural = "人员"

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "领导"
    SUPERVISION = "supervision", "督查室"
    ANALYSIS = "analysis", "发改局（经济分析）"
    STATISTICS = "statistics", "统计局"
    UNIT = "unit", "责任单位"
    REPORTER = "reporter", "村居填报员"


# Roles whose scope is a region (and everything under it); the others are scoped to one unit.
REGION_ROLES = {Role.ADMIN, Role.LEADER, Role.SUPERVISION, Role.ANALYSIS, Role.STATISTICS}
UNIT_ROLES = {Role.UNIT, Role.REPORTER}


class RoleAssignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="账号")
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name="范围（地区）")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name="范围（单位）")

    class Meta:
        verbose_name = verbose_name_plural = "角色"
        constraints = [models.UniqueConstraint(fields=["user", "role", "region", "unit"], name="unique_role_assignment")]

    def __str__(self):
        return f"{self.get_role_display()}：{self.scope_label}"

    @property
    def scope_label(self):
        if self.unit_id:
            return self.unit.name
        if self.region_id:
            return self.region.name
        return "全部"


class ApiToken(models.Model):
    """A personal token for the JSON API. Only a SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("前缀", max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def digest_of(raw):
        return hashlib.sha256(raw.encode()).hexdigest()


class AccountState(models.Model):
    """Per account: whether its password was set by an administrator (a one-time password handed over) and must
    be changed at the next sign-in (web.passwords holds the person on the change page until then)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="account_state", verbose_name="账号")
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_reset_at = models.DateTimeField("密码重置时间", null=True, blank=True)
    password_reset_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", verbose_name="重置人")

    class Meta:
        verbose_name = verbose_name_plural = "账号状态"
