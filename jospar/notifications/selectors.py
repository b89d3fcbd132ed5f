from django.db.models import F

from jospar.notifications.models import Notification, Preference


def notifications_of(user, unread_only: bool = False):
    """The user's notifications, the unread first, then the newest."""
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_of(user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)
