"""Safe reading of YAML and JSON: no code execution, no duplicate keys, bounded size."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from backcheck.errors import InputError

# A real answer file is under 2 KB; the shipped knowledge is about 220 KB and 12,000 values.
# The limits leave room to grow while keeping any accepted file cheap to read (see
# benchmarks/bounded_cost.py): under 10 s and 1 GiB for knowledge, under 1 s for answers.
MAX_ANSWER_FILE_BYTES = 64 * 1024
MAX_KNOWLEDGE_FILE_BYTES = 2 * 1024 * 1024
# libyaml recurses once per level of [ ] / { } nesting and crashes the process past a few
# tens of thousands; nothing backcheck reads needs more than a handful of levels.
MAX_DEPTH = 100
MAX_NODES = 250_000  # every value counts: mappings, lists, keys and scalars
_BRACKETS = re.compile(r"[^\[\]{}]+")


@functools.cache
def _strict_loader() -> Any:
    """A safe loader that refuses duplicate keys (yaml is imported only when a file is parsed)."""
    import yaml

    # The C loader is about nine times faster; both are safe loaders.
    _BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _StrictLoader(_BaseLoader):  # type: ignore[misc]  # the loader base is chosen at run time
        """A safe loader that refuses duplicate mapping keys."""

    def construct_mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first given on line {seen[key] + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return dict(loader.construct_mapping(node, deep=deep))

    _StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    _use_core_schema(_StrictLoader)
    return _StrictLoader


# YAML 1.2 core schema, narrowed: an integer is plain decimal without leading zeros, a boolean
# is true or false, null is null or ~. Everything YAML 1.1 would silently convert (050 as
# octal 40, 1:05 as 65, 0x20, 0b1, 1_000, yes/on/off as booleans, dates, .inf, .nan, the
# merge key <<) stays a string, so the checks that follow refuse it by name.
_CORE_NULL = r"^(?:~|null|Null|NULL|)$"
_CORE_BOOL = r"^(?:true|True|TRUE|false|False|FALSE)$"
_CORE_INT = r"^[-+]?(?:0|[1-9][0-9]*)$"
_CORE_FLOAT = r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"


def _use_core_schema(loader: Any) -> None:
    """Replace the YAML 1.1 implicit types of ``loader`` with the narrowed core schema."""
    import yaml

    loader.yaml_implicit_resolvers = {}
    patterns = (
        ("tag:yaml.org,2002:null", _CORE_NULL, ["~", "n", "N", ""]),
        ("tag:yaml.org,2002:bool", _CORE_BOOL, list("tTfF")),
        ("tag:yaml.org,2002:int", _CORE_INT, list("-+0123456789")),
        ("tag:yaml.org,2002:float", _CORE_FLOAT, list("-+.0123456789")),
    )
    for tag, pattern, first in patterns:
        loader.add_implicit_resolver(tag, re.compile(pattern), first)

    def construct_int(loader: Any, node: Any) -> int:
        value = loader.construct_scalar(node)
        if not re.fullmatch(_CORE_INT, value):  # an explicit !!int tag on 050 or 0x20
            raise yaml.constructor.ConstructorError(
                None, None, f"{value!r} is not a plain decimal whole number", node.start_mark
            )
        return int(value)

    def construct_bool(loader: Any, node: Any) -> bool:
        value = loader.construct_scalar(node)
        if not re.fullmatch(_CORE_BOOL, value):
            raise yaml.constructor.ConstructorError(
                None, None, f"{value!r} is not true or false", node.start_mark
            )
        return bool(value.lower() == "true")

    def construct_float(loader: Any, node: Any) -> float:
        value = loader.construct_scalar(node)
        if not re.fullmatch(_CORE_FLOAT, value):
            raise yaml.constructor.ConstructorError(
                None, None, f"{value!r} is not a plain decimal number", node.start_mark
            )
        number = float(value)
        if number in (float("inf"), float("-inf")):
            raise yaml.constructor.ConstructorError(
                None, None, f"{value!r} is too large a number", node.start_mark
            )
        return number

    def refuse(loader: Any, node: Any) -> Any:
        raise yaml.constructor.ConstructorError(
            None, None, f"the type {node.tag} is not accepted", node.start_mark
        )

    loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    loader.add_constructor("tag:yaml.org,2002:bool", construct_bool)
    loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    for tag in ("timestamp", "binary", "set", "omap", "pairs"):
        loader.add_constructor(f"tag:yaml.org,2002:{tag}", refuse)


def _reject_duplicate_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number backcheck accepts")


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is too large a number")
    return value


def describe_yaml_error(exc: Exception) -> str:
    """One line for a YAML error: line:column and the problem."""
    import yaml

    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return f"line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
    return str(exc).splitlines()[0] if str(exc) else "not valid YAML"


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in _BRACKETS.sub("", text):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _check_tree(data: Any) -> None:
    """Refuse shared nodes (YAML aliases, whose expansion can be exponential) and deep trees."""
    seen: set[int] = set()
    count = 1
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, dict | list):
            continue
        if id(node) in seen:
            raise ValueError("uses YAML aliases (* and <<), which backcheck does not accept")
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise ValueError(f"nested too deeply (more than {MAX_DEPTH} levels)")
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        count += len(children)
        if count > MAX_NODES:
            raise ValueError(f"holds too many values (more than {MAX_NODES:,})")
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def parse_text(text: str, *, json_first: bool) -> Any:
    """Parse YAML or JSON text safely; raise ValueError with a one-line reason."""
    yaml_first = not json_first and not text.lstrip().startswith(("{", "["))
    if yaml_first:
        try:
            return _line_yaml(text)  # its nesting is bounded by MAX_DEPTH
        except _Unusual:
            pass  # libyaml below reads it, or names the problem
    if _bracket_depth(text) > MAX_DEPTH:
        raise ValueError(f"nested too deeply (more than {MAX_DEPTH} levels)")
    if yaml_first:
        import yaml

        try:
            return _plain_yaml(text)
        except _Unusual:
            pass  # the full loader below gives the same data, or the precise error
        except yaml.YAMLError as exc:
            raise ValueError(f"not valid YAML: {describe_yaml_error(exc)}") from None
    data = _parse(text, json_first=json_first)
    _check_tree(data)
    return data


class _Unusual(Exception):
    """YAML that the fast reader leaves to the full loader (which accepts or refuses it)."""


# The line reader's pieces: a key or a value is a plain word; anything else is left to
# libyaml (quotes, tabs, control or non-ASCII characters, anchors, tags, block scalars...).
_WORD = re.compile(r"[A-Za-z0-9_]+")
# indent, then "- word", or "key:" with nothing, a word or a [list] after it; a comment
_LINE = re.compile(
    r"( *)(?:- +([A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*):(?: +(?:([A-Za-z0-9_]+)"
    r"|\[([A-Za-z0-9_, ]*)\]))?)(?: +#.*)? *"
)
_BLANK = re.compile(r" *(?:#.*)?")
_UNSAFE = re.compile(r"[^\x20-\x7e\n]")
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("null", "Null", "NULL"), None),
}
_ITEM, _PAIR, _OPEN = 0, 1, 2  # a "- value" line, a "key: value" line, a "key:" line


def _line_yaml(text: str) -> Any:
    """The data of the simplest YAML, in pure Python (libyaml is not even imported): a
    mapping of plain words to plain words, [word, ...] lists, "- word" lists and nested
    mappings, with comments and blank lines. Each line is read on its own; any line, value
    or layout outside that (which libyaml might read otherwise) raises _Unusual, so what
    this returns is exactly what the strict loader returns (tests/test_fast_yaml.py)."""
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            raise _Unusual  # a lone CR is a line break to YAML
        text = text.replace("\r\n", "\n")
    if _UNSAFE.search(text):
        raise _Unusual
    lines: list[tuple[int, int, Any, Any]] = []  # (indent, kind, key or word, value)
    values = 0
    seen = _seen_lines
    for line in text.split("\n"):
        try:
            known = seen[line]
        except KeyError:
            known = _read_line(line)  # raises _Unusual for a line it leaves to libyaml
            if len(seen) < _SEEN_LINES:  # the first ones seen are kept: memory stays flat
                seen[line] = known
        if known is None:
            continue  # blank, or a comment
        indent, kind, key, value, count = known
        if type(value) is tuple:  # a [list]: each file gets a list of its own
            value = list(value)
        lines.append((indent, kind, key, value))
        values += count
    if not lines or lines[0][0] != 0 or values > MAX_NODES:
        raise _Unusual
    data, end = _line_mapping(lines, 0, 0, 0)
    if end != len(lines):
        raise _Unusual  # a line indented where nothing can be
    return data


# What each line reads as, by its text: answer files repeat the same few hundred lines.
_seen_lines: dict[str, tuple[int, int, Any, Any, int] | None] = {}
_SEEN_LINES = 4096


def _read_line(line: str) -> tuple[int, int, Any, Any, int] | None:
    """One line of ``_line_yaml``: its indent, kind, key or word, value (a [list] as a
    tuple) and how many values it holds; None for a blank or comment line."""
    match = _LINE.fullmatch(line)
    if match is None:
        if _BLANK.fullmatch(line):
            return None
        raise _Unusual
    indent, item, key, word, flow = match.groups()
    if item is not None:
        return len(indent), _ITEM, _word(item), None, 1
    if key in _WORDS:
        raise _Unusual  # true: or null: is not a string key
    if word is not None:
        return len(indent), _PAIR, key, _word(word), 2
    if flow is not None:
        inner = flow.strip(" ")
        words = [w.strip(" ") for w in inner.split(",")] if inner else []
        if not all(map(_WORD.fullmatch, words)):
            raise _Unusual  # [a b] or [a, , b]
        items = tuple(map(_word, words))
        return len(indent), _PAIR, key, items, 2 + len(items)
    return len(indent), _OPEN, key, None, 1


def _word(text: str) -> Any:
    """A plain word as YAML's core schema reads it: a whole number, a boolean, null or a string."""
    if text in _WORDS:
        return _WORDS[text]
    if text.isdigit():
        if len(text) > 18 or (text[0] == "0" and len(text) > 1):
            raise _Unusual  # 050 is a string to the strict loader; a huge number is refused
        return int(text)
    return text


