"""The usual sets of actions of a ServiceViewSet, as DRF's mixins give them."""

from rest_framework import mixins

from jospar.api.base import ServiceViewSet


class ReadViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Lists and reads; the writes, if any, are steps."""


class ReadCreateViewSet(ReadViewSet, mixins.CreateModelMixin):
    """Lists, reads and creates; no change or deletion."""


class ReadWriteViewSet(ReadCreateViewSet, mixins.UpdateModelMixin):
    """Lists, reads, creates and changes; no deletion."""


class ReadCreateDeleteViewSet(ReadCreateViewSet, mixins.DestroyModelMixin):
    """Lists, reads, creates and deletes; no change."""
