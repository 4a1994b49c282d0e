"""The YAML boundary: bytes -> plain Python values that remember their lines.

Only safe loading: libyaml's C parser when present, PyYAML's safe constructor
either way, so a ``!!python/...`` tag is an error, never an object. On top of
PyYAML's YAML 1.1 rules:

* mappings become :class:`Mapping` (a dict with ``line`` and ``key_lines``) and
  lists :class:`Sequence` (a list with ``line``), so errors can name lines;
* a key given twice is an error naming both lines, not a silent last-wins;
* a plain key is the text as written: ``no:``, ``off:`` and ``017:`` stay ``'no'``, ``'off'``
  and ``'017'`` (YAML 1.1 would make them False and 15), so ids such as question names never
  change;
* numbers are read as people write them: ``017`` is seventeen, not octal 15; ``1:30`` and
  ``4:20.0`` stay the strings ``'1:30'`` and ``'4:20.0'`` (YAML 1.1 would make them 90 and 260.0);
  ``1__0`` or ``1_`` (an underscore not between two digits) stay text; an integer written with more
  than 100 characters stays text, so no integer is built that Python cannot print;
* aliases are counted, so a "billion laughs" file is refused, not expanded; so are merge keys
  (``<<``), before anything is merged;
* a scalar that cannot be built (``2024-13-45``, ``!!float abc``) stays the text as written, so only
  that answer is unreadable; anything else that cannot be built is an error naming its line;
* sizes are bounded by :class:`Limits`: bytes, nesting, values (aliases and merges expanded), string
  length, and characters of text with aliases expanded (no more than the file size limit);
* nesting is measured before anything recursive runs (libyaml's composer recurses in C), so a file
  nested 50,000 levels deep is refused at the line that crosses the limit, in milliseconds;
* only regular files are read: a FIFO, a device or a socket is refused, never waited on.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

import yaml

from .textsafe import safe, shown_path

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Limits(NamedTuple):
    """How much one YAML file may hold. An answer file is a few KB; a bank rarely more than 100
    KB."""

    bytes: int = 1_000_000
    depth: int = 64  # levels of nesting (never more than MAX_DEPTH, whatever is asked)
    # values in the document with every alias expanded (twelve answers of 10,000 numbers)
    values: int = 200_000
    string: int = 10_000  # characters in one string
    aliases: int = 1_000  # uses of an alias (*name)


ANSWER_LIMITS = Limits()
BANK_LIMITS = Limits(bytes=10_000_000, values=2_000_000, string=100_000, aliases=100_000)


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
        if name == "depth" and values[name] > MAX_DEPTH:
            raise ValueError(f"limit depth must be at most {MAX_DEPTH}")
    return base._replace(**values)


class InputError(Exception):
    """A file that cannot be used: ``path:line: message``."""

    syntax: str | None = None  # YAML's reason, when the file is not valid YAML
    first_line: int | None = None  # where the construct with the syntax error starts

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message, self.path, self.line = message, path, line

    def __str__(self) -> str:
        where = shown_path(self.path) if self.path else "<input>"
        if self.line:
            where += f":{self.line}"
        return (
            f"{where}: {safe(' '.join(self.message.split()), 2000)}"  # always one line, nothing raw
        )


class Mapping(dict):
    """A YAML mapping: a dict that knows its line and its keys' lines (1-based)."""

    line: int = 0
    key_lines: dict
    sources: dict = {}  # noqa: RUF012 (never mutated: each mapping built here has its own)

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line

    def source_of(self, key):
        """The value of ``key`` as written in the file (a ``forms.Source``), kept only where
        YAML's value may lose what was meant: a plain scalar on several lines, a folded block, a
        double-quoted string, a float; else None."""
        return self.sources.get(key)


class Sequence(list):
    """A YAML sequence: a list that knows its line (1-based), and, like :class:`Mapping`, the
    items as written where YAML's value may lose what was meant (``sources``: index -> Source)."""

    line: int = 0
    sources: dict = {}  # noqa: RUF012 (never mutated: each sequence built here has its own)


