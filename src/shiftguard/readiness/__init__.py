"""`shiftguard report`: the readiness story across shifts (SPEC §8).

- `history`: commits and tested trees per shift, from one `git log` pass
- `story`: every shift's facts from handoffs, commits and the test cache (the JSON form)
- `checklist`: the seed's go-live checklist, with what is known to be met
- `chart`: the burn-up chart's geometry, shared by the HTML and text forms
- `html`, `text`: one reporter per output format
"""
