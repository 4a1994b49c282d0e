"""The HTML class report (``grade CLASS/ --format html``), looked at as a person would: opened in a
real headless browser (Debian's Chromium, ``tests/browser.py``), with no message in its console,
every chart and table there, a screenshot taken; the numbers each chart claims checked against a
count made here from the graded outcomes; nothing fetched from a network; and what students
wrote shown as text, never as markup. ``--summary`` is checked for the same facts."""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck.bank import load_bank
from cnncheck.batch import grade_files, submission_files
from cnncheck.cli import cli
from cnncheck.report.html import html_report
from cnncheck.textsafe import safe

from .browser import keep_screenshot, open_page

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "answers.example.yaml").read_text()  # 11/18 on cs577-hw4
FULL = (ROOT / "tests" / "data" / "full_marks.yaml").read_text()  # 18/18
VARIANTS = ROOT / "tests" / "data" / "variants.yaml"
HW4 = [f"q{i}" for i in range(1, 13)]
HOSTILE_ID = '<script>alert(1)</script>"><img src=x onerror=alert(1)>\x1b[31m'
SHOWN_ID = '<script>alert(1)</script>"><img src=x onerror=alert(1)>\\x1b[31m'  # as safe() shows
PARTS = ("correct", "partial", "incorrect", "invalid", "missing", "pending")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "80"})


# ------------------------------------------------------------ the DOM, as a tree


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, **attrs):
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and all(
                    c.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()
                ):
                    yield c
                yield from c.all(tag, **attrs)

    def one(self, tag: str | None = None, **attrs) -> Node:
        found = list(self.all(tag, **attrs))
        assert len(found) == 1, (tag, attrs, len(found))
        return found[0]

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.at = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.at.children.append(Node(tag, dict(attrs), self.at))

    def handle_endtag(self, tag):
        at = self.at
        while at is not None and at.tag != tag:
            at = at.parent
        if at is not None and at.parent is not None:
            self.at = at.parent

    def handle_data(self, data):
        self.at.children.append(data)


def tree(html: str) -> Node:
    t = _Tree()
    t.feed(html)
    t.close()
    return t.root


