"""The exact problem messages of bad ``assessment.yaml`` and scoring model data, in memory.

Each case breaks one or a few things in a small valid mapping and lists every
message the reader must give, written out by hand from the rules in
``settings.py`` and ``model.py``: ``file › key path: what is wrong; how to fix
it``. Order is compared as read, sorted, so a reader may check keys in any
order but must give every message, and no other.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from strategic_assessment.errors import InputError
from strategic_assessment.model import model_from_data
from strategic_assessment.settings import settings_from_data

pytestmark = pytest.mark.fast

DROP = object()
SETTINGS = {
    "partnership": "Testshire CSP",
    "year": "2018/19",
    "period_end": dt.date(2019, 3, 31),
    "population": {"persons": 1000},
}
INDICATOR = {"name": "Overall crime", "series": "crime", "aim": "reduce"}
ALL_TOP_KEYS = (
    "acknowledgements, area_name, asb_row, author, chart_exclude, comparison_label, crime_data_source, "
    "crime_source, data_notes, headline_row, introduction, key_statistics, model, most_similar_family, "
    "partnership, performance, period_end, plan_on_a_page, police_uk, population, published, rating_meanings, "
    "share_rows, trends_narrative, year"
)
POPULATION_FIX = "give a number of people, more than 0 and at most 1,000,000,000"
A = "assessment.yaml › "
P = "assessment.yaml › performance › "


def changed(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``base`` with each change made: a value set, or the key taken out for ``DROP``."""
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if value is DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def settings_with(**changes: Any) -> dict[str, Any]:
    return changed(SETTINGS, changes)


def performance(*indicators: Any, **keys: Any) -> dict[str, Any]:
    return settings_with(performance={"indicators": list(indicators), **keys})


