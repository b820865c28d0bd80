from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from stodkedjan.accounts import views
from stodkedjan.accounts.forms import EmailAuthenticationForm
from stodkedjan.core.access import public, rule_required

app_name = "accounts"

urlpatterns = [
    path(
        "account/login/",
        public(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html", authentication_form=EmailAuthenticationForm
            )
        ),
        name="login",
    ),
    path("account/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "account/password/",
        rule_required("accounts.use_workspace")(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
            )
        ),
        name="password_change",
    ),
    path(
        "account/password/changed/",
        rule_required("accounts.use_workspace")(
            auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
        ),
        name="password_change_done",
    ),
    path(
        "account/password-reset/",
        public(
            auth_views.PasswordResetView.as_view(
                template_name="accounts/password_reset.html",
                email_template_name="accounts/email/password_reset.txt",
                subject_template_name="accounts/email/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        public(auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        public(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        public(auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")),
        name="password_reset_complete",
    ),
    path("account/two-step/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-step/code/", views.two_factor_verify, name="two_factor_verify"),
    path("staff/", views.workspace, name="workspace"),
    path("staff/switch-organisation/", views.switch_organisation, name="switch_organisation"),
    path("staff/organisations/", views.organisation_list, name="organisation_list"),
    path("staff/organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("staff/organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("staff/organisations/<slug:slug>/members/add/", views.member_add, name="member_add"),
    path("staff/organisations/<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("staff/organisations/<slug:slug>/members/<int:pk>/", views.member_edit, name="member_edit"),
]
