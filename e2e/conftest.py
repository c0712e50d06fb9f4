"""Browser journeys; the `browser` and `page` fixtures are in the root conftest."""

import pytest

from e2e.phone import PHONE
from testing.browsers import BROWSER_WAIT_MS


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def phone(browser, live_server):
    """A page in a 390 by 844 touch screen browser."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(BROWSER_WAIT_MS)
    yield context.new_page()
    context.close()
