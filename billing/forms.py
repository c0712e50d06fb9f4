from django import forms


class CheckoutCallbackForm(forms.Form):
    """What Razorpay Checkout hands the page's handler after a payment."""

    razorpay_order_id = forms.CharField(max_length=64)
    razorpay_payment_id = forms.CharField(max_length=64)
    razorpay_signature = forms.CharField(max_length=128)
