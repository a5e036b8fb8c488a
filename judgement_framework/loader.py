"""Finding, reading and validating framework files.

Built-in frameworks live in `frameworks/`. A council adds its own by pointing
JUDGEMENT_FRAMEWORK_PATH (os.pathsep-separated directories) or `search_paths` at a
folder of `<id>.yaml` files, or by passing a file path; no code change is needed.
Council directories are searched before the built-in one, so a council may pin
its own copy of a shipped framework.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .checks import semantic_problems
from .errors import FrameworkError, Problem
from .schema import RULE_KINDS, Framework

BUILTIN_DIR = Path(__file__).parent / "frameworks"
ENV_VAR = "JUDGEMENT_FRAMEWORK_PATH"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class FrameworkSummary:
    id: str
    title: str
    version: str
    in_force_from: date
    in_force_to: date | None
    path: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["in_force_from"] = self.in_force_from.isoformat()
        data["in_force_to"] = self.in_force_to.isoformat() if self.in_force_to else None
        return data


def search_dirs(search_paths: Sequence[str | os.PathLike[str]] | None = None) -> list[Path]:
    env = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    return [Path(p) for p in (*(search_paths or ()), *env)] + [BUILTIN_DIR]


def load_framework(
    id_or_path: str | os.PathLike[str],
    search_paths: Sequence[str | os.PathLike[str]] | None = None,
) -> Framework:
    """Load a framework by id (searched in council dirs, then built-ins) or by file path."""
    text = os.fspath(id_or_path)
    if text.endswith(SUFFIXES) or os.sep in text or (os.altsep and os.altsep in text):
        return load_file(text)
    for directory in search_dirs(search_paths):
        for suffix in SUFFIXES:
            candidate = directory / f"{text}{suffix}"
            if candidate.is_file():
                framework = load_file(candidate)
                if framework.id != text:
                    raise FrameworkError(
                        str(candidate), [Problem("id", f"is {framework.id!r} but the file is named for {text!r}")]
                    )
                return framework
    where = ", ".join(str(d) for d in search_dirs(search_paths))
    raise FrameworkError(text, [Problem("", f"no framework with this id was found (searched {where})")])


def list_frameworks(search_paths: Sequence[str | os.PathLike[str]] | None = None) -> list[FrameworkSummary]:
    """Every framework found, first occurrence of each id winning, sorted by id."""
    found: dict[str, FrameworkSummary] = {}
    for path in _framework_files(search_dirs(search_paths)):
        fw = load_file(path)
        found.setdefault(
            fw.id, FrameworkSummary(fw.id, fw.title, fw.version, fw.in_force_from, fw.in_force_to, str(path))
        )
    return [found[k] for k in sorted(found)]


def _framework_files(dirs: Iterable[Path]) -> list[Path]:
    return [p for d in dirs if d.is_dir() for p in sorted(d.iterdir()) if p.suffix in SUFFIXES and p.is_file()]


def load_file(path: str | os.PathLike[str]) -> Framework:
    """Read and validate one file; FrameworkError names the file, field and problem."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise FrameworkError(str(path), [Problem("", f"cannot read the file ({exc.strerror})")]) from None
    # Frameworks are immutable, so a cached copy is safe while the file is unchanged.
    return _load_cached(str(path.resolve()), stat.st_mtime_ns, str(path))


@lru_cache(maxsize=64)
def _load_cached(resolved: str, _mtime_ns: int, shown: str) -> Framework:
    return parse_text(Path(resolved).read_text(encoding="utf-8"), shown)


def parse_text(text: str, source: str) -> Framework:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameworkError(source, [_yaml_problem(exc)]) from None
    if not isinstance(data, dict):
        raise FrameworkError(
            source, [Problem("", "the file must hold a mapping of fields (id, title, grades, areas, ...)")]
        )
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(source, [_plain(err) for err in exc.errors()]) from None
    problems = semantic_problems(framework)
    if problems:
        raise FrameworkError(source, problems)
    return framework


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return Problem("", f"{where}YAML syntax error: {what}")


def field_path(loc: tuple[int | str, ...]) -> str:
    """('areas', 2, 'parent') -> 'areas[2].parent' (rule-kind tags from unions are dropped)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in RULE_KINDS:
            out += f".{part}" if out else part
    return out


_PLAIN = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a recognised field (check the spelling)",
    "string_type": "must be text",
    "date_type": "must be a date written as YYYY-MM-DD",
    "date_parsing": "must be a date written as YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a date written as YYYY-MM-DD",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "dict_type": "must be a mapping of fields",
    "union_tag_not_found": "is required but missing (one of: hard_limiter, presumption, floor)",
}


def _plain(err: dict[str, Any]) -> Problem:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _PLAIN:
        message = _PLAIN[kind]
    elif kind == "literal_error":
        message = f"is {err['input']!r}, but must be one of {ctx.get('expected')}"
    elif kind == "union_tag_invalid":
        message = f"is {ctx.get('tag')!r}, but must be one of {ctx.get('expected_tags')}"
    elif kind == "too_short":
        message = f"must have at least {ctx.get('min_length')} item(s)"
    else:
        message = err["msg"][0].lower() + err["msg"][1:]
    path = field_path(tuple(err["loc"]))
    if kind.startswith("union_tag"):
        path += ".kind"  # pydantic reports the tag problem on the rule, not its field
    return Problem(path, message)
