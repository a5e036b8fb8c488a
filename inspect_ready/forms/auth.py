"""Forms for signing in, changing one's own password and choosing one from a reset link."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField

from councils import accounts
from inspect_ready.forms.fields import Form
from inspect_ready.forms.validators import DataRequired, Email, EqualTo, Length


class SignInForm(Form):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@council.gov.uk"),
        ],
    )
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation. The length is checked here; what it may not
    be (common, easy to guess, holding the email) by councils.accounts."""
    new = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description=(
            f"Use {accounts.MIN_PASSWORD_LENGTH} characters or more, not a common password and not your name "
            "or email address. A few unrelated words make a strong password."
        ),
        validators=[
            DataRequired("Enter a new password"),
            Length(
                min=accounts.MIN_PASSWORD_LENGTH,
                message=f"Password must be {accounts.MIN_PASSWORD_LENGTH} characters or more",
            ),
            Length(
                max=accounts.MAX_PASSWORD_LENGTH,
                message=f"Password must be {accounts.MAX_PASSWORD_LENGTH} characters or fewer",
            ),
        ],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Confirm your new password"), EqualTo("new_password", "The passwords do not match")],
    )
    return new, confirm


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password", widget=GovPasswordInput(), validators=[DataRequired("Enter your current password")]
    )
    new_password, confirm_password = _new_password_fields()
    submit = SubmitField("Change password", widget=GovSubmitInput())


class ResetPasswordForm(Form):
    new_password, confirm_password = _new_password_fields()
    submit = SubmitField("Set password", widget=GovSubmitInput())
