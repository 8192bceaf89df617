"""Expected trajectories of the outcome total, estimated from the service's own clients.

Published ORS trajectories and norms are licensed and do not transfer to new wording
(no norms or trajectories exist for our own wording), so the expected course is a model of the service's data.

Model
-----
For each client i with intake score x_i (the first outcome total) and each later contact t
(contact number > the intake's), a linear mixed model (Laird & Ware 1982), fitted by REML:

    y_it = b0 + b1 (x_i - xbar) + b2 log(t) + b3 (x_i - xbar) log(t) + u0_i + u1_i log(t) + e_it

with (u0_i, u1_i) ~ N(0, G) and e_it ~ N(0, sigma^2); xbar is the mean intake of the clients in
the fit. log(contact) because change in feedback-informed work is fastest early and slows
(the log-linear dose-response of Howard, Kopta, Krause & Orlinsky 1986). The intake enters as a
covariate, so the expected course is conditional on where the client starts (regression to
the mean included). If the random slope cannot be estimated (no convergence, or G singular),
the model falls back to a random intercept only, and says so.

Expected trajectory of a new client with intake x at contact t > 1:

    mean  m(t) = b0 + b1 (x - xbar) + b2 log t + b3 (x - xbar) log t
    var   v(t) = z' G z + sigma^2,  z = (1, log t)
    25th / 75th percentile  m(t) -/+ 0.6745 sqrt(v(t))

(the spread of a new client's score around the expected course; the uncertainty of the
fixed effects is not added). At the intake contact the band is the intake itself. Values are
clipped to the range of the total (0-40). The band is given up to the largest contact number
in the data the model rests on.

The fit agrees with R's ``lme4::lmer(y ~ xc * logt + (logt | client), REML = TRUE)`` to 1e-6
on the sample data (``tests/reference/feedback_trajectory.R``). It is made only when at least
``min_clients`` clients (default 30) have at least ``min_contacts`` outcome totals (default 3);
only those clients are used.

References
----------
Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal data. Biometrics,
38, 963-974.
Howard, K. I., Kopta, S. M., Krause, M. S., & Orlinsky, D. E. (1986). The dose-effect
relationship in psychotherapy. American Psychologist, 41, 159-164.
Finch, A. E., Lambert, M. J., & Schaalje, B. G. (2001). Psychotherapy quality control: the
statistical generation of expected recovery curves for integration into an early warning
system. Clinical Psychology & Psychotherapy, 8, 231-242.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.errors import UserError
from scoring.feedback.defaults import MIN_CLIENTS, MIN_CONTACTS
from scoring.result import Result

Z_QUARTILE = 0.6744897501960817  # the standard normal's 75th percentile
FIXED_NAMES = ("intercept", "intake", "log_contact", "intake_x_log_contact")
_FITS = (dict(method="bfgs", gtol=1e-9, maxiter=5000), dict(method="lbfgs", maxiter=5000), dict(method="nm", maxiter=20000))

TEXT = {
    "basis": {
        "nb": "Beregnet fra {clients} klienter med minst {min_contacts} målinger ({contacts} kontakter) i {scope}, "
        "{first} til {last}: en blandet modell av totalskåren for hverdagen etter log(kontaktnummer) og skåren ved oppstart, "
        "med {random} per klient; båndet rommer de midterste 50 % av skårene som er ventet.",
        "en": "Estimated from {clients} clients with at least {min_contacts} scores ({contacts} contacts) in {scope}, "
        "{first} to {last}: a mixed model of the outcome total by log(contact number) and intake score, "
        "with {random} per client; the band holds the middle 50% of the expected scores.",
        "nn": "Rekna ut frå {clients} klientar med minst {min_contacts} målingar ({contacts} kontaktar) i {scope}, "
        "{first} til {last}: ein blanda modell av totalskåren for kvardagen etter log(kontaktnummer) og skåren ved oppstart, "
        "med {random} per klient; bandet rommar dei midtarste 50 % av skårane som er venta.",
    },
    "random_slope": {"nb": "tilfeldig nivå og stigning", "nn": "tilfeldig nivå og stiging", "en": "a random intercept and slope"},
    "random_intercept": {"nb": "tilfeldig nivå (stigningen kunne ikke skilles ut)", "nn": "tilfeldig nivå (stiginga kunne ikkje skiljast ut)",
                         "en": "a random intercept (the slope could not be separated)"},
    "unit": {"nb": "enhet {unit}", "nn": "eining {unit}", "en": "unit {unit}"},
    "all": {"nb": "alle enheter i dataene", "nn": "alle einingar i dataa", "en": "all units in the data"},
    "too_few": {
        "nb": "Ingen forventet kurve ennå: {clients} klienter i {scope} har minst {min_contacts} målinger, og det trengs {min_clients}.",
        "nn": "Inga forventa kurve enno: {clients} klientar i {scope} har minst {min_contacts} målingar, og det trengst {min_clients}.",
        "en": "No expected trajectory yet: {clients} clients in {scope} have at least {min_contacts} scores, and {min_clients} are needed.",
    },
    "no_fit": {
        "nb": "Ingen forventet kurve: modellen for {scope} kunne ikke tilpasses ({why}).",
        "nn": "Inga forventa kurve: modellen for {scope} kunne ikkje tilpassast ({why}).",
        "en": "No expected trajectory: the model for {scope} could not be fitted ({why}).",
    },
}


@dataclass(frozen=True, repr=False)
class ExpectedTrajectories(Result):
    """A fitted expected-trajectory model (or the reason there is none).

    ``fixed``: b0..b3 (:data:`FIXED_NAMES`); ``cov_re``: G (2 x 2 with a random slope, else
    1 x 1); ``residual_var``: sigma^2; ``intake_mean``: xbar. ``clients``/``contacts`` count
    the clients and their contacts with an outcome total (intake included) the model rests on, ``first_date``
    and ``last_date`` their range, ``max_contact`` the largest contact number.
    """

    available: bool
    unit: str | None
    clients: int
    contacts: int
    min_clients: int
    min_contacts: int
    first_date: pd.Timestamp | None = None
    last_date: pd.Timestamp | None = None
    max_contact: int | None = None
    intake_mean: float = float("nan")
    fixed: dict[str, float] = field(default_factory=dict)
    cov_re: np.ndarray | None = field(default=None, repr=False)
    residual_var: float = float("nan")
    random_slope: bool = False
    total_range: tuple[float, float] = (0.0, 40.0)
    failure: str | None = None

    def scope(self, lang: str = "nb") -> str:
        return TEXT["all"][lang] if self.unit is None else TEXT["unit"][lang].format(unit=self.unit)

    def basis(self, lang: str = "nb") -> str:
        """The one-sentence statement of the data the model rests on (or why there is none)."""
        scope = self.scope(lang)
        if self.failure is not None:
            return TEXT["no_fit"][lang].format(scope=scope, why=self.failure)
        if not self.available:
            return TEXT["too_few"][lang].format(clients=self.clients, scope=scope, min_contacts=self.min_contacts, min_clients=self.min_clients)
        return TEXT["basis"][lang].format(
            clients=self.clients,
            min_contacts=self.min_contacts,
            contacts=self.contacts,
            scope=scope,
            first=self.first_date.date().isoformat(),
            last=self.last_date.date().isoformat(),
            random=TEXT["random_slope" if self.random_slope else "random_intercept"][lang],
        )

    def band(self, intake: float, contacts=None) -> pd.DataFrame:
        """``contact``, ``expected``, ``expected_p25``, ``expected_p75`` for a client with this
        intake score, for ``contacts`` (default 1 .. ``max_contact``); NaN beyond ``max_contact``."""
        if not self.available:
            raise ValueError("no expected trajectory: " + self.basis("en"))
        t = np.arange(1, self.max_contact + 1) if contacts is None else np.asarray(contacts, dtype=np.int64)
        logt = np.log(t.astype(float))
        xc = float(intake) - self.intake_mean
        b = self.fixed
        mean = b["intercept"] + b["intake"] * xc + (b["log_contact"] + b["intake_x_log_contact"] * xc) * logt
        g = self.cov_re
        var = g[0, 0] + self.residual_var
        if self.random_slope:
            var = var + 2.0 * g[0, 1] * logt + g[1, 1] * logt**2
        half = Z_QUARTILE * np.sqrt(var)
        low, high = self.total_range
        out = pd.DataFrame({
            "contact": t,
            "expected": np.clip(mean, low, high),
            "expected_p25": np.clip(mean - half, low, high),
            "expected_p75": np.clip(mean + half, low, high),
        })  # fmt: skip
        first = t <= 1
        out.loc[first, ["expected", "expected_p25", "expected_p75"]] = float(intake)
        out.loc[t > self.max_contact, ["expected", "expected_p25", "expected_p75"]] = np.nan
        return out

    def to_dict(self, lang: str = "nb") -> dict:
        out = {
            "available": self.available,
            "unit": self.unit,
            "basis": self.basis(lang),
            "clients": self.clients,
            "contacts": self.contacts,
            "min_clients": self.min_clients,
            "min_contacts": self.min_contacts,
        }
        if self.available:
            out.update(
                first_date=self.first_date.date().isoformat(),
                last_date=self.last_date.date().isoformat(),
                max_contact=self.max_contact,
                intake_mean=self.intake_mean,
                fixed=dict(self.fixed),
                cov_re=self.cov_re.tolist(),
                residual_var=self.residual_var,
                random_slope=self.random_slope,
            )
        return out

    def summary(self) -> str:
        lines = [self.basis("en")]
        if self.available:
            lines.append("  fixed: " + ", ".join(f"{k} {v:.3f}" for k, v in self.fixed.items()) + f" (intake centred at {self.intake_mean:.2f})")
            g = self.cov_re
            re = f"var(intercept) {g[0, 0]:.3f}"
            if self.random_slope:
                re += f", var(log_contact) {g[1, 1]:.3f}, cov {g[0, 1]:.3f}"
            lines.append(f"  random: {re}; residual var {self.residual_var:.3f}")
        return "\n".join(lines)


def fit_expected_trajectories(
    contacts: pd.DataFrame,
    *,
    unit: str | None = None,
    min_clients: int = MIN_CLIENTS,
    min_contacts: int = MIN_CONTACTS,
    total_range: tuple[float, float] = (0.0, 40.0),
) -> ExpectedTrajectories:
    """Fit the expected-trajectory model (module docstring) on prepared contacts.

    ``contacts``: :func:`scoring.feedback.clients.prepare_contacts` output (columns ``unit``,
    ``client``, ``contact``, ``date``, ``outcome_total``), already restricted to the scope;
    ``unit`` names that scope in the statement (None: all units in the data). Returns an
    unavailable result, with the reason, when fewer than ``min_clients`` clients have
    ``min_contacts`` outcome totals or the model cannot be fitted.
    """
    if min_clients < 2 or min_contacts < 2:
        raise UserError.single("expected trajectories need min_clients >= 2 and min_contacts >= 2")
    scored = contacts[contacts["outcome_total"].notna()].sort_values(["unit", "client", "contact"])
    key = scored["unit"].astype(str) + "\x1f" + scored["client"].astype(str)
    counts = key.map(key.value_counts())
    used = scored[counts >= min_contacts].copy()
    used_key = key[counts >= min_contacts]
    n_clients = int(used_key.nunique())
    common = dict(unit=unit, clients=n_clients, min_clients=min_clients, min_contacts=min_contacts, total_range=total_range)
    if n_clients < min_clients:
        return ExpectedTrajectories(available=False, contacts=int(len(used)), **common)
    used["key"] = used_key
    intake = used.groupby("key", sort=False)["outcome_total"].transform("first")
    intake_contact = used.groupby("key", sort=False)["contact"].transform("min")
    xbar = float(used.groupby("key", sort=False)["outcome_total"].first().mean())
    later = used[used["contact"] > intake_contact]
    data = pd.DataFrame({
        "y": later["outcome_total"].to_numpy(dtype=float),
        "xc": (intake[later.index] - xbar).to_numpy(dtype=float),
        "logt": np.log(later["contact"].to_numpy(dtype=float)),
        "key": later["key"].to_numpy(),
    })  # fmt: skip
    fit, slope, why = _fit(data)
    common.update(contacts=int(len(used)))
    if fit is None:
        return ExpectedTrajectories(available=False, failure=why, **common)
    fe = fit.fe_params.to_numpy()
    return ExpectedTrajectories(
        available=True,
        first_date=used["date"].min(),
        last_date=used["date"].max(),
        max_contact=int(used["contact"].max()),
        intake_mean=xbar,
        fixed=dict(zip(FIXED_NAMES, map(float, fe))),
        cov_re=np.asarray(fit.cov_re, dtype=float),
        residual_var=float(fit.scale),
        random_slope=slope,
        **common,
    )


def _fit(data: pd.DataFrame):
    """REML fit with a random slope, else a random intercept; (result, slope?, failure reason)."""
    import statsmodels.formula.api as smf
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    why = "no optimiser converged"
    for re_formula, slope in (("~logt", True), ("~1", False)):
        model = smf.mixedlm("y ~ xc * logt", data, groups=data["key"], re_formula=re_formula)
        for options in _FITS:
            with warnings.catch_warnings():
                warnings.simplefilter("error", ConvergenceWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                try:
                    fit = model.fit(reml=True, **options)
                except (ConvergenceWarning, np.linalg.LinAlgError, ValueError) as err:
                    why = str(err).splitlines()[0]
                    continue
            g = np.asarray(fit.cov_re, dtype=float)
            if not fit.converged or not np.all(np.isfinite(g)) or not math.isfinite(fit.scale):
                continue
            if np.linalg.eigvalsh(g).min() <= 1e-8 * max(1.0, float(np.abs(g).max())):
                why = "the random-effects covariance is singular"
                break  # a boundary fit: try the simpler model
            return fit, slope, None
    return None, False, why
