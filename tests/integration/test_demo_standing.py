"""The demo shows what the standing rests on: indicators graded where enough children stand
behind them (and not where too few do), and case audits a second auditor moderated, so the
why of a judgement has both to show."""

import re

from sqlalchemy import func, select

from councils.db import db
from councils.models import Council, Role, User
from councils.tenancy import acting_for
from evidence.case_audits.models import CaseAudit
from evidence.performance import indicators
from evidence.performance.models import Unit
from evidence.performance.signals import cases_behind, indicator_grade
from inspect_ready import demo
from tests.support.pages import page_text, table_rows


def _demo_council():
    return db.session.scalars(select(Council).where(Council.name == demo.DEMO_COUNCIL)).one()


def test_the_demo_grades_some_indicators_and_not_those_with_too_few_children(database, tmp_path):
    demo.load(tmp_path / "logins.json")
    with acting_for(_demo_council().id):
        series = indicators.values_by_indicator()
        graded, too_few = [], []
        for indicator in indicators.all_indicators():
            rows = series[indicator.id]
            if indicator.unit is Unit.PERCENT:
                # Every percentage agrees with the children counted, as the form would insist.
                for row in rows:
                    indicators.check_value(indicator, row.value, row.numerator, row.denominator)
            (graded if indicator_grade(indicator, rows) else too_few).append(indicator)
        assert len(graded) >= 5
        assert any(cases_behind(series[i.id]) is not None for i in too_few)  # counted, but too few
        assert {indicator_grade(i, series[i.id]) for i in graded} >= {"good", "requires_improvement"}


def test_the_demo_has_moderated_audits_some_graded_differently(database, tmp_path):
    demo.load(tmp_path / "logins.json")
    with acting_for(_demo_council().id):
        audits = db.session.scalar(select(func.count(CaseAudit.id)))
        agreed = db.session.scalar(select(func.count(CaseAudit.id)).where(CaseAudit.moderation_agreed.is_(True)))
        different = db.session.scalars(select(CaseAudit).where(CaseAudit.moderation_agreed.is_(False))).all()
    assert agreed + len(different) >= audits / 10
    assert different and all(a.moderated_grade != a.overall_grade and a.moderation_reason for a in different)
    assert all(a.evidence_item.grade == a.moderated_grade for a in different)


def test_the_demo_why_page_shows_graded_indicators_and_moderation(database, tmp_path, client_request):
    demo.load(tmp_path / "logins.json")
    director = db.session.scalars(select(User).where(User.role == Role.SENIOR_LEADER)).first()
    client_request.sign_in(director)
    page = client_request.get("standing.judgement", area_id="help_protection")
    shown = table_rows(page, "Indicators of this judgement")
    assert shown and all(not row[1].startswith("Not graded") for row in shown)  # graded ones first
    with acting_for(director.council_id):
        names = {i.name for i in indicators.all_indicators()}
    assert all(row[0].split(":")[0] in names for row in shown)
    assert re.search(r"\d+ of \d+ recent audits moderated", page_text(page))
    # The last recorded mock inspection's moderated grade stands beside the evidence grade.
    assert re.search(r"The last recorded mock inspection, .+, moderated this judgement as \w", page_text(page))
