"""The direct channel from the coordinator to a shard actor (``searchlib.distributed.channel``):
mutual authentication before any call is read, framing, and on a LocalCluster: searches go
through the channels, with the results of one index, and fall back to Dask's comms when a
channel breaks."""
from __future__ import annotations

import socket
import threading
from typing import Any

import pytest

from searchlib.distributed import ShardedIndex, build_shards
from searchlib.distributed.channel import (
    MAX_FRAME, Channel, ChannelError, ChannelServer, call_frame, connect, recv_frame, send_frame, tcp_host,
)
from tests.distributed.helpers import FIELDS, CallLog, assert_same, single_index, write_jsonl

KEY = b"k" * 32


class _Echo:
    def __init__(self) -> None:
        self.frames: list[bytes] = []
        self.lock = threading.Lock()

    def __call__(self, frame: bytes) -> bytes:
        with self.lock:
            self.frames.append(frame)
        return b"echo:" + frame


@pytest.fixture
def server() -> Any:
    echo = _Echo()
    s = ChannelServer("127.0.0.1", KEY, echo)
    yield s, echo
    s.close()


def test_frames_go_both_ways_after_the_handshake(server: Any) -> None:
    s, echo = server
    ch = connect(s.address, KEY)
    try:
        for payload in (b"", b"x", bytes(range(256)) * 1000):
            ch.send(payload)
            assert ch.recv(10.0) == b"echo:" + payload
        assert echo.frames[-1] == bytes(range(256)) * 1000
    finally:
        ch.close()


def test_a_peer_without_the_key_is_refused_before_any_call_is_read(server: Any) -> None:
    s, echo = server
    with pytest.raises(ChannelError, match="handshake"):
        connect(s.address, b"x" * 32)
    # a peer that skips the handshake and sends a frame right away: closed, nothing served
    raw = socket.create_connection(s.address, timeout=10)
    try:
        raw.recv(32)  # the challenge
        raw.sendall(b"\x00" * 64 + (5).to_bytes(8, "big") + b"hello")
        try:
            answer = raw.recv(100)
        except ConnectionResetError:  # closed with the frame unread
            answer = b""
        assert answer == b""  # closed by the shard
    finally:
        raw.close()
    assert echo.frames == []
    ch = connect(s.address, KEY)  # the server still serves holders of the key
    ch.send(b"ok")
    assert ch.recv(10.0) == b"echo:ok"
    ch.close()


def test_a_flood_of_silent_connections_is_bounded(server: Any, monkeypatch: Any) -> None:
    """Connections beyond MAX_SESSIONS are closed at once (each would hold a thread until its
    handshake times out); a holder of the key gets through again once they are gone."""
    import searchlib.distributed.channel as channel_module

    s, _ = server
    s._sessions = threading.BoundedSemaphore(3)
    silent = [socket.create_connection(s.address, timeout=10) for _ in range(3)]
    for c in silent:
        assert len(c.recv(32)) == 32  # each got its challenge: a session thread holds it
    extra = socket.create_connection(s.address, timeout=10)
    try:
        assert extra.recv(32) == b""  # closed without a challenge
    except ConnectionResetError:
        pass
    extra.close()
    for c in silent:
        c.close()
    # the sessions notice the closed sockets and end, giving their places back
    for _ in range(3):
        assert s._sessions.acquire(timeout=30)
    for _ in range(3):
        s._sessions.release()
    ch = channel_module.connect(s.address, KEY)
    ch.send(b"x")
    assert ch.recv(10.0) == b"echo:x"
    ch.close()


def test_a_shard_that_does_not_know_the_key_is_not_trusted() -> None:
    """The coordinator checks the shard's answer too: a listener that accepts anything is refused."""
    fake = socket.create_server(("127.0.0.1", 0))

    def impostor() -> None:
        conn, _ = fake.accept()
        with conn:
            conn.sendall(b"n" * 32)
            conn.recv(64)
            conn.sendall(b"\x00" * 32)

    t = threading.Thread(target=impostor, daemon=True)
    t.start()
    with pytest.raises(ChannelError, match="did not authenticate"):
        connect(("127.0.0.1", fake.getsockname()[1]), KEY)
    t.join(10)
    fake.close()


def test_an_oversized_frame_is_refused() -> None:
    a, b = socket.socketpair()
    with a, b:
        a.sendall((MAX_FRAME + 1).to_bytes(8, "big"))
        with pytest.raises(ChannelError, match="larger"):
            recv_frame(b)
        send_frame(a, b"fine")
        assert recv_frame(b) == b"fine"


def test_a_silent_shard_times_out() -> None:
    a, b = socket.socketpair()
    with a, b:
        with pytest.raises(ChannelError, match="no answer"):
            Channel(a).recv(0.05)


def test_addresses_and_frames() -> None:
    assert tcp_host("tcp://127.0.0.1:4000") == "127.0.0.1"
    assert tcp_host("tcp://[::1]:4000") == "::1"
    assert tcp_host("tls://10.0.0.1:4000") is None
    assert tcp_host("inproc://x/1/2") is None
    frame = call_frame("searchlib-shard-ab-0-1", b"CALL")
    n = int.from_bytes(frame[:2], "big")
    assert frame[2:2 + n] == b"searchlib-shard-ab-0-1" and frame[2 + n:] == b"CALL"


