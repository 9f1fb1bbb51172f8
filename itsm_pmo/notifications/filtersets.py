"""The one FilterSet of the notification page and API."""

import django_filters

from ..filters import PortalFilterSet
from ..models import Notification


class NotificationFilterSet(PortalFilterSet):
    unread = django_filters.BooleanFilter(
        method="by_unread", label="Unread", help_text="true: only unread; false: only read."
    )

    class Meta:
        model = Notification
        fields = ["unread", "event"]

    def by_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
