"""Files to text: the encodings townships' files come in (UTF-8, with or without BOM, GBK/GB18030), and why not."""

from __future__ import annotations

from pathlib import Path

from helpers.exceptions import Problem

ENCODINGS = ("utf-8-sig", "gb18030")


def os_error_reason(exc: OSError) -> str:
    """Why a file could not be read, in Chinese (the system's own text is English)."""
    if isinstance(exc, PermissionError):
        return "没有读取该文件的权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    return f"系统错误（错误码 {exc.errno}）" if exc.errno else "系统错误"


def detect_encoding(data: bytes) -> str | None:
    """The first of :data:`ENCODINGS` that decodes ``data`` (None: neither)."""
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def decode(data: bytes, source: str) -> tuple[str | None, Problem | None]:
    """Decode bytes written by Excel in China or by a script: UTF-8 (with or without BOM) or GB18030."""
    encoding = detect_encoding(data)
    if encoding is None:
        return None, Problem(source, None, None, None, "无法识别文件编码（应为 UTF-8 或 GBK/GB18030）")
    return data.decode(encoding), None


def read_text(path: Path, source: str, max_bytes: int, too_big: str) -> tuple[str | None, Problem | None]:
    """A file's text, or the problem: larger than ``max_bytes`` (reason ``too_big``), unreadable, undecodable."""
    try:
        if path.stat().st_size > max_bytes:
            return None, Problem(source, None, None, None, too_big)
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(source, None, None, None, f"无法读取文件：{os_error_reason(exc)}")
    return decode(data, source)
