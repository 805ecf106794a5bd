"""单位考核排名 (the league table), a room of supervision: each month's units ranked by their milestones, reports and
notices. rules.py (score, bands, the month judged: pure), queries.py (the table, read side), access.py (who reads
which county's table), views.py + urls.py (the page and its xlsx), api.py (GET /api/v1/supervision/league),
cli.py (`luoshi supervision league`), exports.py (the xlsx). Composed in supervision/urls.py, supervision/api.py and
the supervision command."""

from luoshi.supervision.league.queries import league  # noqa: F401  (the table, for the meeting pack)
