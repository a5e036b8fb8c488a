"""The domain: everything that evidences a judgement, one subpackage per thing councils do.

    library/           evidence items, their links to judgements, attachments, the evidence map,
                       and the items as the scorer's signals
    case_audits/       case file audits from templates, moderation, escalations, imports, summary
    performance/       indicators, their monthly values and targets, values files, the Annex A import
    reviews/           peer reviews: details, team, invitations, key lines of enquiry, findings
    mock_inspections/  a review graded judgement by judgement: case sample, proposed and
                       moderated grades, the outcome, its record and comparison
    action_plan/       actions made from gaps, tracked by owner to done
    standing.py        where the council stands: every source of signals, scored

Each subpackage keeps its tables in `models.py` and its services (plain functions taking
plain values, checking before writing, recording each change in the audit log, leaving the
commit to the request) in modules named for what they do.

Layers, lowest first, each importing only from those below it (import-linter holds it):
library; then reviews, case_audits and performance, which do not import one another; then
standing; then mock_inspections and action_plan. Everything here may use `councils` and
`judgement_framework`, and nothing here imports the web app.
"""
