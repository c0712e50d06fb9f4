"""Newest-first pages that cost the same on the first page and the thousandth.

A page number makes the database count and skip every earlier row; a cursor (the
id of the last item shown) lets an index jump straight to the next page.
"""

import re
from functools import cached_property


class KeysetPage:
    """Runs its query on first use, so a cached rendering of the page costs none."""

    def __init__(self, queryset, *, before: int | str | None, size: int):
        # ASCII digits only: str.isdigit() also passes "²", which int() refuses.
        self.is_first = not re.fullmatch(r"[0-9]+", str(before or ""))
        queryset = queryset.order_by("-id")
        if not self.is_first:
            queryset = queryset.filter(id__lt=int(before))
        # One row more than shown says whether an older page exists. The page's ids come
        # from an index alone, then their rows: asked for whole rows newest first,
        # PostgreSQL may walk the primary key back through every newer row of other users
        # to reach an older account's page (300 ms instead of 0.6 ms at 1.1M outputs).
        page_ids = queryset.values("id")[: size + 1]
        self._queryset, self._size = queryset.filter(id__in=page_ids), size

    @cached_property
    def _rows(self) -> list:
        return list(self._queryset)

    @property
    def object_list(self) -> list:
        return self._rows[: self._size]

    @property
    def has_next(self) -> bool:
        return len(self._rows) > self._size

    @property
    def next_before(self) -> int | None:
        return self.object_list[-1].pk if self.has_next else None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)
