"""Accounts: creating councils and users, passwords, and signing in safely.

Service functions, called by views and CLI commands alike. Each takes plain values,
checks them, writes the change and its audit event, and leaves committing to the caller
so one request is one transaction.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload
from zxcvbn import zxcvbn

from councils import audit_log, clock
from councils.db import db
from councils.errors import InputError
from councils.ids import record_id
from councils.models import Council, PasswordReset, Role, ServiceArea, SignInThrottle, User
from councils.tenancy import acting_for
from councils.tokens import token_hash

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
# zxcvbn's scores run 0-4; 3 is "safely unguessable" (about 10^8 guesses or more). Its
# lists of common passwords (tens of thousands, from leaks), words, names and keyboard
# patterns are what a guesser tries first, so anything on them scores 2 or less.
MIN_PASSWORD_SCORE = 3
# zxcvbn refuses longer input; the first 72 characters of a long password decide it.
_SCORED_LENGTH = 72
# An administrator passes the link on by phone or message: a day is enough, and short
# enough that a link seen over a shoulder is soon no use.
RESET_LINK_LIFETIME = timedelta(hours=24)

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


def check_new_password(password: str, email: str, name: str = "") -> None:
    """Refuse a password that is short, holds the person's email address or is easy to
    guess (zxcvbn, which knows the common passwords, words, names and patterns)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must be {MIN_PASSWORD_LENGTH} characters or more", "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer", "password")
    lowered = password.lower()
    if any(part in lowered for part in _email_parts(email)):
        raise AccountError("Password must not contain your email address or the name in it", "password")
    personal = [normalise_email(email), *_email_parts(email), *name.lower().split()]
    if zxcvbn(password[:_SCORED_LENGTH], user_inputs=personal)["score"] < MIN_PASSWORD_SCORE:
        raise AccountError(
            "Password is too easy to guess: it is a common password or close to one. "
            "A few unrelated words make a strong password.",
            "password",
        )


def _email_parts(email: str) -> list[str]:
    """The email's local part and the names in it ("jane.smith" gives jane and smith), those
    of 3 letters or more: shorter ones are in too many ordinary words to refuse."""
    local = normalise_email(email).partition("@")[0]
    return [part for part in dict.fromkeys([local, *re.split(r"[._+\-]+", local)]) if len(part) >= 3]


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


# Emails are unique across the service, so an address another council uses cannot be added.
# The refusal says only that this address cannot be used: not that an account has it, whose
# it is or which council's. An administrator adding a mistyped or someone else's address gets
# the same words, and the one bit it gives (the address is in use somewhere) is all that a
# service with one account an email can avoid giving: a person moving councils is moved by
# the service's operator.
EMAIL_CANNOT_BE_USED = (
    "This email address cannot be used for a new account. Check it is the person's own work email address"
)


