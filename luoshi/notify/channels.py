"""How a message leaves luoshi: e-mail (Django's e-mail framework), 企业微信 and 钉钉 group robots (HTTPS webhooks).

Webhook URLs carry their secret (企业微信 `key`, 钉钉 `access_token`), so they are masked wherever they are shown
and only ever called on an allowed host (LUOSHI_WEBHOOK_HOSTS): https to the official robot hosts by default, plain
http only to a host:port the setting names with its scheme (tests on 127.0.0.1). The check runs when a robot is
configured and again before every call (a stored URL must not make luoshi call inside the network); redirects are
never followed and every call times out after 5 seconds.
"""

import base64
import hashlib
import hmac
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.utils.html import escape, linebreaks

TIMEOUT = 5
DEFAULT_HOSTS = "qyapi.weixin.qq.com,oapi.dingtalk.com"
SECRET_PARAMS = ("key", "access_token", "sign")
TOKEN_PARAM = {"wecom": "key", "dingtalk": "access_token"}
ROBOT_LABELS = {"wecom": "企业微信", "dingtalk": "钉钉"}
# The robots' markdown limits are in bytes of UTF-8 (企业微信 4096); the same budget keeps 钉钉 messages readable.
LIMIT_BYTES = {"wecom": 4000, "dingtalk": 4000}
TEXT_LIMIT_BYTES = 2000  # 企业微信's text message (the one that can @ by mobile) holds 2048 bytes
DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # where `make run` serves, when LUOSHI_BASE_URL is not set
# What people wrote (a task's title, a reason, a unit's name) goes to a robot with the characters its markdown reads
# as markup swapped for their fullwidth look-alikes: a title such as "[点我](http://evil)" or "<@all>" shows as
# text and never becomes a link, a heading, an image or an @ (企业微信 markdown @s with <@userid>). "://" loses its
# colon's half width too, so no client turns a typed address into a link.
_PLAIN_SWAP = {"<": "＜", ">": "＞", "@": "＠", "&": "＆"}
_MARKDOWN_SWAP = {**_PLAIN_SWAP, "[": "［", "]": "］", "*": "＊", "_": "＿", "`": "｀", "#": "＃", "~": "～",
                  "|": "｜", "!": "！", "\\": "＼"}
_PLAIN_TABLE = str.maketrans(_PLAIN_SWAP)
_MARKDOWN_TABLE = str.maketrans(_MARKDOWN_SWAP)


class SendError(Exception):
    """A send that did not go out; `final` when trying again cannot help (e.g. an invalid e-mail address)."""

    def __init__(self, message, final=False):
        super().__init__(message)
        self.final = final


def setting(name, default=""):
    """A notify setting: from Django's settings when set there (tests), else the environment (docs/configuration.md)."""
    value = getattr(settings, name, None)
    return os.environ.get(name, default) if value is None else value


def allowed_hosts():
    """[(scheme, host, port)]: a bare host allows https on the default port; `http://host:port` exactly that."""
    raw = setting("LUOSHI_WEBHOOK_HOSTS") or DEFAULT_HOSTS
    out = []
    for entry in raw.split(","):
        entry = entry.strip().lower()
        if not entry:
            continue
        if "://" in entry:
            parts = urllib.parse.urlsplit(entry)
            out.append((parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)))
        else:
            out.append(("https", entry, 443))
    return out


def check_url(url, kind):
    """The reason (Chinese) a robot URL is refused, or None when it may be called."""
    if kind not in TOKEN_PARAM:
        return "机器人类型只能是 wecom（企业微信）或 dingtalk（钉钉）"
    url = (url or "").strip()
    if not url:
        return "请填写机器人的 Webhook 地址"
    if len(url) > 500 or any(ch.isspace() for ch in url):
        return "Webhook 地址格式不正确"
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "Webhook 地址格式不正确"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "Webhook 地址必须以 https:// 开头"
    if parts.username or parts.password:
        return "Webhook 地址不能包含用户名或密码"
    if (parts.scheme, parts.hostname.lower(), port) not in allowed_hosts():
        if parts.scheme != "https" and any(h == parts.hostname.lower() for _, h, _ in allowed_hosts()):
            return "Webhook 地址必须使用 https"
        hosts = "、".join(h for _, h, _ in allowed_hosts())
        return f"不允许的机器人地址「{parts.hostname}」：只能是官方机器人地址（{hosts}，见 LUOSHI_WEBHOOK_HOSTS）"
    token = urllib.parse.parse_qs(parts.query).get(TOKEN_PARAM[kind])
    if not token or not token[0].strip():
        return f"{ROBOT_LABELS[kind]}机器人地址缺少 {TOKEN_PARAM[kind]} 参数"
    return None


