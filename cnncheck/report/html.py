"""A class report as one HTML page to look at: ``cnncheck grade CLASS/ --format html``.

One self-contained file (inline CSS, inline SVG charts, no script, no font or image to fetch), so
it opens anywhere, offline. For each assignment: the score distribution, per question the share
right, partly right, wrong, unreadable, missing and waiting for a TA, the common wrong answers
with the mistakes they show, and for questions drawn per student how each drawn value fared; then
the review queue (unreadable files by name, answers waiting for a TA, invalid answers, students
graded twice or not on the roster) and every submission's table under its own anchor.

The numbers are :func:`.summary.summarize`'s, the ones ``--summary`` prints; each chart has the
same numbers in a table beside it. Tables are real tables (caption, header cells with scope);
a verdict is a sign and a word as well as a colour, and a wrong cell is marked ``*``. Whatever a
student wrote and every file name is made safe (:func:`safe`) and then escaped.
"""

from __future__ import annotations

from html import escape

from .. import __version__
from ..forms.array import WRONG_MARK
from ..grading import carried_working, internal_error
from . import charts
from .feedback import view, views
from .summary import SHARES, summarize
from .values import describe_raw, mean_text, num, safe, safe_lines, shown_path

# a verdict's sign (as the terminal's table shows it) and its words here
VERDICTS = {
    "correct": ("✓", "right"),
    "partial": ("~", "partly right"),
    "incorrect": ("✗", "wrong"),
    "invalid": ("!", "could not be read"),
    "missing": ("–", "missing"),
    "pending": ("?", "waiting for a TA"),
    "manual": ("?", "waiting for a TA"),
    "review": ("?", "to confirm by a TA"),
}
COLUMN = {"correct": "right", "incorrect": "wrong", "pending": "waiting"}  # short table heads

CSS = """
:root{--ink:#1a1a1a;--muted:#555;--line:#bbb;--soft:#f3f3f3;--link:#0b57d0}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:var(--ink);background:#fff;margin:0 auto;max-width:75rem;padding:1rem 1.25rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.35rem;margin:2.5rem 0 .5rem;border-bottom:2px solid var(--line)}
h3{font-size:1.12rem;margin:1.75rem 0 .4rem}
h4{font-size:1rem;margin:1.25rem 0 .3rem}
a{color:var(--link)}
p{margin:.4rem 0}
.note{color:var(--muted)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.4rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.2rem 0;caption-side:top}
caption small{font-weight:400;color:var(--muted)}
th,td{border:1px solid var(--line);padding:.2rem .5rem;vertical-align:top;text-align:left}
thead th{background:var(--soft)}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.pc{color:var(--muted);font-size:.85em}
pre{margin:0;font:13px/1.35 ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",
monospace;white-space:pre}
pre.prose{white-space:pre-wrap;overflow-wrap:anywhere;max-width:40rem}
div.prose{white-space:pre-wrap;overflow-wrap:anywhere;max-width:40rem}
th small,td small{font-weight:400;color:var(--muted);white-space:nowrap}
small.line{display:block}
mark{background:#ffd7d7;color:inherit;font-weight:700}
.v{white-space:nowrap;font-weight:600}
.v-correct{color:#1b5e20}.v-partial{color:#8a5a00}.v-incorrect{color:#b71c1c}
.v-invalid{color:#6a1b9a}.v-missing{color:var(--muted)}
.v-manual,.v-review,.v-pending{color:#01579b}
.fig{display:flex;flex-wrap:wrap;gap:.5rem 2rem;align-items:flex-start}
.fig>.chart-box{flex:1 1 26rem}
svg.chart{width:100%;max-width:52rem;height:auto;font:12px system-ui,sans-serif}
svg.chart text{fill:#1a1a1a}
svg.chart .bar{fill:#455a64}
svg.chart .track{fill:#e6e6e6}
svg.chart .axis{stroke:#333}
svg.chart .part{stroke:#222;stroke-width:.6}
svg.chart .halo{paint-order:stroke;stroke:#fff;stroke-width:3px;font-weight:700}
svg.chart .head{font-weight:700}
tr.more td{border-top:0;background:#fafafa}
.working ol{margin:.3rem 0;padding-left:1.4rem}
.picture svg{max-width:100%;height:auto}
nav ul{margin:.3rem 0;padding-left:1.3rem}
section.submission{border-top:1px solid var(--line);margin-top:1.5rem}
@media (max-width:40rem){
body{padding:.5rem;font-size:15px}
th,td{padding:.15rem .3rem}
caption{max-width:calc(100vw - 1rem)}
.pc{display:none}
svg.chart{min-width:32rem}
}
@media print{
body{max-width:none;padding:0;font-size:10.5pt}
nav{display:none}
a{color:inherit;text-decoration:none}
.scroll{overflow:visible}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
h2,h3,h4{break-after:avoid}
tr,figure,svg{break-inside:avoid}
section.submission{break-before:auto}
pre.prose{max-width:none}
}
"""


