"""Round trips to Redis, counted where redis-py writes to its socket: a pipeline is one."""

from contextlib import contextmanager

from redis.connection import AbstractConnection


@contextmanager
def counting_redis_round_trips(monkeypatch):
    """Yields a list that collects each round trip's first command name."""
    sent: list[str] = []
    original = AbstractConnection.send_packed_command

    def send_packed_command(self, command, check_health=True):
        first = command[0] if isinstance(command, list) else command
        sent.append(bytes(first).split(b"\r\n")[2].decode())
        return original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", send_packed_command)
    yield sent