DOCS = [{"id": f"q{i}", "title": ["长沙", "工程机械", "weather"][i % 3], "body": f"长沙 工程 机械 news {i % 5}",
         "source": ["新华社", "AP"][i % 2]} for i in range(40)]


def test_searches_go_through_the_channels_and_fall_back_to_dask(client: Any, tmp_path: Any) -> None:
    one = single_index(str(tmp_path / "one"), DOCS)
    build_shards(client, [write_jsonl(str(tmp_path / "d.jsonl"), DOCS)], str(tmp_path / "sh"), shards=2, fields=FIELDS)
    with one, ShardedIndex.open(str(tmp_path / "sh"), client=client) as sharded:
        transport = sharded.transport
        assert sorted(transport.channels) == [0, 1]
        sent: list[int] = []
        for shard, ch in transport.channels.items():
            original = ch.send

            def spy(payload: bytes, shard: int = shard, original: Any = original) -> None:
                sent.append(shard)
                original(payload)

            ch.send = spy  # type: ignore[method-assign]
        log = CallLog(sharded)
        assert_same(one.search("长沙 工程机械", facets=["source"]), sharded.search("长沙 工程机械", facets=["source"]))
        assert len(sent) == 2 * len(log.rounds) and sorted(set(sent)) == [0, 1]
        # a broken channel: that call goes through Dask's comms, the results do not change
        transport.channels[0].sock.close()
        assert_same(one.search("weather news"), sharded.search("weather news"))
        assert 0 not in transport.channels and 1 in transport.channels
        assert_same(one.search("长沙"), sharded.search("长沙"))
        # a garbled answer: asked again through Dask in the same round, the shard stays where it is
        placement = sharded.placement()
        transport.channels[1].recv = lambda timeout: b"not a pickle"  # type: ignore[method-assign]
        assert_same(one.search("工程机械 weather"), sharded.search("工程机械 weather"))
        assert 1 not in transport.channels and sharded.placement() == placement
        log.stop()


def test_channels_off_or_out_of_reach_leave_the_calls_on_dask(client: Any, tmp_path: Any, monkeypatch: Any) -> None:
    """``channels=False`` opens none; a first connection that times out (a firewall in front of
    the workers' ports) turns them off for that coordinator after ONE wait, not one per shard."""
    import searchlib.distributed.transport as transport_module
    from searchlib.distributed.channel import ChannelTimeout

    one = single_index(str(tmp_path / "one"), DOCS)
    build_shards(client, [write_jsonl(str(tmp_path / "d.jsonl"), DOCS)], str(tmp_path / "sh"), shards=2, fields=FIELDS)
    with ShardedIndex.open(str(tmp_path / "sh"), client=client, channels=False) as sharded:
        assert sharded.transport.channels == {} and sharded.transport.channel_key is None
        assert_same(one.search("长沙 news"), sharded.search("长沙 news"))
    tries: list[Any] = []

    def unreachable(address: Any, key: bytes, timeout: float = 5.0) -> Any:
        tries.append(address)
        raise ChannelTimeout(f"no answer from {address}")

    monkeypatch.setattr(transport_module, "connect", unreachable)
    with one, ShardedIndex.open(str(tmp_path / "sh"), client=client) as sharded:
        assert len(tries) == 1 and sharded.transport.channels == {}
        assert_same(one.search("长沙 news"), sharded.search("长沙 news"))


def test_a_worker_dying_under_a_channel_call_is_replaced_without_a_dask_retry(client: Any, tmp_path: Any) -> None:
    """A channel closed under a call means the worker most likely died: the shard is placed
    elsewhere at once. Sending the call again through Dask's comms to the dead worker would wait
    for the call time-out first."""
    from tests.distributed.helpers import arm_phase2_exit

    one = single_index(str(tmp_path / "one"), DOCS)
    build_shards(client, [write_jsonl(str(tmp_path / "d.jsonl"), DOCS)], str(tmp_path / "sh"), shards=2, fields=FIELDS)
    with one, ShardedIndex.open(str(tmp_path / "sh"), client=client, call_timeout=600) as sharded:
        transport = sharded.transport
        assert_same(one.search("长沙"), sharded.search("长沙"))
        doomed = sharded.placement()[0]
        events: list[Any] = []
        gather, replace = transport._gather, transport._replace

        async def spy_gather(calls: Any) -> Any:
            events.append(("dask", sorted(calls)))
            return await gather(calls)

        def spy_replace(shard: int) -> bool:
            events.append(("replace", shard))
            return replace(shard)

        transport._gather = spy_gather  # type: ignore[method-assign]
        transport._replace = spy_replace  # type: ignore[method-assign]
        client.run(arm_phase2_exit, workers=[doomed])
        assert_same(one.search("长沙 工程机械"), sharded.search("长沙 工程机械"))
        first_replace = events.index(("replace", 0))
        assert not any(kind == "dask" and 0 in shards for kind, shards in events[:first_replace]), events
        assert sharded.placement()[0] != doomed
