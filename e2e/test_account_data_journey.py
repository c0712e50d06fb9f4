"""A person sees what a payment will do before paying, takes their data away, and closes
their account."""

import zipfile

from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from e2e.helpers import log_in
from generation.tests.factories import OutputFactory


def test_the_upgrade_page_says_what_a_payment_will_do(page, user, password, razorpay):
    log_in(page, user.email, password)
    page.goto(reverse("billing:premium"))

    effect = page.get_by_test_id("payment-effect")
    expect(effect).to_contain_text("starts premium at once with 1,600 credits until")
    expect(effect).to_contain_text("Your 5 free generations wait for you")


def test_take_your_data_away_then_close_the_account(page, user, password, tmp_path):
    outputs = OutputFactory.create_batch(3, generation__user=user)
    log_in(page, user.email, password)
    page.get_by_role("link", name="Account").first.click()

    page.get_by_test_id("export-start").click()
    download_link = page.get_by_test_id("export-download")
    expect(download_link).to_be_visible()
    with page.expect_download() as download:
        download_link.click()
    saved = tmp_path / "export.zip"
    download.value.save_as(saved)
    names = zipfile.ZipFile(saved).namelist()
    assert {f"outputs/{output.filename}" for output in outputs} <= set(names)

    page.get_by_test_id("close-account").click()
    page.get_by_label("Type your email address to confirm").fill(user.email)
    page.get_by_test_id("close-confirm").click()

    expect(page.get_by_text("Your account is closed")).to_be_visible()
    expect(page.get_by_test_id("nav-email")).to_have_count(0)
    assert not User.objects.filter(pk=user.pk).exists()
