"""Import of an operational plan from XLSX in the Appendix 1 layout."""


def urlpatterns() -> list:
    return []
