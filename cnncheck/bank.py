"""Question banks: YAML files -> validated, solved :class:`Assignment` objects.

A bank is a YAML file (one assignment) or a folder of them. Every question
of an assignment is parsed by its kind and solved the first time the
assignment is used, so an ill-posed definition is refused before anything is
graded against it, with its file, line and question id; all the problems of
an assignment are reported together.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple
from weakref import WeakKeyDictionary

from . import forms, variants, yamlio
from .kinds import KINDS, DefinitionError, Kind, did_you_mean
from .kinds.base import CARRY_LEVELS, COMMON_NAMES, FIXED_NAMES, check_answer, get_tolerance
from .yamlio import InputError

ENV_BANK = "CNNCHECK_BANK"
BANK_KEYS = (
    "assignment",
    "title",
    "convention",
    "default",
    "partial",
    "feedback",
    "carry_forward",
    "questions",
)
COMMON_KEYS = COMMON_NAMES  # declared with their types and docs in kinds.base
# What a report may show, least to most: points; + status; + wrong cells, messages, named mistakes;
# + answers, working.
FEEDBACK_LEVELS = ("score", "verdict", "hints", "full")
PARTIAL_UNITS = ("cells", "dimensions", "rows", "ideas")
CONVENTIONS = ("cross-correlation", "convolution")


class BankError(Exception):
    """A bank that cannot be used; ``problems`` lists every one found, ``questions`` those that were
    built all the same (for their warnings)."""

    def __init__(self, problems: list[InputError], questions: dict | None = None):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        self.questions = questions or {}


# Caches kept beside the frozen records, not in them; weak, so they go with the bank.
_POSED: WeakKeyDictionary = (
    WeakKeyDictionary()
)  # a question or assignment -> {student id: their variant}
_MISTAKE_ANSWERS: WeakKeyDictionary = (
    WeakKeyDictionary()
)  # a question -> the answers its mistakes give


@dataclass(frozen=True, eq=False)
class Question:
    id: str
    kind: Kind
    params: object
    expected: forms.Expected
    prompt: str = ""
    points: float = 1
    tolerance: forms.Tolerance = forms.Tolerance()
    path: str = ""
    line: int = 0
    partial: bool = False  # credit for the right cells (arrays) or dimensions (shapes)
    feedback: str | None = None  # caps what reports show of this question
    template: dict | None = (
        None  # the definition with its draws, for a question that differs per student
    )
    assignment: str = ""
    student: str | None = (
        None  # whose variant this is ("" the default variant); None for a fixed question
    )
    # error carried forward: (upstream question id, the key of this definition its answer feeds)
    uses: tuple[tuple[str, str], ...] = ()
    carry: float = CARRY_LEVELS["half"]  # the share of the points an answer carried forward earns
    definition: dict | None = None  # the definition as solved (this variant's draws resolved)

    @property
    def random(self) -> bool:
        return self.template is not None

    def for_student(self, student: str | None) -> Question:
        """This student's variant (the default variant for None); a fixed question is the same for
        all."""
        key = student or ""
        if self.template is None or key == self.student:
            return self
        posed = _POSED.setdefault(self, {})
        if key not in posed:
            posed[key] = pose(
                self.assignment,
                self.id,
                self.template,
                self.kind,
                self._convention,
                key,
                self.path,
                self.line,
                self.partial,
                self.feedback,
                uses=self.uses,
                carry=self.carry,
            )
        return posed[key]

    def carried(self, values: tuple[tuple[str, object, str | None], ...]) -> Question | None:
        """This question posed on a student's own upstream answers (error carried forward):
        ``values`` holds (key, answer, the answer's axes or None) for each. The definition they
        make is checked and solved as any bank question is, within the same bounds; None when it
        is ill-posed or out of bounds: nothing then follows from those answers."""
        d = self.definition
        for key, value, axes in values:
            d = self.kind.substitute(d, key, value, axes) if d is not None else None
        if d is None:
            return None
        try:
            params, expected = solve(self.kind, d, self._convention)
        except (ValueError, TypeError):  # ill-posed, or not a value the kind reads
            return None
        return replace(self, params=params, expected=expected, definition=d, template=None)

    @property
    def _convention(self) -> str:
        return getattr(self.params, "convention", "cross-correlation")

    @property
    def mistake_answers(self) -> list:
        """The answers classic mistakes give (``teaching.MistakeAnswer``), computed once per
        question: those equal to the right answer (no answer could tell them apart) are left out."""
        if self not in _MISTAKE_ANSWERS:
            _MISTAKE_ANSWERS[self] = self._mistake_answers()
        return _MISTAKE_ANSWERS[self]

    def _mistake_answers(self) -> list:
        out, seen = [], []
        for v in self.kind.mistake_answers(self.params):
            if self.kind.form.compare(v.value, self.expected, self.tolerance).correct:
                continue
            key = (v.mistake, repr(v.value.tolist() if hasattr(v.value, "tolist") else v.value))
            if key not in seen:
                seen.append(key)
                out.append(v)
        return out


@dataclass(frozen=True, eq=False)
class Assignment:
    id: str
    title: str
    questions: dict[str, Question]
    path: str = ""
    default: bool = False
    feedback: str = "full"  # the bank's default feedback level

    @property
    def random(self) -> bool:
        return any(q.random for q in self.questions.values())

    def for_student(self, student: str | None) -> Assignment:
        """The assignment as this student sees it: their variant of every question that differs."""
        if not self.random:
            return self
        key = student or ""
        posed = _POSED.setdefault(self, {})
        if key not in posed:
            posed[key] = replace(
                self, questions={qid: q.for_student(key) for qid, q in self.questions.items()}
            )
        return posed[key]

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions.values())


class Unparsed(NamedTuple):
    """A bank file read but not yet parsed (see ``load_bank(lazy=True)``): its text, and whether its
    first lines say ``default: true``."""

    text: str
    default: bool


class Bank:
    """Assignments by id. Every file is read when the bank loads (a lazy bank parses a file the
    first time its assignment is used); an assignment's questions are checked and solved the first
    time it is used (``list`` uses all)."""

    def __init__(self, docs: dict[str, tuple[Path, dict | Unparsed]], default: str, source: str):
        self._docs = docs
        self._built: dict[str, Assignment] = {}
        self._unreadable: dict[str, InputError] = {}
        self.default = default
        self.source = source

    @property
    def ids(self) -> list[str]:
        return list(self._docs)

    @property
    def assignments(self) -> dict[str, Assignment]:
        problems: list[InputError] = []
        for aid in self._docs:
            try:
                self.get(aid)
            except BankError as e:
                problems.extend(e.problems)
        if problems:
            raise BankError(problems)
        return {aid: self._built[aid] for aid in self._docs}

    def get(
        self, assignment_id: str | None, *, path: str | None = None, line: int | None = None
    ) -> Assignment:
        """An assignment, built on first use. Raises BankError when its definitions are
        ill-posed."""
        if assignment_id is None:
            assignment_id = self.default
        if assignment_id not in self._docs:
            raise InputError(
                f"unknown assignment {assignment_id!r}{did_you_mean(assignment_id, self._docs)}; "
                f"the bank has {', '.join(self._docs)}",
                path,
                line,
            )
        if assignment_id not in self._built:
            file = self._docs[assignment_id][0]
            self._built[assignment_id] = build_assignment(file, self.document(assignment_id))
        return self._built[assignment_id]

    def document(self, aid: str) -> dict:
        """An assignment's file, parsed (a lazy bank parses it now). Raises BankError, each time it
        is asked, when the file cannot be parsed."""
        file, doc = self._docs[aid]
        if not isinstance(doc, Unparsed):
            return doc
        if aid not in self._unreadable:
            try:
                found, parsed = parse_bank_file(file, doc.text)
                if found != aid or (parsed.get("default") is True) != doc.default:
                    # the scan and the parser disagree: a bug in scan_bank_file, said plainly
                    raise InputError(
                        f"its first lines were read as assignment {aid!r}, the whole file as "
                        f"{found!r}: load the bank without lazy=True",
                        str(file),
                    )
            except InputError as e:
                self._unreadable[aid] = e
            else:
                self._docs[aid] = (file, parsed)
                return parsed
        raise BankError([self._unreadable[aid]])


def builtin_path() -> Path:
    """The built-in bank: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "questions", here.parent / "questions"):
        if candidate.is_dir():
            return candidate
    raise InputError(
        "the built-in question bank is missing from this installation", str(here / "questions")
    )


