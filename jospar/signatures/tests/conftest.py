import pytest

from jospar.signatures.tests.pki import IIN, make_ca
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def ca():
    return make_ca()


@pytest.fixture(scope="session")
def roots_file(ca, tmp_path_factory):
    path = tmp_path_factory.mktemp("eds") / "roots.pem"
    path.write_bytes(ca.roots_pem())
    return path


@pytest.fixture(autouse=True)
def _trusted_roots(settings, roots_file):
    settings.SIGNATURE_BACKEND = "builtin"
    settings.SIGNATURE_TRUSTED_ROOTS = str(roots_file)


@pytest.fixture
def person(db):
    return UserFactory(username="signer", iin=IIN)
