"""examples/github-actions and examples/gitlab-ci run as GitHub's and GitLab's runners run them.

GitHub Actions, reproduced from github/docs (docs.github.com/en/actions/reference/workflows-and-
actions/: workflow-syntax, contexts, variables, expressions, workflow-commands) and from
actions/runner's source (read at 258d6c8):

* each ``run:`` is written to a script and run as ``bash --noprofile --norc -eo pipefail {0}``
  when the shell is ``bash`` and ``bash -e {0}`` when none is given (workflow-syntax.md,
  ``jobs.<job_id>.steps[*].shell``; ``ScriptHandlerHelpers.cs``), in GITHUB_WORKSPACE;
* the environment is the runner's default variables (variables.md, "Default environment
  variables"; "If you attempt to override the value of one of these default variables, the
  assignment is ignored") with the workflow's, the job's and the step's ``env:`` and what earlier
  steps wrote to GITHUB_ENV (``FileCommandManager.cs``): nothing else. GITHUB_STEP_SUMMARY,
  GITHUB_OUTPUT and GITHUB_ENV are new files for each step;
* ``${{ }}`` is evaluated for the contexts each key may use (contexts.md, "Context
  availability"): ``vars`` and ``secrets`` are "an empty string" when not set (contexts.md;
  "Using secrets in GitHub Actions"), ``env``, ``steps`` and the status functions. Any other
  context (``github``, ``runner``, ...) fails the test: the workflow must work from what it sets;
* a step's ``if:`` gets ``success() &&`` unless it calls a status function (expressions.md);
* workflow commands are parsed as ``ActionCommand.TryParseV2`` parses them (``::name k=v,...::
  data``, its unescaping of ``%25 %0D %0A`` and, in properties, ``%3A %2C``); GitHub shows 10
  error, 10 warning and 10 notice annotations per step (``ExecutionContext.cs``
  ``_maxCountPerIssueType = 10``; actions/toolkit docs/problem-matchers.md) and drops a step's
  summary over 1 MiB (``CreateStepSummaryCommand.AttachmentSizeLimit``).

``uses:`` steps (checkout, setup-python) are not run; the test checks which actions they name.
``python -m pip install`` is answered by a stand-in that records what would be installed, and
``cnncheck`` on PATH runs this checkout.

GitLab CI, reproduced from gitlabhq/gitlabhq's docs (doc/ci/yaml/script.md, doc/ci/variables/,
doc/ci/testing/unit_test_reports.md, doc/ci/yaml/artifacts_reports.md) and gitlab-runner's
``shells/bash.go`` and ``shells/abstract.go``: the job's ``before_script`` and ``script`` lines run
in one bash, each echoed as ``$ line``, under ``set -o pipefail; set -o errexit`` inside
``: | eval '...'`` (``BashWriter.Finish``), so the first command that fails ends the job; the
environment is GitLab's predefined variables plus the file's and the project's variables; a
File-type variable is the path of a temporary file holding its value. ``artifacts: when: always``
keeps the report of a failed job. report.xml is then read as GitLab's
``lib/gitlab/ci/parsers/test/junit.rb`` reads it, and checked against the rules of the strict
JUnit schema (windyroad/JUnit-Schema ``JUnit.xsd``).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB_EXAMPLE = ROOT / "examples" / "github-actions"
WORKFLOW = Path(".github") / "workflows" / "cnncheck.yml"
GITLAB_EXAMPLE = ROOT / "examples" / "gitlab-ci"
BANK = ROOT / "questions" / "cs577-hw4.yaml"
FULL_MARKS = ROOT / "tests" / "data" / "full_marks.yaml"
FAILED = {"q3", "q5", "q6", "q8", "q12"}  # the example's answers that are not right
SPEC = "cnncheck @ git+https://git.example.edu/course/cnncheck.git@v1"


def require_tools(*names: str) -> None:
    """The runners' own tools (bash, and curl on GitHub's images), taken from this machine."""
    missing = [n for n in names if not shutil.which(n, path="/usr/bin:/bin")]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} in /usr/bin or /bin, as the runners have them")


def shims(folder: Path) -> Path:
    """A bin folder: ``cnncheck`` runs this checkout; ``python -m pip ...`` records its arguments
    in ``pip.log`` instead of installing; any other ``python`` is this interpreter."""
    folder.mkdir()
    (folder / "cnncheck").write_text(
        f"#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT))} exec {shlex.quote(sys.executable)} "
        '-m cnncheck "$@"\n'
    )
    (folder / "python").write_text(
        "#!/bin/sh\n"
        'if [ "$1" = -m ] && [ "$2" = pip ]; then\n'
        f"  printf '%s\\n' \"$@\" > {shlex.quote(str(folder / 'pip.log'))}\n"
        "  exit 0\n"
        "fi\n"
        f'exec {shlex.quote(sys.executable)} "$@"\n'
    )
    for f in folder.iterdir():
        f.chmod(0o755)
    return folder


def machine(tmp: Path) -> dict[str, str]:
    """What the runner machine itself gives every process: a HOME and a PATH."""
    home = tmp / "home"
    home.mkdir()
    return {"HOME": str(home), "PATH": f"{shims(tmp / 'bin')}:/usr/bin:/bin"}


def pip_installs(tmp: Path) -> list[str] | None:
    log = tmp / "bin" / "pip.log"
    return log.read_text().splitlines() if log.exists() else None


def bank_with_q1_worth(points: int, path: Path) -> Path:
    """The built-in cs577-hw4 bank, its q1 worth ``points`` (so 13/20 tells it from 11/18)."""
    text = BANK.read_text(encoding="utf-8")
    changed = text.replace(
        "  q1:\n    kind: conv2d\n", f"  q1:\n    kind: conv2d\n    points: {points}\n", 1
    )
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    return path


def json_score(workspace: Path, answers: str = "answers.yaml", bank: Path | None = None):
    """``cnncheck grade answers.yaml --format json``: the points the examples must report."""
    argv = [sys.executable, "-m", "cnncheck"] + (["--bank", str(bank)] if bank else [])
    run = subprocess.run(
        argv + ["grade", answers, "--format", "json"],
        cwd=workspace,
        capture_output=True,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("CNNCHECK_")},
            "PYTHONPATH": str(ROOT),
        },
    )
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(run.stdout)
    return report["score"], report["max_score"]


def unset_references(script: str, env: dict) -> set[str]:
    """The shell variables a script reads that neither its environment nor the script sets."""
    assigned = set(
        re.findall(
            r"(?m)(?:^\s*|[;&|(]\s*|\b(?:local|export|readonly)\s+)([A-Za-z_]\w*)\+?=", script
        )
    )
    assigned |= set(re.findall(r"\bfor\s+([A-Za-z_]\w*)\s+in\b", script))
    assigned |= set(re.findall(r"\bread\s+(?:-\w+\s+)*([A-Za-z_]\w*)", script))
    used = set(re.findall(r"\$\{?[#!]?([A-Za-z_]\w*)", script))
    return used - assigned - set(env)


def unescape_markdown(text: str) -> str:
    """CommonMark's backslash escapes: a backslash before ASCII punctuation shows the character."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


