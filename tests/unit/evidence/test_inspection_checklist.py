"""The checklist of what Ofsted asks for, read from its data file."""

import pytest

from evidence.inspection_workspace.checklist import ChecklistFileError, ilacs_checklist, read_checklist


def test_the_ilacs_checklist_says_where_it_comes_from_and_holds_the_start_of_inspection_asks():
    checklist = ilacs_checklist()
    assert "Inspecting local authority children's services" in checklist.source
    titles = {item.id: item.title for item in checklist.items}
    for expected in ("annex_a", "self_evaluation", "case_tracking_lists", "improvement_plan", "organisation_chart",
                     "key_contacts", "children_to_see"):  # fmt: skip
        assert expected in titles
    assert all(item.due in ("call", "first_day") for item in checklist.items)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("items: [{id: a, title: A, due: call}]", "where its list comes from"),
        ("source: x\nitems: []", "no items"),
        ("source: x\nitems: [{id: a, title: A, due: call}, {id: a, title: B, due: call}]", "used twice"),
        ("source: x\nitems: [{id: a, title: A, due: tomorrow}]", "due must be one of"),
        ("source: x\nitems: [{id: a, due: call}]", "needs an id, a title"),
        ("just text", "where its list comes from"),
    ],
)
def test_a_damaged_checklist_file_is_refused_with_what_is_wrong(text, message):
    with pytest.raises(ChecklistFileError, match=message):
        read_checklist(text)
