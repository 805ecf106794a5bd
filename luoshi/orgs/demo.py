"""The demo district: 济南市, its twelve county-level regions, 济阳区's towns, departments and villages.

Illustrative data: names of towns are real, village names, codes below town level and people are made up.
"""

from luoshi.orgs import services
from luoshi.orgs.models import RegionLevel, Role, UnitKind

DEMO_PASSWORD = "luoshi-demo-2020"

CITY = ("370100", "济南市")
COUNTIES = [
    ("370102", "历下区"), ("370103", "市中区"), ("370104", "槐荫区"), ("370105", "天桥区"),
    ("370112", "历城区"), ("370113", "长清区"), ("370114", "章丘区"), ("370115", "济阳区"),
    ("370116", "莱芜区"), ("370117", "钢城区"), ("370124", "平阴县"), ("370126", "商河县"),
]
DISTRICT = "370115"
TOWNS = [
    ("370115001", "济阳街道"), ("370115002", "济北街道"), ("370115003", "回河街道"), ("370115004", "孙耿街道"),
    ("370115005", "崔寨街道"), ("370115006", "太平街道"), ("370115101", "曲堤镇"), ("370115102", "仁风镇"),
    ("370115103", "垛石镇"), ("370115104", "新市镇"),
]
VILLAGE_NAMES = ["东关村", "西街社区", "前进村", "王家村", "李家庄村", "新华社区"]
VILLAGES_PER_TOWN = 4

OFFICES = [
    ("370115B01", "区委办公室", "区委办"),
    ("370115B02", "区政府办公室", "区府办"),
    ("370115B03", "区委区政府督查室", "督查室"),
]
DEPARTMENTS = [
    ("370115D01", "区发展和改革局", "发改局"), ("370115D02", "区统计局", "统计局"), ("370115D03", "区商务局", "商务局"),
    ("370115D04", "区财政局", "财政局"), ("370115D05", "区教育和体育局", "教体局"), ("370115D06", "区卫生健康局", "卫健局"),
    ("370115D07", "区住房和城乡建设局", "住建局"), ("370115D08", "区农业农村局", "农业农村局"),
    ("370115D09", "区工业和信息化局", "工信局"), ("370115D10", "区科学技术局", "科技局"), ("370115D11", "区民政局", "民政局"),
    ("370115D12", "区司法局", "司法局"), ("370115D13", "区人力资源和社会保障局", "人社局"), ("370115D14", "区自然资源局", "自然资源局"),
    ("370115D15", "区生态环境分局", "生态环境分局"), ("370115D16", "区交通运输局", "交通运输局"), ("370115D17", "区水务局", "水务局"),
    ("370115D18", "区文化和旅游局", "文旅局"), ("370115D19", "区应急管理局", "应急局"), ("370115D20", "区审计局", "审计局"),
    ("370115D21", "区市场监督管理局", "市场监管局"), ("370115D22", "区行政审批服务局", "审批局"), ("370115D23", "区医疗保障局", "医保局"),
    ("370115D24", "区城市管理局", "城管局"), ("370115D25", "区投资促进中心", "投促中心"), ("370115D26", "区退役军人事务局", "退役军人局"),
    ("370115D27", "区综合行政执法局", "执法局"), ("370115D28", "国家税务总局济阳区税务局", "税务局"),
    ("370115D29", "区公安分局", "公安分局"), ("370115D30", "区大数据局", "大数据局"),
]

# username, full name, title, roles [(role, scope: region code or unit code)], the person's unit. A person may hold
# several roles: 发改局's head is the district's analysis office and also answers for his own bureau (its notices,
# its tasks, its meeting sections) as a unit; likewise 统计局's deputy head for 统计局.
ACCOUNTS = [
    ("admin", "系统管理员", "信息中心工程师", [(Role.ADMIN, None)], "370115B02"),
    ("leader", "王晓明", "区长", [(Role.LEADER, DISTRICT)], "370115B02"),
    ("ducha", "李静", "督查室主任", [(Role.SUPERVISION, DISTRICT)], "370115B03"),
    ("fagai", "赵磊", "发改局局长", [(Role.ANALYSIS, DISTRICT), (Role.UNIT, "370115D01")], "370115D01"),
    ("tongji", "钱芳", "统计局副局长", [(Role.STATISTICS, DISTRICT), (Role.UNIT, "370115D02")], "370115D02"),
    ("shangwu", "周强", "商务局办公室主任", [(Role.UNIT, "370115D03")], "370115D03"),
    ("jiedao", "孙丽", "济阳街道党政办主任", [(Role.UNIT, "370115001")], "370115001"),
    ("cunju", "吴娟", "东关村文书", [(Role.REPORTER, "370115001201")], "370115001201"),
]

# One unit account (the office's director, unit role) for every other unit with work in the demo: the lead and
# responsible units of the plan's tasks (work/demo.py), so every notice can be answered (supervision/demo.py), and the
# responsible units asked for meeting sections (indicators/demo.py, briefings/demo.py), the 责任单位 of the pools'
# projects (projects/demo.py). username, unit, full name.
UNIT_ACCOUNTS = [
    ("caizheng", "370115D04", "郑华"), ("jiaoti", "370115D05", "冯敏"), ("weijian", "370115D06", "陈涛"),
    ("zhujian", "370115D07", "褚刚"), ("nongye", "370115D08", "卫东"), ("gongxin", "370115D09", "蒋勇"),
    ("keji", "370115D10", "苏畅"), ("minzheng", "370115D11", "沈静"), ("renshe", "370115D13", "韩梅"), ("ziran", "370115D14", "杨帆"),
    ("shengtai", "370115D15", "朱峰"), ("jiaotong", "370115D16", "秦川"), ("shuiwu", "370115D17", "尤海"),
    ("wenlv", "370115D18", "许婷"), ("shichang", "370115D21", "何琳"), ("shenpi", "370115D22", "吕洁"),
    ("chengguan", "370115D24", "施军"), ("touzi", "370115D25", "张鹏"), ("guoshui", "370115D28", "孔亮"),
    ("dashuju", "370115D30", "曹宇"),
    ("jibei", "370115002", "严红"), ("huihe", "370115003", "华伟"), ("sungeng", "370115004", "金鑫"),
    ("cuizhai", "370115005", "魏玲"), ("taiping", "370115006", "陶然"), ("quti", "370115101", "姜波"),
    ("renfeng", "370115102", "戚兰"), ("duoshi", "370115103", "谢斌"), ("xinshi", "370115104", "邹平"),
]