def table_rows(table: Node) -> list[list[str]]:
    """A table's body rows as the text of their cells (row header first)."""
    body = next(table.all("tbody"))
    return [
        [c.text().strip() for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
        for tr in body.all("tr")
    ]


def after(node: Node) -> Node:
    """The element that follows ``node`` in its parent."""
    siblings = [c for c in node.parent.children if isinstance(c, Node)]
    return siblings[siblings.index(node) + 1]


def table_captioned(dom: Node, start: str) -> Node:
    found = [t for t in dom.all("table") if next(t.all("caption")).text().startswith(start)]
    assert len(found) == 1, (start, len(found))
    return found[0]


# ------------------------------------------------------------ a class of cs577-hw4


@pytest.fixture(scope="module")
def hw4(tmp_path_factory):
    """A class folder: two full marks for one student (a duplicate), the example three times, one
    answer waiting for a TA, an unreadable file, a student with a hostile id and answers (not on
    the roster); graded with a roster, rendered by the command line, opened in the browser."""
    base = tmp_path_factory.mktemp("hw4")
    folder = base / "class"
    folder.mkdir()
    (folder / "ada.yaml").write_text(FULL)
    (folder / "ada_again.yaml").write_text(FULL.replace("student: ada", "student: ADA"))
    for student in ("jdoe", "s1", "s2"):
        (folder / f"{student}.yaml").write_text(EXAMPLE.replace("jdoe", student))
    (folder / "rev.yaml").write_text(  # keywords only: the rubric suggests, a TA decides
        EXAMPLE.replace("student: jdoe", "student: rev").replace(
            "q6: Because the network gets deeper.",
            "q6: channels features deeper abstract balanced",
        )
    )
    (folder / "broken.yaml").write_text("answers: [\n")
    (folder / "hostile.yaml").write_text(
        "assignment: cs577-hw4\n"
        + 'student: "<script>alert(1)</script>\\"><img src=x onerror=alert(1)>\\x1b[31m"\n'
        + "answers:\n"
        + '  q1: "<script>alert(1)</script>"\n'
        + "  q2: '\"><img src=x onerror=alert(1)>'\n"
        + '  q7: "\\x1b[2J 126x126x16"\n'
        + "  q8: 64x64x16\n"
    )
    roster = base / "roster.csv"
    roster.write_text("id,name\nada,Ada\njdoe,J Doe\ns1,S One\ns2,S Two\nrev,Rev\n")
    report = base / "report.html"
    r = run("grade", folder, "--roster", roster, "--format", "html", "-o", report)
    assert r.exit_code == 2, r.output  # an unreadable file: 2, and the report is written
    html = report.read_text(encoding="utf-8")
    shot = base / "report.png"
    page = open_page(report, shot, (1280, 2400))
    keep_screenshot(shot, "html_report.png")
    narrow = open_page(report, base / "report_320.png", (320, 1600))
    keep_screenshot(narrow.screenshot, "html_report_320.png")
    # the same class graded here, for counts made independently of the report
    from cnncheck.roster import read_roster
    from cnncheck.run import GradeOptions, run_grade

    outcomes = run_grade(load_bank(), [str(folder)], GradeOptions(roster=read_roster(roster))).all()
    return {
        "folder": folder,
        "html": html,
        "page": page,
        "narrow": narrow,
        "dom": tree(page.dom),
        "outcomes": outcomes,
        "roster": roster,
    }


def test_the_page_loads_with_a_silent_console_and_a_screenshot(hw4):
    assert hw4["page"].console == []
    assert hw4["narrow"].console == []  # 320 px wide: the same page, nothing refused
    for page in (hw4["page"], hw4["narrow"]):
        data = page.screenshot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_every_chart_and_table_is_there(hw4):
    dom, outcomes = hw4["dom"], hw4["outcomes"]
    graded = [o for o in outcomes if o.ok]
    charts = list(dom.all("svg"))
    # one assignment, no question drawn per student: its histogram and its questions' chart
    assert [c.attrs.get("id") for c in charts] == ["a1-scores", "a1-questions"]
    for c in charts:
        assert c.attrs["role"] == "img"
        title, desc = (
            c.one("title", id=f"{c.attrs['id']}-t"),
            c.one("desc", id=f"{c.attrs['id']}-d"),
        )
        assert title.text() and desc.text()
        assert c.attrs["aria-labelledby"] == f"{c.attrs['id']}-t {c.attrs['id']}-d"
    tables = list(dom.all("table"))
    for t in tables:  # real tables: a caption, and every header cell says what it heads
        assert next(t.all("caption")).text().strip()
        assert all(th.attrs.get("scope") in ("col", "row") for th in t.all("th"))
    submissions = [s for s in dom.all("section") if "submission" in s.classes()]
    assert [s.attrs["id"] for s in submissions] == [f"s{n}" for n in range(1, len(outcomes) + 1)]
    for s, o in zip(submissions, outcomes):
        answers = list(s.all("table"))
        if o.ok:  # each graded submission: one table, a row per question
            assert len(answers) == 1 and [r[0].split()[0] for r in table_rows(answers[0])] == HW4
        else:
            assert answers == [] and "not graded" in s.text()
    # the class-level tables: scores, questions, wrong answers, mistakes, the review queue
    # (unreadable, waiting, invalid, duplicates, not on the roster), the index of submissions
    assert len(tables) == 10 + len(graded)
    index = table_captioned(dom, "Every submission")
    links = [a.attrs["href"] for a in index.all("a")]
    assert links == [f"#s{n}" for n in range(1, len(outcomes) + 1)]
    headings = [int(n.tag[1]) for n in dom.all() if re.fullmatch(r"h[1-6]", n.tag)]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:]))


def test_the_histogram_shows_the_scores_counted_here(hw4):
    scores = [o.score for o in hw4["outcomes"] if o.ok]
    counted = Counter(math.floor(s + 1e-9) for s in scores)
    chart = hw4["dom"].one("svg", id="a1-scores")
    bars = list(chart.all("rect"))
    assert [b.attrs["data-label"] for b in bars] == [str(k) for k in range(19)]  # 0 to 18
    claimed = {int(b.attrs["data-label"]): int(b.attrs["data-count"]) for b in bars}
    assert claimed == {k: counted.get(k, 0) for k in range(19)}
    assert sum(claimed.values()) == len(scores) == 7
    tallest = max(float(b.attrs["height"]) for b in bars)
    for b in bars:  # each bar as tall as its count says
        want = tallest * int(b.attrs["data-count"]) / max(counted.values())
        assert float(b.attrs["height"]) == pytest.approx(want, abs=0.1)
    numbers = table_captioned(hw4["dom"], "Submissions per score")
    head = [th.text() for th in next(numbers.all("thead")).all("th")][1:]
    row = table_rows(numbers)[0][1:]
    assert dict(zip(map(int, head), map(int, row))) == claimed


