import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

from jospar.lib.converters import INT64_MAX, Int64Converter, int64
from tests import worlds

ENTRY = "/bodies/1/operational-plans/1/quarters/1/units/1/entries/{}/"


def converters(patterns, prefix=""):
    """Every (route, converter) of the URL configuration, included ones too."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        for converter in pattern.pattern.converters.values():
            yield route, converter
        if isinstance(pattern, URLResolver):
            yield from converters(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)


def test_every_number_in_a_url_is_bounded_to_64_bits():
    found = list(converters(get_resolver().url_patterns))
    unbounded = [route for route, converter in found if isinstance(converter, IntConverter)]
    # django-otp's device pages in the admin: they read the device by its own id, which
    # Django range-checks.
    assert [route for route in unbounded if not route.startswith("admin/otp_")] == []
    assert sum(isinstance(converter, Int64Converter) for _, converter in found) > 50


def test_a_number_past_64_bits_matches_no_url():
    """It was a 500 on SQLite: the entry's action id reached a lookup through a foreign key."""
    assert resolve(ENTRY.format(INT64_MAX)).kwargs["action_id"] == INT64_MAX
    for number in (INT64_MAX + 1, 10**25):
        with pytest.raises(Resolver404):
            resolve(ENTRY.format(number))


@pytest.mark.django_db
def test_the_page_answers_404_for_it(client, executor):
    client.force_login(executor)
    assert client.post(ENTRY.format(10**25), {"status": "executed"}).status_code == 404


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0", 0),
        ("0042", 42),
        (str(INT64_MAX), INT64_MAX),
        (str(INT64_MAX + 1), None),
        ("1" * 25, None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.0", None),
        ("\u0663", None),  # an Arabic-Indic three: a digit, but not one a form of ours sends
        ("", None),
        (None, None),
    ],
)
def test_int64_reads_only_digits_that_fit(text, number):
    assert int64(text) == number


@pytest.mark.django_db
def test_a_version_or_a_unit_filter_past_64_bits_is_refused_not_a_500(client):
    """Both reached the database as they came: the autosave's statement, the plan's layout."""
    world = worlds.monitoring_world()
    with worlds.at("2026-04-03 10:00"):
        submission = world.open(1)
        client.force_login(world.executor)
        page = reverse(
            "monitoring:submission", args=[world.body.pk, world.plan.pk, 1, world.unit.pk]
        )
        action = world.actions["q1"]
        saved = client.post(
            f"{page}entries/{action.pk}/", {"status": "executed", "version": "9" * 25}
        )
        assert saved.status_code == 400
        assert not submission.entries.exists()
        client.force_login(world.planner)
        plan = client.get(world.plan.get_absolute_url(), {"unit": "9" * 25})
        assert plan.status_code == 200
