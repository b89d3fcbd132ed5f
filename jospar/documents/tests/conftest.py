from jospar.documents.tests.import_world import world  # noqa: F401 - a shared fixture
