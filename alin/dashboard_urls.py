"""Pages composed from several apps live at project level, where every app is visible."""

urlpatterns: list = []
