"""Settings from the environment: bad values stop start-up with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from mesohair.demo_runner import _parse
from mesohair.env import env_bool, env_int, env_list, persistent_secret_key, secret


def test_it_reads_yes_no_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False


def test_it_refuses_a_flag_that_is_neither_yes_nor_no(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe' is not a yes/no value"):
        env_bool("X_FLAG", False)


def test_it_refuses_a_negative_or_non_numeric_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="must not be negative"):
        env_int("X_COUNT", 5)
    monkeypatch.setenv("X_COUNT", "five")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("X_COUNT", 5)


def test_it_splits_lists_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,,")
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]


def test_it_reads_a_secret_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    path = tmp_path / "key"  # type: ignore[operator]
    path.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(path))
    assert secret("X_SECRET", "") == "s3cret"


def test_it_keeps_a_generated_secret_key_between_starts(tmp_path: object) -> None:
    first = persistent_secret_key(tmp_path)  # type: ignore[arg-type]
    assert len(first) > 40
    assert persistent_secret_key(tmp_path) == first  # type: ignore[arg-type]


def test_the_demo_refuses_a_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _parse(["--port", "70000"])
    assert exit_info.value.code == 2
    assert "not a TCP port" in capsys.readouterr().err


def test_the_demo_port_defaults_to_8000(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORT", raising=False)
    assert _parse([]).port == 8000
