"""Class statistics: per question, how many answered and got it right, partly right, wrong,
unreadable, missing or waiting for a TA, the mean points, the most common wrong answers and named
mistakes, and for a question drawn per student how each drawn value fared; for the class, the
score distribution and what needs a person (unreadable files, answers waiting for a TA, invalid
answers, students graded twice or not on the roster). For teaching assistants: answers are shown
in full.

Results are grouped by question id, whatever each student's variant: counts, means and named
mistakes add up across variants; wrong answers are pooled only for questions that are the same for
all. The HTML class report (``html.py``) shows these same numbers.
"""

from __future__ import annotations

import math
from collections import Counter

from ..forms import num
from ..grading import Status
from ..kinds.teaching import MISTAKES
from .plain import value_text
from .values import describe_raw, mean_text, safe, shown_path

TOP = 3  # common wrong answers and mistakes in the table (and the JSON's first keys)
WRONG_TOP = 5  # wrong answers in ``wrong_answers`` (each with the mistakes it shows)
MAX_VALUES = 24  # a drawn parameter with more distinct values in the class is not grouped
UNIT_BARS = 30  # up to this many points: one histogram bar per whole point
BARS = 10  # past it: ten bars of equal width
NOT_ON_ROSTER = "not on the roster"  # the words of the note a roster adds (roster.who_is_graded)
# the verdicts a question's counts are split into, in the order reports show them
SHARES = ("correct", "partial", "incorrect", "invalid", "missing", "pending")
_WRONG = (Status.INCORRECT, Status.INVALID, Status.PARTIAL)


def _key(r) -> str:
    if not r.readable:
        return describe_raw(r.answer)
    return value_text(
        r.answer, r.question.expected.channels, inline=True, form=r.question.kind.form
    )


def share_of(status: Status) -> str:
    """The column of :data:`SHARES` a verdict is counted in."""
    return "pending" if status.pending else status.value


def summarize(outcomes: list) -> dict:
    """Everything the summary and the HTML class report show, as JSON-ready data. Ids, answers
    and file names are made safe (:func:`safe`); counts are as they are."""
    by_assignment: dict[str, list] = {}
    for o in outcomes:
        if o.ok:
            by_assignment.setdefault(o.assignment.id, []).append(o)
    out = {
        "submissions": len(outcomes),
        "errors": sum(not o.ok for o in outcomes),
        "assignments": [],
        # each entry's "submission": where it stands in the run (1: the first file)
        "unreadable": [_unreadable(n, o) for n, o in enumerate(outcomes, 1) if not o.ok],
        "duplicates": duplicates(outcomes),
        "not_on_roster": [
            {"submission": n, "student": _who(o), "file": shown_path(o.path), "note": safe(t, 300)}
            for n, o in enumerate(outcomes, 1)
            if o.ok
            for t in o.notes
            if NOT_ON_ROSTER in t
        ],
        "waiting": [],  # answers a TA grades or confirms
        "invalid": [],  # answers that could not be read
    }
    for n, o in enumerate(outcomes, 1):
        if not o.ok:
            continue
        for r in o.results:
            where = {
                "submission": n,
                "file": shown_path(o.path),
                "student": _who(o),
                "assignment": safe(o.assignment.id, 200),
                "question": safe(r.id, 200),
            }
            if r.status.pending:
                out["waiting"].append({**where, "status": r.status.value, "suggested": r.suggested})
            elif r.status is Status.INVALID:
                out["invalid"].append(
                    {**where, "answer": describe_raw(r.answer), "message": safe(r.message, 300)}
                )
    for aid in sorted(by_assignment):
        out["assignments"].append(_assignment(by_assignment[aid]))
    return out


def _who(o) -> str | None:
    return safe(o.student, 200) if o.student else None


def _unreadable(n: int, e) -> dict:
    return {
        "submission": n,
        "file": shown_path(e.path),
        "error": safe(e.message, 2000),
        "line": e.line,
    }


def duplicates(outcomes: list) -> list[dict]:
    """Students graded more than once (ids compared ignoring case), with their files in order."""
    files: dict[str, list] = {}
    for n, o in enumerate(outcomes, 1):
        if o.ok and o.student:
            files.setdefault(o.student.casefold(), []).append((n, o))
    return [
        {
            "student": safe(same[0][1].student, 200),
            "files": [shown_path(o.path) for _, o in same],
            "submissions": [n for n, _ in same],
        }
        for same in files.values()
        if len(same) > 1
    ]


