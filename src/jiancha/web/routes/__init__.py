"""Route modules: sign-in (``auth``), HTML pages (``pages``) and the JSON API (``api``)."""
