"""The DD catalogue as a questionnaire a person reads: text, or a page in the reports' style.

The questions come from the bundled catalogue (``rules/dd``, with the Japanese texts of
``rules/dd/i18n/ja.yaml``) through :func:`compliance.workbooks.templates.catalogue_questions`.
The creation date of the page is the catalogue's ``effective_from`` (never the clock), so two
renders are identical.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime
from itertools import groupby

from compliance._version import __version__
from compliance.reports.html import render_html, stylesheet
from compliance.reports.i18n import check_language
from compliance.workbooks.templates import CatalogueQuestion, catalogue_questions

__all__ = ["questions_html", "questions_pdf", "questions_text"]

_LABELS = {
    "en": {
        "title": "Due-diligence questionnaire for battery raw materials",
        "intro": "Regulation (EU) 2023/1542 Art. 47-52 and Annex X; OECD five-step framework. "
        "Answer each question in the questionnaire file (JSON, YAML or the Excel workbook "
        "written by 'compliance new questionnaire').",
        "answer": "Answer",
        "per_material": "one answer per material",
        "evidence": "Evidence",
        "sources": "Sources",
        "catalogue": "Catalogue",
        "count": "questions",
        "answered_in": "answered in the questionnaire's",
    },
    "ja": {
        "title": "電池原材料のデュー・ディリジェンス質問票",
        "intro": "規則 (EU) 2023/1542 第47条～第52条および附属書X、OECDの5段階の枠組み。"  # noqa: RUF001 (Japanese punctuation)
        "各質問への回答は質問票ファイル（JSON、YAML、または 'compliance new questionnaire' が"  # noqa: RUF001 (Japanese punctuation)
        "作成するExcelブック）に記入してください。",  # noqa: RUF001 (Japanese punctuation)
        "answer": "回答",
        "per_material": "原材料ごとに回答",
        "evidence": "証拠",
        "sources": "出典",
        "catalogue": "カタログ",
        "count": "問",
        "answered_in": "質問票の次の項目で回答:",
    },
}


def _text_of(question: CatalogueQuestion, language: str) -> str:
    return question.text_ja if language == "ja" and question.text_ja else question.text


def _answer(question: CatalogueQuestion, language: str) -> str:
    labels = _LABELS[language]
    options = f": {' / '.join(question.options)}" if question.options else ""
    per = f" ({labels['per_material']})" if question.per_material else ""
    if not question.answer_type and question.answered_in:
        return f"{labels['answered_in']} {question.answered_in}"
    return f"{question.answer_type or '-'}{options}{per}"


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _steps(questions: Sequence[CatalogueQuestion]) -> list[tuple[str, list[CatalogueQuestion]]]:
    return [(step, list(group)) for step, group in groupby(questions, key=lambda q: q.step)]


def questions_text(language: str = "en") -> str:
    """The questionnaire as plain text, grouped by OECD step."""
    check_language(language)
    labels = _LABELS[language]
    questions = catalogue_questions()
    lines = [labels["title"], f"{len(questions)} {labels['count']}", ""]
    for step, group in _steps(questions):
        first = group[0]
        title = (
            first.step_title_ja if language == "ja" and first.step_title_ja else first.step_title
        )
        heading = f"{step} {title}"
        lines += [heading, "=" * _width(heading)]
        for question in group:
            lines.append(f"{question.id}  {_text_of(question, language)}")
            lines.append(f"        {labels['answer']}: {_answer(question, language)}")
            if question.evidence_types:
                lines.append(f"        {labels['evidence']}: {', '.join(question.evidence_types)}")
        lines.append("")
    return "\n".join(lines)


def _created() -> datetime:
    from compliance.dd import load_catalogue

    catalogue = load_catalogue()
    return datetime.combine(
        date.fromisoformat(str(catalogue.effective_from)), datetime.min.time(), UTC
    )


def questions_html(language: str = "en") -> str:
    """The questionnaire as a self-contained HTML page in the reports' style."""
    check_language(language)
    from compliance.dd import load_catalogue

    catalogue = load_catalogue()
    questions = catalogue_questions()
    steps = []
    for step, group in _steps(questions):
        first = group[0]
        title = (
            first.step_title_ja if language == "ja" and first.step_title_ja else first.step_title
        )
        rows = [
            {
                "id": q.id,
                "text": _text_of(q, language),
                "answer": _answer(q, language),
                "evidence": ", ".join(q.evidence_types),
                "sources": "; ".join(q.sources),
            }
            for q in group
        ]
        steps.append({"id": step, "title": title, "questions": rows})
    context = {
        "labels": _LABELS[language],
        "steps": steps,
        "count": len(questions),
        "catalogue": f"{catalogue.id} {catalogue.version}",
        "lang": language,
        "kind": "questions",
        "generated_at": _created(),
        "engine_version": __version__,
        "report_css": stylesheet("report.css"),
        "print_css": stylesheet("print.css"),
    }
    return render_html("dd_questions.html", context, language=language)


def questions_pdf(language: str = "en") -> bytes:
    """The questionnaire as a PDF/A-3b document (bundled fonts, embedded)."""
    from compliance.reports.pdf import default_renderer

    return default_renderer().render(questions_html(language), attachments=(), created=_created())