# ---------------------------------------------------------------------------------------------
# GitHub Actions: expressions


class Unevaluable(Exception):
    """An expression this test cannot evaluate: the workflow depends on something it does not
    set."""


_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<op>==|!=|&&|\|\||!|\(|\))"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))"
)
STATUS_FUNCTIONS = {"success", "failure", "always", "cancelled"}
EVALUABLE = {"env", "vars", "secrets", "steps"}
# contexts.md, "Context availability": the contexts each workflow key may use
AVAILABLE = {
    "env": {"github", "secrets", "inputs", "vars"},
    "jobs.env": {"github", "needs", "strategy", "matrix", "vars", "secrets", "inputs"},
    "steps.if": {
        "github",
        "needs",
        "strategy",
        "matrix",
        "job",
        "runner",
        "env",
        "vars",
        "steps",
        "inputs",
    },
    "steps.env": {
        "github",
        "needs",
        "strategy",
        "matrix",
        "job",
        "runner",
        "env",
        "vars",
        "secrets",
        "steps",
        "inputs",
    },
}
AVAILABLE["steps.run"] = AVAILABLE["steps.with"] = AVAILABLE["steps.env"]


def truthy(value) -> bool:
    """expressions.md: false, 0, -0, "", null and NaN are falsy."""
    if isinstance(value, float) and math.isnan(value):
        return False
    return value not in (False, None, 0, "")


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_number(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value.strip()) if value.strip() else 0.0
    except ValueError:
        return math.nan


def equal(a, b) -> bool:
    """expressions.md: "GitHub ignores case when comparing strings"; other types as numbers."""
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    return as_number(a) == as_number(b)


@dataclass
class Scope:
    """What an expression at one place of a workflow can see."""

    where: str  # a key of AVAILABLE
    vars: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)
    steps: dict = field(default_factory=dict)  # id -> {"outcome", "conclusion", "outputs"}
    step_ids: frozenset = frozenset()  # every step id in the job
    failed: bool = False  # has an earlier step failed (its conclusion)

    def lookup(self, name: str):
        parts = name.split(".")
        context = parts[0]
        if context not in AVAILABLE[self.where]:
            raise Unevaluable(f"the {context} context is not available in {self.where}")
        if context not in EVALUABLE:
            raise Unevaluable(f"{name}: the workflow must not depend on the {context} context")
        if context in ("vars", "secrets", "env"):
            if len(parts) != 2:
                raise Unevaluable(name)
            return getattr(self, context).get(parts[1], "")
        if len(parts) < 3 or parts[1] not in self.step_ids:
            raise Unevaluable(f"{name}: no such step id")
        step = self.steps.get(parts[1])
        if step is None:
            return ""
        if parts[2] in ("outcome", "conclusion") and len(parts) == 3:
            return step[parts[2]]
        if parts[2] == "outputs" and len(parts) == 4:
            return step["outputs"].get(parts[3], "")
        raise Unevaluable(name)


def evaluate(text: str, scope: Scope):
    """One expression (the inside of ``${{ }}``): literals, ``env.``/``vars.``/``secrets.``/
    ``steps.`` references, ``== != ! && ||``, parentheses and, in ``if:``, the status
    functions. Anything else raises :class:`Unevaluable`."""
    tokens, i = [], 0
    while text[i:].strip():
        m = _TOKEN.match(text, i)
        if not m or m.end() == i:
            raise Unevaluable(f"cannot read {text[i:]!r} in {text!r}")
        tokens.append((m.lastgroup, m.group(m.lastgroup)))
        i = m.end()
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else (None, None)

    def take(expected=None):
        nonlocal pos
        tok = peek()
        if tok[0] is None or (expected and tok[1] != expected):
            raise Unevaluable(f"expected {expected or 'more'} in {text!r}")
        pos += 1
        return tok

    def primary():
        kind, value = take()
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "num":
            return float(value)
        if kind == "op" and value == "(":
            inside = disjunction()
            take(")")
            return inside
        if kind == "name" and peek() == ("op", "("):
            take("(")
            take(")")
            if value not in STATUS_FUNCTIONS or scope.where != "steps.if":
                raise Unevaluable(f"{value}() in {scope.where}")
            return {
                "always": True,
                "cancelled": False,
                "success": not scope.failed,
                "failure": scope.failed,
            }[value]
        if kind == "name":
            literal = {"true": True, "false": False, "null": None}
            return literal[value] if value in literal else scope.lookup(value)
        raise Unevaluable(f"unexpected {value!r} in {text!r}")

    def unary():  # "!" binds tightest, then == and !=, then &&, then ||
        if peek() == ("op", "!"):
            take()
            return not truthy(unary())
        return primary()

    def comparison():
        left = unary()
        while peek()[1] in ("==", "!="):
            op = take()[1]
            left = equal(left, unary()) == (op == "==")
        return left

    def conjunction():
        left = comparison()
        while peek() == ("op", "&&"):
            take()
            right = comparison()
            left = right if truthy(left) else left
        return left

    def disjunction():
        left = conjunction()
        while peek() == ("op", "||"):
            take()
            right = conjunction()
            left = left if truthy(left) else right
        return left

    out = disjunction()
    if pos != len(tokens):
        raise Unevaluable(f"unexpected {tokens[pos][1]!r} in {text!r}")
    return out


_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def substitute(value, scope: Scope) -> str:
    """A workflow value with each ``${{ }}`` replaced by its value as text."""
    return _EXPRESSION.sub(lambda m: as_text(evaluate(m.group(1), scope)), as_text(value))


def condition(value, scope: Scope) -> bool:
    """A step's ``if:``: an expression with or without ``${{ }}``, given ``success() &&``
    unless it calls a status function."""
    if isinstance(value, bool):
        value = as_text(value)
    text = str(value).strip()
    whole = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
    inner = whole.group(1) if whole else text
    if "${{" in inner:
        raise Unevaluable(f"if: {text!r} mixes text and expressions")
    if not re.search(r"\b(success|failure|always|cancelled)\s*\(", inner):
        inner = f"success() && ({inner})"
    return truthy(evaluate(inner, scope))


# ---------------------------------------------------------------------------------------------
# GitHub Actions: workflow commands, as actions/runner's ActionCommand.TryParseV2 reads them