_DECIMAL = re.compile(r"^[-+]?[0-9][0-9_]*$")
_LOOSE_UNDERSCORE = re.compile(r"(?<![0-9a-zA-Z])_|_(?![0-9a-zA-Z])")  # `1__0`, `1_`, `1._5`
MAX_INT_TEXT = 100  # characters: a longer integer stays the text as written
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(_Base):
    def __init__(self, stream, limits: Limits = ANSWER_LIMITS):
        super().__init__(stream)
        self._text = stream if isinstance(stream, str) else ""
        self._aliases = 0
        self._values = 0
        self._depth = 0
        self._limits = limits
        self._merged = 0  # values that merge keys (<<) add, over the whole document
        self._merge_sizes: dict[int, int] = {}  # id(mapping node) -> its pairs once merged

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
                return self._as_written(node)
            text = node.value if isinstance(node.value, str) else ""
            shown = f" {text[:40]!r}" if text else ""
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"cannot read the value{shown} ({type(e).__name__}: {str(e)[:80]})",
                node.start_mark,
            ) from None

    def construct_located_mapping(self, node):
        mapping = Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        mapping.sources = {}
        yield mapping
        self._enter(node)
        own = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
        if len(own) < len(node.value):
            self.flatten_mapping(
                node
            )  # `<<: *base` keys come first; the mapping's own keys override them
        from_merge = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = key_node.value  # the key as written
                if len(key) > self._limits.string:
                    self._refuse(
                        f"a key is longer than {self._limits.string:,} characters", key_node
                    )
            else:
                key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "a mapping key must be a plain value, not a list or mapping",
                    key_node.start_mark,
                )
            line = key_node.start_mark.line + 1
            if key in mapping.key_lines and key not in from_merge:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} "
                    f"(first at line {mapping.key_lines[key]}, again at line {line})",
                    key_node.start_mark,
                )
            mapping.key_lines[key] = line
            if id(key_node) not in own:
                from_merge.add(key)
            else:
                from_merge.discard(key)
            mapping[key] = self.construct_object(value_node, deep=True)
            if _kept(value_node):
                mapping.sources[key] = _source(self._text, value_node)
        self._depth -= 1

    def flatten_mapping(self, node):
        """The merge (``<<``), once :meth:`_check_merges` has counted what it expands to: the
        merged mappings' pairs put before the mapping's own, the first merged mapping's last (so
        it wins, and the mapping's own keys win over all). This is YAML 1.1's merge as PyYAML
        6.0.3 did it, kept here so that what a file is refused for (and where) does not depend on
        the PyYAML installed: 6.0.4 leaves out repeated pairs of one aliased mapping, which builds
        the same mapping with fewer alias uses counted."""
        self._check_merges(node)
        merge = []
        index = 0
        while index < len(node.value):
            key_node, value_node = node.value[index]
            if key_node.tag == "tag:yaml.org,2002:merge":
                del node.value[index]
                if isinstance(value_node, yaml.MappingNode):
                    self.flatten_mapping(value_node)
                    merge.extend(value_node.value)
                elif isinstance(value_node, yaml.SequenceNode):
                    submerge = []
                    for subnode in value_node.value:
                        if not isinstance(subnode, yaml.MappingNode):
                            raise yaml.constructor.ConstructorError(
                                "while constructing a mapping",
                                node.start_mark,
                                f"expected a mapping for merging, but found {subnode.id}",
                                subnode.start_mark,
                            )
                        self.flatten_mapping(subnode)
                        submerge.append(subnode.value)
                    for value in reversed(submerge):
                        merge.extend(value)
                else:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        "expected a mapping or list of mappings for merging, but found "
                        f"{value_node.id}",
                        value_node.start_mark,
                    )
            elif key_node.tag == "tag:yaml.org,2002:value":
                key_node.tag = "tag:yaml.org,2002:str"
                index += 1
            else:
                index += 1
        if merge:
            node.value = merge + node.value

    def _check_merges(self, node) -> None:
        """Count the pairs every mapping reached through ``<<`` will hold once merged, before
        merging.

        Iterative and memoised per node, as aliases are: a doubling chain (``&a2 {<<: [*a1, *a1]}``)
        costs one step per mapping. What merges add is counted against the values limit (a key and a
        value per pair); a chain of merges against the depth limit, since merging recurses along it.
        """
        sizes, limits = self._merge_sizes, self._limits
        if id(node) in sizes:
            return
        busy = {id(node)}
        sources = self._merge_sources(node)
        stack = [(node, sources, iter(sources))]  # a mapping, what it merges, what is left to count
        while stack:
            current, sources, left = stack[-1]
            pending = next((s for s in left if id(s) not in sizes and id(s) not in busy), None)
            if pending is not None:
                if len(stack) >= limits.depth:
                    self._refuse(
                        f"merge keys (<<) are chained more than {limits.depth} levels deep", pending
                    )
                busy.add(id(pending))
                sources = self._merge_sources(pending)
                stack.append((pending, sources, iter(sources)))
                continue
            stack.pop()
            busy.discard(id(current))
            own = sum(1 for k, _ in current.value if k.tag != _MERGE)
            size = own + sum(
                sizes.get(id(s), len(s.value)) for s in sources
            )  # a cycle adds its own pairs
            sizes[id(current)] = size
            self._merged += 2 * (size - own)
            if self._merged > limits.values:
                self._refuse(
                    f"merge keys (<<) expand to more than {limits.values:,} values", current
                )

    @staticmethod
    def _merge_sources(node) -> list:
        """The mappings that ``node``'s merge keys name (PyYAML reports anything else when
        merging)."""
        sources = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                continue
            if isinstance(value_node, yaml.MappingNode):
                sources.append(value_node)
            elif isinstance(value_node, yaml.SequenceNode):
                sources.extend(n for n in value_node.value if isinstance(n, yaml.MappingNode))
        return sources

    def construct_located_sequence(self, node):
        seq = Sequence()
        seq.line = node.start_mark.line + 1
        yield seq
        self._enter(node)
        seq.extend(self.construct_object(child, deep=True) for child in node.value)
        kept = {i: _source(self._text, child) for i, child in enumerate(node.value) if _kept(child)}
        if kept:
            seq.sources = kept
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

    def _as_written(self, node) -> str:
        """A scalar kept as the text as written: a string, so held to the string limit."""
        if len(node.value) > self._limits.string:
            self._refuse(f"a string is longer than {self._limits.string:,} characters", node)
        return node.value

    def construct_people_int(self, node):
        text = self.construct_scalar(node)
        if (
            len(text) > MAX_INT_TEXT
            or ":" in text
            or ("_" in text and _LOOSE_UNDERSCORE.search(text))
        ):
            return self._as_written(
                node
            )  # too long to be an answer, base-60 (1:30 = 90), or `1__0`
        if _DECIMAL.match(text):
            return int(text.replace("_", ""))  # leading zeros are decimal, as on paper
        return super().construct_yaml_int(node)  # 0x1A = 26, 0b101 = 5, +12 = 12, as in Python

    def construct_people_float(self, node):
        text = self.construct_scalar(node)
        if ":" in text or ("_" in text and _LOOSE_UNDERSCORE.search(text)):
            return self._as_written(node)  # YAML 1.1 base-60 (4:20.0 = 260.0) or `1._5`
        return super().construct_yaml_float(node)  # 1_000.5, .5, 1.0e+3, .inf, .nan


