"""Guarded rollback (`shiftguard rollback`, docs/rollback.md).

- `plan`: the plan, pure data, shown before anything happens.
- `guards`: the checks that refuse before anything changes.
- `engine`: the plan carried out as undoable steps; `txn` runs them.
- `gitops`: the git calls those steps need (through `shiftguard.git`).
- `backups`: backup refs and rollback ids; `saved`: the files at risk, saved first.
- `journal`: the run in flight, on disk; `recover`: finishing a run that was killed.
- `lock`: one rollback at a time per repository.
- `note`, `message`: the EMERGENCY ROLLBACK note and the revert commit's message.
"""
