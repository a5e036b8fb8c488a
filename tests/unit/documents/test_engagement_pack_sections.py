"""Each section of the engagement meeting's pack, from plain data to a document's section:
what each says, and the sentence each gives when it has nothing to say."""

import datetime as dt

from evidence.engagement_meeting.pack import (
    ActionLine,
    AuditQuestion,
    AuditYear,
    Changes,
    GapTheme,
    IndicatorLine,
    JudgementChange,
    PackFacts,
    PlanProgress,
    a_year_before,
)
from inspect_ready import engagement_pack as pack
from inspect_ready.documents.model import Bullets, CaseReference, Marking, Paragraph, Section, Table, plain, texts

MEETING = dt.date(2026, 11, 20)
YEAR_BEFORE = dt.date(2025, 11, 20)


def _words(section: Section) -> str:
    return "\n".join(plain(text) for text in texts([section]))


def _sub(section: Section, heading_start: str) -> Section:
    return next(b for b in section.content if isinstance(b, Section) and plain(b.heading).startswith(heading_start))


def _line(name="Re-referrals within 12 months", **overrides) -> IndicatorLine:
    values = dict(
        name=name,
        now="18.0% in November 2026",
        year_before="24.0% in November 2025",
        against_target="On target",
        against_england="Better than England (22.4%)",
        over_the_year="Improving",
    )
    return IndicatorLine(**(values | overrides))


def _plan(**overrides) -> PlanProgress:
    values = dict(
        by_status=(("Not started", 2), ("In progress", 3), ("Done", 4)),
        overdue=(ActionLine("Re-audit strategy discussions", "Gareth Leader", dt.date(2026, 10, 1)),),
        overdue_count=1,
        done=(ActionLine("Supervision policy refreshed", "Ann Head", dt.date(2026, 6, 3)),),
        done_count=1,
    )
    return PlanProgress(**(values | overrides))


def _audits(**overrides) -> AuditYear:
    values = dict(
        audits=40,
        good_or_better=26,
        weakest=(AuditQuestion("Is the child's plan specific and timely?", 9, 30),),
        themes=(GapTheme("Help and protection", "Plans are specific.", "high", 7, False),),
        theme_count=12,
    )
    return AuditYear(**(values | overrides))


def _changes() -> Changes:
    return Changes(
        judgements=(
            JudgementChange("The impact of leaders", "Requires improvement to be good", "Good"),
            JudgementChange("Overall effectiveness", "Not enough graded evidence", "Good"),
        ),
        gaps_then=30,
        gaps_now=22,
        closed=14,
        opened=6,
    )


def test_the_self_evaluation_section_has_a_part_per_judgement():
    section = pack.self_evaluation_section(
        [
            ("The impact of leaders", "Agreed", "Leaders know their service well."),
            ("Help and protection", "Draft", ""),
        ]
    )
    assert plain(section.heading) == "Self-evaluation summary"
    [leaders, help_protection] = section.content
    assert plain(leaders.heading) == "The impact of leaders"
    assert [plain(b.text) for b in leaders.content] == ["Status: agreed.", "Leaders know their service well."]
    assert leaders.content[0].note
    assert plain(help_protection.content[1].text) == "No summary written yet."


def test_the_self_evaluation_section_says_when_there_is_none():
    section = pack.self_evaluation_section([])
    assert section.content == (Paragraph("No self-evaluation has been recorded yet for this year."),)


def test_a_case_reference_in_a_self_evaluation_is_marked():
    section = pack.self_evaluation_section(
        [("Help and protection", "Agreed", "As CP-1234 shows, plans drift.")], {"CP-1234"}
    )
    paragraph = section.content[0].content[1]
    assert CaseReference("CP-1234") in paragraph.text


def test_the_recommendations_section_is_a_table_of_progress():
    section = pack.recommendations_section(
        [
            ("Improve the quality of plans", "Plans audited good in 7 of 10 cases", dt.date(2026, 9, 14)),
            ("Strengthen management oversight", "", None),
        ]
    )
    [table] = section.content
    assert table.header == ("Recommendation", "Latest progress", "Date")
    assert table.rows == (
        ("Improve the quality of plans", "Plans audited good in 7 of 10 cases", "14 September 2026"),
        ("Strengthen management oversight", "No progress recorded yet", ""),
    )


def test_the_recommendations_section_says_when_there_are_none():
    section = pack.recommendations_section([])
    assert plain(section.heading) == "Progress on the last inspection's recommendations"
    assert section.content == (Paragraph("No recommendations from the last inspection have been recorded yet."),)


def test_the_indicators_section_compares_with_england_and_a_year_before():
    section = pack.indicators_section([_line(), _line("Assessments in 45 days")], total=5)
    table, more = section.content
    assert isinstance(table, Table)
    assert table.header[1:] == ("Latest", "A year before", "Against target", "Against England", "Over the year")
    assert table.rows[0] == (
        "Re-referrals within 12 months",
        "18.0% in November 2026",
        "24.0% in November 2025",
        "On target",
        "Better than England (22.4%)",
        "Improving",
    )
    assert more == Paragraph("And 3 more indicators.", note=True)