def _kept(node) -> bool:
    """Whether a value's text in the file says more than its value: a scalar on several lines (its
    rows), a folded or double-quoted one, a float (how it was rounded)."""
    return isinstance(node, yaml.ScalarNode) and (
        node.style in ('"', ">")
        or node.start_mark.line != node.end_mark.line
        or node.tag == "tag:yaml.org,2002:float"
    )


def _source(text: str, node):
    from .forms import Source

    start, end = node.start_mark.index, node.end_mark.index
    return Source(node.style or None, text[start:end] if 0 <= start <= end <= len(text) else "")


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_located_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_people_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_people_float)
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_limited_str)


_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_BLANK_AFTER_DASH = ("- ", "-\t", "-\n", "-\r", "-\x85", "-\u2028", "-\u2029", "-\x00")
MAX_DEPTH = (
    100  # levels, whatever the limit says: building a value recurses in Python (and libyaml in C)
)


def _nesting_bound(text: str, limit: int) -> int:
    """An upper bound on how deeply ``text`` nests, from a few counts made in C (4 us for an answer
    file).

    Every collection on a path from the root opens with a character of its own: a flow
    collection with ``[`` or ``{``, a mapping with its first ``:`` or ``?``, a block sequence
    with ``-`` followed by a blank or a line break (libyaml's rule). Aliases nest nothing here.
    An answer file gives 20 to 40, so :func:`_check_events` runs only on the rare file above the
    limit.
    """
    bound = text.count("[") + text.count("{") + text.count(":") + text.count("?")
    dashes = text.count("-")
    if bound + dashes <= limit:
        return bound + dashes
    return bound + text.endswith("-") + sum(text.count(pair) for pair in _BLANK_AFTER_DASH)


