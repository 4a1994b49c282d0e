"""JUnit XML: one <testsuite> per submission, one <testcase> per question, a <failure> for anything
not correct, <skipped> for an answer waiting for a TA.

Valid against the strict Ant schema (windyroad's ``JUnit.xsd``: every suite has ``name``,
``timestamp`` without a zone, ``hostname``, ``tests``, ``failures``, ``errors``, ``time``, ``id``
and ``package``, then ``properties``, the test cases, ``system-out`` and ``system-err``; each case
``classname``, ``name`` and ``time``) and so against the lenient ones. Suites are named by file,
``classname`` is the assignment, ``name`` the question id: GitLab keys each test by suite, class
and name, so no two submissions' tests collapse into one. ``time`` is how long grading took, so
reporters that add it up (one shows ``NaNms`` without it) show a real duration.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from ..forms import num
from .feedback import run_level, views
from .plain import view_lines
from .values import safe, shown_path


def _seconds(x: float) -> str:
    return f"{x:.6f}"


def _suite(root, index: int, name: str, stamp: str, **counts):
    """A <testsuite> with every attribute the strict schema asks of one inside <testsuites>."""
    return ET.SubElement(
        root,
        "testsuite",
        name=name,
        tests=str(counts["tests"]),
        failures=str(counts["failures"]),
        errors=str(counts["errors"]),
        skipped=str(counts["skipped"]),
        time=_seconds(counts["time"]),
        timestamp=stamp,
        hostname="localhost",
        id=str(index),
        package="cnncheck",
    )


def _close(suite, out: str = "") -> None:
    ET.SubElement(suite, "system-out").text = out or None
    ET.SubElement(suite, "system-err")


def junit_xml(outcomes: list, feedback: str | None = None, now: datetime | None = None) -> str:

    stamp = (now or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S")  # local time, no zone
    root = ET.Element("testsuites")  # the strict schema gives it no attributes
    for index, o in enumerate(outcomes):
        path = shown_path(o.path)
        if not o.ok:
            suite = _suite(
                root, index, path, stamp, tests=1, failures=0, errors=1, skipped=0, time=0.0
            )
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="file", value=path)
            case = ET.SubElement(
                suite, "testcase", classname="cnncheck", name="answer file", time=_seconds(0)
            )
            err = ET.SubElement(case, "error", message=safe(str(o), 500), type="unusable")
            err.text = safe(str(o), 2000)
            _close(suite)
            continue
        shown = views(o, run_level(o, feedback))
        failures = sum(not r.done for r in o.results)
        skipped = sum(r.status.pending for r in o.results)
        seconds = sum(r.seconds for r in o.results)
        # named by file: GitLab keys a test by suite, class and name, so two files saying the
        # same student: must not share a suite name
        suite = _suite(
            root,
            index,
            path,
            stamp,
            tests=len(shown),
            failures=failures,
            errors=0,
            skipped=skipped,
            time=seconds,
        )
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("file", path),
            ("assignment", o.assignment.id),
            ("student", o.student or ""),
            ("score", num(round(o.score, 3))),
            ("max_score", num(o.max_score)),
            ("pending", num(round(o.pending, 3))),
        ):
            ET.SubElement(props, "property", name=name, value=safe(value, 500))
        for v, r in zip(shown, o.results):
            case = ET.SubElement(
                suite,
                "testcase",
                classname=safe(o.assignment.id, 500),
                name=safe(v.id, 200),
                time=_seconds(r.seconds),
            )
            where = f" (line {v.line})" if v.line else ""
            if r.status.pending:
                ET.SubElement(case, "skipped", message=f"awaiting a TA's points{where}")
            elif not r.done:  # wrong, or right by carrying forward with less than its points
                verdict = v.status or f"{num(round(v.score, 3))}/{num(v.max_score)} points"
                if v.carried_from:
                    verdict = (
                        f"carried forward from {v.carried_from}: "
                        f"{num(round(v.score, 3))}/{num(v.max_score)} points"
                    )
                fail = ET.SubElement(
                    case,
                    "failure",
                    message=safe(f"{v.id} {verdict}{where}", 500),
                    type=safe(verdict, 100),
                )
                fail.text = "\n".join(safe(line, 1000) for line in view_lines(v, inline=True))
        # a passing test has no message of its own: the answers credited by carrying forward
        # are said here
        carried = [
            f"{safe(v.id, 200)}: {safe(v.message, 500)}"
            for v, r in zip(shown, o.results)
            if r.done and v.carried_from and v.message
        ]
        _close(suite, "\n".join(carried))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
