"""The review loop through the real command line: ``cnncheck review`` writes the sheet, a TA fills
in points, ``cnncheck grade --scores`` shows them as final in every format.

The class is generated here. Which answers go to a TA, and what every other answer earns, is known
from the answers themselves (worked out by hand in the comments), and the final points are the
numbers this test writes into the sheet: no expected value comes from cnncheck's own output.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cnncheck import batch
from cnncheck.cli import cli
from cnncheck.review import read_scores
from cnncheck.yamlio import InputError

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("table", "json", "csv", "junit", "gradescope", "github", "markdown")

# The built-in cs577-hw4 with rubrics of the test's own for q4-q6, so what goes to a TA follows
# from the rules of answers in words (a list of keywords, an answer of fewer than 4 words), not
# from the phrase lists of the built-in bank; and q13, a question in words without a rubric, so
# its answers wait for a TA (status manual).
RUBRICS = {
    "q4": [
        {"idea": "the filter is a template", "phrases": ["template", "pattern"]},
        {"idea": "the output measures similarity", "phrases": ["dot product", "similar"]},
    ],
    "q5": [
        {"idea": "the receptive field grows", "phrases": ["receptive field", "larger region"]},
        {"idea": "pooling or strides shrink the maps", "phrases": ["pool", "stride"]},
    ],
    "q6": [
        {"idea": "more features", "phrases": ["more filters", "more features"]},
        {"idea": "computation balanced", "phrases": ["computation", "balance"]},
    ],
}
Q13 = {
    "kind": "text",
    "points": 3,
    "prompt": "Describe, in your own words, one thing you found hard in this homework.",
}

# q1 of cs577-hw4, by hand: a 3×3 window of ones sums 9 cells of R (1), of G (2) and of B (rows
# 1-3: 3+6+9 = 18; rows 2-4: 6+9+12 = 27), so 9 + 18 + 18 = 45 on top and 9 + 18 + 27 = 54 below.
# q7: (128 - 3)/1 + 1 = 126, so 126×126×16; q8 at stride 2: floor(125/2) + 1 = 63, so 63×63×16.
FILES = {
    "alice": """\
assignment: cs577-hw4
student: alice
answers:
  q1: [[45, 45], [54, 54]]
  q4: template pattern similar dot product
  q7: 126x126x16
  q13: Dilation, I kept forgetting the gaps between the taps.
""",
    "bob": """\