def settings_messages(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as caught:
        settings_from_data(data, Path("/inputs"))
    return sorted(str(problem) for problem in caught.value.problems)


SETTINGS_CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "unknown key, near a known one": (
        settings_with(partnershp="x"),
        [A + "partnershp: is not a known setting; did you mean 'partnership'?"],
    ),
    "unknown key, near nothing": (
        settings_with(zzzzqqq=1),
        [A + f"zzzzqqq: is not a known setting; remove it; known keys here: {ALL_TOP_KEYS}"],
    ),
    "missing required keys": (
        settings_with(partnership=DROP, year=DROP, population=DROP),
        [
            A + "partnership: is required; add `partnership:` to assessment.yaml",
            A + "population: is required; add `population:` to assessment.yaml",
            A + "year: is required; add `year:` to assessment.yaml",
        ],
    ),
    "year not a financial year label": (
        settings_with(year="2018/20"),
        [A + "year: '2018/20' is not a financial year label; write it as YYYY/YY, e.g. 2018/19"],
    ),
    "year a number": (
        settings_with(year=2018),
        [A + "year: '2018' is not a financial year label; write it as YYYY/YY, e.g. 2018/19"],
    ),
    "year blank": (
        settings_with(year="  "),
        [A + "year: '' is not a financial year label; write it as YYYY/YY, e.g. 2018/19"],
    ),
    "police_uk blank": (
        settings_with(crime_source="police_uk", police_uk=""),
        [A + "police_uk: is required when crime_source is police_uk; add folder and area"],
    ),
    "indicator aim blank": (
        performance(dict(INDICATOR, aim="")),
        [P + "indicators › 1 › aim: is required; add `aim: reduce`, `aim: increase` or `aim: monitor`"],
    ),
    "performance year bad, month checked against the assessment year": (
        performance(INDICATOR, year="2016-17", to_month="2019-05"),
        [
            P + "to_month: 2019-05 is outside the financial year 2018/19 (April 2018 to March 2019); "
            "give a month from 2018-04 to 2019-03, or change the performance year",
            P + "year: '2016-17' is not a financial year label; write it as YYYY/YY, e.g. 2016/17",
        ],
    ),
    "period_end not a date": (
        settings_with(period_end="31/03/2019"),
        [A + "period_end: '31/03/2019' is not a date; write it as YYYY-MM-DD, e.g. 2019-03-31"],
    ),
    "period_end missing": (
        settings_with(period_end=DROP),
        [A + "period_end: is required; add `period_end: YYYY-MM-DD`"],
    ),
    "period_end outside the year": (
        settings_with(period_end=dt.date(2019, 4, 30)),
        [
            A + "period_end: 2019-04-30 is not in the financial year of `year` 2018/19 (April 2018 to March 2019); "
            "make `year` and `period_end` agree: `year` 2019/20 for this period end, or a period end in 2018/19, "
            "e.g. 2019-03-31"
        ],
    ),
    "period_end as text is read": (
        settings_with(period_end="2019-03-31", partnership=["a"]),
        [A + "partnership: should be text, not ['a']; correct `partnership`"],
    ),
    "text given true": (
        settings_with(author=True),
        [A + "author: should be text, not True; correct `author`"],
    ),
    "unknown crime source": (
        settings_with(crime_source="police"),
        [A + "crime_source: 'police' is not a crime source; use workbook or police_uk"],
    ),
    "police_uk missing": (
        settings_with(crime_source="police_uk"),
        [A + "police_uk: is required when crime_source is police_uk; add folder and area"],
    ),
    "police_uk section": (
        settings_with(
            crime_source="police_uk",
            police_uk={"folder": "p", "aera": "x", "categories": {"a": 3}, "allow_gaps": "yes"},
        ),
        [
            A + "police_uk.aera: is not a known setting; did you mean 'area'?",
            A + "police_uk.allow_gaps: should be true or false, not 'yes'; correct `allow_gaps`",
            A + "police_uk.area: is required; add `area:` to assessment.yaml",
            A + "police_uk.categories.a: should be a crime type name, not 3; write the name as text",
        ],
    ),
    "populations not numbers of people": (
        settings_with(population={"persons": -5, "adults": "many", "kids": True}),
        [
            A + f"population.adults: 'many' is not a population; {POPULATION_FIX}",
            A + f"population.kids: True is not a population; {POPULATION_FIX}",
            A + f"population.persons: -5 is not a population; {POPULATION_FIX}",
        ],
    ),
    "population without persons": (
        settings_with(population={"adults": 10}),
        [A + "population: has no `persons` base; add `persons:` with the resident population"],
    ),
    "population a list": (
        settings_with(population=[1]),
        [
            A + "population: has no `persons` base; add `persons:` with the resident population",
            A + "population: should be a mapping, not [1]; correct `population`",
        ],
    ),
    "family: rank beyond the family, rate a word, unknown key": (
        settings_with(most_similar_family={"average_rate": "high", "rank": 20, "family_size": 15, "size": 1}),
        [
            A + "most_similar_family.average_rate: should be a number, not 'high'; correct `average_rate`",
            A + "most_similar_family.rank: 20 is outside 1 to 15; give a number from 1 to 15",
            A + "most_similar_family.size: is not a known setting; remove it; known keys here: "
            "average_rate, family_size, rank",
        ],
    ),
    "family: infinite rate, rank 0": (
        settings_with(most_similar_family={"average_rate": float("inf"), "rank": 0}),
        [
            A + "most_similar_family.average_rate: should be a number, not inf; give `average_rate` a number",
            A + "most_similar_family.rank: 0 is outside 1 to 1,000; give a number from 1 to 1,000",
        ],
    ),
    "family: required keys": (
        settings_with(most_similar_family={"family_size": 500}),
        [
            A + "most_similar_family.average_rate: is required; add `average_rate:` to assessment.yaml",
            A + "most_similar_family.rank: is required; add `rank:` to assessment.yaml",
        ],
    ),
    "lists of lines": (
        settings_with(share_rows=["Hate crime", {"a": 1}, True, ""], chart_exclude="Hate"),
        [
            A + "chart_exclude: should be a list, not 'Hate'; correct `chart_exclude`",
            A + "share_rows[2]: should be a line of text, not {'a': 1}; write it as text",
            A + "share_rows[3]: should be a line of text, not True; write it as text",
            A + "share_rows[4]: should be a line of text, not ''; write it as text",
        ],
    ),
    "key statistics items": (
        settings_with(key_statistics=[{"label": "A"}, "text", {"label": "B", "value": "1", "compare": "x"}]),
        [
            A + "key_statistics[1].value: is required; add `value:` to assessment.yaml",
            A + "key_statistics[2]: should be a mapping of keys; see the README",
            A + "key_statistics[3].compare: is not a known setting; did you mean 'comparison'?",
        ],
    ),
    "rating meaning not text": (
        settings_with(rating_meanings={"High": 3, "Low": "fine"}),
        [A + "rating_meanings.High: should be text, not 3; write what the rating means"],
    ),
    "plan on a page, nested items": (
        settings_with(
            plan_on_a_page={
                "vision": "v",
                "thematic_groups": [{"chairs": ["a", 1.5, None]}, 7],
                "key_deliverables": [{"what": "w", "lead": "l"}],
                "titel": "t",
            }
        ),
        [
            A + "plan_on_a_page.key_deliverables[1].when: is required; add `when:` to assessment.yaml",
            A + "plan_on_a_page.thematic_groups[1].chairs[3]: should be a line of text, not None; write it as text",
            A + "plan_on_a_page.thematic_groups[1].name: is required; add `name:` to assessment.yaml",
            A + "plan_on_a_page.thematic_groups[2]: should be a mapping of keys; see the README",
            A + "plan_on_a_page.titel: is not a known setting; did you mean 'title'?",
            A + "plan_on_a_page.year: is required; add `year:` to assessment.yaml",
        ],
    ),
    "plan on a page not a mapping": (
        settings_with(plan_on_a_page="plan"),
        [A + "plan_on_a_page: should be a mapping, not 'plan'; correct `plan_on_a_page`"],
    ),
    "performance not a mapping": (
        settings_with(performance=["x"]),
        [A + "performance: should be a mapping, not ['x']; correct `performance`"],
    ),
    "performance year": (
        performance(INDICATOR, year="2018-19"),
        [P + "year: '2018-19' is not a financial year label; write it as YYYY/YY, e.g. 2016/17"],
    ),
    "performance month outside the year": (
        performance(INDICATOR, to_month="2019-05"),
        [
            P + "to_month: 2019-05 is outside the financial year 2018/19 (April 2018 to March 2019); "
            "give a month from 2018-04 to 2019-03, or change the performance year"
        ],
    ),
    "performance month a date": (
        performance(INDICATOR, to_month=dt.date(2017, 5, 1)),
        [
            P + "to_month: 2017-05 is outside the financial year 2018/19 (April 2018 to March 2019); "
            "give a month from 2018-04 to 2019-03, or change the performance year"
        ],
    ),
    "performance month not a month": (
        performance(INDICATOR, to_month="May"),
        [P + "to_month: 'May' is not a month; write it as YYYY-MM, e.g. 2016-11"],
    ),
    "performance indicators missing": (
        settings_with(performance={"year": "2018/19"}),
        [P + "indicators: is required; add `indicators:` to assessment.yaml"],
    ),
    "performance indicators empty": (
        performance(),
        [P + "indicators: lists no indicator; add at least one indicator with name, series and aim"],
    ),
    "performance unknown key": (
        performance(INDICATOR, indicator=1),
        [P + "indicator: is not a known setting; did you mean 'indicators'?"],
    ),
    "indicator choices and unknown key": (
        performance(
            "x", {"name": "A", "series": "s", "aim": "reduse", "unit": "percents", "frequency": "weekly", "colour": 1}
        ),
        [
            P + "indicators › 1: should be a mapping of keys (name, series, aim, ...); see the README",
            P + "indicators › 2 › aim: 'reduse' is not a known aim; did you mean 'reduce'? "
            "use reduce, increase or monitor",
            P + "indicators › 2 › colour: is not a known setting; remove it; known keys here: aim, comment, frequency, "
            "name, noun, series, source, target_cumulative, target_each_month, unit",
            P + "indicators › 2 › frequency: 'weekly' is not a known frequency; use monthly or quarterly",
            P + "indicators › 2 › unit: 'percents' is not a known unit; did you mean 'percent'? use count or percent",
        ],
    ),
    "indicator required keys": (
        performance({"comment": "c"}),
        [
            P + "indicators › 1 › aim: is required; add `aim: reduce`, `aim: increase` or `aim: monitor`",
            P + "indicators › 1 › name: is required; add `name:` to assessment.yaml",
            P + "indicators › 1 › series: is required; add `series:` to assessment.yaml",
        ],
    ),
    "indicator targets": (
        performance(
            {"name": "A", "series": "a", "aim": "reduce", "target_cumulative": [1, 2, 3]},
            {"name": "B", "series": "b", "aim": "reduce", "frequency": "quarterly", "target_each_month": 5},
            {"name": "C", "series": "c", "aim": "monitor", "target_each_month": 5},
            {"name": "D", "series": "d", "aim": "increase", "unit": "percent", "target_each_month": 120},
            {"name": "E", "series": "e", "aim": "increase", "unit": "percent", "target_cumulative": [1] * 12},
            {"name": "F", "series": "f", "aim": "reduce", "target_cumulative": [5, 4, 3, 2, 1] + [0] * 7},
            {"name": "G", "series": "g", "aim": "reduce", "target_cumulative": ["a"], "target_each_month": -1},
            {
                "name": "H",
                "series": "h",
                "aim": "reduce",
                "frequency": "quarterly",
                "target_cumulative": [1, 2, 3, 4],
                "target_each_quarter": 3,
            },
        ),
        [
            P + "indicators › 1 › target_cumulative: has 3 numbers, not 12; give the running-total target for each "
            "of the 12 months, April to March",
            P + "indicators › 2 › target_each_month: does not fit a quarterly indicator; use `target_each_quarter`",
            P + "indicators › 3 › aim: is monitor, but a target is given; set aim to reduce or increase, or remove "
            "the target",
            P + "indicators › 4 › target_each_month: 120 is outside 0 to 100; give a target of 0 to 100",
            P + "indicators › 5 › target_cumulative: a percent indicator has no running total; use "
            "target_each_month instead",
            P + "indicators › 6 › target_cumulative: should be running totals (0 or more, never falling); give the "
            "target to date at each period",
            P + "indicators › 7 › target_cumulative: should be a list of numbers; give 12 running totals, April to "
            "March",
            P + "indicators › 7 › target_each_month: -1 is outside 0 or more; give a target of 0 or more",
            P + "indicators › 8 › target_each_quarter: is given as well as target_cumulative; give one target or "
            "the other",
        ],
    ),
    "indicator named twice": (
        performance(
            INDICATOR, {"name": " overall  CRIME", "series": "x", "aim": "monitor"}, dict(INDICATOR, series="y")
        ),
        [
            P + "indicators › 2 › name: indicator 'overall  CRIME' is named twice (also performance › indicators › 1); "
            "give each indicator its own name",
            P + "indicators › 3 › name: indicator 'Overall crime' is named twice (also performance › indicators › 1); "
            "give each indicator its own name",
        ],
    ),
}


