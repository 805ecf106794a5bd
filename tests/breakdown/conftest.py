import pytest
import time_machine


@pytest.fixture
def march_20():
    """Friday 20 March 2026, 09:00 in 济南: weeks after the People's Congress, the 方案 is published."""
    with time_machine.travel("2026-03-20 09:00 +0800", tick=False) as traveller:
        yield traveller