def _assignment(reports: list) -> dict:
    a = reports[0].assignment
    by_id = [{r.id: r for r in rep.results} for rep in reports]
    questions = []
    for qid, q in a.questions.items():
        results = [rs[qid] for rs in by_id if qid in rs]
        if not results:  # a run narrowed to other questions (grade --question)
            continue
        counts = Counter(share_of(r.status) for r in results)
        # one student's numbers mean nothing beside another's: wrong answers pooled only when
        # the question is the same for all
        wrong: dict[str, list] = {}
        if not q.random:
            for r in results:
                if r.status in _WRONG:
                    wrong.setdefault(_key(r), []).append(r)
        mistakes = Counter(m for r in results for m in r.mistakes)
        top_wrong = sorted(wrong.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        questions.append(
            {
                "id": safe(qid, 200),
                "kind": q.kind.name,
                "differs_per_student": q.random,
                "answered": sum(r.status is not Status.MISSING for r in results),
                **{name: counts[name] for name in SHARES},
                "mean_score": round(sum(r.score for r in results) / len(results), 4),
                "max_score": q.points,
                # answers credited by error carried forward (right for the student's own
                # upstream answer or rows)
                "carried_forward": sum(bool(r.carried_from) and r.score > 0 for r in results),
                "common_wrong_answers": [
                    {"answer": k, "count": len(rs)} for k, rs in top_wrong[:TOP]
                ],
                "common_mistakes": [
                    {"mistake": k, "text": MISTAKES[k], "count": n} for k, n in _top(mistakes)
                ],
                "wrong_answers": [_wrong_answer(k, rs) for k, rs in top_wrong[:WRONG_TOP]],
                # how each drawn value fared, once someone answered
                "by_parameter": by_parameter(results)
                if q.random and counts["missing"] < len(results)
                else [],
            }
        )
    scores = [rep.score for rep in reports]
    max_score = max(rep.max_score for rep in reports)  # the assignment's, or the questions graded
    return {
        "id": safe(a.id, 200),
        "title": safe(a.title, 200),
        "submissions": len(reports),
        "full_marks": sum(rep.full_marks for rep in reports),
        "mean_score": round(sum(scores) / len(scores), 4),
        "max_score": max_score,
        "score_histogram": histogram(scores, max_score),
        "questions": questions,
    }


def _wrong_answer(key: str, results: list) -> dict:
    """A wrong answer many gave: how many, as what verdicts, and the mistakes it shows."""
    statuses = Counter(r.status.value for r in results)
    shown = list(dict.fromkeys(m for r in results for m in r.mistakes))
    return {
        "answer": key,
        "count": len(results),
        "statuses": dict(sorted(statuses.items())),
        "mistakes": [{"mistake": m, "text": MISTAKES[m]} for m in shown],
    }


def _top(counter: Counter) -> list:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]


# ------------------------------------------------------------ the score distribution


def histogram(scores: list[float], max_score: float) -> list[dict]:
    """Submissions per score: a bar per whole point up to :data:`UNIT_BARS` points (bar ``k``:
    ``k <= score < k + 1``, the last bar full marks), else :data:`BARS` bars of equal width
    (``from <= score < to``, the last bar with its ``to``). Every score falls in one bar."""
    if max_score <= 0:
        return [{"from": 0, "to": 0, "label": "0", "count": len(scores)}]
    if max_score <= UNIT_BARS:
        top = math.floor(max_score + 1e-9)
        bars = [(k, min(k + 1, max_score)) for k in range(top + 1)]
        labels = [num(lo) for lo, _ in bars]
    else:
        width = max_score / BARS
        bars = [(width * i, width * (i + 1) if i < BARS - 1 else max_score) for i in range(BARS)]
        labels = [f"{num(round(lo, 2))}–{num(round(hi, 2))}" for lo, hi in bars]
    counts = [0] * len(bars)
    for s in scores:
        counts[_bar(s, bars)] += 1
    return [
        {"from": _round(lo), "to": _round(hi), "label": label, "count": n}
        for (lo, hi), label, n in zip(bars, labels, counts)
    ]


