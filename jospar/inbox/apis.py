from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.inbox.selectors import my_work
from jospar.inbox.serializers import ItemSerializer


class MyWorkView(generics.GenericAPIView):
    """Every item waiting for the caller across their bodies and roles, with its deadline and
    the days left or late, the most urgent first (the page "My work")."""

    serializer_class = ItemSerializer
    pagination_class = None

    @extend_schema(
        summary=gettext_lazy("What waits for me, the most urgent first"),
        responses=ItemSerializer(many=True),
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return Response(ItemSerializer(my_work(request.user), many=True).data)
