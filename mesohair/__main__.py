import sys

from mesohair.cli import main

sys.exit(main())
