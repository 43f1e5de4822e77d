"""The desktop workspace (PySide6): ``open_window`` for tests, ``run`` for people.

``open_window(db_path, annotator="NAME")`` builds and shows the main window
without any dialog or event loop; ``window.open_document(doc_id)`` shows a
document; the article view is the widget named ``articleView``.
"""

from __future__ import annotations

from annotator.gui.app import open_window, run

__all__ = ["open_window", "run"]
