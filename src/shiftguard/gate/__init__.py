"""The pre-push gate (SPEC §3) and the test runner it shares with other commands.

- `pushes`: git's pre-push lines and what the push adds to the remote
- `policy`: the gate's own rules (protected force-push, suites pass)
- `branches`: branch names against configured patterns (protected, trusted)
- `runner`: run suites on a commit's tree, streamed, with timeouts (`run_suites`)
- `checkout`: the working tree or a temporary worktree holding that tree
- `ignored`: ignored files that could take part in a run (then not in place)
- `parsers`: passed/failed counts from pytest, jest, vitest, go test, plain lines
- `cache`: passing results by (tree, suite, environment), shared by worktrees,
  the one reader of them (`is_green`, `last_green_commit` for rollback)
- `fingerprint`: the environment a verdict holds in (interpreters, lockfiles, version)
- `records`: what a cached record may hold, every field checked
- `notes`: verdicts shared as git notes on trees, pushed, fetched, merged; `Shared.trusted`
  the one judge of whether another machine's verdict may skip a run
- `signing`: those verdicts' SSH signatures (`ssh-keygen -Y sign|verify`)
- `prepush`: the gate itself (`check_push`)
"""
