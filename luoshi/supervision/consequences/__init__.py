"""结果运用 (consequences), a room of supervision: what 倒查 ends in. A proposal (处理建议: 提醒谈话, 约谈, 通报批评,
问责) about a unit — raised by the triggers (triggers.py: late answers to notices, a task red period after period; in
the daily sweep and `luoshi supervision consequences`) or by the office from the 倒查 chain — decided once by the
region's leader; the decision's .docx (documents.py); 典型经验 of the league's 先进 and the month's 通报; league
adjustments (加分/减分). models.py (the tables, app label supervision), rules.py (pure), services.py (every write),
access.py (who may do what), queries.py (read side: pending_for_leader for the 驾驶舱), triggers.py, documents.py,
views.py + urls.py, api.py, cli.py. Composed in luoshi/urls.py, luoshi/api.py and the supervision command."""
