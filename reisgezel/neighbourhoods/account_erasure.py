"""What erasing an account (accounts.erasure) does here: the chosen home neighbourhood goes."""

from __future__ import annotations

from typing import Any

from reisgezel.accounts.erasure import ErasureStep
from reisgezel.neighbourhoods.models import HomeNeighbourhood


def _erase(user: Any) -> None:
    HomeNeighbourhood.objects.filter(user=user).delete()


NEIGHBOURHOODS_ERASURE = ErasureStep(name="neighbourhoods", blockers=lambda user: [], erase=_erase)
