"""Read helpers of the organisation: how a person reads on the records other apps keep. No writes."""

from luoshi.orgs.models import Person


def acting_label(user):
    """How a person reads on a record they made for another unit (代报): their unit's short name and their name
    ("督查室 李静"); an account without a person, its full name or username."""
    person = Person.objects.select_related("unit").filter(user=user).first()
    name = (person.name if person else "") or user.get_full_name() or user.username
    office = (person.unit.short_name or person.unit.name) if person is not None and person.unit_id else ""
    return f"{office} {name}".strip()[:120]
