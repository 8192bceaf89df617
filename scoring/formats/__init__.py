"""Files in and out: SPSS/Stata/Excel/Parquet/CSV, the codebook and syntax, XLSForm, PDFs.

* :mod:`~scoring.formats.tables` — the one writer of every CSV, Excel and JSON table the CLI and
  the dashboard hand out (formula cells neutralised, strict JSON);
* :mod:`~scoring.formats.spss`, :mod:`~scoring.formats.syntax`, :mod:`~scoring.formats.codebook`,
  :mod:`~scoring.formats.names`, :mod:`~scoring.formats.files` — the researcher's export;
* :mod:`~scoring.formats.xlsform` — XLSForm out and ODK/KoBoToolbox exports in;
* :mod:`~scoring.formats.pdf` — posters, code slips and paper forms;
* :mod:`~scoring.formats.atomic` — files written whole or not at all.
"""
