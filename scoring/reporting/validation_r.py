"""The R code that reproduces each number of the validation report (psych, lavaan, semTools,
multilevel, mirt), printed under each section of the report.

The code reads the round as ``samklima export --round NAME --format csv --out answers.csv``
writes it (items as answered, "vet ikke" codes kept, one row per response), sets the
instrument's missing codes to NA and reverse-keys its reverse items, as Samklima does.
"""

from __future__ import annotations

from scoring.instrument.model import Instrument
from scoring.reporting.validation import PARALLEL_ITERATIONS, PARALLEL_SEED, ValidationReport


def _vector(names) -> str:
    return "c(" + ", ".join(f'"{n}"' for n in names) + ")"


def _prepare(inst: Instrument, round_name: str) -> str:
    lines = [
        f"# samklima export --round {round_name} --format csv --out answers.csv",
        'd <- read.csv("answers.csv", stringsAsFactors = FALSE)',
        f"# the answers of round {round_name}",
    ]
    for rs_name, rs in inst.response_scales.items():
        used = [i.id for i in inst.items if i.response_scale == rs_name]
        if not used:
            continue
        lines.append(f"items_{rs_name} <- {_vector(used)}")
        for code in rs.missing:
            lines.append(f"d[items_{rs_name}][d[items_{rs_name}] == {code}] <- NA  # user-missing")
        reverse = [i.id for i in inst.items if i.response_scale == rs_name and i.reverse]
        if reverse and rs.has_limits:
            lines.append(f"rev <- {_vector(reverse)}; d[rev] <- {rs.min + rs.max:g} - d[rev]  # reverse keys")
    lines.append("keep <- rowSums(!is.na(d[" + _vector(inst.item_ids) + "])) > 0; d <- d[keep, ]")
    return "\n".join(lines)


def r_code(report: ValidationReport) -> dict[str, str]:
    """R code per section: ``prepare``, ``items``, ``reliability``, ``efa``, ``cfa``,
    ``invariance``, ``irt``, ``aggregation``, ``norms``."""
    inst, leaves = report.instrument, report.leaf_scales
    scale_items = {s.id: list(s.items) for s in inst.scales}
    model = "\n".join(f"{s} =~ " + " + ".join(scale_items[s]) for s in leaves)
    first = leaves[0]
    leaf_items = [i for s in leaves for i in scale_items[s]]
    scales_r = "scales <- list(" + ", ".join(f"{s} = {_vector(v)}" for s, v in scale_items.items()) + ")"
    groups = next((v.groups for v in report.invariance if v.groups), [])
    code = {"prepare": _prepare(inst, report.round) + "\n" + scales_r}
    code["items"] = (
        "library(psych)\n"
        "for (s in names(scales)) print(alpha(d[scales[[s]]])$item.stats)  # item-rest r (r.drop), means, SDs\n"
        "# answer shares including \"vet ikke\": table() of the raw export columns"
    )
    code["reliability"] = (
        "library(psych)\n"
        "for (s in names(scales)) {\n"
        "  a <- alpha(d[scales[[s]]]); print(a$total)                  # raw alpha\n"
        "  print(alpha.ci(a$total$raw_alpha, nrow(d), length(scales[[s]])))  # Feldt CI\n"
        "  print(omega(d[scales[[s]]], nfactors = 1, plot = FALSE)$omega.tot)  # omega total\n"
        "  print(alpha(polychoric(d[scales[[s]]])$rho)$total$raw_alpha)        # ordinal alpha\n"
        "}"
    )
    code["efa"] = (
        "library(psych)\n"
        f"x <- d[{_vector(leaf_items)}]\n"
        "KMO(cor(x, use = \"pairwise\")); cortest.bartlett(cor(x, use = \"pairwise\"), n = nrow(x))\n"
        f"fa.parallel(x, fa = \"fa\", n.iter = {PARALLEL_ITERATIONS})  # seed {PARALLEL_SEED} in Samklima; simulated values vary\n"
        f"fa(x, nfactors = {len(leaves)}, fm = \"minres\", rotate = \"oblimin\")"
    )
    code["cfa"] = (
        "library(lavaan); library(semTools)\n"
        f"model <- '\n{model}\n'\n"
        "fit <- cfa(model, data = d, missing = \"ml\")\n"
        "fitMeasures(fit, c(\"chisq\", \"df\", \"pvalue\", \"cfi\", \"tli\", \"rmsea\", \"rmsea.ci.lower\", \"rmsea.ci.upper\", \"srmr\"))\n"
        "standardizedSolution(fit); compRelSEM(fit)\n"
        "fit_lw <- cfa(model, data = d)  # listwise, for the modification indices\n"
        "modindices(fit_lw, sort. = TRUE, maximum.number = 10)"
    )
    code["invariance"] = (
        "library(lavaan)\n"
        f"g <- d[d${report.group_column} %in% {_vector(groups)}, ]\n"
        f"m <- '{first} =~ {' + '.join(scale_items[first])}'  # each scale in turn\n"
        f"configural <- cfa(m, g, group = \"{report.group_column}\", missing = \"ml\")\n"
        f"metric <- cfa(m, g, group = \"{report.group_column}\", missing = \"ml\", group.equal = \"loadings\")\n"
        f"scalar <- cfa(m, g, group = \"{report.group_column}\", missing = \"ml\", group.equal = c(\"loadings\", \"intercepts\"))\n"
        "sapply(list(configural, metric, scalar), fitMeasures, c(\"cfi\", \"rmsea\"))"
    )
    code["irt"] = (
        "library(mirt)\n"
        f"fit <- mirt(d[scales${first}], 1, itemtype = \"graded\")  # each scale in turn\n"
        "coef(fit, IRTpars = TRUE, simplify = TRUE); marginal_rxx(fit); plot(fit, type = \"info\")"
    )
    code["aggregation"] = (
        "library(multilevel)\n"
        f"score <- rowMeans(d[scales${first}], na.rm = TRUE)  # the scale score (min. answered share applies)\n"
        "ICC1(aov(score ~ as.factor(unit), d)); ICC2(aov(score ~ as.factor(unit), d))\n"
        f"rwg.j(d[scales${first}], d$unit, ranvar = (5^2 - 1) / 12)  # units with at least {report.min_n} answers\n"
        "# the export merges units below min_n into their parent: ICCs can differ slightly"
    )
    code["norms"] = (
        f"score <- rowMeans(d[scales${first}], na.rm = TRUE)\n"
        "sem <- sd(score, na.rm = TRUE) * sqrt(1 - alpha(d[scales$" + first + "])$total$raw_alpha)\n"
        "c(mean = mean(score, na.rm = TRUE), sd = sd(score, na.rm = TRUE), sem = sem, rci = 1.96 * sqrt(2) * sem)"
    )
    return code