def add_user(
    council: Council,
    *,
    name: str,
    email: str,
    password: str,
    role: Role,
    temporary: bool = False,
    service_area: ServiceArea | None = None,
) -> User:
    """`temporary`: the password was chosen for them (by an administrator or the command
    line), so they must choose their own when they first sign in."""
    name, email = name.strip(), normalise_email(email)
    if not name:
        raise AccountError("Enter the person's full name", "name")
    existing = db.session.scalars(select(User).where(User.email == email).execution_options(all_councils=True)).first()
    if existing is not None and existing.council_id == council.id:
        # Their own council's people are on the administrator's list already: no secret.
        raise AccountError(f"{existing.name} already has an account with this email address", "email")
    if existing is not None:
        raise AccountError(EMAIL_CANNOT_BE_USED, "email")
    check_new_password(password, email, name)
    _check_service_area(role, service_area)
    with acting_for(council.id):
        user = User(
            council_id=council.id,
            name=name,
            email=email,
            password_hash=hash_password(password),
            role=role,
            service_area=service_area if role is Role.HEAD_OF_SERVICE else None,
            must_change_password=temporary,
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
    if new_password == current_password:
        raise AccountError("Your new password must be different from your current one", "new_password")
    _set_password(user, new_password, "new_password")
    audit_log.record("user.password_changed", "user", user.id)


def _set_password(user: User, password: str, field: str) -> None:
    try:
        check_new_password(password, user.email, user.name)
    except AccountError as error:
        raise AccountError(str(error), field) from None
    user.password_hash = hash_password(password)
    user.must_change_password = False
    # Other sessions of this person (a lost laptop, say) stop working.
    user.session_version += 1


@dataclass(frozen=True)
class NewPasswordReset:
    reset: PasswordReset
    token: str


RESET_LINK_GONE = "This link has expired or has already been used. Ask your council's administrator for a new one."


def create_password_reset(user: User) -> NewPasswordReset:
    """A single-use link for the person to choose a new password. A new link replaces any
    earlier one. The token is returned once, for the administrator to pass on; only its
    hash is kept, and the audit log says a link was made, never what it was."""
    now = clock.now()
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(
        user_id=user.id, token_hash=token_hash(token), created_at=now, expires_at=now + RESET_LINK_LIFETIME
    )
    db.session.add(reset)
    db.session.flush()
    audit_log.record(
        "user.password_reset_link_made",
        "user",
        user.id,
        after={"expires_at": reset.expires_at},
        council_id=user.council_id,
    )
    return NewPasswordReset(reset, token)


def find_password_reset(token: str) -> PasswordReset | None:
    """The reset a link names, if it can still be used (looked up across councils: the
    token is the proof)."""
    query = (
        select(PasswordReset)
        .join(User, User.id == PasswordReset.user_id)
        .where(PasswordReset.token_hash == token_hash(token), PasswordReset.expires_at > clock.now(), User.active)
    )
    return db.session.scalars(query.execution_options(all_councils=True)).first()


def reset_password(token: str, new_password: str) -> User:
    """Use a reset link: set the password and end every session. The link is used up
    first, in one statement, so two posts of one link cannot both set a password; a
    refused password rolls that back with the rest (the request keeps nothing), so the
    link still works for a better one."""
    used = db.session.execute(
        delete(PasswordReset)
        .where(PasswordReset.token_hash == token_hash(token), PasswordReset.expires_at > clock.now())
        .returning(PasswordReset.user_id)
    ).first()
    query = select(User).where(User.id == (used.user_id if used else None), User.active)
    user = db.session.scalars(query.execution_options(all_councils=True)).first()
    if user is None:
        raise AccountError(RESET_LINK_GONE, "new_password")
    with acting_for(user.council_id):
        # The account's throttle row before the person's row, in the order sign-in takes
        # them, so a sign-in at the same moment cannot deadlock with this on PostgreSQL.
        _clear_failures("account", user.email)
        _set_password(user, new_password, "new_password")
        audit_log.record("user.password_reset", "user", user.id, actor=user, council_id=user.council_id)
        db.session.flush()
    return user


def temporary_password(email: str, name: str = "") -> str:
    """A random password for an administrator or the command line to pass on (changed at
    first sign-in); drawn again in the rare case it happens to hold part of the email."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_new_password(password, email, name)
        except AccountError:
            continue
        return password


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    # How long to wait before trying again, when the try was refused without looking at the password.
    wait: timedelta | None = None

    @property
    def throttled(self) -> bool:
        return self.wait is not None


# Guessing is slowed down, never stopped. Failures are counted for a key (an account, an
# address, a browser): the first few are free (people mistype), then each further try must
# wait a delay that doubles with every failure, up to MAX_DELAY, so the right password is
# never refused for longer than that. A day after its last failure a key is forgotten.
#
# An attacker must not be able to lock a person out by guessing at their account. So a
# browser the person has signed in with before carries a device cookie (OWASP's "device
# cookies" scheme, inspect_ready/views/auth.py): its tries are counted for that browser
# alone, and guesses from anywhere else, which count against the account and the address,
# never hold it back. Only a person on a browser new to the account shares the account's
# delay, and that for at most MAX_DELAY a try.
#
# Each try is counted before its password is checked, with the key's row locked (SQLite
# takes the database's write lock, PostgreSQL the row's), so parallel guesses queue up and
# each sees the ones before it: a burst gets no more free tries than one at a time would.
FREE_FAILURES = {"account": 5, "address": 20, "device": 5}
FIRST_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(days=1)


def delay_after(failures: int, kind: str) -> timedelta:
    """How long after the last failure the next try may be made."""
    beyond = failures - FREE_FAILURES[kind]
    if beyond < 0:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** min(beyond, 20), MAX_DELAY)


def sign_in(email: str, password: str, ip_address: str, device: str | None = None) -> SignInResult:
    """Check an email and password, counting the try first so guessing is slowed down.

    `device` names a browser that has signed in to this email before (a valid device
    cookie); its tries are counted for it alone, not for the account or the address.
    """
    email = normalise_email(email)
    now = clock.now()
    _forget_old_failures(now)
    keys = [("device", device)] if device else [("account", email), ("address", ip_address)]
    waits = [wait for wait in (_take_a_try(kind, key, now) for kind, key in keys) if wait]
    user = db.session.scalars(select(User).where(User.email == email).execution_options(all_councils=True)).first()
    if waits:
        _record_refusal("sign_in.throttled", user)
        return SignInResult(None, wait=max(waits))
    usable = user is not None and user.active
    # One hash is checked whatever the account: an unknown or deactivated one is checked
    # against a dummy, so the answer takes as long as for a working one and timing does
    # not tell which emails have working accounts.
    right = _verify(user.password_hash if usable else _DUMMY_HASH, password)
    if not (usable and right):
        _record_refusal("sign_in.failed", user)
        return SignInResult(None)
    with acting_for(user.council_id):
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_signed_in_at = now
        # The try was counted as a failure until now: the account's and the browser's
        # counts start again; the address only has this try taken back, so an office's
        # people signing in all morning never add up, while an attacker with an account
        # of their own cannot wipe out their guesses by signing in.
        for kind, key in keys:
            if kind == "address":
                _take_back_a_try(kind, key)
            else:
                _clear_failures(kind, key)
        audit_log.record("sign_in.succeeded", "user", user.id, actor=user)
        db.session.flush()
    return SignInResult(user)


def _record_refusal(action: str, user: User | None) -> None:
    """In the account's council's audit log. An email with no account is not written down:
    the audit log is kept for ever, and what was typed may be anyone's address (the
    throttle keeps it a day, to slow the guessing)."""
    with acting_for(user.council_id if user else None):
        audit_log.record(
            action,
            "user",
            user.id if user else None,
            detail=f"email {user.email}" if user else "an email address with no account",
            council_id=user.council_id if user else None,
        )
        db.session.flush()  # inside acting_for: the write belongs to that council


def sign_out(user: User) -> None:
    """End the person's sessions on the server: every session cookie made before stops
    working, so a copied cookie is no use after signing out. It is every device's session:
    the session version belongs to the person, not to one browser."""
    with acting_for(user.council_id):
        user.session_version += 1
        audit_log.record("sign_in.signed_out", "user", user.id, actor=user)
        db.session.flush()


def find_user_for_session(session_id: str) -> User | None:
    """The user a session cookie names, if the session is still valid."""
    user_id, _, version = session_id.partition(":")
    user_id, version = record_id(user_id), record_id(version)
    if user_id is None or version is None:
        return None
    # The council with the person, in one statement: every page's header names it.
    user = db.session.scalars(
        select(User).options(joinedload(User.council)).where(User.id == user_id).execution_options(all_councils=True)
    ).first()
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def _take_a_try(kind: str, key: str, now: datetime) -> timedelta | None:
    """Count a try for this key and give None, or give how long to wait if it may not be
    tried yet (a refused try is not counted: it checked no password)."""
    row = _locked_throttle(kind, key, now)
    failures = 0 if now - row.last_failure_at > FORGET_AFTER else row.failures
    delay = delay_after(failures, kind)
    # `now` was read before the lock was: a parallel try may have stamped a later time.
    if delay and now < row.last_failure_at + delay:
        return row.last_failure_at + delay - now
    row.failures = failures + 1
    row.last_failure_at = max(now, row.last_failure_at)
    db.session.flush()
    return None


def _locked_throttle(kind: str, key: str, now: datetime) -> SignInThrottle:
    key = key[:254]
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(SignInThrottle)
        .values(kind=kind, key=key, failures=0, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=["kind", "key"])
    )
    query = select(SignInThrottle).where(SignInThrottle.kind == kind, SignInThrottle.key == key)
    # FOR UPDATE (PostgreSQL; SQLite has one writer at a time already) until the request
    # commits: a parallel try for the same key waits here, then sees this one counted.
    return db.session.scalars(query.with_for_update().execution_options(populate_existing=True)).one()


def _clear_failures(kind: str, key: str) -> None:
    db.session.execute(
        update(SignInThrottle).where(SignInThrottle.kind == kind, SignInThrottle.key == key[:254]).values(failures=0)
    )


def _take_back_a_try(kind: str, key: str) -> None:
    db.session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.kind == kind, SignInThrottle.key == key[:254], SignInThrottle.failures > 0)
        .values(failures=SignInThrottle.failures - 1)
    )


def _forget_old_failures(now: datetime) -> None:
    """A key (an email nobody has, say) is kept a day after its last failure, no longer;
    an expired reset link likewise goes. Rows another sign-in has locked are left for the
    next one, so two sign-ins never wait on each other here."""
    old = select(SignInThrottle.id).where(SignInThrottle.last_failure_at < now - FORGET_AFTER)
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.id.in_(old.with_for_update(skip_locked=True))))
    expired = select(PasswordReset.id).where(PasswordReset.expires_at < now)
    db.session.execute(delete(PasswordReset).where(PasswordReset.id.in_(expired.with_for_update(skip_locked=True))))


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
