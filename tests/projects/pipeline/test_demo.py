"""The demo's 招商 ledger: in 2020 the foreign capital that arrived in 1-3月 adds up to the seed's 2,000 万美元, the
figure the indicator 实际利用外资 shows for 济阳区 2020-03, traced to its leads; started leads are the pool's projects
(linked, the pool still 60); built again unchanged."""

import json
from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from luoshi.core.offers import offers_for
from luoshi.indicators.models import Figure
from luoshi.orgs.models import Region
from luoshi.projects.models import Project
from luoshi.projects.pipeline.models import Arrival, Lead, LeadStage

pytestmark = pytest.mark.both_databases


def test_the_2020_ledger_traces_the_seeds_2000_wan_dollars(empty_database):
    call_command("demo", "--on", "2020-05-12", "--no-accounts", stdout=StringIO())
    out = StringIO()
    call_command("projects", "pipeline", "--region", "370115", "--period", "2020-03", "--json", stdout=out)
    data = json.loads(out.getvalue())
    figure = Figure.objects.get(region__code="370115", indicator__code="fdi", period=date(2020, 3, 1), current=True)
    assert data["fdi_usd"] == 2000.0 == float(figure.value)
    behind = Arrival.objects.filter(capital="foreign", period__lte=date(2020, 3, 1), period__year=2020, is_current=True)
    assert sum(a.usd for a in behind) == D("2000") and behind.values("lead").distinct().count() == 3
    assert data["signed"] > 0 and 0 < data["rates"]["funds"] < 100
    region = Region.objects.get(code="370115")
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.get(username="admin")
    offer = next(o for o in offers_for(admin, "fdi", region, date(2020, 3, 1)))
    assert offer.value == D("2000.00") and "#funds" in offer.url
    started = Project.objects.filter(source="pipeline")
    assert Project.objects.filter(region=region).count() == 60 and started.count() >= 2
    assert set(started.values_list("source_id", flat=True)) <= set(Lead.objects.values_list("pk", flat=True))
    counts = (Lead.objects.count(), LeadStage.objects.count(), Arrival.objects.count())
    call_command("demo", "--on", "2020-05-12", "--no-accounts", stdout=StringIO())
    assert (Lead.objects.count(), LeadStage.objects.count(), Arrival.objects.count()) == counts
    assert Project.objects.count() == 60
