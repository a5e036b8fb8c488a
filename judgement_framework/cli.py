"""Command line: `python -m judgement_framework list | show ID | validate FILE | outcome ID GRADES.json`.

Each command is a plain function writing to a given stream, so the Flask app can
expose the same commands (`flask framework ...`) without copying logic.
Exit status: 0 success, 2 bad input or bad framework file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from .errors import JudgementFrameworkError
from .loader import list_frameworks, load_file, load_framework
from .rules import RulesResult, apply_rules
from .schema import Framework

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def cmd_list(out: TextIO, *, as_json: bool = False, search_paths: Sequence[str] = ()) -> int:
    summaries = list_frameworks(search_paths)
    if as_json:
        _dump([s.to_dict() for s in summaries], out)
        return EXIT_OK
    for s in summaries:
        until = s.in_force_to.isoformat() if s.in_force_to else "now"
        print(f"{s.id:<14} {s.in_force_from.isoformat()} to {until:<10}  {s.title}", file=out)
    return EXIT_OK


def cmd_show(framework_id: str, out: TextIO, *, as_json: bool = False, search_paths: Sequence[str] = ()) -> int:
    fw = load_framework(framework_id, search_paths)
    if as_json:
        _dump(fw.model_dump(mode="json"), out)
        return EXIT_OK
    print(f"{fw.title}\n{fw.id} version {fw.version}, in force from {fw.in_force_from.isoformat()}", file=out)
    print("Grades (best first): " + ", ".join(f"{g.label} [{g.id}]" for g in fw.grades), file=out)
    print("Judgements:", file=out)
    for a in fw.areas:
        indent = "    " if a.parent else "  "
        print(f"{indent}{a.id} ({a.kind}, {len(a.criteria)} criteria, {len(a.kloes)} KLOEs): {a.title}", file=out)
    if fw.aggregation.best_fit:
        print(f"Overall best fit from: {', '.join(fw.aggregation.best_fit.from_areas)}", file=out)
    for r in fw.aggregation.rules:
        print(f"Rule {r.id} ({r.kind}): {r.why}", file=out)
    return EXIT_OK


def cmd_validate(path: str, out: TextIO, *, as_json: bool = False) -> int:
    fw = load_file(path)  # raises FrameworkError, reported by main
    if as_json:
        _dump({"valid": True, "path": path, "id": fw.id}, out)
    else:
        print(f"{path}: valid framework {fw.id!r} ({len(fw.areas)} judgement areas)", file=out)
    return EXIT_OK


def cmd_outcome(
    framework_id: str,
    grades_source: str,
    out: TextIO,
    *,
    as_json: bool = False,
    search_paths: Sequence[str] = (),
    stdin: TextIO | None = None,
) -> int:
    fw = load_framework(framework_id, search_paths)
    grades, set_aside = parse_grades(_read(grades_source, stdin or sys.stdin))
    result = apply_rules(fw, grades, set_aside)
    if as_json:
        _dump(result.to_dict(), out)
    else:
        _print_result(fw, result, out)
    return EXIT_OK


def parse_grades(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """{"grades": {...}, "set_aside": {...}} or a bare {area: grade} mapping."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _InputProblem(f"grades file is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise _InputProblem("grades file must hold a JSON object")
    if "grades" in data:
        grades, set_aside = data["grades"], data.get("set_aside") or {}
    else:
        grades, set_aside = data, {}
    for name, value in (("grades", grades), ("set_aside", set_aside)):
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise _InputProblem(f"{name} must map ids to text")
    return grades, set_aside


class _InputProblem(JudgementFrameworkError):
    pass


def _read(source: str, stdin: TextIO) -> str:
    if source == "-":
        return stdin.read()
    try:
        with open(source, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise _InputProblem(f"{source}: cannot read the grades file ({exc.strerror})") from None


def _print_result(fw: Framework, result: RulesResult, out: TextIO) -> None:
    def label(grade_id: str | None) -> str:
        return fw.grade(grade_id).label if grade_id else "not graded"

    for area_id, grade in result.final_grades.items():
        print(f"{area_id:<26} {label(grade)}", file=out)
    if result.overall:
        o = result.overall
        print(f"\nOverall indicative (best fit): {label(o.indicative_grade)}", file=out)
        if o.moderator_grade:
            print(f"Moderator's grade: {label(o.moderator_grade)}", file=out)
        print(f"Overall final: {label(o.final_grade)}", file=out)
        for r in o.rules:
            note = f" Set aside because: {r.set_aside_reason}" if r.set_aside_reason else ""
            override = " (overrode the moderator's grade)" if r.overrode_moderator else ""
            print(f"  {r.rule_id} [{r.kind}] {r.effect}{override}: {r.why}{note}", file=out)


def _dump(data: Any, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m judgement_framework", description="Inspection judgement frameworks."
    )
    parser.add_argument(
        "--search-path",
        action="append",
        default=[],
        metavar="DIR",
        help="extra folder of framework files (repeatable; also $JUDGEMENT_FRAMEWORK_PATH)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("list", "list the frameworks found"),
        ("show", "describe one framework"),
        ("validate", "check a framework file"),
        ("outcome", "apply the rules to grades"),
    ):
        p = sub.add_parser(name, help=help_text)
        if name in ("show", "outcome"):
            p.add_argument("framework_id")
        if name == "validate":
            p.add_argument("file")
        if name == "outcome":
            p.add_argument("grades", help="JSON file of grades, or - for stdin")
        p.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(argv)
    paths = args.search_path
    try:
        if args.command == "list":
            return cmd_list(out, as_json=args.json, search_paths=paths)
        if args.command == "show":
            return cmd_show(args.framework_id, out, as_json=args.json, search_paths=paths)
        if args.command == "validate":
            return cmd_validate(args.file, out, as_json=args.json)
        return cmd_outcome(args.framework_id, args.grades, out, as_json=args.json, search_paths=paths)
    except JudgementFrameworkError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_BAD_INPUT
