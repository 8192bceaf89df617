"""The validation report as a language-specific document: headings, paragraphs, tables,
line charts and R code, in order. The HTML and PDF writers (:mod:`scoring.formats.validation_html`,
:mod:`scoring.formats.validation_pdf`) only draw these blocks, so both show the same numbers,
formatted once here (:mod:`scoring.reporting.numbers`: 3 decimals for coefficients).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scoring.messages import coded_text
from scoring.reporting.invariance import MIN_GROUP
from scoring.reporting.item_warnings import item_warnings
from scoring.reporting.numbers import count, number, percent
from scoring.reporting.report_texts import localised
from scoring.reporting.validation import PARALLEL_ITERATIONS, ValidationReport, median_rwg, share_rwg
from scoring.reporting.validation_r import r_code
from scoring.reporting.validation_texts import reason, text

DECIMALS = 3

@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2

@dataclass(frozen=True)
class Para:
    text: str

@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    bold: frozenset[tuple[int, int]] = frozenset()

@dataclass(frozen=True)
class Series:
    name: str
    x: list[float]
    y: list[float]
    dashed: bool = False

@dataclass(frozen=True)
class Chart:
    title: str
    x_label: str
    y_label: str
    series: list[Series]

@dataclass(frozen=True)
class Code:
    title: str
    text: str

@dataclass(frozen=True)
class Document:
    lang: str
    title: str
    subtitle: str
    report_id: str
    blocks: list = field(default_factory=list)

def said(reason: str, lang: str) -> str:
    """A fit's reason in the report's language where it carries a message code
    (:class:`scoring.errors.Coded`), else as the method gave it (English)."""
    return coded_text(reason, lang) or reason


def _n(value, lang: str) -> str:
    return number(value, lang, DECIMALS)

def document(report: ValidationReport, lang: str = "nb") -> Document:
    """The report's blocks in ``lang`` (nb, nn or en)."""
    inst = report.instrument
    title = text("title", lang, instrument=localised(inst.title, lang))
    sub = text("subtitle", lang, version=inst.version, round=report.round, n=count(report.n, lang), date=report.made.isoformat())
    code = r_code(report)
    blocks: list = [Para(f"{text('report_id', lang)}: {report.report_id}. {text('record', lang)}")]
    names = {s.id: localised(s.name, lang) for s in inst.scales}

    def r(section: str) -> Code:
        return Code(text("r_code", lang), code[section])

    blocks += [Heading(text("sample", lang)), Para(text("sample_body", lang, n=count(report.n, lang), units=report.n_units,
                                                      round=report.round, shown=report.n_units_shown, min_n=report.min_n))]
    for b in report.background:
        label = localised(b.label, lang)
        if b.shown:
            rows = [[text("other", lang, min_n=report.min_n) if code_ == "other" else localised(b.options.get(code_, {}), lang) or code_,
                     count(n, lang), percent(n / report.n, lang)]
                    for code_, n in b.rows]
            blocks.append(Table([label, "n", "%"], rows))
        else:
            blocks.append(Para(text("breakdown_hidden", lang, question=label, reason=reason(b.reason, lang))))
    blocks.append(Code(text("r_code", lang) + " — " + text("prepare", lang), code["prepare"]))

    blocks += [Heading(text("items", lang)), Para(text("items_body", lang))]
    for scale_id, iq in report.items.items():
        t = iq.table
        header = [text("item", lang), *iq.codes, text("dont_know", lang), text("missing", lang), text("floor", lang),
                  text("ceiling", lang), "r.drop", "info"]
        rows = [[item, *[percent(t.loc[item, c], lang) for c in iq.codes], percent(t.loc[item, "dont_know"], lang),
                 percent(t.loc[item, "missing"], lang), percent(t.loc[item, "floor"], lang), percent(t.loc[item, "ceiling"], lang),
                 _n(t.loc[item, "item_rest_r"], lang), _n(t.loc[item, "information"], lang)] for item in iq.items]
        blocks += [Heading(f"{names[scale_id]} ({scale_id})", 3), Table(header, rows)]
        warned = [[item, "; ".join(said)] for item in iq.items if (said := item_warnings(iq, item, lang, lambda v: _n(v, lang)))]
        blocks.append(Table([text("item", lang), text("item_warnings", lang)], warned) if warned else Para(text("no_item_warnings", lang)))
    blocks.append(r("items"))

    blocks += [Heading(text("reliability", lang)), Para(text("reliability_body", lang))]
    rows = [[f"{names[x.scale]} ({x.scale})", count(x.n, lang), _n(x.alpha, lang), f"[{_n(x.feldt_ci[0], lang)}, {_n(x.feldt_ci[1], lang)}]",
             f"[{_n(x.duhachek_ci[0], lang)}, {_n(x.duhachek_ci[1], lang)}]", _n(x.omega_total, lang), _n(x.omega_h, lang),
             _n(x.ordinal_alpha, lang)] for x in report.reliability]
    blocks += [Table([text("scale", lang), "n", "α", "Feldt 95 %" if lang != "en" else "Feldt 95%",
                      "Duhachek 95 %" if lang != "en" else "Duhachek 95%", "ω total", "ω h", "ordinal α"], rows), r("reliability")]

    e = report.efa
    fit = e.efa.fit
    blocks += [Heading(text("efa", lang)), Para(text(
        "efa_body", lang, kmo=_n(e.kmo.overall, lang), chisq=number(e.bartlett.chisq, lang, 1), df=count(e.bartlett.df, lang),
        p=_n(e.bartlett.p, lang), iter=PARALLEL_ITERATIONS, suggested=e.parallel.suggested_factors, factors=e.efa.n_factors,
        tli=_n(fit.tli, lang), rmsea=_n(fit.rmsea, lang)))]
    k = list(range(1, len(e.parallel.observed) + 1))
    blocks.append(Chart(text("scree", lang), "k", "λ", [Series("observed", k, list(map(float, e.parallel.observed))),
                                                         Series("simulated", k, list(map(float, e.parallel.simulated_quantile)), True)]))
    loadings = e.efa.loadings
    bold = frozenset((i, j + 1) for i, item in enumerate(loadings.index) for j, f in enumerate(loadings.columns)
                     if abs(loadings.loc[item, f]) >= 0.30)
    blocks += [Heading(text("loadings", lang), 3),
               Table([text("item", lang), *map(str, loadings.columns)],
                     [[item, *[number(v, lang, 2) for v in loadings.loc[item]]] for item in loadings.index], bold), r("efa")]

    c = report.cfa.fit
    cf = c.fit
    rlo, rhi = cf.get("rmsea_ci", (np.nan, np.nan))
    blocks += [Heading(text("cfa", lang)), Para(text(
        "cfa_body", lang, n=count(c.n, lang), chisq=number(cf.get("chisq"), lang, 2), df=count(cf.get("df"), lang), p=_n(cf.get("pvalue"), lang),
        cfi=_n(cf.get("cfi"), lang), tli=_n(cf.get("tli"), lang), rmsea=_n(cf.get("rmsea"), lang), rlo=_n(rlo, lang), rhi=_n(rhi, lang),
        srmr=_n(cf.get("srmr"), lang)))]
    if c.reason:
        blocks.append(Para(said(c.reason, lang)))
    blocks.append(Table([text("factor", lang), text("item", lang), text("std_loading", lang)],
                        [[row.factor, row.item, _n(row.std, lang)] for row in c.loadings.itertuples()]))
    factors = list(c.omega["factor"])
    params = c.parameters
    between = params[(params["op"] == "~~") & params["lhs"].isin(factors) & params["rhs"].isin(factors) & (params["lhs"] != params["rhs"])]
    corr = {(row.lhs, row.rhs): row.std for row in between.itertuples()}
    omega = dict(zip(c.omega["factor"], c.omega["omega"]))
    rows = [[f, _n(omega[f], lang), *[number(corr.get((f, g), corr.get((g, f))), lang, 2) if j < i else "" for j, g in enumerate(factors[:-1])]]
            for i, f in enumerate(factors)]
    blocks += [Heading(text("factor_table", lang), 3), Table([text("factor", lang), "ω", *factors[:-1]], rows)]
    mi = report.cfa.modification
    blocks += [Heading(text("mi_title", lang, n=count(report.cfa.listwise_n, lang)), 3),
               Table([text("parameter", lang), "MI", "EPC", "sEPC"],
                     [[f"{m.lhs} {m.op} {m.rhs}", number(m.mi, lang, 2), _n(m.epc, lang), _n(m.sepc_all, lang)] for m in mi.itertuples()]),
               r("cfa")]

    blocks += [Heading(text("invariance", lang)), Para(text("invariance_body", lang, min_group=max(MIN_GROUP, report.min_n)))]
    if report.invariance:
        rows = []
        for v in report.invariance:
            steps = v.steps.set_index("model") if len(v.steps) else None

            def delta(step: str, column: str, steps=steps) -> str:
                return _n(steps.loc[step, column], lang) if steps is not None and step in steps.index else "–"

            rows.append([v.scale, ", ".join(v.groups), delta("configural", "cfi"), delta("metric", "delta_cfi"), delta("metric", "delta_rmsea"),
                         text(v.metric, lang), delta("scalar", "delta_cfi"), delta("scalar", "delta_rmsea"), text(v.scalar, lang)])
        blocks.append(Table([text("scale", lang), text("groups", lang), "CFI", "ΔCFI m", "ΔRMSEA m", text("metric", lang),
                             "ΔCFI s", "ΔRMSEA s", text("scalar", lang)], rows))
    else:
        blocks.append(Para(text("no_groups", lang, column=report.group_column)))
    blocks.append(r("invariance"))

    blocks += [Heading(text("irt", lang)), Para(text("irt_body", lang))]
    series = []
    for scale_id, g in report.irt.items():
        p = g.parameters
        b_cols = [col for col in p.columns if col.startswith("b") and col[1:].isdigit()]
        rows = [[item, _n(p.loc[item, "a"], lang), *[_n(p.loc[item, col], lang) for col in b_cols]] for item in g.items]
        blocks += [Heading(f"{names[scale_id]} ({scale_id}): {text('marginal', lang)} = {_n(g.marginal_reliability, lang)}", 3),
                   Table([text("item", lang), "a", *b_cols], rows)]
        info = g.information
        series.append(Series(scale_id, list(map(float, info.index)), list(map(float, info["test"]))))
    for scale_id, why in report.irt_reasons.items():
        blocks.append(Para(f"{names[scale_id]} ({scale_id}): {text('not_computed', lang)} ({said(why, lang)})"))
    if series:
        blocks.append(Chart(text("information", lang), "θ", "I(θ)", series))
    blocks.append(r("irt"))

    blocks += [Heading(text("aggregation", lang)), Para(text("aggregation_body", lang, min_n=report.min_n))]

    rows = [[f"{names[s.scale]} ({s.scale})", _n(s.icc.icc1, lang), _n(s.icc.icc2, lang), count(s.icc.n_units, lang), count(s.n_shown, lang),
             _n(median_rwg(s), lang), percent(share_rwg(s), lang)] for s in report.aggregation.scales]
    blocks += [Table([text("scale", lang), "ICC(1)", "ICC(2)", text("units", lang), text("units_shown", lang, min_n=report.min_n),
                      text("rwg_median", lang), text("rwg_share", lang)], rows), r("aggregation")]

    blocks += [Heading(text("norms", lang)), Para(text("norms_body", lang))]
    rows = [[f"{names[row.scale]} ({row.scale})", count(row.n, lang), _n(row.mean, lang), _n(row.sd, lang), _n(row.rxx, lang), _n(row.sem, lang),
             _n(row.rci, lang)] for row in report.norms.itertuples()]
    blocks += [Table([text("scale", lang), "n", text("mean", lang), "SD", "α", "SEM", text("rci", lang)], rows), r("norms")]
    return Document(lang, title, sub, report.report_id, blocks)
