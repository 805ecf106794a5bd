"""The inbox page: each user reads only their own in-app messages; the header shows the unread count."""

import re

import pytest

from luoshi.notify import services

pytestmark = pytest.mark.django_db


def unread_badge(html):
    match = re.search(r'class="inboxlink"[^>]*>消息(?:<span class="badge">(\d+)</span>)?</a>', html)
    assert match, "the header has no inbox link"
    return int(match.group(1) or 0)


def test_the_header_shows_how_many_messages_are_unread(cast, client_for):
    c = client_for("wu_cunju")
    assert unread_badge(c.get("/").content.decode()) == 0
    services.queue_message(cast.wu_cunju, "请报送日报")
    services.queue_message(cast.wu_cunju, "请报送周报")
    services.dispatch()
    assert unread_badge(c.get("/").content.decode()) == 2
    c.post("/inbox/")
    assert unread_badge(c.get("/").content.decode()) == 0


def test_a_user_reads_only_their_own_messages(cast, client_for):
    services.queue_message(cast.wu_cunju, "只给吴的提醒")
    services.dispatch()
    assert "只给吴的提醒" in client_for("wu_cunju").get("/inbox/").content.decode()
    for name in ("chen_cunju", "sun_jiedao", "wang_admin"):
        html = client_for(name).get("/inbox/").content.decode()
        assert "只给吴的提醒" not in html and "没有消息" in html


def test_marking_read_touches_only_the_signed_in_users_messages(cast, client_for):
    services.queue_message(cast.wu_cunju, "给吴")
    services.queue_message(cast.chen_cunju, "给陈")
    services.dispatch()
    client_for("chen_cunju").post("/inbox/")
    assert services.unread_count(cast.wu_cunju) == 1 and services.unread_count(cast.chen_cunju) == 0


def test_the_inbox_needs_sign_in_and_the_old_address_redirects(client, client_for):
    response = client.get("/inbox/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client_for("wu_cunju").get("/daily/inbox/")["Location"] == "/inbox/"
