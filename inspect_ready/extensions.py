"""Extensions, made unbound here and bound to the app in create_app."""

from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from councils.db import db

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()

__all__ = ["db", "migrate", "login_manager", "csrf", "htmx"]
