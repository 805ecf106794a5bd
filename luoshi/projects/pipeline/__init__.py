"""双招双引: the 招商 pipeline, a room of the projects app (issue #24 items 6–8). Leads go 线索 → 在谈 → 签约 → 注册 →
开工 → 投产, each stage a dated row with its evidence; 到位资金 by month and source (外资 in US dollars); a signed lead
that starts becomes a project of the pools (Project.source "pipeline", source_id the lead's id). Composed like an
app's: luoshi/urls.py, luoshi/api.py, the projects command's table (`luoshi projects pipeline`), projects/demo.py."""
