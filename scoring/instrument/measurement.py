"""An instrument's measurement model as lavaan syntax, for CFA (:func:`scoring.stats.cfa.estimate.cfa`).

The model is the instrument's own claim: each scale is a factor measured by its items
(Brown, 2015, *Confirmatory Factor Analysis for Applied Research*, ch. 3); the statistics
package takes the syntax, so it never needs to know what an instrument is.
"""

from __future__ import annotations

from scoring.errors import UserError
from scoring.instrument.model import Instrument


def model_from_instrument(inst: Instrument, scales: list[str] | None = None) -> str:
    """lavaan syntax with one factor per scale of ``inst``: ``scale_id =~ item + item + ...``.

    By default every scale except total scales (scales holding all the instrument's items, such
    as ``sk_total``); an instrument whose only scales are totals gets one factor. ``scales``
    names the scales to use. A scale needs at least two items.
    """
    if scales is not None:
        known = {s.id: s for s in inst.scales}
        unknown = [s for s in scales if s not in known]
        if unknown:
            raise UserError.single(
                f"unknown scale(s) {', '.join(unknown)} in {inst.id} (scales: {', '.join(known)})", path="scales"
            )
        chosen = [known[s] for s in scales]
    else:
        all_items = set(inst.item_ids)
        chosen = [s for s in inst.scales if set(s.items) != all_items] or list(inst.scales)
    if not chosen:
        raise UserError.single(f"the instrument {inst.id} defines no scales", path="scales")
    short = [s.id for s in chosen if len(s.items) < 2]
    if short:
        raise UserError.single(f"scale(s) with fewer than two items cannot be factors: {', '.join(short)}", path="scales")
    return "\n".join(f"{s.id} =~ " + " + ".join(s.items) for s in chosen)
