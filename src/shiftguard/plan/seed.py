"""The seed workflow's plan: its 3-day schedule tables, day goals and test cadence."""

from __future__ import annotations

SHIFT_HOURS = 3
TARGET = 100

# (role, primary tasks) of shifts 1-24, the seed's three day tables in order.
SCHEDULE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Infrastructure", ("PostgreSQL deployment", "connection verification")),
    ("Backend", ("Fix /stats and /sources/rankings endpoints",)),
    ("Frontend", ("Add Beta labels to demo features",)),
    ("Testing", ("Frontend testing suite (fix 0% pass rate)",)),
    ("Security", ("SSL certificate auto-renewal setup",)),
    ("Backend", ("Activate additional data sources (reduce DeFiLlama dependency)",)),
    ("Integration", ("End-to-end testing of all tiers (Free, Pro, Team, Enterprise)",)),
    ("Testing", ("Load testing with 100 concurrent users",)),
    ("Backend", ("Implement Alertmanager rules for Prometheus",)),
    ("Frontend", ("Fix frontend test suite (currently 0/19 passing)",)),
    ("Security", ("External uptime monitoring setup (UptimeRobot/Pingdom)",)),
    ("Backend", ("Implement fork detection backend (replace demo data)",)),
    ("Testing", ("Database performance testing and optimization",)),
    ("Integration", ("Payment flow testing (all tiers)",)),
    ("Backend", ("WebSocket scalability improvements",)),
    ("Testing", ("Security audit with OWASP ZAP",)),
    ("Frontend", ("Performance optimization", "bundle size reduction")),
    ("Backend", ("Cache invalidation strategy implementation",)),
    ("Testing", ("Disaster recovery testing (backup restore)",)),
    ("Integration", ("Full platform smoke test (all features)",)),
    ("Security", ("Final security hardening and penetration testing",)),
    ("Infrastructure", ("Monitoring dashboard setup and alert configuration",)),
    ("Testing", ("Regression testing (ensure no breaks)",)),
    ("Integration", ("Final verification and go-live checklist",)),
)

# Day goals: readiness at the end of each day's last shift.
GOALS = {8: 97, 16: 99, 24: 100}

# The testing protocol: smoke at every shift end, comprehensive every 6 hours
# (every 2nd shift), full regression once a day (every 8th) and too long for a push.
CADENCE: dict[str, dict[str, object]] = {
    "smoke": {"every": 1},
    "comprehensive": {"every": 2},
    "full": {"every": 8, "gate": False},
}

# The seed's final go-live checklist, each item with the kind of evidence that
# can show it met (docs/shifts.md, "The go-live checklist"): `score`, `suites` (every
# suite's verdict for HEAD's tree), `pushed`, `handoff` (the last final
# handoff's stamp is current), or `manual` (only a person can tell). The
# seed's "(45/45)" is its own product's count, not a team's: the real counts
# stand in the evidence.
GO_LIVE: tuple[tuple[str, str], ...] = (
    ("All Priority 0 tasks complete", "manual"),
    ("All Priority 1 tasks complete", "manual"),
    ("At least 80% of Priority 2 tasks complete", "manual"),
    ("Production readiness score: 100%", "score"),
    ("All test suites passing", "suites"),
    ("Load test successful (100+ concurrent users)", "manual"),
    ("Security scan clean (no critical vulnerabilities)", "manual"),
    ("PostgreSQL deployed and tested", "manual"),
    ("Backups automated and tested", "manual"),
    ("Monitoring and alerts configured", "manual"),
    ("Documentation complete and up-to-date", "manual"),
    ("Disaster recovery plan tested", "manual"),
    ("All code committed and pushed", "pushed"),
    ("Final handoff stamped at HEAD", "handoff"),
    ("Staging environment tested", "manual"),
    ("Beta labels on incomplete features", "manual"),
    ("SSL certificates configured", "manual"),
    ("Secrets management implemented", "manual"),
    ("Connection pooling verified", "manual"),
    ("WebSocket scalability tested", "manual"),
    ("Payment flows tested (all tiers)", "manual"),
    ("User acceptance testing passed", "manual"),
)
