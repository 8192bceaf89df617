"""Texts and number formats of the unit report, in bokmål (nb), nynorsk (nn) and English (en).

Numbers follow the language through :mod:`scoring.reporting.numbers` (nb and nn: "3,85",
"75 %", "1 500"; en: "3.85", "75%", "1,500").
"""

from __future__ import annotations

LANGUAGES = ("nb", "nn", "en")

TEXT: dict[str, dict[str, str]] = {
    "title": {"nb": "Resultater for {unit}", "nn": "Resultat for {unit}", "en": "Results for {unit}"},
    "subtitle": {"nb": "Runde {round} · til teammøtet", "nn": "Runde {round} · til teammøtet", "en": "Round {round} · for the team meeting"},
    "footer": {"nb": "Samklima · {unit} · runde {round} · laget {date} · side {page}",
               "nn": "Samklima · {unit} · runde {round} · laga {date} · side {page}",
               "en": "Samklima · {unit} · round {round} · made {date} · page {page}"},
    "who_answered": {"nb": "Hvem svarte", "nn": "Kven svarte", "en": "Who answered"},
    "answered": {"nb": "{n} svar av {invited} inviterte ({rate}).", "nn": "{n} svar av {invited} inviterte ({rate}).",
                 "en": "{n} answers of {invited} invited ({rate})."},
    "answered_no_headcount": {"nb": "{n} svar.", "nn": "{n} svar.", "en": "{n} answers."},
    "answered_hidden": {"nb": "Antall svar vises ikke: {why}.", "nn": "Talet på svar blir ikkje vist: {why}.",
                        "en": "The number of answers is not shown: {why}."},
    "scales": {"nb": "Resultater per tema", "nn": "Resultat per tema", "en": "Results per theme"},
    "scale": {"nb": "Tema", "nn": "Tema", "en": "Theme"},
    "n": {"nb": "n", "nn": "n", "en": "n"},
    "mean_ci": {"nb": "Snitt [95 % KI]", "nn": "Snitt [95 % KI]", "en": "Mean [95% CI]"},
    "organisation": {"nb": "Hele org.", "nn": "Heile org.", "en": "Organisation"},
    "unit_type": {"nb": "Enhetstype", "nn": "Einingstype", "en": "Unit type"},
    "change": {"nb": "Endring siden {round}", "nn": "Endring sidan {round}", "en": "Change since {round}"},
    "no_previous": {"nb": "Endring (ingen tidligere runde)", "nn": "Endring (inga tidlegare runde)", "en": "Change (no earlier round)"},
    "higher": {"nb": "klart høyere", "nn": "klart høgare", "en": "clearly higher"},
    "lower": {"nb": "klart lavere", "nn": "klart lågare", "en": "clearly lower"},
    "unclear": {"nb": "ingen klar endring", "nn": "inga klar endring", "en": "no clear change"},
    "chart_caption": {"nb": "Punkt: enhetens snitt; strek: 95 % konfidensintervall; ruter: hele organisasjonen.",
                      "nn": "Punkt: snittet til eininga; strek: 95 % konfidensintervall; ruter: heile organisasjonen.",
                      "en": "Dot: the unit's mean; line: 95% confidence interval; diamond: the whole organisation."},
    "standouts": {"nb": "Det som skiller seg ut", "nn": "Det som skil seg ut", "en": "What stands out"},
    "strengths": {"nb": "Styrker (klart over organisasjonen): {list}.", "nn": "Styrkar (klart over organisasjonen): {list}.",
                  "en": "Strengths (clearly above the organisation): {list}."},
    "areas": {"nb": "Å jobbe med (klart under organisasjonen): {list}.", "nn": "Å jobbe med (klart under organisasjonen): {list}.",
              "en": "To work on (clearly below the organisation): {list}."},
    "no_standouts": {"nb": "Ingen tema skiller seg klart fra organisasjonen med så mange svar.",
                     "nn": "Ingen tema skil seg klart frå organisasjonen med så mange svar.",
                     "en": "No theme differs clearly from the organisation with this many answers."},
    "can_say": {"nb": "Hva tallene kan og ikke kan si", "nn": "Kva tala kan og ikkje kan seie", "en": "What the numbers can and cannot say"},
    "can_say_body": {
        "nb": "Et snitt fra få svar er usikkert: intervallet viser hvor det sanne snittet trolig ligger. "
              "En forskjell eller endring kalles klar bare når intervallet ikke inneholder null; ellers kan vi ikke si "
              "om den er mer enn tilfeldig. Enheter sammenlignes med hele organisasjonen, ikke rangert mot hverandre. "
              "Resultater vises bare der minst {min_n} har svart, og noen tall skjules i tillegg så ingen kan regne seg "
              "fram til en mindre gruppe.",
        "nn": "Eit snitt frå få svar er usikkert: intervallet viser kvar det sanne snittet truleg ligg. "
              "Ein skilnad eller ei endring blir kalla klar berre når intervallet ikkje inneheld null; elles kan vi ikkje seie "
              "om ho er meir enn tilfeldig. Einingar blir samanlikna med heile organisasjonen, ikkje rangerte mot kvarandre. "
              "Resultat blir berre viste der minst {min_n} har svart, og nokre tal blir i tillegg skjulte så ingen kan rekne "
              "seg fram til ei mindre gruppe.",
        "en": "A mean from few answers is uncertain: the interval shows where the true mean probably lies. "
              "A difference or change is called clear only when its interval excludes zero; otherwise we cannot say "
              "it is more than chance. Units are compared with the whole organisation, not ranked against each other. "
              "Results are shown only where at least {min_n} answered, and some figures are also hidden so that nobody "
              "can work out a smaller group."},
    "hidden_list": {"nb": "Skjult i denne rapporten: {list}.", "nn": "Skjult i denne rapporten: {list}.", "en": "Hidden in this report: {list}."},
    "nothing_hidden": {"nb": "Ingen tema er skjult for denne enheten.", "nn": "Ingen tema er skjult for denne eininga.",
                       "en": "No theme is hidden for this unit."},
    "below_min_n": {"nb": "for få svar", "nn": "for få svar", "en": "too few answers"},
    "protects_other": {"nb": "skjult for å verne en mindre gruppe", "nn": "skjult for å verne ei mindre gruppe",
                       "en": "hidden so that a smaller group cannot be worked out"},
    "hidden": {"nb": "skjult", "nn": "skjult", "en": "hidden"},
    "items": {"nb": "Svarene på hvert spørsmål", "nn": "Svara på kvart spørsmål", "en": "The answers to each question"},
    "items_hidden": {"nb": "{scale}: svarfordelingen vises ikke ({why}).", "nn": "{scale}: svarfordelinga blir ikkje vist ({why}).",
                     "en": "{scale}: the answers are not shown ({why})."},
    "partners": {"nb": "Slik vurderer enheten samarbeidspartnerne", "nn": "Slik vurderer eininga samarbeidspartnarane",
                 "en": "How the unit rates its partner services"},
    "partner": {"nb": "Samarbeidspartner", "nn": "Samarbeidspartnar", "en": "Partner service"},
    "no_partners": {"nb": "Ingen vurderinger av samarbeidspartnere kan vises for denne enheten.",
                    "nn": "Ingen vurderingar av samarbeidspartnarar kan visast for denne eininga.",
                    "en": "No partner ratings can be shown for this unit."},
    "actions": {"nb": "Tiltak fra forrige runde", "nn": "Tiltak frå førre runde", "en": "Actions from the last round"},
    "action": {"nb": "Tiltak", "nn": "Tiltak", "en": "Action"},
    "status": {"nb": "Status", "nn": "Status", "en": "Status"},
    "then_now": {"nb": "Tema: før → nå", "nn": "Tema: før → no", "en": "Theme: then → now"},
    "no_actions": {"nb": "Ingen tiltak registrert.", "nn": "Ingen tiltak registrerte.", "en": "No actions recorded."},
    "planned": {"nb": "planlagt", "nn": "planlagt", "en": "planned"},
    "started": {"nb": "startet", "nn": "starta", "en": "started"},
    "done": {"nb": "gjennomført", "nn": "gjennomført", "en": "done"},
    "dropped": {"nb": "droppet", "nn": "droppa", "en": "dropped"},
    "discussion": {"nb": "Spørsmål til samtalen", "nn": "Spørsmål til samtalen", "en": "Questions for the discussion"},
    "discussion_generic": {
        "nb": "Hva kjenner vi oss igjen i?|Hva gjør vi allerede som fungerer?|Hva vil vi prøve fram til neste runde, og hvem har ansvaret?",
        "nn": "Kva kjenner vi oss att i?|Kva gjer vi allereie som fungerer?|Kva vil vi prøve fram til neste runde, og kven har ansvaret?",
        "en": "What do we recognise?|What do we already do that works?|What will we try before the next round, and who is responsible?"},
    "legend_dont_know": {"nb": "vet ikke", "nn": "veit ikkje", "en": "don't know"},
}


def text(key: str, lang: str, **values) -> str:
    """The report text ``key`` in ``lang`` (nb when missing), placeholders filled."""
    entry = TEXT[key]
    value = entry.get(lang) or entry["nb"]
    return value.format(**values) if values else value


def localised(texts: dict, lang: str) -> str:
    """An instrument's text in ``lang``: nn falls back to nb, anything else to nb then en."""
    for key in (lang, "nb", "en"):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()), "")