def _part(status) -> str:
    return "pending" if status.pending else status.value


def test_the_shares_per_question_are_the_statuses_counted_here(hw4):
    graded = [o for o in hw4["outcomes"] if o.ok]
    counted = {
        q: Counter(_part(r.status) for o in graded for r in o.results if r.id == q) for q in HW4
    }
    chart = hw4["dom"].one("svg", id="a1-questions")
    drawn: dict = {q: {} for q in HW4}
    widths: dict = {q: 0.0 for q in HW4}
    for rect in chart.all("rect"):
        if "data-row" in rect.attrs:
            q = rect.attrs["data-row"]
            drawn[q][rect.attrs["data-part"]] = int(rect.attrs["data-count"])
            widths[q] += float(rect.attrs["width"])
    assert drawn == {q: {k: n for k, n in counted[q].items() if n} for q in HW4}
    assert counted["q6"]["pending"] == 1 and counted["q1"]["invalid"] == 1  # both kinds present
    full = max(widths.values())
    assert all(w == pytest.approx(full, abs=0.5) for w in widths.values())  # every bar is 100%
    for rect in chart.all("rect"):
        if "data-row" in rect.attrs:  # each part as wide as its share
            share = int(rect.attrs["data-count"]) / len(graded)
            assert float(rect.attrs["width"]) == pytest.approx(full * share, abs=0.5)
    table = table_captioned(hw4["dom"], "Answers per question")
    for row in table_rows(table):
        q, numbers = row[0], [int(cell.split()[0]) for cell in row[3:9]]
        assert numbers == [counted[q][k] for k in PARTS]


def test_common_wrong_answers_name_their_mistake(hw4):
    rows = table_rows(table_captioned(hw4["dom"], "The wrong answers most often given"))
    q8 = [r for r in rows if r[0] == "q8"]
    gave = sum(
        1 for o in hw4["outcomes"] if o.ok for r in o.results if r.id == "q8" and r.score == 0
    )
    assert q8 == [
        [
            "q8",
            "64×64×16",
            str(gave),
            "✗ wrong",
            "the output size was rounded up (ceil) instead of down (floor); "
            "padding was added, but the question has none",
        ]
    ]
    assert gave == 5


def test_the_review_queue_names_what_needs_a_person(hw4):
    dom, outcomes = hw4["dom"], hw4["outcomes"]
    broken = next(o for o in outcomes if not o.ok)
    unreadable = table_rows(table_captioned(dom, "Files that could not be graded"))
    assert unreadable == [[str(hw4["folder"] / "broken.yaml"), str(broken.line), broken.message]]
    waiting = table_rows(table_captioned(dom, "Answers a TA grades or confirms"))
    assert waiting == [["rev", "cs577-hw4", "q6", "? to confirm by a TA", "1"]]
    invalid = table_rows(table_captioned(dom, "Answers that could not be read"))
    assert [(r[0], r[2], r[3]) for r in invalid] == [
        (SHOWN_ID, "q1", "<script>alert(1)</script>"),
        (SHOWN_ID, "q2", '"><img src=x onerror=alert(1)>'),
        (SHOWN_ID, "q7", "\\x1b[2J 126x126x16"),
    ]
    twice = table_rows(table_captioned(dom, "Students with more than one submission"))
    folder = hw4["folder"]
    assert twice == [["ada", f"{folder / 'ada.yaml'}{folder / 'ada_again.yaml'}"]]
    unknown = table_rows(table_captioned(dom, "Submissions whose student the roster"))
    assert [r[:2] for r in unknown] == [[SHOWN_ID, str(folder / "hostile.yaml")]]
    assert "not on the roster roster.csv" in unknown[0][2]
    # every entry links to the submission it names
    queue = dom.one("section", id="review")
    for a in queue.all("a"):
        o = outcomes[int(a.attrs["href"].removeprefix("#s")) - 1]
        assert a.text() in (o.path, safe(getattr(o, "student", None) or ""))


