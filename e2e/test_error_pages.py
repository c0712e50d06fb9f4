"""`make run`'s server on the embedded defaults (no environment at all) answers a wrong
address with the site's own page, never Django's debug page listing every URL pattern."""

import os

import pytest
from playwright.sync_api import expect

from testing.browsers import BROWSER_WAIT_MS
from testing.processes import runserver_process, wait_for_http


@pytest.fixture
def embedded_defaults_server():
    # No environment but a PATH: the embedded defaults, as a newcomer's `make run` has them.
    server, base = runserver_process({"PATH": os.environ["PATH"]})
    try:
        wait_for_http(f"{base}/healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_wrong_address_on_make_run_shows_the_designed_404(browser, embedded_defaults_server):
    context = browser.new_context(base_url=embedded_defaults_server)
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    try:
        response = page.goto("/no-such-page/")

        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        expect(page.get_by_text("URLconf")).to_have_count(0)
        # Development still serves the stylesheet with Django's debug pages off.
        assert page.request.get("/static/css/site.css").status == 200
    finally:
        context.close()