assignment: cs577-hw4
student: bob
answers:
  q1: [[45, 45], [54, 55]]
  q2: [[1, 2], [3
  q5: Units in deeper layers have a larger receptive field, so they see more context.
  q8: 63x63x16
  q13: Nothing.
""",
    # no student: matched by its file
    "carol": """\
assignment: cs577-hw4
answers:
  q1: [[45, 45], [54, 54]]
  q6: More filters.
  q8: 64 x 64 x 16
""",
    # an id and an answer a spreadsheet would run as formulas, and backticks in Markdown
    "dave": """\
assignment: cs577-hw4
student: "-dave"
answers:
  q13: "=1+1, and ```fences``` in Markdown"
""",
}
AUTO = {"alice": 1 + 1, "bob": 0 + 1, "carol": 1 + 0, "dave": 0}  # q1, q7, q8 as worked out above
# what goes to a TA, and why: a keyword list and a 2-word answer (review), an answer in words
# without a rubric (manual), an answer YAML cannot parse (invalid), a written answer that states
# one of its two ideas (receptive field, not pooling or strides: partial, 1 of 2 points)
TO_REVIEW = {
    ("alice", "q4"): "review",
    ("alice", "q13"): "manual",
    ("bob", "q2"): "invalid",
    ("bob", "q5"): "partial",
    ("bob", "q13"): "manual",
    ("carol", "q6"): "review",
    ("dave", "q13"): "manual",
}
PENDING = {
    "alice": 2 + 3,
    "bob": 3,
    "carol": 2,
    "dave": 3,
}  # the points of the review and manual answers
BOB_Q5_RUBRIC = 1  # bob's q5, scored by the rubric: 1 of its 2 ideas
# the TA's points and what they make of each answer
TA = {
    ("alice", "q4"): (0, "incorrect"),
    ("alice", "q13"): (3, "correct"),
    ("bob", "q2"): (0.5, "partial"),
    ("bob", "q5"): (2, "correct"),
    ("bob", "q13"): (1, "partial"),
    ("carol", "q6"): (1, "partial"),
    ("dave", "q13"): (2, "partial"),
}
MAX_POINTS = {"q2": 1, "q4": 2, "q5": 2, "q6": 2, "q13": 3}


def _bank() -> dict:
    doc = yaml.safe_load((ROOT / "questions" / "cs577-hw4.yaml").read_text(encoding="utf-8"))
    for qid, rubric in RUBRICS.items():
        doc["questions"][qid] = {**doc["questions"][qid], "points": 2, "rubric": rubric}
    doc["questions"]["q13"] = Q13
    return doc


BANK = _bank()
MAX = sum(q.get("points", 1) for q in BANK["questions"].values())
assert {BANK["questions"][q].get("points", 1) for q in ("q1", "q2", "q7", "q8")} == {1}


def final_total(who: str) -> float:
    """Every answer not reviewed keeps its points (AUTO); each reviewed one has the TA's."""
    return AUTO[who] + sum(points for (w, _), (points, _) in TA.items() if w == who)


@pytest.fixture()
def course(tmp_path, monkeypatch):
    """The bank (cs577-hw4 and q13), the class folder, and a helper that runs the command line."""
    monkeypatch.chdir(tmp_path)
    Path("bank.yaml").write_text(yaml.safe_dump(BANK, sort_keys=False), encoding="utf-8")
    Path("class").mkdir()
    for who, text in FILES.items():
        Path("class", f"{who}.yaml").write_text(text, encoding="utf-8")

    def run(*args):
        return CliRunner().invoke(cli, ["--bank", "bank.yaml", *map(str, args)])

    return run


def who_of(row: dict) -> str:
    """The submission a row is about, by its file's name (the keys of FILES)."""
    return Path(row["file"]).stem


def as_text(cell: str) -> str:
    """A sheet's cell as text: a spreadsheet shows "'=1+1" as =1+1 (OWASP's CSV injection
    advice: a cell starting =, +, -, @, a tab or a carriage return is prefixed with ')."""
    return (
        cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell
    )


def review_sheet(run) -> list[dict]:
    r = run("review", "class", "-o", "sheet.csv", "--markdown", "sheet.md", "-j", "1")
    assert r.exit_code == 0, r.output
    assert r.stdout == "7 answers to review in 4 of 4 submissions: sheet.csv\n"
    with open("sheet.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fill(rows: list[dict], path: str = "filled.csv") -> None:
    for row in rows:
        points, _ = TA[(who_of(row), row["question"])]
        row["points"] = str(points)
        row["comment"] = f"seen: {row['question']}"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_the_sheet_lists_what_needs_a_person(course):
    rows = review_sheet(course)
    assert {(who_of(r), r["question"]): r["status"] for r in rows} == TO_REVIEW
    for row in rows:
        who, qid = who_of(row), row["question"]
        assert row["assignment"] == "cs577-hw4"
        assert row["file"] == f"class/{who}.yaml"
        assert row["max_points"] == str(MAX_POINTS[qid])
        assert row["points"] == row["comment"] == ""
        assert re.fullmatch(r"[0-9a-f]{12}", row["answer_key"])
        assert row["prompt"].strip() and row["why"].strip()
        written = re.search(rf"^  {qid}: (.*)$", FILES[who], re.M).group(1).strip('"')
        assert as_text(row["answer"]) == written
        assert as_text(row["student"]) == (
            "-dave" if who == "dave" else "" if who == "carol" else who
        )
    by = {(who_of(r), r["question"]): r for r in rows}
    # what a spreadsheet would run as a formula is written as text
    assert by[("dave", "q13")]["student"] == "'-dave"
    assert by[("dave", "q13")]["answer"].startswith("'=1+1")
    assert by[("alice", "q13")]["suggested"] == ""  # no rubric: nothing to suggest
    assert by[("bob", "q5")]["suggested"] == str(BOB_Q5_RUBRIC)
    assert by[("bob", "q2")]["suggested"] == "0"
    assert "keywords" in by[("alice", "q4")]["why"]
    assert "2-word" in by[("carol", "q6")]["why"]
    assert len({r["answer_key"] for r in rows}) == len(rows)
    page = Path("sheet.md").read_text(encoding="utf-8")
    sections = page.split("\n## ")[1:]
    assert len(sections) == len(rows)
    for section, row in zip(sections, rows):
        assert f"{row['question']} ({row['status']})" in section.split("\n")[0]
        assert f"```text\n{as_text(row['answer'])}\n```" in section
        assert row["answer_key"] in section
    # an answer with a run of three backticks is fenced by four
    assert "\n````text\n=1+1, and ```fences``` in Markdown\n````" in sections[-1]


def test_before_review_pending_points_are_neither_earned_nor_lost(course):
    r = course("grade", "class", "--format", "json", "-j", "1")
    assert r.exit_code == 1  # nobody has full marks: missing answers
    reports = {Path(d["file"]).stem: d for d in json.loads(r.stdout)}
    for who, d in reports.items():
        rubric = BOB_Q5_RUBRIC if who == "bob" else 0
        assert d["pending"] == PENDING[who]
        assert d["score"] == AUTO[who] + rubric  # pending answers add nothing
        assert d["max_score"] == MAX
        pending = [q for q in d["questions"] if q["status"] in ("review", "manual")]
        assert sum(q["max_score"] for q in pending) == PENDING[who]
        assert all(q["score"] == 0 for q in pending)
    # alice in the other formats: 2 points of MAX, q4 and q13 (5 points) waiting for a TA
    out = {}
    for fmt in ("table", "csv", "junit", "gradescope", "github"):
        r = course("grade", "class/alice.yaml", "--format", fmt, "-o", f"before.{fmt}")
        assert r.exit_code == 1
        out[fmt] = Path(f"before.{fmt}").read_text(encoding="utf-8")
    assert re.search(rf"^total .* 2/{MAX} *\n *5 pending *$", out["table"], re.M)
    (row,) = csv.DictReader(io.StringIO(out["csv"]))
    assert (row["q4"], row["q13"], row["total"], row["max"]) == ("", "", "2", str(MAX))
    suite = ET.fromstring(out["junit"]).find("testsuite")
    skipped = {c.get("name") for c in suite.iter("testcase") if c.find("skipped") is not None}
    assert skipped == {"q4", "q13"} and suite.get("skipped") == "2"
    gradescope = json.loads(out["gradescope"])
    tests = {t["name"].split()[0]: t for t in gradescope["tests"]}
    assert gradescope["score"] == 2
    # neither passed nor failed: no test (Gradescope derives "failed" from 0 points), listed apart
    assert not {"q4", "q13"} & set(tests)
    assert set(gradescope["extra_data"]["pending"]) == {"q4", "q13"}
    assert set(re.findall(r"title=(q\d+) awaits a TA", out["github"])) == {"q4", "q13"}
    assert f"::notice title=cnncheck::alice: 2/{MAX} points" in out["github"]

    # alice: 2 points earned of the MAX - 5 decided (12.5 % of 16). Counted as lost, the pending
    # points would make it less (2 of MAX: 9.5 % of 21); counted as earned, more (7 of MAX: 33 %).
    def code(percent: float, *extra) -> int:
        return course("grade", "class/alice.yaml", "--fail-under", percent, *extra).exit_code

    decided = 100 * 2 / (MAX - 5)
    assert 100 * 2 / MAX < decided < decided + 0.1 < 100 * 7 / MAX
    assert code(decided) == 0  # passes on the points decided: pending ones are not lost
    assert code(decided + 0.1) == 1  # and not earned either
    # full marks on what is decided: q1 right, q13 waiting for a TA
    assert course("grade", "class/alice.yaml", "-q", "q1", "-q", "q13").exit_code == 0
    r = course("grade", "class/alice.yaml", "-q", "q1", "-q", "q13", "--format", "json")
    assert (json.loads(r.stdout)["score"], json.loads(r.stdout)["pending"]) == (1, 3)


def parse(fmt: str, text: str) -> tuple[dict, float]:
    """What a format says of each question (its points, or its verdict where it shows no points)
    and the total."""
    if fmt == "table":
        rows = re.findall(r"^(q\d+) .* (\d+(?:\.\d+)?)/\d+ *$", text, re.M)
        total = re.search(r"^total .* (\d+(?:\.\d+)?)/\d+ *$", text, re.M).group(1)
        assert "pending" not in text
        return {q: float(p) for q, p in rows}, float(total)
    if fmt == "json":
        d = json.loads(text)
        assert d["pending"] == 0 and d["max_score"] == MAX
        return {q["id"]: (q["score"], q["status"]) for q in d["questions"]}, d["score"]
    if fmt == "csv":
        (row,) = list(csv.DictReader(io.StringIO(text)))
        assert row["max"] == str(MAX)
        return {k: float(v) for k, v in row.items() if re.fullmatch(r"q\d+", k)}, float(
            row["total"]
        )
    if fmt == "junit":
        suite = ET.fromstring(text).find("testsuite")
        assert suite.get("skipped") == "0"
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        cases = {}
        for case in suite.iter("testcase"):
            failure = case.find("failure")
            assert case.find("skipped") is None
            cases[case.get("name")] = "correct" if failure is None else failure.get("type")
        return cases, float(props["score"])
    if fmt == "gradescope":
        d = json.loads(text)
        tests = {t["name"].split()[0]: t for t in d["tests"]}
        assert all("status" in t for t in tests.values())  # none left to grade by hand
        return {q: (t["score"], t["status"]) for q, t in tests.items()}, d["score"]
    if fmt == "markdown":
        rows = re.findall(
            r"^\| (q\d+)(?: \(line \d+\))? \| \S+ (\w+) \| ([\d.]+)/\d+ \|", text, re.M
        )
        total = re.search(r"^### .*: ([\d.]+)/(\d+) points$", text, re.M)
        assert total.group(2) == str(MAX) and "wait for a TA" not in text
        return {q: (float(p), st) for q, st, p in rows}, float(total.group(1))
    assert fmt == "github"
    titles = dict(re.findall(r"^::(?:error|warning) .*title=(q\d+) (\w+)::", text, re.M))
    assert "awaits a TA" not in text
    total = re.search(r"^::notice title=cnncheck::.*: (\d+(?:\.\d+)?)/(\d+) points", text, re.M)
    assert total.group(2) == str(MAX)
    return titles, float(total.group(1))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_filled_sheet_gives_final_points_in_every_format(course, fmt):
    fill(review_sheet(course))
    for who in FILES:
        out = f"{who}.{fmt}.out"
        r = course(
            "grade", f"class/{who}.yaml", "--scores", "filled.csv", "--format", fmt, "-o", out
        )
        assert r.exit_code == 1, r.output  # missing answers: below full marks
        shown, total = parse(fmt, Path(out).read_text(encoding="utf-8"))
        assert total == pytest.approx(final_total(who))
        for (w, qid), (points, status) in TA.items():
            if w != who:
                continue
            got = shown.get(qid, "correct")  # github annotates only what is not right
            if fmt in ("table", "csv"):
                assert got == points
            elif fmt in ("json", "markdown"):
                assert got == (points, status)
            elif fmt == "gradescope":
                assert got == (points, "passed" if status == "correct" else "failed")
            elif fmt == "junit":
                assert got == status
            else:  # github: an error for what is wrong, a warning for partial, no points
                assert got == status


def test_the_class_gradebook_and_exit_code_after_review(course):
    fill(review_sheet(course))
    r = course("grade", "class", "--scores", "filled.csv", "--format", "json", "-j", "1")
    reports = {Path(d["file"]).stem: d for d in json.loads(r.stdout)}
    for who, d in reports.items():
        assert (d["score"], d["pending"]) == (pytest.approx(final_total(who)), 0)
        statuses = {q["id"]: q["status"] for q in d["questions"]}
        assert "review" not in statuses.values() and "manual" not in statuses.values()
        for (w, qid), (points, status) in TA.items():
            if w == who:
                (q,) = [q for q in d["questions"] if q["id"] == qid]
                assert q["message"] == f"graded by a TA: seen: {qid}"
    # alice's q13, reviewed at 3 of 3: q1 and q13 now make full marks, decided
    r = course("grade", "class/alice.yaml", "-q", "q1", "-q", "q13", "--scores", "filled.csv")
    assert r.exit_code == 0
    # bob's q13 at 1 of 3: no longer pending, so 2 of 4 points is 50 %
    args = ("grade", "class/bob.yaml", "-q", "q8", "-q", "q13", "--scores", "filled.csv")
    assert course(*args, "--fail-under", 50).exit_code == 0
    assert course(*args, "--fail-under", 51).exit_code == 1
    assert course(*args[:-2], "--fail-under", 100).exit_code == 0  # q13 pending: 1 of 1 decided


def test_forked_workers_apply_the_sheet(course, monkeypatch):
    """Many files are graded (and rendered) in forked workers: each applies the sheet itself."""
    fill(review_sheet(course))
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    for fmt in ("json", "table"):
        one = course("grade", "class", "--scores", "filled.csv", "--format", fmt, "-j", "1")
        two = course("grade", "class", "--scores", "filled.csv", "--format", fmt, "-j", "2")
        assert one.stdout == two.stdout
        assert one.exit_code == two.exit_code == 1
    r = course("grade", "class", "--scores", "filled.csv", "--format", "junit", "-j", "2")
    totals = {
        s.get("name"): float(
            next(p.get("value") for p in s.iter("property") if p.get("name") == "score")
        )
        for s in ET.fromstring(r.stdout).iter("testsuite")
    }
    assert totals == {f"class/{who}.yaml": final_total(who) for who in FILES}


def test_a_changed_answer_invalidates_its_review(course):
    fill(review_sheet(course))
    text = FILES["alice"].replace(
        "q4: template pattern similar dot product", "q4: template pattern similar dot product match"
    )
    Path("class/alice.yaml").write_text(text, encoding="utf-8")
    r = course("grade", "class/alice.yaml", "--scores", "filled.csv", "--format", "json")
    d = json.loads(r.stdout)
    q4 = next(q for q in d["questions"] if q["id"] == "q4")
    q13 = next(q for q in d["questions"] if q["id"] == "q13")
    assert (q4["status"], q4["score"]) == ("review", 0)  # pending again
    assert (q13["status"], q13["score"]) == ("correct", 3)  # unchanged: still the TA's
    assert d["pending"] == 2 and d["score"] == AUTO["alice"] + 3
    (note,) = d["notes"]
    assert note.startswith("the answer to q4 changed since it was reviewed")
    assert note.endswith("the review no longer applies")
    table = course("grade", "class/alice.yaml", "--scores", "filled.csv")
    assert "the answer to q4 changed since it was reviewed" in " ".join(table.stdout.split())
    # a new review sheet brings the changed answer back, unfilled, and keeps the other's points
    r = course("review", "class", "--scores", "filled.csv", "-j", "1")
    rows = {(who_of(x), x["question"]): x for x in csv.DictReader(io.StringIO(r.stdout))}
    assert rows[("alice", "q4")]["points"] == ""
    assert rows[("alice", "q13")]["points"] == "3"
    assert rows[("bob", "q2")]["points"] == "0.5"


def test_a_bad_sheet_is_refused_with_its_line(course, tmp_path):
    rows = review_sheet(course)
    fill(rows)
    with open("filled.csv", encoding="utf-8") as f:
        lines = f.read().split("\n")
    scores = read_scores("filled.csv")
    assert len(scores.rows) == len(rows)
    bad = Path("bad.csv")
    # bob's q2 is worth 1 point: 5 is outside 0 to 1
    n = next(i for i, line in enumerate(lines) if ",bob,cs577-hw4,q2," in line)
    bad.write_text("\n".join(lines[:n] + [lines[n].replace(",0.5,", ",5,")] + lines[n + 1 :]))
    r = course("grade", "class", "--scores", "bad.csv")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"cnncheck: error: bad.csv:{n + 1}: points: 5 is outside 0 to 1")
    bad.write_text("\n".join(lines[:n] + [lines[n].replace(",0.5,", ",half,")] + lines[n + 1 :]))
    with pytest.raises(InputError, match="'half' is not a number") as e:
        read_scores("bad.csv")
    assert e.value.line == n + 1
    bad.write_text("file,student,question,points\nclass/bob.yaml,bob,q2,1\n")
    with pytest.raises(InputError, match="no assignment, answer_key column") as e:
        read_scores("bad.csv")
    assert e.value.line == 1
    bad.write_text("\n".join(lines[:-1] + [lines[n]]) + "\n")
    with pytest.raises(InputError, match=f"scored twice \\(first on line {n + 1}\\)"):
        read_scores("bad.csv")
    # a report is never written over the TA's sheet
    r = course("grade", "class", "--scores", "filled.csv", "--csv", "filled.csv")
    assert r.exit_code == 2 and "review sheet given to --scores" in r.stderr
    r = course("review", "class", "--scores", "filled.csv", "--markdown", "filled.csv")
    assert r.exit_code == 2 and "review sheet given to --scores" in r.stderr
    assert read_scores("filled.csv").rows == scores.rows


def test_a_sheet_saved_by_a_spreadsheet_is_read(course):
    """Excel in a European locale saves CSV with semicolons and decimal commas, and "CSV UTF-8"
    with a byte-order mark."""
    rows = review_sheet(course)
    fill(rows)
    with open("filled.csv", newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    for line in table[1:]:
        line[-2] = line[-2].replace(".", ",")  # 0.5 -> 0,5
    with open("excel.csv", "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f, delimiter=";").writerows(table)
    assert b"0,5" in Path("excel.csv").read_bytes()
    assert read_scores("excel.csv").rows == read_scores("filled.csv").rows
    r = course("grade", "class/bob.yaml", "--scores", "excel.csv", "--format", "json")
    assert json.loads(r.stdout)["score"] == final_total("bob")


def test_review_of_a_class_with_an_unreadable_file(course):
    Path("class/eve.yaml").write_text("answers: [\n", encoding="utf-8")
    r = course("review", "class", "-j", "1")
    assert r.exit_code == 2
    assert r.stderr.startswith("cnncheck: error: class/eve.yaml:")
    assert r.stderr.endswith("7 answers to review in 4 of 4 submissions\n")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {(who_of(x), x["question"]) for x in rows} == set(TO_REVIEW)
