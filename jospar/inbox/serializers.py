from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jospar.inbox.selectors import Kind
from jospar.orgs.models import Role


class ItemSerializer(serializers.Serializer):
    """One item waiting for the user."""

    kind = serializers.ChoiceField(
        [(k, k) for k in Kind.CHOICES], help_text=_("What is to be done.")
    )
    role = serializers.ChoiceField(Role.choices, help_text=_("The role it waits for."))
    body = serializers.IntegerField(source="body.pk", help_text=_("The state body (id)."))
    body_name = serializers.CharField(source="body.__str__")
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("The page where it is done."))
    deadline = serializers.DateField(allow_null=True, help_text=_("None: no deadline."))
    days_left = serializers.IntegerField(
        allow_null=True, help_text=_("Days left until the deadline; 0 when late.")
    )
    days_late = serializers.IntegerField(help_text=_("Days past the deadline, today."))
    count = serializers.IntegerField(help_text=_("How many things the item stands for."))
