"""The API docs (Swagger UI) under the site's Content-Security-Policy.

drf-spectacular's plain Swagger view writes its start-up script inline; its split view serves
that script from the same URL (`?script`), so the page loads only same-origin scripts and needs
no 'unsafe-inline' nor a nonce. The template drops the view's inline <style> for a static
stylesheet. The one loosening, for this page only: Swagger UI's stylesheet draws a few icons
as data: images, so img-src also allows data: here.
"""

from csp.constants import SELF
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


def docs_view(**initkwargs):
    return csp_update({"img-src": [SELF, "data:"]})(SwaggerDocsView.as_view(**initkwargs))
