"""The one YAML reader (township.yaml, report.yaml): no anchors or aliases, bounded size and nesting, line numbers."""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers.data.reading.encoding import read_text
from helpers.exceptions import Problem

MAX_YAML_BYTES = 1024 * 1024
MAX_YAML_DEPTH = 20
OPENERS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
           yaml.FlowSequenceStartToken)
CLOSERS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
MAP_TAG, SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def guard_problem(text: str, source: str, what: str) -> Problem | None:
    """Anchors and aliases (an alias bomb) or nesting deeper than :data:`MAX_YAML_DEPTH`; None when neither.

    The tokens are scanned first (linear in the text), so nothing is built from a hostile file.
    """
    depth = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
            return Problem(source, token.start_mark.line + 1, None, None,
                           "不支持 YAML 锚点和别名（“&”“*”），请直接写出每个值")
        depth += isinstance(token, OPENERS) - isinstance(token, CLOSERS)
        if depth > MAX_YAML_DEPTH:
            return Problem(source, token.start_mark.line + 1, None, None, f"嵌套超过 {MAX_YAML_DEPTH} 层，不像是{what}")
    return None


def plain(node: yaml.Node, path: str, lines: dict[str, int], loader: yaml.SafeLoader):
    """A composed YAML node as Python values, recording each key path's line (1-based) in ``lines``."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode) and node.tag == MAP_TAG:
        out = {}
        for key_node, value_node in node.value:
            key = plain(key_node, path, {}, loader)
            if isinstance(key, dict | list):
                raise yaml.constructor.ConstructorError(None, None, "found an unhashable key", key_node.start_mark)
            sub = f"{path}.{key}" if path else str(key)
            lines[sub] = key_node.start_mark.line + 1
            out[key] = plain(value_node, sub, lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode) and node.tag == SEQ_TAG:
        return [plain(item, f"{path}[{i}]", lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)  # a scalar, or a tagged node (refused unless safe)


def read_yaml(text: str, source: str, what: str = "手写的设置文件") -> tuple[object, dict[str, int], list[Problem]]:
    """Parse YAML text safely: (value, key path -> line, problems); an empty text is None.

    Args:
        text: the YAML text.
        source: the file name problems name.
        what: what the file holds, for the message on a hostile nesting (乡镇概况 …).
    """
    loader = yaml.SafeLoader("")
    try:
        problem = guard_problem(text, source, what)
        if problem:
            return None, {}, [problem]
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        lines: dict[str, int] = {}
        return (None if node is None else plain(node, "", lines, loader)), lines, []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"：第 {mark.column + 1} 个字符附近" if mark else ""
        return None, {}, [Problem(source, mark.line + 1 if mark else None, None, None,
                                  f"不是有效的 YAML{where}（检查冒号、缩进、引号和括号是否成对）")]
    finally:
        loader.dispose()


def read_yaml_file(path: Path, what: str) -> tuple[object, dict[str, int], list[Problem]]:
    """A YAML file read as :func:`read_yaml` does, at most :data:`MAX_YAML_BYTES`, in UTF-8 or GBK."""
    text, problem = read_text(path, path.name, MAX_YAML_BYTES,
                              f"文件过大（超过 {MAX_YAML_BYTES // 1024} KB），不像是{what}")
    if problem:
        return None, {}, [problem]
    return read_yaml(text, path.name, what)
