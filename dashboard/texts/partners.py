"""Texts of the page Samarbeidspartnere / Partners (dashboard/pages/partners.py)."""

TEXT: dict[str, dict[str, str]] = {
    "partners_intro": {
        "nb": "Hvem vurderer hvem: når et svar på samhandlingsklima gjelder en bestemt samarbeidspartner, "
              "viser cellen gjennomsnittet for den vurderende enhetens svar om den partneren, med antall svar (n). "
              "Radene er de som vurderer, kolonnene dem som blir vurdert.",
        "en": "Who rates whom: when a collaboration-climate answer is about a named partner service, the cell "
              "shows the mean of the rating unit's answers about that partner, with the number of answers (n). "
              "Rows are the raters, columns the services rated.",
    },
    "partners_scale": {"nb": "Skala", "en": "Scale"},
    "partners_round": {"nb": "Runde", "en": "Round"},
    "partners_rows": {"nb": "Rader", "en": "Rows"},
    "partners_rows_service": {"nb": "Tjenester (øverste nivå)", "en": "Services (top level)"},
    "partners_rows_unit": {"nb": "Alle enheter", "en": "All units"},
    "partners_rows_type": {"nb": "Enhetstype", "en": "Unit type"},
    "partners_organisation_row": {"nb": "Alle vurderende enheter", "en": "All rating units"},
    "partners_heatmap_title": {"nb": "{scale}, {when}", "en": "{scale}, {when}"},
    "partners_when_round": {"nb": "runde {round}", "en": "round {round}"},
    "partners_rater": {"nb": "Vurderende enhet", "en": "Rating unit"},
    "partners_rated": {"nb": "Vurdert samarbeidspartner", "en": "Partner rated"},
    "partners_cell": {"nb": "{mean}<br>n = {n}", "en": "{mean}<br>n = {n}"},
    "partners_hover": {"nb": "{rater} om {rated}<br>{value}", "en": "{rater} about {rated}<br>{value}"},
    "partners_colorbar": {"nb": "Gjennomsnitt", "en": "Mean"},
    "partners_reciprocal_title": {"nb": "Begge veier", "en": "Both ways"},
    "partners_reciprocal_intro": {
        "nb": "Tjenester som vurderer hverandre, side om side: for eksempel hvordan hjemmetjenesten vurderer DPS, "
              "og hvordan DPS vurderer hjemmetjenesten.",
        "en": "Services that rate each other, side by side: for example how home care rates the mental health "
              "centre (DPS), and how the DPS rates home care.",
    },
    "partners_reciprocal_none": {
        "nb": "Ingen par av tjenester som vurderer hverandre har nok svar her.",
        "en": "No pair of services that rate each other has enough answers here.",
    },
    "partners_col_a": {"nb": "Tjeneste A", "en": "Service A"},
    "partners_col_b": {"nb": "Tjeneste B", "en": "Service B"},
    "partners_col_a_about_b": {"nb": "A om B", "en": "A about B"},
    "partners_col_b_about_a": {"nb": "B om A", "en": "B about A"},
    "partners_col_mean": {"nb": "Gjennomsnitt", "en": "Mean"},
    "partners_value": {"nb": "{mean} (n = {n})", "en": "{mean} (n = {n})"},
    "partners_none": {
        "nb": "Ingen svar nevner en samarbeidspartner ennå.",
        "en": "No answer names a partner service yet.",
    },
    "partners_note": {
        "nb": "Celler med færre enn {min_n} svar vises ikke («for få svar»), og flere celler skjules der en skjult "
              "verdi ellers kunne regnes ut sammen med tall på denne eller andre sider («skjult for å verne en mindre gruppe»).",
        "en": "Cells with fewer than {min_n} answers are not shown (“too few answers”), and more cells are hidden where a hidden "
              "value could otherwise be worked out together with figures on this or other pages (“hidden so that a smaller group cannot be worked out”).",
    },
    "partners_type_note": {
        "nb": "En enhetstype samler de viste cellene for enhetene av den typen.",
        "en": "A unit type pools the shown cells of the units of that type.",
    },
    "partners_columns_left_out": {
        "nb": "{left} av {total} samarbeidspartnere er utelatt: ingen av enhetene i radene har tall om dem som kan vises.",
        "en": "{left} of {total} partners are left out: none of the units in the rows has a figure about them that may be shown.",
    },
    "partners_rows_capped": {
        "nb": "Viser de {shown} første av {total} radene, i rekkefølgen i enhetstreet. Velg «Tjenester» eller «Enhetstype» for et "
              "samlet bilde; alle tallene finnes på siden Eksport.",
        "en": "Showing the first {shown} of {total} rows, in the order of the unit tree. Choose “Services” or “Unit type” for the "
              "whole picture; every figure is on the Export page.",
    },
    "partners_scope_note": {
        "nb": "Du ser radene for enhetene dine og for alle vurderende enheter samlet.",
        "en": "You see the rows of your units and of all rating units together.",
    },
    "partners_type_kommune": {"nb": "Kommune", "en": "Municipality"},
    "partners_type_tjenesteomrade": {"nb": "Tjenesteområde", "en": "Service area"},
    "partners_type_enhet": {"nb": "Enhet", "en": "Unit"},
    "partners_type_team": {"nb": "Team", "en": "Team"},
    "partners_type_dps": {"nb": "DPS", "en": "Mental health centre (DPS)"},
    "partners_type_avdeling": {"nb": "Avdeling", "en": "Department"},
}