def bank_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not files:
            raise InputError("no .yaml or .yml files in this folder", str(path))
        return files
    if not path.exists():
        raise InputError("no such file or folder", str(path))
    return [path]


def load_bank(path: str | os.PathLike | None = None, *, lazy: bool = False) -> Bank:
    """Load a bank: ``path``, else ``$CNNCHECK_BANK``, else the built-in bank.

    ``lazy``: read every file, but parse one only when its assignment is first used, when its
    first lines name the assignment plainly (see :func:`scan_bank_file`); a file that cannot be
    parsed then makes that assignment unusable (BankError), not the bank. A bank with any problem
    when it loads (an unreadable file, an id defined twice, two defaults) is loaded in full, so
    its errors are those of ``lazy=False``."""
    if path is None:
        path = os.environ.get(ENV_BANK) or None
    root = Path(path) if path is not None else builtin_path()
    files = bank_files(root)
    if lazy:
        bank = _load_lazily(files, root)
        if bank is not None:
            return bank
    docs: dict[str, tuple[Path, dict]] = {}
    defaults: list[str] = []
    problems: list[InputError] = []
    for file in files:
        try:
            aid, doc = read_bank_file(file)
        except InputError as e:
            problems.append(e)
            continue
        if aid in docs:
            problems.append(
                InputError(f"assignment {aid!r} is also defined in {docs[aid][0]}", str(file))
            )
            continue
        docs[aid] = (file, doc)
        if doc.get("default") is True:
            defaults.append(aid)
    if problems:
        raise BankError(problems)
    if len(defaults) > 1:
        raise BankError(
            [
                InputError(
                    f"more than one assignment says default: true ({', '.join(defaults)})",
                    str(root),
                )
            ]
        )
    return Bank(docs, defaults[0] if defaults else next(iter(docs)), str(root))


