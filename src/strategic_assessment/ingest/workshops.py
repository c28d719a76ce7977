"""Workshop scoring workbooks ``workshops/*.xlsx`` read into checked rows (README, "Inputs").

Each workbook's ``scores`` sheet gives one row per threat scored at that
workshop; one workbook may carry the ``themes`` sheet of narratives. Values
are checked against the model in use (whole numbers in each factor's range,
override ratings the model knows). Merging workshops is done later, in
``merge``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, ProblemLog, closest
from ..errors import shown as clip
from ..model import Factor, Model
from ..names import fold
from ..records import ScoreEntry as ScoreEntry
from ..records import ThemeNarrative as ThemeNarrative
from ..records import Workshops as Workshops
from ..settings import is_year_label
from .excel import Sheet, Workbook, as_number, cell_name, folder_workbooks, is_blank, open_workbook, shown
from .fields import text_cell
from .header import Columns, read_header

WORKSHOP_FOLDER = "workshops"
NARRATIVE_COLUMNS = (
    "key_statistics",
    "impact",
    "likelihood",
    "organisational_response",
    "knowledge_gaps",
    "recommendation",
)
SCORE_OPTIONAL = ("data_row", "override_rating", "override_reason", "scored_year")
THEME_COLUMNS = (
    "theme",
    "order",
    "key_statistics",
    "impact",
    "likelihood",
    "organisational_response",
    "knowledge_gaps",
    "recommendation",
)


def workshop_files(inputs: Path) -> list[Path]:
    """The workshop workbooks in the inputs folder (.xlsx, .xlsm, .ods, .xls), in name order."""
    return list(folder_workbooks(inputs / WORKSHOP_FOLDER, WORKSHOP_FOLDER).paths)


def read_workshops(inputs: Path, model: Model, year: str, log: ProblemLog) -> Workshops:
    """Read every workshop workbook; problems go to ``log``, and every other file in the folder is named.

    Raises InputError when there is no workshop workbook at all.
    """
    folder = folder_workbooks(inputs / WORKSHOP_FOLDER, WORKSHOP_FOLDER)
    files = list(folder.paths)
    log.problems.extend(folder.problems)
    log.warnings.extend(folder.warnings)
    if not files:
        raise InputError(
            [
                *folder.problems,
                Problem(
                    f"{WORKSHOP_FOLDER}/",
                    "no workshop scoring workbooks found",
                    "put one .xlsx per workshop in the workshops folder "
                    "(`strategic-assessment workshop-template -o FILE` writes a blank one)",
                ),
            ]
        )
    entries: list[ScoreEntry] = []
    themes: tuple[ThemeNarrative, ...] = ()
    themes_file = ""
    for path in files:
        label = f"{WORKSHOP_FOLDER}/{path.name}"
        try:
            book = open_workbook(path, label)
            entries.extend(_workbook_scores(book, model, year, log))
            if book.has_sheet("themes"):
                themes_sheet = book.read_sheet("themes", log)
                found = _themes(book, themes_sheet, ProblemLog() if themes_file else log)
                if _has_narrative(found) or not themes_file:
                    if _has_narrative(found) and _has_narrative(themes):
                        log.add(
                            Problem(
                                label, f"a themes sheet is also in {themes_file}", "keep one themes sheet filled in"
                            )
                        )
                    else:
                        themes, themes_file = (_themes(book, themes_sheet, log) if themes_file else found), label
        except InputError as error:
            log.problems.extend(error.problems)
    return Workshops(tuple(entries), themes, tuple(files), themes_file)


def _workbook_scores(book: Workbook, model: Model, year: str, log: ProblemLog) -> list[ScoreEntry]:
    """The rows of a workbook's scores sheet (none, with a problem, when the sheet is missing)."""
    if not book.has_sheet("scores"):
        log.add(book.sheet_problem("scores"))
        return []
    sheet = book.read_sheet("scores", log)
    return _scores(book, sheet, model, year, log)


