"""The NCANode backend against a small HTTP server this test starts on a free loopback port,
answering POST /cms/verify as NCANode v3 documents it. No network beyond 127.0.0.1."""

import base64
import http.server
import json
import socket
import threading

import pytest

from jospar.signatures import verify as v
from jospar.signatures.tests.pki import IIN, OTHER_IIN

DOCUMENT = b'{"format":"jospar-test/1"}'
CMS = base64.b64encode(b"a CMS as NCALayer made it").decode()


def certificate(*, iin=IIN, key_usage="SIGN", valid=True) -> dict:
    return {
        "valid": valid,
        "notBefore": "2026-01-10T09:00:00Z",
        "notAfter": "2027-01-10T09:00:00Z",
        "serialNumber": "6c425659bd2fc6dc587b871aede1857727cf8451",
        "keyUsage": key_usage,
        "keyUser": ["INDIVIDUAL"],
        "subject": {
            "commonName": "ТЕСТОВ ТЕСТ",
            "lastName": "ТЕСТОВ",
            "surName": "ТЕСТОВИЧ",
            "iin": iin,
            "bin": None,
            "dn": f"CN=ТЕСТОВ ТЕСТ,SURNAME=ТЕСТОВ,SERIALNUMBER=IIN{iin},C=KZ,G=ТЕСТОВИЧ",
        },
        "issuer": {"commonName": "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)", "dn": "CN=NCA (RSA),C=KZ"},
        "revocations": [{"revoked": False, "by": "OCSP"}],
    }


def answer(*, valid=True, **options) -> dict:
    return {
        "status": 200,
        "message": "OK",
        "valid": valid,
        "signers": [
            {"certificates": [certificate(**options)], "signingTime": "2026-02-16T07:00:00Z"}
        ],
    }


class FakeNCANode(http.server.BaseHTTPRequestHandler):
    """Answers with the server's `reply` (status, body) and keeps each request it read."""

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, body))
        status, reply = self.server.reply
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def ncanode():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeNCANode)
    server.requests, server.reply = [], (200, answer())
    # shutdown() waits for the loop's next poll: every 0.05 s instead of the default 0.5 s
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def node(ncanode, settings):
    settings.SIGNATURE_BACKEND = "ncanode"
    settings.NCANODE_URL = f"http://127.0.0.1:{ncanode.server_port}/"
    settings.NCANODE_TIMEOUT = 5
    ncanode.requests.clear()
    return ncanode


def test_a_valid_signature_with_the_signing_key_passes(node, person):
    node.reply = (200, answer())
    verification = v.verify(CMS, DOCUMENT, person)
    assert verification.ok, verification.reason
    assert verification.backend == "ncanode" and verification.iin == IIN
    assert verification.signer_name == "ТЕСТОВ ТЕСТ ТЕСТОВИЧ"
    assert verification.serial == "6C425659BD2FC6DC587B871AEDE1857727CF8451"
    assert verification.issuer == "CN=NCA (RSA),C=KZ"
    assert verification.not_after.year == 2027 and verification.signing_time.month == 2
    [(path, request)] = node.requests
    assert path == "/cms/verify"
    assert request["cms"] == CMS and request["detached"] is True
    assert base64.b64decode(request["data"]) == DOCUMENT
    assert request["revocationCheck"] == ["OCSP"]


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ((200, answer(key_usage="AUTH")), v.auth_key),
        ((200, answer(iin=OTHER_IIN)), v.other_person),
        ((200, answer(valid=False)), v.not_the_document),
        ((400, {"status": 400, "message": "Invalid CMS"}), v.not_cms),
        ((500, {"status": 500, "message": "Internal error"}), v.unreachable),
    ],
)
def test_ncanodes_refusals_are_mapped_to_their_reasons(node, person, reply, reason):
    node.reply = reply
    verification = v.verify(CMS, DOCUMENT, person)
    assert not verification.ok and verification.reason == reason()


def test_an_expired_certificate_is_refused(node, person):
    reply = answer(valid=False)
    reply["signers"][0]["certificates"][0]["valid"] = False
    node.reply = (200, reply)
    verification = v.verify(CMS, DOCUMENT, person)
    assert not verification.ok and verification.reason == v.expired()


def test_a_revoked_certificate_is_refused(node, person):
    reply = answer(valid=False)
    reply["signers"][0]["certificates"][0]["valid"] = False
    reply["signers"][0]["certificates"][0]["revocations"] = [{"revoked": True, "by": "OCSP"}]
    node.reply = (200, reply)
    verification = v.verify(CMS, DOCUMENT, person)
    assert not verification.ok and verification.reason == v.revoked()


def test_what_is_not_base64_does_not_reach_ncanode(node, person):
    verification = v.verify("not base64!", DOCUMENT, person)
    assert verification.reason == v.not_base64() and not node.requests


def free_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_server_that_does_not_answer_is_said_so(node, person, settings):
    settings.NCANODE_URL = f"http://127.0.0.1:{free_port()}"
    verification = v.verify(CMS, DOCUMENT, person)
    assert not verification.ok and verification.reason == v.unreachable()
