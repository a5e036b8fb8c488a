"""Forms for signing in and changing one's own password."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from councils import accounts


class SignInForm(FlaskForm):
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


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", widget=GovPasswordInput(), validators=[DataRequired("Enter your current password")]
    )
    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description=f"Use {accounts.MIN_PASSWORD_LENGTH} characters or more. A few unrelated words make a strong password.",
        validators=[
            DataRequired("Enter a new password"),
            Length(
                min=accounts.MIN_PASSWORD_LENGTH,
                message=f"Password must be {accounts.MIN_PASSWORD_LENGTH} characters or more",
            ),
        ],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Confirm your new password"), EqualTo("new_password", "The passwords do not match")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
