"""The project's errors: one base class, each subclass carrying what a user needs to act."""

from __future__ import annotations

from dataclasses import dataclass


class ReportError(Exception):
    """Base class of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One defect in the input: where it is and why it is wrong (reason in Chinese)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str
    sheet: str | None = None  # the workbook sheet as the user named it (``file`` is then the workbook)

    @property
    def is_argument(self) -> bool:
        """The problem is in a command-line argument (``--township``), not in a data file."""
        return self.file.startswith("--")

    def __str__(self) -> str:
        if self.sheet:
            parts = [f"工作簿 {self.file}", f"工作表“{self.sheet}”"]
        else:
            parts = [f"参数 {self.file}" if self.is_argument else f"文件 {self.file}"]
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column and self.sheet:
            parts.append(f"“{self.column}”列")
        elif self.column:
            parts.append(f"列 {self.column}")
        if self.value is not None:
            parts.append(f"值 “{self.value}”")
        return "，".join(parts) + f"：{self.reason}"


class DataValidationError(ReportError):
    """The township's data breaks the data contract; ``problems`` lists every defect."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        title = "参数有误" if all(p.is_argument for p in self.problems) else "数据校验未通过"
        lines = [f"{title}，共 {len(self.problems)} 处问题："]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        super().__init__("\n".join(lines))

    def __reduce__(self):
        return type(self), (self.problems,)


class NotebookRenderError(ReportError):
    """A notebook failed while rendering; the partial notebook is kept at ``saved_to``."""

    def __init__(self, notebook: str, cell: int | None, ename: str, evalue: str, saved_to: str):
        self.notebook, self.cell, self.ename, self.evalue, self.saved_to = (
            notebook, cell, ename, evalue, saved_to)
        where = f"第 {cell} 个单元格" if cell is not None else "执行过程中"
        super().__init__(
            f"笔记本 {notebook} 在{where}出错：{ename}: {evalue}；已保存出错的笔记本：{saved_to}"
        )

    def __reduce__(self):
        return type(self), (self.notebook, self.cell, self.ename, self.evalue, self.saved_to)


class ImportInterrupted(ReportError):
    """An import was interrupted (Ctrl-C) before the new township folder was in place; nothing changed."""

    def __init__(self):
        super().__init__("导入被中断（Ctrl-C）：原有数据没有改动，也没有写入任何新文件")

    def __reduce__(self):
        return type(self), ()


class WriteFailed(ReportError):
    """A township folder could not be written (permissions, a full disk); nothing was changed."""

    def __init__(self, folder, error: OSError):
        self.folder, self.error = folder, error
        why = "没有写入权限" if isinstance(error, PermissionError) else f"系统错误（错误码 {error.errno}）"
        super().__init__(f"无法写入 {folder}：{why}；原有数据没有改动")

    def __reduce__(self):
        return type(self), (self.folder, self.error)


class KernelStartError(ReportError):
    """A warm kernel (:mod:`helpers.pipeline.kernels`) did not start or did not answer its set-up code."""


AS_WRITTEN = object()
"""What :class:`InvalidParameter` names by default: the value as written in the profile."""


class InvalidParameter(ReportError):
    """A report.yaml parameter value that does not fit its kind: the reason, and the value to name (None: none)."""

    def __init__(self, reason: str, shown: object = AS_WRITTEN):
        super().__init__(reason)
        self.reason, self.shown = reason, shown
