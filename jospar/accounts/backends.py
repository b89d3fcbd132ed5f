"""The login backend: Django's ModelBackend, with the user's read that every request with a
session makes (get_user) written once as SQL rather than built by the ORM each time."""

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError

from jospar.lib.reads import row_where


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            value = model._meta.pk.to_python(user_id)
        except ValidationError:  # a session whose id is not one: no user
            return None
        user = row_where(model, model._meta.pk.column, value)
        return user if user is not None and self.user_can_authenticate(user) else None
