import pytest

from jospar.orgs.models import BudgetProgram, User
from jospar.reports.models import Report
from tests.factories import BudgetProgramFactory


@pytest.mark.django_db
def test_each_save_reuses_the_history_managers_class(body):
    """simple-history asks for a model's `history` manager on every save; its class is made
    once, not once per save, for the models of every kind of declaration (inherited, the
    user's own, a report's)."""
    first, second = BudgetProgramFactory(body=body), BudgetProgramFactory(body=body)
    assert type(first.history) is type(second.history)
    assert type(BudgetProgram.history) is type(first.history)
    assert type(Report.history) is type(User.history) is type(first.history)
    first.name = "Renamed"
    first.save()
    assert [row.name for row in first.history.all()][0] == "Renamed"
    assert first.history.count() == 2 and second.history.count() == 1
