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


class Rejected(Exception):
    """Input that was refused as a whole; nothing was saved."""

    def __init__(self, problems):
        self.problems = list(problems) if not isinstance(problems, (str, Problem)) else [problems]
        self.problems = [p if isinstance(p, Problem) else Problem(str(p)) for p in self.problems]
        super().__init__("；".join(str(p) for p in self.problems))

    @property
    def messages(self):
        return [str(p) for p in self.problems]