def _load_lazily(files: list[Path], root: Path) -> Bank | None:
    """A lazy bank of ``files``, or None when loading them raises any problem."""
    docs: dict[str, tuple[Path, dict | Unparsed]] = {}
    defaults: list[str] = []
    for file in files:
        try:
            text = yamlio.read_text(file, yamlio.BANK_LIMITS)
            head = scan_bank_file(text)
            if head is None:  # not plain enough to trust a scan: parsed now
                aid, doc = parse_bank_file(file, text)
                default = doc.get("default") is True
            else:
                (aid, default), doc = head, Unparsed(text, head[1])
        except InputError:
            return None
        if aid in docs:
            return None
        docs[aid] = (file, doc)
        if default:
            defaults.append(aid)
    if len(defaults) > 1:
        return None
    return Bank(docs, defaults[0] if defaults else next(iter(docs)), str(root))


_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # not an id
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
# a quoted string, or a flow list or mapping of plain words, ending on its line (compiled by re
# the first time a file needs it)
_ONE_LINE = r""""[^"\\]*"|'[^']*'|\[[^\[\]{}"']*\]|\{[^\[\]{}"']*\}"""
_ODD_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def scan_top_level(text: str) -> dict[str, str] | None:
    """The keys at the left margin of a YAML mapping and their values as written (comments
    dropped), when it is plain enough to read line by line: every line at the margin a comment
    or a ``key:`` given once, and no value there that could run on to the next line (an open
    bracket or quote) or that names an anchor, an alias or a tag. Else None: only the parser
    can say."""
    if any(c in text for c in _ODD_BREAKS):  # line breaks other than \n: not read line by line
        return None
    keys: dict[str, str] = {}
    for line in text.split("\n"):
        if not line or line[0] == " " or line[0] == "#":
            continue
        key, colon, value = line.rstrip(" ").partition(":")
        if not (colon and key.isascii() and key.isidentifier()) or key in keys:
            return None
        if value:
            if value[0] != " ":
                return None
            value = value.lstrip(" ")
            value = "" if value[:1] == "#" else value.split(" #", 1)[0].rstrip(" ")
        if value[:1] in ("{", "[", '"', "'") and not re.fullmatch(_ONE_LINE, value):
            return None
        if value[:1] in ("&", "*", "!", "%", "@", "`"):
            return None
        keys[key] = value
    return keys


