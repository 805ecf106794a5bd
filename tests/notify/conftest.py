"""Fake 企业微信 and 钉钉 robot servers on 127.0.0.1 (http.server in a thread): they check what a real robot checks
(the key / access_token, 钉钉's 加签 signature and its timestamp), count what they received, and answer as told."""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class FakeRobot:
    def __init__(self, kind, token="tok-0123456789", secret=""):
        self.kind, self.token, self.secret = kind, token, secret
        self.received = []  # the JSON bodies of accepted messages
        self.calls = 0
        self.answers = []  # queued behaviours for the next calls: ("errcode", n) / ("http", 500) / ("sleep", s)
        self.lock = threading.Lock()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with robot.lock:
                    robot.calls += 1
                    answer = robot.answers.pop(0) if robot.answers else None
                if answer and answer[0] == "sleep":
                    time.sleep(answer[1])
                    return self._reply(200, {"errcode": 0, "errmsg": "ok"})
                if answer and answer[0] == "http":
                    return self._reply(answer[1], {"errmsg": "server error"})
                if answer and answer[0] == "redirect":
                    self.send_response(302)
                    self.send_header("Location", answer[1])
                    self.end_headers()
                    return
                if answer and answer[0] == "errcode":
                    return self._reply(200, {"errcode": answer[1], "errmsg": "fake error"})
                code = robot.check(self.path)
                if code:
                    return self._reply(200, {"errcode": code, "errmsg": "bad key or sign"})
                with robot.lock:
                    robot.received.append(json.loads(body.decode()))
                self._reply(200, {"errcode": 0, "errmsg": "ok"})

            def _reply(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def host(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self):
        if self.kind == "wecom":
            return f"{self.host}/cgi-bin/webhook/send?key={self.token}"
        return f"{self.host}/robot/send?access_token={self.token}"

    def check(self, path):
        """0 when the call is one the real robot accepts; else its error code."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        param = "key" if self.kind == "wecom" else "access_token"
        if query.get(param) != [self.token]:
            return 93000 if self.kind == "wecom" else 300001
        if self.kind == "dingtalk" and self.secret:
            timestamp = query.get("timestamp", [""])[0]
            sign = query.get("sign", [""])[0]
            if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 3600_000:
                return 310000
            digest = hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256).digest()
            if sign != base64.b64encode(digest).decode():  # parse_qs has already url-decoded it
                return 310000
        return 0

    def texts(self):
        return [b["markdown"].get("content") or b["markdown"].get("text") for b in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_robots(settings):
    """A factory of fake robots; each one's host:port is allowed for plain http (LUOSHI_WEBHOOK_HOSTS)."""
    made = []
    settings.LUOSHI_WEBHOOK_HOSTS = "qyapi.weixin.qq.com,oapi.dingtalk.com"

    def make(kind="wecom", **kwargs):
        robot = FakeRobot(kind, **kwargs)
        made.append(robot)
        settings.LUOSHI_WEBHOOK_HOSTS += f",{robot.host}"
        return robot

    yield make
    for robot in made:
        robot.close()
