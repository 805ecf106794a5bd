"""Template filters over luoshi.core.wording, built into every template (settings.TEMPLATES builtins):
{{ row.growth|growth }} → 下降3.0%, {{ row.gap|gap }}, {{ value|amount:unit }}, {{ day|cn_day }}, {{ rank|rank }}."""

from django import template

from luoshi.core import wording

register = template.Library()

register.filter("growth", wording.growth)
register.filter("growth_figure", wording.growth_figure)
register.filter("percent", wording.percent)
register.filter("points", wording.points)
register.filter("gap", wording.gap)
register.filter("amount", wording.amount)
register.filter("amount_figure", wording.amount_figure)
register.filter("rank", wording.rank)
register.filter("rank_change", wording.rank_change)
register.filter("cn_day", wording.day)
register.filter("cn_month", wording.month)
register.filter("short_day", wording.short_day)