def _plain_id(value: str) -> bool:
    """A value YAML reads as this very text: a letter, then letters, digits and ``_.-``
    (``cs577-hw4``), and not a word YAML 1.1 reads as true, false or null."""
    return (
        value[:1].isascii()
        and value[:1].isalpha()
        and _ID_CHARS.issuperset(value)
        and value.lower() not in _YAML11_WORDS
    )


def scan_bank_file(text: str) -> tuple[str, bool] | None:
    """``(assignment id, default: true?)`` of a bank file whose top level :func:`scan_top_level`
    reads, with the assignment id a plain word and ``default:`` absent, ``true`` or ``false``. Else
    None: the file must be parsed to know. A file it reads still has to parse when it is used."""
    keys = scan_top_level(text)
    if keys is None:
        return None
    aid, default = keys.get("assignment"), keys.get("default", "false")
    if aid is None or not _plain_id(aid) or default not in ("true", "false"):
        return None
    return aid, default == "true"


def load_bank_for(
    path: str | os.PathLike | None,
    answers: str | None,
    *,
    assignment: str | None = None,
    limits: yamlio.Limits = yamlio.ANSWER_LIMITS,
) -> Bank:
    """The bank to grade one answer file (``answers``) against, as :func:`load_bank` loads it, but
    parsing only the bank file of the assignment that file is graded against: ``assignment``
    (``-a``), else the one its ``assignment:`` names plainly (see :func:`scan_top_level`), else
    the default. That file is parsed here, so a problem with it is the error ``load_bank`` gives;
    another is parsed if its assignment is used. With ``answers`` None (a class), or an answer
    file that is unreadable or not plain enough, the whole bank is parsed, as ever."""
    if answers is None:
        return load_bank(path)
    if assignment is None:
        try:
            keys = scan_top_level(yamlio.read_text(answers, limits))
        except InputError:  # the grade says what is wrong with the file, after the bank loads
            keys = None
        if keys is None:
            return load_bank(path)
        assignment = keys.get("assignment")
        if assignment is not None and not _plain_id(assignment):
            return load_bank(path)
    bank = load_bank(path, lazy=True)
    aid = assignment or bank.default
    if aid in bank.ids:
        try:
            bank.document(aid)
        except BankError:  # every problem of the bank, in the words they always had
            return load_bank(path)
    return bank


def read_bank_file(file: Path) -> tuple[str, dict]:
    """Parse one bank file far enough to know its assignment id."""
    return parse_bank_file(file, yamlio.read_text(file, yamlio.BANK_LIMITS))


def parse_bank_file(file: Path, text: str) -> tuple[str, dict]:
    """:func:`read_bank_file` for a file's text, already read."""
    name = str(file)
    doc = yamlio.loads(text, name, yamlio.BANK_LIMITS)
    if not isinstance(doc, dict):
        raise InputError(
            "a bank file must be a mapping with assignment: and questions:",
            name,
            getattr(doc, "line", 1),
        )
    aid = doc.get("assignment")
    if not isinstance(aid, (str, int)) or isinstance(aid, bool) or not str(aid).strip():
        raise InputError("assignment: must name the assignment", name, doc.line_of("assignment"))
    return str(aid), doc


def _not_one_of(key: str, value, choices) -> str:
    """What is wrong with a setting ``key`` whose ``value`` is none of ``choices``."""
    return f"{key} must be one of {', '.join(choices)}, got {value!r}{did_you_mean(value, choices)}"


