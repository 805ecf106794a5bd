"""Read side of the audit trail for the apps that wrote it: an object's entries found the way record() files them
(object_type: the model's label, object_id: its primary key as text), so no caller spells a type string."""

from luoshi.audit.models import AuditEntry


def entries_for(model, ids, actions=None):
    """The entries recorded on these objects of `model` (optionally only these actions), oldest first."""
    entries = AuditEntry.objects.filter(object_type=model._meta.label, object_id__in=[str(pk) for pk in ids])
    if actions is not None:
        entries = entries.filter(action__in=list(actions))
    return entries.order_by("at", "id")
