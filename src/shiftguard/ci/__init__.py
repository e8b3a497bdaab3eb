"""`shiftguard ci`: the policy on a CI job's range of commits (SPEC §6b)."""