def _one_of(doc, key: str, choices, default: str, name: str, problems: list) -> str:
    """An assignment's setting ``key`` among ``choices`` (``default`` when absent); a value not
    among them is a problem at its line, with a "did you mean", and ``default`` is used."""
    value = doc.get(key, default)
    if value in choices:
        return value
    problems.append(InputError(_not_one_of(key, value, choices), name, doc.line_of(key)))
    return default


def build_assignment(file: Path, doc: dict) -> Assignment:
    """Check and solve every question of one bank file; all its problems are reported together."""
    name = str(file)
    aid = str(doc["assignment"])
    problems: list[InputError] = []
    for key in doc:
        if key not in BANK_KEYS:
            problems.append(
                InputError(
                    f"unknown key {key!r}{did_you_mean(key, BANK_KEYS)}", name, doc.line_of(key)
                )
            )
    convention = doc.get("convention", "cross-correlation")
    if convention not in CONVENTIONS:
        problems.append(
            InputError(
                f"convention must be one of {', '.join(CONVENTIONS)}, got {convention!r}",
                name,
                doc.line_of("convention"),
            )
        )
        convention = "cross-correlation"
    default = doc.get("default", False)
    if not isinstance(default, bool):
        problems.append(InputError("default must be true or false", name, doc.line_of("default")))
    feedback = _one_of(doc, "feedback", FEEDBACK_LEVELS, "full", name, problems)
    partial = doc.get("partial", [])
    partial = [partial] if isinstance(partial, str) else partial
    if partial is False or partial is None:
        partial = []
    if not isinstance(partial, list) or any(u not in PARTIAL_UNITS for u in partial):
        problems.append(
            InputError(
                f"partial must be {' or '.join(PARTIAL_UNITS)} (or a list of them), got "
                f"{doc.get('partial')!r}",
                name,
                doc.line_of("partial"),
            )
        )
        partial = []
    carry = _one_of(doc, "carry_forward", CARRY_LEVELS, "half", name, problems)
    qs = doc.get("questions")
    if not isinstance(qs, dict) or not qs:
        problems.append(
            InputError(
                "questions: must be a mapping of question ids to definitions",
                name,
                doc.line_of("questions"),
            )
        )
        raise BankError(problems)
    questions: dict[str, Question] = {}
    for qid, d in qs.items():
        try:
            questions[str(qid)] = load_question(
                str(qid), d, convention, name, qs.line_of(qid), tuple(partial), aid, carry
            )
        except InputError as e:
            problems.append(e)
        except BankError as e:
            problems.extend(e.problems)
    problems += link_uses(questions, qs, name)
    if problems:
        raise BankError(problems, questions)
    title = doc.get("title")
    return Assignment(
        aid, str(title) if title is not None else aid, questions, name, default is True, feedback
    )


