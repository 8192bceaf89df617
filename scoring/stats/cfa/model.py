"""The parameter table of a (multi-group) CFA model and its implied moments.

For group g the model is the LISREL measurement model

    Sigma_g = Lambda_g Psi_g Lambda_g' + Theta_g,     mu_g = nu_g + Lambda_g alpha_g,

with loadings Lambda (p x m), factor (co)variances Psi (m x m), residual (co)variances Theta
(p x p), intercepts nu (p) and factor means alpha (m). Every matrix entry is either fixed or
points to one of the free parameters ``x``; entries that share a parameter are constrained equal
(labels, ``group_equal`` less ``group_partial``). Defaults follow ``lavaan::cfa`` (lavaan 0.6):
the first loading of each factor is fixed to 1 (or, with ``std_lv``, factor variances are fixed
to 1), residual and factor variances and all factor covariances are free, residual covariances
are zero unless written. With a mean structure (multi-group or FIML) intercepts are free and factor means are 0;
when intercepts are equal across groups the factor means are free in groups 2, 3, ...
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scoring.errors import Problem, UserError
from scoring.stats.cfa.syntax import ModelSpec

MATRICES = ("lambda", "psi", "theta", "nu", "alpha")


@dataclass(frozen=True)
class Parameter:
    """One free parameter, described in lavaan's ``lhs op rhs`` notation (first occurrence)."""

    lhs: str
    op: str
    rhs: str
    group: int