def _line_mapping(
    lines: list[tuple[int, int, Any, Any]], at: int, indent: int, depth: int
) -> tuple[dict[str, Any], int]:
    """The mapping whose keys stand at ``indent`` from line ``at``; returns it and the
    line after it."""
    if depth >= MAX_DEPTH:  # its lists would be one level deeper: left to the full check
        raise _Unusual
    mapping: dict[str, Any] = {}
    count = len(lines)
    while at < count:
        line_indent, kind, key, value = lines[at]
        if line_indent < indent:
            break
        if line_indent > indent or kind == _ITEM or key in mapping:
            raise _Unusual  # misplaced, a list item where a key belongs, or a duplicate
        at += 1
        if kind == _OPEN and at < count:
            next_indent, next_kind = lines[at][0], lines[at][1]
            if next_kind == _ITEM and next_indent >= indent:  # "key:" then "- word" lines
                value = []
                while at < count and lines[at][0] == next_indent and lines[at][1] == _ITEM:
                    value.append(lines[at][2])
                    at += 1
            elif next_kind != _ITEM and next_indent > indent:  # a nested mapping
                value, at = _line_mapping(lines, at, next_indent, depth + 1)
        mapping[key] = value
    return mapping, at


_STR, _INT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "bool", "null"))
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_PLAIN_INT = re.compile(_CORE_INT)
_PLAIN_BOOL = re.compile(_CORE_BOOL)


