import pytest
import time_machine

from tests.projects.conftest import TODAY
from tests.projects.pipeline.leads import build_pipeline


@pytest.fixture
def ledger(cast):
    with time_machine.travel(TODAY, tick=False):
        yield build_pipeline(cast)
