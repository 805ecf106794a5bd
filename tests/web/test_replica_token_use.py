"""API tokens' last-used times with several app servers: each server keeps its own batch and flushes it every 30 s
(orgs.services.flush_token_use), so the batches reach the database in any order; a later time stays."""

from datetime import datetime, timedelta, timezone as tz

import pytest
from django.db import connection

from luoshi.orgs import services
from luoshi.orgs.models import ApiToken

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="several app servers need PostgreSQL")
def test_a_server_flushing_an_earlier_use_after_another_server_does_not_move_the_time_back(cast):
    token, _ = services.create_api_token(cast.sun_leader, cast.sun_leader, "两台服务器")
    services.flush_token_use()
    later = datetime(2020, 4, 14, 1, 5, tzinfo=tz.utc)
    services.note_token_use(token.pk, None, later)  # server A's batch, flushed first
    assert services.flush_token_use() == 1
    services.note_token_use(token.pk, None, later - timedelta(minutes=4))  # server B's older batch, flushed after
    services.flush_token_use()
    assert ApiToken.objects.get(pk=token.pk).last_used_at == later
    services.note_token_use(token.pk, None, later + timedelta(minutes=1))
    services.flush_token_use()
    assert ApiToken.objects.get(pk=token.pk).last_used_at == later + timedelta(minutes=1)
