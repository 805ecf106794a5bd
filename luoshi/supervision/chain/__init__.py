"""倒查 (tracing a task or milestone back), a room of supervision: each task's chain as a timeline, and the seriously
overdue items with theirs. queries.py (the chain, read side, from work.queries.task_records and the notices),
access.py (who reads which chain: work.access.accountable_task_filter, and the units once on the chain), views.py +
urls.py (the pages, the xlsx and the .docx), api.py (GET /api/v1/supervision/chain/…), exports.py (the xlsx,
registered as `luoshi export supervision-overdue`, and the .docx). Composed in supervision/urls.py, supervision/api.py
and supervision/transfers.py."""
