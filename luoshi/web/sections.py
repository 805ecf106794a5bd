"""The navigation: the five sections of luoshi, each shown to the users who can open it. A section with no url
name yet is shown as coming, to the people it is meant for (those who read indicators or key work)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url_name: str | None
    summary: str


SECTIONS = [
    Section("indicators", "经济运行", "indicators:index", "年度目标、序时进度、双过半、全市位次与长项短板"),
    Section("work", "重点工作", "work:index", "攻坚战、重点任务与节点、配档表、横道图、进度填报"),
    Section("supervision", "督查督办", "supervision:index", "督办单、倒查、单位排名"),
    Section("daily", "村居日报", "daily:index", "村（社区）每日报送、零报告、缺报提醒"),
    Section("briefings", "会议材料", "briefings:index", "经济形势分析会材料与会议决定跟踪"),
    Section("projects", "重点项目", "projects:index", "项目库、月度调度、投资完成率与开工率"),
]


def readable_sections(user):
    """The keys of the built sections this user may open; each app's access helper decides."""
    from luoshi.briefings.access import can_read_briefings
    from luoshi.daily.access import can_read_daily
    from luoshi.indicators.access import readable_regions
    from luoshi.projects.access import can_read_projects
    from luoshi.supervision.access import can_read_supervision
    from luoshi.work.access import can_read_work

    if not getattr(user, "is_authenticated", False):
        return set()
    checks = {"indicators": lambda: readable_regions(user).exists(), "work": lambda: can_read_work(user),
              "daily": lambda: can_read_daily(user), "supervision": lambda: can_read_supervision(user),
              "briefings": lambda: can_read_briefings(user), "projects": lambda: can_read_projects(user)}
    return {key for key, check in checks.items() if check()}


def nav_items(active=None, user=None):
    readable = readable_sections(user)
    items = []
    for section in SECTIONS:
        url = None
        if section.url_name:
            try:
                url = reverse(section.url_name)
            except NoReverseMatch:
                url = None
        if url is None and not readable & {"indicators", "work"}:
            continue  # announced only to district and department officials, not to village reporters
        if url is not None and section.key not in readable:
            continue
        items.append({"key": section.key, "title": section.title, "url": url, "summary": section.summary,
                      "coming": url is None, "active": section.key == active})
    return items
