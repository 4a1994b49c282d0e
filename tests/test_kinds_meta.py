"""One test over every registered kind: a kind is tested the day it is registered.

Each kind declares its keys, its mistakes and a few example definitions. For every example: the bank
loader parses it, ``cnncheck solve`` shows and explains it (table and JSON), its canonical answer
earns full points in every grade format, and each declared mistake is named on an example whose
mistake answers give it. The ``macs`` kind of ``tests/fixtures/kinds/macs.py`` is registered here
with one line, so the same tests run over a kind written outside the package.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cnncheck import kinds
from cnncheck.bank import COMMON_KEYS, load_bank
from cnncheck.cli import cli
from cnncheck.forms import LayerTable, Rubric
from cnncheck.kinds import KINDS, teaching
from cnncheck.kinds.base import COMMON_NAMES

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("table", "json", "junit", "gradescope", "github", "markdown", "csv")
NEW_KINDS = {"macs": "tests.fixtures.kinds.macs"}  # kinds registered from outside the package
ALL = list(KINDS) + list(NEW_KINDS)


@pytest.fixture(autouse=True, scope="module")
def registered():
    for name, module in NEW_KINDS.items():
        kinds.register(name, module)
    yield
    for name in NEW_KINDS:
        kinds.unregister(name)


def run(*args):
    r = CliRunner().invoke(cli, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    return r


def bank_of(tmp_path: Path, name: str, definitions) -> Path:
    """A bank file with one question per definition: q1, q2, ..."""
    questions = {f"q{i + 1}": {"kind": name, **d} for i, d in enumerate(definitions)}
    path = tmp_path / f"{name}.yaml"
    path.write_text(json.dumps({"assignment": "meta", "questions": questions}, indent=1))
    return path


def answer_of(value):
    """A value as a student writes it in an answer file (JSON is YAML)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, LayerTable):
        rows = [["x".join(map(str, shape)), params] for shape, params in value.rows]
        return {"layers": rows, "total": value.total}
    if isinstance(value, Rubric):
        return value.model_answer()
    if value is None:  # a question in words graded by hand
        return "an answer in words, for a TA"
    if isinstance(value, tuple):
        return "x".join(map(str, value))
    return value.item() if isinstance(value, np.generic) else value


def answers_file(tmp_path: Path, answers: dict) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(json.dumps({"assignment": "meta", "student": "s1", "answers": answers}))
    return path


def grade_json(bank: Path, answers: Path) -> dict:
    r = run("--bank", bank, "grade", answers, "--format", "json")
    return {q["id"]: q for q in json.loads(r.output)["questions"]}


@pytest.mark.parametrize("name", ALL)
def test_kind_declares_itself(name):
    kind = KINDS[name]
    assert kind.name == name and kind.spec and kind.examples, f"{name}: declare keys and examples"
    assert kind.keys == {k.name for k in kind.spec} and kind.required <= kind.keys | COMMON_NAMES
    assert not kind.keys & COMMON_NAMES - kind.required, f"{name} redeclares a common key"
    for key in kind.spec:
        assert key.doc, f"{name}.{key.name}: say what the key means"


def test_common_keys_are_the_banks():
    assert COMMON_NAMES == COMMON_KEYS


def test_a_mistake_has_one_sentence_whichever_kind_names_it():
    seen: dict[str, tuple[str, str]] = {}
    for name in ALL:
        for key, sentence in KINDS[name].mistakes.items():
            assert sentence.strip(), f"{name}.{key}"
            other = seen.setdefault(key, (name, sentence))
            assert other[1] == sentence, f"{key}: {other[0]} and {name} say it differently"
    assert set(teaching.MISTAKES) == set(seen)


def test_an_undeclared_mistake_is_caught_and_never_stops_a_grade(tmp_path, monkeypatch):
    kind = KINDS["macs"]
    monkeypatch.setattr(
        type(kind), "mistakes", {k: v for k, v in kind.mistakes.items() if k != "bias_counted"}
    )
    teaching.MISTAKES.forget()
    try:
        undeclared = set(produced("macs", tmp_path)) - set(kind.mistakes)
        assert undeclared == {"bias_counted"}  # test_every_mistake_a_kind_gives_is_declared fails
        bank = bank_of(tmp_path, "macs", kind.examples)
        ((qid, value),) = produced("macs", tmp_path)["bias_counted"]
        result = grade_json(bank, answers_file(tmp_path, {qid: answer_of(value)}))[qid]
        assert result["status"] == "incorrect" and result["mistakes"] == ["bias_counted"]
        assert "bias_counted" in result["diagnosis"]
    finally:
        monkeypatch.undo()
        teaching.MISTAKES.forget()


