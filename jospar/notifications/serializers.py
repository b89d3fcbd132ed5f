from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jospar.api.base import ReadOnlyModelSerializer
from jospar.notifications.models import Notification, Preference


class NotificationSerializer(ReadOnlyModelSerializer):
    text = serializers.CharField(
        read_only=True, help_text=_("What happened, in the language of the request.")
    )
    unread = serializers.BooleanField(read_only=True)
    object_type = serializers.SerializerMethodField(help_text=_("The kind of object it is about."))

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "text",
            "params",
            "link",
            "object_type",
            "object_id",
            "created_at",
            "read_at",
            "unread",
        ]

    def get_object_type(self, notification: Notification) -> str | None:
        if notification.content_type_id is None:
            return None
        content_type = notification.content_type
        return f"{content_type.app_label}.{content_type.model}"


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were unread."))


class PreferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Preference
        fields = ["email_mode", "language"]
