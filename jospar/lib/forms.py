"""Forms whose validation of uniqueness and cross-record rules is left to the services."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.text import capfirst


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that checks the fields only; the service checks the rest and saves."""

    def validate_unique(self):
        """Uniqueness is the service's job, so the message names the field the same way
        for a page, the API and a command."""


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
