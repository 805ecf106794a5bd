"""Read helpers of the organisation: how a person reads on the records other apps keep. No writes."""

from django.contrib.auth import get_user_model

from luoshi.orgs.models import Person, RoleAssignment


def acting_label(user):
    """How a person reads on a record they made for another unit (代报): their unit's short name and their name
    ("督查室 李静"); an account without a person, its full name or username."""
    person = Person.objects.select_related("unit").filter(user=user).first()
    name = (person.name if person else "") or user.get_full_name() or user.username
    office = (person.unit.short_name or person.unit.name) if person is not None and person.unit_id else ""
    return f"{office} {name}".strip()[:120]


def people_with_role(role, region):
    """The active accounts holding `role` over `region` (a role scoped to it or to a region above it): who at the
    county is told of something waiting for that role, e.g. the supervision office of a 销号 request."""
    ids = [a.user_id for a in RoleAssignment.objects.filter(role=role, region__isnull=False).select_related("region")
           if a.region.contains(region)]
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))
