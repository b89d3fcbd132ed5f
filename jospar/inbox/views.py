"""The page "My work" (the home page after login) and the count of waiting items that every
page's header loads once the page is shown: a request of its own, so that no page pays for
the count in its own queries and the home page reads the list only once."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jospar.inbox.selectors import my_work as waiting_for
from jospar.lib.views import fragment_for_users
from jospar.orgs.models import StateBody
from jospar.orgs.visibility import visible


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """What waits for the user, the most urgent first, and the way to their bodies."""
    items = waiting_for(request.user)
    bodies = list(visible(request.user, StateBody.objects.all()))
    context = {"items": items, "bodies": bodies, "my_work_count": len(items)}
    return render(request, "inbox/my_work.html", context)


@fragment_for_users
def my_work_count(request: HttpRequest) -> HttpResponse:
    """The header's count (nothing when nothing waits)."""
    return render(request, "inbox/count.html", {"my_work_count": len(waiting_for(request.user))})
