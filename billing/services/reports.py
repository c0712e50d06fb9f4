"""Totals over the ledger and payments, for dashboards and the metrics endpoint."""

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import Abs

from billing.models import LedgerEntry, Payment


@dataclass(frozen=True)
class Total:
    rows: int
    amount: int


def ledger_totals_by_kind() -> dict[str, Total]:
    """Entries and credits moved per ledger kind (grant, reserve, refund, ...).

    Amounts are summed as magnitudes, so each total only grows while the ledger is appended to.
    """
    rows = (
        LedgerEntry.objects.order_by()
        .values("kind")
        .annotate(rows=Count("id"), amount=Sum(Abs("amount")))
    )
    return {row["kind"]: Total(row["rows"], row["amount"] or 0) for row in rows}


def payment_totals_by_status() -> dict[tuple[str, str], Total]:
    """Payments and their amount in paise per (status, currency)."""
    rows = (
        Payment.objects.order_by()
        .values("status", "currency")
        .annotate(rows=Count("id"), amount=Sum("amount_paise"))
    )
    return {
        (row["status"], row["currency"]): Total(row["rows"], row["amount"] or 0) for row in rows
    }
