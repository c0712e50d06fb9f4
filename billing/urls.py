from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("billing/premium/", views.premium, name="premium"),
    path("billing/premium/order/", views.order_create, name="order_create"),
    path("billing/premium/verify/", views.payment_verify, name="payment_verify"),
    # The address and its name stay as configured in Razorpay's dashboard.
    path("webhooks/razorpay/", views.razorpay_event, name="razorpay_webhook"),
]