def test_nothing_is_fetched_from_anywhere(hw4):
    html, dom = hw4["html"], hw4["dom"]
    for node in dom.all():
        for name in ("src", "href", "srcset", "action", "data", "poster", "xlink:href"):
            value = node.attrs.get(name)
            if value is not None:
                assert name == "href" and value.startswith("#"), (node.tag, name, value)
    assert not re.search(r"(?i)(src|href)\s*=\s*[\"']?\s*(https?:)?//", html)
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert "@import" not in html and not re.search(r"url\((?!#)", html)
    assert list(dom.all("script")) == [] and list(dom.all("link")) == []
    assert list(dom.all("img")) == [] and list(dom.all("iframe")) == []


def test_hostile_input_is_text(hw4):
    dom, html = hw4["dom"], hw4["html"]
    assert "\x1b" not in html and "\x1b" not in hw4["page"].dom
    section = dom.one("section", id=f"s{_index(hw4, 'hostile.yaml')}")
    heading = next(section.all("h3")).text()
    assert heading.startswith(SHOWN_ID + " · cs577-hw4")
    rows = {r[0].split()[0]: r for r in table_rows(next(section.all("table")))}
    assert rows["q1"][1] == "<script>alert(1)</script>"
    assert rows["q2"][1] == '"><img src=x onerror=alert(1)>'
    assert rows["q7"][1] == "\\x1b[2J 126x126x16"
    assert [n.tag for n in dom.all() if n.tag in ("script", "img")] == []
    assert not any(k.startswith("on") for n in dom.all() for k in n.attrs)
    assert hw4["page"].console == []  # and nothing ran


def _index(hw4, name: str) -> int:
    return next(n for n, o in enumerate(hw4["outcomes"], 1) if Path(o.path).name == name)


def test_a_submission_shows_its_answers_at_full_feedback(hw4):
    section = hw4["dom"].one("section", id=f"s{_index(hw4, 'jdoe.yaml')}")
    rows = {r[0].split()[0]: r for r in table_rows(next(section.all("table")))}
    assert rows["q3"][1].split() == ["24", "20*", "24*", "20"]  # wrong cells: *, no colour needed
    assert rows["q3"][2:5] == ["24 24\n20 20", "✗ wrong", "0/1"]
    assert "the matrix is transposed" in rows["q3"][5]
    marked = [m.text() for m in section.all("mark")]
    assert marked[:2] == ["20*", "24*"]  # and highlighted
    assert rows["q12"][1] == "— no answer" and rows["q12"][3] == "– missing"


# ------------------------------------------------------------ questions drawn per student


@pytest.fixture(scope="module")
def variant_class(tmp_path_factory):
    """Twelve students of the ``var`` assignment (tests/data/variants.yaml): ``c`` right for two
    students in three, ``p`` with the bias left out for every other student."""
    import numpy as np

    base = tmp_path_factory.mktemp("variants")
    folder = base / "class"
    folder.mkdir()
    a = load_bank(VARIANTS).get("var")
    for i in range(12):
        q = a.for_student(f"v{i:02}").questions
        c = q["c"].expected.value if i % 3 else np.zeros_like(q["c"].expected.value)
        p = q["p"].expected.value - (q["p"].params.layer.filters if i % 2 else 0)
        (folder / f"v{i:02}.yaml").write_text(
            f"student: v{i:02}\nanswers:\n  c: {np.asarray(c).tolist()}\n  p: {p}\n  fixed: 1\n"
        )
    report = base / "report.html"
    r = run("--bank", VARIANTS, "grade", folder, "--format", "html", "-o", report)
    assert r.exit_code == 1, r.output
    page = open_page(report, base / "report.png", (1280, 2600))
    keep_screenshot(page.screenshot, "html_report_variants.png")
    outcomes = grade_files(load_bank(VARIANTS), submission_files([str(folder)]))
    return {"page": page, "dom": tree(page.dom), "outcomes": outcomes}


