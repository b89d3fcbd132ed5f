from jospar.lib.admin import register_workflow
from jospar.signatures.models import Signature

register_workflow(
    Signature,
    list_display=["signer_name", "iin", "kind", "certificate_serial", "signed_at", "body"],
    list_filter=["body", "kind"],
)
