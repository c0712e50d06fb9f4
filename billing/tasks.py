from celery import shared_task

from . import services


@shared_task(name="billing.expire_subscriptions")
def expire_subscriptions() -> int:
    return len(services.subscriptions_expire_due())


@shared_task(name="billing.reset_credit_periods")
def reset_credit_periods() -> int:
    return len(services.credit_periods_reset_due())


@shared_task(name="billing.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    return services.payments_expire_unpaid()
