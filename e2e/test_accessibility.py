"""axe-core (vendored in e2e/assets, never fetched) finds no serious or critical violation on
any page, light and dark, at 1280x800 and 390x844; every page has one h1 and tap targets of
44 px. One browser page walks them all, each page loaded once and checked at both sizes in
both themes, so the walk stays short."""

from pathlib import Path

import pytest

from e2e.helpers import log_in
from e2e.phone import PHONE
from e2e.site_pages import shared_output_token, signed_in_pages, signed_out_pages
from testing.browsers import BROWSER_WAIT_MS

AXE = Path(__file__).parent / "assets" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
SEVERE = ("serious", "critical")


@pytest.fixture
def axe_page(browser, live_server):
    # The site's CSP rightly refuses an injected script; only this test's context bypasses it.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(BROWSER_WAIT_MS)
    yield context.new_page()
    context.close()


# Swagger UI (ninja's bundle) nests its copy button inside each operation's toggle: its
# markup, not ours, so that one rule is left out inside its operation summaries only.
SWAGGER_NESTED_BUTTONS = ".swagger-ui .opblock-summary-control"


def severe_violations(page, *, colours_only: bool = False) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=AXE)
    found = page.evaluate(
        """async ([swagger, coloursOnly]) => {
          const options = {resultTypes: ["violations"]};
          if (coloursOnly) options.runOnly = ["color-contrast"];
          const all = (await axe.run(document, options)).violations;
          if (coloursOnly || !document.querySelector(swagger)) return all;
          const outside = (await axe.run({exclude: [swagger]}, {
            ...options, runOnly: ["nested-interactive"]})).violations;
          return all.filter((v) => v.id !== "nested-interactive").concat(outside);
        }""",
        [SWAGGER_NESTED_BUTTONS, colours_only],
    )
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
        for v in found
        if v["impact"] in SEVERE
        for node in v["nodes"]
    ]


# What a finger presses: each must be at least 44 px tall (the README's promise). Swagger
# UI's own controls are its business; inline links in running text are exempt (WCAG 2.5.8).
TAP_TARGETS = (
    "button, summary, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]),"
    " a.button, .small-link, .nav-links a, .pagination a"
)


def page_problems(page) -> list[str]:
    """What the page gets wrong whatever the screen: not exactly one h1, small tap targets."""
    problems = []
    if (h1s := page.locator("h1").count()) != 1:
        problems.append(f"{h1s} h1 elements")
    small = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
          .filter((el) => !el.closest(".swagger-ui") && el.checkVisibility())
          .filter((el) => el.getBoundingClientRect().height < 44)
          .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent || el.name).trim()}"
            ${Math.round(el.getBoundingClientRect().height)} px`)""",
        TAP_TARGETS,
    )
    return problems + [f"tap target {target}" for target in small]


def walk(page, pages: dict[str, str]) -> dict[str, list[str]]:
    problems = {}
    for name, url in pages.items():
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        page.wait_for_load_state("load")
        if url.startswith("/api/v1/docs"):  # Swagger UI draws the page after load
            page.locator(".swagger-ui .info .title").wait_for()
        # Colours are measured as they end, not halfway through a theme change's transition.
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            # Every rule in light; in dark only colours change, so only contrast is checked.
            page.emulate_media(color_scheme="light")
            if found := severe_violations(page) + page_problems(page):
                problems[f"{name} {size_name} light"] = found
            page.emulate_media(color_scheme="dark")
            if found := severe_violations(page, colours_only=True):
                problems[f"{name} {size_name} dark"] = found
    return problems


def test_no_signed_out_page_has_a_serious_accessibility_violation(axe_page, user):
    assert walk(axe_page, signed_out_pages(shared_output_token(user))) == {}


def test_no_signed_in_page_has_a_serious_accessibility_violation(axe_page, user, password):
    pages = signed_in_pages(user)
    log_in(axe_page, user.email, password)
    assert walk(axe_page, pages) == {}