def _bar(score: float, bars: list) -> int:
    for i, (_, hi) in enumerate(bars[:-1]):
        if score < hi - 1e-9:
            return i
    return len(bars) - 1


def _round(x: float):
    x = round(x, 4)
    return int(x) if x == int(x) else x


# ------------------------------------------------------------ drawn parameters


def drawn_parameters(q) -> dict[str, object]:
    """The values drawn for a student's variant of ``q``, by path (``stride``, ``layer.kernel``,
    ``input_shape.2``): numbers, words and short rows of them; arrays drawn cell by cell are
    left out. Empty for a question that is the same for all."""
    if not q.random or not _grouped_draws(q.template):
        return {}
    drawn = getattr(q, "drawn", None)  # kept by the bank when it poses a variant
    if drawn is None:
        drawn = _redraw(q)
    out: dict[str, object] = {}
    _walk(q.template, drawn, "", out)
    return out


def _redraw(q) -> dict:
    """The definition of ``q``'s variant with its draws resolved: the bank's first well-posed
    draw for the student, drawn again."""
    from .. import variants
    from ..bank import solve

    convention = getattr(q.params, "convention", "cross-correlation")
    for attempt in range(variants.ATTEMPTS):
        stream = variants.Stream(q.assignment, q.id, q.student or "", str(attempt))
        try:
            d = variants.resolve(q.template, stream)
            solve(q.kind, d, q.template.get("convention", convention))
        except ValueError:
            continue
        return d
    return {}


def _grouped_draws(template) -> bool:
    """Whether a definition draws anything but arrays cell by cell (a choice, a range)."""
    from ..variants import is_draw

    if is_draw(template):
        return "random" not in template
    if isinstance(template, dict):
        return any(_grouped_draws(v) for v in template.values())
    if isinstance(template, list):
        return any(_grouped_draws(v) for v in template)
    return False


def _walk(template, value, path: str, out: dict) -> None:
    from ..variants import has_draws, is_draw

    if is_draw(template):
        if "random" not in template and _groupable(value):
            out[path] = value
        return
    if isinstance(template, dict) and isinstance(value, dict):
        for k, t in template.items():
            if k in value and has_draws(t):
                _walk(t, value[k], f"{path}.{k}" if path else str(k), out)
    elif isinstance(template, list) and isinstance(value, list) and len(template) == len(value):
        for i, (t, v) in enumerate(zip(template, value)):
            if has_draws(t):
                _walk(t, v, f"{path}.{i + 1}" if path else str(i + 1), out)


def _groupable(v) -> bool:
    scalar = (int, float, str, bool)
    return isinstance(v, scalar) or (
        isinstance(v, list) and len(v) <= 4 and all(isinstance(x, scalar) for x in v)
    )


def _value_text(v) -> str:
    if isinstance(v, list):
        return "×".join(_value_text(x) for x in v)
    if isinstance(v, bool):
        return str(v).lower()
    return num(v) if isinstance(v, (int, float)) else safe(v, 60)


def by_parameter(results: list) -> list[dict]:
    """For a question drawn per student: each drawn parameter, and per value drawn in the class
    how many drew it, how many got the question right, and their mean points. Parameters drawn
    the same for the whole class, or with more than :data:`MAX_VALUES` values, are left out."""
    groups: dict[str, dict[str, list]] = {}
    order: dict[str, dict[str, tuple]] = {}
    for r in results:
        for name, v in drawn_parameters(r.question).items():
            shown = _value_text(v)
            groups.setdefault(name, {}).setdefault(shown, []).append(r)
            order.setdefault(name, {})[shown] = _sort_key(v)
    out = []
    for name, values in groups.items():
        if not 2 <= len(values) <= MAX_VALUES:
            continue
        rows = []
        for shown in sorted(values, key=lambda s: order[name][s]):
            rs = values[shown]
            rows.append(
                {
                    "value": shown,
                    "students": len(rs),
                    "correct": sum(r.status is Status.CORRECT for r in rs),
                    "mean_score": round(sum(r.score for r in rs) / len(rs), 4),
                }
            )
        out.append({"parameter": safe(name, 200), "values": rows})
    return out


