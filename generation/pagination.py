"""Newest-first pages that cost the same on the first page and the thousandth.

A page number makes the database count and skip every earlier row; a cursor (the
id of the last item shown) lets an index jump straight to the next page.
"""


class KeysetPage:
    def __init__(self, queryset, *, before: int | str | None, size: int):
        queryset = queryset.order_by("-id")
        self.is_first = not str(before or "").isdigit()
        if not self.is_first:
            queryset = queryset.filter(id__lt=int(before))
        # One row more than shown says whether an older page exists.
        rows = list(queryset[: size + 1])
        self.object_list = rows[:size]
        self.has_next = len(rows) > size
        self.next_before = self.object_list[-1].pk if self.has_next else None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)
