"""Errors that reach the user as one clear line, never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix (bad file, unknown label, missing document)."""


class InputError(UserError):
    """Bad input data: names the file, the line (when there is one) and the problem."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class PermissionDenied(UserError):
    """A user tried to write a layer their role does not allow."""


class DatabaseBusy(UserError):
    """Another process holds the database's write lock longer than we wait."""

    def __init__(self) -> None:
        super().__init__("database is busy (another process is writing); try again")
