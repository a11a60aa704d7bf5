"""How the coordinator reaches the shards: Dask actors on workers, or searchers in this process.

:class:`DaskTransport` places one :class:`~searchlib.distributed.shard.ShardActor` per shard on a
worker that sees the shard's folder (shared storage: any worker, spread evenly; local disks: the
worker that holds it), so each shard is opened once and every search calls it directly: the
transport sends each call over the client's own connection pool to the worker holding the
shard, one message out and one back, as a :data:`~searchlib.distributed.shard.SHARD_CALL`
message (method and arguments pickled into the message, the value pickled into the reply; the
handler is installed on the worker by the shard's actor). Not through ``distributed.Actor``:
its method calls are proxied through the scheduler unless the client was made with
``direct_to_workers=True``, and even direct they wrap arguments and value in serialized
sub-frames, which measured 1.5x the round trip of plain bytes; the transport depends on no
client setting and leaves the client as it is. On a ``tcp://`` cluster the same message goes
first through the actor's direct socket (:mod:`searchlib.distributed.channel`: a fraction of
Dask's round trip; :meth:`DaskTransport._exchange` says what a failing channel does). A call that fails because
the worker is gone (or the shard's storage fails there) places the shard on another worker that
sees it and is tried again, ``retries`` times; a shard that stays unreachable is reported as a
failure, which the caller turns into an error or a partial result.

:class:`LocalTransport` does the same with :class:`~searchlib.distributed.shard.ShardSearcher` s
in this process (no cluster needed: tests, small deployments, the CLI without ``--scheduler``).

Runners (:class:`DaskRunner`, :class:`InlineRunner`) submit plain tasks (building and writing
shards) the same two ways.
"""
from __future__ import annotations

import asyncio
import os
import pickle
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import searchlib.errors as errors_module
from searchlib.errors import SearchlibError
from searchlib.distributed.channel import ChannelError, ChannelTimeout, call_frame, connect
from searchlib.distributed.shard import PICKLE_PROTOCOL, SHARD_CALL, ShardActor, ShardSearcher

__all__ = ["DaskRunner", "DaskTransport", "InlineRunner", "LocalTransport", "ShardUnavailable", "raise_shard_error"]

Calls = Mapping[int, tuple[str, tuple[Any, ...]]]
CONNECT_TIMEOUT = 2.0  # seconds to reach a shard actor's direct socket


class ShardUnavailable(SearchlibError):
    """Shards could not be reached (after retries on other workers)."""

    def __init__(self, message: str, shards: list[int] | None = None) -> None:
        super().__init__(message)
        self.shards = shards or []


def raise_shard_error(shard: int, err: Mapping[str, Any]) -> None:
    """Re-raise a shard's error here: the same :class:`SearchlibError` class and message when it
    is one (a bad query is the caller's to fix), else a :class:`SearchlibError` naming the shard."""
    cls = getattr(errors_module, str(err.get("type")), None) if err.get("searchlib") else None
    if isinstance(cls, type) and issubclass(cls, SearchlibError):
        exc = cls.__new__(cls)
        Exception.__init__(exc, err["message"])
        for attr in ("path", "position"):
            if not hasattr(exc, attr):
                setattr(exc, attr, None)
        raise exc
    raise SearchlibError(f"shard {shard} failed: {err.get('type')}: {err.get('message')}")


def _unwrap(shard: int, answer: Any) -> tuple[bool, Any]:
    """``(True, value)``, or ``(False, reason)`` for a failure worth retrying elsewhere."""
    if isinstance(answer, dict) and "ok" in answer:
        return True, answer["ok"]
    err = answer.get("error", {}) if isinstance(answer, dict) else {"type": type(answer).__name__, "message": str(answer)}
    if not err.get("retryable"):
        raise_shard_error(shard, err)
    return False, f"{err.get('type')}: {err.get('message')}"


def _decode(reply: bytes) -> tuple[bool, Any]:
    """A shard's answer (pickled by the worker's shard-call handler, on either path)."""
    return True, pickle.loads(reply)


def _plain_tcp(client: Any) -> bool:
    """Whether the client reaches its scheduler over unencrypted ``tcp://`` (the only case the
    direct channels are opened: they add no encryption of their own)."""
    address = str(getattr(getattr(client, "scheduler", None), "address", "") or "")
    return address.startswith("tcp://")