def _plain_yaml(text: str) -> Any:
    """The data of a YAML document made of mappings, lists, strings, whole numbers,
    booleans and nulls only, built straight from libyaml's nodes: the same data as the
    strict loader and ``_check_tree`` give, about three times faster. Anything else
    (floats, tags, aliases, duplicate keys, deep or huge trees) raises _Unusual."""
    loader = _strict_loader()(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        return None
    seen: set[int] = set()
    return _plain_node(node, 0, seen, [0])


def _plain_node(node: Any, depth: int, seen: set[int], count: list[int]) -> Any:
    """``count`` holds the values read so far, keys and scalars included, as the full
    check counts them."""
    count[0] += 1
    if count[0] > MAX_NODES:
        raise _Unusual  # the full check refuses it by name
    tag, kind = node.tag, node.id
    if kind == "scalar":
        return _plain_scalar(tag, node.value)
    if id(node) in seen or depth > MAX_DEPTH:
        raise _Unusual  # an alias, or a tree the full check refuses by name
    seen.add(id(node))
    if (tag, kind) not in ((_SEQ, "sequence"), (_MAP, "mapping")):
        raise _Unusual
    if tag == _SEQ:
        return [_plain_node(child, depth + 1, seen, count) for child in node.value]
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if key_node.id != "scalar":
            raise _Unusual
        count[0] += 1
        key = _plain_scalar(key_node.tag, key_node.value)
        if key in mapping:
            raise _Unusual  # the full loader names both lines
        mapping[key] = _plain_node(value_node, depth + 1, seen, count)
    return mapping


def _plain_scalar(tag: str, value: str) -> Any:
    if tag == _STR:
        return value
    if tag == _INT and _PLAIN_INT.fullmatch(value):
        return int(value)
    if tag == _BOOL and _PLAIN_BOOL.fullmatch(value):
        return value.lower() == "true"
    if tag == _NULL:
        return None
    raise _Unusual  # floats, timestamps, binary, sets and unknown tags


def _parse(text: str, *, json_first: bool) -> Any:
    if json_first or text.lstrip().startswith(("{", "[")):
        import json

        try:
            return json.loads(
                text,
                object_pairs_hook=_reject_duplicate_pairs,
                parse_constant=_refuse_constant,
                parse_float=_finite_float,
            )
        except json.JSONDecodeError as exc:
            if json_first:
                raise ValueError(
                    f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}"
                ) from None
        except RecursionError:
            raise ValueError("nested too deeply") from None
    import yaml

    _StrictLoader = _strict_loader()  # derives from a safe loader
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise ValueError(f"not valid YAML: {describe_yaml_error(exc)}") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def read_text(path: str | Path, *, label: str, limit: int = MAX_ANSWER_FILE_BYTES) -> str:
    """Read a UTF-8 text file, turning every failure into a one-line InputError.

    A plain ``str`` is read as it is: a batch then builds no Path object per file (whose
    parts CPython keeps interned, so memory would grow with every file name)."""
    return decode(read_bytes(path, label=label, limit=limit), label=label)


