"""The standard indicator catalog: stable codes other tools rely on. Administrators may add more."""

# code, name, unit, frequency, kind, January released with February, aliases (names seen in bulletins)
STANDARD = [
    ("gdp", "地区生产总值", "亿元", "quarterly", "total", True, "GDP、生产总值"),
    ("industry_va", "规模以上工业增加值", "%", "monthly", "growth", True, "规上工业增加值、规上工业增加值增速、规模以上工业增加值增速"),
    ("fai", "固定资产投资", "%", "monthly", "growth", True, "固定资产投资增速、固定资产投资(不含农户)"),
    ("retail", "社会消费品零售总额", "亿元", "monthly", "total", True, "社零额、社会消费品零售额"),
    ("budget_revenue", "一般公共预算收入", "亿元", "monthly", "total", False, "地方一般公共预算收入、一般公共预算收入(地方级)"),
    ("tax_revenue", "税收收入", "亿元", "monthly", "total", False, "税收"),
    ("fdi", "实际利用外资", "万美元", "monthly", "total", True, "实际使用外资、利用外资"),
    ("trade", "进出口总额", "亿元", "monthly", "total", True, "外贸进出口、进出口"),
    ("income", "城乡居民人均可支配收入", "元", "quarterly", "total", True, "居民人均可支配收入、全体居民人均可支配收入"),
    ("new_entities", "新登记市场主体", "户", "monthly", "total", False, "新增市场主体、新登记市场主体数"),
    ("investment_funds", "招商引资到位资金", "亿元", "monthly", "total", True, "到位资金、招商引资实际到位资金"),
]
