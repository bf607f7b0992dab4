from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from verify import views

app_patterns = (
    [
        path("", views.article_list, name="article_list"),
        path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    ],
    "verify",
)

urlpatterns = [
    path("", include(app_patterns)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
