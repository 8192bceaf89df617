"""The optional background questions of a staff survey ("Om deg"): the codes stored with a
response and their wording in bokmål, nynorsk and English.

One source for the answer page (whose text table takes these entries, see
``dashboard/texts/respond.py``) and the paper form (:func:`scoring.export.pdf.paper_form_pdf`),
so a question reads the same on a phone and on paper. The codes are those of the sample data
(:mod:`scoring.sample`) and of :data:`scoring.store.form.BACKGROUND_FIELDS`.
"""

from __future__ import annotations

from scoring.sample import POSITIONS, ROLES, TENURES

CODES: dict[str, tuple[str, ...]] = {"role": ROLES, "tenure": TENURES, "position": POSITIONS}
"""Each question's answer codes, in the order they are offered."""

TITLE = {"nb": "Om deg", "nn": "Om deg", "en": "About you"}
NOTE = {"nb": "Disse spørsmålene er frivillige. Svarene brukes bare til å sammenligne grupper med mange nok svar.", "nn": "Desse spørsmåla er frivillige. Svara blir berre brukte til å samanlikne grupper med mange nok svar.", "en": "These questions are optional. The answers are used only to compare groups with enough answers."}
NO_ANSWER = {"nb": "Vil ikke svare", "nn": "Vil ikkje svare", "en": "Prefer not to say"}

QUESTIONS: dict[str, dict[str, str]] = {
    "role": {"nb": "Stilling eller yrke", "nn": "Stilling eller yrke", "en": "Job or profession"},
    "tenure": {"nb": "Hvor lenge har du jobbet i enheten?", "nn": "Kor lenge har du arbeidd i eininga?", "en": "How long have you worked in the unit?"},
    "position": {"nb": "Stillingsstørrelse", "nn": "Stillingsstorleik", "en": "Size of your position"},
}

CHOICES: dict[str, dict[str, dict[str, str]]] = {
    "role": {
        "sykepleier": {"nb": "Sykepleier", "nn": "Sjukepleiar", "en": "Nurse"},
        "helsefagarbeider": {"nb": "Helsefagarbeider", "nn": "Helsefagarbeidar", "en": "Health care worker"},
        "assistent": {"nb": "Assistent", "nn": "Assistent", "en": "Care assistant"},
        "vernepleier": {"nb": "Vernepleier", "nn": "Vernepleiar", "en": "Social educator (vernepleier)"},
        "ergoterapeut": {"nb": "Ergoterapeut", "nn": "Ergoterapeut", "en": "Occupational therapist"},
        "fysioterapeut": {"nb": "Fysioterapeut", "nn": "Fysioterapeut", "en": "Physiotherapist"},
        "lege": {"nb": "Lege", "nn": "Lege", "en": "Doctor"},
        "psykolog": {"nb": "Psykolog", "nn": "Psykolog", "en": "Psychologist"},
        "sosionom": {"nb": "Sosionom", "nn": "Sosionom", "en": "Social worker"},
        "leder": {"nb": "Leder", "nn": "Leiar", "en": "Manager"},
        "erfaringskonsulent": {"nb": "Erfaringskonsulent", "nn": "Erfaringskonsulent", "en": "Peer support worker"},
    },
    "tenure": {
        "<1": {"nb": "Under 1 år", "nn": "Under 1 år", "en": "Less than 1 year"},
        "1-2": {"nb": "1–2 år", "nn": "1–2 år", "en": "1–2 years"},
        "3-5": {"nb": "3–5 år", "nn": "3–5 år", "en": "3–5 years"},
        "6-10": {"nb": "6–10 år", "nn": "6–10 år", "en": "6–10 years"},
        ">10": {"nb": "Mer enn 10 år", "nn": "Meir enn 10 år", "en": "More than 10 years"},
    },
    "position": {
        "<50": {"nb": "Under 50 %", "nn": "Under 50 %", "en": "Under 50%"},
        "50-79": {"nb": "50–79 %", "nn": "50–79 %", "en": "50–79%"},
        "80-99": {"nb": "80–99 %", "nn": "80–99 %", "en": "80–99%"},
        "100": {"nb": "100 % (hel stilling)", "nn": "100 % (heil stilling)", "en": "100% (full time)"},
    },
}


def text_entries() -> dict[str, dict[str, str]]:
    """The entries of the answer page's text table: ``respond_about_title``,
    ``respond_about_note``, ``respond_no_answer``, ``respond_field_<question>`` and
    ``respond_<question>_<code>``."""
    entries = {"respond_about_title": TITLE, "respond_about_note": NOTE, "respond_no_answer": NO_ANSWER}
    for field, label in QUESTIONS.items():
        entries[f"respond_field_{field}"] = label
        entries.update({f"respond_{field}_{code}": CHOICES[field][code] for code in CODES[field]})
    return entries
