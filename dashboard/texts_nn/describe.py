"""Nynorsk for dashboard/texts/describe.py."""

NN: dict[str, str] = {
    "describe_interval": "{low} til {high}",
    "describe_difference": "{diff} ({ci})",
    "describe_versus_org_higher": "Tydeleg over gjennomsnittet i organisasjonen ({diff}; 95 % KI {ci})",
    "describe_versus_org_unclear": "Kan ikkje skiljast frå gjennomsnittet i organisasjonen med så mange svar ({diff}; 95 % KI {ci})",
    "describe_versus_org_lower": "Tydeleg under gjennomsnittet i organisasjonen ({diff}; 95 % KI {ci})",
    "describe_change_higher": "Tydeleg auke frå førre runde ({diff}; 95 % KI {ci})",
    "describe_change_unclear": "Inga tydeleg endring frå førre runde ({diff}; 95 % KI {ci})",
    "describe_change_lower": "Tydeleg nedgang frå førre runde ({diff}; 95 % KI {ci})",
}
