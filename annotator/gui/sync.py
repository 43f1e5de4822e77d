"""Sync with the team hub from the window: off the GUI thread, state in the status bar.

The Sync action (and, when chosen, a timer every few minutes) runs
``services.sync.sync`` in a worker thread on its own connection to the
project file, so tagging goes on meanwhile; the status bar says when the
last sync was, how many changes wait to be pushed, and "offline" when the
hub could not be reached. The first sync asks for the hub's URL (the
password comes from ~/.pgpass or a service file, never from the window: a
URL holding one is refused before anything is stored). Labels a sync
brings (new ones, a reviewer's edits) reach the open window at once, as
``Changes(labels=…)`` through its change path (``gui/schema_views.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.gui import i18n, settings
from annotator.gui.actions import Act
from annotator.gui.document_list import ASSIGNED
from annotator.gui.hub_status import HubStatusDialog  # also registers its Arabic
from annotator.gui.i18n import tr
from annotator.gui.plain import plain_label
from annotator.gui.workbench import Workbench
from annotator.services import labels as label_service
from annotator.services import sync as sync_service
from annotator.services.project import open_project

AUTO_KEY = "hub/auto_sync_minutes"
AUTO_MINUTES = 5
PENDING_DELAY_MS = 400

i18n.add_translations(
    {
        "Sync with hub": "مزامنة مع المركز",
        "Sync automatically every {n} minutes": "مزامنة تلقائية كل {n} دقائق",
        "Assigned to me": "المسند إليّ",
        "Hub URL (postgresql://NAME@HOST/DB or service=NAME):": (
            "عنوان المركز (postgresql://NAME@HOST/DB أو service=NAME):"
        ),
        "Syncing…": "جارٍ المزامنة…",
        "Not synced yet": "لم تتم المزامنة بعد",
        "Synced {time}": "تمت المزامنة {time}",
        "Offline": "غير متصل",
        "{n} pending": "{n} بانتظار الرفع",
        "Sync failed: {reason}": "فشلت المزامنة: {reason}",
    }
)


class _Signals(QObject):
    done = Signal(object)  # SyncReport
    failed = Signal(str)


class _SyncJob(QRunnable):
    """One sync in a worker thread, on a connection of its own."""

    def __init__(self, db_path: str, url: str | None) -> None:
        super().__init__()
        self.db_path, self.url = db_path, url
        self.signals = _Signals()

    def run(self) -> None:
        try:
            with open_project(self.db_path) as project:
                report = sync_service.sync(project, self.url)
        except UserError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a worker must report, never die silently
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.done.emit(report)


class SyncController(QObject):
    """The window's sync: action, timer, status-bar label."""

    finished = Signal(bool)  # True when the sync succeeded

    def __init__(self, window: Workbench) -> None:
        super().__init__(window)
        self.window = window
        self.running = False
        self.closed = False
        self.offline = False
        self.last_error = ""
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._job: _SyncJob | None = None
        self.label = plain_label()
        self.label.setObjectName("syncLabel")
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.start)
        self._pending_timer = QTimer(self)
        self._pending_timer.setSingleShot(True)
        self._pending_timer.setInterval(PENDING_DELAY_MS)
        self._pending_timer.timeout.connect(self.update_label)
        window.actions_[Act.SYNC].triggered.connect(self.start)
        window.actions_[Act.HUB_STATUS].triggered.connect(self.show_status)
        self.status_dialog = None
        self.auto_action = QAction(window)
        self.auto_action.setObjectName("action_auto_sync")
        self.auto_action.setCheckable(True)
        self.auto_action.toggled.connect(self.set_auto)
        menu = window.menus.menus.get("&Workspace")
        if menu is not None:
            menu.insertAction(window.actions_[Act.SYNC], self.auto_action)
            menu.insertAction(self.auto_action, window.actions_[Act.SYNC])
        window.changed.connect(lambda _changes: self._pending_timer.start())
        minutes = int(settings.settings().value(AUTO_KEY, 0) or 0)
        self.auto_action.setChecked(minutes > 0)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.auto_action.setText(tr("Sync automatically every {n} minutes", n=AUTO_MINUTES))
        self.update_label()

    def set_auto(self, on: bool) -> None:
        """Turn the periodic sync on or off (remembered in the settings)."""
        settings.settings().setValue(AUTO_KEY, AUTO_MINUTES if on else 0)
        if on:
            self.timer.start(AUTO_MINUTES * 60_000)
        else:
            self.timer.stop()

    def start(self) -> None:
        """Start a sync in the background (asks for the URL the first time)."""
        if self.running or self.closed:
            return
        project = self.window.project
        url = sync_service.remembered_url(project)
        if url is None:
            url, ok = QInputDialog.getText(
                self.window,
                tr("Sync with hub"),
                tr("Hub URL (postgresql://NAME@HOST/DB or service=NAME):"),
                QLineEdit.EchoMode.Normal,
            )
            if not ok or not url.strip():
                return
            try:  # a password in the URL is refused at once: it is never stored
                url = sync_service.check_url(url)
            except UserError as exc:
                self.window.message(tr("Sync failed: {reason}", reason=str(exc)))
                self.finished.emit(False)
                return
        self.running = True
        self.label.setText(tr("Syncing…"))
        job = _SyncJob(str(project.store.path), url)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self._job = job  # the signals object lives as long as the job is ours
        self.pool.start(job)

    def _done(self, report) -> None:
        self.running, self.offline, self.last_error = False, False, ""
        if self.closed:
            return
        window = self.window
        labels = label_service.reload_changed(window.project)  # this sync's, or anyone's
        if labels:  # before the document opens again: its spans may carry new labels
            window.announce(Changes(labels=labels))
        if report.pulled.get("assignments") and report.role == "curator":
            box = window.doc_panel.status  # new work: show it
            box.setCurrentIndex(max(0, box.findData(ASSIGNED)))
        if report.pulled.get("documents") or report.pulled.get("assignments"):
            window.refresh_list()
        if window.current is not None and (
            report.pulled.get("spans") or report.pulled.get("notes")
        ):
            window.open_document(window.current.id)
        lines = report.summary().splitlines()
        # a warning (changes under another name, refused rows) matters more than the counts
        window.message(lines[1].strip() if len(lines) > 1 else lines[0])
        self.update_label()
        self.finished.emit(True)

    def _failed(self, reason: str) -> None:
        self.running = False
        if self.closed:
            return
        self.offline = "cannot reach the hub" in reason
        self.last_error = reason
        self.window.message(tr("Sync failed: {reason}", reason=reason))
        self.update_label()
        self.finished.emit(False)

    def update_label(self) -> None:
        """Last sync, pending changes, offline."""
        if self.running or self.closed:
            return
        state = sync_service.status(self.window.project)
        if state.url is None:
            self.label.setText(tr("Not synced yet"))
            return
        parts = [tr("Offline")] if self.offline else []
        if state.last_sync:
            parts.append(tr("Synced {time}", time=_local_time(state.last_sync)))
        parts.append(tr("{n} pending", n=state.pending))
        self.label.setText(" · ".join(parts))

    def show_status(self) -> None:
        """Open the team's progress, read from the hub."""
        if self.status_dialog is not None:
            self.status_dialog.close()
        self.status_dialog = HubStatusDialog(
            sync_service.remembered_url(self.window.project), self.window
        )
        self.status_dialog.show()

    def wait(self, msecs: int = 30_000) -> bool:
        """The window is closing: stop the timers, wait for a running sync's worker."""
        self.timer.stop()
        self._pending_timer.stop()
        self.closed = True
        return self.pool.waitForDone(msecs)


def _local_time(iso: str) -> str:
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M")
    except ValueError:
        return iso


def attach(window: Workbench) -> SyncController:
    """Give ``window`` its Sync action, timer and status-bar state."""
    return SyncController(window)
