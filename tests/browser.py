"""A real headless browser for the tests: Debian's Chromium, driven from its command line.

:func:`open_page` loads a file as a person's browser would, and returns what the console said
(every ``console.*`` message and every uncaught error: Chromium logs them as ``CONSOLE`` lines
with ``--enable-logging=stderr``), the DOM after scripts ran (``--dump-dom``) and a screenshot.
Without Chromium the test is skipped, unless ``CNNCHECK_REQUIRE_BROWSER`` is set (``.ci/run``
installs Chromium and sets it), when it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

import pytest

# As this machine's browser tests run it: no sandbox (root), no GPU, and nothing that reaches
# for the network in the background
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\))?:?\d*\] (.*)$", re.M)


def chromium() -> str:
    found = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    if found is None:
        message = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CNNCHECK_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return found


class Page(NamedTuple):
    console: list[str]  # what the page logged, errors included
    dom: str  # the document after its scripts ran
    screenshot: Path


def open_page(path: Path, screenshot: Path, size: tuple[int, int] = (1280, 1600)) -> Page:
    """Load ``path`` (a file) headless; write a screenshot of ``size`` pixels to ``screenshot``."""
    binary = chromium()
    url = Path(path).resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile:
        common = [binary, *FLAGS, f"--user-data-dir={profile}"]
        shot = subprocess.run(
            [
                *common,
                "--enable-logging=stderr",
                "--v=0",
                f"--screenshot={screenshot}",
                f"--window-size={size[0]},{size[1]}",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        dom = subprocess.run(
            [*common, "--dump-dom", url], capture_output=True, text=True, timeout=120
        )
    assert screenshot.exists() and screenshot.stat().st_size > 0, shot.stderr[-2000:]
    return Page(CONSOLE.findall(shot.stderr), dom.stdout, screenshot)


def keep_screenshot(shot: Path, name: str) -> None:
    """A copy of a screenshot for a person to look at, in ``$CNNCHECK_SCREENSHOTS`` when set."""
    folder = os.environ.get("CNNCHECK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / name)
