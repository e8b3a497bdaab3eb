from shiftguard.cli import main

raise SystemExit(main())
