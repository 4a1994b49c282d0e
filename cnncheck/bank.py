"""Question banks: YAML files -> validated, solved :class:`Assignment` objects.

A bank is a YAML file (one assignment) or a folder of them. Every question
is parsed by its kind and solved when the bank loads, so an ill-posed
definition is refused up front, with its file, line and question id; all the
problems of a bank are reported together.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import forms, yamlio
from .kinds import KINDS, DefinitionError, Kind, did_you_mean
from .kinds.base import get_tolerance
from .yamlio import InputError

ENV_BANK = "CNNCHECK_BANK"
BANK_KEYS = ("assignment", "title", "convention", "default", "questions")
COMMON_KEYS = frozenset({"kind", "prompt", "points", "tolerance"})
CONVENTIONS = ("cross-correlation", "convolution")


class BankError(Exception):
    """A bank that cannot be used; ``problems`` lists every one found."""

    def __init__(self, problems: list[InputError]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


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


@dataclass(frozen=True, eq=False)
class Assignment:
    id: str
    title: str
    questions: dict[str, Question]
    path: str = ""
    default: bool = False

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions.values())


class Bank:
    """Assignments by id. Every file is read when the bank loads; an assignment's
    questions are checked and solved the first time it is used (``list`` uses all)."""

    def __init__(self, docs: dict[str, tuple[Path, dict]], default: str, source: str):
        self._docs = docs
        self._built: dict[str, Assignment] = {}
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

    def get(self, assignment_id: str | None, *, path: str | None = None, line: int | None = None) -> Assignment:
        """An assignment, built on first use. Raises BankError when its definitions are ill-posed."""
        if assignment_id is None:
            assignment_id = self.default
        if assignment_id not in self._docs:
            raise InputError(f"unknown assignment {assignment_id!r}{did_you_mean(assignment_id, self._docs)}; "
                             f"the bank has {', '.join(self._docs)}", path, line)
        if assignment_id not in self._built:
            file, doc = self._docs[assignment_id]
            self._built[assignment_id] = build_assignment(file, doc)
        return self._built[assignment_id]


def builtin_path() -> Path:
    """The built-in bank: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "questions", here.parent / "questions"):
        if candidate.is_dir():
            return candidate
    raise InputError("the built-in question bank is missing from this installation", str(here / "questions"))


def bank_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not files:
            raise InputError("no .yaml or .yml files in this folder", str(path))
        return files
    if not path.exists():
        raise InputError("no such file or folder", str(path))
    return [path]


def load_bank(path: str | os.PathLike | None = None) -> Bank:
    """Load a bank: ``path``, else ``$CNNCHECK_BANK``, else the built-in bank."""
    if path is None:
        path = os.environ.get(ENV_BANK) or None
    root = Path(path) if path is not None else builtin_path()
    docs: dict[str, tuple[Path, dict]] = {}
    defaults: list[str] = []
    problems: list[InputError] = []
    for file in bank_files(root):
        try:
            aid, doc = read_bank_file(file)
        except InputError as e:
            problems.append(e)
            continue
        if aid in docs:
            problems.append(InputError(f"assignment {aid!r} is also defined in {docs[aid][0]}", str(file)))
            continue
        docs[aid] = (file, doc)
        if doc.get("default") is True:
            defaults.append(aid)
    if problems:
        raise BankError(problems)
    if len(defaults) > 1:
        raise BankError([InputError(f"more than one assignment says default: true ({', '.join(defaults)})", str(root))])
    return Bank(docs, defaults[0] if defaults else next(iter(docs)), str(root))


def read_bank_file(file: Path) -> tuple[str, dict]:
    """Parse one bank file far enough to know its assignment id."""
    name = str(file)
    doc = yamlio.load_file(file)
    if not isinstance(doc, dict):
        raise InputError("a bank file must be a mapping with assignment: and questions:", name, getattr(doc, "line", 1))
    aid = doc.get("assignment")
    if not isinstance(aid, (str, int)) or isinstance(aid, bool) or not str(aid).strip():
        raise InputError("assignment: must name the assignment", name, doc.line_of("assignment"))
    return str(aid), doc


def build_assignment(file: Path, doc: dict) -> Assignment:
    """Check and solve every question of one bank file; all its problems are reported together."""
    name = str(file)
    aid = str(doc["assignment"])
    problems: list[InputError] = []
    for key in doc:
        if key not in BANK_KEYS:
            problems.append(InputError(f"unknown key {key!r}{did_you_mean(key, BANK_KEYS)}", name, doc.line_of(key)))
    convention = doc.get("convention", "cross-correlation")
    if convention not in CONVENTIONS:
        problems.append(InputError(f"convention must be one of {', '.join(CONVENTIONS)}, got {convention!r}",
                                   name, doc.line_of("convention")))
        convention = "cross-correlation"
    default = doc.get("default", False)
    if not isinstance(default, bool):
        problems.append(InputError("default must be true or false", name, doc.line_of("default")))
    qs = doc.get("questions")
    if not isinstance(qs, dict) or not qs:
        problems.append(InputError("questions: must be a mapping of question ids to definitions", name,
                                   doc.line_of("questions")))
        raise BankError(problems)
    questions: dict[str, Question] = {}
    for qid, d in qs.items():
        try:
            questions[str(qid)] = load_question(str(qid), d, convention, name, qs.line_of(qid))
        except InputError as e:
            problems.append(e)
    if problems:
        raise BankError(problems)
    title = doc.get("title")
    return Assignment(aid, str(title) if title is not None else aid, questions, name, default is True)


def load_question(qid: str, d, convention: str, path: str, line: int) -> Question:
    def fail(message: str, key: str | None = None):
        at = d.line_of(key) if key and isinstance(d, yamlio.Mapping) and key in d else line
        return InputError(f"question {qid}: {message}", path, at)

    if not isinstance(d, dict):
        raise fail("a question must be a mapping with a kind")
    kind_name = d.get("kind")
    if kind_name not in KINDS:
        raise fail(f"unknown kind {kind_name!r}{did_you_mean(kind_name, KINDS)}; kinds are {', '.join(KINDS)}", "kind")
    kind = KINDS[kind_name]
    allowed = COMMON_KEYS | kind.keys
    for key in d:
        if key not in allowed:
            raise fail(f"unknown key {key!r} for a {kind_name} question{did_you_mean(key, allowed)}", key)
    missing = [k for k in sorted(kind.required) if k not in d]
    if missing:
        raise fail(f"a {kind_name} question needs {', '.join(missing)}")
    points = d.get("points", 1)
    if not isinstance(points, (int, float)) or isinstance(points, bool) or not (0 <= points < 1e9):
        raise fail(f"points must be a non-negative number, got {points!r}", "points")
    prompt = d.get("prompt", "")
    if not isinstance(prompt, str):
        raise fail("prompt must be text", "prompt")
    try:
        tolerance = get_tolerance(d)
        params = kind.parse(d, convention)
        expected = kind.solve(params)
    except DefinitionError as e:
        raise fail(str(e), e.key) from None
    except ValueError as e:  # the engine refused the parameters: an ill-posed question
        raise fail(str(e)) from None
    return Question(qid, kind, params, expected, prompt.strip(), points, tolerance, path, line)
