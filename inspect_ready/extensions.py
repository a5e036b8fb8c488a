"""Extensions, made unbound here and bound to the app in create_app. The database handle is
`councils.db.db`: the domain below the app uses it too, and views may not."""

from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()

__all__ = ["migrate", "login_manager", "csrf", "htmx"]
