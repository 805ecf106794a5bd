"""Import and export kinds of supervision, registered by name (core.registry autodiscovers this module)."""

from luoshi.supervision import exports_chain  # noqa: F401  (registers "supervision-overdue")
