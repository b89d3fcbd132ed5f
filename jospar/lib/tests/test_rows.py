"""The long tables' row writers print what the template engine printed."""

import pytest
from django import forms
from django.test.html import parse_html
from django.urls import reverse

from jospar.lib.forms import LongSelect
from jospar.lib.rows import UrlFor, lines, text


def test_text_escapes_as_templates_do():
    assert text(None) == ""
    assert text(0) == "0"
    assert text("<b> & \"q\" 'a'") == "&lt;b&gt; &amp; &quot;q&quot; &#x27;a&#x27;"


def test_lines_break_every_kind_of_newline():
    assert lines("one\r\ntwo\rthree\n<four>") == "one<br>two<br>three<br>&lt;four&gt;"
    assert lines(None) == ""


@pytest.mark.parametrize("pk", [1, 7, 10, 987, 123456])
def test_url_for_is_reverse(pk):
    url = UrlFor("plans:action_move", 3, 12)
    assert url(pk) == reverse("plans:action_move", args=[3, 12, pk])


def test_url_for_refuses_a_name_whose_last_argument_is_not_in_the_path():
    with pytest.raises(ValueError, match="cannot place"):
        UrlFor("plans:action_move", 987654321, 1)


CHOICES = [("", "—"), (1, "x<y"), ("Group & co", [(2, "two"), (3, 'th"ree')]), (4, "four")]


@pytest.mark.parametrize("initial", [None, 1, 2])
def test_the_long_select_writes_what_djangos_select_writes(initial):
    class Form(forms.Form):
        plain = forms.ChoiceField(
            choices=CHOICES, required=False, widget=forms.Select(attrs={"data-kinds": "a b"})
        )
        long = forms.ChoiceField(
            choices=CHOICES, required=False, widget=LongSelect(attrs={"data-kinds": "a b"})
        )

    form = Form(initial={"plain": initial, "long": initial})
    plain = str(form["plain"]).replace("plain", "field")
    long = str(form["long"]).replace("long", "field")
    assert parse_html(long) == parse_html(plain)
    assert long.count("<option") == 5
