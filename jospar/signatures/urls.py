from django.urls import path

from jospar.lib.views import page
from jospar.signatures import views

app_name = "signatures"
S = "bodies/<int64:body_id>/signatures/<int64:signature_id>/"
urlpatterns = [
    path(S, views.signature_page, name="signature"),
    page(S + "signature.cms", views.signature_cms),
    page(S + "document.json", views.signature_document),
    page(S + "signature.zip", views.signature_package),
    # the signer's certificate checked before the step it signs (JSON)
    path("signatures/check/", views.check_certificate, name="check"),
    # public: what the QR code of a signed form opens
    path("verify/<str:code>/", views.verify_page, name="verify"),
]
