"""Figures other parts of luoshi offer to an indicator, shown beside the statistics bureau's figure (never in its
place): the 招商 ledger's 外资到位 for 实际利用外资, the projects' counted investment for 固定资产投资 (issue #24 item 7).

The indicators app knows no domain app above it: an app registers a provider for an indicator code from its
AppConfig.ready(); the indicator page asks `offers_for`. A provider is called as provider(user, region, period) and
returns an Offer, or None when it has nothing for that region and month or the user may not read what is behind it
(the provider checks that itself, through its own access helpers)."""

from dataclasses import dataclass
from decimal import Decimal

PROVIDERS: dict = {}  # indicator code → [provider]


@dataclass(frozen=True)
class Offer:
    label: str  # what the figure is: 招商台账外资到位（1-3月累计）
    value: Decimal | None
    unit: str  # the figure's own unit: shown as it is, never converted silently
    source: str  # who keeps it: 区商务局招商台账
    url: str = ""  # the page listing the projects or leads behind it
    link_text: str = "查看明细"
    note: str = ""


def register(code, provider):
    """Offer the provider's figure to the indicator `code` (idempotent: a provider is listed once)."""
    providers = PROVIDERS.setdefault(code, [])
    if provider not in providers:
        providers.append(provider)


def offers_for(user, code, region, period):
    """The offers for the indicator in the region and month, in the order registered."""
    found = []
    for provider in PROVIDERS.get(code, []):
        offer = provider(user, region, period)
        if offer is not None:
            found.append(offer)
    return found