def _unit_title(unit_code):
    """The title of a unit account's person: a department's 办公室主任, a town's 党政办主任."""
    for code, _, short in DEPARTMENTS:
        if code == unit_code:
            return f"{short}办公室主任"
    return f"{dict(TOWNS)[unit_code]}党政办主任"


def all_accounts():
    """Every demo account as (username, full name, title, roles, the person's unit)."""
    return ACCOUNTS + [(username, name, _unit_title(unit), [(Role.UNIT, unit)], unit)
                       for username, unit, name in UNIT_ACCOUNTS]


def village_code(town_code, index):
    return f"{town_code}{200 + index + 1:03d}"


def build(ctx):
    """Create or update the organisation; fills ctx with the objects later demo builders use."""
    actor = None
    city, _ = services.save_region(actor, code=CITY[0], name=CITY[1], level=RegionLevel.CITY)
    regions = {city.code: city}
    for code, name in COUNTIES:
        regions[code], _ = services.save_region(actor, code=code, name=name, level=RegionLevel.COUNTY, parent=city)
    district = regions[DISTRICT]
    units = {}
    for code, name, short in OFFICES:
        units[code], _ = services.save_unit(actor, code=code, name=name, short_name=short, kind=UnitKind.OFFICE, region=district)
    for code, name, short in DEPARTMENTS:
        units[code], _ = services.save_unit(actor, code=code, name=name, short_name=short, kind=UnitKind.DEPARTMENT, region=district)
    villages = []
    for town_index, (code, name) in enumerate(TOWNS):
        town, _ = services.save_region(actor, code=code, name=name, level=RegionLevel.TOWN, parent=district)
        regions[code] = town
        gov_name = f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"
        units[code], _ = services.save_unit(actor, code=code, name=gov_name, short_name=name, kind=UnitKind.TOWNSHIP, region=town)
        for i in range(VILLAGES_PER_TOWN):
            vname = VILLAGE_NAMES[(town_index + i) % len(VILLAGE_NAMES)]
            vcode = village_code(code, i)
            village, _ = services.save_region(actor, code=vcode, name=vname, level=RegionLevel.VILLAGE, parent=town)
            regions[vcode] = village
            committee = "居民委员会" if vname.endswith("社区") else "村民委员会"
            units[vcode], _ = services.save_unit(actor, code=vcode, name=f"{name}{vname}{committee}", short_name=vname,
                                                 kind=UnitKind.VILLAGE, region=village)
            villages.append(village)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users, unit_users = {}, {}
    for username, full_name, title, roles, unit_code in all_accounts():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.create_account(actor, username=username, password=DEMO_PASSWORD, full_name=full_name)
        services.save_person(actor, name=full_name, title=title, unit=units[unit_code], user=user)
        for role, scope in roles:
            scoped_unit = role in (Role.UNIT, Role.REPORTER)
            services.assign_role(actor, user=user, role=role, region=None if scoped_unit or not scope else regions[scope],
                                 unit=units[scope] if scoped_unit else None)
            if role == Role.UNIT:
                unit_users.setdefault(scope, user)
        users[username] = user
    ctx.update(city=city, district=district, regions=regions, units=units, villages=villages, users=users,
               unit_users=unit_users)
    return ctx


def _roles_text(roles):
    """"发改局（经济分析） + 责任单位（发改局）": each role, a unit's by the unit's short name."""
    short = {code: short for code, _, short in OFFICES + DEPARTMENTS} | dict(TOWNS)
    return " + ".join(f"{Role(role).label}（{short[scope]}）" if role == Role.UNIT else Role(role).label
                      for role, scope in roles)


def _pad(text, width):
    """The text padded to `width` columns of a terminal, a Chinese character taking two."""
    return text + " " * max(0, width - sum(2 if ord(c) > 0x2E80 else 1 for c in text))


def accounts_text(per_line=6):
    """The demo accounts as `make run` prints them: the accounts by role, one a line; then the units' accounts grouped
    (departments, towns), several on a line; then the password."""
    lines = []
    for username, full_name, title, roles, _ in ACCOUNTS:
        lines.append(f"  {username:<10} {_pad(_roles_text(roles), 38)} {full_name}（{title}）")
    departments = dict((code, short) for code, _, short in DEPARTMENTS)
    groups = [("区直部门", [(u, departments[c]) for u, c, _ in UNIT_ACCOUNTS if c in departments]),
              ("镇（街道）", [(u, dict(TOWNS)[c]) for u, c, _ in UNIT_ACCOUNTS if c not in departments])]
    lines.append("  单位账号（责任单位，各单位办公室主任）：")
    for label, accounts in groups:
        for start in range(0, len(accounts), per_line):
            head = _pad(f"{label}：" if start == 0 else "", 12)
            lines.append(f"    {head}" + " · ".join(f"{u} {name}" for u, name in accounts[start:start + per_line]))
    return "\n".join(lines) + f"\n  密码（全部账号）：{DEMO_PASSWORD}"
