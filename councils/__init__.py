"""Councils, their people and the audit log: the records every other part hangs off.

This package sits below `evidence` and `inspect_ready` (see the import-linter
contracts in pyproject.toml). It knows nothing about web requests: the app tells
it which council is signed in through `tenancy.current_council`.
"""