def _running_loop() -> Any:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class LocalTransport:
    """Every shard searched in this process."""

    kind = "local"

    def __init__(self, paths: list[str], retries: int = 1) -> None:
        self.paths = list(paths)
        self.retries = retries
        self.searchers = [ShardSearcher(p, i) for i, p in enumerate(self.paths)]

    def call(self, calls: Calls) -> tuple[dict[int, Any], dict[int, str]]:
        results: dict[int, Any] = {}
        failures: dict[int, str] = {}
        for shard, (method, args) in calls.items():
            for attempt in range(self.retries + 1):
                ok, value = _unwrap(shard, getattr(self.searchers[shard], method)(*args))
                if ok:
                    results[shard] = value
                    failures.pop(shard, None)
                    break
                failures[shard] = value
                self.searchers[shard].close()
                self.searchers[shard] = ShardSearcher(self.paths[shard], shard)  # reopen: the files may be back
        return results, failures

    def placement(self) -> dict[int, str]:
        return {i: "local" for i in range(len(self.paths))}

    def close(self) -> None:
        for s in self.searchers:
            s.close()


def visible_shards(root: str, dirs: list[str]) -> list[int]:
    """The shards of ``root`` whose index this machine sees (runs on each worker)."""
    return [i for i, d in enumerate(dirs) if os.path.isfile(os.path.join(root, d, "manifest.json"))]