@dataclass
class ParTable:
    """Fixed values and free-parameter indices of every model matrix, per group.

    ``index[name][g]`` holds the index of the free parameter at each entry (-1: fixed) and
    ``value[name][g]`` the fixed values. ``start`` is a start vector for the optimiser.
    """

    observed: list[str]
    factors: list[str]
    n_groups: int
    meanstructure: bool
    params: list[Parameter] = field(default_factory=list)
    index: dict[str, list[np.ndarray]] = field(default_factory=dict)
    value: dict[str, list[np.ndarray]] = field(default_factory=dict)

    @property
    def npar(self) -> int:
        return len(self.params)

    @property
    def p(self) -> int:
        return len(self.observed)

    @property
    def m(self) -> int:
        return len(self.factors)

    def matrices(self, x: np.ndarray, g: int) -> dict[str, np.ndarray]:
        """The model matrices of group ``g`` at parameter vector ``x``."""
        out = {}
        for name in MATRICES:
            idx = self.index[name][g]
            mat = self.value[name][g].copy()
            free = idx >= 0
            mat[free] = x[idx[free]]
            out[name] = mat
        return out

    def implied(self, x: np.ndarray, g: int) -> tuple[np.ndarray, np.ndarray]:
        """(Sigma_g, mu_g) implied by ``x``."""
        mat = self.matrices(x, g)
        lam = mat["lambda"]
        sigma = lam @ mat["psi"] @ lam.T + mat["theta"]
        mu = mat["nu"] + lam @ mat["alpha"]
        return sigma, mu

    def gradient(self, x: np.ndarray, g: int, d_sigma: np.ndarray, d_mu: np.ndarray | None) -> np.ndarray:
        """Chain rule from dF/dSigma_g (entries treated as distinct) and dF/dmu_g to dF/dx.

        dF/dLambda = (G + G') Lambda Psi + dmu alpha';  dF/dPsi = Lambda' G Lambda;
        dF/dTheta = G;  dF/dnu = dmu;  dF/dalpha = Lambda' dmu.
        """
        mat = self.matrices(x, g)
        lam, psi, alpha = mat["lambda"], mat["psi"], mat["alpha"]
        gs = d_sigma + d_sigma.T
        parts = {
            "lambda": gs @ lam @ psi,
            "psi": lam.T @ d_sigma @ lam,
            "theta": d_sigma,
            "nu": np.zeros(self.p),
            "alpha": np.zeros(self.m),
        }
        if d_mu is not None:
            parts["lambda"] = parts["lambda"] + np.outer(d_mu, alpha)
            parts["nu"] = d_mu
            parts["alpha"] = lam.T @ d_mu
        grad = np.zeros(self.npar)
        for name in MATRICES:
            idx = self.index[name][g]
            free = idx >= 0
            grad += np.bincount(idx[free], weights=parts[name][free], minlength=self.npar)
        return grad

    def moments(self, x: np.ndarray, pairs: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """Implied moments stacked over groups: (mu_g if meanstructure, Sigma_g[pairs]).

        ``pairs`` (row and column indices) defaults to the lower triangle with the diagonal.
        """
        rows, cols = pairs if pairs is not None else np.tril_indices(self.p)
        out = []
        for g in range(self.n_groups):
            sigma, mu = self.implied(x, g)
            if self.meanstructure:
                out.append(mu)
            out.append(sigma[rows, cols])
        return np.concatenate(out)

    def jacobian(self, x: np.ndarray, pairs: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """d moments / d x (rows as in :meth:`moments`), analytically.

        With sigma_kl = sum_ab lambda_ka psi_ab lambda_lb + theta_kl and mu_k = nu_k + sum_a
        lambda_ka alpha_a: d sigma_kl / d lambda_if = [k=i] (Lambda Psi)_lf + [l=i] (Lambda Psi)_kf,
        d sigma_kl / d psi_ab = lambda_ka lambda_lb, d sigma_kl / d theta_ij = [k=i][l=j],
        d mu_k / d lambda_if = [k=i] alpha_f, d mu_k / d nu_i = [k=i], d mu_k / d alpha_a = lambda_ka;
        entries that share a parameter add up.
        """
        rows, cols = pairs if pairs is not None else np.tril_indices(self.p)
        blocks = []
        for g in range(self.n_groups):
            mat = self.matrices(x, g)
            lam, psi, alpha = mat["lambda"], mat["psi"], mat["alpha"]
            lp = lam @ psi
            d_sigma = np.zeros((rows.size, self.npar))
            d_mu = np.zeros((self.p, self.npar))
            idx = self.index
            for i, f in zip(*np.nonzero(idx["lambda"][g] >= 0)):
                k = idx["lambda"][g][i, f]
                d_sigma[:, k] += (rows == i) * lp[cols, f] + (cols == i) * lp[rows, f]
                d_mu[i, k] += alpha[f]
            for a, b in zip(*np.nonzero(idx["psi"][g] >= 0)):
                d_sigma[:, idx["psi"][g][a, b]] += lam[rows, a] * lam[cols, b]
            for i, j in zip(*np.nonzero(idx["theta"][g] >= 0)):
                d_sigma[:, idx["theta"][g][i, j]] += (rows == i) & (cols == j)
            if self.meanstructure:
                for (i,) in zip(*np.nonzero(idx["nu"][g] >= 0)):
                    d_mu[i, idx["nu"][g][i]] += 1.0
                for (a,) in zip(*np.nonzero(idx["alpha"][g] >= 0)):
                    d_mu[:, idx["alpha"][g][a]] += lam[:, a]
                blocks.append(d_mu)
            blocks.append(d_sigma)
        return np.vstack(blocks)

    def estimates(self, x: np.ndarray) -> list[dict[str, np.ndarray]]:
        return [self.matrices(x, g) for g in range(self.n_groups)]


GROUP_EQUAL = ("loadings", "intercepts", "residuals")


def build_partable(
    spec: ModelSpec,
    n_groups: int = 1,
    *,
    meanstructure: bool = False,
    std_lv: bool = False,
    group_equal: tuple[str, ...] = (),
    group_partial: tuple[str, ...] = (),
    residual_variances: bool = True,
) -> ParTable:
    """The lavaan ``cfa()`` parameter table for ``spec``.

    ``group_equal`` may hold ``"loadings"``, ``"intercepts"`` and ``"residuals"`` (residual
    variances) as lavaan's ``group.equal``; ``group_partial`` lists parameters exempt from
    those constraints in lavaan's notation (``"x3~1"``, ``"f1=~x2"``, ``"x6~~x6"``), as
    ``group.partial``. ``residual_variances=False`` fixes Theta's diagonal to 0 (used by the
    ordinal model, where residual variances follow from the unit-variance scaling of the
    latent responses).
    """
    unknown = set(group_equal) - set(GROUP_EQUAL)
    if unknown:
        raise UserError.single(
            f"group_equal: unknown constraint(s) {sorted(unknown)} (use {', '.join(GROUP_EQUAL)})", path="group_equal"
        )
    partial = parse_group_partial(spec, group_partial)
    build = _TableBuilder(
        spec, n_groups, meanstructure, std_lv=std_lv, group_equal=group_equal, partial=partial,
        residual_variances=residual_variances,
    )
    for g in range(n_groups):  # lavaan's parameter order within a group
        build.loadings(g)
        build.factor_covariances(g)
        build.residual_variances(g)
        build.residual_covariances(g)
        if meanstructure:
            build.means(g)
    return build.pt


def parse_group_partial(spec: ModelSpec, entries) -> set[tuple[str, str, str]]:
    """``group_partial`` entries as (lhs, op, rhs) triples; spaces are ignored. Raises :class:`UserError` for an entry that is not a loading (``f=~x``), an
    intercept (``x~1``) or a residual variance (``x~~x``) of the model."""
    out = set()
    loadings = {(f, t.name) for f in spec.factors for t in spec.indicators(f)}
    observed = set(spec.observed)
    for raw in entries:
        text = "".join(str(raw).split())
        triple = None
        if "=~" in text:
            lhs, _, rhs = text.partition("=~")
            triple = (lhs, "=~", rhs) if (lhs, rhs) in loadings else None
        elif "~~" in text:
            lhs, _, rhs = text.partition("~~")
            triple = (lhs, "~~", rhs) if lhs == rhs and lhs in observed else None
        elif text.endswith("~1"):
            lhs = text[:-2]
            triple = (lhs, "~1", "") if lhs in observed else None
        if triple is None:
            raise UserError.single(
                f"group_partial: '{raw}' is not a loading (f=~x), intercept (x~1) or residual variance (x~~x) of the model",
                path="group_partial",
            )
        out.add(triple)
    return out


class _TableBuilder:
    """Fills a :class:`ParTable` entry by entry for :func:`build_partable`.

    ``labels`` maps a user label to its parameter (entries with the same label share it);
    ``shared`` maps a ``group_equal`` key such as ``("lambda", (i, f))`` to the parameter all
    groups share; ``user_cov`` holds the ``~~`` terms written in the model, by variable pair.
    """

    def __init__(
        self,
        spec: ModelSpec,
        n_groups: int,
        meanstructure: bool,
        *,
        std_lv: bool,
        group_equal: tuple[str, ...],
        partial: set[tuple[str, str, str]],
        residual_variances: bool,
    ):
        self.spec = spec
        self.std_lv = std_lv
        self.free_residual_variances = residual_variances
        self.eq_load = "loadings" in group_equal
        self.eq_int = "intercepts" in group_equal
        self.eq_res = "residuals" in group_equal
        self.partial = partial
        obs, fac = spec.observed, spec.factors
        p, m = len(obs), len(fac)
        self.oi = {n: i for i, n in enumerate(obs)}
        self.fi = {n: i for i, n in enumerate(fac)}
        self.pt = ParTable(obs, fac, n_groups, meanstructure)
        for name, shape in (("lambda", (p, m)), ("psi", (m, m)), ("theta", (p, p)), ("nu", (p,)), ("alpha", (m,))):
            self.pt.index[name] = [np.full(shape, -1, dtype=int) for _ in range(n_groups)]
            self.pt.value[name] = [np.zeros(shape) for _ in range(n_groups)]
        self.labels: dict[str, int] = {}
        self.shared: dict[tuple, int] = {}
        self.user_cov = {}
        for st in spec.statements:
            if st.op == "~~":
                for t in st.terms:
                    self.user_cov[frozenset((st.lhs, t.name))] = (st.lhs, t.name, t)

    def add(self, name, g, pos, desc, *, label=None, share_key=None, fixed=None):
        """Make the entry ``pos`` of matrix ``name`` in group g free (or fixed)."""
        pt = self.pt
        symmetric = name in ("psi", "theta") and pos[0] != pos[1]
        positions = [pos, pos[::-1]] if symmetric else [pos]
        if fixed is not None:
            for ps in positions:
                pt.index[name][g][ps] = -1
                pt.value[name][g][ps] = fixed
            return
        if label is not None and label in self.labels:
            k = self.labels[label]
        elif share_key is not None and share_key in self.shared:
            k = self.shared[share_key]
        else:
            k = len(pt.params)
            pt.params.append(Parameter(*desc, group=g + 1))
        if label is not None:
            self.labels.setdefault(label, k)
        if share_key is not None:
            self.shared.setdefault(share_key, k)
        for ps in positions:
            pt.index[name][g][ps] = k

    def _user_term(self, *names):
        """The model's ``~~`` term between ``names`` (one name: its variance), or None."""
        user = self.user_cov.get(frozenset(names))
        return user[2] if user else None

    def loadings(self, g: int) -> None:
        """Free loadings, except fixed ones and (without std_lv) each factor's first, fixed to 1."""
        for f in self.spec.factors:
            for k, t in enumerate(self.spec.indicators(f)):
                pos = (self.oi[t.name], self.fi[f])
                desc = (f, "=~", t.name)
                if t.fixed is not None:
                    self.add("lambda", g, pos, desc, fixed=t.fixed)
                elif k == 0 and not self.std_lv and not t.free and t.label is None:
                    self.add("lambda", g, pos, desc, fixed=1.0)
                else:
                    share = ("lambda", pos) if self.eq_load and desc not in self.partial else None
                    self.add("lambda", g, pos, desc, label=t.label, share_key=share)

    def factor_covariances(self, g: int) -> None:
        """Factor (co)variances, all free by default; with std_lv the variances are fixed to 1
        (in groups 2, 3, ... only when loadings are not equal across groups)."""
        fac = self.spec.factors
        for a in range(len(fac)):
            for b in range(a + 1):
                desc = (fac[a], "~~", fac[b])
                term = self._user_term(fac[a], fac[b])
                if term is not None and term.fixed is not None:
                    self.add("psi", g, (a, b), desc, fixed=term.fixed)
                elif a == b and self.std_lv and term is None and not (g > 0 and self.eq_load):
                    self.add("psi", g, (a, b), desc, fixed=1.0)
                else:
                    self.add("psi", g, (a, b), desc, label=term.label if term else None)

    def residual_variances(self, g: int) -> None:
        """Residual variances: the value fixed in the model, else free (0 with
        ``residual_variances=False``), shared across groups with group_equal residuals."""
        for i, name in enumerate(self.spec.observed):
            term = self._user_term(name)
            if term is not None and term.fixed is not None:
                self.add("theta", g, (i, i), (name, "~~", name), fixed=term.fixed)
            elif self.free_residual_variances:
                desc = (name, "~~", name)
                share = ("theta", i) if self.eq_res and desc not in self.partial else None
                self.add("theta", g, (i, i), desc, label=term.label if term else None, share_key=share)

    def residual_covariances(self, g: int) -> None:
        """Residual covariances written in the model (all others stay 0)."""
        for key, (lhs, rhs, term) in self.user_cov.items():
            if len(key) == 2 and lhs in self.oi and rhs in self.oi:
                pos = (self.oi[lhs], self.oi[rhs])
                desc = (lhs, "~~", rhs)
                if term.fixed is not None:
                    self.add("theta", g, pos, desc, fixed=term.fixed)
                else:
                    self.add("theta", g, pos, desc, label=term.label)

    def means(self, g: int) -> None:
        """Free intercepts (shared across groups with group_equal intercepts, except those in
        group_partial); factor means are 0, free in groups 2, 3, ... when intercepts are equal
        (also when some are freed by group_partial, as lavaan)."""
        obs, fac = self.spec.observed, self.spec.factors
        for i in range(len(obs)):
            desc = (obs[i], "~1", "")
            self.add("nu", g, (i,), desc, share_key=("nu", i) if self.eq_int and desc not in self.partial else None)
        if self.eq_int and g > 0:
            for a in range(len(fac)):
                self.add("alpha", g, (a,), (fac[a], "~1", ""))


def check_variables(spec: ModelSpec, columns) -> None:
    """Raise :class:`UserError` naming the model line of every variable not in the data."""
    columns = set(map(str, columns))
    problems = []
    for name in spec.observed:
        if name not in columns:
            st = spec.statement_of(name)
            problems.append(
                Problem(
                    f"unknown variable '{name}' (not a column of the data) in `{st.text}`",
                    line=st.line,
                    path=f"model line {st.line}",
                )
            )
    if problems:
        raise UserError(problems)
