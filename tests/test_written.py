"""Written answers scored as a careful TA would: measured against tests/data/written_answers.yaml.

Each entry is a real-looking answer to a text question of the built-in banks with the points a
careful TA gives it (right answers in the course's words and in other words, partial ones, keyword
lists, negations, contradictions, one-word answers). The rubric scores an answer automatically or
sends it to a TA for review (status ``review``). The issue's three figures:

* among answers scored automatically, at least 90% agree with the TA's points;
* none is given credit the TA denies (an automatic score never exceeds the label);
* at most 40% of the answers are deferred to review.

The labelled set was written beside the rubrics, which were tuned on it: these tests hold the
scoring to the issue's figures there, as a regression. Two more sets were labelled blind, without
the rubrics: written_heldout.yaml (its misses were seen once, and one general rule, claims turned
around, was added after) and written_blind2.yaml (never seen before it was measured). Their figures
are the honest ones, printed by ``python tests/test_written.py`` with the answers that disagree;
only what already holds there is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cnncheck.bank import load_bank
from cnncheck.grading import Status, grade_answer
from cnncheck.yamlio import loads

DATA = Path(__file__).resolve().parent / "data" / "written_answers.yaml"
LABELLED = loads(DATA.read_text(encoding="utf-8"))["answers"]
BANK = load_bank()


def question(ref: str):
    assignment, qid = ref.split("/")
    return BANK.get(assignment).questions[qid]


def scored() -> list[tuple[dict, object]]:
    return [
        (entry, grade_answer(question(entry["question"]), entry["answer"])) for entry in LABELLED
    ]


def figures(results) -> dict:
    auto = [(e, r) for e, r in results if not r.status.pending]
    deferred = [(e, r) for e, r in results if r.status is Status.REVIEW]
    agree = [(e, r) for e, r in auto if abs(r.score - e["points"]) < 1e-9]
    over = [(e, r) for e, r in auto if r.score > e["points"] + 1e-9]
    return {
        "answers": len(results),
        "automatic": len(auto),
        "agreement": len(agree) / max(1, len(auto)),
        "over_credited": over,
        "deferred": len(deferred) / max(1, len(results)),
        "disagree": [(e, r) for e, r in auto if (e, r) not in agree],
    }


RESULTS = scored()
FIGURES = figures(RESULTS)
BLIND = {  # labelled without the rubrics; the first was seen once, the second never tuned on
    name: loads((DATA.parent / f"{name}.yaml").read_text(encoding="utf-8"))["answers"]
    for name in ("written_heldout", "written_blind2")
}


@pytest.mark.parametrize("name", sorted(BLIND))
def test_a_blind_set_defers_at_most_forty_percent(name):
    results = [(e, grade_answer(question(e["question"]), e["answer"])) for e in BLIND[name]]
    assert figures(results)["deferred"] <= 0.40


def test_the_labelled_set_is_large_and_covers_every_written_question():
    assert len(LABELLED) >= 100
    for aid in ("cs577-hw4", "cs577-hw5"):
        for qid, q in BANK.get(aid).questions.items():
            if q.kind.name == "text" and q.expected.value is not None:
                assert sum(e["question"] == f"{aid}/{qid}" for e in LABELLED) >= 5, qid


def test_no_answer_is_given_credit_the_ta_denies():
    assert FIGURES["over_credited"] == [], [
        (e["question"], e["answer"][:80], e["points"], r.score) for e, r in FIGURES["over_credited"]
    ]


def test_automatic_scores_agree_with_the_ta():
    assert FIGURES["agreement"] >= 0.90, FIGURES["agreement"]


def test_at_most_forty_percent_go_to_review():
    assert FIGURES["deferred"] <= 0.40, FIGURES["deferred"]


@pytest.mark.parametrize(
    "answer",
    [
        "template similar",
        "template pattern similar dot product filter patch match",
        "Template.",
    ],
)
def test_keywords_never_earn_points_automatically(answer):
    r = grade_answer(question("cs577-hw4/q4"), answer)
    assert r.status in (Status.REVIEW, Status.INCORRECT) and r.score == 0, (r.status, r.message)


def test_negation_earns_nothing():
    r = grade_answer(
        question("cs577-hw4/q6"),
        "It is NOT about abstract features and not about keeping information.",
    )
    assert r.score == 0 and r.status is not Status.CORRECT, r.message


if __name__ == "__main__":
    sets = {"labelled": FIGURES}
    for name, entries in BLIND.items():
        sets[name] = figures(
            [(e, grade_answer(question(e["question"]), e["answer"])) for e in entries]
        )
    for name, f in sets.items():
        print(
            f"{name}: {f['answers']} answers; {f['automatic']} scored automatically; agreement "
            f"{f['agreement']:.1%}; over-credited {len(f['over_credited'])}; deferred "
            f"{f['deferred']:.1%}"
        )
        for e, r in f["disagree"]:
            print(f"- {e['question']} TA {e['points']} auto {r.score:g}: {e['answer'][:110]}")