@pytest.mark.parametrize("case", list(SETTINGS_CASES))
def test_settings_messages(case: str) -> None:
    data, expected = SETTINGS_CASES[case]
    assert settings_messages(data) == sorted(expected)


def test_a_valid_settings_mapping_is_read() -> None:
    settings = settings_from_data(settings_with(period_end="2019-03-31"), Path("/inputs"))
    assert (settings.partnership, settings.period_end, settings.population) == (
        "Testshire CSP",
        dt.date(2019, 3, 31),
        {"persons": 1000},
    )


def factor(key: str, group: str, span: tuple[int, int] = (0, 3), **keys: Any) -> dict[str, Any]:
    return {"key": key, "label": key.title(), "group": group, "range": list(span), **keys}


MODEL: dict[str, Any] = {
    "name": "tiny",
    "title": "Tiny",
    "summary": "s",
    "groups": [{"key": "harm", "label": "Harm"}, {"key": "likelihood", "label": "Likelihood"}],
    "factors": [factor("physical", "harm"), factor("frequency", "likelihood", (1, 3))],
    "score": {"product": ["harm", "likelihood"]},
    "display_columns": [
        {"label": "Harm", "groups": ["harm"], "bands": [{"at_most": 1, "name": "Low"}, {"name": "High"}]}
    ],
    "ratings": [
        {"name": "High", "min_score": 5, "colour": "#C0504D"},
        {"name": "Low", "min_score": 0, "colour": "#9BBB59"},
    ],
}
M = "tiny.yaml › "
LIKELIHOOD = "factors.frequency.suggest.bands"


