"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live server."""

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM is still used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LUOSHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def screenshot_dir():
    path = Path(os.environ.get("LUOSHI_TEST_OUTPUT", "test-output")) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_screenshot(page, name, full_page=True):
    """A picture of the page as a person sees it, for looking at: taken when LUOSHI_SCREENSHOTS=1
    (scripts/screenshots.sh takes the whole set). In `make test` pictures are taken only of a failed test's pages
    (pytest_runtest_makereport below): they cost seconds each and no assertion reads them."""
    if os.environ.get("LUOSHI_SCREENSHOTS") == "1":
        page.screenshot(path=str(screenshot_dir() / name), full_page=full_page)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if report.when != "call" or not report.failed:
        return
    browser = item.funcargs.get("browser")
    for name in ("page", "phone_page"):
        if browser is None and name in item.funcargs:
            browser = item.funcargs[name].context.browser
    if browser is None:
        return
    stem = re.sub(r"[^A-Za-z0-9]+", "-", item.name).strip("-")[:120]
    for i, page in enumerate(p for context in browser.contexts for p in context.pages):
        try:
            page.screenshot(path=str(screenshot_dir() / f"failed-{stem}-{i}.png"), full_page=True, timeout=5000)
        except Exception:  # a closed or crashed page: the failure itself is what matters
            pass


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"浏览器测试需要 Debian 的 chromium（{CHROMIUM}）：make test 会自动安装")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():  # the answer to the form, loaded (no network-idle wait: no page fetches after load)
        page.click("button[type=submit]")
