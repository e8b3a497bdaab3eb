"""Handoff documents: parse, lint, fix, render (SPEC §2).

Stable API for the rest of shiftguard:

- `parse.parse_file(path) -> HandoffDoc`, `parse.parse_text(text, path)`
- `lint.lint_paths(paths, config, verify_commits=False, final=None) -> list[Diagnostic]`
- `template.render(number, agent_type, start_time) -> str`, `template.now_utc()`
- `discover.latest_handoff(config)`, `discover.open_handoff(config)`,
  `discover.previous_handoff(config, n)`, `discover.latest_final(config)`,
  `discover.handoff_path(config, n)`, `discover.number_of(path)`
- `HandoffDoc.blockers_range()`, `edit.append_blocker(path, note)`,
  `edit.insert_blocker(text, note)`
"""