@pytest.mark.parametrize("name", ALL)
def test_every_example_solves_explains_and_grades(name, tmp_path):
    kind = KINDS[name]
    bank = bank_of(tmp_path, name, kind.examples)
    assignment = load_bank(bank).get("meta")
    answers = {}
    for qid, q in assignment.questions.items():
        assert q.kind is kind and kind.describe(q.params)
        assert kind.explain(q.params, q.expected)
        assert kind.answer_form(q.params, q.expected)
        answers[qid] = answer_of(q.expected.value)
        for step_args in (("--explain",), ("--explain", "--format", "json")):
            r = run("--bank", bank, "solve", qid, *step_args)
            assert r.exit_code == 0, r.output
        json.loads(run("--bank", bank, "solve", qid, "--explain", "--format", "json").output)
    path = answers_file(tmp_path, answers)
    for qid, result in grade_json(bank, path).items():
        want = "manual" if assignment.questions[qid].expected.value is None else "correct"
        assert result["status"] == want, (qid, result)
        if want == "correct":
            assert result["score"] == result["max_score"]
    for fmt in FORMATS:
        r = run("--bank", bank, "grade", path, "--format", fmt)
        assert r.exit_code == 0 and r.output.strip(), (fmt, r.output)
    assert run("--bank", bank, "check-bank").exit_code == 0
    template = " ".join(run("--bank", bank, "template").output.replace("\n  # ", " ").split())
    for q in assignment.questions.values():
        assert " ".join(f"answer: {kind.answer_form(q.params, q.expected)}".split()) in template


def produced(name: str, tmp_path: Path) -> dict[str, list[tuple[str, object]]]:
    """mistake -> [(question id, the answer it gives)] over the kind's examples."""
    kind = KINDS[name]
    assignment = load_bank(bank_of(tmp_path, name, kind.examples)).get("meta")
    out: dict[str, list] = {}
    for qid, q in assignment.questions.items():
        for v in kind.mistake_answers(q.params):
            cases = out.setdefault(v.mistake, [])
            if not kind.form.compare(v.value, q.expected, q.tolerance).correct:
                cases.append((qid, v.value))  # an answer that tells the mistake apart
    return out


@pytest.mark.parametrize("name", ALL)
def test_every_mistake_a_kind_gives_is_declared(name, tmp_path):
    undeclared = set(produced(name, tmp_path)) - set(KINDS[name].mistakes)
    assert not undeclared, (
        f"{name}'s mistake answers give {sorted(undeclared)}: declare them in mistakes"
    )


@pytest.mark.parametrize("name", ALL)
def test_every_declared_mistake_is_named_on_an_example(name, tmp_path):
    kind = KINDS[name]
    cases = produced(name, tmp_path)
    bank = bank_of(tmp_path, name, kind.examples)
    for mistake in kind.mistakes:
        found = cases.get(mistake)
        assert found, f"{name}: no example gives {mistake!r}; add one to {name}.examples"
        qid, value = found[0]
        result = grade_json(bank, answers_file(tmp_path, {qid: answer_of(value)}))[qid]
        assert result["status"] in ("incorrect", "partial"), (mistake, result)
        assert mistake in result["mistakes"], (mistake, result)
        assert teaching.MISTAKES[mistake] in (result["diagnosis"] or ""), (mistake, result)


def test_schema_of_a_registered_kind(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(run("schema", "bank").output)
    validator = jsonschema.Draft202012Validator(schema)
    for name in ALL:
        doc = json.loads(bank_of(tmp_path, name, KINDS[name].examples).read_text())
        assert not list(validator.iter_errors(doc)), name
        doc["questions"]["q1"]["no_such_key"] = 1
        assert list(validator.iter_errors(doc)), name


def test_the_committed_schema_is_the_generated_one():
    from cnncheck.kinds.schema import SCHEMA_FILE, bank_schema, schema_text

    kinds.unregister("macs")  # the committed schema is the built-in registry's
    try:
        assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
            "run python -m cnncheck.kinds.schema to regenerate cnncheck/schemas/bank.schema.json"
        )
        assert "macs" not in json.dumps(bank_schema())
    finally:
        kinds.register("macs", NEW_KINDS["macs"])


def test_the_docs_tables_of_keys_are_the_generated_ones():
    from cnncheck.kinds import docs

    text = (ROOT / "docs" / "banks.md").read_text(encoding="utf-8")
    assert docs.rewrite(text) == text, "python -m cnncheck.kinds.docs regenerates the tables"
    assert set(docs.tables_in(text)) == set(KINDS) - set(NEW_KINDS) | {"common", "layer"}


def test_padding_forgotten_in_a_stack_with_a_pool_layer(tmp_path):
    # found by the meta-test: this stack's wrong answers were "internal error" instead of a
    # diagnosis
    kind = KINDS["output_shape"]
    bank = bank_of(
        tmp_path,
        "output_shape",
        [
            {
                "input_shape": [3, 8, 8],
                "layers": [
                    {"type": "conv2d", "filters": 4, "kernel": 3, "padding": 1},
                    {"type": "pool2d", "size": 2},
                ],
            }
        ],
    )
    q = load_bank(bank).get("meta").questions["q1"]
    assert "padding_forgotten" in {v.mistake for v in kind.mistake_answers(q.params)}
