"""Reads of the development plan shared by its page, the API and (later) the plan forms."""

from django.db.models import Prefetch

from jospar.strategy.models import DevelopmentPlan, Goal, Indicator, StrategicDirection


def development_plan_tree(plan: DevelopmentPlan) -> list[StrategicDirection]:
    """Directions with their macro indicators and goals → target indicators, each indicator
    with its planned values and responsible unit — a fixed number of queries."""
    indicators = Indicator.objects.select_related("responsible_unit").prefetch_related("values")
    return list(
        plan.directions.prefetch_related(
            Prefetch("macro_indicators", queryset=indicators.order_by("number")),
            Prefetch(
                "goals",
                queryset=Goal.objects.select_related("direction").prefetch_related(
                    Prefetch("target_indicators", queryset=indicators.order_by("number"))
                ),
            ),
        )
    )


def values_by_year(indicator: Indicator, years) -> list:
    """The planned values of a prefetched indicator in the order of `years` (None if unset)."""
    known = {v.year: v.planned for v in indicator.values.all()}
    return [known.get(year) for year in years]
