"""``padding``: the padding that makes a convolution's output a given size."""

from __future__ import annotations

from typing import NamedTuple

from .. import engine, forms
from . import teaching
from .base import MAX_SIZE, DefinitionError, Key, Kind, get_int
from .teaching import Step, attempt


class PaddingParams(NamedTuple):
    input_size: int
    kernel: int
    stride: int
    dilation: int
    output_size: int


class Padding(Kind):
    name = "padding"
    keys = (
        Key("input_size", "count", "the input's side", required=True),
        Key("kernel", "count", "the kernel's side", required=True),
        Key("stride", "count", "the stride", 1),
        Key("dilation", "count", "the dilation", 1),
        Key("output_size", "count", "the output's side the padding must give", required=True),
    )
    form = forms.COUNT
    mistakes = teaching.named(
        "stride_ignored",
        "dilation_ignored",
        total_padding=(
            "the total padding (both sides together) was given instead of the padding per side"
        ),
    )
    examples = (
        {"input_size": 8, "kernel": 3, "stride": 2, "output_size": 8},
        {"input_size": 10, "kernel": 3, "dilation": 2, "output_size": 10},
    )

    def parse(self, d, convention):
        p = PaddingParams(
            get_int(d, "input_size", minimum=1),
            get_int(d, "kernel", minimum=1),
            get_int(d, "stride", 1, minimum=1),
            get_int(d, "dilation", 1, minimum=1),
            get_int(d, "output_size", minimum=1),
        )
        least = -(
            -(
                (p.output_size - 1) * p.stride
                + engine.effective_kernel(p.kernel, p.dilation)
                - p.input_size
            )
            // 2
        )
        if (
            least > MAX_SIZE
        ):  # the engine tries p = 0, 1, 2, ...: refused before it would try millions
            raise DefinitionError(
                f"the padding would be at least {least:,}; a padding is at most {MAX_SIZE:,}",
                "output_size",
            )
        if (
            engine.padding_for_output(p.input_size, p.kernel, p.output_size, p.stride, p.dilation)
            is None
        ):
            near = [
                engine.conv_output_size(p.input_size, p.kernel, p.stride, q, p.dilation)
                for q in range(3)
            ]
            raise DefinitionError(
                f"no padding gives output size {p.output_size} (padding 0, 1, 2 give "
                f"{', '.join(map(str, near))})",
                "output_size",
            )
        return p

    def solve(self, p):
        return forms.Expected(
            engine.padding_for_output(p.input_size, p.kernel, p.output_size, p.stride, p.dilation)
        )

    def mistake_answers(self, p):
        out = []
        answer = self.solve(p).value
        if answer:
            attempt(out, "total_padding", lambda: 2 * answer)
        if p.stride != 1:
            attempt(out, "stride_ignored", lambda: _solve_or_fail(p._replace(stride=1)))
        if p.dilation != 1:
            attempt(out, "dilation_ignored", lambda: _solve_or_fail(p._replace(dilation=1)))
        return out

    def explain(self, p, expected):
        ke = engine.effective_kernel(p.kernel, p.dilation)
        kd = f"{p.dilation}·({p.kernel} − 1) + 1 = {ke}" if p.dilation != 1 else str(p.kernel)
        steps = [
            Step(
                f"out = ⌊(in + 2p − k_eff) / s⌋ + 1 "
                f"with in = {p.input_size}, k_eff = {kd}, s = {p.stride}; "
                f"try p = 0, 1, 2, … until out = {p.output_size}"
            )
        ]
        for q in range(expected.value + 1):
            o = engine.conv_output_size(p.input_size, p.kernel, p.stride, q, p.dilation)
            steps.append(
                Step(
                    f"p = {q}: ⌊({p.input_size} + {2 * q} − {ke}) / {p.stride}⌋ + 1 = {o}"
                    + (" ✓" if o == p.output_size else "")
                )
            )
        steps.append(Step("The padding on each side:", expected.value))
        return steps

    def describe(self, p):
        rows: list[tuple[str, object]] = [
            ("input size", str(p.input_size)),
            ("kernel", str(p.kernel)),
            ("stride", str(p.stride)),
        ]
        if p.dilation != 1:
            rows.append(("dilation", str(p.dilation)))
        rows.append(("output size", str(p.output_size)))
        return rows


def _solve_or_fail(p: PaddingParams) -> int:
    q = engine.padding_for_output(p.input_size, p.kernel, p.output_size, p.stride, p.dilation)
    if q is None:
        raise ValueError("unreachable")
    return q


KIND = Padding()
