"""Billing business operations: the credit ledger, plans, subscriptions and payments.

Other apps call these functions (`from billing import services as billing`); only
billing's own modules move a balance directly, through `ledger.ledger_append`.
"""

from billing.exceptions import BillingError, InvalidAdjustment, PaymentRejected, QuotaExceeded

from .anonymisation import payments_anonymise
from .credits import (
    credits_adjust,
    credits_balance,
    credits_grant,
    credits_refund,
    credits_reserve,
    credits_reset_free_quota,
    plan_cost,
)
from .gateway_events import gateway_event_receive
from .ledger import credit_account_for, credit_account_lock
from .payments import (
    payment_confirm_checkout,
    payment_start,
    payments_expire_unpaid,
)
from .refunds import payment_dispute_record, payment_refund_record
from .reports import ledger_totals_by_kind, payment_totals_by_status
from .subscriptions import (
    credit_periods_due,
    credit_periods_reset_due,
    credits_settle_period,
    subscription_activate,
    subscription_grant,
    subscription_revoke,
    subscription_revoke_payment,
    subscriptions_expire_due,
)

__all__ = [
    "BillingError",
    "InvalidAdjustment",
    "PaymentRejected",
    "QuotaExceeded",
    "credit_account_for",
    "credit_account_lock",
    "credit_periods_due",
    "credit_periods_reset_due",
    "credits_adjust",
    "credits_balance",
    "credits_grant",
    "credits_refund",
    "credits_reserve",
    "credits_reset_free_quota",
    "credits_settle_period",
    "gateway_event_receive",
    "ledger_totals_by_kind",
    "payment_confirm_checkout",
    "payment_dispute_record",
    "payment_refund_record",
    "payment_start",
    "payment_totals_by_status",
    "payments_anonymise",
    "payments_expire_unpaid",
    "plan_cost",
    "subscription_activate",
    "subscription_grant",
    "subscription_revoke",
    "subscription_revoke_payment",
    "subscriptions_expire_due",
]
