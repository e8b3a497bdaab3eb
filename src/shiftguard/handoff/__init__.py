"""Handoff documents: parse, lint, fix, render (SPEC §2).

Stable API for the rest of shiftguard:

- `contract.of(config) -> Contract` (file pattern, title, sections and fields a team uses;
  `contract.DEFAULT` is the seed's template)
- `parse.parse_file(path, contract=None) -> HandoffDoc`, `parse.parse_text(text, path, contract=None)`;
  `HandoffDoc.section(key)`, `.field_value(name)`, `.is_draft`, `.score()`, `.open_blockers`
  (one `Item` per open blocker anywhere: status, report, lint), `.blockers()` (those of its
  BLOCKERS section), `.blockers_range()` -> (heading line, last line), 1-based inclusive
- `log.entries(lines)`, `log.current_doc(path, contract)` (`handoff.layout: log`)
- `lint.lint_paths(paths, config, verify_commits=False, final=None) -> list[Diagnostic]`,
  `lint.collect(paths, config)` (the files, and the skipped `.md` files of linted folders)
- `template.render(number, agent_type, start_time, agent_name="TBD") -> str`, `template.now_utc()`
- `discover.latest_handoff(config)`, `discover.open_handoff(config)` (highest draft),
  `discover.latest_final(config)`, `discover.previous_handoff(config, n)`,
  `discover.handoff_path(config, n)`, `discover.number_of(path, config=None)`
- `edit.append_blocker(path, note, root)`, `edit.insert_blocker(text, note)`,
  `edit.blockers_insert_line(text)`, `edit.write_text_atomic(path, text, root)`
- `text.read_text(path)` (size/binary/UTF-8/regular-file checks, never blocks),
  `values.score_file_percent(text)`
"""
