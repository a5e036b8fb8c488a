"""The Alembic migrations. This file makes migrations/ the package inspect_ready.migrations
(setup.py's package_dir), so a wheel carries them and an editable install finds them;
the app looks the folder up without importing it (inspect_ready.bundled_folder)."""
