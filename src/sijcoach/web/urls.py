from django.urls import include, path

from sijcoach.web.accounts import views as accounts
from sijcoach.web.api.app import api
from sijcoach.web.coaching import urls as coaching
from sijcoach.web.learn import urls as learn
from sijcoach.web.plans import checkin_views as checkin
from sijcoach.web.plans import install, pictures
from sijcoach.web.plans import views as plans

urlpatterns = [
    # The API first: Django tries the patterns in order, and API calls are the most frequent writes.
    path("api/", api.urls),
    path("", accounts.home, name="home"),
    path("signup/", accounts.signup, name="signup"),
    path("signin/", accounts.signin, name="signin"),
    path("signout/", accounts.signout, name="signout"),
    path("account/", accounts.account, name="account"),
    path("account/signout-everywhere/", accounts.signout_everywhere, name="signout_everywhere"),
    path("account/tokens/<int:token_id>/revoke/", accounts.revoke_token, name="revoke_token"),
    path("account/export/", accounts.export, name="export"),
    path("account/delete/", accounts.delete_account, name="delete_account"),
    path("check-in/", checkin.start, name="checkin_start"),
    path("check-in/stop/", checkin.stop, name="checkin_stop"),
    path("check-in/<slug:step>/", checkin.step, name="checkin_step"),
    path("today/", plans.today, name="today"),
    path("today/morning/", plans.morning, name="morning"),
    path("advice/", plans.advice, name="advice"),
    path("more/", plans.more, name="more"),
    path("session/today/", plans.session_day, name="session_day"),
    path("session/<int:index>/", plans.session, name="session"),
    path("progress/", plans.progress_page, name="progress"),
    path("progress/psfs/", plans.psfs_rate, name="psfs_rate"),
    path("history/", plans.history, name="history"),
    path("exercises/", plans.library, name="library"),
    path("exercises/<slug:slug>/", plans.exercise, name="exercise"),
    path("pictures/<slug:slug>/<slug:kind>-<slug:side>.<slug:digest>.svg", pictures.picture, name="picture"),
    path("settings/", plans.settings_page, name="settings"),
    path("settings/activities/", plans.activities, name="activities"),
    path("ping/", plans.ping, name="ping"),
    path("manifest.webmanifest", install.manifest, name="manifest"),
    path("sw.js", install.service_worker, name="service_worker"),
    path("", include("sijcoach.web.sharing.urls")),
    path("", include("sijcoach.web.reminders.urls")),
]
urlpatterns += coaching.urlpatterns  # coach mode: names stay top-level for the persona tests
urlpatterns += learn.urlpatterns  # the lessons (issue 14)

handler404 = "sijcoach.web.errors.not_found"
handler500 = "sijcoach.web.security.server_error"  # a database outage answers 503 (see security.py)