def _has_narrative(themes: tuple[ThemeNarrative, ...]) -> bool:
    """True when a themes sheet says more than the themes' names and order (blank templates do not)."""
    return any(
        theme.key_statistics
        or theme.impact
        or theme.likelihood
        or theme.organisational_response
        or theme.knowledge_gaps
        or theme.recommendation
        for theme in themes
    )


def _scores(book: Workbook, sheet: Sheet, model: Model, year: str, log: ProblemLog) -> list[ScoreEntry]:
    columns = read_header(book, sheet, ["theme", "threat", *model.factor_keys], SCORE_OPTIONAL, log)
    if columns is None or not all(columns.has(name) for name in ("theme", "threat", *model.factor_keys)):
        return []
    _misspelt_columns(sheet, columns, SCORE_OPTIONAL, log, f"is not used by the {model.name} model")
    _values_without_header(sheet, columns, log)
    entries: list[ScoreEntry] = []
    seen: dict[str, int] = {}
    for row, values in columns.rows():
        entry = _score_row(book, sheet, columns, model, year, row, values, log)
        if entry is None:
            continue
        key = fold(entry.threat)
        if key in seen:
            log.add(
                Problem(
                    sheet.file,
                    f"threat '{entry.threat}' is scored twice in this workbook (also row {seen[key]})",
                    "keep one row per threat",
                    sheet=sheet.name,
                    cell=cell_name(row, columns.index["threat"]),
                )
            )
            continue
        seen[key] = row
        entries.append(entry)
    return entries


def _score_row(
    book: Workbook,
    sheet: Sheet,
    columns: Columns,
    model: Model,
    year: str,
    row: int,
    values: tuple[Any, ...],
    log: ProblemLog,
) -> ScoreEntry | None:
    read: dict[str, str] = {}

    def text(name: str) -> str:
        if name not in read:
            column = columns.index.get(name)
            raw = values[column - 1] if column and column <= len(values) else None
            field = name.replace("_", " ")
            read[name] = (
                text_cell(book, sheet, row, column, raw, field, log, name != "override_reason") if column else ""
            )
        return read[name]

    def place(name: str) -> str:
        return cell_name(row, columns.index[name])

    before = len(log.problems)
    for name in ("theme", "threat"):
        if not text(name) and len(log.problems) == before:
            log.add(
                Problem(
                    sheet.file,
                    f"{name} is blank",
                    f"enter the {name}",
                    sheet=sheet.name,
                    cell=place(name),
                )
            )
    if not text("theme") or not text("threat"):
        return None
    scores: dict[str, int | None] = {}
    rejected: set[str] = set()
    cells = {name: cell_name(row, column) for name, column in columns.index.items()}
    for factor in model.factors:
        column = columns.index[factor.key]
        raw = values[column - 1] if column <= len(values) else None
        before = len(log.problems)
        scores[factor.key] = factor_value(book, sheet, factor, row, column, raw, log)
        if len(log.problems) > before:
            rejected.add(factor.key)
    override, reason = _override(sheet, columns, model, row, text, log)
    scored_year = _scored_year(sheet, columns, year, row, text("scored_year"), log)
    return ScoreEntry(
        workshop=sheet.file,
        sheet=sheet.name,
        row=row,
        theme=text("theme"),
        threat=text("threat"),
        data_row=text("data_row"),
        values=scores,
        rejected=frozenset(rejected),
        cells=cells,
        override_rating=override,
        override_reason=reason,
        scored_year=scored_year,
    )


