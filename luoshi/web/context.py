from django.urls import reverse
from django.utils import timezone

from luoshi.holidays.queries import missing_years
from luoshi.notify.services import unread_count
from luoshi.orgs.access import access_for
from luoshi.web.models import SiteFlag
from luoshi.web.sections import nav_items


def shell(request):
    """What every page's frame needs: the navigation and the signed-in user's roles."""
    match = getattr(request, "resolver_match", None)
    active = match.namespace if match else None
    user = getattr(request, "user", None)
    access = access_for(user) if user is not None else None
    return {
        "nav": nav_items(active, user),
        "access": access,
        "demo_notice": SiteFlag.is_set(SiteFlag.DEMO_LOADED),
        "unread_messages": unread_count(user) if user is not None and user.is_authenticated else 0,
        "holiday_warning": holiday_warning(match, access),
    }


def holiday_warning(match, access):
    """On the home page of a global administrator, once: the years (this one, and the next from 1 December) whose
    放假安排 is not loaded, so deadlines are counted Monday–Friday; with the link to load them. Nobody else is told (the
    key-work pages no longer say it to everyone)."""
    if match is None or match.view_name != "home" or access is None or not access.is_admin:
        return None
    years = missing_years(timezone.localdate())
    if not years:
        return None
    return {"years": "、".join(str(y) for y in years), "url": f"{reverse('holidays:load')}?year={years[0]}"}
