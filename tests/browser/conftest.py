"""Browser tests: Debian's chromium driven by Playwright (sync API) against pytest-django's
live server.

Playwright's sync API keeps an asyncio event loop in the main thread, so Django's ORM, called
from the tests to set up data and check results, would refuse with SynchronousOnlyOperation.
The calls are ordinary blocking code in the test's own thread (no coroutine shares their
connection), so allowing them is safe; it is allowed here only, for the browser tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.base import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

# Report CSP violations as console errors, so they fail the test like any other error (the
# browser logs most of them itself; this also catches those it reports only as an event).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline code"));
});
"""

IGNORED_NOISE = ("favicon",)


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_beside_playwright():
    """Only while these tests run: subprocesses of other tests (``check --deploy``) must not
    inherit it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser():
    """One browser per module: Playwright's event loop must be gone before tests elsewhere use
    the ORM in the main thread again."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageErrors:
    """Console errors (CSP violations among them) and uncaught exceptions of every page a test
    opened."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("console", lambda message: self._on_console(page, message))
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: uncaught {exc}"))

    def _on_console(self, page, message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url") or page.url
        if any(noise in f"{message.text} {where}" for noise in IGNORED_NOISE):
            return
        self.errors.append(f"{where}: {message.text}")

    def check(self) -> None:
        errors, self.errors = self.errors, []
        if errors:
            pytest.fail("the page logged errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def page_errors():
    errors = PageErrors()
    yield errors
    errors.check()  # what was logged after the test's body, while closing


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A page error fails the test itself (not only its teardown); when the test failed anyway,
    the errors go into its report."""
    errors = getattr(item, "funcargs", {}).get("page_errors")
    try:
        result = yield
    except BaseException:
        if errors is not None and errors.errors:
            item.add_report_section("call", "page errors", "\n".join(errors.errors))
            errors.errors.clear()
        raise
    if errors is not None:
        errors.check()
    return result


@pytest.fixture
def new_page(browser, live_server, page_errors):
    """``new_page(**context_options)``: a page in a fresh browser context (its own cookies, so
    its own login) on the live server; every console error or CSP violation fails the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "en-GB")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page_errors.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, user, next_url: str = "/") -> None:
    """Log in through the login form, then open ``next_url``."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click(".login button[type=submit]")
    assert "/accounts/login/" not in page.url, f"{user} could not log in"