def test_difficulty_by_drawn_value_counted_here(variant_class):
    assert variant_class["page"].console == []
    by_stride: dict = {}
    by_filters: dict = {}
    for o in variant_class["outcomes"]:
        r = {r.id: r for r in o.results}
        stride = r["c"].question.params.stride[0]  # the drawn stride, as the question solves it
        right = r["c"].status.value == "correct"
        by_stride.setdefault(str(stride), [0, 0])
        by_stride[str(stride)][0] += right
        by_stride[str(stride)][1] += 1
        filters = r["p"].question.params.layer.filters
        by_filters.setdefault(str(filters), [0, 0])
        by_filters[str(filters)][0] += r["p"].status.value == "correct"
        by_filters[str(filters)][1] += 1
    assert len(by_stride) == 2  # both strides were drawn in this class
    dom = variant_class["dom"]
    charts = [c.attrs["id"] for c in dom.all("svg")]
    # the histogram, the questions, and one chart per question with grouped draws that someone
    # answered (c and p; s has draws, and no answers)
    assert charts == ["a1-scores", "a1-questions", "a1-p0", "a1-p1"]

    def claimed(chart_id: str, parameter: str) -> dict:
        chart = dom.one("svg", id=chart_id)
        bars = [b for b in chart.all("rect") if b.attrs.get("data-group") == parameter]
        heads = [t.text() for t in chart.all("text") if "head" in t.classes()]
        assert parameter in heads
        out = {}
        track = max(float(t.attrs["width"]) for t in chart.all("rect") if "track" in t.classes())
        for b in bars:
            part, whole = int(b.attrs["data-part"]), int(b.attrs["data-whole"])
            assert float(b.attrs["width"]) == pytest.approx(track * part / whole, abs=0.2)
            out.setdefault(b.attrs["data-label"], []).append([part, whole])
        return out

    strides = claimed("a1-p0", "stride")
    assert {k.removeprefix("= "): v[0] for k, v in strides.items()} == by_stride
    rows = table_rows(table_captioned(dom, "p: right answers by drawn value"))
    filters = {r[1]: [int(r[3].split()[0]), int(r[2])] for r in rows if r[0] == "layer.filters"}
    assert filters == by_filters


def test_summary_json_counts_per_drawn_value(variant_class, tmp_path):
    from cnncheck.report.summary import summarize

    stats = summarize(variant_class["outcomes"])
    c = next(q for q in stats["assignments"][0]["questions"] if q["id"] == "c")
    stride = next(p for p in c["by_parameter"] if p["parameter"] == "stride")
    assert sum(v["students"] for v in stride["values"]) == 12
    assert sum(v["correct"] for v in stride["values"]) == c["correct"] == 8
    # an array drawn cell by cell (the image, the filter) is never a parameter to group by
    assert {p["parameter"] for p in c["by_parameter"]} == {"stride", "padding"}


# ------------------------------------------------------------ the same facts in --summary


def test_summary_names_what_needs_a_person(hw4):
    folder, roster = hw4["folder"], hw4["roster"]
    r = run("grade", folder, "--roster", roster, "--summary", "--format", "json")
    data = json.loads(r.stdout)
    assert (data["submissions"], data["errors"]) == (8, 1)  # the keys it always had
    broken = next(o for o in hw4["outcomes"] if not o.ok)
    assert data["unreadable"] == [
        {
            "submission": _index(hw4, "broken.yaml"),
            "file": str(folder / "broken.yaml"),
            "error": broken.message,
            "line": broken.line,
        }
    ]
    assert data["duplicates"] == [
        {
            "student": "ada",
            "files": [str(folder / "ada.yaml"), str(folder / "ada_again.yaml")],
            "submissions": [1, 2],
        }
    ]
    assert [(w["question"], w["status"], w["suggested"]) for w in data["waiting"]] == [
        ("q6", "review", 1)
    ]
    assert [(w["student"], w["question"]) for w in data["invalid"]] == [
        (SHOWN_ID, "q1"),
        (SHOWN_ID, "q2"),
        (SHOWN_ID, "q7"),
    ]
    assert [n["student"] for n in data["not_on_roster"]] == [SHOWN_ID]
    qs = {q["id"]: q for q in data["assignments"][0]["questions"]}
    assert (qs["q1"]["invalid"], qs["q6"]["pending"], qs["q12"]["missing"]) == (1, 1, 5)
    for q in qs.values():  # every submission in exactly one share
        assert sum(q[k] for k in PARTS) == 7
    text = run("grade", folder, "--roster", roster, "--summary").stdout
    assert "Unreadable files:" in text and f"{folder / 'broken.yaml'}:{broken.line}: " in text
    assert "Graded more than once:" in text and "Not on the roster:" in text
    assert "1 answer waiting for a TA: cs577-hw4 q6 ×1" in text
    assert "3 answers that could not be read: cs577-hw4 q1 ×1, cs577-hw4 q2 ×1" in text


