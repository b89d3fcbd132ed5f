"""Downloads of the legal forms (Appendix 1 and 2)."""


def urlpatterns(prefix: str) -> list:
    return []
