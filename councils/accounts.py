"""Accounts: creating councils and users, passwords, and signing in safely.

Service functions, called by views and CLI commands alike. Each takes plain values,
checks them, writes the change and its audit event, and leaves committing to the caller
so one request is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from councils import audit_log, clock
from councils.db import db
from councils.errors import InputError
from councils.ids import record_id
from councils.models import Council, FailedSignIn, Role, ServiceArea, User
from councils.tenancy import acting_for

MIN_PASSWORD_LENGTH = 12
# Slow guessing down: this many failures within the window locks further tries for it.
FAILURES_PER_EMAIL = 5
FAILURES_PER_ADDRESS = 20
THROTTLE_WINDOW = timedelta(minutes=15)

_hasher = PasswordHasher()
# Verifying against this keeps an unknown email as slow as a known one, so timing does
# not tell an attacker which emails have accounts.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountError(InputError):
    """Bad input to an account change."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must be {MIN_PASSWORD_LENGTH} characters or more", "password")


def email_taken(email: str) -> bool:
    query = select(User.id).where(User.email == normalise_email(email))
    return db.session.execute(query.execution_options(all_councils=True)).first() is not None


# The council's own staff: everyone but peer reviewers, who come to review, not to own work.
STAFF = frozenset(Role) - {Role.PEER_REVIEWER}


def people(*, active: bool | None = True, roles: Iterable[Role] | None = None) -> list[User]:
    """The signed-in council's people by name: by default those who can still sign in;
    `active=None` for everyone, as filters on past work need; `roles` to narrow it."""
    query = select(User).order_by(User.name, User.id)
    if active is not None:
        query = query.where(User.active.is_(active))
    if roles is not None:
        query = query.where(User.role.in_(list(roles)))
    return list(db.session.scalars(query))


def create_council(name: str) -> Council:
    name = name.strip()
    if not name:
        raise AccountError("Enter the council's name", "council_name")
    if db.session.scalar(select(Council.id).where(func.lower(Council.name) == name.lower())):
        raise AccountError(f"A council called {name} already exists", "council_name")
    council = Council(name=name)
    db.session.add(council)
    db.session.flush()
    audit_log.record("council.created", "council", council.id, after={"name": name}, council_id=council.id)
    return council


def add_user(
    council: Council,
    *,
    name: str,
    email: str,
    password: str,
    role: Role,
    service_area: ServiceArea | None = None,
) -> User:
    name, email = name.strip(), normalise_email(email)
    if not name:
        raise AccountError("Enter the person's full name", "name")
    if email_taken(email):
        raise AccountError("An account with this email address already exists", "email")
    check_new_password(password)
    _check_service_area(role, service_area)
    with acting_for(council.id):
        user = User(
            council_id=council.id,
            name=name,
            email=email,
            password_hash=hash_password(password),
            role=role,
            service_area=service_area if role is Role.HEAD_OF_SERVICE else None,
        )
        db.session.add(user)
        db.session.flush()
        audit_log.record("user.created", "user", user.id, after=_public_fields(user), council_id=council.id)
        db.session.flush()
    return user


def set_role(user: User, role: Role, service_area: ServiceArea | None, *, active: bool = True) -> None:
    _check_service_area(role, service_area)
    before = _public_fields(user)
    user.role = role
    user.service_area = service_area if role is Role.HEAD_OF_SERVICE else None
    if user.active != active:
        user.active = active
        user.session_version += 1  # a deactivated person is signed out at once
    db.session.flush()
    audit_log.record("user.role_changed", "user", user.id, before=before, after=_public_fields(user))


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not _verify(user.password_hash, current_password):
        raise AccountError("Your current password is not right", "current_password")
    check_new_password(new_password)
    user.password_hash = hash_password(new_password)
    # Other sessions of this person (a lost laptop, say) stop working.
    user.session_version += 1
    audit_log.record("user.password_changed", "user", user.id)


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    throttled: bool = False


def sign_in(email: str, password: str, ip_address: str) -> SignInResult:
    """Check an email and password, counting failures so guessing is slowed down."""
    email = normalise_email(email)
    now = clock.now()
    if _is_throttled(email, ip_address, now):
        audit_log.record("sign_in.throttled", "user", detail=f"email {email}")
        return SignInResult(None, throttled=True)
    user = db.session.scalars(select(User).where(User.email == email).execution_options(all_councils=True)).first()
    if user is None or not user.active or not _verify(user.password_hash, password):
        if user is None:
            _verify(_DUMMY_HASH, password)
        with acting_for(user.council_id if user else None):
            db.session.add(FailedSignIn(email=email, ip_address=ip_address, occurred_at=now))
            audit_log.record(
                "sign_in.failed",
                "user",
                user.id if user else None,
                detail=f"email {email}",
                council_id=user.council_id if user else None,
            )
            db.session.flush()  # inside acting_for: the write belongs to that council
        return SignInResult(None)
    with acting_for(user.council_id):
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_signed_in_at = now
        db.session.execute(delete(FailedSignIn).where(FailedSignIn.email == email))
        audit_log.record("sign_in.succeeded", "user", user.id, actor=user)
        db.session.flush()
    return SignInResult(user)


def find_user_for_session(session_id: str) -> User | None:
    """The user a session cookie names, if the session is still valid."""
    user_id, _, version = session_id.partition(":")
    user_id, version = record_id(user_id), record_id(version)
    if user_id is None or version is None:
        return None
    user = db.session.scalars(select(User).where(User.id == user_id).execution_options(all_councils=True)).first()
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def _is_throttled(email: str, ip_address: str, now: datetime) -> bool:
    since = now - THROTTLE_WINDOW
    recent = select(func.count(FailedSignIn.id)).where(FailedSignIn.occurred_at >= since)
    by_email = db.session.scalar(recent.where(FailedSignIn.email == email))
    by_address = db.session.scalar(recent.where(FailedSignIn.ip_address == ip_address))
    return by_email >= FAILURES_PER_EMAIL or by_address >= FAILURES_PER_ADDRESS


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_service_area(role: Role, service_area: ServiceArea | None) -> None:
    if role is Role.HEAD_OF_SERVICE and service_area is None:
        raise AccountError("Choose the service area this head of service leads", "service_area")


def _public_fields(user: User) -> dict:
    return audit_log.snapshot(user, ["name", "email", "role", "service_area", "active"])
