"""CLI start-up: only the module of the command given is imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator import cli

REPO = Path(__file__).resolve().parents[1]


def test_the_command_table_matches_what_the_modules_register() -> None:
    parser = cli.build_parser(None)  # every module
    sub = next(a for a in parser._actions if a.dest == "command")
    registered = {c.dest: c.help for c in sub._choices_actions}
    assert registered == {name: text for name, (_, text) in cli.COMMANDS.items()}
    for name, (module, _) in cli.COMMANDS.items():
        only = cli.build_parser(name)
        action = next(a for a in only._actions if a.dest == "command")
        assert action.choices[name].add_help, (name, module)  # the real parser, not a stand-in


def test_stats_imports_neither_other_commands_nor_heavy_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from annotator.cli import main\n"
        f"main(['stats', '--db', {str(tmp_path / 'x.db')!r}])\n"
        "heavy = ('annotator.cli.cmd_export', 'annotator.cli.cmd_review', 'sqlite_utils',"
        " 'pandas', 'numpy', 'PySide6')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_help_lists_every_command(capsys) -> None:
    try:
        cli.main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert f"    {name} " in out
