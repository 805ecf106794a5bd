"""/api/v1/briefings: meetings, sections, follow-ups (this module); the pack's routes are added by api_pack."""

from ninja import Router

router = Router(tags=["会议材料"])

# "pack" adds its routes to this router from its own module (imported at the bottom of this file).
