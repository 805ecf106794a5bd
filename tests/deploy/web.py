"""A small HTTP browser for the multi-server test: cookies, sign-in with CSRF, forms with files, JSON.

Only the standard library, so what goes over the wire is exactly what is written here; redirects are not
followed (the test looks at them)."""

import http.client
import json
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


def request(base, method, path, body=None, headers=None, timeout=60):
    """One request on a fresh connection to base ("http://127.0.0.1:PORT")."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        conn.close()


def multipart(fields, files):
    """(body, content type) of a multipart/form-data form; files: [(field, filename, bytes, content type)]."""
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in fields.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data, content_type in files:
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                      f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class Browser:
    """Cookies kept across requests, whichever server (base URL) they go to, like one browser behind nginx."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}
        self.expires = {}  # name -> time.monotonic() when a cookie with Max-Age runs out

    def send(self, method, path, body=None, headers=None, base=None):
        headers = dict(headers or {})
        for name, at in list(self.expires.items()):
            if time.monotonic() >= at:
                self.cookies.pop(name, None)
                del self.expires[name]
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = request(base or self.base, method, path, body, headers)
        for line in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                if morsel["max-age"] in ("0",) or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
                    if morsel["max-age"]:
                        self.expires[name] = time.monotonic() + int(morsel["max-age"])
                    else:
                        self.expires.pop(name, None)
        return response

    def get(self, path, base=None):
        return self.send("GET", path, base=base)

    def post(self, path, fields, files=(), base=None):
        """A form POST as a browser sends it: the CSRF token from the cookie in the form (a GET first sets it)."""
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.send("POST", path, body, {"Content-Type": content_type}, base=base)

    def sign_in(self, username, password):
        self.get("/login/")
        response = self.post("/login/", {"username": username, "password": password})
        assert response.status == 302 and response.headers["Location"] == "/", (response.status, response.text[:500])
        assert "sessionid" in self.cookies
        return response