def test_the_indicators_section_says_when_there_are_none():
    assert pack.indicators_section([]).content == (Paragraph("No indicators have figures yet."),)


def test_the_audit_themes_section_gives_the_years_audits_and_the_gaps_themes():
    section = pack.audit_themes_section(_audits())
    words = _words(section)
    assert "40 case audits in the year: 26 (65%) graded good or better." in words
    assert "Is the child's plan specific and timely? Below good in 9 of 30 audits." in words
    themes = _sub(section, "Themes in the gaps today")
    assert plain(themes.content[0].text).startswith("The 1 most pressing of 12 themes")
    assert themes.content[1] == Bullets(
        ("Help and protection: Plans are specific. High; 7 gaps; no action yet.",), numbered=True
    )


def test_a_question_without_its_own_stop_is_followed_by_a_colon():
    weakest = (AuditQuestion("Management oversight recorded", 4, 10),)
    words = _words(pack.audit_themes_section(_audits(weakest=weakest)))
    assert "Management oversight recorded: below good in 4 of 10 audits." in words


def test_the_audit_themes_section_with_no_audits_and_no_gaps():
    section = pack.audit_themes_section(_audits(audits=0, good_or_better=0, weakest=(), themes=(), theme_count=0))
    words = _words(section)
    assert "No case audits were done in the year." in words
    assert "No gaps: the evidence covers every criterion." in words
    assert "Where practice most often fell short" not in words


def test_the_plan_section_counts_by_status_and_lists_overdue_and_done():
    section = pack.plan_section(_plan(overdue_count=13))
    words = _words(section)
    assert "9 actions in the plan as it stands: not started 2; in progress 3; done 4." in words
    overdue = _sub(section, "Overdue")
    assert plain(overdue.heading) == "Overdue (13)"
    assert plain(overdue.content[0].items[0]) == "Gareth Leader, due 1 October 2026: Re-audit strategy discussions"
    assert overdue.content[1] == Paragraph("And 12 more.", note=True)
    done = _sub(section, "Done in the year")
    assert plain(done.content[0].items[0]) == "Ann Head, done 3 June 2026: Supervision policy refreshed"


def test_the_plan_section_with_nothing_overdue_or_done():
    section = pack.plan_section(_plan(overdue=(), overdue_count=0, done=(), done_count=0))
    assert _sub(section, "Overdue").content == (Paragraph("No action is overdue."),)
    assert _sub(section, "Done in the year").content == (Paragraph("No action was done in the year."),)


def test_the_plan_section_with_no_plan():
    section = pack.plan_section(_plan(by_status=(("Not started", 0), ("In progress", 0), ("Done", 0))))
    assert section.content == (Paragraph("The action plan has no actions yet."),)


def test_a_case_reference_in_an_action_is_marked():
    line = ActionLine("Re-audit CP-1234 with the team", "Gareth Leader", dt.date(2026, 10, 1))
    section = pack.plan_section(_plan(overdue=(line,)), {"CP-1234"})
    assert CaseReference("CP-1234") in _sub(section, "Overdue").content[0].items[0]


def test_the_changes_section_gives_grades_then_and_now_and_the_gaps():
    section = pack.changes_section(_changes(), YEAR_BEFORE, MEETING)
    table = next(b for b in section.content if isinstance(b, Table))
    assert table.header == ("Judgement", "On 20 November 2025", "On 20 November 2026")
    assert table.rows[0] == ("The impact of leaders", "Requires improvement to be good", "Good")
    assert "30 gaps on 20 November 2025, 22 on 20 November 2026: 14 closed and 6 opened since." in _words(section)


def _facts(**overrides) -> PackFacts:
    values = dict(
        council="Northshire",
        framework="ILACS (2023)",
        meeting_date=MEETING,
        as_of=MEETING,
        year_before=YEAR_BEFORE,
        self_evaluation=(),
        indicators=(_line(),),
        indicator_count=1,
        audits=_audits(),
        recommendations=(),
        plan=_plan(),
        changes=_changes(),
        case_references=frozenset(),
    )
    return PackFacts(**(values | overrides))


def test_the_document_holds_the_six_sections_in_the_meetings_order():
    document = pack.document(_facts(), made_on=dt.date(2026, 11, 1))
    assert document.council == "Northshire" and document.title == "Annual engagement meeting"
    assert document.subtitle == "Pack for the meeting on 20 November 2026"
    assert [plain(b.heading) for b in document.content if isinstance(b, Section)] == [
        "Self-evaluation summary",
        "Indicators against England and last year",
        "Audit themes",
        "Progress on the last inspection's recommendations",
        "The improvement plan",
        "What changed since last year",
    ]
    assert document.marking is Marking.OFFICIAL


def test_the_document_is_official_sensitive_when_its_text_names_a_case():
    line = ActionLine("Re-audit CP-1234", "Gareth Leader", dt.date(2026, 10, 1))
    document = pack.document(_facts(plan=_plan(overdue=(line,)), case_references=frozenset({"CP-1234"})), MEETING)
    assert document.marking is Marking.OFFICIAL_SENSITIVE


def test_a_year_before_29_february_is_28_february():
    assert a_year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    assert a_year_before(dt.date(2026, 12, 2)) == dt.date(2025, 12, 2)