def load_question(
    qid: str,
    d,
    convention: str,
    path: str,
    line: int,
    partial_units: tuple[str, ...] = (),
    assignment: str = "",
    carry_default: str = "half",
) -> Question:
    """Check and solve one question. Raises BankError listing every problem found, each with its
    line."""
    problems: list[InputError] = []

    def fail(message: str, key: str | None = None) -> None:
        at = d.line_of(key) if key and isinstance(d, yamlio.Mapping) and key in d else line
        problems.append(InputError(f"question {qid}: {message}", path, at))

    def stop() -> BankError:
        return BankError(problems)

    if not isinstance(d, dict):
        fail("a question must be a mapping with a kind")
        raise stop()
    kind_name = d.get("kind")
    if kind_name not in KINDS:
        fail(
            f"unknown kind {kind_name!r}{did_you_mean(kind_name, KINDS)}; "
            f"kinds are {', '.join(KINDS)}",
            "kind",
        )
        raise stop()
    kind = KINDS[kind_name]
    allowed = COMMON_KEYS | kind.keys
    for key in d:
        if key not in allowed:
            fail(f"unknown key {key!r} for a {kind_name} question{did_you_mean(key, allowed)}", key)
    missing = [k for k in sorted(kind.required) if k not in d]
    if missing:
        fail(f"a {kind_name} question needs {', '.join(missing)}")
    drawn = variants.has_draws(d)  # the definition is walked once
    for key in COMMON_KEYS | FIXED_NAMES if drawn else ():
        if key in d and variants.has_draws(d[key]):
            fail(f"{key} cannot be drawn at random; draws stand for a question's parameters", key)
    points = d.get("points", 1)
    if not isinstance(points, (int, float)) or isinstance(points, bool) or not (0 <= points < 1e9):
        fail(f"points must be a non-negative number, got {points!r}", "points")
        points = 1
    prompt = d.get("prompt", "")
    if not isinstance(prompt, str):
        fail("prompt must be text", "prompt")
        prompt = ""
    unit = kind.form.partial
    partial = unit in partial_units or kind.partial_default
    if "partial" in d:
        v = d["partial"]
        if v in (False, None, "none"):
            partial = False
        elif v is True or v == unit:
            partial = unit is not None
            if unit is None:
                fail(f"a {kind_name} answer is a single number: no partial credit", "partial")
        else:
            fail(
                f"partial must be {unit or 'none'} for a {kind_name} question, got {v!r}", "partial"
            )
    feedback = d.get("feedback")
    if feedback is not None and feedback not in FEEDBACK_LEVELS:
        fail(_not_one_of("feedback", feedback, FEEDBACK_LEVELS), "feedback")
    uses = read_uses(d["uses"], fail) if "uses" in d else ()
    carry = d.get("carry_forward", carry_default)
    if carry not in CARRY_LEVELS:
        fail(_not_one_of("carry_forward", carry, CARRY_LEVELS), "carry_forward")
        carry = "half"
    chained = {"uses": uses, "carry": CARRY_LEVELS[carry]}
    if missing or (problems and drawn):
        raise stop()
    if drawn:
        # the default variant, posed now: a draw that is malformed or never well-posed is
        # refused here
        q = pose(assignment, qid, d, kind, convention, "", path, line, partial, feedback, **chained)
        check_draws(assignment, qid, d, kind, convention, path, line)
        return q
    # Every problem of the kind's keys: a key at fault is set aside (its default stands in) and the
    # question read again, so one wrong key does not hide the next.
    rest = {k: v for k, v in d.items() if k in allowed}
    set_aside: list[str] = []
    for _ in range(len(d) + 1):
        try:
            tolerance = get_tolerance(rest)
            params, expected = solve(kind, rest, convention)
            break
        except DefinitionError as e:
            if set_aside and (e.key in set_aside or e.key in kind.required or "required" in str(e)):
                break  # only the key set aside is missing: nothing new
            fail(str(e), e.key)
            if e.key is None or e.key not in rest or e.key in kind.required:
                break
            del rest[e.key]
            set_aside.append(e.key)
        except ValueError as e:  # the engine refused the parameters: an ill-posed question
            fail(str(e))
            break
    if problems:
        raise stop()
    return Question(
        qid,
        kind,
        params,
        expected,
        prompt.strip(),
        points,
        tolerance,
        path,
        line,
        partial,
        feedback,
        definition=rest,
        **chained,
    )


def read_uses(v, fail) -> tuple[tuple[str, str | None], ...]:
    """``uses:`` as (question id, key or None) pairs: an id, a list of ids, or ``{id: key}``; the
    key, when not given, is the one the upstream question's kind feeds (see :func:`link_uses`)."""
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        return ((str(v), None),)
    if isinstance(v, list) and v and all(isinstance(x, (str, int)) for x in v):
        return tuple((str(x), None) for x in v)
    if isinstance(v, dict) and v and all(isinstance(k, str) for k in v.values()):
        return tuple((str(u), k) for u, k in v.items())
    fail(f"uses must be a question id, a list of ids or {{id: key}}, got {v!r}", "uses")
    return ()


