"""Competition ranking ("1224"): equal values share a rank (并列) and the next rank is skipped."""


def competition_ranks(values: dict, descending=True) -> dict:
    """{key: value} → {key: rank}; keys whose value is None are left out (not ranked)."""
    items = [(k, v) for k, v in values.items() if v is not None]
    items.sort(key=lambda kv: kv[1], reverse=descending)
    ranks, previous, rank = {}, object(), 0
    for position, (key, value) in enumerate(items, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks
