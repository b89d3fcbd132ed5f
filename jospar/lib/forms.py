"""Forms whose validation of uniqueness and cross-record rules is left to the services."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from jospar.lib.records import Conflict
from jospar.lib.rows import joined, text

# The arguments of every form; what else a form class takes (a plan, a body) it takes again
# when it shows the other person's save.
FORM_ARGUMENTS = ("data", "files", "instance", "initial", "prefix", "auto_id")


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that checks the fields only; the service checks the rest and saves."""

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


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
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