def _sort_key(v) -> tuple:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return (0, (float(v),), "")
    if isinstance(v, list) and all(isinstance(x, (int, float)) for x in v):
        return (0, tuple(float(x) for x in v), "")
    return (1, (), str(v))


# ------------------------------------------------------------ the terminal's summary


def summary_view(summary: dict):
    """The summary for a terminal of 80 columns: per assignment a table of counts (one row per
    question), the common wrong answers and mistakes and the drawn values below it at full width,
    then what needs a person."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list = [Text(f"{summary['submissions']} submissions, {summary['errors']} unreadable")]
    for a in summary["assignments"]:
        title = Text(
            f"{safe(a['id'], 200)}: {a['submissions']} graded, {a['full_marks']} with full marks, "
            f"mean {mean_text(a['mean_score'])}/{num(a['max_score'])}"
        )
        t = Table(
            title=title,
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
        )
        t.add_column("Q", no_wrap=True)
        for name in ("answered", *(_HEADS.get(k, k) for k in SHARES)):
            t.add_column(name, justify="right", no_wrap=True)
        t.add_column("mean", justify="right", no_wrap=True)
        for q in a["questions"]:
            t.add_row(
                Text(safe(q["id"], 200)),
                str(q["answered"]),
                *(str(q[k]) for k in SHARES),
                f"{mean_text(q['mean_score'])}/{num(q['max_score'])}",
            )
        parts.append(t)
        carried = [q for q in a["questions"] if q["carried_forward"]]
        if carried:  # a line below the table, which keeps to 80 columns
            parts.append(
                Text(
                    "Credited by carrying forward (among the correct): "
                    + ", ".join(f"{safe(q['id'], 200)} {q['carried_forward']}" for q in carried)
                )
            )
        parts += _below(a)
    parts += _review_lines(summary)
    if summary.get("similarity") is not None:  # grade --similarity: for the TA only
        parts += [Text(""), *map(_hanging, similarity_lines(summary["similarity"]))]
    return Group(*parts)


_HEADS = {"correct": "correct", "incorrect": "wrong", "pending": "waiting"}


def _below(a: dict) -> list:
    """Per question, the most common wrong answers (and the mistakes they show), the mistakes
    named in variants drawn per student, and how each drawn value fared: a line each."""
    from rich.table import Table
    from rich.text import Text

    out = []
    wrong = Table.grid(padding=(0, 2))
    wrong.add_column(no_wrap=True)
    wrong.add_column()
    for q in a["questions"]:
        qid = Text(safe(q["id"], 200))
        for w in q["common_wrong_answers"]:
            shows = next(
                (x["mistakes"] for x in q["wrong_answers"] if x["answer"] == w["answer"]), []
            )
            line = Text(f"{w['count']}× {safe(w['answer'], 60)}")
            if shows:
                line.append(" (" + "; ".join(m["text"] for m in shows) + ")", style="dim")
            wrong.add_row(qid, line)
            qid = Text("")
        if q["differs_per_student"]:
            for m in q["common_mistakes"]:
                wrong.add_row(qid, Text(f"{m['count']}× {m['text']}"))
                qid = Text("")
    if wrong.row_count:
        out += [Text(""), Text("The most common wrong answers, and the mistakes they show:"), wrong]
    drawn = Table.grid(padding=(0, 2))
    drawn.add_column(no_wrap=True)
    drawn.add_column()
    for q in a["questions"]:
        for p in q["by_parameter"]:
            values = " · ".join(
                f"{v['value']}: {v['correct']}/{v['students']}" for v in p["values"]
            )
            drawn.add_row(Text(safe(q["id"], 200)), Text(f"{p['parameter']} {values}"))
    if drawn.row_count:
        out += [Text(""), Text("Right answers by drawn value (right/students):"), drawn]
    return out


MAX_LISTED = 5  # files named per duplicate student


def _review_lines(summary: dict) -> list:
    """What needs a person, below the tables: every unreadable file by name with its reason,
    students graded twice or not on the roster, and the answers waiting or unreadable, counted
    per question."""
    from rich.text import Text

    lines: list = [Text("")]
    if summary["unreadable"]:
        lines.append(Text("Unreadable files:"))
        for e in summary["unreadable"]:
            where = f"{e['file']}:{e['line']}" if e["line"] else e["file"]
            lines.append(Text(f"  {where}: {e['error']}"))
    if summary["duplicates"]:
        lines.append(Text("Graded more than once:"))
        for d in summary["duplicates"]:
            files = d["files"]
            more = f" and {len(files) - MAX_LISTED} more" if len(files) > MAX_LISTED else ""
            lines.append(Text(f"  {d['student']}: {', '.join(files[:MAX_LISTED])}{more}"))
    if summary["not_on_roster"]:
        lines.append(Text("Not on the roster:"))
        for n in summary["not_on_roster"]:
            lines.append(Text(f"  {n['file']}: {n['note']}"))
    for key, what in (("waiting", "waiting for a TA"), ("invalid", "that could not be read")):
        if summary[key]:
            per = Counter((w["assignment"], w["question"]) for w in summary[key])
            counted = ", ".join(f"{aid} {qid} ×{n}" for (aid, qid), n in per.items())
            many = len(summary[key])
            lines.append(Text(f"{many} answer{'s' if many != 1 else ''} {what}: {counted}"))
    return lines if len(lines) > 1 else []


# ------------------------------------------------------------ grade --similarity


def _hanging(line: str):
    """A line of the list, wrapped under its own indent (evidence stays under its signal)."""
    from rich.padding import Padding
    from rich.text import Text

    body = line.lstrip(" ")
    indent = len(line) - len(body)
    return Padding(Text(body), (0, 0, 0, indent), expand=False) if indent else Text(line)


SIGNALS = {
    "variant": "another student's variant",
    "wrong": "rare wrong answers in common",
    "file": "files written alike",
    "wording": "written answers worded alike",
}


def similarity_lines(similar: dict) -> list[str]:
    """The pairs ``similarity.analyse`` lists, strongest first, as lines of text: each pair, the
    chance of it by itself, and per signal its chance and evidence. For a person to look at."""
    n, pairs = similar["submissions"], similar["pairs"]
    head = "Similar answers, for a person to look at (a signal, never proof of copying)"
    if not pairs:
        return [
            f"{head}: no signal. No pair of the {n} submissions agrees more than chance makes "
            f"likely (listed from {num(similar['threshold'])} such pairs expected by chance)."
        ]
    lines = [
        f"{head}: {len(pairs)} pair{'s' if len(pairs) != 1 else ''}. The chance is how many "
        f"pairs of a class this size would agree as much by themselves ({n} submissions)."
    ]
    for i, p in enumerate(pairs, 1):
        (a, b), (fa, fb) = p["students"], p["files"]
        lines.append(
            f"{i}. {a} ({fa}) and {b} ({fb}), {p['assignment']}: chance {chance_text(p['chance'])}"
        )
        for s in p["signals"]:
            said = f"{SIGNALS[s['kind']]} (chance {chance_text(s['chance'])})"
            lines.append(f"   {said}: {s['summary']}")
            lines += ["     " + evidence_line(s["kind"], e) for e in s["evidence"]]
    for g in similar["groups"]:
        lines.append(f"Linked together ({g['assignment']}): " + ", ".join(g["students"]))
    return lines


def chance_text(x: float) -> str:
    return "< 1e-300" if x == 0 else f"{x:.2g}"


def evidence_line(kind: str, e: dict) -> str:
    """One line of a signal's evidence."""
    if kind == "wrong":
        where = ", another variant" if e.get("variants_differ") else ""
        return (
            f"{e['question']}: {safe(e['answer'], 80)} ({e['count']} of the class's "
            f"{e['wrong']} wrong answers{where})"
        )
    if kind == "variant":
        return (
            f"{e['question']}: {e['answered_by']} answered {safe(e['answer'], 60)}, right for "
            f"{e['variant_of']}'s variant; their own is {safe(e['own'], 60)}"
        )
    if kind == "file":
        return (
            f"{e['question']}: written the same way (as {round(100 * e['share'])}% of the others "
            "with this answer write it)"
        )
    phrases = "; ".join(f"'{safe(p, 60)}'" for p in e["phrases"])
    return f"{e['question']}: {round(100 * e['jaccard'])}% of phrases the same: {phrases}"
