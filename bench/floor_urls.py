"""The floor's one view: a POST stored as one row by one INSERT (see bench/floor_settings.py)."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

TABLE = "bench_floor"


@require_POST
def save(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (actor, actual) VALUES (%s, %s)",  # noqa: S608 - our constant
            [request.POST.get("actor", ""), request.POST.get("actual", "")],
        )
    return HttpResponse("saved")


urlpatterns = [path("floor/", save)]