def _mask(value):
    return value[:4] + "****" if len(value) > 8 else "****"


def mask_url(url):
    """The URL with the values of key / access_token / sign cut to four characters and ****."""
    try:
        parts = urllib.parse.urlsplit(url or "")
    except ValueError:
        return "****"
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    masked = "&".join(f"{k}={_mask(v) if k in SECRET_PARAMS else v}" for k, v in query)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, masked, ""))


def mask_secret(secret):
    return _mask(secret) if secret else ""


def scrub(text, robot):
    """Text (an error, a reply) with the robot's secrets replaced by their masks."""
    text = str(text)
    secrets = [robot.secret] if robot.secret else []
    try:
        secrets += [v for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(robot.url).query) if k in SECRET_PARAMS]
    except ValueError:
        pass
    for value in secrets:
        if value:
            text = text.replace(value, _mask(value)).replace(urllib.parse.quote(value, safe=""), _mask(value))
    return text


def cut(text, limit_bytes, link=""):
    """Text cut to limit_bytes of UTF-8, ending with a link back to luoshi when anything was cut."""
    if len(text.encode()) <= limit_bytes:
        return text
    tail = f"\n\n……（内容过长已截断，全文见 luoshi：{link}）" if link else "\n\n……（内容过长已截断，全文请登录 luoshi 查看）"
    room = limit_bytes - len(tail.encode())
    head = text.encode()[:max(room, 0)].decode(errors="ignore")
    return head + tail


def base_url():
    """luoshi's address as people reach it, for the links in e-mails and robot messages: LUOSHI_BASE_URL, or where
    `make run` serves (DEFAULT_BASE_URL) when it is not set."""
    return (str(setting("LUOSHI_BASE_URL") or "").strip().rstrip("/")) or DEFAULT_BASE_URL


def base_url_is_set():
    return bool(str(setting("LUOSHI_BASE_URL") or "").strip())


def absolute(link):
    """A link as it leaves luoshi: luoshi's own path with base_url() in front (a full address stays as it is)."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return base_url() + ("" if link.startswith("/") else "/") + link


def robot_safe(text, markdown=True):
    """Text people wrote, as a robot may show it: no markup, link or @ can come out of it (see _MARKDOWN_SWAP)."""
    text = str(text or "").replace("://", "：//")
    return text.translate(_MARKDOWN_TABLE if markdown else _PLAIN_TABLE)


def link_for_markdown(link):
    """Our own absolute link, safe inside a markdown link's parentheses (no space, bracket or parenthesis)."""
    return urllib.parse.quote(link, safe=":/?&=%#+,;-._~")


def uses_text_message(kind, mentions):
    """企业微信 @s by mobile only in a text message (its markdown cannot): with mentions it gets text, else markdown."""
    return kind == "wecom" and bool(mentions)


def text_limit(kind, plain=False, mentions=()):
    """The room, in bytes of UTF-8, for a robot message's text: 钉钉 keeps room for the @mobile line it must carry."""
    if plain:
        return TEXT_LIMIT_BYTES
    room = LIMIT_BYTES[kind]
    if kind == "dingtalk" and mentions:
        room -= len(mention_line(mentions).encode()) + 2
    return room


def mention_line(mentions):
    return " ".join(f"@{m}" for m in mentions)


# --- e-mail -------------------------------------------------------------------------------------------------------

