"""One place that turns (prompt file, inputs, response model) into a validated pydantic object.

Any OpenAI-compatible endpoint (DeepSeek, Qwen via DashScope, GLM, vLLM, Ollama) through
`langchain-openai`. Structured output is asked for with JSON schema, function calling or JSON
mode, falling back in that order when a provider rejects one, and remembering what worked.
Answers are validated by pydantic after stripping reasoning (<think>) blocks and code fences;
an invalid answer is re-asked with the validation error fed back, a bounded number of times.

One `structured` call has one deadline (`timeout` seconds) covering connecting, waiting, reading,
transport retries (429, 5xx, timeouts, with back-off) and re-asks: a body that trickles in byte by
byte is cut at the deadline by the transport, and the call itself is abandoned at the deadline
whatever the server does. Anything else that goes wrong (a truncated or non-JSON body, a wrong
schema, a refusal) is an LLMError, on which callers fall back to offline results. Token use is
recorded per call. The API key is held as a secret and never logged or written.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from importlib import resources
from string import Template
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from .errors import AssistantError

Method = Literal["json_schema", "function_calling", "json_mode"]
METHODS: tuple[Method, ...] = ("json_schema", "function_calling", "json_mode")
T = TypeVar("T", bound=BaseModel)


class LLMError(AssistantError):
    """The model could not give a usable answer; callers fall back to offline results."""

    notice = "大模型调用失败"


class LLMTimeout(LLMError):
    notice = "大模型响应超时"


class LLMRateLimited(LLMError):
    notice = "大模型接口繁忙（429），重试后仍失败"


class LLMUnavailable(LLMError):
    notice = "大模型接口不可用"


class LLMInvalidOutput(LLMError):
    notice = "大模型多次返回无效内容"


class LLMRefused(LLMError):
    notice = "大模型拒绝回答"


class LLMSettings(BaseModel):
    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str
    timeout: float = 60.0  # one deadline per call: connect, read, retries and re-asks together
    max_retries: int = 2  # transport retries (429, 5xx, timeouts), with back-off, within the deadline
    repair_attempts: int = 2  # re-asks after an invalid answer
    method: Literal["auto", "json_schema", "function_calling", "json_mode"] = "auto"
    temperature: float = 0.2

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> LLMSettings | None:
        """None when no endpoint is configured: that is offline mode, not an error."""
        env = os.environ if environ is None else environ
        model = env.get("ASSISTANT_LLM_MODEL")
        base_url = env.get("OPENAI_BASE_URL") or None
        key = env.get("OPENAI_API_KEY") or None
        if not model or not (base_url or key):
            return None
        return cls(
            base_url=base_url,
            api_key=SecretStr(key) if key else None,
            model=model,
            timeout=float(env.get("ASSISTANT_LLM_TIMEOUT", 60)),
            max_retries=int(env.get("ASSISTANT_LLM_MAX_RETRIES", 2)),
            method=env.get("ASSISTANT_LLM_METHOD", "auto"),
        )

    def describe(self) -> str:
        return f"{self.model} @ {self.base_url or 'api.openai.com'}"


class Usage(BaseModel):
    prompt: str
    method: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    ok: bool = True
    error: str | None = None


class PromptMessages(BaseModel):
    system: str
    user: str


def render_prompt(name: str, **values: str) -> PromptMessages:
    """prompts/NAME.md (shipped inside the package; the repository's top-level prompts/ is a link
    to it) has a `## system` and a `## user` section; $placeholders are filled."""
    text = resources.files("assistant").joinpath("prompts", f"{name}.md").read_text(encoding="utf-8")
    parts = re.split(r"^## (system|user)\s*$", text, flags=re.MULTILINE)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    return PromptMessages(
        system=Template(sections["system"]).substitute(values),
        user=Template(sections["user"]).substitute(values),
    )


def data_block(text: str) -> str:
    """Untrusted filing text, safe to put between data delimiters: it cannot close the tag."""
    return (text or "").replace("<", "＜").replace(">", "＞")


_THINK_RE = re.compile(r"<think>.*?</think>", re.DOTALL)
_FENCE_RE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def extract_json(text: str) -> str:
    """The JSON object in an answer: without <think> blocks, code fences or prose around it."""
    text = _THINK_RE.sub("", text or "").strip()
    text = _FENCE_RE.sub("", text).strip()
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if start >= 0 and end > start else text


_PREFERRED: dict[str, tuple[Method, ...]] = {
    # Providers known to reject json_schema response formats start further down the chain.
    "deepseek": ("function_calling", "json_mode"),
    "dashscope": ("function_calling", "json_mode"),
    "bigmodel": ("function_calling", "json_mode"),
}


_DEADLINE: contextvars.ContextVar[float] = contextvars.ContextVar("llm_deadline", default=float("inf"))


class _DeadlineExceeded(Exception):
    pass


class DeadlineTransport(httpx.BaseTransport):
    """httpx transport that enforces the current call's deadline: every timeout of a request is
    at most the time left, and a response body that is still arriving at the deadline is cut
    (a per-read timeout alone never fires on a server that sends one byte a second)."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = _DEADLINE.get()
        left = deadline - time.monotonic()
        if left <= 0:
            raise httpx.ReadTimeout("deadline reached", request=request)
        request.extensions["timeout"] = {"connect": min(left, 10.0), "read": left, "write": left, "pool": left}
        response = self._inner.handle_request(request)
        assert isinstance(response.stream, httpx.SyncByteStream)  # a sync transport streams synchronously
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_DeadlineStream(response.stream, deadline, request),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._inner.close()


