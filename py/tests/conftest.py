import datetime as dt

import pytest

import posfee

CHINA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="session")
def sft() -> posfee.Schedule:
    return posfee.Schedule.preset("sft-traditional")


@pytest.fixture(scope="session")
def standard() -> posfee.Schedule:
    return posfee.Schedule.preset("standard")
