"""What the case file audits say: counts, the share graded good or better, the trend by
month and the questions practice most often falls short on.

The statistics are plain functions over plain rows, so they are tested without a database;
`load_summary` gathers the rows in three queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from councils import standing_cache
from councils.db import db
from councils.tenancy import current_council
from evidence.case_audits.audit_templates import all_templates
from evidence.case_audits.models import AuditAnswer, CaseAudit
from evidence.library.models import EvidenceItem, EvidenceLink
from judgement_framework import Framework

WEAK_ANSWERS = {"requires_improvement", "inadequate", "no"}
THEMES_SHOWN = 5
THEMES_MIN_ANSWERS = 3  # a question answered once or twice says little about practice


@dataclass(frozen=True)
class AuditRow:
    audit_id: int
    audit_date: date
    team: str
    case_type: str
    grade: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    label: str
    audits: int
    good_or_better: int

    @property
    def share_good(self) -> int:
        """Whole per cent, so the page never shows spurious precision."""
        return round(100 * self.good_or_better / self.audits) if self.audits else 0


@dataclass(frozen=True)
class Theme:
    question_id: str
    text: str
    answered: int
    weak: int

    @property
    def share_weak(self) -> int:
        return round(100 * self.weak / self.answered) if self.answered else 0


def good_grades(framework: Framework) -> set[str]:
    limit = framework.grade_rank[framework.expected_grade]
    return {g.id for g in framework.grades if framework.grade_rank[g.id] <= limit}


def tally_by(rows: list[AuditRow], key, good: set[str]) -> list[Tally]:
    audits: Counter = Counter()
    goods: Counter = Counter()
    for row in rows:
        for label in key(row):
            audits[label] += 1
            goods[label] += row.grade in good
    return [Tally(label, audits[label], goods[label]) for label in sorted(audits)]


def monthly_trend(rows: list[AuditRow], good: set[str]) -> list[Tally]:
    return tally_by(rows, lambda r: [r.audit_date.strftime("%Y-%m")], good)


def weakest_questions(answers: list[tuple[str, str]], texts: dict[str, str]) -> list[Theme]:
    """Questions most often answered below good (or 'no'); not applicable answers do not count."""
    answered: Counter = Counter()
    weak: Counter = Counter()
    for question_id, answer in answers:
        if answer == "not_applicable":
            continue
        answered[question_id] += 1
        weak[question_id] += answer in WEAK_ANSWERS
    return _weakest(answered, weak, texts)


def _weakest(answered: Counter, weak: Counter, texts: dict[str, str]) -> list[Theme]:
    """The questions answered often enough, weakest share first, from each one's counts."""
    themes = [
        Theme(q, texts.get(q, q), answered[q], weak[q])
        for q in answered
        if answered[q] >= THEMES_MIN_ANSWERS and weak[q]
    ]
    themes.sort(key=lambda t: (-t.weak / t.answered, -t.weak, t.question_id))
    return themes[:THEMES_SHOWN]


@dataclass(frozen=True)
class Summary:
    total: int
    overall: Tally
    by_area: list[Tally]
    by_team: list[Tally]
    by_case_type: list[Tally]
    by_month: list[Tally]
    themes: list[Theme]


def summarise(rows: list[AuditRow], answers: list[tuple[str, str]], framework: Framework) -> Summary:
    good = good_grades(framework)
    titles = {a.id: a.title for a in framework.areas}
    texts = {q.id: q.text for t in all_templates() for q in t.questions}
    by_area = tally_by(rows, lambda r: r.areas, good)
    return Summary(
        total=len(rows),
        overall=Tally("All audits", len(rows), sum(r.grade in good for r in rows)),
        by_area=[Tally(titles.get(t.label, t.label), t.audits, t.good_or_better) for t in by_area],
        by_team=tally_by(rows, lambda r: [r.team], good),
        by_case_type=tally_by(rows, lambda r: [r.case_type.replace("_", " ").capitalize()], good),
        by_month=monthly_trend(rows, good),
        themes=weakest_questions(answers, texts),
    )