def _values_bound(text: str) -> int:
    """An upper bound on how many values (scalars and collections, aliases aside) ``text`` holds.

    Every value starts at the top of the document or after a line break, ``,``, ``[``, ``{``, ``:``,
    ``?`` or ``-``; at most two start at one place (a block mapping and its first key)."""
    return 2 * (1 + sum(text.count(c) for c in "\n,[{:?-"))


def _check_events(text: str, depth: int, values: int) -> None:
    """Walk libyaml's event stream (its parser keeps its own stack, it does not recurse) and stop at
    the first collection deeper than ``depth`` or the first value past ``values``, before the
    scanner goes further: a file nested 20,000 levels deep is refused after a few hundred tokens,
    not after minutes of scanning, and a flat list of a million numbers before a million Python
    objects exist.

    libyaml from PyYAML 6.0.4 on refuses by itself a file nested more than 1,000 levels, as a
    scanning error at the 1,001st level and before the parser gives the events up to the one
    crossing ``depth``; such a file is walked again with PyYAML's Python parser (which keeps its own
    stack too, and has no such limit), so it is refused at the line and column where it crosses
    ``depth``, as before, and never taken for a syntax error of one answer."""
    try:
        _walk_events(_Base(text), depth, values)
    except yaml.MarkedYAMLError as e:
        if _Base is yaml.SafeLoader or "maximum nesting depth" not in str(e.problem):
            raise
        _walk_events(yaml.SafeLoader(text), depth, values)


def _walk_events(parser, depth: int, values: int) -> None:
    """:func:`_check_events` on one parser, disposed of at the end."""
    try:
        level = count = 0
        while True:
            event = parser.get_event()
            if isinstance(event, _STARTS):
                level += 1
                if level > depth:
                    raise yaml.MarkedYAMLError(
                        problem=f"the YAML is nested more than {depth} levels deep",
                        problem_mark=event.start_mark,
                    )
            elif isinstance(event, _ENDS):
                level -= 1
            elif event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, (yaml.ScalarEvent, *_STARTS)):
                count += 1
                if count > values:
                    raise yaml.MarkedYAMLError(
                        problem=f"the YAML holds more than {values:,} values",
                        problem_mark=event.start_mark,
                    )
    finally:
        parser.dispose()


