"""The execution dashboard's charts, drawn on the server as SVG (no chart library): the page
shows them inline and offers the same drawing as a file. Colours are written on the shapes
(a downloaded file has no stylesheet); every chart names itself for a screen reader
(role="img", a <title>) and the page puts a table with the same figures beside it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from jospar.orgs.templatetags.jospar import num
from jospar.reports.dashboard import Dashboard, Group, IndicatorSeries

WIDTH = 760
INK = "#1d2733"
MUTED = "#555f6a"
LINE = "#d5dbe1"
# Fills that keep 3:1 against white and apart from each other.
STATES = (
    ("executed", "#2e7d32"),
    ("partial", "#b35c00"),
    ("not_executed", "#a4262c"),
    ("no_information", "#66707a"),
)
ACTUAL = "#00627a"
FONT = 'font-family="system-ui, Segoe UI, Roboto, Noto Sans, DejaVu Sans, sans-serif"'


def state_labels() -> dict[str, str]:
    return {
        "executed": _("Executed"),
        "partial": _("Partially"),
        "not_executed": _("Not executed"),
        "no_information": _("No information"),
    }


def percent(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=0 if value == int(value) else 1) + "%"


def _text(x, y, content, *, size=13, anchor="start", weight="normal", fill=INK) -> str:
    weight_attr = f' font-weight="{weight}"' if weight != "normal" else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"'
        f"{weight_attr}>{escape(content)}</text>"
    )


def _clip(label: str, limit: int = 95) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(title: str, height: int, body: list[str], chart_id: str) -> str:
    title_id = f"{chart_id}-title"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img"'
        f' aria-labelledby="{title_id}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}"'
        f' height="{height}" {FONT}><title id="{title_id}">{escape(title)}</title>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"></rect>'
        + "".join(body)
        + "</svg>"
    )


def _legend(y: int) -> list[str]:
    parts, x = [], 10
    for state, colour in STATES:
        label = state_labels()[state]
        parts.append(f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{colour}"></rect>')
        parts.append(_text(x + 20, y, label))
        x += 34 + 8 * len(label)
    return parts


def share_bars(title: str, groups: list[Group], quarters: list[int], chart_id: str) -> str:
    """For each group (one unnamed group: the whole plan), a stacked bar per quarter that has a
    report: the shares of its due actions executed, partially, not executed, without
    information; the executed share is written at the bar's end."""
    left, bar_width, bar_height, gap = 120, 420, 18, 6
    body = _legend(22)
    y = 44
    labels = state_labels()
    for group in groups:
        if len(groups) > 1 or group.key != "all":
            body.append(_text(10, y + 12, _clip(group.label), weight="bold"))
            y += 20
        for quarter in quarters:
            tally = group.tally(quarter)
            body.append(
                _text(10, y + 14, _("Quarter %(quarter)s") % {"quarter": quarter}, fill=MUTED)
            )
            if tally is None or not tally.due:
                body.append(_text(left, y + 14, _("no actions due"), fill=MUTED))
            else:
                start = 0.0
                for state, colour in STATES:
                    count_ = getattr(tally, state)
                    width = bar_width * count_ / tally.due
                    if width:
                        tip = _("%(state)s: %(count)s of %(due)s (%(share)s)") % {
                            "state": labels[state],
                            "count": count_,
                            "due": tally.due,
                            "share": percent(100 * count_ / tally.due),
                        }
                        body.append(
                            f'<rect x="{left + start:.1f}" y="{y}" width="{width:.1f}"'
                            f' height="{bar_height}" fill="{colour}"><title>{escape(tip)}</title>'
                            "</rect>"
                        )
                    start += width
                summary = _("%(share)s executed of %(due)s due") % {
                    "share": percent(100 * tally.executed / tally.due),
                    "due": tally.due,
                }
                body.append(_text(left + bar_width + 10, y + 14, summary))
            y += bar_height + gap
        y += 8
    if not quarters:
        body.append(_text(10, y + 14, _("No quarter has a report yet."), fill=MUTED))
        y += 24
    return _svg(title, y + 4, body, chart_id)


def _scale_top(values: list[Decimal]) -> Decimal:
    top = max(values, default=Decimal(0))
    return top * Decimal("1.15") if top > 0 else Decimal(1)


