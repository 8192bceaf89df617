"""Bad response data is reported by row and column, and nothing is coerced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.errors import UserError
from scoring.responses.reading import code_responses, read_table

COLS = ["response", "unit", "mi_a1", "mi_a2", "mi_a3", "mi_a4", "mi_v1", "mi_v2"]


def frame(rows, cols=COLS):
    return pd.DataFrame(rows, columns=cols)


def problems(mini, df):
    with pytest.raises(UserError) as err:
        code_responses(df, mini, file="data.csv")
    return err.value


def test_valid_table_codes_missing_and_passes_other_columns(mini):
    coded = code_responses(frame([["r1", "A", 1, 9, "", 5, 0.5, 10]]).astype(object), mini)
    assert list(coded.other.columns) == ["response", "unit"]
    assert np.isnan(coded.items.loc[0, "mi_a2"]) and bool(coded.user_missing.loc[0, "mi_a2"])
    assert np.isnan(coded.items.loc[0, "mi_a3"]) and not bool(coded.user_missing.loc[0, "mi_a3"])
    assert coded.items.loc[0, "mi_v1"] == 0.5


def test_value_outside_the_response_scale_names_row_and_column(mini):
    err = problems(mini, frame([["r1", "A", 1, 2, 3, 4, 5, 5], ["r2", "A", 1, 6, 3, 4, 5, 5]]))
    assert [(p.row, p.path) for p in err.problems] == [(2, "mi_a2")]
    assert "value 6" in str(err) and "1..5" in str(err) and "missing codes 9" in str(err)


def test_text_in_a_numeric_item_is_an_error_not_missing(mini):
    err = problems(mini, frame([["r1", "A", "enig", 2, 3, 4, "7,5", 5]]))
    assert [(p.row, p.path) for p in err.problems] == [(1, "mi_a1"), (1, "mi_v1")]
    assert "'enig'" in str(err) and "decimal point" in str(err)


def test_off_step_values_are_errors(mini):
    err = problems(mini, frame([["r1", "A", 2.5, 2, 3, 4, 7.25, 5]]))
    assert [(p.row, p.path) for p in err.problems] == [(1, "mi_a1"), (1, "mi_v1")]


def test_unknown_item_column_and_case_mismatch(mini):
    df = frame([["r1", "A", 1, 2, 3, 4, 5, 5, 3, 2]], COLS + ["mi_a9", "MI_A1"])
    err = problems(mini, df)
    text = str(err)
    assert "mi_a9: unknown item column" in text
    assert "did you mean 'mi_a1'" in text


def test_missing_response_id_is_reported_with_its_row(mini):
    err = problems(mini, frame([["r1", "A", 1, 2, 3, 4, 5, 5], [None, "A", 1, 2, 3, 4, 5, 5]]))
    assert [(p.row, p.path) for p in err.problems] == [(2, "response")]


def test_missing_id_column_is_one_clear_message(mini):
    df = frame([["A", 1, 2, 3, 4, 5, 5]], COLS[1:])
    err = problems(mini, df)
    assert "no response id column" in str(err)


def test_first_twenty_listed_and_total_counted(mini):
    rows = [[f"r{i}", "A", 7, 2, 3, 4, 5, 5] for i in range(30)]
    err = problems(mini, frame(rows))
    assert len(err.problems) == 20
    assert [p.row for p in err.problems] == list(range(1, 21))
    assert "30 bad value(s)" in err.summary


def test_read_table_rejects_unknown_suffix(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{}")
    with pytest.raises(UserError, match="unsupported file type"):
        read_table(path)


def test_read_csv_na_nan_dot_and_empty_are_missing_other_text_is_named(tmp_path, mini):
    """R's write.csv writes NA (and NaN), SPSS/SAS/Stata print system-missing as '.': all missing."""
    path = tmp_path / "x.csv"
    path.write_text("response,mi_a1,mi_a2,mi_a3,mi_a4,mi_v1,mi_v2\nr1,NA,2, NaN ,.,5,\nr2,1,2,3,4,5,5\n")
    coded = code_responses(read_table(path), mini)
    assert coded.items.loc[0].isna().tolist() == [True, False, True, True, False, True]
    assert not coded.user_missing.to_numpy().any()
    path.write_text("response,mi_a1,mi_a2,mi_a3,mi_a4,mi_v1,mi_v2\nr1,N/A,2,3,4,5,5\n")
    err = problems(mini, read_table(path))
    assert "text 'N/A'" in str(err) and err.problems[0].row == 1 and err.problems[0].path == "mi_a1"
