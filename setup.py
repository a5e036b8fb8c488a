"""Which packages setuptools installs; everything else about the build is in pyproject.toml.

templates/ and migrations/ stay at the top of the repository and are installed inside the
app's package, as inspect_ready.templates and inspect_ready.migrations (a package-dir
mapping). A mapping needs the packages named, which pyproject.toml can only do as a fixed
list; naming them here, from the folders as they are, keeps a new folder from being left
out of the wheel. Every folder is named, data folders too (as namespace packages), so the
data files pyproject.toml's package-data lists are in packages setuptools knows.
"""

from setuptools import find_namespace_packages, setup

CODE = ["inspect_ready", "evidence", "councils", "judgement_framework"]
MAPPED = {"inspect_ready.templates": "templates", "inspect_ready.migrations": "migrations"}


def packages_in(folder: str, package: str) -> list[str]:
    return [package, *(f"{package}.{name}" for name in find_namespace_packages(where=folder))]


setup(
    packages=[
        *(name for top in CODE for name in packages_in(top, top) if name not in MAPPED),
        *(name for package, folder in MAPPED.items() for name in packages_in(folder, package)),
    ],
    package_dir=MAPPED,
)