class _DeadlineStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, deadline: float, request: httpx.Request) -> None:
        self._inner, self._deadline, self._request = inner, deadline, request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout("deadline reached while reading the response", request=self._request)
            yield chunk

    def close(self) -> None:
        self._inner.close()


def _with_deadline(seconds: float, work: Callable[[], T]) -> T:
    """Run `work` under a deadline of `seconds`: the transport cuts what it can, and the call is
    abandoned at the deadline otherwise (its thread ends when the server lets go)."""
    deadline = time.monotonic() + seconds
    token = _DEADLINE.set(deadline)
    try:
        context = contextvars.copy_context()
    finally:
        _DEADLINE.reset(token)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm-call")
    future = pool.submit(context.run, work)
    pool.shutdown(wait=False)
    try:
        return future.result(timeout=seconds + 0.5)
    except concurrent.futures.TimeoutError:
        raise _DeadlineExceeded() from None


class LLMClient:
    """A chat model plus what this session has learnt about its structured-output support."""

    def __init__(self, settings: LLMSettings) -> None:
        from langchain_openai import ChatOpenAI

        self.settings = settings
        self.usage: list[Usage] = []
        self._http = httpx.Client(transport=DeadlineTransport(), timeout=settings.timeout)
        self._chat = ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url,
            api_key=settings.api_key or SecretStr("not-needed"),
            timeout=settings.timeout,
            max_retries=0,  # retried here, within the deadline
            temperature=settings.temperature,
            http_client=self._http,
        )
        self._working: Method | None = None

    def methods(self) -> list[Method]:
        if self.settings.method != "auto":
            return [self.settings.method]
        if self._working:
            return [self._working] + [m for m in METHODS if m != self._working]
        host = (self.settings.base_url or "").lower()
        for marker, order in _PREFERRED.items():
            if marker in host:
                return list(order)
        return list(METHODS)

    def structured(self, prompt: str, response_model: type[T], **values: str) -> T:
        """Render prompts/PROMPT.md, ask, validate; raise an LLMError subclass on any failure,
        at the latest when the deadline (settings.timeout) has passed."""
        messages = render_prompt(prompt, **values)
        seconds = self.settings.timeout
        try:
            return _with_deadline(seconds, lambda: self._structured(prompt, messages, response_model))
        except _DeadlineExceeded:
            if self.usage and self.usage[-1].ok:
                self.usage[-1].ok, self.usage[-1].error = False, "deadline"
            raise LLMTimeout(f"{seconds:g} 秒内没有完成（含重试）") from None

    def _structured(self, prompt: str, messages: PromptMessages, response_model: type[T]) -> T:
        import openai

        last_rejection: Exception | None = None
        for method in self.methods():
            try:
                result = self._ask(prompt, method, messages, response_model)
            except openai.BadRequestError as exc:  # the provider rejects this structured-output method
                last_rejection = exc
                continue
            self._working = method
            return result
        raise LLMUnavailable(f"接口不接受任何结构化输出方式：{type(last_rejection).__name__}")

    def _ask(self, prompt: str, method: Method, messages: PromptMessages, response_model: type[T]) -> T:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        history = [SystemMessage(messages.system), HumanMessage(messages.user)]
        for _ in range(self.settings.repair_attempts + 1):
            raw = self._call(prompt, method, history, response_model)
            try:
                return response_model.model_validate_json(extract_json(raw))
            except ValidationError as exc:
                problem = _brief_errors(exc)
            except ValueError as exc:
                problem = f"不是有效的 JSON：{exc}"
            self.usage[-1].ok = False
            self.usage[-1].error = problem
            history += [
                AIMessage(raw[:4000]),
                HumanMessage(f"上一次输出未通过校验：{problem}。请只输出一个符合要求的 JSON 对象，不要其他文字。"),
            ]
        raise LLMInvalidOutput(f"{self.settings.repair_attempts + 1} 次输出均未通过校验：{problem}")

    def _call(self, prompt: str, method: Method, history: list, response_model: type[BaseModel]) -> str:
        name = response_model.__name__
        schema = response_model.model_json_schema()
        llm: Any
        if method == "json_schema":
            llm = self._chat.bind(
                response_format={"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
            )
        elif method == "function_calling":
            tool = {"type": "function", "function": {"name": name, "description": "提交结果", "parameters": schema}}
            llm = self._chat.bind_tools([tool], tool_choice={"type": "function", "function": {"name": name}})
        else:
            llm = self._chat.bind(response_format={"type": "json_object"})
        usage = Usage(prompt=prompt, method=method)
        message = self._invoke(llm, history, usage)
        meta = getattr(message, "usage_metadata", None) or {}
        usage.prompt_tokens = int(meta.get("input_tokens", 0))
        usage.completion_tokens = int(meta.get("output_tokens", 0))
        refusal = (message.additional_kwargs or {}).get("refusal")
        if refusal or (message.response_metadata or {}).get("finish_reason") == "content_filter":
            usage.ok, usage.error = False, "refusal"
            raise LLMRefused(str(refusal or "content_filter")[:200])
        if method == "function_calling" and message.tool_calls:
            return json.dumps(message.tool_calls[0]["args"], ensure_ascii=False)
        content = message.content if isinstance(message.content, str) else json.dumps(message.content)
        return content

    def _invoke(self, llm, history: list, usage: Usage):
        """One request, retried on 429, 5xx, timeouts and dropped connections with back-off while
        the deadline allows; every other failure is an LLMError at once."""
        import openai

        self.usage.append(usage)
        started = time.perf_counter()
        attempt = 0
        try:
            while True:
                try:
                    return llm.invoke(history)
                except openai.BadRequestError:
                    usage.ok, usage.error = False, "400"
                    raise
                except (
                    openai.APITimeoutError,
                    openai.RateLimitError,
                    openai.InternalServerError,
                    openai.APIConnectionError,
                ) as exc:
                    usage.ok, usage.error = False, type(exc).__name__
                    pause = 0.5 * 2**attempt
                    if attempt >= self.settings.max_retries or time.monotonic() + pause >= _DEADLINE.get():
                        raise _transport_error(exc, self.settings.timeout) from None
                    attempt += 1
                    time.sleep(pause)
                except openai.APIStatusError as exc:
                    usage.ok, usage.error = False, f"HTTP {exc.status_code}"
                    raise LLMUnavailable(f"HTTP {exc.status_code}") from None
                except Exception as exc:  # noqa: BLE001 — a truncated or non-JSON body the SDK cannot parse
                    usage.ok, usage.error = False, type(exc).__name__
                    raise LLMInvalidOutput(f"响应无法解析（{type(exc).__name__}）") from None
        finally:
            usage.seconds = round(time.perf_counter() - started, 3)


def _transport_error(exc: Exception, seconds: float) -> LLMError:
    import openai

    if isinstance(exc, openai.RateLimitError):
        return LLMRateLimited("429 Too Many Requests")
    if isinstance(exc, openai.APITimeoutError):
        return LLMTimeout(f"{seconds:g} 秒内没有完成（含重试）")
    return LLMUnavailable(type(exc).__name__)


def _brief_errors(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(x) for x in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg')}")
    return "；".join(parts)