def factor_value(
    book: Workbook, sheet: Sheet, factor: Factor, row: int, column: int, raw: Any, log: ProblemLog
) -> int | None:
    """A factor score: a whole number in the factor's range; blank is None (decided later)."""
    where = cell_name(row, column)
    number = as_number(raw)
    scale = f"{factor.low}-{factor.high}"
    labels = ", ".join(f"{value} {label}" for value, label in sorted(factor.levels.items()))
    fix = f"enter a whole number {scale}" + (f" ({labels})" if labels else "")
    problem = ""
    if number.error:
        problem = f"{factor.key} {number.error}"
    elif number.value is None:
        formula = book.formulas(sheet.name).get(where)
        if formula:
            problem = f"{factor.key} formula {formula} has no saved value"
            fix = "open the workbook in Excel or LibreOffice, let it calculate, and save it"
    elif not number.value.is_integer():
        problem = f"{factor.key} {shown(number.value)} is not a whole number"
    elif int(number.value) not in factor.allowed:
        problem = f"{factor.key} {shown(number.value)} is outside {scale}"
    if problem:
        log.add(Problem(sheet.file, problem, fix, sheet=sheet.name, cell=where))
        return None
    return None if number.value is None else int(number.value)


def _override(sheet: Sheet, columns: Columns, model: Model, row: int, text: Any, log: ProblemLog) -> tuple[str, str]:
    override, reason = text("override_rating"), text("override_reason")
    if not override:
        if reason:
            log.warn(
                Problem(
                    sheet.file,
                    "override reason given without an override rating (ignored)",
                    "enter the override rating or clear the reason",
                    sheet=sheet.name,
                    cell=cell_name(row, columns.index["override_reason"]),
                )
            )
        return "", ""
    rating = model.rating(override)
    where = cell_name(row, columns.index["override_rating"])
    if rating is None:
        names = ", ".join(r.name for r in model.ratings)
        log.add(
            Problem(
                sheet.file,
                f"override rating '{override}' is not a rating",
                f"use one of {names}",
                sheet.name,
                where,
            )
        )
        return "", ""
    if not reason:
        log.add(
            Problem(
                sheet.file,
                "an override rating needs a reason",
                "say why in override_reason: the document footnotes it",
                sheet=sheet.name,
                cell=cell_name(row, columns.index["override_reason"]) if columns.has("override_reason") else where,
            )
        )
    return rating.name, reason


def _scored_year(sheet: Sheet, columns: Columns, year: str, row: int, value: str, log: ProblemLog) -> str:
    if not value or value == year:
        return year
    where = cell_name(row, columns.index["scored_year"])
    if not is_year_label(value):
        log.add(
            Problem(
                sheet.file,
                f"scored year '{value}' is not YYYY/YY",
                "write it like 2017/18",
                sheet.name,
                where,
            )
        )
        return year
    if value > year:
        log.add(
            Problem(
                sheet.file,
                f"scored year {value} is after the assessment year {year}",
                "correct it",
                sheet.name,
                where,
            )
        )
        return year
    return value


def _values_without_header(sheet: Sheet, columns: Columns, log: ProblemLog) -> None:
    """Warn about values right of the last header: a score typed one column too far is not read."""
    header = sheet.rows[columns.row - 1] if len(sheet.rows) >= columns.row else ()
    width = max((index for index, value in enumerate(header, start=1) if not is_blank(value)), default=0)
    stray = [
        cell_name(row, column)
        for row, values in columns.rows()
        for column, value in enumerate(values, start=1)
        if column > width and not is_blank(value)
    ]
    if stray:
        cells = (
            f"{stray[0]} and {len(stray) - 1} more cells hold values" if len(stray) > 1 else f"{stray[0]} holds a value"
        )
        log.warn(
            Problem(
                sheet.file,
                f"{cells} right of the last column header, so not read",
                "move them into the right column, or delete them",
                sheet.name,
                stray[0],
            )
        )


