from rest_framework import serializers


def signature_field(help_text: str) -> serializers.CharField:
    """The `cms` of a step the body may sign with the digital signature: the detached CMS,
    base64, as NCALayer makes it (at most 100,000 characters; a real one is a few thousand)."""
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100_000, help_text=help_text
    )
