"""The YAML boundary: bytes -> plain Python values that remember their lines.

Only safe loading: libyaml's C parser when present, PyYAML's safe constructor
either way, so a ``!!python/...`` tag is an error, never an object. On top of
PyYAML's YAML 1.1 rules:

* mappings become :class:`Mapping` (a dict with ``line`` and ``key_lines``) and
  lists :class:`Sequence` (a list with ``line``), so errors can name lines;
* a key given twice is an error naming both lines, not a silent last-wins;
* a plain key is the text as written: ``no:``, ``off:`` and ``017:`` stay ``'no'``, ``'off'`` and ``'017'``
  (YAML 1.1 would make them False and 15), so ids such as question names never change;
* integers are read as people write them: ``017`` is seventeen, not octal 15,
  and ``1:30`` stays the string ``'1:30'`` (YAML 1.1 would make it 90);
* aliases are counted, so a "billion laughs" file is refused, not expanded;
* a scalar that cannot be built (``2024-13-45``, a 5,000-digit integer, ``!!float abc``) stays
  the text as written, so only that answer is unreadable; anything else that cannot be built is an
  error naming its line;
* sizes are bounded by :class:`Limits`: bytes, nesting, values (aliases expanded), string length.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import yaml

from .textsafe import safe, shown_path

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

class Limits(NamedTuple):
    """How much one YAML file may hold. An answer file is a few KB; a bank rarely more than 100 KB."""

    bytes: int = 1_000_000
    depth: int = 64  # levels of nesting
    values: int = 1_000_000  # values in the document with every alias expanded
    string: int = 10_000  # characters in one string
    aliases: int = 1_000  # uses of an alias (*name)


ANSWER_LIMITS = Limits()
BANK_LIMITS = Limits(bytes=10_000_000, values=10_000_000, string=100_000, aliases=100_000)


def parse_limits(settings: list[str], base: Limits = ANSWER_LIMITS) -> Limits:
    """``["bytes=2000000", "depth=32"]`` -> Limits; raises ValueError naming the bad setting."""
    values = {}
    for item in settings:
        name, _, number = item.partition("=")
        name = name.strip()
        if name not in Limits._fields:
            raise ValueError(f"unknown limit {name!r}; the limits are {', '.join(Limits._fields)}")
        try:
            values[name] = int(number.replace("_", "").replace(",", ""))
        except ValueError:
            raise ValueError(f"limit {name} must be a whole number, got {number!r}") from None
        if values[name] < 1:
            raise ValueError(f"limit {name} must be at least 1")
    return base._replace(**values)


class InputError(Exception):
    """A file that cannot be used: ``path:line: message``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message, self.path, self.line = message, path, line

    def __str__(self) -> str:
        where = shown_path(self.path) if self.path else "<input>"
        if self.line:
            where += f":{self.line}"
        return f"{where}: {safe(' '.join(self.message.split()), 2000)}"  # always one line, nothing raw


