"""The workflow's plan (SPEC §8): the schedule, the seed's plan, where a team stands.

- `model`: the `plan:` config read into a schedule (windows, roles, goals)
- `seed`: the seed's 24-shift schedule, day goals and test cadence
- `write`: `plan init`, writing the seed's plan into the config file
- `standing`: each shift's state from the handoffs, the score against the goals
"""