def model_with(**changes: Any) -> dict[str, Any]:
    return changed(MODEL, changes)


def with_likelihood_suggestion(suggest: Any) -> dict[str, Any]:
    return model_with(factors=[factor("physical", "harm"), factor("frequency", "likelihood", (1, 3), suggest=suggest)])


def model_messages(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as caught:
        model_from_data(data, Path("/models/tiny.yaml"), "tiny.yaml")
    return sorted(str(problem) for problem in caught.value.problems)


MODEL_CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "unknown key, near a known one": (
        model_with(factor=[]),
        [M + "factor: is not a known model key; did you mean 'factors'?"],
    ),
    "unknown key, near nothing": (
        model_with(qqqq=1),
        [
            M + "qqqq: is not a known model key; known keys: display_columns, factors, groups, name, ratings, score, "
            "summary, title"
        ],
    ),
    "lists empty or not lists": (
        model_with(factors=[], ratings="x"),
        [
            M + "factors: must be a non-empty list; list the model's factors",
            M + "groups: group 'harm' has no factors; give it a factor or remove it",
            M + "groups: group 'likelihood' has no factors; give it a factor or remove it",
            M + "ratings: must be a non-empty list; list the model's ratings",
        ],
    ),
    "group keys": (
        model_with(groups=[{"key": "Harm"}, {"key": "likelihood"}, {"key": "likelihood", "lable": "x"}, "x"]),
        [
            M + "display_columns[1].groups: unknown or no groups ['harm']; name defined groups",
            M + "factors.physical.group: group 'harm' is not defined; use one of likelihood",
            M + "groups[1]: key 'Harm' is not a valid name; use lower case letters, digits and _",
            M + "groups[3].lable: is not a known model key; did you mean 'label'?",
            M + "groups[3]: group 'likelihood' is listed twice; keep one",
            M + "score.product: group 'harm' is not defined; use one of likelihood",
        ],
    ),
    "group with no factors": (
        model_with(groups=[*MODEL["groups"], {"key": "spare"}]),
        [
            M + "groups: group 'spare' has no factors; give it a factor or remove it",
            M + "score: group 'spare' is not used in the score; add it to product or plus",
        ],
    ),
    "factors": (
        model_with(
            factors=[
                factor("physical", "harmm", levels={0: "None", 4: "Huge"}, descripton="d"),
                factor("frequency", "likelihood", (3, 1)),
                factor("frequency", "likelihood", (1, 3)),
                factor("physical", "harm", (0, 3), levels={"a": 1, 2: "Two"}),
                {"key": 5},
            ]
        ),
        [
            M + "factors.frequency.range: [3, 1] is not a whole-number range within 0-100; write it as [low, high], "
            "e.g. [0, 3], with 0 <= low <= high <= 100",
            M + "factors.physical.descripton: is not a known model key; did you mean 'description'?",
            M + "factors.physical.group: group 'harmm' is not defined; did you mean 'harm'?",
            M + "factors.physical.levels: level 'a' is outside 0-3; label only allowed values",
            M + "factors[5]: key 5 is not a valid name; use lower case letters, digits and _",
        ],
    ),
    "levels a list": (
        model_with(factors=[factor("physical", "harm", levels=["a"]), factor("frequency", "likelihood", (1, 3))]),
        [M + "factors.physical.levels: must map each value to a label; write e.g. {0: None, 1: Low}"],
    ),
    "suggestion source unknown": (
        model_with(factors=[factor("physical", "harm", suggest={"from": "rate", "bands": []}), MODEL["factors"][1]]),
        [M + "factors.physical.suggest.from: must name the figure to suggest from; use rate_per_1000 or change_pct"],
    ),
    "suggestion bands out of order, unknown key": (
        with_likelihood_suggestion(
            {
                "from": "rate_per_1000",
                "bands": [{"below": 10, "value": 2}, {"below": 3, "value": 1}, {"value": 3}],
                "band": 1,
            }
        ),
        [
            M + "factors.frequency.suggest.band: is not a known model key; did you mean 'bands'?",
            M + f"{LIKELIHOOD}: bands must be listed from lowest to highest; reorder them",
        ],
    ),
    "suggestion bands": (
        with_likelihood_suggestion(
            {
                "from": "change_pct",
                "bands": [
                    {"below": "x", "value": 1},
                    {"below": 1, "at_most": 2, "value": 1},
                    {"at_most": 5, "value": 9},
                    {"at_most": 6, "value": 2},
                ],
            }
        ),
        [
            M + f"{LIKELIHOOD}: the last band must be open (no below or at_most); remove its bound",
            M + f"{LIKELIHOOD}[1].below: 'x' is not a number; give a number",
            M + f"{LIKELIHOOD}[1]: value 1 is not in 1-3; give each band a value in range",
            M + f"{LIKELIHOOD}[2]: has both below and at_most; keep one",
            M + f"{LIKELIHOOD}[2]: value 1 is not in 1-3; give each band a value in range",
            M + f"{LIKELIHOOD}[3]: value 9 is not in 1-3; give each band a value in range",
        ],
    ),
    "suggestion bands not a list": (
        with_likelihood_suggestion({"from": "change_pct", "bands": 3}),
        [
            M + f"{LIKELIHOOD}: must be a list of bands, not 3; write it as a list of bands",
            M + f"{LIKELIHOOD}: the last band must be open (no below or at_most); remove its bound",
        ],
    ),
    "score": (
        model_with(score={"product": ["harm", "likelyhood"], "plus": "x", "minus": []}),
        [
            M + "score.minus: is not a known model key; known keys: plus, product",
            M + "score.plus: must be a list of groups, not 'x'; write it as a list of groups",
            M + "score.product: group 'likelyhood' is not defined; did you mean 'likelihood'?",
            M + "score: group 'likelihood' is not used in the score; add it to product or plus",
        ],
    ),
    "score missing": (
        model_with(score=DROP),
        [M + "score: is required; give `product:` and `plus:` lists of groups"],
    ),
    "display columns": (
        model_with(
            display_columns=[
                "x",
                {"label": "H", "groups": ["harm", "nope"], "bands": []},
                {
                    "label": "L",
                    "groups": ["likelihood"],
                    "bands": [{"name": "High"}, {"at_most": 2, "name": "Low", "colour": "red"}, {"at_most": 1}],
                    "colours": 1,
                },
            ]
        ),
        [
            M + "display_columns[1]: must be a mapping; give label, groups and bands",
            M + "display_columns[2].groups: unknown or no groups ['nope']; name defined groups",
            M + "display_columns[3].bands: only the last band may be open; give every other band a bound",
            M + "display_columns[3].bands: the last band must be open (no below or at_most); remove its bound",
            M + "display_columns[3].bands[2].colour: 'red' is not a colour; write it as #RRGGBB",
            M + "display_columns[3].bands[3]: needs a name and a bound; write e.g. {at_most: 4, name: Low}",
            M + "display_columns[3].colours: is not a known model key; known keys: bands, groups, label",
        ],
    ),
    "ratings": (
        model_with(
            ratings=[
                {"name": "Low", "min_score": 0, "colour": "#9BBB59"},
                {"name": "high", "min_score": "x", "colour": "#C0504D"},
                {"min_score": 5},
                {"name": "LOW", "min_score": 3, "colour": "green", "color": 1},
            ]
        ),
        [
            M + "ratings[2].min_score: 'x' is not a number; give the lowest score",
            M + "ratings[3]: needs a name; write {name: High, min_score: 30, colour: '#C0504D'}",
            M + "ratings[4].color: is not a known model key; did you mean 'colour'?",
            M + "ratings[4].colour: 'green' is not a colour; write it as #RRGGBB",
            M + "ratings[4].name: rating 'LOW' is listed twice; give each rating its own name",
        ],
    ),
    "ratings out of order": (
        model_with(ratings=[MODEL["ratings"][1], MODEL["ratings"][0]]),
        [M + "ratings: must be listed from highest to lowest min_score; reorder them"],
    ),
    "ratings not covering the lowest score": (
        model_with(ratings=[MODEL["ratings"][0], dict(MODEL["ratings"][1], min_score=1)]),
        [M + "ratings: a score of 0 has no rating; set the last rating's min_score to 0 or less"],
    ),
    "rating name too long": (
        model_with(ratings=[{"name": "H" * 300, "min_score": 0, "colour": "#C0504D"}]),
        [M + "ratings[1]: needs a name; write {name: High, min_score: 30, colour: '#C0504D'}"],
    ),
    "factor listed twice": (
        model_with(factors=[*MODEL["factors"], factor("physical", "harm", (0, 2))]),
        [M + "factors.physical: factor 'physical' is listed twice; keep one"],
    ),
    "a factor listed twice counts for no group": (
        model_with(factors=[factor("physical", "harm"), factor("physical", "likelihood", (1, 3))]),
        [
            M + "factors.physical: factor 'physical' is listed twice; keep one",
            M + "groups: group 'likelihood' has no factors; give it a factor or remove it",
        ],
    ),
    "display columns empty": (
        model_with(display_columns=[]),
        [M + "display_columns: must be a non-empty list; list the model's display_columns"],
    ),
    "display column groups and bands not lists": (
        model_with(
            display_columns=[
                {"label": "H", "groups": "harm", "bands": [{"name": "All"}]},
                {"label": "L", "groups": ["likelihood"], "bands": "x"},
            ]
        ),
        [
            M + "display_columns[1].groups: must be a list of groups, not 'harm'; write it as a list of groups",
            M + "display_columns[1].groups: unknown or no groups []; name defined groups",
            M + "display_columns[2].bands: must be a list of bands, not 'x'; write it as a list of bands",
            M + "display_columns[2].bands: the last band must be open (no below or at_most); remove its bound",
        ],
    ),
    "items that are not mappings": (
        model_with(
            factors=[
                factor("physical", "harm", suggest="x"),
                factor(
                    "frequency", "likelihood", (1, 3), suggest={"from": "rate_per_1000", "bands": ["x", {"value": 2}]}
                ),
            ],
            display_columns=[{"label": "Harm", "groups": ["harm"], "bands": [3, {"name": "High"}]}],
            ratings=[*MODEL["ratings"], "x"],
        ),
        [
            M + "display_columns[1].bands[1]: needs a name and a bound; write e.g. {at_most: 4, name: Low}",
            M + "factors.frequency.suggest.bands[1]: value None is not in 1-3; give each band a value in range",
            M + "factors.physical.suggest.from: must name the figure to suggest from; use rate_per_1000 or change_pct",
            M + "ratings[3]: needs a name; write {name: High, min_score: 30, colour: '#C0504D'}",
        ],
    ),
    "band at_most not a number, rating colour and min_score missing": (
        model_with(
            factors=[
                factor("physical", "harm"),
                factor(
                    "frequency",
                    "likelihood",
                    (1, 3),
                    suggest={"from": "rate_per_1000", "bands": [{"at_most": "5", "value": 2}, {"value": 3}]},
                ),
            ],
            ratings=[{"name": "High", "min_score": 0}, {"name": "Low", "colour": "#9BBB59"}],
        ),
        [
            M + f"{LIKELIHOOD}[1].at_most: '5' is not a number; give a number",
            M + f"{LIKELIHOOD}[1]: value 2 is not in 1-3; give each band a value in range",
            M + "ratings[1].colour: '' is not a colour; write it as #RRGGBB",
            M + "ratings[2].min_score: None is not a number; give the lowest score",
        ],
    ),
    "band keys checked": (
        model_with(
            factors=[
                factor("physical", "harm"),
                factor(
                    "frequency",
                    "likelihood",
                    (1, 3),
                    suggest={"from": "rate_per_1000", "bands": [{"below": 3, "valu": 1}, {"value": 3}]},
                ),
            ],
            display_columns=[
                {"groups": ["harm"], "bands": [{"at_most": 1, "name": "Low", "color": "#FFFFFF"}, {"name": "High"}]}
            ],
        ),
        [
            M + "display_columns[1].bands[1].color: is not a known model key; did you mean 'colour'?",
            M + f"{LIKELIHOOD}[1].valu: is not a known model key; did you mean 'value'?",
            M + f"{LIKELIHOOD}[1]: value None is not in 1-3; give each band a value in range",
        ],
    ),
    "suggestion source a list": (
        with_likelihood_suggestion({"from": ["rate_per_1000"], "bands": [{"value": 3}]}),
        [M + "factors.frequency.suggest.from: must name the figure to suggest from; use rate_per_1000 or change_pct"],
    ),
}


@pytest.mark.parametrize("case", list(MODEL_CASES))
def test_model_messages(case: str) -> None:
    data, expected = MODEL_CASES[case]
    assert model_messages(data) == sorted(expected)


def test_a_valid_model_mapping_is_read() -> None:
    model = model_from_data(MODEL, Path("/models/tiny.yaml"), "tiny.yaml")
    assert model.score_range() == (0, 9)
    assert [rating.name for rating in model.ratings] == ["High", "Low"]
    assert model.rating_for(4).name == "Low"
