"""Forms whose validation of uniqueness and cross-record rules is left to the services."""

import copy

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from jospar.lib.languages import HELD, OFFICIAL, localized
from jospar.lib.records import Conflict
from jospar.lib.rows import joined, text

# The arguments of every form; what else a form class takes (a plan, a body) it takes again
# when it shows the other person's save.
FORM_ARGUMENTS = ("data", "files", "instance", "initial", "prefix", "auto_id")


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that checks the fields only; the service checks the rest and saves.

    A text the model holds in each language (its TEXTS, jospar/translation.py) is asked in
    Kazakh and in Russian side by side (and in English when the page is in English or the text
    has an English version): one may wait for later, but a text that must be given needs one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = {}  # a text → its fields, one per language
        for name in getattr(self._meta.model, "TEXTS", ()):
            if name in self.fields and self._is_held(name):
                self._ask_in_languages(name)

    def _is_held(self, name: str) -> bool:
        try:
            self._meta.model._meta.get_field(localized(name, OFFICIAL[0]))
        except FieldDoesNotExist:
            return False
        return True

    def _ask_in_languages(self, name: str) -> None:
        original = self.fields[name]
        active = get_language()
        shown = [
            language
            for language in HELD
            if language in OFFICIAL
            or language == active
            or getattr(self.instance, localized(name, language), None)
        ]
        written = {
            language: getattr(self.instance, localized(name, language), None) or ""
            for language in shown
        }
        fields = {}
        for language in shown:
            field = copy.deepcopy(original)
            field.required = False
            field.label = _("%(field)s (%(language)s)") % {
                "field": capfirst(original.label),
                "language": language_name(language),
            }
            attrs = field.widget.attrs
            attrs.update({"lang": language, "data-text": name})
            if not written[language].strip() and any(v.strip() for v in written.values()):
                attrs["placeholder"] = _("Not yet written in this language")
                attrs["data-missing"] = "true"
            fields[localized(name, language)] = field
            self.initial.setdefault(localized(name, language), written[language])
        position = list(self.fields).index(name)
        items = list(self.fields.items())
        self.fields.clear()
        self.fields.update(items[:position] + list(fields.items()) + items[position + 1 :])
        self.languages[name] = (list(fields), original.required)

    def clean(self):
        cleaned = super().clean()
        for fields, required in self.languages.values():
            if required and not any((cleaned.get(field) or "").strip() for field in fields):
                self.add_error(fields[0], _("Write it in at least one language."))
        return cleaned

    def validate_unique(self):
        """Uniqueness is the service's job, so the message names the field the same way
        for a page, the API and a command."""


class VersionedForm(ServiceModelForm):
    """The form of a Versioned object: it sends the version the user opened (a hidden field,
    absent on creation), so that a save after someone else's is a conflict, not an
    overwrite."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __new__(cls, *args, **kwargs):
        form = super().__new__(cls)
        form.own_arguments = {k: v for k, v in kwargs.items() if k not in FORM_ARGUMENTS}
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        else:
            del self.fields["version"]

    def show_conflict(self, conflict: Conflict) -> None:
        """Keep the user's input, say who saved in between, show what they saved next to each
        field that differs, and take their version, so that saving again is a deliberate
        choice."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = conflict.current.version
        self.add_error(None, conflict.message)
        theirs = type(self)(instance=conflict.current, **self.own_arguments)
        for name, field in self.fields.items():
            value = theirs.initial.get(name)
            if name == "version" or value in (None, "", []):
                continue
            if field.has_changed(value, self[name].data):
                self.add_error(name, _("They saved: %(value)s") % {"value": shown(field, value)})


class LongSelect(forms.Select):
    """A select of many options (a plan's 2,000 actions) written as Django's select template
    writes it, without a template per option (those took 0.35 s of the report page)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{text(group_name)}">')
            parts += (
                f'\n  <option value="{text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{text(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return joined(parts)


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html: a True attribute by its name alone, a False one left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def shown(field: forms.Field, value) -> str:
    """A form value as the person reads it: a choice by its label, a date as written."""
    if isinstance(value, list | tuple):
        return ", ".join(shown(field, item) for item in value) or "—"
    if hasattr(value, "pk"):
        return str(value)
    for key, label in getattr(field, "choices", ()):
        options = label if isinstance(label, list | tuple) else [(key, label)]  # a group
        for option, option_label in options:
            if str(getattr(option, "value", option)) == str(value):
                return str(option_label)
    return str(value)


def language_name(code: str) -> str:
    """A language's name in the page's language ("Kazakh", "қазақ тілі" ...)."""
    return get_language_info(code)["name_translated"]


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    languages = getattr(form, "languages", {})
    for field, messages in error.message_dict.items():
        if field in languages:  # a text asked in each language: its first field
            field = languages[field][0][0]
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)


def service_data(form: forms.Form) -> dict:
    """The form's data as its service takes it: its service_data(), else its cleaned_data."""
    return form.service_data() if hasattr(form, "service_data") else form.cleaned_data


def error_text(error: ValidationError, model=None) -> list[str]:
    """A service's ValidationError as messages for a page that has no form to put it on: each
    field's message is led by the field's name, as `model` labels it."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    texts = []
    for field, messages in error.message_dict.items():
        label = None
        if model is not None and field != NON_FIELD_ERRORS:
            try:
                label = capfirst(model._meta.get_field(field).verbose_name)
            except FieldDoesNotExist:
                label = None
        texts.extend(f"{label}: {message}" if label else message for message in messages)
    return texts
