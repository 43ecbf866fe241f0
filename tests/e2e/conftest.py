"""Browser tests: Debian's Chromium driven by Playwright for Python.

Playwright's sync API runs an event loop in this thread, so Django refuses ORM
calls here unless told that it is safe (it is: the test thread is synchronous).
"""

import os
import shutil

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """Chromium for one module; skipped, saying why, where it cannot run.

    While Playwright's loop runs, Django's thread-local `connections` hands out
    other connection objects (asgiref keys them by the running loop). They lack
    the serialized copy of the migrations' rows that `serialized_rollback` restores
    after each flush, so it is copied over; they are closed when the browser stops,
    and later tests get the original connections back.
    """
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        reason = "Chromium is not installed (make browsers installs it): browser tests skipped."
        print(reason)
        pytest.skip(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright for Python is not installed: browser tests skipped."
        print(reason)
        pytest.skip(reason)
    from django.db import connections

    saved = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, contents in saved.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        for alias in connections:
            connections[alias].close()


@pytest.fixture
def new_page(transactional_db, browser, live_server):
    """A function giving a fresh signed-in page (own cookies) for a username.

    It depends on the database fixture first so that the pages close before the
    tables are flushed, with no request in flight during the flush.
    """
    contexts = []

    def make(username, password, *, width=1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield make
    for context in contexts:
        context.close()
