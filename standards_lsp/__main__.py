"""`python -m standards_lsp`: the `standards-lsp` command."""

import sys

from standards_lsp import main

sys.exit(main())
