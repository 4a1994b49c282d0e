"""A grade parses only the bank file of the assignment it grades (``load_bank(lazy=True)``).

Every file is still read when the bank loads; a file whose first lines name its assignment
plainly is parsed the first time that assignment is used. Every other command, and a bank with
a problem when it loads, reads the bank in full, with the errors it always gave.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncheck import bank as bankmod
from cnncheck.bank import BankError, load_bank, parse_bank_file, scan_bank_file
from cnncheck.cli import cli
from cnncheck.yamlio import InputError

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "  a: {kind: padding, input_size: 4, kernel: 2, output_size: 5}\n"


def parsed_head(text: str, name: str = "b.yaml") -> tuple[str, bool] | None:
    """What parsing the whole file says: (assignment id, default: true?), or None if it fails."""
    try:
        aid, doc = parse_bank_file(Path(name), text)
    except InputError:
        return None
    return aid, doc.get("default") is True


def yaml_files() -> list[Path]:
    found = [ROOT / "questions", ROOT / "tests", ROOT / "examples", ROOT / "docs"]
    return sorted(p for d in found if d.is_dir() for p in d.rglob("*.y*ml") if p.is_file())


def test_the_scan_agrees_with_the_parser_on_every_yaml_file_of_the_project():
    agreed = 0
    for path in yaml_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        head = scan_bank_file(text)
        whole = parsed_head(text, str(path))
        if head is not None and whole is not None:
            assert head == whole, path
            agreed += 1
    assert agreed >= 10  # the built-in bank, the fixtures' banks, the answer files


@pytest.mark.parametrize(
    "text, head",
    [
        ("assignment: hw4\nquestions:\n" + QUESTION, ("hw4", False)),
        (
            "# HW 4\nassignment: hw4  # the id\ndefault: true\nquestions:\n" + QUESTION,
            ("hw4", True),
        ),
        (
            'title: "HW 4: kernels"\npartial: [cells]\nassignment: cs577-hw4.b\n',
            ("cs577-hw4.b", False),
        ),
    ],
)
def test_plain_first_lines_are_scanned(text, head):
    assert scan_bank_file(text) == head == parsed_head(text)


@pytest.mark.parametrize(
    "text",
    [
        'assignment: "hw4"\n',  # quoted: the parser says what it holds
        "assignment: hw4\nassignment: hw5\n",  # twice: the parser's error
        "assignment: no\n",  # YAML 1.1 reads False
        "assignment: 017\n",
        "assignment: hw4\ndefault: yes\n",
        "assignment: hw4\r\nquestions:\r\n",
        "--- \nassignment: hw4\n",
        "assignment: &a hw4\n",
        "title: 'a\nassignment: hw5'\nassignment: hw4\n",  # a quote open at the margin
        "questions: [a,\nassignment: hw5]\nassignment: hw4\n",  # a bracket open at the margin
        "? assignment\n: hw4\n",
        "assignment:hw4\n",
        "\tassignment: hw4\n",
        "questions: {}\n",  # no id at all
    ],
)
def test_anything_else_is_left_to_the_parser(text):
    assert scan_bank_file(text) is None


LINES = st.sampled_from(
    [
        "assignment: hw4",
        "assignment: hw5",
        "assignment: 'hw6'",
        "assignment: [hw7]",
        "default: true",
        "default: false",
        "default: yes",
        "title: 'open",
        'title: "x: y"',
        'title: "a # b"',
        "partial: [cells, rows",
        "partial: [cells]",
        "questions: {a: [1,",
        "questions:",
        "  a: 1",
        "assignment: hw8 # note",
        "  assignment: nested",
        "- item",
        "# comment",
        "",
        "'quoted",
        "end'",
        "]",
        "}",
        '"',
        "x: |",
        "assignment: |",
        "...",
        "---",
        "&anchor",
        "key: *alias",
        "k: v\tw",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=8))
def test_a_scan_never_disagrees_with_a_parse_that_succeeds(lines):
    text = "\n".join(lines) + "\n"
    head = scan_bank_file(text)
    if head is not None:
        assert parsed_head(text) in (None, head)


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "bank"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


BROKEN = "assignment: bad\nquestions:\n  a: [1, 2\n"  # the list is never closed


def test_a_lazy_bank_parses_only_the_file_it_is_asked_for(tmp_path, monkeypatch):
    root = folder(tmp_path, {"a.yaml": "assignment: a\nquestions:\n" + QUESTION, "b.yaml": BROKEN})
    parsed = []
    real = bankmod.parse_bank_file
    monkeypatch.setattr(
        bankmod, "parse_bank_file", lambda f, t: parsed.append(f.name) or real(f, t)
    )
    bank = load_bank(root, lazy=True)
    assert bank.ids == ["a", "bad"] and bank.default == "a" and parsed == []
    assert list(bank.get("a").questions) == ["a"] and parsed == ["a.yaml"]


def test_a_file_that_does_not_parse_is_the_same_problem_lazily_or_not(tmp_path):
    root = folder(tmp_path, {"a.yaml": "assignment: a\nquestions:\n" + QUESTION, "b.yaml": BROKEN})
    with pytest.raises(BankError) as eager:
        load_bank(root)
    bank = load_bank(root, lazy=True)
    for _ in range(2):  # each time it is asked for
        with pytest.raises(BankError) as lazy:
            bank.get("bad")
        assert [str(p) for p in lazy.value.problems] == [str(p) for p in eager.value.problems]
    assert bank.get("a").max_score == 1


def test_a_bank_with_a_problem_when_it_loads_is_read_in_full(tmp_path):
    twice = {"one.yaml": "assignment: t\nquestions:\n" + QUESTION, "two.yaml": BROKEN}
    twice["three.yaml"] = twice["one.yaml"]
    root = folder(tmp_path, twice)
    with pytest.raises(BankError) as eager:
        load_bank(root)
    with pytest.raises(BankError) as lazy:
        load_bank(root, lazy=True)
    assert [str(p) for p in lazy.value.problems] == [str(p) for p in eager.value.problems]
    assert len(eager.value.problems) == 2  # the file that does not parse, and the id defined twice


def test_a_file_the_scan_cannot_read_is_parsed_when_the_bank_loads(tmp_path):
    root = folder(tmp_path, {"a.yaml": 'assignment: "a"\nquestions:\n' + QUESTION})
    bank = load_bank(root, lazy=True)
    assert isinstance(bank._docs["a"][1], dict) and bank.get("a").max_score == 1


def grade(bank: Path, *args: str):
    return CliRunner().invoke(cli, ["--bank", str(bank), "grade", *args])


def test_grade_is_not_stopped_by_the_file_of_another_assignment(tmp_path):
    root = folder(tmp_path, {"a.yaml": "assignment: a\nquestions:\n" + QUESTION, "b.yaml": BROKEN})
    answers = tmp_path / "answers.yaml"
    answers.write_text("assignment: a\nanswers:\n  a: 1\n", encoding="utf-8")
    r = grade(root, str(answers), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["score"] == 1
    r = grade(root, str(answers), "-a", "a", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["score"] == 1


@pytest.mark.parametrize(
    "how",
    [
        ["-a", "bad"],  # the assignment the run grades
        [],  # the one the answer file names
        ["{other}"],  # a class: the whole bank, as ever
    ],
)
def test_a_bank_file_that_does_not_parse_is_the_error_it_always_was(tmp_path, how):
    root = folder(tmp_path, {"a.yaml": "assignment: a\nquestions:\n" + QUESTION, "b.yaml": BROKEN})
    answers, other = tmp_path / "answers.yaml", tmp_path / "other.yaml"
    answers.write_text("assignment: bad\nanswers:\n  a: 1\n", encoding="utf-8")
    other.write_text("assignment: a\nanswers:\n  a: 1\n", encoding="utf-8")
    problem = str(pytest.raises(BankError, load_bank, root).value.problems[0])
    want = f"cnncheck: error: the question bank cannot be used: {problem}\n"
    r = grade(root, str(answers), *[a.format(other=other) for a in how])
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", want)
    # the commands that show the whole bank refuse it as they always did
    r = CliRunner().invoke(cli, ["--bank", str(root), "list"])
    assert (r.exit_code, r.stderr) == (2, want)


def test_an_answer_file_read_line_by_line_names_the_file_to_parse(tmp_path, monkeypatch):
    root = folder(tmp_path, {"a.yaml": "assignment: a\nquestions:\n" + QUESTION})
    (root / "b.yaml").write_text(
        "assignment: b\ndefault: true\nquestions:\n" + QUESTION, encoding="utf-8"
    )
    answers = tmp_path / "answers.yaml"
    parsed = []
    real = bankmod.parse_bank_file
    monkeypatch.setattr(
        bankmod, "parse_bank_file", lambda f, t: parsed.append(f.name) or real(f, t)
    )
    for text, want in [
        ("assignment: a  # hw\nanswers:\n  a: 1\n", ["a.yaml"]),
        ("answers:\n  a: 1\n", ["b.yaml"]),  # the default
        ('assignment: "a"\nanswers:\n  a: 1\n', ["a.yaml", "b.yaml"]),  # only a parser knows
    ]:
        answers.write_text(text, encoding="utf-8")
        parsed.clear()
        bankmod.load_bank_for(root, str(answers))
        assert parsed == want, text
