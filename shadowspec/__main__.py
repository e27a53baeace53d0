import sys

from shadowspec.cli import main

sys.exit(main())