def link_uses(questions: dict[str, Question], qs, path: str) -> list[InputError]:
    """Check every ``uses:`` of an assignment against the questions it names, and fill in the key
    each upstream answer feeds: an unknown id, a question using itself, an upstream whose answer
    this kind cannot take, two answers for one key, and a cycle are problems (with the line of
    the ``uses:``). ``questions`` is updated in place."""
    problems: list[InputError] = []

    def fail(qid: str, message: str) -> None:
        d = qs[qid]
        at = d.line_of("uses") if isinstance(d, yamlio.Mapping) else qs.line_of(qid)
        problems.append(InputError(f"question {qid}: {message}", path, at))

    linked: dict[str, list[str]] = {}
    for qid, q in list(questions.items()):
        resolved, fed = [], {}
        for uid, key in q.uses:
            if uid == qid:
                fail(qid, "uses itself: an answer can only build on another question's")
                continue
            if uid not in qs:
                others = [k for k in qs if k != qid]
                fail(qid, f"uses {uid!r}, which is no question here{did_you_mean(uid, others)}")
                continue
            if uid not in questions:  # refused on its own: its problems are listed already
                continue
            up = questions[uid].kind.name
            feeds = q.kind.takes.get(up)
            takes = "; ".join(
                f"a {k} question's answer feeds its {v}" for k, v in q.kind.takes.items()
            )
            if feeds is None:
                fail(
                    qid,
                    f"uses {uid}, a {up} question, whose answer cannot feed a {q.kind.name} "
                    f"question ({takes})",
                )
                continue
            if key is not None and key != feeds:
                fail(qid, f"uses {uid} for its {key}, but a {up} answer feeds its {feeds}")
                continue
            if feeds in fed:
                fail(qid, f"uses {fed[feeds]} and {uid} for the same key, {feeds}")
                continue
            fed[feeds] = uid
            resolved.append((uid, feeds))
        questions[qid] = replace(q, uses=tuple(resolved))
        linked[qid] = [uid for uid, _ in resolved]
    for cycle in _cycles(linked):
        fail(cycle[0], f"uses form a cycle: {' → '.join(cycle)}")
    return problems


def _cycles(linked: dict[str, list[str]]) -> list[list[str]]:
    """The cycles of ``uses`` (``a → b → a``), each once, from its least id. One walk over the
    questions that keeps its own stack: a chain of thousands of questions recurses nowhere."""
    state: dict[str, int] = {}  # 1: on the walk's path, 2: done
    found: dict[tuple[str, ...], list[str]] = {}
    for root in linked:
        if root in state:
            continue
        path, nexts = [root], [iter(linked.get(root, ()))]
        state[root] = 1
        while path:
            uid = next(nexts[-1], None)
            if uid is None:
                state[path.pop()] = 2
                nexts.pop()
            elif state.get(uid) == 1:  # back to a question on the path: a cycle
                loop = path[path.index(uid) :]
                i = loop.index(min(loop))
                loop = loop[i:] + loop[:i]
                found.setdefault(tuple(loop), [*loop, loop[0]])
            elif uid not in state:
                state[uid] = 1
                path.append(uid)
                nexts.append(iter(linked.get(uid, ())))
    return [found[k] for k in sorted(found)]


def solve(kind: Kind, d: dict, convention: str) -> tuple[object, forms.Expected]:
    """Parse and solve one definition (all draws resolved). Raises ValueError (a DefinitionError
    naming its key, or the engine's refusal) when the question is ill-posed."""
    try:
        params = kind.parse(d, convention)
        expected = kind.solve(params)
    except (
        ArithmeticError
    ) as e:  # bounded away by the kinds' checks; never a crash if one slips through
        raise ValueError(f"the arithmetic fails ({type(e).__name__}: {e})") from None
    check_answer(expected)
    return params, expected


class VariantError(InputError):
    """A student's variant of a question that cannot be posed: no well-posed draw in ``ATTEMPTS``
    tries. ``check_draws`` refuses a bank where this is more than a one-in-a-million chance per
    student."""


