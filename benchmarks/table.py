"""The terminal table at 80 columns without colour: its lines, its widest line, its render time.

    python benchmarks/table.py [--runs N]

On the example (``answers.example.yaml``) and on a 30-question assignment built from the built-in
banks' questions, half answered right and half with a classic mistake (or in words). Each file
is graded once; the table is then rendered N times into an 80-column console without colour,
as a CI log or a pipe gets it, and the median render time is printed beside the lines.
Run it on two checkouts (``PYTHONPATH=path/to/other python benchmarks/table.py``) to compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = "Because padding keeps the size and the filter is a template that matches similar patches."


def thirty_questions(folder: Path) -> tuple[Path, Path]:
    """A bank with one 30-question assignment, and an answer file for it."""
    import yaml

    from cnncheck.bank import load_bank

    bank = load_bank()
    questions, answers = {}, {}
    docs = {}
    for path in sorted((ROOT / "questions").glob("*.yaml")):
        docs.update({path.stem: yaml.safe_load(path.read_text())})
    for name, doc in docs.items():
        for qid, q in doc["questions"].items():
            questions[f"{name[-3:]}{qid}"] = q
    for i, qid in enumerate(list(questions)[:4]):
        questions[f"again{i}"] = questions[qid]
    questions = dict(list(questions.items())[:30])
    bank_path = folder / "bank.yaml"
    bank_path.write_text(yaml.safe_dump({"assignment": "thirty", "questions": questions}))
    a = load_bank(bank_path).get("thirty")
    for i, (qid, q) in enumerate(a.questions.items()):
        value = q.expected.value
        if q.kind.name == "text":
            answers[qid] = WORDS
            continue
        if i % 2 and q.mistake_answers:
            value = q.mistake_answers[0].value
        answers[qid] = q.kind.form.text(value, q.expected.channels)
    del bank
    answer_path = folder / "answers.yaml"
    answer_path.write_text(yaml.safe_dump({"assignment": "thirty", "answers": answers}))
    return bank_path, answer_path


def measure(bank_path, answer_path, runs: int) -> tuple[int, int, float]:
    from rich.console import Console

    from cnncheck.bank import load_bank
    from cnncheck.batch import grade_file
    from cnncheck.report.render import render

    report = grade_file(load_bank(bank_path), str(answer_path))
    times, text = [], ""
    for _ in range(runs):
        console = Console(width=80, no_color=True, color_system=None, record=True, file=None)
        t = time.perf_counter()
        with console.capture() as capture:
            console.print(render([report], "table"))
        times.append(time.perf_counter() - t)
        text = capture.get()
    lines = text.rstrip("\n").split("\n")
    return len(lines), max(len(line) for line in lines), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bank30, answers30 = thirty_questions(Path(tmp))
        for name, bank, answers in (
            ("example (12 questions)", None, ROOT / "answers.example.yaml"),
            ("30 questions", bank30, answers30),
        ):
            lines, widest, seconds = measure(bank, answers, args.runs)
            print(
                f"{name:24} {lines:4} lines, widest {widest:3} columns, "
                f"render {seconds * 1e3:6.1f} ms (median of {args.runs})"
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