def _misspelt_columns(sheet: Sheet, columns: Columns, known: tuple[str, ...], log: ProblemLog, unused: str) -> None:
    """Headers nobody asked for: one like a column the sheet lacks is a misspelling (its column would be
    silently dropped), so it is a problem; any other is warned about as unused (``unused`` says why)."""
    absent = [name for name in known if not columns.has(name)]
    for column, header in columns.extra:
        near = closest(header, absent)
        where = columns.cell(column)
        if near is not None:
            problem = f"column '{clip(header)}' is not a column of this sheet; did you mean '{near}'?"
            log.add(Problem(sheet.file, problem, f"rename it '{near}'", sheet.name, where))
        else:
            text = unused or f"is not a column of the {sheet.name} sheet, so it is not read"
            log.warn(Problem(sheet.file, f"column '{clip(header)}' {text}", "", sheet.name, where))


def _missing_narratives(sheet: Sheet, columns: Columns, log: ProblemLog) -> None:
    """A themes sheet without a narrative column would leave that part of every theme section blank: refused.

    A header that is a misspelling of the missing column is already named; it is not named twice.
    """
    absent = [name for name in NARRATIVE_COLUMNS if not columns.has(name)]
    misspelt = {closest(header, absent) for _, header in columns.extra}
    for name in absent:
        if name not in misspelt:
            log.add(
                Problem(
                    sheet.file,
                    f"column '{name}' not found, so every theme section would have no {name.replace('_', ' ')}",
                    f"add a column headed '{name}' to the header row (its cells may be left blank)",
                    sheet.name,
                    f"row {columns.row}",
                )
            )


def _themes(book: Workbook, sheet: Sheet, log: ProblemLog) -> tuple[ThemeNarrative, ...]:
    columns = read_header(book, sheet, ["theme"], THEME_COLUMNS[1:], log)
    if columns is None or not columns.has("theme"):
        return ()
    _misspelt_columns(sheet, columns, THEME_COLUMNS, log, "")
    _missing_narratives(sheet, columns, log)
    themes: list[ThemeNarrative] = []
    seen: set[str] = set()
    for row, values in columns.rows():
        cells = {name: values[col - 1] if col <= len(values) else None for name, col in columns.index.items()}
        before = len(log.problems)
        name = text_cell(book, sheet, row, columns.index["theme"], cells.get("theme"), "theme", log)
        if not name and len(log.problems) > before:
            continue
        if not name:
            log.add(
                Problem(
                    sheet.file,
                    "theme is blank",
                    "name the theme",
                    sheet.name,
                    cell_name(row, columns.index["theme"]),
                )
            )
            continue
        if fold(name) in seen:
            log.add(
                Problem(
                    sheet.file,
                    f"theme '{name}' is listed twice",
                    "keep one row per theme",
                    sheet.name,
                    f"row {row}",
                )
            )
            continue
        seen.add(fold(name))
        themes.append(_theme(book, sheet, columns, row, name, cells, len(themes) + 1, log))
    return tuple(sorted(themes, key=lambda theme: theme.order))


def _theme(
    book: Workbook,
    sheet: Sheet,
    columns: Columns,
    row: int,
    name: str,
    cells: dict[str, Any],
    position: int,
    log: ProblemLog,
) -> ThemeNarrative:
    order = as_number(cells.get("order"))
    if order.error or (order.value is not None and not order.value.is_integer()):
        log.add(
            Problem(
                sheet.file,
                f"order {order.error or order.value}",
                "enter a whole number",
                sheet.name,
                cell_name(row, columns.index["order"]),
            )
        )

    def narrative(field: str) -> str:
        column = columns.index.get(field)
        if column is None:
            return ""
        return text_cell(book, sheet, row, column, cells.get(field), field.replace("_", " "), log, name=False)

    statistics = narrative("key_statistics")
    bullets = tuple(line.strip().lstrip("-•* ").strip() for line in statistics.splitlines() if line.strip())
    return ThemeNarrative(
        theme=name,
        order=int(order.value) if order.value is not None and order.value.is_integer() else position,
        key_statistics=bullets,
        impact=narrative("impact"),
        likelihood=narrative("likelihood"),
        organisational_response=narrative("organisational_response"),
        knowledge_gaps=narrative("knowledge_gaps"),
        recommendation=narrative("recommendation"),
    )
