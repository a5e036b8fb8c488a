"""Every action the service writes to the audit log has words for the page and the CSV."""

import ast
from pathlib import Path

from inspect_ready.audit_entries import ACTION_WORDS, action_words, changes_of, value_words

ROOT = Path(__file__).parents[2]


def _recorded_actions() -> set[str]:
    """The action codes passed to audit_log.record anywhere in the service's code."""
    found = set()
    for package in ("councils", "evidence", "inspect_ready"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name != "record":
                    continue
                first = node.args[0]
                options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                found.update(o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str))
    return found


def test_every_recorded_action_has_its_own_words():
    recorded = _recorded_actions()
    assert len(recorded) > 30  # the scan found the service's calls
    assert sorted(recorded - ACTION_WORDS.keys()) == []


def test_an_action_without_words_still_reads_as_words():
    assert action_words("thing.made_new") == "Thing made new"


def test_changes_list_only_what_differs_in_words():
    before = {"id": 4, "status": "not_started", "what": "Audit", "due_date": "2026-03-31"}
    after = {"id": 4, "status": "in_progress", "what": "Audit", "due_date": "2026-04-30"}
    changes = [(c.field, c.before, c.after) for c in changes_of(before, after)]
    assert changes == [("Status", "not started", "in progress"), ("Due date", "31 March 2026", "30 April 2026")]
    assert value_words(None) == "(none)" and value_words(True) == "Yes"
    assert value_words("A sentence_with an underscore") == "A sentence_with an underscore"
