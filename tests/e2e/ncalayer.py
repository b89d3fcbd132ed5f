"""A fake NCALayer for the browser tests of signing with the digital signature: a WebSocket
server on a free loopback port that greets the page with its version and answers the `sign`
call of kz.gov.pki.knca.basics as NCALayer does, with a detached CMS of the data it was sent,
made with the test CA's keys (jospar/signatures/tests/pki.py). The fixtures `eds_ca` and
`ncalayer` (tests/e2e/conftest.py) start it and point NCALAYER_URL and the trusted roots at
it and at the test CA."""

import base64
import json
import threading

from websockets.sync.server import serve


class FakeNCALayer:
    """NCALayer's WebSocket as the page sees it; `key` is the key the person picks in its
    window (a Holder of the test CA), None when they cancel."""

    def __init__(self, ca):
        self.ca = ca
        self.key = ca.signer
        self.requests: list[dict] = []
        self.server = serve(self.answer, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/"

    def answer(self, connection):
        connection.send(json.dumps({"result": {"version": "1.4"}}))
        for message in connection:
            request = json.loads(message)
            self.requests.append(request)
            if request.get("module") != "kz.gov.pki.knca.basics" or request["method"] != "sign":
                connection.send(json.dumps({"code": "500", "message": "unknown module"}))
            elif self.key is None:  # the person closed the window: no result
                connection.send(json.dumps({"status": True, "body": {}}))
            else:
                data = base64.b64decode(request["args"]["data"])
                cms = self.ca.sign(self.key, data)
                connection.send(json.dumps({"status": True, "body": {"result": [cms]}}))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


# The panel the page shows once NCALayer has signed (jospar/eds.js): the signer certificate's
# details, then "Confirm and submit" — or, when the check names problems, only "Choose another
# key" and "Cancel".

CONFIRM = "Confirm and submit"
ANOTHER = "Choose another key"


def certificate_panel(page):
    """The panel, once shown (focused, as a dialog is when it opens)."""
    from playwright.sync_api import expect

    panel = page.get_by_role("dialog")
    expect(panel).to_be_visible()
    expect(panel).to_be_focused()
    return panel


def confirm(page, *texts: str):
    """Confirm the step in the panel, checking first that it shows `texts` (the signer's
    name, IIN, the certificate's serial…)."""
    from playwright.sync_api import expect

    panel = certificate_panel(page)
    expect(panel).to_contain_text("You are signing as:")
    for text in texts:
        expect(panel).to_contain_text(text)
    panel.get_by_role("button", name=CONFIRM).click()
