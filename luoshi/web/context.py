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
    }
