"""Councils and the people who use inspect-ready in them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.tenancy import CouncilOwned
from councils.versions import Versioned


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """Store an enum by its value as plain text, so PostgreSQL needs no enum type and
    adding a member never needs a migration of a database type."""
    return Enum(
        enum_class,
        native_enum=False,
        validate_strings=True,
        length=40,
        values_callable=lambda members: [m.value for m in members],
    )


class LabelledEnum(enum.Enum):
    """An enum whose members carry the words people see. `NAME = "value"` reads as its value
    with spaces, capitalised ("senior_leader": "Senior leader"); `NAME = "value", "Words"`
    gives its own. The database stores the value alone (`enum_column`)."""

    label: str

    def __new__(cls, value: str, label: str | None = None):
        member = object.__new__(cls)
        member._value_ = value
        member.label = label or value.replace("_", " ").capitalize()
        return member


class Role(LabelledEnum):
    ADMINISTRATOR = "administrator"
    SENIOR_LEADER = "senior_leader"
    HEAD_OF_SERVICE = "head_of_service"
    PEER_REVIEWER = "peer_reviewer"


class ServiceArea(LabelledEnum):
    FRONT_DOOR = "front_door"
    EARLY_HELP = "early_help"
    CHILD_PROTECTION = "child_protection"
    CHILDREN_IN_CARE = "children_in_care"
    CARE_LEAVERS = "care_leavers"
    ADOPTION = "adoption"


class Council(Versioned, db.Model):
    # Its framework and freshness window are inputs of its standing (councils/standing_cache.py).
    council_settings_feed_standing = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # The framework the council prepares against; evidence is linked to its judgement areas.
    framework_id: Mapped[str] = mapped_column(String(80), default="ilacs-2026", server_default="ilacs-2026")
    # Freshness window for evidence, in days: the gap list calls older evidence stale.
    evidence_freshness_days: Mapped[int] = mapped_column(default=183)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    users: Mapped[list[User]] = relationship(back_populates="council")

    def __repr__(self) -> str:
        return f"<Council {self.name}>"


class User(CouncilOwned, db.Model):
    feeds_standing = False  # nothing the scorer reads

    __table_args__ = (UniqueConstraint("email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # Only heads of service have one: it puts their own service first on every page.
    service_area: Mapped[ServiceArea | None] = mapped_column(enum_column(ServiceArea))
    active: Mapped[bool] = mapped_column(default=True)
    # Changing the password bumps this; sessions made before it stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    # A password someone else chose (an administrator, the command line, a reset by the
    # service's operator) is only good for choosing one's own: every page asks for that first.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_signed_in_at: Mapped[datetime | None]

    council: Mapped[Council] = relationship(back_populates="users")

    # Flask-Login's protocol, written out so this package need not import Flask-Login.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class SignInThrottle(db.Model):
    """Recent failed sign-ins counted for one account, one address or one browser (`kind`),
    so that guessing is slowed down (councils.accounts explains how).

    One row a key, never one a try: a row for an email nobody has is forgotten, like any
    other, a day after its last failure. Not council-owned: the email may belong to no one.
    """

    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(254))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(index=True)


class PasswordReset(db.Model):
    """A link an administrator made for a person to choose a new password: it works once,
    until it expires. Only the token's hash is kept. Not council-owned: it is looked up by
    its token, before anyone has signed in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship()


class FormSubmission(CouncilOwned, db.Model):
    """A create form that was sent and what it made, by the one-time token the form carried
    and by what it held (councils/submissions.py): the same form sent again (the back button
    and submit, a second press) is shown what the first made instead of making it twice."""

    __table_args__ = (UniqueConstraint("user_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64))
    # The form's address and what it held, hashed: a copy of the page fetched again by the
    # back button has a new token but the person's typing, restored by the browser.
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    made_path: Mapped[str] = mapped_column(String(300))  # the page of what the form made
    made_what: Mapped[str] = mapped_column(String(300))  # it in words: "the mock inspection ‘Spring 2027’"
    sent_at: Mapped[datetime] = mapped_column(index=True)
