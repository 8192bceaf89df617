"""Write a validation report's id and date into an instrument file (``validation:``).

The file is edited with ruamel.yaml's round-trip loader, so its comments, key order and
quoting stay as the author wrote them; only the ``validation:`` block is added or replaced
(after ``status:``). The result is checked like any instrument file
(:func:`scoring.instrument.loading.check_instrument_file`) before it replaces the original,
and the original is kept when the check fails.
"""

from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from scoring.errors import UserError
from scoring.instrument.loading import check_instrument_file, load_instrument
from scoring.instrument.model import Instrument, Validation


def check_record_target(path: Path, instrument_id: str) -> Instrument:
    """The instrument in ``path``; a UserError unless it loads and is ``instrument_id``."""
    inst = load_instrument(path)
    if inst.id != instrument_id:
        raise UserError.single(f"the file is instrument '{inst.id}', not '{instrument_id}'", file=str(path), path="--record")
    return inst


def record_validation(path: Path, validation: Validation) -> Instrument:
    """Add or replace the ``validation:`` block of the instrument file at ``path``; the
    instrument as it now loads."""
    path = Path(path)
    yaml = YAML()  # round trip: comments and layout kept
    yaml.preserve_quotes = True
    original = path.read_text(encoding="utf-8")
    data = yaml.load(original)
    block = CommentedMap()
    block["report"] = validation.report
    block["date"] = validation.date.isoformat()
    block["round"] = validation.round
    block["n"] = validation.n
    if validation.version is not None:
        block["version"] = validation.version
    if "validation" in data:
        data["validation"] = block
    else:
        keys = list(data.keys())
        at = keys.index("status") + 1 if "status" in keys else len(keys)
        data.insert(at, "validation", block, comment="the report behind the status (samklima validation-report --record)")
    out = io.StringIO()
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    inst, problems = check_instrument_file(path)
    if problems:
        path.write_text(original, encoding="utf-8")
        raise UserError(problems)
    return inst
