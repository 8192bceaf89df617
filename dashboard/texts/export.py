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
        "slått sammen eller holdt tilbake. Kodeboken lister dem også.",
        "en": "Notes from the export ({n}): names made safe, labels shortened and units merged or withheld. "
        "The codebook lists them too.",
    },
    "export_no_warnings": {
        "nb": "Ingen navn, etiketter eller enheter måtte endres.",
        "en": "No name, label or unit had to be changed.",
    },
    "export_anonymity": {"nb": "Anonymitet (min_n = {min_n})", "en": "Anonymity (min_n = {min_n})"},
    "export_failed": {"nb": "Eksporten kunne ikke lages:", "en": "The export could not be made:"},
}
