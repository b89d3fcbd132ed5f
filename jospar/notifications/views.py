"""The person's notifications: the list (the unread first), opening one, marking read, and the
header's count of the unread."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jospar.lib.views import fragment_for_users
from jospar.notifications import services
from jospar.notifications.models import Notification
from jospar.notifications.selectors import notifications_of, unread_count


@login_required
def notification_list(request):
    page = Paginator(notifications_of(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": any(n.unread for n in page.object_list),
            "notifications_unread": unread_count(request.user),
        },
    )


def _own(request, notification_id: int) -> Notification:
    return get_object_or_404(Notification, pk=notification_id, recipient=request.user)


@login_required
def notification_open(request, notification_id: int):
    """Mark the notification read and go to what it is about."""
    notification = services.notification_read(
        actor=request.user, notification=_own(request, notification_id)
    )
    link = notification.link
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        link = "notifications:list"
    return redirect(link)


@login_required
@require_POST
def notification_mark_read(request, notification_id: int):
    services.notification_read(actor=request.user, notification=_own(request, notification_id))
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_mark_all_read(request):
    count = services.notifications_read_all(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(n)s notification marked as read.", "%(n)s notifications marked as read.", count
            )
            % {"n": count},
        )
    else:
        messages.info(request, _("Nothing was unread."))
    return redirect("notifications:list")


@fragment_for_users
def unread_count_fragment(request):
    """The header's count of unread notifications, which every page loads once it is shown:
    a request of its own, so that no page pays for it in its own queries."""
    context = {"notifications_unread": unread_count(request.user)}
    return render(request, "notifications/count.html", context)
