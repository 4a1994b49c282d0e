#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# The autograder zip holds this file, run_autograder, a cnncheck wheel in wheels/
# (build it with `pip wheel --no-deps -w wheels /path/to/cnncheck`), and optionally
# the course's own question bank in bank/ (a YAML file or a folder of them).
set -euo pipefail
apt-get install -y python3 python3-venv python3-pip
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install /autograder/source/wheels/*.whl
