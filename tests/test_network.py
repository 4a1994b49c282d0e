"""The network kind: a model summary graded row by row, pinned on LeNet-5 and VGG-16."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck.bank import BankError, load_bank
from cnncheck.cli import cli
from cnncheck.grading import grade_answer

DATA = Path(__file__).parent / "data"
NETS = load_bank(DATA / "networks.yaml").get("nets")
LENET_ROWS = [
    ((6, 28, 28), 156),
    ((6, 14, 14), 0),
    ((16, 10, 10), 2416),
    ((16, 5, 5), 0),
    ((400,), 0),
    ((120,), 48120),
    ((84,), 10164),
    ((10,), 850),
]


def test_lenet5_61706():
    t = NETS.questions["lenet"].expected.value
    assert list(t.rows) == LENET_ROWS and t.total == 61_706


def test_vgg16_138357544():
    t = NETS.questions["vgg16"].expected.value
    assert t.total == 138_357_544
    assert t.rows[0] == ((224, 224, 64), 1792) and t.rows[17] == ((7, 7, 512), 0)
    assert t.rows[-4:] == (
        ((25088,), 0),
        ((4096,), 102_764_544),
        ((4096,), 16_781_312),
        ((1000,), 4_097_000),
    )


def answer(rows, total=61706):
    return {"layers": rows, "total": total}


@pytest.mark.parametrize(
    "rows",
    [
        [
            "6x28x28, 156",
            "6x14x14, 0",
            "16x10x10, 2,416",
            "16x5x5, 0",
            "400, 0",
            "120, 48,120",
            "84, 10,164",
            "10, 850",
        ],
        [
            ["6x28x28", 156],
            ["6x14x14", 0],
            ["16x10x10", 2416],
            ["16x5x5", 0],
            [400, 0],
            [120, 48120],
            [84, 10164],
            [10, 850],
        ],
        [
            {"shape": "6 x 28 x 28", "params": 156},
            "6×14×14 | 0",
            "16x10x10 2416",
            "16x5x5; 0",
            "400 0",
            "120 48120",
            "84 10164",
            "10 850",
        ],
    ],
)
def test_row_notations(rows):
    assert grade_answer(NETS.questions["lenet"], answer(rows)).status == "correct"


def test_rows_as_one_block_of_text():
    text = (
        "6x28x28, 156\n6x14x14, 0\n16x10x10, 2416\n16x5x5, 0\n"
        "400, 0\n120, 48120\n84, 10164\n10, 850\n"
    )
    assert grade_answer(NETS.questions["lenet"], answer(text)).status == "correct"


def test_each_row_graded_and_named_mistakes():
    q = NETS.questions["lenet"]
    rows = [f"{'x'.join(map(str, s))}, {n}" for s, n in LENET_ROWS]
    wrong = rows.copy()
    wrong[2] = "16x10x10, 2400"  # the bias of conv2 forgotten
    r = grade_answer(q, answer(wrong, 61690))
    assert r.status == "incorrect" and r.message == "7 of 9 rows right (the total counts as a row)"
    assert r.wrong.tolist() == [False, False, True, False, False, False, False, False, True]
    assert r.mistakes == ()  # one bias forgotten is not "every bias omitted"
    no_bias = [f"{'x'.join(map(str, s))}, {n - (s[0] if n else 0)}" for s, n in LENET_ROWS]
    r = grade_answer(q, answer(no_bias, 61706 - 6 - 16 - 120 - 84 - 10))
    assert r.mistakes == ("bias_omitted",)
    assert grade_answer(q, answer(rows[:-1])).message == "your table has 7 rows, expected 8"
    r = grade_answer(q, answer(rows, None))
    assert r.status == "incorrect" and r.wrong.tolist()[-1]  # the total was not given


def test_partial_credit_by_rows(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_text(
        (DATA / "networks.yaml")
        .read_text()
        .replace("assignment: nets", "assignment: nets\npartial: rows")
    )
    q = load_bank(p).get("nets").questions["lenet"]
    rows = [f"{'x'.join(map(str, s))}, {n}" for s, n in LENET_ROWS]
    rows[0] = "6x24x24, 156"
    r = grade_answer(q, answer(rows))
    assert r.status == "partial" and r.score == pytest.approx(8 / 9)


def test_ill_posed_networks(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_text(
        textwrap.dedent("""\
        assignment: t
        questions:
          a: {kind: network, input_shape: [1, 8, 8], layers: [{type: dense, units: 3}]}
          b: {kind: network, input_shape: [1, 8, 8],
              layers: [{type: flatten}, {type: conv2d, filters: 2, kernel: 3}]}
        """)
    )
    with pytest.raises(BankError) as e:
        load_bank(p).get("t")
    assert [x.message for x in e.value.problems] == [
        "question a: layer 1: a dense layer needs a flatten before it",
        "question b: layer 2: a conv2d layer needs a C×H×W input, not a flat one",
    ]


def test_cli_table_json_and_explain():
    r = CliRunner().invoke(
        cli,
        ["--bank", str(DATA / "networks.yaml"), "solve", "lenet", "--explain", "--format", "json"],
    )
    data = json.loads(r.output)
    assert data["answers"]["lenet"]["total"] == 61706
    assert data["answers"]["lenet"]["layers"][2] == {"shape": [16, 10, 10], "params": 2416}
    steps = [s["text"] for s in data["working"]["lenet"]]
    assert "layer 6, dense, 120 units: 400 × 120 + 120 = 48,120 parameters" in steps
    assert "layer 5, flatten: 16·5·5 = 400 values, 0 parameters" in steps
    assert steps[-1] == "total: 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706"
    r = CliRunner().invoke(
        cli, ["--bank", str(DATA / "networks.yaml"), "solve", "vgg16"], env={"COLUMNS": "120"}
    )
    assert "138,357,544" in r.output and "102,764,544" in r.output
