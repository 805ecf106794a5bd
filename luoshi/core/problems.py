"""Problems found while validating input, reported in Chinese with sheet, row and column."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None  # 1-based, as the spreadsheet shows it (the header is row 1)
    column: str | None = None  # the column's header text
    sheet: str | None = None

    def __str__(self):
        where = []
        if self.sheet:
            where.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"「{self.column}」列")
        return ("".join(where) + "：" if where else "") + self.message

    def as_dict(self):
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message, "text": str(self)}


LISTED = 200  # a rejected file lists its first 200 problems, then one line with how many more there are


class Messages(list):
    """The listed problems as text; `total` counts them all (the listed ones and the rest)."""

    def __init__(self, texts, total):
        super().__init__(texts)
        self.total = total


class Rejected(Exception):
    """Input that was refused as a whole; nothing was saved.

    `problems` keeps the first LISTED problems and, when there were more, a last one saying 另有 N 处问题 (so pages,
    the CLI and the API list at most 201 lines); `total` is how many problems were found."""

    def __init__(self, problems):
        problems = list(problems) if not isinstance(problems, (str, Problem)) else [problems]
        self.total = len(problems)
        problems = [p if isinstance(p, Problem) else Problem(str(p)) for p in problems[:LISTED]]
        if self.total > LISTED:
            problems.append(Problem(f"另有 {self.total - LISTED} 处问题未列出，请先改正以上问题后再导入"))
        self.problems = problems
        super().__init__("；".join(str(p) for p in self.problems))

    @property
    def messages(self):
        return Messages([str(p) for p in self.problems], self.total)
