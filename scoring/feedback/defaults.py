"""Defaults and choices of the client-feedback report, in a module without imports so that the
command line can show them as option defaults without loading pandas or statsmodels. The
modules that use them (:mod:`~scoring.feedback.alerts`, :mod:`~scoring.feedback.change`,
:mod:`~scoring.feedback.expected`) import them from here and document them."""

# alerts: the no-change alert from this contact on; the visit-drop alert from this many points
DEFAULT_NO_CHANGE_AFTER = 4
DEFAULT_VISIT_DROP = 3.0
LANGUAGES = ("nb", "nn", "en")
# reliable change: the point for "recovered" (stored cut-off or Jacobson & Truax a, b, c)
CRITERIA = ("cutoff", "a", "b", "c")
# expected trajectories: clients needed, and outcome scores a client needs to count
MIN_CLIENTS = 30
MIN_CONTACTS = 3