def send_email(message):
    address = (message.recipient.email or "").strip() if message.recipient_id else ""
    if not address:
        raise SendError("收件人没有填写邮箱地址", final=True)
    try:
        validate_email(address)
    except ValidationError:
        raise SendError(f"邮箱地址无效：{address[:100]}", final=True)
    link = absolute(message.link)
    text = message.body + (f"\n\n查看：{link}" if link else "")
    html = linebreaks(message.body) + (f'<p><a href="{escape(link)}">在 luoshi 中查看</a></p>' if link else "")
    mail = EmailMultiAlternatives(subject=message.subject, body=text, to=[address])
    mail.attach_alternative(f"<html><body><h3>{escape(message.subject)}</h3>{html}</body></html>", "text/html")
    try:
        mail.send()
    except (OSError, Exception) as exc:  # SMTP errors, refused connections, timeouts: try again later
        raise SendError(f"邮件发送失败：{type(exc).__name__} {exc}"[:300])


# --- robots ---------------------------------------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx answer is a failure, never followed (it could point inside the network)


_opener = urllib.request.build_opener(_NoRedirect)


def signed_url(robot, now_ms=None):
    """钉钉 加签: timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")))."""
    if robot.kind != "dingtalk" or not robot.secret:
        return robot.url
    timestamp = str(now_ms or int(time.time() * 1000))
    digest = hmac.new(robot.secret.encode(), f"{timestamp}\n{robot.secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{robot.url}{'&' if '?' in robot.url else '?'}timestamp={timestamp}&sign={sign}"


def robot_payload(robot, title, text, mentions=(), plain=False):
    """The JSON a robot takes. 企业微信: markdown, or a text message with mentioned_mobile_list when it must @ someone
    (plain: the text is plain text then). 钉钉: markdown, with at.atMobiles and the "@mobile" in the text itself, which
    钉钉 requires for the @ to show. Never an @all (isAtAll is false; "@all" is never put in a list)."""
    mentions = [m for m in mentions if m and m != "@all"]
    if robot.kind == "wecom":
        if plain:
            body = {"content": cut(text, TEXT_LIMIT_BYTES)}
            if mentions:
                body["mentioned_mobile_list"] = mentions
            return {"msgtype": "text", "text": body}
        return {"msgtype": "markdown", "markdown": {"content": cut(text, LIMIT_BYTES[robot.kind])}}
    text = cut(text, text_limit(robot.kind, mentions=mentions))
    payload = {"msgtype": "markdown", "markdown": {"title": title[:60], "text": text}}
    if mentions:
        payload["markdown"]["text"] = f"{text}\n\n{mention_line(mentions)}"
        payload["at"] = {"atMobiles": mentions, "isAtAll": False}
    return payload


def post_robot(robot, title, text, mentions=(), plain=False):
    """Send one message to the robot (markdown; see robot_payload for @). Returns the robot's reply text; raises
    SendError on any failure."""
    reason = check_url(robot.url, robot.kind)
    if reason:
        raise SendError(f"已拒绝发送：{reason}", final=True)
    data = json.dumps(robot_payload(robot, title, text, mentions, plain), ensure_ascii=False).encode()
    request = urllib.request.Request(signed_url(robot), data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendError(f"机器人返回 HTTP {exc.code}")
    except (socket.timeout, TimeoutError):
        raise SendError(f"连接机器人超时（{TIMEOUT} 秒）")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise SendError(f"连接机器人超时（{TIMEOUT} 秒）")
        raise SendError(scrub(f"无法连接机器人：{reason}", robot)[:300])
    except OSError as exc:
        raise SendError(scrub(f"无法连接机器人：{exc}", robot)[:300])
    try:
        reply = json.loads(raw.decode("utf-8", errors="replace"))
        code = int(reply.get("errcode", -1))
    except (ValueError, AttributeError, TypeError):
        raise SendError("机器人的答复无法识别（不是 JSON）")
    if code != 0:
        raise SendError(scrub(f"机器人返回错误 errcode={code}：{reply.get('errmsg', '')}", robot)[:300])
    return scrub(raw.decode("utf-8", errors="replace"), robot)[:300]
