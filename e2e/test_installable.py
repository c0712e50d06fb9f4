"""The web app installs: a valid manifest, icons that load, a service worker that keeps only
the static shell and an offline page, and keeps nothing after signing out."""

from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import log_in, log_out
from testing.processes import wait_until

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


def test_the_manifest_is_valid_and_its_icons_load(page):
    page.goto("/accounts/login/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(href)
    manifest = response.json()

    assert response.headers["content-type"] == "application/manifest+json"
    assert manifest["name"] and manifest["short_name"]
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/generate/"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = page.request.get(icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png"
        width = int.from_bytes(image.body()[16:20], "big")  # the PNG's IHDR width
        assert f"{width}x{width}" == icon["sizes"]


def test_chromium_finds_the_site_installable(app_page):
    app_page.goto("/accounts/login/")
    app_page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    session = app_page.context.new_cdp_session(app_page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]

    assert errors == []


def test_the_offline_page_shows_when_the_network_is_gone(app_page, user, password):
    log_in(app_page, user.email, password)
    app_page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    app_page.context.set_offline(True)
    app_page.goto(reverse("generation:gallery"))

    expect(app_page.get_by_test_id("offline")).to_have_text("You are offline")
    expect(app_page.locator("link[rel=stylesheet]")).to_have_count(1)
    app_page.context.set_offline(False)


def test_the_service_worker_keeps_nothing_private_and_nothing_after_sign_out(
    app_page, user, password
):
    log_in(app_page, user.email, password)
    app_page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for name in ["generation:generate", "generation:gallery", "generation:jobs"]:
        app_page.goto(reverse(name))
    kept = app_page.evaluate(CACHED_URLS)
    offline = app_page.request.get(reverse("offline")).text()

    assert "/offline/" in kept and all(u == "/offline/" or u.startswith("/static/") for u in kept)
    assert user.email not in offline

    app_page.goto(reverse("generation:generate"))
    log_out(app_page)
    expect(app_page.get_by_test_id("nav-email")).to_have_count(0)

    # Clear-Site-Data is applied by the browser in the background: give it a moment.
    assert wait_until(lambda: app_page.evaluate(CACHED_URLS) == [], timeout=5)
