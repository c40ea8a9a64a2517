"""symmle.fit checks the support at the estimate only where it moves with the parameters: a
uniform on equal values still has no MLE."""

from __future__ import annotations

import pytest

import symmle
from symmle.errors import NoMLEError


def test_a_support_that_closes_in_on_one_value_has_no_estimate() -> None:
    with pytest.raises(NoMLEError, match="closes in on the single value 1"):
        symmle.fit("uniform", [1.0, 1.0, 1.0])
    assert symmle.fit("uniform", [1.0, 2.0]) == {"a": 1.0, "b": 2.0}
