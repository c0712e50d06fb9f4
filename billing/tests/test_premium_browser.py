"""The premium page's own JavaScript, with a fake checkout.js served on loopback.

The fake Checkout asks the fake Razorpay to "pay" the order, gets back a response
signed with the key secret exactly as Razorpay signs it, and calls the page's
handler; our verification view then runs for real.
"""

import json

import pytest
from django.urls import reverse
from werkzeug.wrappers import Response

from billing import services
from generation.models import Generation
from testing.browsers import BROWSER_WAIT_MS
from testing.fake_razorpay import KEY_ID, checkout_response
from testing.processes import wait_until

from .factories import account_with

pytestmark = pytest.mark.e2e

FAKE_CHECKOUT_JS = """
window.Razorpay = function (options) {
  this.open = function () {
    var url = "%(base)s/pay?order_id=" + encodeURIComponent(options.order_id) +
      "&key=" + encodeURIComponent(options.key) + "&amount=" + options.amount;
    fetch(url).then(function (r) { return r.json(); }).then(options.handler);
  };
};
"""


@pytest.fixture
def fake_checkout(razorpay, httpserver, settings):
    base = httpserver.url_for("").rstrip("/")
    settings.RAZORPAY_CHECKOUT_JS_URL = f"{base}/checkout.js"
    httpserver.expect_request("/checkout.js").respond_with_data(
        FAKE_CHECKOUT_JS % {"base": base}, content_type="application/javascript"
    )
    paid = []

    def pay(request):
        paid.append(dict(request.args))
        body = checkout_response(request.args["order_id"])
        return Response(
            json.dumps(body),
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": "*"},
        )

    httpserver.expect_request("/pay").respond_with_handler(pay)
    return paid


@pytest.fixture
def logged_in_page(browser, live_server, signed_in):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(BROWSER_WAIT_MS)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": signed_in.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    yield page
    context.close()


def test_upgrade_through_checkout_activates_premium(fake_checkout, logged_in_page, user):
    page = logged_in_page
    page.goto("/billing/premium/")
    assert page.get_by_test_id("credits-balance").inner_text() == "5"

    page.get_by_test_id("upgrade").click()

    page.wait_for_selector(".messages >> text=Thank you")
    assert page.get_by_test_id("credits-balance").inner_text() == "1,600"
    assert fake_checkout[0]["key"] == KEY_ID
    assert fake_checkout[0]["amount"] == "50000"
    assert services.credit_account_for(user=user).plan == "premium"


def test_free_user_out_of_credits_upgrades_and_generates_again(fake_checkout, logged_in_page, user):
    account_with(user=user, balance=0)
    page = logged_in_page
    page.goto(reverse("generation:generate"))
    page.fill("#prompt", "A fox reading a map, at dawn")
    page.get_by_test_id("generate").click()
    error = page.get_by_test_id("composer-error")
    error.wait_for()
    assert "premium" in error.inner_text().lower()

    error.get_by_role("link").click()
    page.get_by_test_id("upgrade").click()
    page.wait_for_selector(".messages >> text=Thank you")
    assert page.get_by_test_id("credits-balance").inner_text() == "1,600"

    page.goto(reverse("generation:generate"))
    assert "1600" in page.get_by_test_id("credits").inner_text()
    page.fill("#prompt", "A fox reading a map, at dawn")
    page.get_by_test_id("generate").click()
    reserves = user.credit_account.entries.filter(kind="reserve")
    assert wait_until(reserves.exists, timeout=10)
    assert reserves.count() == 1
    assert services.credits_balance(user=user) == 1600 + reserves.get().amount
    # Let the job finish before the live server's database is flushed.
    job = Generation.objects.get(user=user)
    assert wait_until(lambda: Generation.objects.get(pk=job.pk).is_finished, timeout=30)
