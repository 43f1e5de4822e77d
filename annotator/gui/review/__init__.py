"""Review mode: adjudication window and agreement dashboard.

``open_review_window(project, reviewer)`` raises ``PermissionDenied`` (a
``UserError`` with a one-line message to show) when ``reviewer`` is not a
reviewer; both functions return a shown top-level widget.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from annotator.services.project import Project


def open_review_window(project: Project, reviewer: str, parent: QWidget | None = None) -> QWidget:
    """Show the review window for ``reviewer`` (reviewers only) and return it."""
    from annotator.gui.review.window import ReviewWindow

    window = ReviewWindow(project, reviewer, parent)
    window.show()
    return window


def open_agreement_dashboard(project: Project, parent: QWidget | None = None) -> QWidget:
    """Show the agreement dashboard and return it."""
    from annotator.gui.review.dashboard import AgreementDashboard

    window = AgreementDashboard(project, parent)
    window.show()
    return window
