"""The channel between the deciding process and the worker: one side of the conversation.

Messages are length-prefixed JSON frames (:mod:`sysdesign.grade.framing`) on two pipes, their
values encoded by :mod:`sysdesign.grade.codec`. Either side may call the other while it is itself
being called (the suite calls a learner cache, which calls the suite's fake database, whose
``time.sleep`` runs the cluster, which calls another learner component...): a side waiting for a
reply serves the requests that arrive meanwhile, so calls nest to any depth and the conversation
stays strictly alternating.

- request ``{"i": id, "op": ..., ...}``; reply ``{"r": id, "ok": value}``, ``{"r": id, "err":
  exception}`` or ``{"r": id, "stop": true}`` (StopIteration);
- every message from the deciding process carries ``"t"``: its virtual time in microseconds
  since 1970 when a freeze is active, else ``null``; and ``"g"`` when some attribute a class
  lists in ``sysdesign_remote_replaced`` (a cluster node's ``memory``, ``durable``, ``app``) was
  assigned anew since its last message: the worker then forgets what it read of them;
- ``"rel": [[handle, count], ...]`` piggybacks the release of proxies the sender dropped.

Objects that are not data stay where they live and travel as handles; the other side holds a
proxy (:mod:`sysdesign.grade.proxies`). Exceptions travel as data (type, message, arguments,
public attributes that are data, traceback text; :mod:`sysdesign.grade.remote_errors`) and are
raised again on the other side: see :meth:`Channel.exception_from`.
"""

from __future__ import annotations

import builtins
import itertools
import types
import weakref
from collections.abc import Callable
from typing import Any

from greenlet import getcurrent

from sysdesign.grade.codec import _PLAIN, TAG, Codec, DecodeError, EncodeError
from sysdesign.grade.framing import MessageTooLarge, Pipe, PipeClosed, ProtocolError, _dumps
from sysdesign.grade.operations import _OPS
from sysdesign.grade.proxies import (_CHANNELS, LIVE_TYPES, BoundRemoteMethod, DeferredRemoteMethod, LiveContainer,
                                     Proxy, RecordProxy, _as)
from sysdesign.grade.remote_errors import _builtin_name, builtin_base, class_description, safe_str

#: Items one iteration over a remote object may yield (an endless learner iterator ends here).
ITERATION_LIMIT = 1_000_000

#: Methods of a live container whose answer, when a container, is live too.
_NESTED_READS = frozenset({"get", "setdefault", "pop", "__getitem__"})


class _Raw:
    """A reply value that is already encoded (a ``meth`` tag)."""

    __slots__ = ("tag",)

    def __init__(self, tag: dict) -> None:
        self.tag = tag


_CHANNEL_NUMBERS = itertools.count(1)