def indicator_panels(title: str, series: list[IndicatorSeries], chart_id: str) -> str:
    """Small multiples, two to a row: for each target indicator, a column per quarter with its
    latest actual value by the quarter's end, and a dashed line at the plan for the year."""
    columns, panel_width, panel_height = 2, 370, 190
    body = [
        f'<rect x="10" y="10" width="20" height="12" fill="{ACTUAL}"></rect>',
        _text(36, 21, _("Actual value by the end of the quarter")),
        f'<line x1="400" y1="16" x2="430" y2="16" stroke="{INK}" stroke-width="2"'
        ' stroke-dasharray="6 3"></line>',
        _text(436, 21, _("Plan for the year")),
    ]
    top_margin = 36
    for index, line in enumerate(series):
        x0 = 10 + (index % columns) * (panel_width + 10)
        y0 = top_margin + (index // columns) * (panel_height + 10)
        body.append(
            f'<rect x="{x0}" y="{y0}" width="{panel_width}" height="{panel_height}"'
            f' fill="none" stroke="{LINE}"></rect>'
        )
        body.append(_text(x0 + 8, y0 + 18, _clip(line.label, 44), size=12, weight="bold"))
        body.append(_text(x0 + 8, y0 + 34, line.unit_of_measure, size=11, fill=MUTED))
        values = [p.actual for p in line.points.values() if p.actual is not None]
        if line.planned is not None:
            values.append(line.planned)
        top = _scale_top(values)
        base = y0 + panel_height - 24
        plot_height = panel_height - 24 - 56
        slot = (panel_width - 40) / 4
        plan_y = None
        if line.planned is not None:
            plan_y = base - float(plot_height * max(line.planned, Decimal(0)) / top)
        for quarter in (1, 2, 3, 4):
            cx = x0 + 20 + slot * (quarter - 1)
            body.append(
                _text(
                    cx + slot / 2,
                    base + 16,
                    _("Q%(quarter)s") % {"quarter": quarter},
                    size=11,
                    anchor="middle",
                    fill=MUTED,
                )
            )
            point = line.point(quarter)
            if point is None or point.actual is None:
                body.append(
                    _text(cx + slot / 2, base - 4, "—", size=11, anchor="middle", fill=MUTED)
                )
                continue
            height = float(plot_height * max(point.actual, Decimal(0)) / top)
            body.append(
                f'<rect x="{cx + slot * 0.2:.1f}" y="{base - height:.1f}" width="{slot * 0.6:.1f}"'
                f' height="{height:.1f}" fill="{ACTUAL}"><title>{escape(num(point.actual))}</title>'
                "</rect>"
            )
            label_y, colour = base - height - 4, INK
            if plan_y is not None and abs(label_y - 4 - plan_y) < 9 and height > 20:
                label_y, colour = base - height + 14, "#ffffff"  # inside the bar, off the line
            body.append(
                _text(
                    cx + slot / 2, label_y, num(point.actual), size=11, anchor="middle", fill=colour
                )
            )
        body.append(
            f'<line x1="{x0 + 16}" y1="{base}" x2="{x0 + panel_width - 16}" y2="{base}"'
            f' stroke="{MUTED}"></line>'
        )
        if plan_y is not None:
            py = plan_y
            body.append(
                f'<line x1="{x0 + 16}" y1="{py:.1f}" x2="{x0 + panel_width - 16}" y2="{py:.1f}"'
                f' stroke="{INK}" stroke-width="2" stroke-dasharray="6 3"></line>'
            )
            body.append(
                _text(
                    x0 + panel_width - 16,
                    py - 4,
                    _("Plan: %(value)s") % {"value": num(line.planned)},
                    size=11,
                    anchor="end",
                )
            )
    rows = (len(series) + columns - 1) // columns
    height = top_margin + rows * (panel_height + 10)
    if not series:
        body.append(_text(10, 56, _("The development plan has no target indicators."), fill=MUTED))
        height = 72
    return _svg(title, height, body, chart_id)


def chart_title(name: str, dashboard: Dashboard) -> str:
    year = dashboard.plan.year
    if name == "overall":
        return _("Execution of the due actions of the %(year)s plan, by quarter") % {"year": year}
    if name == "indicators":
        return _("Target indicators of %(year)s: plan and actual values by quarter") % {
            "year": year
        }
    titles = {
        "direction": _("Execution of the due actions of the %(year)s plan by strategic direction"),
        "goal": _("Execution of the due actions of the %(year)s plan by goal"),
        "unit": _("Execution of the due actions of the %(year)s plan by responsible executor"),
    }
    return titles[name] % {"year": year}


CHARTS = ("overall", "direction", "goal", "unit", "indicators")


def chart(name: str, dashboard: Dashboard) -> str:
    """The SVG of one of CHARTS."""
    title = chart_title(name, dashboard)
    chart_id = f"chart-{name}"
    if name == "indicators":
        return indicator_panels(title, dashboard.indicators, chart_id)
    groups = [dashboard.overall] if name == "overall" else dashboard.groups[name]
    return share_bars(title, groups, dashboard.reported, chart_id)