def read_bytes(path: str | Path, *, label: str, limit: int) -> bytes:
    """The bytes of a file of at most ``limit`` bytes; every failure is a one-line
    InputError starting with ``label``.

    Read with the system's own calls: a batch opens thousands of small files, and a
    buffered file object asks the system three more things about each one first."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))  # not inheritable
        try:
            data = os.read(fd, limit + 1)
            if data and len(data) <= limit:  # the rest, if it comes in parts (a pipe)
                parts = [data]
                size = len(data)
                while size <= limit and (more := os.read(fd, limit + 1 - size)):
                    parts.append(more)
                    size += len(more)
                if len(parts) > 1:
                    data = b"".join(parts)
        finally:
            os.close(fd)
    except IsADirectoryError:
        raise InputError(f"{label}: is a directory, not a file") from None
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except PermissionError:
        if os.path.isdir(path):  # where a folder cannot be opened at all
            raise InputError(f"{label}: is a directory, not a file") from None
        raise InputError(f"{label}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputError(f"{label}: larger than the {limit // 1024} KiB allowed")
    return data


def decode(data: bytes, *, label: str) -> str:
    """Decode UTF-8 text, refusing binary content."""
    if b"\x00" in data:
        raise InputError(f"{label}: is a binary file, not YAML or JSON text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{label}: is not UTF-8 text") from None
