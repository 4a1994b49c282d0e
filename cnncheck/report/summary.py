"""Class statistics: per question, how many answered and got it right, the mean points, and the most
common wrong answers and named mistakes. For teaching assistants: answers are shown in full.

Results are grouped by question id, whatever each student's variant: counts, means and named
mistakes add up across variants; wrong answers are pooled only for questions that are the same for
all."""

from __future__ import annotations

from collections import Counter

from ..forms import num
from ..grading import Status
from ..kinds.teaching import MISTAKES
from .plain import value_text
from .values import describe_raw, safe

TOP = 3


def _key(r) -> str:
    if not r.readable:
        return describe_raw(r.answer)
    return value_text(
        r.answer, r.question.expected.channels, inline=True, form=r.question.kind.form
    )


def summarize(outcomes: list) -> dict:

    by_assignment: dict[str, list] = {}
    for o in outcomes:
        if o.ok:
            by_assignment.setdefault(o.assignment.id, []).append(o)
    out = {
        "submissions": len(outcomes),
        "errors": sum(not o.ok for o in outcomes),
        "assignments": [],
    }
    for aid in sorted(by_assignment):  # ids and answers shown safe; counts as they are
        reports = by_assignment[aid]
        a = reports[0].assignment
        questions = []
        for qid, q in a.questions.items():
            results = [next(r for r in rep.results if r.id == qid) for rep in reports]
            wrong = Counter(
                _key(r)
                for r in results
                if r.status in (Status.INCORRECT, Status.INVALID, Status.PARTIAL) and not q.random
            )  # one student's numbers mean nothing beside another's
            mistakes = Counter(m for r in results for m in r.mistakes)
            questions.append(
                {
                    "id": safe(qid, 200),
                    "kind": q.kind.name,
                    "differs_per_student": q.random,
                    "answered": sum(r.status is not Status.MISSING for r in results),
                    "correct": sum(r.status is Status.CORRECT for r in results),
                    "partial": sum(r.status is Status.PARTIAL for r in results),
                    "mean_score": round(sum(r.score for r in results) / len(results), 4),
                    "max_score": q.points,
                    "common_wrong_answers": [{"answer": k, "count": n} for k, n in _top(wrong)],
                    "common_mistakes": [
                        {"mistake": k, "text": MISTAKES[k], "count": n} for k, n in _top(mistakes)
                    ],
                }
            )
        scores = [rep.score for rep in reports]
        out["assignments"].append(
            {
                "id": safe(aid, 200),
                "submissions": len(reports),
                "full_marks": sum(rep.full_marks for rep in reports),
                "mean_score": round(sum(scores) / len(scores), 4),
                "max_score": a.max_score,
                "questions": questions,
            }
        )
    return out


def _top(counter: Counter) -> list:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]


def summary_view(summary: dict):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts = [Text(f"{summary['submissions']} submissions, {summary['errors']} unreadable")]
    for a in summary["assignments"]:
        title = Text(
            f"{safe(a['id'], 200)}: {a['submissions']} graded, {a['full_marks']} with full marks, "
            f"mean {num(a['mean_score'])}/{num(a['max_score'])}"
        )
        t = Table(title=title, title_justify="left", show_lines=True)
        for name, justify in (
            ("Q", "left"),
            ("answered", "right"),
            ("correct", "right"),
            ("mean", "right"),
            ("most common wrong answers", "left"),
            ("most common mistakes", "left"),
        ):
            t.add_column(name, justify=justify)
        for q in a["questions"]:
            wrong = "\n".join(
                f"{w['count']}× {w['answer'][:60]}" for w in q["common_wrong_answers"]
            )
            mistakes = "\n".join(f"{m['count']}× {m['text']}" for m in q["common_mistakes"])
            t.add_row(
                Text(safe(q["id"], 200)),
                str(q["answered"]),
                str(q["correct"]),
                f"{num(q['mean_score'])}/{num(q['max_score'])}",
                Text(wrong),
                Text(mistakes),
            )
        parts.append(t)
    return Group(*parts)