def test_the_summary_table_fits_80_columns(hw4):
    text = run("grade", hw4["folder"], "--summary").stdout
    table = text.split("\n\n")[0].splitlines()
    assert table[2].split() == [
        "Q", "answered", "correct", "partial", "wrong", "invalid", "missing", "waiting", "mean",
    ]  # fmt: skip
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    assert "64×64×16 (the output size was rounded up" in text


# ------------------------------------------------------------ the working, and the API


def test_explain_works_each_question_once_and_links_to_it(hw4, tmp_path):
    outcomes = hw4["outcomes"]
    page = html_report(outcomes, explain=True)
    dom = tree(page)
    jdoe = dom.one("section", id=f"s{_index(hw4, 'jdoe.yaml')}")
    links = [a.attrs["href"] for a in jdoe.all("a")]
    wrong = [
        r.id
        for o in outcomes
        if o.ok and Path(o.path).name == "jdoe.yaml"
        for r in o.results
        if not r.status.done
    ]
    assert links == [f"#a1-w{HW4.index(q) + 1}" for q in wrong]
    for href in links:  # each link leads to a heading with the working under it
        heading = dom.one("h4", id=href[1:])
        assert heading.text().split()[0] == wrong[links.index(href)]
    # the pictures module draws conv2d: q3's working has its picture
    from cnncheck.report import pictures

    q3 = next(r for o in outcomes if o.ok for r in o.results if r.id == "q3")
    assert pictures.picture_for(q3) is not None
    working = after(dom.one("h4", id="a1-w3"))
    assert any(s.attrs.get("role") == "img" for s in working.all("svg")), (
        "q3's picture is not under its working"
    )
    path = tmp_path / "explained.html"
    path.write_text(page, encoding="utf-8")
    shown = open_page(path, tmp_path / "explained.png", (1280, 1600))
    assert shown.console == []


def test_without_the_pictures_module_the_working_is_in_words(hw4, monkeypatch):
    monkeypatch.setitem(sys.modules, "cnncheck.report.pictures", None)  # an import that fails
    page = html_report(hw4["outcomes"], explain=True)
    dom = tree(page)
    working = after(dom.one("h4", id="a1-w3"))
    assert "working" in working.classes() and list(working.all("svg")) == []
    assert list(working.all("ol")) and "out[0, 0]" in working.text()


def test_feedback_and_title(hw4):
    jdoe = [o for o in hw4["outcomes"] if o.ok and o.student == "jdoe"]
    full = html_report(jdoe, title="HW4 <draft>")
    assert "<title>HW4 &lt;draft&gt;</title>" in full and "63×63×16" in full
    hints = html_report(jdoe, feedback="hints")
    assert "63×63×16" not in hints  # the expected answer stays hidden below full
    assert "likely mistake" in hints


def test_a_class_of_5000(hw4):
    from dataclasses import replace

    graded = [o for o in hw4["outcomes"] if o.ok]
    many = [
        replace(graded[i % len(graded)], student=f"s{i:04}", path=f"class/s{i:04}.yaml")
        for i in range(5000)
    ]
    page = html_report(many)
    assert page.count('<section class="submission"') == 5000
    index = page[page.index("<caption>Every submission") :]
    assert index[: index.index("</table>")].count('href="#s') == 5000  # the index links each one
    scores = page[page.index('id="a1-scores"') :]
    counts = re.findall(r'data-count="(\d+)"', scores[: scores.index("</svg>")])
    assert sum(map(int, counts)) == 5000


def test_a_mean_is_rounded_as_a_person_rounds_it():
    from cnncheck.report.values import mean_text

    # round() gives 2.62 and 0.62 for these (halves to even); a TA writes 2.63 and 0.63
    assert [mean_text(x) for x in (2.625, 0.625, 2.6249, 3.0, 1 / 3)] == [
        "2.63",
        "0.63",
        "2.62",
        "3",
        "0.33",
    ]