def load_summary(framework: Framework) -> Summary:
    audits = db.session.execute(
        select(
            CaseAudit.id,
            CaseAudit.audit_date,
            CaseAudit.team,
            CaseAudit.case_type,
            CaseAudit.overall_grade,
            CaseAudit.moderated_grade,
        )
    ).all()
    areas: dict[int, set[str]] = defaultdict(set)
    link_rows = db.session.execute(
        select(EvidenceItem.case_audit_id, EvidenceLink.area_id)
        .join(EvidenceLink, EvidenceLink.evidence_item_id == EvidenceItem.id)
        .where(EvidenceItem.case_audit_id.is_not(None))
    )
    for audit_id, area_id in link_rows:
        areas[audit_id].add(area_id)
    rows = [
        # A moderator's different grade is the one that stands.
        AuditRow(
            a.id,
            a.audit_date,
            a.team,
            a.case_type.value,
            a.moderated_grade or a.overall_grade,
            tuple(sorted(areas[a.id])),
        )
        for a in audits
    ]
    answers = db.session.execute(select(AuditAnswer.question_id, AuditAnswer.answer)).all()
    return summarise(rows, [tuple(a) for a in answers], framework)


def weakest_answers_for_area(area_id: str, since: date) -> list[Theme]:
    """The questions most often answered below good in audits since `since` that inform one
    judgement: the themes of practice behind its grade. One query over the answers."""
    # The answer's id keeps DISTINCT from merging answers; it only drops the repeats an
    # audit linked to several criteria of the judgement would make.
    answers = db.session.execute(
        select(AuditAnswer.id, AuditAnswer.question_id, AuditAnswer.answer)
        .join(CaseAudit, AuditAnswer.case_audit_id == CaseAudit.id)
        .join(EvidenceItem, EvidenceItem.case_audit_id == CaseAudit.id)
        .join(EvidenceLink, EvidenceLink.evidence_item_id == EvidenceItem.id)
        .where(EvidenceLink.area_id == area_id, CaseAudit.audit_date >= since)
        .distinct()
    ).all()
    texts = {q.id: q.text for t in all_templates() for q in t.questions}
    return weakest_questions([(question, answer) for _id, question, answer in answers], texts)


def audits_between(framework: Framework, since: date, until: date) -> tuple[Tally, list[Theme]]:
    """The audits done from `since` to `until` (both days counted): how many, how many graded
    good or better (a moderator's grade standing over the auditor's), and the questions most
    often answered below good. A year of audits, as the engagement meeting reads it: counting
    a year of answers grows with the council, so the answer is kept until its audits next
    change (any write to an audit or an answer moves the council's standing version)."""
    council_id = current_council()
    key = f"audits-between:{framework.id}:{since.isoformat()}:{until.isoformat()}"
    return standing_cache.cached(council_id, key, lambda: _audits_between(framework, since, until), small=True)


def _audits_between(framework: Framework, since: date, until: date) -> tuple[Tally, list[Theme]]:
    in_window = CaseAudit.audit_date.between(since, until)
    # Counted by the database too, the grade that stands being the moderator's when there is one.
    moderated = CaseAudit.moderated_grade.is_not(None) & (CaseAudit.moderated_grade != "")
    standing = case((moderated, CaseAudit.moderated_grade), else_=CaseAudit.overall_grade)
    audits, good = db.session.execute(
        select(
            func.count(CaseAudit.id), func.count(CaseAudit.id).filter(standing.in_(sorted(good_grades(framework))))
        ).where(in_window)
    ).one()
    tally = Tally("Audits", audits, good)
    # Counted by the database: a large council's year of audits holds a hundred thousand answers or more.
    counts = db.session.execute(
        select(
            AuditAnswer.question_id,
            func.count(),
            func.sum(case((AuditAnswer.answer.in_(sorted(WEAK_ANSWERS)), 1), else_=0)),
        )
        .join(CaseAudit, AuditAnswer.case_audit_id == CaseAudit.id)
        .where(in_window, AuditAnswer.answer != "not_applicable")
        .group_by(AuditAnswer.question_id)
    ).all()
    answered = Counter({question: count for question, count, _ in counts})
    weak = Counter({question: int(count or 0) for question, _, count in counts})
    texts = {q.id: q.text for t in all_templates() for q in t.questions}
    return tally, _weakest(answered, weak, texts)
