"""What every JSON document a client sends must be, beyond its schema: text that is valid
Unicode and numbers that are finite.

Python's json module accepts both `"\\ud800"` (a lone surrogate, which no database or encoder
can store) and the non-standard `NaN` and `Infinity`; a schema alone lets them through to where
they fail with a 500. The walk is iterative, so a deeply nested document cannot exhaust the stack.
"""

from __future__ import annotations

import math


def check_client_json(document: object) -> object:
    """`document` unchanged, or ValueError naming the first bad value's kind."""
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ValueError("numbers must be finite (NaN and Infinity are not JSON)")
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    _check_text(key)
                pending.append(item)
        elif isinstance(value, list | tuple):
            pending.extend(value)
    return document


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (it holds a lone surrogate)") from None
