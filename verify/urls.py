from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from verify import source_views, views

app_patterns = (
    [
        path("", views.article_list, name="article_list"),
        path("articles/new/", views.article_new, name="article_new"),
        path("articles/<int:pk>/", views.article_detail, name="article_detail"),
        path("claims/<int:pk>/verdict/", views.claim_verdict, name="claim_verdict"),
        path("claims/<int:pk>/history/", views.claim_history, name="claim_history"),
        path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
        path("claims/<int:pk>/split/", views.claim_split, name="claim_split"),
        path("claims/<int:pk>/merge/", views.claim_merge, name="claim_merge"),
        path("claims/<int:pk>/exclude/", views.claim_exclude, name="claim_exclude"),
        path("articles/<int:pk>/claimreview.json", views.article_claimreview, name="article_claimreview"),
        path("claims/<int:pk>/claimreview.json", views.claim_claimreview, name="claim_claimreview"),
        path("export/", views.export_page, name="export_page"),
        path("export/verdicts.csv", views.export_csv, name="export_csv"),
        path("claims/<int:pk>/links/", views.claim_links, name="claim_links"),
        path("links/<int:pk>/evidence/", views.link_evidence, name="link_evidence"),
        path("links/<int:pk>/diff/", views.link_diff, name="link_diff"),
        path("links/<int:pk>/original/", views.link_original, name="link_original"),
        path("articles/by-url/<int:pk>/", views.url_ingest, name="url_ingest"),
        path("sources/", source_views.source_list, name="source_list"),
        path("sources/new/", source_views.source_new, name="source_new"),
        path("sources/<int:pk>/", source_views.source_detail, name="source_detail"),
        path("sources/<int:pk>/edit/", source_views.source_edit, name="source_edit"),
        path("sources/<int:pk>/aliases/", source_views.source_alias_add, name="source_alias_add"),
        path(
            "sources/<int:pk>/aliases/<int:alias_pk>/remove/",
            source_views.source_alias_remove,
            name="source_alias_remove",
        ),
        path("sources/<int:pk>/merge/", source_views.source_merge, name="source_merge"),
        path("sources/<int:pk>/reextract/", source_views.source_reextract, name="source_reextract"),
    ],
    "verify",
)

urlpatterns = [
    path("", include(app_patterns)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switcher works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "verify.views.bad_request"
