"""Import and export kinds of supervision, registered by name (core.registry autodiscovers this module)."""

from luoshi.supervision.chain import exports  # noqa: F401  (registers "supervision-overdue")