class DaskTransport:
    """Shards as actors on the workers of a ``dask.distributed.Client`` (a synchronous one)."""

    kind = "dask"

    def __init__(self, client: Any, root: str, dirs: list[str], retries: int = 2, call_timeout: float = 120.0,
                 place_timeout: float = 60.0, use_channels: bool = True) -> None:
        self.client = client
        self.root = root
        self.dirs = list(dirs)
        self.retries = retries
        self.call_timeout = call_timeout
        self.place_timeout = place_timeout
        self.token = uuid.uuid4().hex[:12]
        self.actors: dict[int, tuple[Any, Any, str]] = {}  # shard -> (future, actor, worker address)
        # direct sockets to the actors (searchlib.distributed.channel), keyed per coordinator;
        # only on a plain tcp:// cluster
        self.channel_key = secrets.token_bytes(32) if use_channels and _plain_tcp(client) else None
        self.channels: dict[int, Any] = {}
        self._n = 0
        visible = self._visible()
        if not visible:
            raise ShardUnavailable("the Dask cluster has no workers; start some (or use a LocalCluster)")
        load: dict[str, int] = {w: 0 for w in visible}
        for shard in range(len(self.dirs)):
            self._place(shard, visible, load, exclude=set())

    # -- placement ---------------------------------------------------------------------------------
    def _visible(self) -> dict[str, set[int]]:
        """Live workers and the shards each sees (a worker that does not answer sees none)."""
        got = self.client.run(visible_shards, self.root, self.dirs, on_error="return")
        return {w: set(v) for w, v in sorted(got.items()) if isinstance(v, list)}

    def _place(self, shard: int, visible: dict[str, set[int]], load: dict[str, int], exclude: set[str]) -> bool:
        candidates = [w for w, seen in visible.items() if shard in seen and w not in exclude]
        if not candidates:
            return False
        # fewest shards first; among equals, spread shard i over the workers in turn
        candidates.sort(key=lambda w: (load.get(w, 0), (sorted(visible).index(w) - shard) % len(visible)))
        for worker in candidates:
            self._n += 1
            future = self.client.submit(ShardActor, os.path.join(self.root, self.dirs[shard]), shard, self.channel_key,
                                        actor=True, workers=[worker], allow_other_workers=False, pure=False,
                                        key=f"searchlib-shard-{self.token}-{shard}-{self._n}")
            try:
                actor = future.result(timeout=self.place_timeout)
            except Exception:  # noqa: BLE001 - that worker is gone: try the next one
                future.cancel()
                continue
            self.actors[shard] = (future, actor, worker)
            load[worker] = load.get(worker, 0) + 1
            self._open_channel(shard)
            return True
        return False

    def _open_channel(self, shard: int) -> None:
        """Connect to the shard actor's direct socket; without one, its calls use Dask's comms."""
        self._drop_channel(shard)
        if self.channel_key is None:
            return
        got = self._run(self._gather({shard: ("channel", ())})).get(shard)
        if not got or not got[0] or not isinstance(got[1], dict) or not got[1].get("ok"):
            return
        try:
            self.channels[shard] = connect(tuple(got[1]["ok"]), self.channel_key, timeout=CONNECT_TIMEOUT)
        except ChannelTimeout:
            # a firewall between the coordinator and the workers' ports: every other shard would
            # wait as long, so this coordinator stays on Dask's comms
            self.channel_key = None
        except ChannelError:
            pass

    def _drop_channel(self, shard: int) -> None:
        ch = self.channels.pop(shard, None)
        if ch is not None:
            ch.close()

    def _replace(self, shard: int) -> bool:
        self._drop_channel(shard)
        old = self.actors.pop(shard, None)
        exclude = set()
        if old is not None:
            exclude.add(old[2])
            old[0].release()
        visible = self._visible()
        load: dict[str, int] = {}
        for _, _, w in self.actors.values():
            load[w] = load.get(w, 0) + 1
        if self._place(shard, visible, load, exclude):
            return True
        # the worker it was on may have come back (or be the only one that sees it)
        return bool(exclude) and self._place(shard, visible, load, set())

    def placement(self) -> dict[int, str]:
        return {s: a[2] for s, a in sorted(self.actors.items())}

    # -- calls -------------------------------------------------------------------------------------
    async def _gather(self, calls: Calls) -> dict[int, tuple[bool, Any]]:
        async def one(shard: int, method: str, args: tuple[Any, ...]) -> tuple[int, tuple[bool, Any]]:
            try:
                _, actor, worker = self.actors[shard]
                send = getattr(self.client.rpc(worker), SHARD_CALL)
                reply = await send(actor=actor.key, call=pickle.dumps((method, args), protocol=PICKLE_PROTOCOL))
                if not isinstance(reply, bytes):  # a worker without the handler (None): elsewhere
                    return shard, (False, f"worker {worker} does not answer shard calls ({reply!r})")
                return shard, _decode(reply)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - a lost worker, a closed comm
                return shard, (False, f"{type(exc).__name__}: {exc}")

        # one deadline for the batch (not a timer per call): a shard that has not answered by
        # then counts as failed, the others' answers are kept
        tasks = {asyncio.ensure_future(one(s, m, a)): s for s, (m, a) in calls.items()}
        done, late = await asyncio.wait(tasks, timeout=self.call_timeout)
        out = dict(t.result() for t in done)
        for t in late:
            t.cancel()
            out[tasks[t]] = (False, f"TimeoutError: no answer in {self.call_timeout} s")
        return out

    def _run(self, coro: Any) -> Any:
        """Run ``coro`` on the client's event loop and wait for it. From another thread (the
        usual case) the coroutine is handed over directly, about 40 µs a round cheaper than
        ``client.sync``'s wrapping; on the loop's own thread, or without an asyncio loop,
        ``client.sync`` decides."""
        loop = getattr(getattr(self.client, "loop", None), "asyncio_loop", None)
        if loop is None or not loop.is_running() or _running_loop() is loop:
            async def run() -> Any:
                return await coro
            return self.client.sync(run)
        return asyncio.run_coroutine_threadsafe(coro, loop).result()

    def _exchange(self, calls: Calls) -> dict[int, tuple[bool, Any]]:
        """One round: every call sent at once, through the shard's direct channel when it has
        one (and no other thread is using it), else through Dask's comms; ``{shard: (reached,
        answer or reason)}`` as :meth:`_gather`. A channel that cannot take the call is closed and
        the call goes through Dask; one closed under a call (its worker most likely died) or
        silent past the time-out is a failure, as through Dask (the caller places the shard
        elsewhere); a garbled answer is asked again through Dask in the same round. A replaced
        actor gets a new channel."""
        sent: dict[int, Any] = {}
        rest: dict[int, tuple[str, tuple[Any, ...]]] = {}
        for shard, (method, args) in calls.items():
            ch = self.channels.get(shard)
            if ch is not None and ch.lock.acquire(blocking=False):
                try:
                    ch.send(call_frame(self.actors[shard][1].key, pickle.dumps((method, args), protocol=PICKLE_PROTOCOL)))
                    sent[shard] = ch
                    continue
                except OSError:
                    ch.lock.release()
                    self._drop_channel(shard)
            rest[shard] = (method, args)
        out: dict[int, tuple[bool, Any]] = {}
        again: dict[int, tuple[str, tuple[Any, ...]]] = {}
        try:
            if rest:
                out.update(self._run(self._gather(rest)))
            deadline = time.monotonic() + self.call_timeout
            for shard, ch in list(sent.items()):
                try:
                    reply = ch.recv(deadline - time.monotonic())
                except ChannelTimeout as exc:  # the shard is hung: a failure, as through Dask
                    self._drop_channel(shard)
                    out[shard] = (False, f"TimeoutError: {exc}")
                except OSError as exc:  # closed under the call: its worker is most likely gone
                    self._drop_channel(shard)
                    out[shard] = (False, f"{type(exc).__name__}: {exc}")
                else:
                    try:
                        out[shard] = _decode(reply)
                    except Exception:  # noqa: BLE001 - a garbled reply: ask again through Dask
                        self._drop_channel(shard)
                        again[shard] = calls[shard]
                finally:
                    ch.lock.release()
                    del sent[shard]
        finally:
            for shard, ch in sent.items():  # interrupted before their answers were read: unusable
                self._drop_channel(shard)
                ch.lock.release()
        if again:
            out.update(self._run(self._gather(again)))
        return out

    def call(self, calls: Calls) -> tuple[dict[int, Any], dict[int, str]]:
        """Call ``method(*args)`` on each shard's actor concurrently; ``(results, failures)``."""
        results: dict[int, Any] = {}
        failures: dict[int, str] = {}
        pending = {s: c for s, c in calls.items() if s in self.actors}
        for s in calls:
            if s not in self.actors:
                failures[s] = "no worker sees this shard"
        attempt = 0
        while pending:
            outcomes = self._exchange(pending)
            retry = {}
            for shard, (reached, answer) in outcomes.items():
                if reached:
                    ok, value = _unwrap(shard, answer)
                    if ok:
                        results[shard] = value
                        failures.pop(shard, None)
                        continue
                    answer = value
                failures[shard] = answer
                retry[shard] = pending[shard]
            if not retry or attempt >= self.retries:
                break
            attempt += 1
            pending = {s: c for s, c in retry.items() if self._replace(s)}
        return results, failures

    def close(self) -> None:
        for shard in list(self.channels):
            self._drop_channel(shard)
        for future, _, _ in self.actors.values():
            try:
                future.release()
            except Exception:  # noqa: BLE001 - the client may be closed already
                pass
        self.actors.clear()


