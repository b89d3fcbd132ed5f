"""Bounds on what a request may ask of the API: a page's size and offset, and the depth of a
JSON body. Out-of-range values are clamped or answered with a 400, never passed to the
database or the decoder as they came."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination

MAX_PAGE = 500  # rows; the default page stays PAGE_SIZE


class ClampedPagination(LimitOffsetPagination):
    """limit/offset pages whose limit is at most MAX_PAGE and whose offset stops at the end
    of the list (a 20-digit offset or limit overflowed the database's integers)."""

    max_limit = MAX_PAGE

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), self.count)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested deeper than the decoder can follow is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from None
