"""What the tests of the signed steps share: a logged-in client, a body's choice of the
signature for a kind of step, a CMS of an object's canonical document made with the test CA,
and the schema's description of a step's `cms`."""

from django.test import Client

from jospar.orgs.models import StateBody
from jospar.signatures import canonical


def client_of(user=None) -> Client:
    """A client in English, logged in as `user` (anonymous without one)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def use_eds(body: StateBody, kind: str, setting: str) -> None:
    """The body signs the steps on objects of `kind` as `setting` says (SignatureUse)."""
    setattr(body, StateBody.EDS_SETTING[kind], setting)
    body.save()


def sign(ca, kind: str, obj, holder=None) -> str:
    """A detached CMS (base64) of `obj`'s canonical document as `kind`, made with `holder`'s key
    of the test CA (its signer by default), as NCALayer would make it."""
    return ca.sign(holder or ca.signer, canonical.document_of(kind, obj))


def cms_description(schema: dict, path: str) -> str:
    """The OpenAPI description of the `cms` field of the POST at `path`."""
    operation = schema["paths"][path]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["properties"]["cms"][
        "description"
    ]