class Mapping(dict):
    """A YAML mapping: a dict that knows its line and its keys' lines (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line


class Sequence(list):
    """A YAML sequence: a list that knows its line (1-based)."""

    line: int = 0


_DECIMAL = re.compile(r"^[-+]?[0-9][0-9_]*$")


class _Loader(_Base):
    def __init__(self, stream, limits: Limits = ANSWER_LIMITS):
        super().__init__(stream)
        self._aliases = 0
        self._values = 0
        self._depth = 0
        self._limits = limits

    def _refuse(self, message: str, node):
        raise yaml.constructor.ConstructorError(None, None, message, node.start_mark)

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:  # a second use of the same node: an alias
            self._aliases += 1
            if self._aliases > self._limits.aliases:
                self._refuse(f"more than {self._limits.aliases:,} alias uses (*name)", node)
        else:
            self._values += 1
            if self._values > self._limits.values:
                self._refuse(f"the YAML holds more than {self._limits.values:,} values", node)
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception as e:  # a value PyYAML's constructors cannot build
            if isinstance(node, yaml.ScalarNode):
                return node.value  # the text as written
            text = node.value if isinstance(node.value, str) else ""
            shown = f" {text[:40]!r}" if text else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value{shown} ({type(e).__name__}: {str(e)[:80]})", node.start_mark) from None

    def construct_located_mapping(self, node):
        mapping = Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        yield mapping
        self._enter(node)
        own = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
        if len(own) < len(node.value):
            self.flatten_mapping(node)  # `<<: *base` keys come first; the mapping's own keys override them
        from_merge = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = key_node.value  # the key as written
                if len(key) > self._limits.string:
                    self._refuse(f"a key is longer than {self._limits.string:,} characters", key_node)
            else:
                key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value, not a list or mapping", key_node.start_mark)
            line = key_node.start_mark.line + 1
            if key in mapping.key_lines and key not in from_merge:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {mapping.key_lines[key]}, again at line {line})",
                    key_node.start_mark)
            mapping.key_lines[key] = line
            if id(key_node) not in own:
                from_merge.add(key)
            else:
                from_merge.discard(key)
            mapping[key] = self.construct_object(value_node, deep=True)
        self._depth -= 1

    def construct_located_sequence(self, node):
        seq = Sequence()
        seq.line = node.start_mark.line + 1
        yield seq
        self._enter(node)
        seq.extend(self.construct_object(child, deep=True) for child in node.value)
        self._depth -= 1

    def _enter(self, node) -> None:
        """One level deeper: children are built inside their parent, so this counts the nesting."""
        self._depth += 1
        if self._depth > self._limits.depth:
            self._refuse(f"the YAML is nested more than {self._limits.depth} levels deep", node)

    def construct_limited_str(self, node):
        value = self.construct_scalar(node)
        if len(value) > self._limits.string:
            self._refuse(f"a string is longer than {self._limits.string:,} characters", node)
        return value

    def construct_people_int(self, node):
        text = self.construct_scalar(node)
        if _DECIMAL.match(text):
            return int(text.replace("_", ""))  # leading zeros are decimal, as on paper
        if ":" in text:
            return text  # YAML 1.1 base-60 (1:30 = 90): keep what was written
        return super().construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_located_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_people_int)
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_limited_str)


class _TooLong(Exception):
    pass


def _measure(value, memo: dict, limits: Limits) -> tuple[int, int]:
    """(values, depth) of ``value``, shared (aliased) parts counted each time they appear; linear in the nodes."""
    if isinstance(value, str):
        if len(value) > limits.string:
            raise _TooLong
        return 1, 0
    if not isinstance(value, (dict, list, set)):
        return 1, 0
    key = id(value)
    if key not in memo:
        memo[key] = (1, 1)  # a cycle counts as nothing more
        children = list(value.keys()) + list(value.values()) if isinstance(value, dict) else value
        size, depth = 1, 0
        for c in children:
            s, d = _measure(c, memo, limits)
            size, depth = size + s, max(depth, d)
        memo[key] = (size, depth + 1)
    return memo[key]


def loads(text: str, path: str | None = None, limits: Limits = ANSWER_LIMITS):
    """Parse one YAML document. Raises :class:`InputError` with the line."""
    try:
        loader = _Loader(text, limits)
        try:
            value = loader.get_single_data()
            aliased = loader._aliases > 0
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "invalid YAML"
        if mark is None:
            raise InputError(problem, path) from None
        lines = text.splitlines()
        if mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            problem += " (a tab: YAML is indented with spaces only)"
        raise InputError(f"{problem} (column {mark.column + 1})", path, mark.line + 1) from None
    except yaml.reader.ReaderError as e:  # a character YAML does not allow (control characters)
        line = text[: e.position].count("\n") + 1 if isinstance(e.position, int) else None
        char = f"#x{e.character:04x}" if isinstance(e.character, int) else repr(e.character)
        raise InputError(f"unacceptable character {char} ({e.reason})", path, line) from None
    except yaml.YAMLError as e:
        raise InputError(f"invalid YAML: {' '.join(str(e).split())}", path) from None
    except RecursionError:
        raise InputError("the YAML is nested too deeply", path) from None
    if not aliased:  # the loader counted values, depth and string lengths as it built them
        return value
    try:  # shared parts count every time they appear
        size, depth = _measure(value, {}, limits)
    except _TooLong:
        raise InputError(f"a string is longer than {limits.string:,} characters", path) from None
    except RecursionError:
        raise InputError("the YAML is nested too deeply", path) from None
    if depth > limits.depth:
        raise InputError(f"the YAML is nested more than {limits.depth} levels deep", path)
    if size > limits.values:
        raise InputError(f"the YAML holds more than {limits.values:,} values (aliases expanded)", path)
    return value


def load_file(path: str | Path, limits: Limits = ANSWER_LIMITS):
    """Read and parse a YAML file: size limit, UTF-8 check, then :func:`loads`."""
    max_bytes = limits.bytes
    p = Path(path)
    name = str(path)
    try:
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError("is a folder, not a file", name) from None
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", name) from None
    if len(data) > max_bytes:
        raise InputError(f"file is larger than {max_bytes:,} bytes", name)
    if b"\x00" in data:
        raise InputError("not a text file (it contains NUL bytes)", name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start})", name, line) from None
    return loads(text, name, limits)
