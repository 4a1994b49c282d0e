#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04 by
# default, whose python3 is 3.10). The autograder zip holds this file, run_autograder, a cnncheck
# wheel in wheels/ (build it with `pip wheel --no-deps -w wheels /path/to/cnncheck`), and
# optionally the course's bank in bank/ and its roster in roster.csv.
set -euo pipefail
apt-get update
apt-get install -y python3 python3-venv python3-pip
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install /autograder/source/wheels/*.whl