REGISTERED = {
    "internal-set-repo-path",
    "set-env",
    "set-output",
    "save-state",
    "add-mask",
    "add-path",
    "add-matcher",
    "remove-matcher",
    "debug",
    "warning",
    "error",
    "notice",
    "group",
    "endgroup",
    "echo",
    "stop-commands",
}
_DATA_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
_PROPERTY_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))


def unescape(text: str, escapes) -> str:
    for escaped, char in escapes:
        text = text.replace(escaped, char)
    return text


@dataclass
class Command:
    name: str
    properties: dict  # keys lower-cased: "names are case insensitive"
    data: str


def parse_command(line: str) -> Command | None:
    message = line.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if name.lower() not in REGISTERED:
        return None
    properties = {}
    if space > 0:
        for item in (p for p in info[space + 1 :].strip().split(",") if p):
            pair = [p for p in item.split("=", 1) if p]
            if len(pair) == 2:
                properties[pair[0].lower()] = unescape(pair[1], _PROPERTY_ESCAPES)
    return Command(name.lower(), properties, unescape(message[end + 2 :], _DATA_ESCAPES))


def read_env_file(path: Path) -> dict[str, str]:
    """GITHUB_ENV / GITHUB_OUTPUT as ``EnvFileKeyValuePairs`` reads them: ``NAME=value`` lines
    and ``NAME<<DELIMITER`` blocks."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r")
        i += 1
        if not line:
            continue
        eq, heredoc = line.find("="), line.find("<<")
        if eq >= 0 and (heredoc < 0 or eq < heredoc):
            name, value = line.split("=", 1)
            assert name, f"invalid line {line!r} in {path.name}"
            out[name] = value
            continue
        assert heredoc >= 0, f"invalid line {line!r} in {path.name}"
        name, delimiter = line.split("<<", 1)
        assert name and delimiter, f"invalid line {line!r} in {path.name}"
        value = []
        while True:
            assert i < len(lines), f"no closing {delimiter!r} in {path.name}"
            if lines[i].rstrip("\r") == delimiter:
                i += 1
                break
            value.append(lines[i])
            i += 1
        out[name] = "\n".join(value)
    return out


# ---------------------------------------------------------------------------------------------
# GitHub Actions: the job

SUMMARY_LIMIT = 1024 * 1024  # FileCommandManager.cs: CreateStepSummaryCommand.AttachmentSizeLimit
PER_STEP = 10  # ExecutionContext.cs: _maxCountPerIssueType


@dataclass
class Step:
    name: str
    outcome: str  # success, failure, skipped
    log: str = ""
    commands: list = field(default_factory=list)
    summary: str | None = None  # what the step summary showed (None: nothing uploaded)


@dataclass
class Job:
    steps: list
    succeeded: bool
    workspace: Path

    def step(self, name: str) -> Step:
        (found,) = [s for s in self.steps if s.name == name]
        return found

    def annotations(self, name: str) -> list[Command]:
        kinds = ("error", "warning", "notice")
        return [c for c in self.step(name).commands if c.name in kinds]


def load_workflow(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # PyYAML reads YAML 1.1, where the key `on` is the boolean true; GitHub reads it as "on"
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def shell_argv(shell: str | None, script: Path, path: str) -> list[str]:
    """workflow-syntax.md, jobs.<job_id>.steps[*].shell (and ScriptHandlerHelpers.cs)."""
    bash = shutil.which("bash", path=path)
    assert bash, "bash is not on the runner's PATH"
    if shell is None:
        return [bash, "-e", str(script)]
    if shell == "bash":
        return [bash, "--noprofile", "--norc", "-e", "-o", "pipefail", str(script)]
    raise AssertionError(f"shell {shell!r} is not reproduced by this test")


def run_workflow(
    example: Path,
    tmp: Path,
    *,
    actor: str = "mona-lisa",
    vars: dict | None = None,
    secrets: dict | None = None,
    answers: str | None = None,
    remove_answers: bool = False,
) -> Job:
    """Run the workflow's one job on a push, in a copy of ``example``."""
    workspace = tmp / "work" / "hw4"
    shutil.copytree(example, workspace)
    if answers is not None:
        (workspace / "answers.yaml").write_text(answers, encoding="utf-8")
    if remove_answers:
        (workspace / "answers.yaml").unlink()
    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir()
    files = tmp / "file-commands"
    files.mkdir()
    base = machine(tmp)
    workflow = load_workflow(workspace / WORKFLOW)
    (job_id, job), *others = workflow["jobs"].items()
    assert not others, "one job"
    vars, secrets = vars or {}, secrets or {}
    steps_def = job["steps"]
    ids = frozenset(s["id"] for s in steps_def if "id" in s)

    scope = Scope("env", vars=vars, secrets=secrets)
    workflow_env = {k: substitute(v, scope) for k, v in (workflow.get("env") or {}).items()}
    scope = Scope("jobs.env", vars=vars, secrets=secrets)
    job_env = {k: substitute(v, scope) for k, v in (job.get("env") or {}).items()}
    shell_default = ((job.get("defaults") or workflow.get("defaults") or {}).get("run") or {}).get(
        "shell"
    )
    set_env: dict[str, str] = {}  # from GITHUB_ENV
    prepend_path: list[str] = []  # from GITHUB_PATH
    results: dict[str, dict] = {}
    steps: list[Step] = []
    failed = False
    for n, spec in enumerate(steps_def):
        name = spec.get("name") or spec.get("uses") or spec.get("run", "").split("\n")[0]
        env_context = {**workflow_env, **job_env, **set_env}
        common = dict(vars=vars, env=env_context, steps=results, step_ids=ids, failed=failed)
        if "if" in spec:
            runs = condition(spec["if"], Scope("steps.if", **common))
        else:
            runs = not failed
        if not runs:
            steps.append(Step(name, "skipped"))
            if "id" in spec:
                results[spec["id"]] = {"outcome": "skipped", "conclusion": "skipped", "outputs": {}}
            continue
        if "uses" in spec:
            for value in (spec.get("with") or {}).values():
                substitute(value, Scope("steps.with", secrets=secrets, **common))
            steps.append(Step(name, "success"))  # checks out and sets up: not reproduced
            continue
        step_env = {
            k: substitute(v, Scope("steps.env", secrets=secrets, **common))
            for k, v in (spec.get("env") or {}).items()
        }
        script_text = substitute(spec["run"], Scope("steps.run", secrets=secrets, **common))
        summary, output, env_file, path_file = (
            files / f"{kind}_{n}" for kind in ("step_summary", "set_output", "set_env", "add_path")
        )
        for f in (summary, output, env_file, path_file):
            f.touch()
        defaults = {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTOR": actor,
            "GITHUB_TRIGGERING_ACTOR": actor,
            "GITHUB_REPOSITORY": f"cs577/hw4-{actor}",
            "GITHUB_REPOSITORY_OWNER": "cs577",
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_SHA": "ffac537e6cbbf934b08745a378932722df287a53",
            "GITHUB_WORKFLOW": workflow.get("name", ""),
            "GITHUB_JOB": job_id,
            "GITHUB_RUN_ID": "1658821493",
            "GITHUB_RUN_NUMBER": "3",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_ENV": str(env_file),
            "GITHUB_PATH": str(path_file),
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "RUNNER_TEMP": str(runner_temp),
        }
        env = {**base, **workflow_env, **job_env, **set_env, **step_env, **defaults}
        if prepend_path:
            env["PATH"] = ":".join([*reversed(prepend_path), env["PATH"]])
        unset = unset_references(script_text, env)
        assert not unset, f"{name!r} reads {sorted(unset)}: neither GitHub nor the workflow sets"
        script = files / f"script_{n}.sh"
        script.write_text(script_text, encoding="utf-8")
        shell = spec.get("shell", shell_default)
        cwd = workspace / spec.get("working-directory", ".")
        proc = subprocess.run(
            shell_argv(shell, script, env["PATH"]),
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        log = proc.stdout + proc.stderr
        commands = [c for c in map(parse_command, log.splitlines()) if c]
        size = summary.stat().st_size
        shown = summary.read_text(encoding="utf-8") if 0 < size <= SUMMARY_LIMIT else None
        outcome = "success" if proc.returncode == 0 else "failure"
        continues = bool(spec.get("continue-on-error", False))
        results_entry = {
            "outcome": outcome,
            "conclusion": "success" if continues else outcome,
            "outputs": read_env_file(output),
        }
        if "id" in spec:
            results[spec["id"]] = results_entry
        failed = failed or results_entry["conclusion"] == "failure"
        set_env.update(read_env_file(env_file))
        prepend_path += [p for p in path_file.read_text().splitlines() if p]
        steps.append(Step(name, outcome, log, commands, shown))
        if size > SUMMARY_LIMIT:
            steps[-1].commands.append(Command("error", {}, "$GITHUB_STEP_SUMMARY upload aborted"))
    return Job(steps, not failed, workspace)


GRADE, SUMMARY, INSTALL, FETCH = (
    "Grade answers.yaml",
    "Job summary",
    "Install cnncheck",
    "Fetch the course's question bank",
)
POINTS = re.compile(r"^(?P<who>.+): (?P<score>[\d.]+)/(?P<max>[\d.]+) points on (?P<aid>\S+)$")
HEADING = re.compile(r"^### (?P<aid>.+?) · (?P<who>.+): (?P<score>[\d.]+)/(?P<max>[\d.]+) points$")


def notice_points(job: Job) -> tuple[str, float, float]:
    """The grade step's own notice: who was graded and their points."""
    (notice,) = [c for c in job.annotations(GRADE) if c.properties.get("title") == "cnncheck"]
    m = POINTS.match(notice.data)
    assert m, notice.data
    return m["who"], float(m["score"]), float(m["max"])


def summary_points(job: Job) -> tuple[str, float, float]:
    text = job.step(SUMMARY).summary
    assert text is not None, "no job summary was uploaded"
    (heading,) = [h for h in text.splitlines() if h.startswith("### ")]
    m = HEADING.match(unescape_markdown(heading))
    assert m, heading
    return m["who"], float(m["score"]), float(m["max"])


def check_annotations(job: Job) -> None:
    """Each annotation of the grade step as GitHub shows it: within the per-step cap, only
    annotation commands (nothing a student wrote can become another command), known properties,
    and a file and line that are the graded answer's."""
    step = job.step(GRADE)
    names = {c.name for c in step.commands}
    assert names <= {"error", "warning", "notice"}, names
    per_level: dict[str, int] = {}
    answers = (job.workspace / "answers.yaml").resolve()
    lines = answers.read_text(encoding="utf-8").splitlines()
    for c in step.commands:
        per_level[c.name] = per_level.get(c.name, 0) + 1
        assert set(c.properties) <= {"file", "line", "endline", "col", "endcolumn", "title"}
        assert len(c.data) <= 4096  # ExecutionContext.cs: _maxIssueMessageLength
        assert len(c.properties.get("title", "")) <= 255  # the checks API's title limit
        if "file" in c.properties:
            assert (job.workspace / c.properties["file"]).resolve() == answers, c.properties
        if "line" in c.properties:
            line = int(c.properties["line"])
            assert 1 <= line <= len(lines), c.properties
            question = re.match(r"(q\d+) ", c.properties.get("title", ""))
            if question:  # the line of the question's key under answers:
                assert lines[line - 1].startswith(f"  {question[1]}:"), c.properties
    assert all(n <= PER_STEP for n in per_level.values()), per_level


# ---------------------------------------------------------------------------------------------
# GitHub Actions: tests


def test_workflow_runs_on_push_and_pull_request_with_the_documented_actions():
    # workflow-syntax.md (on, permissions, jobs.<job_id>.steps[*].uses); setup-python's README
    # ("actions/setup-python@v6", "python-version"); checkout's README
    workflow = load_workflow(GITHUB_EXAMPLE / WORKFLOW)
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert workflow.get("permissions") == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    uses = [s["uses"] for s in job["steps"] if "uses" in s]
    assert [u.split("@")[0] for u in uses] == ["actions/checkout", "actions/setup-python"]
    majors = [int(re.fullmatch(r".*@v(\d+)", u).group(1)) for u in uses]
    assert majors[0] >= 4 and majors[1] >= 5, uses
    (setup,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python")]
    assert tuple(map(int, setup["with"]["python-version"].split("."))) >= (3, 10)
    # "If you attempt to override the value of one of these default variables, the assignment
    # is ignored": the workflow must not count on setting one
    every_env = [workflow.get("env") or {}, job.get("env") or {}]
    every_env += [s.get("env") or {} for s in job["steps"]]
    assert not [k for e in every_env for k in e if k.startswith(("GITHUB_", "RUNNER_"))]
    assert not [k for e in every_env for k in e if k == "CI"]


def test_example_graded_as_the_actor_with_annotations_and_summary(tmp_path):
    require_tools("bash")
    job = run_workflow(GITHUB_EXAMPLE, tmp_path, vars={"CNNCHECK_SPEC": SPEC})
    assert pip_installs(tmp_path) == ["-m", "pip", "install", "--disable-pip-version-check", SPEC]
    # 11/18 is below full marks: the grade step fails, and with it the job; the summary still runs
    assert [s.outcome for s in job.steps] == ["success"] * 4 + ["failure", "success"]
    assert not job.succeeded
    check_annotations(job)
    score, top = json_score(job.workspace)
    assert (score, top) == (11, 18)
    assert notice_points(job) == ("mona-lisa", score, top)
    assert summary_points(job) == ("mona-lisa", score, top)
    # the answers that are not right, each an error (a warning for partial credit) on its line
    titled = {
        c.properties["title"].split()[0]: c.name
        for c in job.annotations(GRADE)
        if c.properties.get("title", "").startswith("q")
    }
    assert titled == {"q3": "error", "q5": "warning", "q6": "error", "q8": "error", "q12": "error"}
    summary = job.step(SUMMARY).summary
    assert len(summary.encode("utf-8")) <= SUMMARY_LIMIT
    assert "| question | result | points |" in summary
    assert "jdoe" in summary  # the note that the file names someone else


def test_identity_is_the_repository_variable_when_set_never_the_file(tmp_path):
    # the vars context: a configuration variable the instructor sets on the student's repository
    require_tools("bash")
    vars = {"CNNCHECK_SPEC": SPEC, "CNNCHECK_STUDENT": "s0042"}
    job = run_workflow(GITHUB_EXAMPLE, tmp_path, actor="ta-bot", vars=vars)
    assert notice_points(job) == ("s0042", 11, 18)
    assert summary_points(job) == ("s0042", 11, 18)
    assert "ta-bot" not in job.step(SUMMARY).summary


@pytest.mark.parametrize("percent, passes", [("60", True), ("62", False)])
def test_fail_under_sets_the_jobs_status(tmp_path, percent, passes):
    require_tools("bash")
    vars = {"CNNCHECK_SPEC": SPEC, "CNNCHECK_FAIL_UNDER": percent}
    job = run_workflow(GITHUB_EXAMPLE, tmp_path, vars=vars)  # 11/18 is 61.1%
    assert job.succeeded is passes
    assert job.step(SUMMARY).outcome == "success"


def test_full_marks_is_a_green_job_without_errors(tmp_path):
    require_tools("bash")
    answers = FULL_MARKS.read_text(encoding="utf-8")
    job = run_workflow(GITHUB_EXAMPLE, tmp_path, vars={"CNNCHECK_SPEC": SPEC}, answers=answers)
    assert job.succeeded
    assert [c.name for c in job.annotations(GRADE)] == ["notice"]
    assert notice_points(job)[1:] == (18, 18)


def test_many_wrong_answers_stay_within_githubs_ten_annotations(tmp_path):
    require_tools("bash")
    answers = "assignment: cs577-hw4\nanswers:\n  q1: 1\n"  # 1 wrong, 11 missing: 12 errors
    job = run_workflow(GITHUB_EXAMPLE, tmp_path, vars={"CNNCHECK_SPEC": SPEC}, answers=answers)
    check_annotations(job)
    errors = [c for c in job.annotations(GRADE) if c.name == "error"]
    assert len(errors) == PER_STEP
    assert "3 more" in errors[-1].data  # the tenth names the rest
    summary = unescape_markdown(job.step(SUMMARY).summary)
    assert all(f"| q{i} " in summary for i in range(1, 13))  # the summary shows them all


def test_commands_in_an_answer_stay_text(tmp_path):
    # workflow-commands.md: a command is one line; the toolkit escapes % CR LF (and : , in
    # properties). An answer with %0A, commas, colons and a command of its own must come back
    # from the runner's unescaping exactly as written, inside one annotation.
    require_tools("bash")
    hostile = "100%0A, because: ::stop-commands::x %25 and, more"
    answers = (GITHUB_EXAMPLE / "answers.yaml").read_text(encoding="utf-8")
    answers = answers.replace(
        "q6: Because the network gets deeper.", f"q6: {json.dumps(hostile)}", 1
    )
    job = run_workflow(GITHUB_EXAMPLE, tmp_path, vars={"CNNCHECK_SPEC": SPEC}, answers=answers)
    check_annotations(job)
    (q6,) = [c for c in job.annotations(GRADE) if c.properties.get("title", "").startswith("q6")]
    assert hostile in q6.data


def test_without_cnncheck_spec_the_install_step_says_what_to_set(tmp_path):
    require_tools("bash")
    job = run_workflow(GITHUB_EXAMPLE, tmp_path)
    assert pip_installs(tmp_path) is None
    install = job.step(INSTALL)
    assert install.outcome == "failure"
    (error,) = [c for c in install.commands if c.name == "error"]
    assert "CNNCHECK_SPEC" in error.data
    assert [s.outcome for s in job.steps[3:]] == ["skipped"] * 3
    assert not job.succeeded


def test_course_bank_downloaded_from_the_secret_url(tmp_path):
    # "If a secret has not been set, the return value ... will be an empty string": without the
    # secret the built-in bank grades; with it, the downloaded bank does (GITHUB_ENV carries
    # CNNCHECK_BANK to the later steps), and the token is never printed
    require_tools("bash", "curl")
    bank = bank_with_q1_worth(3, tmp_path / "course-bank.yaml")
    token = "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
    secrets = {"CNNCHECK_BANK_URL": bank.as_uri(), "CNNCHECK_BANK_TOKEN": token}
    job = run_workflow(
        GITHUB_EXAMPLE, tmp_path / "run", vars={"CNNCHECK_SPEC": SPEC}, secrets=secrets
    )
    assert job.step(FETCH).outcome == "success"
    assert json_score(job.workspace, bank=bank) == (13, 20)
    assert notice_points(job) == ("mona-lisa", 13, 20)
    assert summary_points(job) == ("mona-lisa", 13, 20)
    assert all(token not in s.log for s in job.steps)
    assert not list((tmp_path / "run" / "runner-temp").glob("*.headers"))


def test_course_bank_url_that_fails_stops_the_job(tmp_path):
    require_tools("bash", "curl")
    secrets = {"CNNCHECK_BANK_URL": (tmp_path / "no-such-bank.yaml").as_uri()}
    job = run_workflow(
        GITHUB_EXAMPLE, tmp_path / "run", vars={"CNNCHECK_SPEC": SPEC}, secrets=secrets
    )
    assert job.step(FETCH).outcome == "failure"
    assert not list((tmp_path / "run" / "runner-temp").glob("*.headers"))
    assert [s.outcome for s in job.steps[4:]] == ["skipped", "skipped"]
    assert not job.succeeded


def test_missing_answer_file_fails_with_a_summary_saying_so(tmp_path):
    require_tools("bash")
    vars = {"CNNCHECK_SPEC": SPEC}
    job = run_workflow(GITHUB_EXAMPLE, tmp_path, vars=vars, remove_answers=True)
    assert job.step(GRADE).outcome == "failure"
    assert not job.succeeded
    assert "Not graded" in job.step(SUMMARY).summary
    (error,) = [c for c in job.annotations(GRADE) if c.name == "error"]
    assert error.properties["file"] == "answers.yaml"


@pytest.mark.parametrize(
    "expression, where",
    [
        ("github.actor", "steps.run"),  # a context the test does not provide
        ("secrets.TOKEN", "steps.if"),  # not available in if:
        ("runner.temp", "steps.run"),
        ("steps.nope.outcome", "steps.if"),  # no such step
        ("format('{0}', vars.X)", "steps.run"),  # a function
        ("vars.X[0]", "steps.run"),
    ],
)
def test_expressions_the_test_cannot_evaluate_fail(expression, where):
    with pytest.raises(Unevaluable):
        evaluate(expression, Scope(where, step_ids=frozenset({"grade"})))


def test_expressions_as_github_evaluates_them():
    scope = Scope(
        "steps.if",
        vars={"A": "x"},
        steps={"grade": {"outcome": "failure", "conclusion": "failure", "outputs": {}}},
        step_ids=frozenset({"grade"}),
        failed=True,
    )
    assert evaluate("vars.MISSING", scope) == ""
    assert evaluate("vars.MISSING || 'd'", scope) == "d"
    assert evaluate("vars.A == 'X'", scope) is True  # case-insensitive
    assert condition("${{ !cancelled() && steps.grade.outcome != 'skipped' }}", scope)
    assert not condition("vars.A == 'x'", scope)  # success() && ...: an earlier step failed
    assert condition("always()", scope)


def test_command_parser_reads_the_runners_escapes():
    c = parse_command("::error file=a%2Cb%3A.yaml,line=3,title=t%25::one%0Atwo%25 %3A")
    assert c == Command("error", {"file": "a,b:.yaml", "line": "3", "title": "t%"}, "one\ntwo% %3A")
    assert parse_command("::unknown x=1::y") is None
    assert parse_command("  ::Warning::w").name == "warning"


# ---------------------------------------------------------------------------------------------
# GitLab CI: the job

GLOBAL_KEYWORDS = {"default", "include", "stages", "variables", "workflow", "image", "services"}


def load_gitlab(path: Path) -> tuple[dict, str, dict]:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    jobs = {k: v for k, v in config.items() if k not in GLOBAL_KEYWORDS and not k.startswith(".")}
    ((name, job),) = jobs.items()
    return config, name, job


def runner_script(commands: list[str], new_eval: bool = False) -> str:
    """gitlab-runner's bash script for a stage: each command echoed as ``$ first line`` then run
    (``AbstractShell.writeCommands``), inside ``BashWriter.Finish``'s wrapper: ``: | eval '...'``,
    or ``: | (eval '...')`` with the feature flag FF_USE_NEW_BASH_EVAL_STRATEGY (default false:
    "the Bash `eval` call is executed in a subshell to help with proper exit code detection")."""
    body = ""
    for command in commands:
        command = command.strip()
        first = command.split("\n", 1)[0]
        body += f"echo {shlex.quote('$ ' + first)}\n{command}\n"
    evaluated = f"(eval {shlex.quote(body)})" if new_eval else f"eval {shlex.quote(body)}"
    return (
        "if set -o | grep pipefail > /dev/null; then set -o pipefail; fi; set -o errexit\n"
        f"set +o noclobber\n: | {evaluated}\nexit 0\n"
    )


@dataclass
class Pipeline:
    returncode: int
    log: str
    artifacts: dict  # path -> bytes, collected as artifacts:when says
    job: dict
    workspace: Path


def run_gitlab_job(
    example: Path,
    tmp: Path,
    *,
    login: str = "gl-student",
    variables: dict | None = None,
    file_variables: dict | None = None,
    answers: str | None = None,
    remove_answers: bool = False,
) -> Pipeline:
    """Run the one job of ``.gitlab-ci.yml`` in a copy of ``example`` (the project's checkout);
    ``variables`` and ``file_variables`` are the project's CI/CD variables."""
    workspace = tmp / "builds" / "cs577" / f"hw4-{login}"
    shutil.copytree(example, workspace)
    if answers is not None:
        (workspace / "answers.yaml").write_text(answers, encoding="utf-8")
    if remove_answers:
        (workspace / "answers.yaml").unlink()
    config, name, job = load_gitlab(workspace / ".gitlab-ci.yml")
    predefined = {
        "CI": "true",
        "GITLAB_CI": "true",
        "GITLAB_USER_LOGIN": login,
        "GITLAB_USER_NAME": "A Student",
        "CI_PROJECT_DIR": str(workspace),
        "CI_PROJECT_NAME": workspace.name,
        "CI_PROJECT_NAMESPACE": "cs577",
        "CI_PROJECT_PATH": f"cs577/{workspace.name}",
        "CI_COMMIT_SHA": "1ecfd275763eff1d6b4844ea3168962458c9f27a",
        "CI_COMMIT_AUTHOR": "A Student <student@example.edu>",
        "CI_COMMIT_REF_NAME": "main",
        "CI_JOB_NAME": name,
        "CI_JOB_STAGE": job.get("stage", "test"),
        "CI_PIPELINE_SOURCE": "push",
    }
    yaml_variables = {**(config.get("variables") or {}), **(job.get("variables") or {})}
    for key, value in yaml_variables.items():
        assert isinstance(value, str), f"{key}: quote variable values (the docs' advice)"
        assert "$" not in value, f"{key}: this test does not expand variables in variables"
    project = dict(variables or {})
    files_dir = tmp / "ci-variables"
    files_dir.mkdir()
    for key, content in (file_variables or {}).items():
        # "The CI/CD variable value saved to a temporary file. The path to the temporary file as
        # the environment variable value."
        path = files_dir / key
        path.write_text(content, encoding="utf-8")
        project[key] = str(path)
    env = {**machine(tmp), **predefined, **yaml_variables, **project}
    new_eval = env.get("FF_USE_NEW_BASH_EVAL_STRATEGY") == "true"  # a flag set as a variable
    default = config.get("default") or {}
    before = job.get("before_script", default.get("before_script", []))
    script = list(before) + list(job["script"])
    for command in script:
        # the instructor's CI/CD variables (CNNCHECK_*) may be unset; anything else must be set
        unset = {v for v in unset_references(command, env) if not v.startswith("CNNCHECK_")}
        assert not unset, f"{command!r} reads {sorted(unset)}: neither GitLab nor the file sets"
    proc = subprocess.run(
        ["bash"],
        input=runner_script(script, new_eval),
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = proc.stdout + proc.stderr
    after = job.get("after_script", default.get("after_script"))
    if after:
        done = subprocess.run(
            ["bash"],
            input=runner_script(after, new_eval),
            cwd=workspace,
            env=env,
            capture_output=True,
        )
        log += done.stdout.decode() + done.stderr.decode()
    artifacts = job.get("artifacts") or {}
    when = artifacts.get("when", "on_success")
    collected = {}
    if when == "always" or (when == "on_success") == (proc.returncode == 0):
        reports = (artifacts.get("reports") or {}).get("junit") or []
        for pattern in reports if isinstance(reports, list) else [reports]:
            for found in sorted(workspace.glob(pattern)):
                collected[found.relative_to(workspace).as_posix()] = found.read_bytes()
    return Pipeline(proc.returncode, log, collected, job, workspace)


# ---------------------------------------------------------------------------------------------
# GitLab CI: lib/gitlab/ci/parsers/test/junit.rb and lib/gitlab/ci/reports/test_suite.rb


@dataclass
class GitLabCase:
    suite_name: str | None
    classname: str | None
    name: str | None
    file: str | None
    execution_time: float
    status: str

    @property
    def key(self) -> str:
        # TestCase#initialize: hash_key("#{suite_name}_#{classname}_#{name}"), SHA256
        text = f"{self.suite_name or ''}_{self.classname or ''}_{self.name or ''}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ruby_to_f(text: str | None) -> float:
    m = re.match(r"\s*[+-]?(\d+(\.\d+)?([eE][+-]?\d+)?)?", text or "")
    return float(m.group(0)) if m and m.group(1) else 0.0


def gitlab_parse(xml: bytes, job_name: str) -> tuple[list[GitLabCase], dict]:
    """Every test case as ``Junit#parse!`` yields it, and the suite's ``test_cases`` as
    ``TestSuite#add_test_case`` stores them: ``{status: {key: case}}``."""
    root = ET.fromstring(xml)  # a syntax error is GitLab's "JUnit XML parsing failed"
    cases: list[GitLabCase] = []

    def each_case(node):
        for tc in node.findall("testcase"):
            if tc.find("failure") is not None:
                status = "failed"
            elif tc.find("error") is not None:
                status = "error"
            elif tc.find("skipped") is not None:
                status = "skipped"
            else:
                status = "success"
            cases.append(
                GitLabCase(
                    node.get("name") or job_name,
                    tc.get("classname"),
                    tc.get("name"),
                    tc.get("file"),
                    ruby_to_f(tc.get("time")),
                    status,
                )
            )

    def suite(node):  # all_cases with a parent: its own cases, then nested testsuites
        each_case(node)
        for child in node.findall("testsuite"):
            suite(child)

    # "we allow only one top-level 'testsuites'", "we require at least one level of testsuites
    # or testsuite"
    if root.tag in ("testsuites", "testsuite"):
        suite(root)
    stored: dict[str, dict] = {}
    for case in cases:
        stored.setdefault(case.status, {})[case.key] = case
    return cases, stored


# ---------------------------------------------------------------------------------------------
# The strict JUnit schema: windyroad/JUnit-Schema JUnit.xsd

TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$")
DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
INT = re.compile(r"^[+-]?\d+$")


def strict_junit_problems(root: ET.Element) -> list[str]:
    out: list[str] = []

    def token(value) -> bool:  # xs:token, minLength 1
        return value is not None and len(" ".join(value.split())) >= 1

    def is_int(value) -> bool:
        return value is not None and bool(INT.match(value)) and -(2**31) <= int(value) < 2**31

    def testcase(tc, where):
        attrs = set(tc.attrib)
        if attrs - {"name", "classname", "time"}:
            out.append(f"{where}: attributes {sorted(attrs - {'name', 'classname', 'time'})}")
        if not token(tc.get("name")) or not token(tc.get("classname")):
            out.append(f"{where}: name and classname are required")
        if not DECIMAL.match(tc.get("time") or ""):
            out.append(f"{where}: time {tc.get('time')!r} is not a decimal")
        children = list(tc)
        if len(children) > 1 or any(c.tag not in ("skipped", "error", "failure") for c in children):
            out.append(f"{where}: children {[c.tag for c in children]}")
        for c in children:
            allowed = {"message"} if c.tag == "skipped" else {"message", "type"}
            if set(c.attrib) - allowed or list(c):
                out.append(f"{where}/{c.tag}: attributes or elements")
            if c.tag in ("error", "failure") and c.get("type") is None:
                out.append(f"{where}/{c.tag}: type is required")

    def testsuite(ts, nested: bool, index: int):
        where = f"testsuite[{index}]"
        required = {"name", "timestamp", "hostname", "tests", "failures", "errors", "time"}
        required |= {"id", "package"} if nested else set()
        allowed = required | {"skipped"}
        attrs = set(ts.attrib)
        if required - attrs or attrs - allowed:
            out.append(
                f"{where}: missing {sorted(required - attrs)}, extra {sorted(attrs - allowed)}"
            )
        for key in ("name", "hostname") + (("package",) if nested else ()):
            if key in ts.attrib and not token(ts.get(key)):
                out.append(f"{where}: {key} is empty")
        stamp = ts.get("timestamp") or ""
        if not TIMESTAMP.match(stamp):
            out.append(f"{where}: timestamp {stamp!r} does not match the schema's pattern")
        else:
            try:
                datetime.fromisoformat(stamp)  # and a real xs:dateTime
            except ValueError:
                out.append(f"{where}: timestamp {stamp!r} is not a date and time")
        for key in ("tests", "failures", "errors", "skipped") + (("id",) if nested else ()):
            if key in ts.attrib and not is_int(ts.get(key)):
                out.append(f"{where}: {key} {ts.get(key)!r} is not an xs:int")
        if nested and is_int(ts.get("id")) and int(ts.get("id")) != index:
            out.append(f"{where}: id {ts.get('id')} (the schema: 0, 1, ... in order)")
        if not DECIMAL.match(ts.get("time") or ""):
            out.append(f"{where}: time {ts.get('time')!r} is not a decimal")
        tags = [c.tag for c in ts]
        shape = re.fullmatch(r"properties,(testcase,)*system-out,system-err", ",".join(tags))
        if not shape:
            out.append(f"{where}: children {tags} (properties, testcase*, system-out, system-err)")
        for c in ts:
            if c.tag == "properties":
                for p in c:
                    ok = p.tag == "property" and set(p.attrib) == {"name", "value"}
                    if not ok or not token(p.get("name")):
                        out.append(f"{where}/properties: {p.tag} {p.attrib}")
            elif c.tag == "testcase":
                testcase(c, f"{where}/testcase[{c.get('name')}]")
            elif c.tag in ("system-out", "system-err") and (list(c) or c.attrib):
                out.append(f"{where}/{c.tag}: attributes or elements")

    if root.tag == "testsuites":
        if root.attrib:
            out.append(f"testsuites has attributes {sorted(root.attrib)}")
        for i, ts in enumerate(root):
            if ts.tag != "testsuite":
                out.append(f"testsuites holds {ts.tag}")
                continue
            testsuite(ts, True, i)
    elif root.tag == "testsuite":
        testsuite(root, False, 0)
    else:
        out.append(f"root element {root.tag}")
    return out


# ---------------------------------------------------------------------------------------------
# GitLab CI: tests


def test_gitlab_job_publishes_the_report_as_the_docs_say():
    # artifacts_reports.md / unit_test_reports.md: `artifacts: when: always`, `reports: junit:`
    # with .xml files ("otherwise GitLab returns an Error 500"); script.md: a string holding
    # several commands reports only the last one's failure, so each item is one command
    config, name, job = load_gitlab(GITLAB_EXAMPLE / ".gitlab-ci.yml")
    image = re.fullmatch(r"python:3\.(\d+)", job["image"])
    assert image and int(image.group(1)) >= 10
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    junit = artifacts["reports"]["junit"]
    assert junit == "report.xml" and junit in artifacts["paths"]
    assert all("\n" not in line.strip() for line in job["script"])
    written = [s for s in job["script"] if "--format junit" in s]
    assert len(written) == 1 and f"-o {junit}" in written[0]


def test_gitlab_job_reports_each_question_once(tmp_path):
    require_tools("bash")
    run = run_gitlab_job(GITLAB_EXAMPLE, tmp_path, variables={"CNNCHECK_SPEC": SPEC})
    assert pip_installs(tmp_path) == ["-m", "pip", "install", SPEC]
    assert run.returncode == 1  # 11/18: the job fails, as a test job does
    assert list(run.artifacts) == ["report.xml"]
    xml = run.artifacts["report.xml"]
    assert len(xml) < 30 * 1024 * 1024  # "individual JUnit files are less than 30 MB"
    root = ET.fromstring(xml)
    assert strict_junit_problems(root) == []
    cases, stored = gitlab_parse(xml, "cnncheck")
    assert len(cases) == len(root.findall(".//testcase")) == 12
    assert sum(len(v) for v in stored.values()) == len(cases)  # nothing collapsed
    assert {c.name for c in stored["failed"].values()} == FAILED
    assert "error" not in stored and "skipped" not in stored
    assert len(stored["success"]) == 12 - len(FAILED)
    assert all(c.execution_time >= 0 for c in cases)
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["student"] == "gl-student"
    assert (float(properties["score"]), float(properties["max_score"])) == json_score(run.workspace)
    # the table in the log, graded as the pipeline's user
    assert "11/18" in run.log and "gl-student" in run.log


def test_gitlab_student_variable_and_a_file_type_bank(tmp_path):
    require_tools("bash")
    bank = bank_with_q1_worth(3, tmp_path / "bank.yaml").read_text(encoding="utf-8")
    run = run_gitlab_job(
        GITLAB_EXAMPLE,
        tmp_path / "run",
        variables={"CNNCHECK_SPEC": SPEC, "CNNCHECK_STUDENT": "s0042"},
        file_variables={"CNNCHECK_BANK": bank},
    )
    root = ET.fromstring(run.artifacts["report.xml"])
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert (properties["student"], properties["score"], properties["max_score"]) == (
        "s0042",
        "13",
        "20",
    )


@pytest.mark.parametrize("percent, code", [("60", 0), ("62", 1)])
def test_gitlab_fail_under(tmp_path, percent, code):
    require_tools("bash")
    variables = {"CNNCHECK_SPEC": SPEC, "CNNCHECK_FAIL_UNDER": percent}
    run = run_gitlab_job(GITLAB_EXAMPLE, tmp_path, variables=variables)
    assert run.returncode == code
    assert "report.xml" in run.artifacts


# the job fails either way; only with the feature flag does cnncheck's 2 reach the job's status
@pytest.mark.parametrize("flag, code", [(None, 1), ("true", 2)])
def test_gitlab_missing_answers_still_leaves_a_report(tmp_path, flag, code):
    require_tools("bash")
    variables = {"CNNCHECK_SPEC": SPEC}
    if flag:
        variables["FF_USE_NEW_BASH_EVAL_STRATEGY"] = flag
    run = run_gitlab_job(GITLAB_EXAMPLE, tmp_path, variables=variables, remove_answers=True)
    assert run.returncode == code
    assert "no such file" in run.log
    xml = run.artifacts["report.xml"]
    assert strict_junit_problems(ET.fromstring(xml)) == []
    _, stored = gitlab_parse(xml, "cnncheck")
    assert list(stored) == ["error"]


def test_gitlab_without_cnncheck_spec_says_what_to_set(tmp_path):
    require_tools("bash")
    run = run_gitlab_job(GITLAB_EXAMPLE, tmp_path)
    assert run.returncode != 0 and pip_installs(tmp_path) is None
    assert "CNNCHECK_SPEC" in run.log and not run.artifacts


def test_gitlab_parser_reproduction_collapses_duplicates():
    # test_suite.rb: @test_cases[status][key] = test_case, so equal keys with equal status count
    # once; a different status is another bucket
    xml = (
        b'<testsuites><testsuite name="s"><testcase classname="c" name="n" time="1"/>'
        b'<testcase classname="c" name="n"/><testcase classname="c" name="n">'
        b'<failure type="x"/></testcase></testsuite></testsuites>'
    )
    cases, stored = gitlab_parse(xml, "job")
    assert len(cases) == 3 and sum(len(v) for v in stored.values()) == 2
    assert [c.execution_time for c in cases] == [1.0, 0.0, 0.0]


def test_strict_schema_rules_reject_what_the_xsd_rejects():
    good = (
        '<testsuites><testsuite name="a" timestamp="2026-01-31T12:00:00" hostname="localhost" '
        'tests="1" failures="0" errors="0" time="0.1" id="0" package="p"><properties/>'
        '<testcase name="q1" classname="c" time="0.1"/><system-out/><system-err/>'
        "</testsuite></testsuites>"
    )
    assert strict_junit_problems(ET.fromstring(good)) == []
    bad = [
        good.replace('2026-01-31T12:00:00"', '2026-01-31T12:00:00Z"'),  # a time zone
        good.replace(' time="0.1"/>', "/>"),  # a testcase without time
        good.replace("<properties/>", ""),  # properties is required
        good.replace("<system-out/><system-err/>", "<system-err/><system-out/>"),
        good.replace("/><system-out/>", '><failure message="m"/></testcase><system-out/>'),
        good.replace(' id="0"', ""),
        good.replace("<testsuites>", '<testsuites tests="1">'),
    ]
    for xml in bad:
        assert strict_junit_problems(ET.fromstring(xml)), xml


@pytest.mark.parametrize("example", [GITHUB_EXAMPLE, GITLAB_EXAMPLE], ids=lambda p: p.name)
def test_example_answers_are_the_repositorys(example):
    # the points above (11/18; q3 q5 q6 q8 q12) are those of answers.example.yaml
    assert (example / "answers.yaml").read_bytes() == (ROOT / "answers.example.yaml").read_bytes()
