"""Checking the configured health URLs (`status.health_urls`), all at once, with a timeout."""

from __future__ import annotations

HEALTHY = range(200, 400)


def check(url: str, timeout: float) -> dict[str, object]:
    """{ok, status, error} for one GET of URL."""
    import urllib.error
    import urllib.request

    try:
        request = urllib.request.Request(url, headers={"User-Agent": "shiftguard-status"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, per schema
            code = int(response.status)
    except urllib.error.HTTPError as exc:
        return {"ok": False, "status": exc.code, "error": f"HTTP {exc.code}"}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return {"ok": False, "status": None, "error": str(reason) or type(reason).__name__}
    return {"ok": code in HEALTHY, "status": code, "error": None if code in HEALTHY else f"HTTP {code}"}


def check_all(urls: list[dict[str, object]], timeout: float) -> list[dict[str, object]]:
    """One result per configured {name, url}, in the configured order."""
    if not urls:
        return []
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(8, len(urls))) as pool:
        verdicts = list(pool.map(lambda entry: check(str(entry["url"]), timeout), urls))
    return [{"name": e["name"], "url": e["url"], **v} for e, v in zip(urls, verdicts)]
