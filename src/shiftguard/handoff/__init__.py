"""Handoff documents: parse, lint, fix, render (SPEC §2).

Stable API for the rest of shiftguard:

- `parse.parse_file(path) -> HandoffDoc`, `parse.parse_text(text, path)`;
  `HandoffDoc.section(key)`, `.field_value(name)`, `.is_draft`, `.score()`,
  `.blockers_range()` -> (heading line, last line), 1-based inclusive
- `lint.lint_paths(paths, config, verify_commits=False, final=None) -> list[Diagnostic]`
- `template.render(number, agent_type, start_time, agent_name="TBD") -> str`, `template.now_utc()`
- `discover.latest_handoff(config)`, `discover.open_handoff(config)` (highest draft),
  `discover.latest_final(config)`, `discover.previous_handoff(config, n)`,
  `discover.handoff_path(config, n)`, `discover.number_of(path)`
- `edit.append_blocker(path, note)`, `edit.insert_blocker(text, note)`,
  `edit.blockers_insert_line(text)`, `edit.write_text_atomic(path, text)`
- `text.read_text(path)` (size/binary/UTF-8 checks), `values.score_file_percent(text)`
"""
