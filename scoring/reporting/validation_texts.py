"""Texts of the validation report in bokmål (nb), nynorsk (nn) and English (en).

Statistical symbols (alpha, omega, CFI, RMSEA, ICC, rwg(j)) stay as they are printed in
journals; numbers follow the language through :mod:`scoring.reporting.numbers`.
"""

from __future__ import annotations

LANGUAGES = ("nb", "nn", "en")


def _t(nb: str, nn: str, en: str) -> dict[str, str]:
    return {"nb": nb, "nn": nn, "en": en}


TEXT: dict[str, dict[str, str]] = {
    "title": _t("Valideringsrapport: {instrument}", "Valideringsrapport: {instrument}", "Validation report: {instrument}"),
    "subtitle": _t("Versjon {version} · runde {round} · n = {n} · laget {date}", "Versjon {version} · runde {round} · n = {n} · laga {date}",
                   "Version {version} · round {round} · n = {n} · made {date}"),
    "report_id": _t("Rapport-id", "Rapport-id", "Report id"),
    "record": _t("Føres i instrumentfila som «validation:» med «samklima validation-report --record FIL».",
                 "Blir ført i instrumentfila som «validation:» med «samklima validation-report --record FIL».",
                 "Recorded in the instrument file as 'validation:' by 'samklima validation-report --record FILE'."),
    "sample": _t("1. Utvalg", "1. Utval", "1. Sample"),
    "sample_body": _t("{n} svar fra {units} enheter i runde {round}; {shown} enheter har minst {min_n} svar. Alle koeffisienter bygger på alle svarene i runden; rapporten viser ingen enkeltsvar og navngir ingen enhet.",
                      "{n} svar frå {units} einingar i runde {round}; {shown} einingar har minst {min_n} svar. Alle koeffisientane byggjer på alle svara i runden; rapporten viser ingen enkeltsvar og namngir inga eining.",
                      "{n} answers from {units} units in round {round}; {shown} units have at least {min_n} answers. Every coefficient pools all answers of the round; the report shows no individual answer and names no unit."),
    "group": _t("Gruppe", "Gruppe", "Group"),
    "other": _t("andre (grupper under {min_n})", "andre (grupper under {min_n})", "other (groups below {min_n})"),
    "breakdown_hidden": _t("{question}: vises ikke ({reason}).", "{question}: blir ikkje vist ({reason}).", "{question}: not shown ({reason})."),
    "items": _t("2. Svarfordeling per ledd", "2. Svarfordeling per ledd", "2. Item distributions"),
    "items_body": _t("Andel av svarene per svarkategori (reverserte ledd er snudd), «vet ikke» og ubesvart av alle; gulv/tak: andel i laveste/høyeste kategori; r.drop: korrelasjon ledd–resten; info: gradert modells informasjon.",
                     "Del av svara per svarkategori (reverserte ledd er snudde), «veit ikkje» og ikkje svart av alle; golv/tak: del i lågaste/høgaste kategori; r.drop: korrelasjon ledd–resten; info: informasjonen i den graderte modellen.",
                     "Share of answers per category (reverse items keyed), 'don't know' and blank of all rows; floor/ceiling: share in the lowest/highest category; r.drop: item-rest correlation; info: the graded model's information."),
    "item": _t("Ledd", "Ledd", "Item"),
    "item_warnings": _t("Advarsler (reglene i samklima item-quality)", "Åtvaringar (reglane i samklima item-quality)",
                        "Warnings (the rules of samklima item-quality)"),
    "no_item_warnings": _t("Ingen ledd bryter reglene for ledd-kvalitet (item-rest r, alfa uten leddet, ladning, gulv og tak, "
                           "«vet ikke», ubesvart, informasjon).",
                           "Ingen ledd bryt reglane for leddkvalitet (item-rest r, alfa utan leddet, ladning, golv og tak, "
                           "«veit ikkje», ikkje svara, informasjon).",
                           "No item breaks the item-quality rules (item-rest r, alpha if dropped, loading, floor and ceiling, "
                           "\"don't know\", blank, information)."),
    "dont_know": _t("vet ikke", "veit ikkje", "don't know"),
    "missing": _t("ubesvart", "ikkje svart", "blank"),
    "floor": _t("gulv", "golv", "floor"),
    "ceiling": _t("tak", "tak", "ceiling"),
    "reliability": _t("3. Reliabilitet", "3. Reliabilitet", "3. Reliability"),
    "reliability_body": _t("Cronbachs alfa (parvis kovarians) med 95 % KI etter Feldt og Duhachek, omega total (psych::omega), ordinal alfa (polykoriske korrelasjoner).",
                           "Cronbachs alfa (parvis kovarians) med 95 % KI etter Feldt og Duhachek, omega total (psych::omega), ordinal alfa (polykoriske korrelasjonar).",
                           "Cronbach's alpha (pairwise covariances) with Feldt and Duhachek 95% CIs, omega total (psych::omega), ordinal alpha (polychoric correlations)."),
    "scale": _t("Skala", "Skala", "Scale"),
    "efa": _t("4. Eksplorerende faktoranalyse", "4. Eksplorerande faktoranalyse", "4. Exploratory factor analysis"),
    "efa_body": _t("Minres, oblimin, Pearson-korrelasjoner (parvis). KMO = {kmo}; Bartlett χ² = {chisq} (df = {df}, p = {p}). Parallellanalyse ({iter} simuleringer): {suggested} faktor(er) over 95-persentilen; {factors} faktorer trukket ut (instrumentets struktur). TLI = {tli}, RMSEA = {rmsea}.",
                   "Minres, oblimin, Pearson-korrelasjonar (parvis). KMO = {kmo}; Bartlett χ² = {chisq} (df = {df}, p = {p}). Parallellanalyse ({iter} simuleringar): {suggested} faktor(ar) over 95-persentilen; {factors} faktorar trekte ut (strukturen i instrumentet). TLI = {tli}, RMSEA = {rmsea}.",
                   "Minres, oblimin, Pearson correlations (pairwise). KMO = {kmo}; Bartlett χ² = {chisq} (df = {df}, p = {p}). Parallel analysis ({iter} simulations): {suggested} factor(s) above the 95th percentile; {factors} factors extracted (the instrument's structure). TLI = {tli}, RMSEA = {rmsea}."),
    "scree": _t("Egenverdier: observerte (linje) og simulerte 95-persentil (stiplet)", "Eigenverdiar: observerte (linje) og simulerte 95-persentil (stipla)",
                "Eigenvalues: observed (line) and simulated 95th percentile (dashed)"),
    "loadings": _t("Mønsterladninger (|λ| ≥ 0,30 uthevet)", "Mønsterladningar (|λ| ≥ 0,30 utheva)", "Pattern loadings (|λ| ≥ .30 in bold)"),
    "cfa": _t("5. Konfirmerende faktoranalyse", "5. Konfirmerande faktoranalyse", "5. Confirmatory factor analysis"),
    "cfa_body": _t("Korrelerte faktorer, én per skala, ML med full informasjon (FIML), n = {n}: χ² = {chisq} (df = {df}, p = {p}), CFI = {cfi}, TLI = {tli}, RMSEA = {rmsea} [{rlo}, {rhi}], SRMR = {srmr}.",
                   "Korrelerte faktorar, éin per skala, ML med full informasjon (FIML), n = {n}: χ² = {chisq} (df = {df}, p = {p}), CFI = {cfi}, TLI = {tli}, RMSEA = {rmsea} [{rlo}, {rhi}], SRMR = {srmr}.",
                   "Correlated factors, one per scale, full-information ML (FIML), n = {n}: χ² = {chisq} (df = {df}, p = {p}), CFI = {cfi}, TLI = {tli}, RMSEA = {rmsea} [{rlo}, {rhi}], SRMR = {srmr}."),
    "std_loading": _t("Standardisert ladning", "Standardisert ladning", "Standardized loading"),
    "factor": _t("Faktor", "Faktor", "Factor"),
    "factor_table": _t("Sammensatt reliabilitet (ω, semTools::compRelSEM) og faktorkorrelasjoner", "Samansett reliabilitet (ω, semTools::compRelSEM) og faktorkorrelasjonar",
                       "Composite reliability (ω, semTools::compRelSEM) and factor correlations"),
    "mi_title": _t("Største modifikasjonsindekser (ML, komplette svar, n = {n})", "Største modifikasjonsindeksar (ML, komplette svar, n = {n})",
                   "Largest modification indices (ML, complete answers, n = {n})"),
    "parameter": _t("Parameter", "Parameter", "Parameter"),
    "invariance": _t("6. Måleinvarians mellom profesjoner", "6. Måleinvarians mellom profesjonar", "6. Measurement invariance across professions"),
    "invariance_body": _t("Flergruppe-CFA (FIML) for profesjoner med minst {min_group} svar: konfigural → metrisk (like ladninger) → skalar (+ like intercepter). Et steg feiler ved ΔCFI < −0,01 eller ΔRMSEA > 0,015.",
                          "Fleirgruppe-CFA (FIML) for profesjonar med minst {min_group} svar: konfigural → metrisk (like ladningar) → skalar (+ like intercept). Eit steg feilar ved ΔCFI < −0,01 eller ΔRMSEA > 0,015.",
                          "Multi-group CFA (FIML) for professions with at least {min_group} answers: configural → metric (equal loadings) → scalar (+ equal intercepts). A step fails when ΔCFI < −.01 or ΔRMSEA > .015."),
    "groups": _t("Grupper", "Grupper", "Groups"),
    "metric": _t("metrisk", "metrisk", "metric"),
    "scalar": _t("skalar", "skalar", "scalar"),
    "holds": _t("holder", "held", "holds"),
    "fails": _t("feiler", "feilar", "fails"),
    "unknown": _t("ukjent", "ukjend", "unknown"),
    "no_groups": _t("Ingen gruppevariabel «{column}» i svarene.", "Ingen gruppevariabel «{column}» i svara.", "No group variable '{column}' in the answers."),
    "irt": _t("7. Gradert responsmodell (IRT)", "7. Gradert responsmodell (IRT)", "7. Graded response model (IRT)"),
    "irt_body": _t("Samejimas graderte modell per skala (marginal ML, som mirt): diskriminering a, terskler b og marginal reliabilitet. Figuren viser testinformasjonen per skala.",
                   "Samejimas graderte modell per skala (marginal ML, som mirt): diskriminering a, tersklar b og marginal reliabilitet. Figuren viser testinformasjonen per skala.",
                   "Samejima's graded model per scale (marginal ML, as mirt): discrimination a, thresholds b and marginal reliability. The chart shows each scale's test information."),
    "marginal": _t("marginal reliabilitet", "marginal reliabilitet", "marginal reliability"),
    "information": _t("Testinformasjon etter θ", "Testinformasjon etter θ", "Test information by θ"),
    "aggregation": _t("8. Aggregering til enheter", "8. Aggregering til einingar", "8. Aggregation to units"),
    "aggregation_body": _t("ICC(1), ICC(2) (alle enheter) og rwg(j) med uniform nullfordeling; rwg(j) oppsummert over enheter med minst {min_n} svar som vises. Vanlig lesning: rwg(j) ≥ 0,70.",
                           "ICC(1), ICC(2) (alle einingar) og rwg(j) med uniform nullfordeling; rwg(j) oppsummert over einingar med minst {min_n} svar som blir viste. Vanleg lesnad: rwg(j) ≥ 0,70.",
                           "ICC(1), ICC(2) (all units) and rwg(j) with a uniform null; rwg(j) summarised over the units with at least {min_n} answers that are shown. Usual reading: rwg(j) ≥ .70."),
    "units": _t("enheter", "einingar", "units"),
    "units_shown": _t("enheter ≥ {min_n}", "einingar ≥ {min_n}", "units ≥ {min_n}"),
    "rwg_median": _t("median rwg(j)", "median rwg(j)", "median rwg(j)"),
    "rwg_share": _t("andel rwg(j) ≥ 0,70", "del rwg(j) ≥ 0,70", "share rwg(j) ≥ .70"),
    "norms": _t("9. Normer og reliabel endring", "9. Normer og reliabel endring", "9. Norms and reliable change"),
    "norms_body": _t("Skalaskårer etter instrumentets regler. SEM = SD·√(1 − α); minste reliable endring for én person = 1,96·√2·SEM (Jacobson og Truax 1991).",
                     "Skalaskårar etter reglane i instrumentet. SEM = SD·√(1 − α); minste reliable endring for éin person = 1,96·√2·SEM (Jacobson og Truax 1991).",
                     "Scale scores by the instrument's rules. SEM = SD·√(1 − α); smallest reliable change of one person = 1.96·√2·SEM (Jacobson & Truax 1991)."),
    "mean": _t("snitt", "snitt", "mean"),
    "rci": _t("reliabel endring", "reliabel endring", "reliable change"),
    "r_code": _t("R-kode som gjenskaper tallene", "R-kode som gjenskaper tala", "R code that reproduces these numbers"),
    "prepare": _t("0. Data til R", "0. Data til R", "0. Data for R"),
    "not_computed": _t("ikke beregnet", "ikkje rekna ut", "not computed"),
}

REASONS = {
    "cell_below_min_n": _t("en gruppe har færre enn min_n svar", "ei gruppe har færre enn min_n svar", "a group has fewer than min_n answers"),
    "remainder_below_min_n": _t("de uten svar på spørsmålet er færre enn min_n", "dei utan svar på spørsmålet er færre enn min_n",
                                "those who did not answer the question are fewer than min_n"),
    "not_organisation": _t("bare for hele organisasjonen", "berre for heile organisasjonen", "only for the whole organisation"),
}


def text(key: str, lang: str, **values) -> str:
    """The report text ``key`` in ``lang`` (nb when missing), placeholders filled."""
    entry = TEXT[key]
    value = entry.get(lang) or entry["nb"]
    return value.format(**values) if values else value


def reason(code: str, lang: str) -> str:
    entry = REASONS.get(code)
    return (entry.get(lang) or entry["nb"]) if entry else code