def _e(text) -> str:
    """Untrusted text as HTML text: made safe (control characters escaped), then escaped."""
    return escape(safe_lines(str(text), 10_000) if "\n" in str(text) else safe(text, 10_000))


def _pct(n: int, whole: int) -> str:
    return f'<span class="pc">{round(100 * n / whole) if whole else 0}%</span>'


def _mark(cls: str, sign: str, words: str) -> str:
    return f'<span class="v v-{escape(cls)}">{sign} {escape(words)}</span>'


def _verdict(status: str) -> str:
    """A verdict as a sign and words (its colour only repeats them)."""
    sign, words = VERDICTS.get(status, ("", status))
    return _mark(status, sign, words)


def _table(caption: str, heads: list[str], rows: list[list[str]], numeric=()) -> str:
    """A table: ``heads`` are column headers, the first cell of each row its row header. Cells
    are HTML already; ``numeric``: the columns aligned right. A row that is a string is one cell
    as wide as the table (what belongs to the row above it)."""
    head = "".join(
        f'<th scope="col"{" class=n" if i in numeric else ""}>{h}</th>' for i, h in enumerate(heads)
    )
    body = []
    for row in rows:
        if isinstance(row, str):  # a row at the table's full width, below the one before
            body.append(f'<tr class="more"><td colspan="{len(heads)}">{row}</td></tr>')
            continue
        cells = [f'<th scope="row">{row[0]}</th>'] + [
            f"<td{' class=n' if i in numeric else ''}>{c}</td>"
            for i, c in enumerate(row[1:], start=1)
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _wide_table(caption: str, head: tuple[str, list[str]], row: tuple[str, list[str]]) -> str:
    """A table laid on its side: a header row of values, one row of numbers under them."""
    heads = "".join(f'<th scope="col" class=n>{h}</th>' for h in head[1])
    cells = "".join(f"<td class=n>{c}</td>" for c in row[1])
    return (
        f'<div class="scroll"><table><caption>{caption}</caption>'
        f'<thead><tr><th scope="row">{head[0]}</th>{heads}</tr></thead>'
        f'<tbody><tr><th scope="row">{row[0]}</th>{cells}</tr></tbody></table></div>'
    )


def _chart(svg: str) -> str:
    """A chart in a box that scrolls sideways where the screen is too narrow for its words."""
    return f'<div class="scroll chart-box">{svg}</div>'


def _link(n: int, text: str) -> str:
    return f'<a href="#s{n}">{text}</a>'


def _who(student: str | None) -> str:
    return _e(student) if student else '<span class="note">(no student)</span>'


# ------------------------------------------------------------ one assignment, the class's view


def _distribution(i: int, a: dict) -> str:
    bars = [(b["label"], b["count"]) for b in a["score_histogram"]]
    unit = a["max_score"] <= 30
    rule = (
        "bar k: from k points up to k + 1, the last bar full marks"
        if unit
        else "each bar from its first score up to the next bar's"
    )
    chart = charts.histogram(
        f"a{i}-scores",
        bars,
        title=f"Score distribution, {a['id']}",
        desc=f"Submissions per score out of {num(a['max_score'])} ({rule}): "
        + ", ".join(f"{label}: {n}" for label, n in bars),
        x_label=f"points (of {num(a['max_score'])})",
        y_label="submissions",
    )
    table = _wide_table(
        f"Submissions per score <small>({rule})</small>",
        ("points", [escape(label) for label, _ in bars]),
        ("submissions", [str(n) for _, n in bars]),
    )
    return f'<h3 id="a{i}-dist">Score distribution</h3>{_chart(chart)}{table}'


def _questions(i: int, a: dict) -> str:
    qs = a["questions"]
    legend = [(k, f"{VERDICTS[k][0]} {VERDICTS[k][1]}") for k in SHARES]
    chart = charts.stacked(
        f"a{i}-questions",
        [(q["id"], [q[k] for k in SHARES]) for q in qs],
        legend,
        title=f"Answers per question, {a['id']}",
        desc="For each question, how many submissions got it right, partly right, wrong, "
        "could not be read, left it out, or wait for a TA: "
        + "; ".join(
            f"{q['id']}: " + ", ".join(f"{q[k]} {VERDICTS[k][1]}" for k in SHARES) for q in qs
        ),
    )
    n = a["submissions"]
    # answers credited by error carried forward (counted among the right), where there are any
    carried = any(q["carried_forward"] for q in qs)
    rows = [
        [escape(q["id"]), escape(q["kind"]), num(q["max_score"])]
        + [f"{q[k]} {_pct(q[k], n)}" for k in SHARES]
        + ([f"{q['carried_forward']} {_pct(q['carried_forward'], n)}"] if carried else [])
        + [mean_text(q["mean_score"])]
        for q in qs
    ]
    heads = ["Q", "kind", "points"] + [escape(COLUMN.get(k, k)) for k in SHARES]
    heads += ["carried forward"] if carried else []
    heads += ["mean"]
    table = _table(
        f"Answers per question <small>(of {n} submission{'s' if n != 1 else ''})</small>",
        heads,
        rows,
        numeric=tuple(range(2, len(heads))),
    )
    return f'<h3 id="a{i}-q">Questions</h3>{_chart(chart)}{table}'


def _wrong_answers(i: int, a: dict) -> str:
    rows = []
    for q in a["questions"]:
        for w in q["wrong_answers"]:
            shows = "; ".join(_e(m["text"]) for m in w["mistakes"]) or '<span class="note">—</span>'
            as_what = (
                _verdict(next(iter(w["statuses"])))
                if len(w["statuses"]) == 1
                else "<br>".join(f"{n} {_verdict(s)}" for s, n in w["statuses"].items())
            )
            rows.append(
                [
                    escape(q["id"]),
                    f'<pre class="prose">{_e(w["answer"])}</pre>',
                    str(w["count"]),
                    as_what,
                    shows,
                ]
            )
    out = [f'<h3 id="a{i}-wrong">Common wrong answers</h3>']
    if rows:
        out.append(
            _table(
                "The wrong answers most often given, per question "
                "<small>(questions the same for all)</small>",
                ["Q", "answer", "students", "verdict", "the mistake it shows"],
                rows,
                numeric=(2,),
            )
        )
    else:
        out.append('<p class="note">No wrong answer given, or none the same for all.</p>')
    mistakes = [
        [escape(q["id"]), _e(m["text"]), str(m["count"])]
        for q in a["questions"]
        for m in q["common_mistakes"]
    ]
    if mistakes:
        out.append(
            _table(
                "Named mistakes, per question <small>(variants drawn per student included)</small>",
                ["Q", "mistake", "students"],
                mistakes,
                numeric=(2,),
            )
        )
    return "".join(out)


def _parameters(i: int, a: dict) -> str:
    drawn = [q for q in a["questions"] if q["by_parameter"]]
    if not drawn:
        return ""
    out = [
        f'<h3 id="a{i}-drawn">Difficulty by drawn parameter</h3>'
        "<p>Questions drawn per student, their students grouped by each value drawn: how many "
        "got the question right. Arrays drawn cell by cell, and parameters with too many values "
        "in the class, are not grouped.</p>"
    ]
    for j, q in enumerate(drawn):
        groups = [
            (
                p["parameter"],
                [(f"= {v['value']}", v["correct"], v["students"]) for v in p["values"]],
            )
            for p in q["by_parameter"]
        ]
        chart = charts.shares(
            f"a{i}-p{j}",
            groups,
            title=f"Right answers to {q['id']} by drawn value",
            desc="; ".join(
                f"{p['parameter']} {v['value']}: {v['correct']} of {v['students']} right"
                for p in q["by_parameter"]
                for v in p["values"]
            ),
        )
        rows = [
            [
                escape(p["parameter"]),
                escape(v["value"]),
                str(v["students"]),
                f"{v['correct']} {_pct(v['correct'], v['students'])}",
                mean_text(v["mean_score"]),
            ]
            for p in q["by_parameter"]
            for v in p["values"]
        ]
        table = _table(
            f"{escape(q['id'])}: right answers by drawn value",
            ["parameter", "value", "students", "right", "mean points"],
            rows,
            numeric=(2, 3, 4),
        )
        out.append(f"<h4>{escape(q['id'])} <small>({escape(q['kind'])})</small></h4>")
        out.append(f'<div class="fig">{_chart(chart)}{table}</div>')
    return "".join(out)


def _assignment(i: int, a: dict, working: str = "") -> str:
    title = escape(a["id"]) + (f" · {escape(a['title'])}" if a["title"] != a["id"] else "")
    n = a["submissions"]
    return (
        f'<section id="a{i}" aria-labelledby="a{i}-h"><h2 id="a{i}-h">{title}</h2>'
        f"<p>{n} submission{'s' if n != 1 else ''} graded, {a['full_marks']} with full marks; "
        f"mean {mean_text(a['mean_score'])} of {num(a['max_score'])} points.</p>"
        + _distribution(i, a)
        + _questions(i, a)
        + _wrong_answers(i, a)
        + _parameters(i, a)
        + working
        + "</section>"
    )


# ------------------------------------------------------------ what needs a person


def _review(stats: dict) -> str:
    out = ['<section id="review" aria-labelledby="review-h"><h2 id="review-h">Review queue</h2>']

    def part(key: str, heading: str, none: str, caption: str, heads, rows, numeric=()):
        out.append(f'<h3 id="review-{key}">{heading}</h3>')
        out.append(_table(caption, heads, rows, numeric) if rows else f'<p class="note">{none}</p>')

    part(
        "unreadable",
        "Unreadable files",
        "Every file could be graded.",
        "Files that could not be graded, and why",
        ["file", "line", "reason"],
        [
            [_link(e["submission"], _e(e["file"])), str(e["line"] or ""), _e(e["error"])]
            for e in stats["unreadable"]
        ],
        numeric=(1,),
    )
    part(
        "waiting",
        "Waiting for a TA",
        "No answer waits for a TA.",
        "Answers a TA grades or confirms",
        ["student", "assignment", "question", "status", "suggested points"],
        [
            [
                _link(w["submission"], _who(w["student"])),
                _e(w["assignment"]),
                _e(w["question"]),
                _verdict(w["status"]),
                num(w["suggested"]) if w["suggested"] is not None else "",
            ]
            for w in stats["waiting"]
        ],  # fmt: skip
        numeric=(4,),
    )
    part(
        "invalid",
        "Invalid answers",
        "Every answer given could be read.",
        "Answers that could not be read, as written, and why",
        ["student", "assignment", "question", "as written", "why"],
        [
            [
                _link(w["submission"], _who(w["student"])),
                _e(w["assignment"]),
                _e(w["question"]),
                f'<pre class="prose">{_e(w["answer"])}</pre>',
                _e(w["message"]),
            ]
            for w in stats["invalid"]
        ],  # fmt: skip
    )
    part(
        "duplicates",
        "Students graded more than once",
        "No student was graded more than once.",
        "Students with more than one submission (ids compared ignoring case)",
        ["student", "files"],
        [
            [
                _e(d["student"]),
                "<br>".join(_link(n, _e(f)) for n, f in zip(d["submissions"], d["files"])),
            ]
            for d in stats["duplicates"]
        ],  # fmt: skip
    )
    part(
        "roster",
        "Students not on the roster",
        "No student was missing from the roster (or no roster was given).",
        "Submissions whose student the roster does not list",
        ["student", "file", "note"],
        [
            [_link(n["submission"], _who(n["student"])), _e(n["file"]), _e(n["note"])]
            for n in stats["not_on_roster"]
        ],
    )
    out.append("</section>")
    return "".join(out)


# ------------------------------------------------------------ grade --similarity


def _similar(similar: dict) -> str:
    """The pairs whose answers agree more than chance makes likely, strongest first: for a TA to
    look at, never an accusation."""
    from .summary import SIGNALS, chance_text, evidence_line

    out = [
        '<section id="similar" aria-labelledby="similar-h"><h2 id="similar-h">Similar answers'
        "</h2><p>Pairs of students whose answers agree more than the class's own answers make "
        "likely: a signal for a person to look at, never proof of copying. The chance is how "
        f"many pairs of a class this size ({similar['submissions']} submissions) would agree as "
        "much by themselves.</p>"
    ]
    if not similar["pairs"]:
        out.append(
            '<p class="note">No signal: no pair agrees more than chance makes likely '
            f"(pairs are listed from {escape(num(similar['threshold']))} expected by chance)."
            "</p></section>"
        )
        return "".join(out)
    rows = []
    for p in similar["pairs"]:
        (a, b), (fa, fb) = p["students"], p["files"]
        rows.append(
            [
                f"{_e(a)} <span class=note>({_e(fa)})</span><br>"
                f"{_e(b)} <span class=note>({_e(fb)})</span>",
                _e(p["assignment"]),
                escape(chance_text(p["chance"])),
                "".join(_signal(s, SIGNALS, chance_text, evidence_line) for s in p["signals"]),
            ]
        )
    out.append(
        _table(
            "Pairs, strongest signal first",
            ["students", "assignment", "chance", "signals and evidence"],
            rows,
            numeric=(2,),
        )
    )
    for g in similar["groups"]:
        out.append(
            f"<p>Linked together ({_e(g['assignment'])}): "
            + ", ".join(_e(x) for x in g["students"])
            + "</p>"
        )
    out.append("</section>")
    return "".join(out)


def _signal(s: dict, names: dict, chance_text, evidence_line) -> str:
    """One signal of a pair: its kind, its chance, its summary and its evidence."""
    items = "".join(f"<li>{_e(evidence_line(s['kind'], e))}</li>" for e in s["evidence"])
    return (
        f"<p><b>{escape(names[s['kind']])}</b> (chance {escape(chance_text(s['chance']))}): "
        f"{_e(s['summary'])}</p>" + (f"<ul>{items}</ul>" if items else "")
    )


# ------------------------------------------------------------ each submission


MAX_PICTURES = 20_000_000  # characters of pictures drawn per student (their own variants)


class _Page:
    """What rendering every submission shares: values already rendered (a class writes the same
    answers many times over, and each question's expected answer is the same object in every
    report), and the pictures drawn so far."""

    def __init__(self, level: str, explain: bool, worked: dict):
        self.level, self.explain = level, explain
        self.worked = worked  # (assignment id, question id) -> the anchor of its working
        self.memo: dict = {}
        self.pictured = 0

    def value(self, value, wrong=None, channels=None, form=None) -> str:
        key = (id(value), id(wrong), id(form), id(channels))
        if key not in self.memo:  # the objects are kept with their HTML, so no id is reused
            html = _value(value, wrong, channels, form)
            self.memo[key] = (value, wrong, form, channels, html)
        return self.memo[key][-1]

    def picture(self, r) -> str | None:
        if self.pictured > MAX_PICTURES:
            return '<p class="note">Picture left out: the page holds enough pictures.</p>'
        picture = _picture(r)
        self.pictured += len(picture or "")
        return picture


def _value(value, wrong=None, channels=None, form=None) -> str:
    """A value as its form shows it in the terminal (grids aligned, ``*`` after a wrong cell), in
    a ``<pre>``: the wrong parts in ``<mark>`` too; words wrap."""
    from ..forms import form_of

    text = (form or form_of(value)).rich(value, wrong, channels)
    plain = text.plain
    spans = sorted(
        (sp.start, sp.end)
        for sp in text.spans
        if "wrong" in str(sp.style).split() and plain[sp.start : sp.end].strip()
    )  # the wrong cells and their marks, not the spaces between
    merged: list[list[int]] = []
    for start, end in spans:  # a cell and its mark, side by side: one run
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(escape(plain[pos:start]))
        out.append(f"<mark>{escape(plain[start:end])}</mark>")
        pos = end
    out.append(escape(plain[pos:]))
    if text.no_wrap:  # a grid: its columns aligned
        return f"<pre>{''.join(out)}</pre>"
    return f'<div class="prose">{"".join(out)}</div>'  # words: they wrap


def _answer_cell(v, page: _Page) -> str:
    if v.answer is None:
        return '<span class="note">— no answer</span>'
    if not v.readable:
        return f'<pre class="prose">{_e(describe_raw(v.answer))}</pre>'
    return page.value(v.answer, v.wrong, v.channels, v.form)


def _working(r, page: _Page) -> str:
    """The working in words (as ``--explain`` prints it) and, where there is one, its picture."""
    q = r.question
    steps = []
    for step in q.kind.explain(q.params, q.expected):
        shown = ""
        if step.value is not None:
            value = step.value
            channels = getattr(value, "channels", None)
            value = getattr(value, "value", value) if channels is not None else value
            shown = _value(value, None, channels)
        steps.append(f'<li><pre class="prose">{_e(step.text)}</pre>{shown}</li>')
    picture = page.picture(r)
    return f"<ol>{''.join(steps)}</ol>" + (
        f'<div class="picture">{picture}</div>' if picture else ""
    )


def _picture(r) -> str | None:
    """The working as a picture (``pictures.picture_for``), where cnncheck draws one."""
    try:
        from .pictures import picture_for
    except ImportError:
        return None
    try:
        return picture_for(r)
    except Exception as e:  # a picture that cannot be drawn never stops the report
        return f'<p class="note">No picture: {escape(internal_error(e))}</p>'


def _worked_once(outcomes: list, stats: dict, page: _Page) -> dict[str, str]:
    """With ``explain``: the working of each question that is the same for all and that someone
    did not get right, once per assignment (each submission links to it): assignment id -> its
    HTML. Fills ``page.worked``."""
    index = {a["id"]: i for i, a in enumerate(stats["assignments"], start=1)}
    found: dict[str, dict] = {}
    for o in outcomes:
        if not o.ok:
            continue
        for r in o.results:
            q = r.question
            key = (o.assignment.id, q.id)
            if q.random or r.status.done or key in page.worked:
                continue
            if view(r, page.level).level != "full":
                continue
            i = index[safe(o.assignment.id, 200)]
            anchor = f"a{i}-w{list(o.assignment.questions).index(q.id) + 1}"
            page.worked[key] = anchor
            found.setdefault(o.assignment.id, {})[anchor] = r
    out = {}
    for aid, results in found.items():
        i = index[safe(aid, 200)]
        parts = [
            f'<h3 id="a{i}-working">The working</h3><p>Each question someone did not get right, '
            "worked once for the class; every such answer links here.</p>"
        ]
        for anchor, r in sorted(results.items(), key=lambda kv: int(kv[0].split("-w")[1])):
            parts.append(
                f'<h4 id="{anchor}">{_e(r.id)} <small>({escape(r.question.kind.name)})</small></h4>'
                f'<div class="working">{_working(r, page)}</div>'
            )
        out[safe(aid, 200)] = "".join(parts)
    return out


def _submission(n: int, o, page: _Page) -> str:
    if not o.ok:
        line = f", line {o.line}" if o.line else ""
        return (
            f'<section class="submission" id="s{n}" aria-labelledby="s{n}-h">'
            f'<h3 id="s{n}-h">{_e(shown_path(o.path))}: not graded</h3>'
            f"<p>{_verdict('invalid')}{escape(line)}: {_e(o.message)}</p></section>"
        )
    a = o.assignment
    decided = o.max_score - o.pending
    head = f"{_who(o.student)} · {_e(a.id)}: {num(round(o.score, 3))} of {num(decided)} points"
    meta = [f"file {_e(shown_path(o.path))}"]
    if o.pending:
        meta.append(f"{num(o.pending)} more points wait for a TA")
    rows: list = []
    marked = False
    for v, r in zip(views(o, page.level), o.results):
        status = str(v.status) if v.status is not None else None
        notes = []
        for extra in (v.message, v.diagnosis):
            if extra and not (v.answer is None and extra == "no answer"):
                notes.append(f"<p>{_e(safe(extra, 2000))}</p>")
        if v.readable and v.wrong is not None and v.wrong.any():
            marked = True
        expected = "" if v.expected is None else page.value(v.expected, None, v.channels, v.form)
        if expected.startswith("<div") and v.status and v.message:
            expected = ""  # a rubric's ideas: the message names those found and missing
        line = f' <small class="line">line {v.line}</small>' if v.line else ""
        rows.append(
            [
                f"{_e(v.id)}{line}",
                _answer_cell(v, page),
                expected,
                _verdict(status) if status else "",
                f"{num(round(v.score, 3))}/{num(v.max_score)}",
                "".join(notes),
            ]
        )
        if page.explain and v.level == "full" and r.carried_from:
            rows.append(
                f'<div class="working"><p><strong>The working of {_e(r.id)}, carried forward'
                f"</strong> (on this student's own answers)</p><ol>"
                + "".join(
                    f'<li><pre class="prose">{_e(step.text)}</pre></li>'
                    for step in carried_working(r)
                )
                + "</ol></div>"
            )
        if page.explain and v.level == "full" and not r.status.done:
            anchor = page.worked.get((a.id, r.id))
            rows.append(  # below its row, at the table's width
                f'<a href="#{anchor}">The working of {_e(r.id)}</a>, worked once for the class'
                if anchor
                else f'<div class="working"><p><strong>The working of {_e(r.id)}</strong> '
                f"(this student's variant)</p>{_working(r, page)}</div>"
            )
    key = f" <small>({WRONG_MARK} marks a part that is not right)</small>" if marked else ""
    table = _table(
        f"{_who(o.student)}'s answers{key}",
        ["Q", "answer", "expected", "result", "points", "what to look at"],
        rows,
        numeric=(4,),
    )
    notes = "".join(f'<p class="note">note: {_e(safe(t, 2000))}</p>' for t in o.notes)
    return (
        f'<section class="submission" id="s{n}" aria-labelledby="s{n}-h">'
        f'<h3 id="s{n}-h">{head}</h3><p class="note">{"; ".join(meta)}</p>{table}{notes}'
        "</section>"
    )


def _standing(o) -> str:
    if not o.ok:
        return _mark("invalid", "!", "unreadable")
    if o.pending:
        return _verdict("pending")
    if o.full_marks:
        return _mark("correct", "✓", "full marks")
    return _mark("incorrect", "✗", "below full marks")


def _index(outcomes: list) -> str:
    rows = []
    for n, o in enumerate(outcomes, start=1):
        if not o.ok:
            rows.append([str(n), _link(n, _e(shown_path(o.path))), "", "", _standing(o)])
            continue
        rows.append(
            [
                str(n),
                _link(n, _who(o.student)),
                _e(o.assignment.id),
                f"{num(round(o.score, 3))}/{num(o.max_score - o.pending)}",
                _standing(o),
            ]
        )
    return _table(
        "Every submission, in file order <small>(follow a link for its answers)</small>",
        ["#", "student or file", "assignment", "points", "standing"],
        rows,
        numeric=(0, 3),
    )


# ------------------------------------------------------------ the page


def html_report(
    outcomes: list,
    feedback: str | None = None,
    explain: bool = False,
    title: str | None = None,
    similarity: dict | None = None,
) -> str:
    """The class report for ``outcomes`` (``grading.Report`` and ``grading.FileError``, in file
    order) as one HTML page. ``feedback``: what each submission's table reveals (default
    ``full``: the page is for teaching assistants); ``explain``: the working, and its picture
    where cnncheck draws one, under each answer that is not right. ``similarity``: the pairs
    ``similarity.analyse`` lists (grade --similarity), shown in a section of their own."""
    stats = summarize(outcomes)
    level = feedback or "full"
    ids = [a["id"] for a in stats["assignments"]]
    what = "Class report" if len(outcomes) != 1 else "Report"
    title = title or what + (f": {', '.join(ids)}" if ids else "")
    graded = stats["submissions"] - stats["errors"]
    nav = "".join(
        f'<li><a href="#a{i}">{escape(a["id"])}</a></li>'
        for i, a in enumerate(stats["assignments"], start=1)
    )
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1>"
        f"<p>{stats['submissions']} submission{'s' if stats['submissions'] != 1 else ''}: "
        f"{graded} graded, {stats['errors']} unreadable. "
        f'<span class="note">Made by cnncheck {escape(__version__)}.</span></p>'
        f'<nav aria-label="Contents"><ul>{nav}<li><a href="#review">Review queue</a></li>'
        + ('<li><a href="#similar">Similar answers</a></li>' if similarity is not None else "")
        + '<li><a href="#submissions">Submissions</a></li></ul></nav></header><main>'
    ]
    page = _Page(level, explain, {})
    worked = _worked_once(outcomes, stats, page) if explain else {}
    for i, a in enumerate(stats["assignments"], start=1):
        parts.append(_assignment(i, a, worked.get(a["id"], "")))
    parts.append(_review(stats))
    if similarity is not None:
        parts.append(_similar(similarity))
    parts.append(
        '<section id="submissions" aria-labelledby="submissions-h">'
        '<h2 id="submissions-h">Submissions</h2>' + _index(outcomes)
    )
    for n, o in enumerate(outcomes, start=1):
        parts.append(_submission(n, o, page))
    parts.append("</section></main></body></html>\n")
    return "".join(parts)
