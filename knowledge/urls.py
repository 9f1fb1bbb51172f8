"""Knowledge pages: search, lessons and articles (page_urls), and the panels that surface
lessons on other apps' pages (surfacing_urls)."""

from .page_urls import urlpatterns as page_urlpatterns
from .surfacing_urls import urlpatterns as surfacing_urlpatterns

app_name = "knowledge"

urlpatterns = [*page_urlpatterns, *surfacing_urlpatterns]
