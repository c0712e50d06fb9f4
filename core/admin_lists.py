"""Admin change lists that stay fast on tables of millions of rows.

Django's change list counts every matching row (twice, with show_full_result_count), and
its date hierarchy and all-values filters read the whole table for their links. These
replacements read a bounded number of rows instead.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts up to COUNT_CAP + 1 rows; the pagination line then says "more than"."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class LargeTableAdmin(admin.ModelAdmin):
    paginator = CappedCountPaginator
    show_full_result_count = False


def recent_values_filter(field_name: str, title: str, sample: int = 1000):
    """A filter offering the values seen in the newest `sample` rows, not a DISTINCT over all."""

    class RecentValuesFilter(admin.SimpleListFilter):
        parameter_name = field_name

        def lookups(self, request, model_admin):
            recent = model_admin.get_queryset(request).order_by("-pk")[:sample]
            values = recent.values_list(field_name, flat=True)
            return [(value, value) for value in sorted(set(values)) if value]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{field_name: self.value()})
            return queryset

    RecentValuesFilter.title = title
    return RecentValuesFilter
