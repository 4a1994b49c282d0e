"""JUnit XML: one <testsuite> per submission, one <testcase> per question, a <failure> for anything
not correct.

The shape GitHub's and GitLab's test reporters read: ``testsuites > testsuite >
testcase``, with ``classname`` the assignment and ``name`` the question id.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..forms import num
from ..grading import Status
from .feedback import run_level, views
from .plain import view_lines
from .values import safe, shown_path


def junit_xml(outcomes: list, feedback: str | None = None) -> str:

    root = ET.Element("testsuites", name="cnncheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for o in outcomes:
        if not o.ok:
            path = shown_path(o.path)
            suite = ET.SubElement(
                root,
                "testsuite",
                name=path,
                tests="1",
                failures="0",
                errors="1",
                skipped="0",
                file=path,
            )
            case = ET.SubElement(
                suite, "testcase", classname="cnncheck", name="answer file", file=path
            )
            err = ET.SubElement(case, "error", message=safe(str(o), 500), type="unusable")
            err.text = safe(str(o), 2000)
            totals["tests"] += 1
            totals["errors"] += 1
            continue
        shown = views(o, run_level(o, feedback))
        failures = sum(not r.status.done for r in o.results)
        skipped = sum(r.status.pending for r in o.results)
        path = shown_path(o.path)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=safe(o.student, 500) if o.student else path,
            tests=str(len(shown)),
            failures=str(failures),
            errors="0",
            skipped=str(skipped),
            file=path,
        )
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("assignment", o.assignment.id),
            ("student", o.student or ""),
            ("score", num(round(o.score, 3))),
            ("max_score", num(o.max_score)),
        ):
            ET.SubElement(props, "property", name=name, value=safe(value, 500))
        for v, r in zip(shown, o.results):
            attrs = {"classname": safe(o.assignment.id, 500), "name": safe(v.id, 200), "file": path}
            if v.line:
                attrs["line"] = str(v.line)
            case = ET.SubElement(suite, "testcase", **attrs)
            if r.status.pending:
                ET.SubElement(case, "skipped", message="awaiting manual grading")
            elif r.status is not Status.CORRECT:
                verdict = v.status or f"{num(round(v.score, 3))}/{num(v.max_score)} points"
                fail = ET.SubElement(
                    case, "failure", message=safe(f"{v.id} {verdict}", 500), type=safe(verdict, 100)
                )
                fail.text = "\n".join(safe(line, 1000) for line in view_lines(v, inline=True))
        totals["tests"] += len(shown)
        totals["failures"] += failures
        totals["skipped"] += skipped
    for k, n in totals.items():
        root.set(k, str(n))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
