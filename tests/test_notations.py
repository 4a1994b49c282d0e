"""What students really write, graded as a careful TA would: tests/data/notations.yaml.

Every case goes the real way: an answer file on disk, the YAML boundary (which keeps the lines of
an answer YAML folded, and sets aside an answer YAML cannot parse), the question's form, the
grade; then every output format shows the answer as read. The readers of each notation family
have their own tests below.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncheck import forms
from cnncheck.answers import load_submission
from cnncheck.bank import load_bank
from cnncheck.cli import cli
from cnncheck.forms.notations import labelled, latex, printed
from cnncheck.forms.notations.source import Source, as_written
from cnncheck.grading import grade
from cnncheck.yamlio import loads

DATA = Path(__file__).resolve().parent / "data"
CORPUS = loads((DATA / "notations.yaml").read_text(encoding="utf-8"))["cases"]
BANKS = {"corpus": load_bank(DATA / "notations_bank.yaml").get("corpus")}
BANKS.update({a: load_bank().get(a) for a in ("cs577-hw2", "cs577-hw4")})


def answer_file(tmp_path: Path, case: dict) -> Path:
    body = "".join(f"  {line}\n" if line else "\n" for line in case["answers"].splitlines())
    path = tmp_path / "answers.yaml"
    path.write_text(f"assignment: {case['assignment']}\nanswers:\n{body}", encoding="utf-8")
    return path


def wanted(spec) -> dict:
    return {"status": spec} if isinstance(spec, str) else dict(spec)


@pytest.mark.parametrize("case", CORPUS, ids=[c["name"] for c in CORPUS])
def test_corpus(tmp_path, case):
    path = answer_file(tmp_path, case)
    report = grade(BANKS[case["assignment"]], load_submission(str(path)))
    results = {r.id: r for r in report.results}
    for qid, spec in case["want"].items():
        want, r = wanted(spec), results[qid]
        assert r.status == want["status"], (qid, r.status, r.message, r.answer)
        assert want.get("says", "") in r.message, (qid, r.message)
        if "mistakes" in want:
            assert set(want["mistakes"]) <= set(r.mistakes), (qid, r.mistakes)
            if not want["mistakes"]:
                assert r.mistakes == (), (qid, r.mistakes)
        if r.status == "invalid":  # what was wrong, and what an answer looks like
            assert "Expected " in r.message and "e.g." in r.message or "|" in r.message, r.message


def test_the_corpus_covers_every_verdict_and_many_cases():
    statuses = [wanted(s)["status"] for c in CORPUS for s in c["want"].values()]
    assert {"correct", "incorrect", "invalid"} <= set(statuses) and len(statuses) >= 70


FORMATS = ("table", "json", "junit", "github", "gradescope", "markdown", "csv")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_shows_the_answer_as_read(tmp_path, fmt):
    """A folded matrix, LaTeX, a pasted tensor and a broken answer in one file: each format shows
    the answers as read (the rows recovered) and the broken one as written."""
    path = tmp_path / "answers.yaml"
    path.write_text(
        "assignment: cs577-hw4\nanswers:\n"
        "  q1: 45 45\n    54 54\n"
        "  q2: '\\begin{bmatrix} 18 & 27 & 27 & 18 \\\\ 30 & 45 & 45 & 30 \\\\ "
        "36 & 54 & 54 & 36 \\\\ 26 & 39 & 39 & 26 \\end{bmatrix}'\n"
        "  q4: Template matching: the filter is the template.\n"
        "  q7: 'torch.Size([1, 126, 126, 16])'\n"
        "  q11: |\n    Red: 1 1; 1 1\n    Green: 2 2; 2 2\n    Blue: 2 2; 4 4\n",
        encoding="utf-8",
    )
    out = tmp_path / f"report.{fmt}"
    r = CliRunner().invoke(
        cli, ["grade", str(path), "--format", fmt, "-o", str(out)], env={"COLUMNS": "200"}
    )
    assert r.exit_code == 1, r.output  # q4 and the questions left out cost points
    text = out.read_text(encoding="utf-8")
    if fmt != "csv":  # the broken answer, as written (the gradebook has scores only; the
        # table wraps it in its column)
        shown = "Template matching:" if fmt == "table" else "Template matching: the filter is"
        assert shown in text, text
    if fmt == "json":
        got = {q["id"]: q for q in json.loads(text)["questions"]}
        assert got["q1"]["answer"] == [[45, 45], [54, 54]] and got["q1"]["status"] == "correct"
        assert got["q2"]["status"] == "correct" and got["q2"]["answer"][3] == [26, 39, 39, 26]
        assert got["q7"]["answer"] == [126, 126, 16] and "batch" in got["q7"]["message"]
        assert got["q11"]["answer"][2] == [[2, 2], [4, 4]]
        assert got["q4"]["status"] == "invalid" and got["q4"]["line"] == 6
    elif fmt == "csv":  # q1, q2, q7 and q11 right: 4 points
        assert text.splitlines()[1].split(",")[-3:] == ["4", "18", ""]
    elif fmt == "table":  # the rows recovered, the channels by name, the shape as read
        assert "126×126×16" in text and "R" in text and "54 54" in text


# ---------------------------------------------------------------- each reader alone


@pytest.mark.parametrize(
    "text, plain",
    [
        (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "1 2; 3 4"),
        (r"$\begin{pmatrix}1&2\\3&4\end{pmatrix}$", "1 2; 3 4"),
        (r"\begin{array}{cc} 1 & 2 \\ \hline 3 & 4 \end{array}", "1 2; 3 4"),
        (r"$126 \times 126 \times 16$", "126 x 126 x 16"),
        (r"7.5 \times 10^{7}", "7.5e7"),
        (r"\text{output} = 5", "output = 5"),
        ("no latex here: 1 2", "no latex here: 1 2"),
    ],
)
def test_latex_to_plain(text, plain):
    assert latex.to_plain(text) == plain


@pytest.mark.parametrize(
    "text, values",
    [
        ("[[45 45]\n [54 54]]", [["45", "45"], ["54", "54"]]),
        ("array([[1., 2.], [3., 4.]], dtype=float32)", [["1.", "2."], ["3.", "4."]]),
        ("tensor([1, 2], grad_fn=<AddBackward0>)", ["1", "2"]),
        ("[1 2; 3 4]", [["1", "2"], ["3", "4"]]),
        ("((1, 2), (3, 4))", [["1", "2"], ["3", "4"]]),
        ("[4 -7 -3]", ["4", "-7", "-3"]),
        ("45 45; 54 54", None),
    ],
)
def test_printed_arrays(text, values):
    assert printed.read(text, 8) == values


@pytest.mark.parametrize("text", ["[[1, 2]", "[1, 2]]", "[(1, 2]]", "[1 2] extra", "[1 ... 9]"])
def test_printed_arrays_refuse_what_is_not_one_array(text):
    with pytest.raises(forms.AnswerError):
        printed.read(text, 8)


@pytest.mark.parametrize(
    "text, value",
    [
        ("Output tensor = 126 x 126 x 16", "126 x 126 x 16"),
        ("126x126x16 (no padding)", "126x126x16"),
        ("P = 1", "1"),
        ("5*5*1*10 + 10 = 260", "260"),
        ("260 parameters", "260"),
        ("the receptive field is 5", "5"),
    ],
)
def test_one_value_among_words(text, value):
    form = "shape" if "x" in value else "count"
    assert labelled.one_value(text, form)[0].strip() == value


@pytest.mark.parametrize(
    "text, why",
    [
        ("with padding 128x128x16, without 126x126x16", "two answers"),
        ("126x126x16 or 128x128x16", "two answers"),
        ("P = 2, stride = 1", "two answers"),  # never the value after the last '='
        ("126x126x16 (or 128x128x16 with padding)", "two answers"),
        ("5*5*1*10 + 10 = 250", "the working does not give the result"),
        ("not 126", "write the answer alone"),
        ("maybe 5", "write the answer alone"),
        ("no numbers here", "found no number"),
    ],
)
def test_one_value_refuses_to_guess(text, why):
    with pytest.raises(forms.AnswerError, match=why):
        labelled.one_value(text)


def test_the_source_gives_back_what_yaml_folded():
    assert as_written("45 45 54 54", Source(None, "45 45\n    54 54")) == ("45 45\n54 54", None)
    assert as_written("1 2 3 4\n", Source(">", ">\n  1 2\n  3 4\n"))[0] == "1 2\n3 4\n"
    text, note = as_written("\x08egin{x}", Source('"', '"\\begin{x}"'))
    assert text == "\\begin{x}" and "single quotes" in note
    assert as_written("1\t2", Source('"', '"1\\t2"')) == ("1\t2", None)  # a tab, meant
    assert as_written("x", None) == ("x", None)


def test_labelled_blocks():
    assert labelled.blocks("R: 1 1; 1 1\nG:\n2 2\n2 2\n\nB: 3 3; 3 3") == [
        ("R", "1 1; 1 1"),
        ("G", "2 2\n2 2"),
        ("B", "3 3; 3 3"),
    ]
    assert labelled.blocks("1 1\n1 1\n\n2 2\n2 2") == [(None, "1 1\n1 1"), (None, "2 2\n2 2")]


def test_numbered_matrices_are_put_in_order():
    q = BANKS["cs577-hw4"].questions["q1"]
    expected = forms.Expected(np.zeros((2, 2, 2)), None)
    got = q.kind.form.read("filter 2: 3 3; 3 3\nfilter 1: 1 1; 1 1", expected)
    assert got.tolist() == [[[1, 1], [1, 1]], [[3, 3], [3, 3]]]


@pytest.mark.parametrize(
    "raw, value, rounded",
    [
        ("75M", 75_000_000, True),
        ("1.5k", 1500, True),
        ("7.5e7", 75_000_000, True),
        ("75,000,100", 75_000_100, False),
        ("75.000.100", 75_000_100, False),
        ("75 000 100", 75_000_100, False),
        (75_000_100, 75_000_100, False),
    ],
)
def test_counts_and_rounded_counts(raw, value, rounded):
    reading = forms.COUNT.reading(raw, forms.Expected(1))
    assert (reading.value, reading.rounded) == (value, rounded)


def test_every_form_example_reads_back_to_the_answers_shape():
    """The example each form gives in a template or a message is itself a readable answer of the
    expected shape (not the answer)."""
    import yaml

    for bank in BANKS.values():
        for q in bank.questions.values():
            form, expected = q.kind.form, q.expected
            example = form.example_for(expected)
            if form.name == "text":  # a block (|): the template writes the | itself
                assert form.read(yaml.safe_load(f"x: {example}")["x"], expected)
                continue
            assert example in form.describe(expected, q.kind.maps)
            if form.name == "table":
                raw = "\n".join(example.replace("'", "").split(" on one line, "))
                raw = raw.replace(" on the next, ..., then ", "\n")
            else:
                raw = yaml.safe_load(f"x: {example}")["x"]
            got = form.read(raw, expected)
            if form.name == "array":
                assert np.shape(got) == np.shape(expected.value) or np.ndim(got) == np.ndim(
                    expected.value
                ), (q.id, example)
            elif form.name == "shape":
                assert len(got) == len(expected.value), (q.id, example)
            if form.name != "table":
                assert not form.compare(got, expected, q.tolerance).correct, (q.id, example)


# ---------------------------------------------------------------- no notation changes a value

ints = st.integers(-999, 999)
matrices = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(ints, min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


def _cells(m, sep=" "):
    return [sep.join(str(v) for v in row) for row in m]


# each writes a matrix as students and programs do: the text after `q1: |` in an answer file
MATRIX_WRITERS = {
    "rows on lines": lambda m: "\n".join(_cells(m)),
    "semicolons": lambda m: "; ".join(_cells(m)),
    "commas and semicolons": lambda m: "; ".join(_cells(m, ", ")),
    "LaTeX bmatrix": lambda m: (
        "$\\begin{bmatrix} " + " \\\\ ".join(_cells(m, " & ")) + " \\end{bmatrix}$"
    ),
    "NumPy print": lambda m: str(np.array(m)),
    "NumPy repr": lambda m: repr(np.array(m)),
    "PyTorch tensor": lambda m: "tensor(" + json.dumps(m) + ")",
    "MATLAB": lambda m: "[" + "; ".join(_cells(m)) + "]",
    "Python tuples": lambda m: str(tuple(tuple(r) for r in m)),
}


def _through_yaml(text: str):
    """The answer as the grader gets it from a file: the value and its source, if kept."""
    block = "answers:\n  q1: |\n" + "".join(f"    {line}\n" for line in text.splitlines())
    answers = loads(block)["answers"]
    return answers["q1"], answers.source_of("q1")


@settings(max_examples=300, deadline=None)
@given(m=matrices, other=matrices, writer=st.sampled_from(sorted(MATRIX_WRITERS)))
def test_every_matrix_notation_reads_back_exactly(m, other, writer):
    """Whatever the notation, the matrix read is the matrix written, so a wrong answer stays
    wrong and a right one is right."""
    value, source = _through_yaml(MATRIX_WRITERS[writer](m))
    want = np.array(m)
    for expected in (want, np.array(other)):
        if expected.shape != want.shape:
            continue
        got = forms.ARRAY.read(value, forms.Expected(expected), source)
        if want.shape[0] == 1 and expected.ndim == 2:
            got = got.reshape(want.shape)
        assert got.tolist() == m, (writer, MATRIX_WRITERS[writer](m))
        check = forms.ARRAY.compare(got, forms.Expected(expected), forms.Tolerance())
        assert check.correct == bool(np.array_equal(want, expected))


@settings(max_examples=200, deadline=None)
@given(
    m=matrices,
    writer=st.sampled_from(["rows on lines", "semicolons", "LaTeX bmatrix", "MATLAB"]),
    names=st.permutations(["R", "Red", "g", "Green channel", "B"]).map(lambda p: p[:3]),
)
def test_labelled_channels_read_back_exactly(m, writer, names):
    """One matrix per channel, each after its label (R:, Red =, green channel:), in any order."""
    colour = {"r": 0, "red": 0, "g": 1, "green channel": 1, "b": 2}
    chosen = [n for n in names if n.lower() in colour]
    if len({colour[n.lower()] for n in chosen}) < 3:
        return  # two labels for one channel: refused elsewhere
    stack = [np.array(m) + 1000 * i for i in range(3)]
    text = "\n".join(
        f"{n}: {MATRIX_WRITERS[writer](stack[colour[n.lower()]].tolist())}"
        if "\n" not in MATRIX_WRITERS[writer](m)
        else f"{n}:\n{MATRIX_WRITERS[writer](stack[colour[n.lower()]].tolist())}"
        for n in chosen
    )
    value, source = _through_yaml(text)
    expected = forms.Expected(np.stack(stack), ("R", "G", "B"))
    got = forms.ARRAY.read(value, expected, source)
    assert got.tolist() == np.stack(stack).tolist(), text


SHAPE_WRITERS = {
    "x": lambda s: "x".join(map(str, s)),
    "spaced times": lambda s: " × ".join(map(str, s)),
    "tuple": lambda s: str(tuple(s)),
    "LaTeX": lambda s: "'$" + " \\times ".join(map(str, s)) + "$'",
    "labelled": lambda s: "Output tensor = " + " x ".join(map(str, s)),
    "remark": lambda s: "x".join(map(str, s)) + " (no padding)",
    "torch.Size": lambda s: "'torch.Size([1, " + ", ".join(map(str, s)) + "])'",
}


@settings(max_examples=300, deadline=None)
@given(
    shape=st.lists(st.integers(2, 512), min_size=3, max_size=3),
    other=st.lists(st.integers(2, 512), min_size=3, max_size=3),
    writer=st.sampled_from(sorted(SHAPE_WRITERS)),
)
def test_every_shape_notation_reads_back_exactly(shape, other, writer):
    value = loads("q: " + SHAPE_WRITERS[writer](shape))["q"]
    for expected in (tuple(shape), tuple(other)):
        got = forms.SHAPE.read(value, forms.Expected(expected, axes="HWC"))
        assert got == tuple(shape), (writer, value)
        assert forms.SHAPE.compare(got, forms.Expected(expected)).correct == (
            tuple(shape) == expected
        )


COUNT_WRITERS = {
    "plain": str,
    "commas": lambda n: f"{n:,}",
    "spaces": lambda n: f"{n:,}".replace(",", " "),
    "unit": lambda n: f"{n:,} parameters",
    "working": lambda n: f"2 * {n // 2} + {n % 2} = {n}",  # the working checked: it must agree
    "LaTeX": lambda n: f"'${n}$'",
}


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(0, 10**12),
    other=st.integers(0, 10**12),
    writer=st.sampled_from(sorted(COUNT_WRITERS)),
)
def test_every_count_notation_reads_back_exactly(n, other, writer):
    value = loads("q: " + COUNT_WRITERS[writer](n))["q"]
    for expected in (n, other):
        reading = forms.COUNT.reading(value, forms.Expected(expected))
        assert (reading.value, reading.rounded) == (n, False), (writer, value)


@settings(max_examples=2000, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("0123456789 .,;:-+=x×eE[]()$\\&{}|\nRGBabtnk")), max_size=80
    )
)
def test_any_text_is_read_or_refused_by_every_form(text):
    """Whatever the characters, each form gives a value or an AnswerError, nothing else."""
    cases = {
        forms.ARRAY: forms.Expected(np.zeros((3, 2, 2)), ("R", "G", "B")),
        forms.SHAPE: forms.Expected((1, 2, 3), axes="HWC"),
        forms.COUNT: forms.Expected(5),
    }
    for form, expected in cases.items():
        for source in (
            None,
            Source(None, text),
            Source('"', f'"{text}"'),
            Source(">", f">\n{text}"),
        ):
            try:
                form.reading(text, expected, source)
            except forms.AnswerError:
                pass


def test_answers_equal_as_values_but_written_differently_are_graded_apart(tmp_path):
    """A class run remembers each distinct answer's result: an answer whose rows YAML folded and
    one written on a single line hold the same value and are read differently."""
    folded = {
        "assignment": "cs577-hw4",
        "answers": "q11:\n  - 1 1\n    1 1\n  - 2 2\n    2 2\n  - 2 2\n    4 4\n",
    }
    flat = {"assignment": "cs577-hw4", "answers": "q11:\n  - 1 1 1 1\n  - 2 2 2 2\n  - 2 2 4 4\n"}
    cache: dict = {}
    statuses = []
    for n, case in enumerate((folded, flat, folded)):
        folder = tmp_path / str(n)
        folder.mkdir()
        path = answer_file(folder, case)
        report = grade(BANKS["cs577-hw4"], load_submission(str(path)), cache)
        statuses.append({r.id: r.status for r in report.results}["q11"])
    assert statuses == ["correct", "incorrect", "correct"]
