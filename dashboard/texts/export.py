"""Texts of the Eksport page (researchers and administrators)."""

TEXT: dict[str, dict[str, str]] = {
    "export_intro": {
        "nb": "Last ned en runde til SPSS, PSPP, R, Stata, jamovi eller Excel: ett svar per rad, etiketter og «vet ikke» som "
        "manglende verdi, med syntaksfil (.sps) og kodebok.",
        "en": "Download a round for SPSS, PSPP, R, Stata, jamovi or Excel: one response per row, labels and “don't know” "
        "as a missing value, with a syntax file (.sps) and a codebook.",
    },
    "export_round": {"nb": "Runde", "en": "Round"},
    "export_format": {"nb": "Filformat", "en": "File format"},
    "export_format_sav": {"nb": "SPSS (.sav)", "en": "SPSS (.sav)"},
    "export_format_zsav": {"nb": "SPSS komprimert (.zsav)", "en": "SPSS compressed (.zsav)"},
    "export_format_dta": {"nb": "Stata (.dta)", "en": "Stata (.dta)"},
    "export_format_csv": {"nb": "CSV (.csv)", "en": "CSV (.csv)"},
    "export_format_parquet": {"nb": "Parquet (.parquet)", "en": "Parquet (.parquet)"},
    "export_format_xlsx": {"nb": "Excel (.xlsx)", "en": "Excel (.xlsx)"},
    "export_lang": {"nb": "Språk i etiketter og kodebok", "en": "Language of labels and codebook"},
    "export_scores": {"nb": "Ta med skalaskårer", "en": "Include scale scores"},
    "export_scores_help": {
        "nb": "Uten skårer regner syntaksfilen dem ut fra leddene.",
        "en": "Without scores, the syntax file computes them from the items.",
    },
    "export_make": {"nb": "Lag eksporten", "en": "Make the export"},
    "export_no_rounds": {"nb": "Ingen runder å eksportere ennå.", "en": "No rounds to export yet."},
    "export_made": {
        "nb": "{responses} svar og {variables} variabler fra runde {round} ({label}).",
        "en": "{responses} responses and {variables} variables from round {round} ({label}).",
    },
    "export_download_zip": {"nb": "Last ned alt (.zip)", "en": "Download everything (.zip)"},
    "export_download_one": {"nb": "Last ned {file}", "en": "Download {file}"},
    "export_files": {"nb": "Filer i eksporten", "en": "Files in the export"},
    "export_file_data": {"nb": "data", "en": "data"},
    "export_file_syntax": {"nb": "syntaks (SPSS/PSPP)", "en": "syntax (SPSS/PSPP)"},
    "export_file_codebook_html": {"nb": "kodebok (HTML)", "en": "codebook (HTML)"},
    "export_file_codebook_csv": {"nb": "kodebok (CSV)", "en": "codebook (CSV)"},
    "export_warnings": {
        "nb": "Merknader fra eksporten ({n}): navn som er gjort trygge, etiketter som er forkortet og enheter som er "
        "slått sammen eller holdt tilbake. Kodeboken lister dem også, på engelsk.",
        "en": "Notes from the export ({n}): names made safe, labels shortened and units merged or withheld. "
        "The codebook lists them too.",
    },
    "export_no_warnings": {
        "nb": "Ingen navn, etiketter eller enheter måtte endres.",
        "en": "No name, label or unit had to be changed.",
    },
    "export_anonymity": {"nb": "Anonymitet (min_n = {min_n})", "en": "Anonymity (min_n = {min_n})"},
    "export_failed": {"nb": "Eksporten kunne ikke lages:", "en": "The export could not be made:"},
    "export_rounds": {"nb": "Runder", "en": "Rounds"},
    "export_rounds_help": {
        "nb": "Én eller flere runder. Flere runder i én fil får variabelen round, med rundens navn og datoer som verdietiketter.",
        "en": "One or more rounds. Several rounds in one file get the variable round, labelled with each round's name and dates.",
    },
    "export_pick_round": {"nb": "Velg minst én runde.", "en": "Choose at least one round."},
    "export_layout": {"nb": "Form", "en": "Layout"},
    "export_layout_long": {"nb": "Lang: ett svar per rad", "en": "Long: one response per row"},
    "export_layout_wide": {"nb": "Bred: én rad per enhet, kolonner per runde", "en": "Wide: one row per unit, columns per round"},
    "export_layout_help": {
        "nb": "Svarene er anonyme, så det som følges over tid er enheten. Bred form har enhetens antall, gjennomsnitt og "
        "standardavvik per skala og runde (endelse _r1, _r2, ...), de samme tallene som dashbordet viser; skjulte celler er "
        "tomme (systemmanglende). Klientfeedback per klient: én rad per klient, per runde kontaktene fra rundens første dag "
        "til neste rundes, og første og siste totalskår på «Hverdagen min» og «Samtalen/besøket i dag». Klientnummeret er "
        "laget for filen (aldri tjenestens klient-id) og er nytt ved hver eksport; enheter med for få klienter slås sammen "
        "eller holdes tilbake.",
        "en": "Answers are anonymous, so what is followed over time is the unit. The wide layout holds each unit's n, mean and "
        "standard deviation per scale and round (suffix _r1, _r2, ...), the numbers the dashboard shows; hidden cells are "
        "empty (system-missing). Client feedback per client: one row per client, per round the contacts from the round's "
        "first day to the next round's, and the first and last totals of “My everyday life” and “Today's visit”. The client "
        "number is made for the file (never the service's client id) and is new at every export; units with too few clients "
        "are merged or withheld.",
    },
    "export_layout_clients": {"nb": "Klientfeedback per klient (bred fil)", "nn": "Klientfeedback per klient (brei fil)",
                              "en": "Client feedback per client (wide file)"},
    "export_made_clients": {
        "nb": "{clients} klienter og {variables} variabler fra runde {round} ({label}).",
        "nn": "{clients} klientar og {variables} variablar frå runde {round} ({label}).",
        "en": "{clients} clients and {variables} variables from round {round} ({label}).",
    },
    "export_scores_long_only": {"nb": "Skalaskårer hører til lang form.", "en": "Scale scores belong to the long layout."},
    "export_actions": {"nb": "Ta med tiltakstabellen", "en": "Include the actions table"},
    "export_actions_help": {
        "nb": "Tiltakene fra handlingsplanene for de valgte rundene, i en egen fil med de samme enhetskodene som dataene: "
        "så kan en studere om enhetene som satte i gang tiltak, ble bedre.",
        "en": "The actions of the chosen rounds' action plans, in a file of their own with the same unit codes as the data, "
        "so that one can study whether the units that acted improved.",
    },
    "export_made_wide": {
        "nb": "{units} enheter og {variables} variabler fra runde {round} ({label}).",
        "en": "{units} units and {variables} variables from round {round} ({label}).",
    },
    "export_made_actions": {"nb": "Tiltakstabellen har {n} tiltak.", "en": "The actions table holds {n} actions."},
    "export_file_actions_data": {"nb": "tiltakstabellen", "en": "the actions table"},
    "export_file_actions_syntax": {"nb": "syntaks for tiltakstabellen", "en": "syntax of the actions table"},
    "export_file_actions_codebook_html": {"nb": "kodebok for tiltakstabellen (HTML)", "en": "codebook of the actions table (HTML)"},
    "export_file_actions_codebook_csv": {"nb": "kodebok for tiltakstabellen (CSV)", "en": "codebook of the actions table (CSV)"},
    "export_progress": {"nb": "Lager eksporten: leser svarene, skriver filene …", "nn": "Lagar eksporten: les svara, skriv filene …",
                        "en": "Making the export: reading the answers, writing the files …"},
}
