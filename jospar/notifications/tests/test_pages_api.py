"""The notifications page, the header's unread count, the API and the preferences."""

import pytest
from django.urls import reverse
from django.utils import timezone

from jospar.notifications.models import EmailMode, Kind, Notification, Preference
from jospar.orgs.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


@pytest.fixture
def monitor(body):
    return member(body, Role.MONITOR, username="monitor", email="m@example.kz")


def note(user, year=2026, read=False, link="/bodies/"):
    return Notification.objects.create(
        recipient=user,
        kind=Kind.PLAN_APPROVED,
        params={"year": year, "comment": ""},
        link=link,
        read_at=timezone.now() if read else None,
    )


def test_the_page_lists_the_unread_first_and_the_header_counts_them(client, monitor, planner):
    old = note(monitor, 2024, read=True)
    new = [note(monitor, 2025), note(monitor, 2026)]
    note(planner, 2030)  # someone else's
    client.force_login(monitor)
    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="notifications-unread" title="unread">2</span>' in html
    positions = [html.index(f'id="notification-{n.pk}"') for n in (*reversed(new), old)]
    assert positions == sorted(positions)
    assert "2030" not in html
    assert "The operational plan for 2026 is approved" in html


def test_other_pages_load_the_header_count_in_a_request_of_their_own(client, monitor, body):
    note(monitor, 2025), note(monitor, 2026)
    client.force_login(monitor)
    page = client.get(body.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    count_url = reverse("notifications:count")
    assert f'hx-get="{count_url}"' in page and 'id="notifications-unread"' not in page
    fragment = client.get(count_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        fragment.strip() == '<span class="count" id="notifications-unread" title="unread">2</span>'
    )
    Notification.objects.update(read_at=timezone.now())
    assert client.get(count_url).content.decode().strip() == ""


def test_opening_one_marks_it_read_and_goes_to_its_page(client, monitor, planner):
    item = note(monitor, link="/bodies/42/")
    client.force_login(monitor)
    answer = client.get(reverse("notifications:open", args=[item.pk]))
    assert answer.status_code == 302 and answer["Location"] == "/bodies/42/"
    item.refresh_from_db()
    assert item.read_at is not None
    theirs = note(planner)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_one_and_all_read_by_post(client, monitor, planner):
    first, _second, third = note(monitor), note(monitor), note(planner)
    client.force_login(monitor)
    assert client.get(reverse("notifications:read", args=[first.pk])).status_code == 405
    client.post(reverse("notifications:read", args=[first.pk]))
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    answer = client.post(reverse("notifications:read_all"), follow=True)
    assert "1 notification marked as read." in answer.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).get() == third
    assert 'id="notifications-unread"' not in answer.content.decode()


def test_the_api_lists_filters_and_marks_read(api, monitor, planner):
    read, unread = note(monitor, 2024, read=True), note(monitor, 2026)
    note(planner)
    client = api(monitor)
    rows = client.get(URL).json()["results"]
    assert [r["id"] for r in rows] == [unread.pk, read.pk]
    assert rows[0]["text"] == "The operational plan for 2026 is approved"
    assert rows[0]["unread"] is True and rows[0]["kind"] == "plan_approved"
    assert [r["id"] for r in client.get(URL, {"unread": "true"}).json()["results"]] == [unread.pk]
    ru = api(monitor)
    ru.credentials(HTTP_ACCEPT_LANGUAGE="ru")
    assert ru.get(URL).json()["results"][0]["text"] == "Операционный план на 2026 год утверждён"
    answer = client.post(f"{URL}{unread.pk}/read/")
    assert answer.status_code == 200 and answer.json()["unread"] is False
    foreign = Notification.objects.filter(recipient=planner).get()
    assert client.post(f"{URL}{foreign.pk}/read/").status_code == 404
    note(monitor, 2027)
    assert client.post(f"{URL}read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=monitor, read_at__isnull=True).exists()
    assert api().get(URL).status_code in {401, 403}


def test_preferences_in_the_api(api, monitor):
    client = api(monitor)
    url = "/api/v1/me/preferences/"
    assert client.get(url).json() == {"email_mode": "immediate", "language": ""}
    answer = client.patch(url, {"email_mode": "daily", "language": "kk"}, format="json")
    assert answer.status_code == 200
    assert (Preference.objects.get(user=monitor).email_mode, answer.json()["language"]) == (
        "daily",
        "kk",
    )
    bad = client.patch(url, {"email_mode": "hourly"}, format="json")
    assert bad.status_code == 400 and "email_mode" in bad.json()
    assert client.patch(url, {"language": "de"}, format="json").status_code == 400


def test_preferences_on_the_details_page(client, monitor):
    client.force_login(monitor)
    url = reverse("accounts:profile")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "E-mail me my notifications" in page and "Language of e-mail" in page
    data = {
        "first_name": "Aigerim",
        "last_name": "Bek",
        "email": "m@example.kz",
        "email_mode": EmailMode.OFF,
        "email_language": "ru",
    }
    assert client.post(url, data).status_code == 302
    pref = Preference.objects.get(user=monitor)
    assert (pref.email_mode, pref.language) == ("off", "ru")
    bad = client.post(url, data | {"email_mode": "sometimes"})
    assert bad.status_code == 400
    assert Preference.objects.get(user=monitor).email_mode == "off"