class _Done:
    """A finished call (the :class:`InlineRunner`'s future)."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            self._value = fn(*(a.result() if isinstance(a, _Done) else a for a in args),
                             **{k: v.result() if isinstance(v, _Done) else v for k, v in kwargs.items()})
            self._error: BaseException | None = None
        except BaseException as exc:  # noqa: BLE001 - re-raised by result()
            self._error = exc

    def result(self, timeout: float | None = None) -> Any:
        if self._error is not None:
            raise self._error
        return self._value

    def done(self) -> bool:
        return True

    def release(self) -> None:
        pass


class InlineRunner:
    """Runs each task at once in this process."""

    workers = 1

    def submit(self, fn: Callable[..., Any], *args: Any, where: str | None = None, **kwargs: Any) -> _Done:
        return _Done(fn, args, kwargs)

    def homes(self, n: int) -> list[str | None]:
        return [None] * n

    def wait(self, futures: list[Any]) -> None:
        pass


class DaskRunner:
    """Submits tasks to a ``dask.distributed.Client`` (``where``: a preferred worker)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def homes(self, n: int) -> list[str | None]:
        """A worker for each of ``n`` shards, spread in turn over the workers: a shard's writes
        all go to its home (left to the scheduler, a partition's writes to every shard queue on
        the worker that read it, and the others wait for work stealing)."""
        workers = sorted(self.client.scheduler_info().get("workers", {}))
        return [workers[i % len(workers)] if workers else None for i in range(n)]

    def submit(self, fn: Callable[..., Any], *args: Any, where: str | None = None, **kwargs: Any) -> Any:
        if where:
            return self.client.submit(fn, *args, workers=[where], allow_other_workers=True, pure=False, **kwargs)
        return self.client.submit(fn, *args, pure=False, **kwargs)

    def wait(self, futures: list[Any]) -> None:
        from distributed import wait

        wait(futures)
