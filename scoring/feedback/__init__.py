"""Client feedback (outcome and session scales): reading and scoring contacts, reliable and
clinically significant change, alerts, expected trajectories, the caseload and unit aggregates.

* :mod:`~scoring.feedback.clients` — contacts read and scored per client;
* :mod:`~scoring.feedback.change` — reliable change index and cut-offs (Jacobson & Truax, 1991);
* :mod:`~scoring.feedback.alerts` — alert rules on a client's course;
* :mod:`~scoring.feedback.expected` — expected trajectories from a reference sample;
* :mod:`~scoring.feedback.caseload` — a clinician's caseload, within their scope;
* :mod:`~scoring.feedback.units` — unit figures, cells of the publication (docs/privacy.md);
* :mod:`~scoring.feedback.report` — a client's course as a printable summary.
"""
