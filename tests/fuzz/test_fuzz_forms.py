"""Every form of the app, posted with what people and fuzzers send: never a server error,
and a refused post keeps nothing (every table's row count as it was).

The forms are found as a browser finds them: each role visits every page it may see (the
URL map, walked with the sample council of tests/support/every_page.py) and every
<form method="post"> is read for its fields. Each field gets, in turn, the value the page
offers, a value of its kind that is wrong (NUL and control characters, numbers past every
column, NaN, long text, impossible and part-typed dates, damaged files, odd file names),
or nothing at all. Buttons with no page of their own are posted bare and with stray fields.
"""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from councils.db import db
from councils.models import Role
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.forms import FoundForm, forms_on, refused, table_counts
from tests.fuzz.values import DATE_PARTS, FILENAMES, TEXT, csv_bytes, damaged, today_parts, xlsx_bytes
from tests.support.every_page import pages, sample_council, url_of
from tests.support.factories import sign_in_as

PASSWORD = "a long enough password for fuzzing"
# Last, so a post that signs out, deactivates or removes does not end the walk early.
LAST = ("auth.", "admin.", ".delete", ".remove", ".archive", ".withdraw", ".record")


def _sample_file(accept: str) -> tuple[str, bytes]:
    rows = [["indicator", "period", "value"], ["Re-referrals", "2026-03", "12"]]
    if "xlsx" in accept or "xls" in accept:
        return "sample.xlsx", xlsx_bytes(rows)
    if "csv" in accept:
        return "sample.csv", csv_bytes(rows)
    return "notes.txt", b"Audit notes"


@st.composite
def filled(draw, form: FoundForm) -> dict:
    """The form's fields, each the page's value, a wrong one, or left out."""
    data = {}
    for name, field in form.fields.items():
        how = draw(st.sampled_from(["offered", "offered", "wrong", "left out"]))
        if how == "left out":
            continue
        if field.kind == "date":
            data[name] = today_parts() if how == "offered" else draw(DATE_PARTS)
        elif field.kind == "file":
            filename, content = _sample_file(field.accept)
            if how == "wrong":
                filename = draw(st.one_of(st.just(filename), FILENAMES))
                content = draw(st.one_of(damaged(content), st.binary(max_size=200), st.just(b"")))
            data[name] = (filename, content)
        elif field.kind in ("choice", "checkbox"):
            options = [v for v in field.values if v] or [""]
            if how == "offered":
                chosen = draw(st.lists(st.sampled_from(options), min_size=1, max_size=2, unique=True))
                data[name] = chosen if field.kind == "checkbox" else chosen[0]
            else:
                data[name] = draw(TEXT)
        elif how == "offered":
            offered = next((v for v in field.values if v and v.strip()), "")
            data[name] = offered or draw(st.sampled_from(["Re-audit strategy discussions", "12", "AB-1234"]))
        else:
            data[name] = draw(TEXT)
    if draw(st.integers(0, 4)) == 0:
        data[draw(st.sampled_from(["next", "version", "step", "rule_id", "id"]))] = draw(TEXT)
    return data


def _post(client, url: str, data: dict, files: bool):
    payload = {}
    for name, value in data.items():
        if isinstance(value, tuple):
            payload[name] = (io.BytesIO(value[1]), value[0])
        else:
            payload[name] = value
    return client.post(url, data=payload, content_type="multipart/form-data" if files else None)


def _refused_with_a_message(client, response) -> bool:
    if refused(response):
        return True
    if response.status_code in (302, 303):
        with client.session_transaction() as session:  # this post's messages, taken as its page would
            return any(category == "error" for category, _ in session.pop("_flashes", []))
    return False


def _forms_by_action(app, client, sample) -> dict[tuple[Role, str], list[FoundForm]]:
    found: dict[tuple[Role, str], list[FoundForm]] = {}
    for role, user in sample["users"].items():
        sign_in_as(client, user)
        for rule, roles in pages(app, sample["ids"]):
            if role not in roles:
                continue
            path = url_of(rule, sample["ids"])
            response = client.get(path)
            if response.mimetype == "text/html" and response.status_code == 200:
                for form in forms_on(response.get_data(as_text=True), path):
                    found.setdefault((role, form.action), []).append(form)
            response.close()
    return found


def _ids_of_buttons(sample) -> dict:
    """Ids that only buttons' routes take (no page of their own): an escalation to resolve,
    a link to remove, a team member to remove."""
    import datetime as dt

    from councils.tenancy import acting_for
    from evidence.case_audits.models import CaseAudit, Escalation
    from evidence.library.models import EvidenceLink
    from evidence.reviews.models import ReviewMember

    ids = sample["ids"]
    leader = sample["users"][Role.SENIOR_LEADER]
    with acting_for(leader.council_id):
        audit = db.session.get(CaseAudit, ids["audit_id"])
        escalation = Escalation(
            audit=audit, concern="No visit in 6 weeks", owner_id=leader.id, due_date=dt.date.today()
        )
        db.session.add(escalation)
        db.session.flush()
        link = db.session.scalars(select(EvidenceLink).where(EvidenceLink.evidence_item_id == ids["item_id"])).first()
        member = db.session.scalars(select(ReviewMember).where(ReviewMember.review_id == ids["review_id"])).first()
    db.session.commit()
    return {"escalation_id": escalation.id, "link_id": link.id, "member_id": member.id}


def _post_rules(app, ids):
    rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    return sorted(rules, key=lambda rule: (any(part in rule.endpoint for part in LAST), rule.endpoint))


def _fuzz_one_form(client, user, role: Role, form: FoundForm, tally, examples: int | None = None) -> None:
    @fuzz_settings(*([examples] if examples else []))
    @given(filled(form))
    def post_it(data):
        sign_in_as(client, user)
        before = table_counts()
        response = _post(client, form.action, data, form.multipart)
        tally["posts"] += 1
        tally["files"] += sum(isinstance(v, tuple) for v in data.values())
        where = f"POST {form.action} as {role.value} with {data!r:.300}"
        assert response.status_code < 500, where
        # Reading its messages also clears them, so the next post starts clean.
        if _refused_with_a_message(client, response):
            assert table_counts() == before, f"{where}: refused, but rows were kept"
        response.close()

    post_it()


def test_no_post_of_any_form_is_a_server_error_or_keeps_half(app, client, tmp_path, monkeypatch, tally):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    sample = sample_council(app, PASSWORD)
    sample["ids"] |= _ids_of_buttons(sample)
    found = _forms_by_action(app, client, sample)
    walked = set()
    for rule in _post_rules(app, sample["ids"]):
        path = url_of(rule, sample["ids"])
        roles = app.view_functions[rule.endpoint].allowed_roles
        roles = [role for role in Role if roles is None or role in roles]
        role = next((r for r in roles if (r, path) in found), roles[0])
        forms = found.get((role, path)) or [FoundForm(path, {}, False)]
        for form in forms:
            walked.add(rule.endpoint)
            _fuzz_one_form(client, sample["users"][role], role, form, tally)
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert walked == posting  # every form of the app, none missed
