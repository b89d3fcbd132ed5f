import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter

from jospar.lib.converters import INT64_MAX, Int64Converter

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
