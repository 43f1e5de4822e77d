"""`python -m annotator` is the `annotator` command."""

from annotator.cli import main

raise SystemExit(main())
