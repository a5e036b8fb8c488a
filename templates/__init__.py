"""The Jinja templates. This file makes templates/ the package inspect_ready.templates
(setup.py's package_dir), so a wheel carries them and an editable install finds them;
the app looks the folder up without importing it (inspect_ready.bundled_folder)."""