class Channel:
    """One side of the conversation. ``handlers`` maps an op name to ``fn(msg) -> value``."""

    side = "?"
    peer = "?"

    @property
    def judges(self) -> bool:
        """True on the deciding side: its proxies (of learner objects) never let learner code
        decide a truth value, a comparison with data or a conversion to a number; the worker's
        proxies of suite objects answer all of them as the suite's objects would."""
        return self.side == "d"

    def __init__(self, pipe: Pipe) -> None:
        self.number = next(_CHANNEL_NUMBERS)
        _CHANNELS[self.number] = self
        self.pipe = pipe
        self.codec = Codec(self._make_ref, self._resolve, Proxy)
        self._objects: dict[int, Any] = {}
        self._handle_of: dict[int, int] = {}
        self._sent: dict[int, int] = {}
        #: This side's proxy of each handle, while it lives; its death releases the handle.
        self._proxies: dict[int, weakref.KeyedRef] = {}
        self._received: dict[int, int] = {}
        self._releases: list[list[int]] = []
        self._handles = itertools.count(1)
        self._ids = itertools.count(1)
        self._methods: set[tuple[Any, str]] = set()
        self._deferred: set[tuple[Any, str]] = set()
        #: Deferred calls not sent yet (each as its JSON text, written once), their size, and
        #: the first error one raised here.
        self._outbox: list[str] = []
        self._outbox_bytes = 0
        self._deferred_error: BaseException | None = None
        #: The attribute of a greenlet that holds its conversation on this channel (an attribute,
        #: not a weak mapping: looked up twice per message).
        self.conversation_attribute = f"_sysdesign_conversation_{self.number}"
        self._conversation_ids = itertools.count(1)
        self._exc_classes: dict[tuple, type] = {}
        #: Proxy classes for refs with a ``"kind"`` (the deciding side's live containers).
        self.proxy_types: dict[str, type[Proxy]] = {"live": LiveContainer, "record": RecordProxy}
        self._proxy_classes: dict[tuple, type[Proxy]] = {}
        self._iterated: dict[int, int] = {}
        #: Handles of this side's containers sent as live ones.
        self._live: set[int] = set()
        #: Attributes of the other side's objects that never change, sent with their reference
        #: (the worker side keeps them: see :meth:`constants_of`).
        self._constants: dict[int, dict[str, Any]] = {}
        #: Attributes of the other side's objects replaced only by assignment (the names come
        #: with the reference, see :meth:`replaced_names`), and the worker's answers to reads of
        #: them, kept until the deciding side says that some were replaced.
        self._replaced: dict[int, frozenset[str]] = {}
        self._kept: dict[int, dict[str, Any]] = {}
        self._replaced_names_of: dict[type, list[str] | None] = {}
        self.handlers: dict[str, Callable[[dict], Any]] = {
            "getattr": self._h_getattr, "setattr": self._h_setattr, "delattr": self._h_delattr,
            "call": self._h_call, "op": self._h_op, "batch": self._h_batch,
        }

    # -- sending and receiving ------------------------------------------------------------
    def stamp(self, msg: dict) -> None:
        """Add what every outgoing message of this side carries (the deciding side: time)."""

    def on_receive(self, msg: dict) -> None:
        """React to what every incoming message carries (the worker: time)."""

    # -- conversations ----------------------------------------------------------------------
    def conversation(self) -> int:
        """The conversation the running greenlet takes part in. The deciding process numbers
        its greenlets (each cluster task that calls learner code is one); the worker serves each
        conversation on a greenlet of its own (:mod:`sysdesign.grade.worker`), so a task blocked in
        the middle of one (waiting for a reply, a sleep, an HTTP answer) leaves the others free."""
        me = getcurrent()
        found = getattr(me, self.conversation_attribute, None)
        if found is None:
            found = next(self._conversation_ids)
            setattr(me, self.conversation_attribute, found)
        return found

    def _next_message(self) -> dict:
        """The next message for the running conversation (the worker waits on its dispatcher)."""
        msg = self._recv()
        if msg.get("c") != self.conversation():
            raise ProtocolError(f"a message of conversation {msg.get('c')!r} while conversation "
                                f"{self.conversation()} waits")
        return msg

    def _send(self, msg: dict) -> None:
        msg["c"] = self.conversation()
        if self._releases:
            msg["rel"], self._releases = self._releases, []
        self.stamp(msg)
        if not self._outbox:
            self.pipe.send(msg)
            return
        queued, self._outbox, self._outbox_bytes = self._outbox, [], 0
        text = _dumps(msg)  # an object with "c" at least: "}" ends it
        self.pipe.send_text(f'{text[:-1]},"dq":[{",".join(queued)}]}}')

    def _recv(self) -> dict:
        msg = self.pipe.recv()
        self.on_receive(msg)
        queued = msg.get("dq")
        if queued is not None:  # before the releases: a queued call may name an object released since
            self._run_deferred(queued)
        rel = msg.get("rel")
        if rel is not None:
            self._apply_releases(rel)
        return msg

    # -- deferred calls ----------------------------------------------------------------------
    def defer(self, handle: int, method: str, args: tuple, kwargs: dict) -> None:
        """Queue ``method(*args, **kwargs)`` of the other side's object ``handle``: encoded now
        (later changes to the arguments do not travel), run by the other side before it reads
        this side's next message. A long queue goes at once, as a message of its own."""
        item = _dumps({"h": handle, "n": method, "a": self.codec.encode(list(args)), "k": self.codec.encode(kwargs)})
        self._outbox.append(item)
        self._outbox_bytes += len(item)
        if len(self._outbox) >= DEFER_LIMIT or self._outbox_bytes >= DEFER_BYTES:
            self._send({})

    def _run_deferred(self, queued: Any) -> None:
        if type(queued) is not list:
            raise ProtocolError("malformed deferred calls")
        for item in queued:
            if type(item) is not dict:
                raise ProtocolError("malformed deferred call")
            obj, name = self.obj(item), _name(item)
            if name not in _deferred_names(obj) or self.side != "d":
                raise ProtocolError(f"{name!r} may not be deferred")
            try:
                self._h_call(item)
            except BaseException as exc:  # noqa: BLE001 - surfaces at the caller's next step
                if self.must_propagate(exc):
                    raise
                if self._deferred_error is None:
                    self._deferred_error = exc

    def _take_deferred_error(self) -> BaseException | None:
        exc, self._deferred_error = self._deferred_error, None
        return exc

    def _apply_releases(self, rel: Any) -> None:
        if type(rel) is not list:
            raise ProtocolError("malformed release list")
        for item in rel:
            if type(item) is not list or len(item) != 2 or type(item[0]) is not int or type(item[1]) is not int:
                raise ProtocolError("malformed release")
            handle, count = item
            left = self._sent.get(handle, 0) - count
            if left > 0:
                self._sent[handle] = left
            elif handle in self._objects:
                obj = self._objects.pop(handle)
                self._sent.pop(handle, None)
                self._live.discard(handle)
                if self._handle_of.get(id(obj)) == handle:
                    del self._handle_of[id(obj)]

    def request(self, op: str, **fields: Any) -> Any:
        """Send a request and serve the other side's requests until its reply arrives."""
        __tracebackhide__ = True
        rid = next(self._ids)
        self._send({"i": rid, "op": op, **fields})
        while True:
            msg = self._next_message()
            if "i" in msg:
                self._serve(msg)
                continue
            if "r" not in msg:  # deferred calls travelling alone
                continue
            if self._deferred_error is not None:
                # a queued call failed: the learner call that queued it fails with its error,
                # as it would have in-process (the reply is dropped)
                raise self._take_deferred_error()
            if msg.get("r") != rid:
                raise ProtocolError(f"a reply to request {msg.get('r')!r} while waiting for {rid}")
            if "err" in msg:
                self.raise_remote(msg["err"])
            if msg.get("stop"):
                raise StopIteration
            try:
                return self.codec.decode(msg.get("ok"))
            except (DecodeError, RecursionError) as exc:
                raise ProtocolError(f"undecodable reply: {exc}") from None

    def _serve(self, msg: dict) -> None:
        rid = msg.get("i")
        try:
            failed = self._take_deferred_error()
            if failed is not None:
                raise failed
            handler = self.handlers.get(msg.get("op"))
            if handler is None:
                raise ProtocolError(f"unknown operation {msg.get('op')!r}")
            value = handler(msg)
            reply = {"r": rid, "ok": value.tag if isinstance(value, _Raw) else self.codec.encode(value)}
        except StopIteration:
            reply = {"r": rid, "stop": True}
        except BaseException as exc:  # noqa: BLE001 - everything goes back as data
            if self.must_propagate(exc):
                raise
            reply = {"r": rid, "err": self.exception_data(exc)}
        try:
            self._send(reply)
        except MessageTooLarge as exc:  # the answer is refused, the conversation goes on
            self._send({"r": rid, "err": self.exception_data(exc)})

    def must_propagate(self, exc: BaseException) -> bool:
        """True for exceptions that end the conversation instead of being answered."""
        return isinstance(exc, (ProtocolError, PipeClosed))

    # -- handles ----------------------------------------------------------------------------
    def check_export(self, obj: Any) -> None:
        """Raise EncodeError when ``obj`` must not be handed to the other side."""

    def _make_ref(self, obj: Any) -> dict:
        if isinstance(obj, Proxy):
            if obj._ch is self:
                return {TAG: "ref", "o": self.peer, "h": obj._h}
            raise EncodeError("a proxy of another channel")
        if isinstance(obj, BoundRemoteMethod):
            raise EncodeError("pass the remote object, not one of its methods")
        if isinstance(obj, BaseException):
            return {TAG: "exc", **self.exception_data(obj, as_value=True)}
        if isinstance(obj, type) and issubclass(obj, BaseException):
            return self.exception_class_tag(obj)
        self.check_export(obj)
        handle = self._handle_of.get(id(obj))
        if handle is None or self._objects.get(handle) is not obj:
            handle = next(self._handles)
            self._objects[handle] = obj
            self._handle_of[id(obj)] = handle
            self._sent[handle] = 0
        self._sent[handle] += 1
        tag = {TAG: "ref", "o": self.side, "h": handle, "c": id(type(obj)), "n": type(obj).__name__[:80]}
        constants = self.constants_of(obj)
        if constants:
            tag["k"] = constants
        replaced = self.replaced_names(type(obj))
        if replaced:
            tag["e"] = replaced
        params = getattr(type(obj), "__dataclass_params__", None)
        if params is not None and getattr(params, "eq", False) and not isinstance(obj, type):
            tag["kind"] = "record"
        return tag

    def constants_of(self, obj: Any) -> dict[str, Any] | None:
        """Attributes of ``obj`` that travel with its reference, so the other side reads them
        without a request: the names its class lists in ``sysdesign_remote_constant`` (set once
        at construction, never reassigned) whose values are plain data. Only the deciding side
        sends them (the worker's objects are learner code's, which may change anything). An
        instance may list its own (a capstone's ``Spec``, whose fixed values vary by capstone)."""
        if self.side != "d":
            return None
        kind = type(obj)
        names = None
        if kind.__dictoffset__:  # the instance's own list first (read without running any __getattr__)
            try:
                names = object.__getattribute__(obj, "__dict__").get("sysdesign_remote_constant")
            except (AttributeError, TypeError):
                names = None
        if names is None:
            names = getattr(kind, "sysdesign_remote_constant", None)
        if not isinstance(names, tuple):
            return None
        out = {}
        encode = self.codec.encode_data
        for name in names:
            try:
                out[name] = encode(getattr(obj, name))
            except (AttributeError, EncodeError):
                continue
        return out

    def replaced_names(self, kind: type) -> list[str] | None:
        """The attributes of ``kind``'s instances that change only by assignment, each counted
        in the number the deciding side sends as ``"g"`` whenever it moved (its class lists
        them in ``sysdesign_remote_replaced``): the worker keeps what it read of them until
        then. Only the deciding side sends them."""
        if self.side != "d":
            return None
        try:
            return self._replaced_names_of[kind]
        except KeyError:
            names = getattr(kind, "sysdesign_remote_replaced", None)
            listed = [n for n in names if type(n) is str] if isinstance(names, tuple) else None
            self._replaced_names_of[kind] = listed or None
            return listed or None

    def export(self, obj: Any) -> int:
        """A handle for ``obj`` that is never released (the worker's module)."""
        handle = next(self._handles)
        self._objects[handle] = obj
        self._sent[handle] = 1 << 60
        return handle

    def _resolve(self, tag: dict) -> Any:
        kind = tag[TAG]
        if kind == "exc":
            return self.exception_from(tag, as_value=True)
        if kind == "xcls":
            return self.exception_class_from(tag)
        handle = tag["h"]
        if type(handle) is not int:
            raise DecodeError("a handle must be an int")
        if kind == "meth":
            owner = self._proxy_for(handle, tag.get("c"), str(tag.get("tn", "object")), count=False)
            if tag.get("defer") and self.side == "w":
                if tag.get("cache"):
                    self._deferred.add((owner._ck, str(tag["n"])))
                return DeferredRemoteMethod(owner, str(tag["n"]))
            if tag.get("cache"):
                self._methods.add((owner._ck, str(tag["n"])))
            return BoundRemoteMethod(owner, str(tag["n"]))
        if tag.get("o") == self.side:
            if handle not in self._objects:
                raise DecodeError(f"unknown handle {handle}")
            return self._objects[handle]
        constants = tag.get("k")
        if type(constants) is dict and self.side == "w":
            self._constants[handle] = constants
        replaced = tag.get("e")
        if type(replaced) is list and self.side == "w":
            self._replaced[handle] = frozenset(n for n in replaced if type(n) is str)
        return self._proxy_for(handle, tag.get("c"), str(tag.get("n", "object")), kind=tag.get("kind"))

    def _proxy_for(self, handle: int, class_key: Any, type_name: str, count: bool = True, kind: Any = None) -> Proxy:
        ref = self._proxies.get(handle)
        proxy = ref() if ref is not None else None
        if proxy is None:
            base = self.proxy_types.get(kind, Proxy) if type(kind) is str else Proxy
            proxy = self._named_proxy_class(base, type_name)(self, handle, class_key if type(class_key) is int else None,
                                                             type_name[:80])
            self._proxies[handle] = weakref.KeyedRef(proxy, self._proxy_died, handle)
        if count:
            self._received[handle] = self._received.get(handle, 0) + 1
        return proxy

    def _named_proxy_class(self, base: type[Proxy], type_name: str) -> type[Proxy]:
        """A proxy class named like the remote object's class (``type(p).__name__`` reads as
        it would in-process); the name is all it takes from the other side."""
        key = (base, type_name)
        found = self._proxy_classes.get(key)
        if found is None:
            name = type_name if type_name.isidentifier() else base.__name__
            found = type(name, (base,), {"__slots__": (), "__module__": "remote"})
            if len(self._proxy_classes) < 4096:
                self._proxy_classes[key] = found
        return found

    def count_item(self, proxy: Proxy) -> None:
        """One more item taken from the remote iterator ``proxy``: an iteration past
        :data:`ITERATION_LIMIT` items ends with RuntimeError (an endless learner iterator)."""
        count = self._iterated.get(proxy._h, 0) + 1
        if count > ITERATION_LIMIT:
            raise RuntimeError(f"a remote {proxy._tn} yielded more than {ITERATION_LIMIT} items: iteration stopped")
        self._iterated[proxy._h] = count

    def _proxy_died(self, ref: weakref.KeyedRef) -> None:
        if self._proxies.get(ref.key) is ref:
            del self._proxies[ref.key]
            self._release(ref.key)

    def _release(self, handle: int) -> None:
        self._iterated.pop(handle, None)
        self._constants.pop(handle, None)
        self._replaced.pop(handle, None)
        self._kept.pop(handle, None)
        count = self._received.pop(handle, 0)
        if count:
            self._releases.append([handle, count])

    def obj(self, msg: dict) -> Any:
        handle = msg.get("h")
        if type(handle) is not int or handle not in self._objects:
            raise ProtocolError(f"unknown handle {handle!r}")
        return self._objects[handle]

    # -- operations on proxies (this side asks) --------------------------------------------
    def get_attribute(self, proxy: Proxy, name: str) -> Any:
        __tracebackhide__ = True
        constants = self._constants.get(proxy._h)
        if constants is not None and name in constants:
            value = constants[name]
            return value if type(value) in _PLAIN else self._decode(value)  # a fresh copy, as a request would bring
        if (proxy._ck, name) in self._deferred and proxy._ck is not None:
            return DeferredRemoteMethod(proxy, name)
        if (proxy._ck, name) in self._methods and proxy._ck is not None:
            return BoundRemoteMethod(proxy, name)
        replaced = self._replaced.get(proxy._h)
        if replaced is None or name not in replaced:
            return self.request("getattr", h=proxy._h, n=name)
        kept = self._kept.get(proxy._h)
        if kept is not None and name in kept:
            return kept[name]
        value = self.request("getattr", h=proxy._h, n=name)
        self._kept.setdefault(proxy._h, {})[name] = value
        return value

    def replacements_moved(self) -> None:
        """The deciding side replaced some attribute listed in ``sysdesign_remote_replaced``:
        forget every read of them."""
        self._kept.clear()

    def call(self, handle: int, method: str | None, args: tuple, kwargs: dict) -> Any:
        __tracebackhide__ = True
        fields = {"h": handle, "a": self.codec.encode(list(args)), "k": self.codec.encode(kwargs) if kwargs else {}}
        if method is not None:
            fields["n"] = method
        return self.request("call", **fields)

    def proxy_eq(self, proxy: Proxy, other: Any) -> Any:
        """Equality of a proxy: the same remote object (no learner ``__eq__`` is consulted)."""
        if isinstance(other, Proxy):
            return other._cid == proxy._cid and other._h == proxy._h
        return NotImplemented

    def proxy_hash(self, proxy: Proxy) -> int:
        return hash((id(self), proxy._h))

    # -- operations on this side's objects (the other side asks) ---------------------------
    def allow_attribute(self, obj: Any, name: str) -> None:
        """Raise AttributeError when the other side may not read ``obj.name``."""

    def allow_setattr(self, obj: Any, name: str) -> None:
        """Raise AttributeError when the other side may not set ``obj.name``."""

    def live_attribute(self, obj: Any, name: str) -> bool:
        """True when the container ``obj.name`` reaches the other side as a live container
        (changes made there change it here) rather than as a copy."""
        return False

    def guard_call(self, obj: Any, method: str | None) -> Callable[[Callable[[], Any]], Any]:
        """A wrapper for running a call the other side asked for (default: just run it)."""
        return _run

    def _h_getattr(self, msg: dict) -> Any:
        obj, name = self.obj(msg), _name(msg)
        self.allow_attribute(obj, name)
        value = getattr(obj, name)
        if type(value) in LIVE_TYPES and self.live_attribute(obj, name):
            return self._live_ref(value)
        if isinstance(value, types.MethodType) and value.__self__ is obj:
            plain = isinstance(getattr(type(obj), name, None), types.FunctionType) and name not in getattr(obj, "__dict__", {})
            tag = {TAG: "meth", "h": msg["h"], "n": name, "c": id(type(obj)), "tn": type(obj).__name__[:80], "cache": plain}
            if plain and self.side == "d" and name in _deferred_names(obj):
                tag["defer"] = True
            return _Raw(tag)
        if isinstance(value, types.BuiltinMethodType) and getattr(value, "__self__", None) is obj:
            return _Raw({TAG: "meth", "h": msg["h"], "n": name, "c": id(type(obj)), "tn": type(obj).__name__[:80],
                         "cache": name not in getattr(obj, "__dict__", {})})
        return value

    def _h_setattr(self, msg: dict) -> None:
        obj, name = self.obj(msg), _name(msg)
        self.allow_setattr(obj, name)
        setattr(obj, name, self._decode(msg.get("v")))

    def _h_delattr(self, msg: dict) -> None:
        obj, name = self.obj(msg), _name(msg)
        self.allow_setattr(obj, name)
        delattr(obj, name)

    def _h_call(self, msg: dict) -> Any:
        obj = self.obj(msg)
        args, kwargs = self._decode(msg.get("a", [])), self._decode(msg.get("k", {}))
        if type(args) is not list or type(kwargs) is not dict or kwargs and not all(type(k) is str for k in kwargs):
            raise ProtocolError("malformed call")
        method = msg.get("n")
        if method is None:
            target = obj
        else:
            name = _name(msg)
            self.allow_attribute(obj, name)
            target = getattr(obj, name)
        value = self.guard_call(obj, method)(lambda: target(*args, **kwargs))
        if method in _NESTED_READS and type(value) in LIVE_TYPES and msg.get("h") in self._live:
            return self._live_ref(value)
        return value

    def _h_op(self, msg: dict) -> Any:
        obj, name = self.obj(msg), msg.get("n")
        args = self._decode(msg.get("a", []))
        if type(args) is not list:
            raise ProtocolError("malformed op")
        fn = _OPS.get(name)
        if fn is None:
            raise ProtocolError(f"unknown op {name!r}")
        if name == "exit" and len(args) >= 2 and args[1] is not None and isinstance(args[1], BaseException):
            args = [type(args[1]), args[1], None]
        value = fn(obj, *args)
        if name == "getitem" and type(value) in LIVE_TYPES and msg.get("h") in self._live:
            return self._live_ref(value)
        return value

    def _live_ref(self, value: Any) -> _Raw:
        """``value`` (a list, dict, set or bytearray) as a live container: the other side's
        writes change it here. A container read out of a live one is live too (``memory.
        setdefault("log", []).append(x)`` works as in-process)."""
        tag = self._make_ref(value)
        tag["kind"] = "live"
        self._live.add(tag["h"])
        return _Raw(tag)

    def _h_batch(self, msg: dict) -> Any:
        """Several reads or calls in one request, run in order through the single-request
        handlers (so through every rule they apply); the first exception ends the batch."""
        items = msg.get("b")
        if type(items) is not list or len(items) > BATCH_LIMIT:
            raise ProtocolError("malformed batch")
        out = []
        for item in items:
            if type(item) is not dict or item.get("op") not in _BATCHABLE:
                raise ProtocolError("malformed batch item")
            value = self.handlers[item["op"]](item)
            out.append(value.tag if isinstance(value, _Raw) else self.codec.encode(value))
        return _Raw(out)  # type: ignore[arg-type]

    def batch(self, proxy: Proxy, reads: list[tuple]) -> list:
        """Run ``reads`` (see :mod:`sysdesign.reads`) on the remote object ``proxy`` in one round
        trip; the values come back in order, converted as the single operations convert them."""
        __tracebackhide__ = True
        items = []
        for read in reads:
            kind = read[0]
            if kind == "attr":
                items.append({"op": "getattr", "h": proxy._h, "n": read[1]})
            elif kind == "call":
                items.append({"op": "call", "h": proxy._h, "n": read[1], "a": self.codec.encode(list(read[2])),
                              "k": self.codec.encode(dict(read[3]))})
            else:
                items.append({"op": "op", "h": proxy._h, "n": kind, "a": self.codec.encode(list(read[1:]))})
        values = []
        for start in range(0, len(items), BATCH_LIMIT):
            chunk = items[start:start + BATCH_LIMIT]
            got = self.request("batch", b=chunk)
            if type(got) is not list or len(got) != len(chunk):  # one answer per read, or nothing
                raise ProtocolError(f"a batch of {len(chunk)} reads answered with "
                                    f"{len(got) if type(got) is list else type(got).__name__} values")
            values.extend(got)
        return [_as(bool, v, "in") if r[0] == "contains" else _as(int, v, "len()") if r[0] == "len" else v
                for r, v in zip(reads, values)]

    def _decode(self, value: Any) -> Any:
        try:
            return self.codec.decode(value)
        except (DecodeError, RecursionError) as exc:
            raise ProtocolError(f"undecodable request: {exc}") from None

    # -- exceptions --------------------------------------------------------------------------
    def exception_data(self, exc: BaseException, as_value: bool = False) -> dict:
        """An exception as data: type, message, arguments and public attributes that are data."""
        cls = type(exc)
        data: dict[str, Any] = {"type": cls.__name__[:200], "mod": str(getattr(cls, "__module__", ""))[:200],
                                "qual": str(getattr(cls, "__qualname__", cls.__name__))[:200],
                                "base": builtin_base(cls), "msg": safe_str(exc)}
        try:
            data["args"] = self.codec.encode_data(list(exc.args))
        except BaseException:  # noqa: BLE001
            data["args"] = None
        attrs = {}
        try:
            for key, value in list(vars(exc).items())[:32]:
                if isinstance(key, str) and not key.startswith("_"):
                    try:
                        attrs[key] = self.codec.encode_data(value)
                    except BaseException:  # noqa: BLE001
                        continue
        except TypeError:
            pass
        data["attrs"] = attrs
        self.describe_exception(exc, data, as_value)
        return data

    def describe_exception(self, exc: BaseException, data: dict, as_value: bool) -> None:
        """Add what this side adds to an exception's data (origin, traceback, learner class)."""

    def exception_class_tag(self, cls: type) -> dict:
        """A class that is an exception, sent as a value."""
        name = _builtin_name(cls)
        if name is not None:
            return {TAG: "builtin", "v": name}
        return {TAG: "xcls", **class_description(cls)}

    def raise_remote(self, data: Any) -> None:
        """Raise the exception the other side reported."""
        __tracebackhide__ = True
        raise self.exception_from(data)

    def exception_class_from(self, tag: dict) -> type:
        raise NotImplementedError  # pragma: no cover - each side decides

    def exception_from(self, data: Any, as_value: bool = False) -> BaseException:
        raise NotImplementedError  # pragma: no cover - each side decides

    def synthetic_class(self, desc: dict, root: type, depth: int = 0) -> type:
        """A stand-in class for the other side's exception class ``desc`` (cached), deriving
        from the stand-ins of its parents, or from ``root`` and its nearest built-in base."""
        if type(desc) is not dict or depth > 8:
            raise DecodeError("malformed exception class")
        key = (str(desc.get("mod")), str(desc.get("qual")), str(desc.get("base")))
        found = self._exc_classes.get(key)
        if found is not None:
            return found
        base = self.builtin_class(str(desc.get("base", "Exception")))
        parents = [self.synthetic_class(p, root, depth + 1) for p in (desc.get("parents") or [])[:4]]
        name = str(desc.get("qual", "RemoteException")).rsplit(".", 1)[-1][:100] or "RemoteException"
        if not name.isidentifier():
            name = "RemoteException"
        namespace = {"__module__": f"submission.{str(desc.get('mod', ''))[:100]}", "__qualname__": name,
                     "remote_type": f"{desc.get('mod')}.{desc.get('qual')}"}
        candidates = [tuple(parents)] if parents else []
        candidates += [(root, base) if root is not base else (root,), (root,)]
        cls = None
        for bases in candidates:
            try:
                cls = type(name, bases, dict(namespace))
                break
            except TypeError:
                continue
        assert cls is not None
        self._exc_classes[key] = cls
        return cls

    def builtin_class(self, name: str) -> type:
        """The built-in exception class called ``name`` that this side accepts as a base."""
        found = getattr(builtins, name, None)
        if isinstance(found, type) and issubclass(found, BaseException):
            return found
        return Exception


def _run(fn: Callable[[], Any]) -> Any:
    return fn()


def _name(msg: dict) -> str:
    name = msg.get("n")
    if type(name) is not str or not name.isidentifier():
        raise ProtocolError(f"bad attribute name {name!r}")
    return name


#: A queue of deferred calls goes at once when it holds this many calls or bytes.
DEFER_LIMIT = 256
DEFER_BYTES = 1 << 20


def _deferred_names(obj: Any) -> tuple:
    """The methods of ``obj``'s class that return nothing and may run later, in order, with the
    caller's next message (``sysdesign_remote_deferred``)."""
    names = getattr(type(obj), "sysdesign_remote_deferred", ())
    return names if isinstance(names, tuple) else ()


#: Most operations one batch request may carry, and the ones it may carry.
BATCH_LIMIT = 4096
_BATCHABLE = frozenset({"getattr", "call", "op"})
