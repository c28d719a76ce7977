"""The one rule for matching names (case and runs of spaces ignored), used by every stage that matches a name."""

from __future__ import annotations

import pandas as pd

from strategic_assessment.charts import crime_by_type_chart
from strategic_assessment.names import fold


def test_a_name_folds_case_and_runs_of_spaces() -> None:
    assert fold("  All   Crime ") == fold("all crime") == "all crime"
    assert fold("Domestic\u00a0abuse") == "domestic abuse"  # a no-break space is a space
    assert fold("Hate crime") != fold("Hatecrime")


def test_a_headline_row_typed_with_a_double_space_is_left_out_of_the_crime_type_chart() -> None:
    # the crime table holds "All  crime" (two spaces); the settings name "All crime": the same row
    figures = pd.DataFrame({"crime_type": ["All  crime", "Burglary", "Hate crime"], "count_current": [1100, 300, 250]})
    spec = crime_by_type_chart(figures, ["All crime"], "2018/19", "Testshire", "Source: test")
    assert spec is not None
    assert list(spec.data.column("crime_type")) == ["Burglary", "Hate crime"]
