"""The meeting pack (会议材料汇编), a room of briefings: read-only over indicators, work, daily and supervision
(through their queries and access) and over briefings' own meetings and sections.

assemble.py  what the pack shows (`build`), from the other apps' read side; no writes
word.py      the pack as a Word file (government document layout); charts.py its native Word charts
access.py    who may generate and read a pack
views.py     the print page and the .docx download; urls.py their paths (mounted by luoshi/urls.py)
api.py       its API router (mounted by luoshi/api.py under /api/v1/briefings)
cli.py       `luoshi briefings pack` (a line of briefings' command table)
"""
