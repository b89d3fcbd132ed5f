"""`languages.reader` reads a text as the field's descriptor does, in each language."""

import pytest
from django.utils import translation

from jospar.lib.languages import reader
from jospar.plans.models import Action

CASES = [
    {"name_kk": "Қазақша", "name_ru": "По-русски", "name_en": "In English"},
    {"name_kk": None, "name_ru": "По-русски", "name_en": "In English"},
    {"name_kk": "Қазақша", "name_ru": None, "name_en": None},
    {"name_kk": None, "name_ru": None, "name_en": "In English"},
    {"name_kk": "", "name_ru": "", "name_en": ""},
    {"name_kk": None, "name_ru": None, "name_en": None},
]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("texts", CASES)
def test_the_reader_gives_what_the_descriptor_gives(language, texts):
    action = Action(name="the original column", **texts)
    with translation.override(language):
        assert reader(Action, "name")(action) == action.name


def test_a_deferred_column_is_read_as_the_descriptor_reads_it(db):
    from tests.factories import ActionFactory

    action = ActionFactory(name_ru="По-русски", name_kk=None)
    deferred = Action.objects.defer("name_kk", "name_ru").get(pk=action.pk)
    with translation.override("kk"):
        assert reader(Action, "name")(deferred) == "По-русски"