def pose(
    assignment: str,
    qid: str,
    template: dict,
    kind: Kind,
    convention: str,
    student: str,
    path: str,
    line: int,
    partial: bool,
    feedback: str | None,
    *,
    uses: tuple = (),
    carry: float = CARRY_LEVELS["half"],
) -> Question:
    """One student's variant of a question with draws: the first well-posed draw of
    ``assignment / qid / student / attempt`` for attempt 0, 1, 2, ..."""
    problem = None
    for attempt in range(variants.ATTEMPTS):
        stream = variants.Stream(assignment, qid, student, str(attempt))
        try:  # a malformed draw fails every attempt; a drawn shape may fail some
            d = variants.resolve(template, stream)
            params, expected = solve(kind, d, template.get("convention", convention))
        except ValueError as e:  # ill-posed: draw again
            problem = e
            continue
        prompt = variants.fill_prompt(d.get("prompt", ""), d, template).strip()
        return Question(
            qid,
            kind,
            params,
            expected,
            prompt,
            d.get("points", 1),
            get_tolerance(d),
            path,
            line,
            partial,
            feedback,
            template,
            assignment,
            student,
            uses,
            carry,
            d,
        )
    who = f" for student {student!r}" if student else ""
    raise VariantError(
        f"question {qid}: no well-posed variant{who} in {variants.ATTEMPTS} draws "
        f"(the last: {problem})",
        path,
        line,
    )


SAMPLE_DRAWS = 200  # draws that estimate how often a question's draws are ill-posed
SAMPLE_NUMBERS = 200_000  # numbers drawn at most for the estimate (a few tenths of a second)
MAX_FAILURE_RATE = 1e-6  # the share of student ids with no well-posed variant a bank may have
EXAMPLE_ATTEMPTS = 3_000  # draws check-bank tries to find a student id with no variant


class DrawRateError(InputError):
    """A question whose draws are ill-posed so often that some students would get no variant."""

    def __init__(self, message: str, path: str, line: int, find_example=None):
        super().__init__(message, path, line)
        self.find_example = find_example


def check_draws(
    assignment: str, qid: str, template: dict, kind: Kind, convention: str, path: str, line: int
) -> float:
    """Estimate the share of student ids that would get no well-posed variant, and refuse it above
    :data:`MAX_FAILURE_RATE`.

    Each attempt of each student is an independent draw, ill-posed with some probability ``f``; a
    student has no variant when all :data:`~variants.ATTEMPTS` of theirs are, with probability
    ``f ** ATTEMPTS``. ``f`` is estimated from the first draws of fixed sample ids, so the verdict
    is the same on every machine and every run. Returns the estimated share.
    """
    convention = template.get("convention", convention)
    failed = tried = numbers = 0
    last = None
    while tried < SAMPLE_DRAWS and (numbers < SAMPLE_NUMBERS or tried < 20):
        stream = variants.Stream(assignment, qid, f"sample-{tried}", "0")
        tried += 1
        try:
            solve(kind, variants.resolve(template, stream), convention)
        except ValueError as e:
            failed, last = failed + 1, e
        numbers += stream.drawn
    rate = (failed / tried) ** variants.ATTEMPTS
    if rate > MAX_FAILURE_RATE:

        def find_example() -> tuple[str | None, int]:
            return example_student(assignment, qid, template, kind, convention)

        share = (
            f"1 in {round(1 / rate):,} student ids" if rate < 0.5 else f"{rate:.0%} of student ids"
        )
        raise DrawRateError(
            f"question {qid}: {failed} of {tried} sample draws are ill-posed (e.g. {last}), so an "
            f"estimated {share} would get no well-posed variant in {variants.ATTEMPTS} draws; "
            f"widen the fixed parameters or narrow the draws",
            path,
            line,
            find_example,
        )
    return rate


def example_student(
    assignment: str,
    qid: str,
    template: dict,
    kind: Kind,
    convention: str,
    budget: int = EXAMPLE_ATTEMPTS,
) -> tuple[str | None, int]:
    """The first of ``student-0``, ``student-1``, ... with no well-posed variant, trying at most
    ``budget`` draws in all; (None, ids tried) when none is found."""
    spent, i = 0, 0
    while spent < budget:
        student = f"student-{i}"
        i += 1
        for attempt in range(variants.ATTEMPTS):
            spent += 1
            try:
                solve(
                    kind,
                    variants.resolve(
                        template, variants.Stream(assignment, qid, student, str(attempt))
                    ),
                    convention,
                )
                break
            except ValueError:
                continue
        else:
            return student, i
    return None, i
