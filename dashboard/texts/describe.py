"""Texts of dashboard/describe.py: numbers and differences in words (overview, compare, trends)."""

TEXT: dict[str, dict[str, str]] = {
    "describe_interval": {"nb": "{low} til {high}", "en": "{low} to {high}"},
    "describe_difference": {"nb": "{diff} ({ci})", "en": "{diff} ({ci})"},
    "describe_versus_org_higher": {
        "nb": "Tydelig over organisasjonens gjennomsnitt ({diff}; 95 % KI {ci})",
        "en": "Clearly above the organisation mean ({diff}; 95% CI {ci})",
    },
    "describe_versus_org_unclear": {
        "nb": "Kan ikke skilles fra organisasjonens gjennomsnitt med så mange svar ({diff}; 95 % KI {ci})",
        "en": "Not distinguishable from the organisation mean with this many answers ({diff}; 95% CI {ci})",
    },
    "describe_versus_org_lower": {
        "nb": "Tydelig under organisasjonens gjennomsnitt ({diff}; 95 % KI {ci})",
        "en": "Clearly below the organisation mean ({diff}; 95% CI {ci})",
    },
    "describe_change_higher": {
        "nb": "Tydelig økning fra forrige runde ({diff}; 95 % KI {ci})",
        "en": "Clear increase since the previous round ({diff}; 95% CI {ci})",
    },
    "describe_change_unclear": {
        "nb": "Ingen tydelig endring fra forrige runde ({diff}; 95 % KI {ci})",
        "en": "No clear change since the previous round ({diff}; 95% CI {ci})",
    },
    "describe_change_lower": {
        "nb": "Tydelig nedgang fra forrige runde ({diff}; 95 % KI {ci})",
        "en": "Clear decrease since the previous round ({diff}; 95% CI {ci})",
    },
}
