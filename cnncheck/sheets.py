"""CSV files people fill in and give back: a TA's review sheet, a class roster.

A spreadsheet may save with commas, semicolons or tabs (the header's most frequent one is the
delimiter), with a byte-order mark, and with blank rows; each row comes back with its line, so
every message can name it.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator

from .yamlio import ANSWER_LIMITS, InputError, read_text


def read_sheet(path, max_bytes: int, what: str) -> tuple[str, list[str], Iterator]:
    """``(name, header, rows)``: the header's cells stripped, then ``(line, cells)`` per row that
    is not blank. Raises :class:`InputError` for an empty file or one that is not CSV (``what``
    names it: "sheet", "roster")."""
    name = os.fspath(path)
    text = read_text(name, ANSWER_LIMITS._replace(bytes=max_bytes))
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(f"the {what} is empty: expected a header of columns", name, 1) from None
    except csv.Error as e:
        raise InputError(f"not a CSV {what}: {e}", name, 1) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise InputError(f"not a CSV {what}: {e}", name, line) from None
            if any(c.strip() for c in cells):
                yield line, cells

    return name, header, rows()
