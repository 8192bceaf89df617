"""Write a validation report's id and date into an instrument file (``validation:``).

The file is edited as text, so every other line (comments, layout, quoting, line width) stays
as the author wrote it: the top-level ``validation:`` block is replaced, or added after the
``status:`` entry (before the next top-level key). The result is checked like any instrument file
(:func:`scoring.instrument.loading.check_instrument_file`) before it replaces the original,
and the original is kept when the check fails.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from scoring.errors import UserError
from scoring.instrument.loading import check_instrument_file, load_instrument
from scoring.instrument.model import Instrument, Validation


def check_record_target(path: Path, instrument_id: str) -> Instrument:
    """The instrument in ``path``; a UserError unless it loads and is ``instrument_id``."""
    inst = load_instrument(path)
    if inst.id != instrument_id:
        raise UserError.single(f"the file is instrument '{inst.id}', not '{instrument_id}'", file=str(path), path="--record")
    return inst


def validation_block(validation: Validation) -> list[str]:
    """The ``validation:`` block as YAML lines (strings double-quoted, so a round named
    ``2027`` stays text; the date as YAML reads it)."""
    lines = ["validation:                      # the report behind the status (samklima validation-report --record)",
             f"  report: {json.dumps(validation.report)}",
             f"  date: {validation.date.isoformat()}",
             f"  round: {json.dumps(validation.round, ensure_ascii=False)}",
             f"  n: {validation.n}"]
    if validation.version is not None:
        lines.append(f"  version: {json.dumps(validation.version, ensure_ascii=False)}")
    return lines


def record_validation(path: Path, validation: Validation) -> Instrument:
    """Add or replace the ``validation:`` block of the instrument file at ``path``; the
    instrument as it now loads."""
    path = Path(path)
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines()
    top = [i for i, line in enumerate(lines) if line[:1].strip() and not line.startswith(("#", "-"))]
    old = next((i for i in top if re.match(r"validation\s*:", lines[i])), None)
    if old is not None:  # replace the block: up to the next top-level key
        end = next((i for i in top if i > old), len(lines))
        lines[old:end] = validation_block(validation)
    else:
        status = next((i for i in top if re.match(r"status\s*:", lines[i])), None)
        at = len(lines) if status is None else next((i for i in top if i > status), len(lines))
        lines[at:at] = validation_block(validation)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inst, problems = check_instrument_file(path)
    if problems:
        path.write_text(original, encoding="utf-8")
        raise UserError(problems)
    return inst