class _Refused(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message, self.line = message, line


def _measure(root, limits: Limits) -> None:
    """Refuse a document whose aliases expand past the limits: values, depth, characters of text.

    Shared (aliased) parts count every time they appear, but are walked once (memoised by identity),
    without recursion; a cycle counts as nothing more. Raises :class:`_Refused` with the line of the
    innermost mapping or list that crosses a limit.
    """
    if not isinstance(root, (dict, list, tuple, set)):
        return
    depth_limit = min(limits.depth, MAX_DEPTH)
    memo: dict[int, tuple[int, int, int]] = {
        id(root): (1, 1, 0)
    }  # id -> (values, depth, characters)
    stack = [
        [root, iter(_children(root)), 1, 0, 0]
    ]  # container, children left, values, depth below, characters
    while stack:
        frame = stack[-1]
        for child in frame[1]:
            if isinstance(child, (dict, list, tuple, set)):
                seen = memo.get(id(child))
                if seen is None:
                    if len(stack) >= depth_limit:
                        raise _Refused(
                            f"the YAML is nested more than {depth_limit} levels deep "
                            f"(aliases expanded)",
                            getattr(child, "line", None) or getattr(frame[0], "line", None),
                        )
                    memo[id(child)] = (1, 1, 0)
                    stack.append([child, iter(_children(child)), 1, 0, 0])
                    break
            else:
                if isinstance(child, str) and len(child) > limits.string:
                    raise _Refused(
                        f"a string is longer than {limits.string:,} characters",
                        getattr(frame[0], "line", None),
                    )
                seen = (1, 0, len(child) if isinstance(child, str) else 0)
            frame[2] += seen[0]
            frame[3] = max(frame[3], seen[1])
            frame[4] += seen[2]
        else:
            stack.pop()
            container, values, depth, chars = frame[0], frame[2], frame[3] + 1, frame[4]
            line = getattr(container, "line", None) or None
            if values > limits.values:
                raise _Refused(
                    f"the YAML holds more than {limits.values:,} values (aliases expanded)", line
                )
            if chars > limits.bytes:
                raise _Refused(
                    f"the YAML holds more than {limits.bytes:,} characters of text "
                    f"(aliases expanded)",
                    line,
                )
            if len(stack) + depth > depth_limit:
                raise _Refused(
                    f"the YAML is nested more than {depth_limit} levels deep (aliases expanded)",
                    line,
                )
            memo[id(container)] = (values, depth, chars)
            if stack:
                parent = stack[-1]
                parent[2] += values
                parent[3] = max(parent[3], depth)
                parent[4] += chars


def _children(container):
    return [*container.keys(), *container.values()] if isinstance(container, dict) else container


def loads(text: str, path: str | None = None, limits: Limits = ANSWER_LIMITS):
    """Parse one YAML document. Raises :class:`InputError` with the line."""
    try:
        depth = min(limits.depth, MAX_DEPTH)
        if _nesting_bound(text, depth) > depth or _values_bound(text) > limits.values:
            _check_events(text, depth, limits.values)
        loader = _Loader(text, limits._replace(depth=depth))
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
        error = InputError(f"{problem} (column {mark.column + 1})", path, mark.line + 1)
        if isinstance(e, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
            error.syntax = problem  # a syntax error, which an answer file may recover from
            first = e.context_mark if e.context_mark is not None else mark
            error.first_line = min(first.line, mark.line) + 1
        raise error from None
    except yaml.reader.ReaderError as e:  # a character YAML does not allow (control characters)
        line = text[: e.position].count("\n") + 1 if isinstance(e.position, int) else None
        char = f"#x{e.character:04x}" if isinstance(e.character, int) else repr(e.character)
        raise InputError(f"unacceptable character {char} ({e.reason})", path, line) from None
    except yaml.YAMLError as e:
        raise InputError(f"invalid YAML: {' '.join(str(e).split())}", path) from None
    except RecursionError:
        raise InputError("the YAML is nested too deeply", path) from None
    if (
        aliased
    ):  # without aliases the loader counted values, depth and string lengths as it built them
        try:
            _measure(value, limits)
        except _Refused as e:
            raise InputError(e.message, path, e.line) from None
    return value


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOCTTY", 0)
)


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "something else")
    return f"not a regular file: {kind}"


def read_limited(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most ``max_bytes + 1`` of them (one more says it is too
    large).

    Opened without blocking and checked with ``fstat`` before reading, so a FIFO, a device
    (``/dev/zero``) or a socket is refused at once instead of waited on or read forever. Reads
    what the file holds, never allocating ``max_bytes``: any limit is safe. Raises
    :class:`InputError`.
    """
    name = str(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", name) from None
    except OSError as e:
        if e.errno == errno.ENXIO:  # a socket cannot be opened as a file: say what it is
            try:
                mode = os.stat(path).st_mode
            except OSError:
                mode = stat.S_IFREG
            if not stat.S_ISREG(mode):
                raise InputError(_not_regular(mode), name) from None
        raise InputError(f"cannot read: {e.strerror or e}", name) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(_not_regular(info.st_mode), name)
        parts, total = [], 0
        ask = min(info.st_size, max_bytes) + 1  # the whole file and one byte more, in one read
        while total <= max_bytes:
            chunk = os.read(fd, min(ask, max_bytes + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
            ask = 1 << 16  # a file that grew, or reports no size (/proc): the rest by pieces
        return b"".join(parts)
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", name) from None
    finally:
        os.close(fd)


def read_text(path: str | Path, limits: Limits = ANSWER_LIMITS) -> str:
    """A YAML file's text: regular files only, size limit, no NUL bytes, UTF-8 (a BOM dropped)."""
    max_bytes = limits.bytes
    name = str(path)
    data = read_limited(path, max_bytes)
    if len(data) > max_bytes:
        raise InputError(f"file is larger than {max_bytes:,} bytes", name)
    if b"\x00" in data:
        raise InputError("not a text file (it contains NUL bytes)", name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start})", name, line
        ) from None


def load_file(path: str | Path, limits: Limits = ANSWER_LIMITS):
    """Read and parse a YAML file: :func:`read_text`, then :func:`loads`."""
    return loads(read_text(path, limits), str(path), limits)
