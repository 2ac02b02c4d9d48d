"""A local fake OpenAI-compatible server: real sockets on 127.0.0.1, scripted answers.

The one test double the project accepts: it stands in for the remote LLM while the real client
code (langchain-openai → openai → httpx) talks to it over HTTP.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    content: str | None = None  # message content (JSON text, or anything for malformed cases)
    tool_args: dict | None = None  # answer as a function call instead
    status: int = 200
    delay: float = 0.0
    reject_json_schema: bool = False  # 400 when response_format is json_schema
    refusal: str | None = None
    raw_body: bytes | None = None  # sent as the body instead of a chat completion (a broken server)
    declared_length: int | None = None  # Content-Length to claim (more than sent: a truncated body)
    trickle: float = 0.0  # seconds between bytes of the body (a server that never finishes)


@dataclass
class FakeLLM:
    replies: list[Reply | Callable[[dict], Reply]] = field(default_factory=list)
    default: Callable[[dict], Reply] | None = None
    requests: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                fake.requests.append(body)
                if fake.replies:
                    reply = fake.replies.pop(0)
                elif fake.default:
                    reply = fake.default
                else:
                    reply = Reply(status=500, content="no scripted reply")
                if callable(reply):
                    reply = reply(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.raw_body is not None:
                    return self._send_raw(reply)
                fmt = (body.get("response_format") or {}).get("type")
                if reply.reject_json_schema and fmt == "json_schema":
                    return self._send(
                        400,
                        {
                            "error": {
                                "message": "response_format json_schema is not supported",
                                "type": "invalid_request_error",
                            }
                        },
                    )
                if reply.status != 200:
                    return self._send(
                        reply.status,
                        {"error": {"message": reply.content or "error", "type": "server_error"}},
                        {"retry-after-ms": "10"},
                    )
                message: dict = {"role": "assistant", "content": reply.content}
                if reply.refusal:
                    message["refusal"] = reply.refusal
                if reply.tool_args is not None or (body.get("tools") and reply.content and not reply.refusal):
                    args = reply.tool_args if reply.tool_args is not None else json.loads(reply.content)
                    name = body["tools"][0]["function"]["name"] if body.get("tools") else "answer"
                    message = {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "call_1",
                                "type": "function",
                                "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)},
                            }
                        ],
                    }
                prompt_chars = sum(len(m.get("content") or "") for m in body.get("messages", []))
                self._send(
                    200,
                    {
                        "id": f"chatcmpl-{len(fake.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model", "fake"),
                        "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
                        "usage": {
                            "prompt_tokens": prompt_chars,
                            "completion_tokens": len(reply.content or ""),
                            "total_tokens": prompt_chars + len(reply.content or ""),
                        },
                    },
                )

            def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    self.wfile.write(data)

            def _send_raw(self, reply: Reply) -> None:
                data = reply.raw_body or b""
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(reply.declared_length or len(data)))
                self.end_headers()
                try:
                    if reply.trickle:
                        for byte in data:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(data)
                        self.wfile.flush()
                    self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def prompts(self) -> list[tuple[str, str]]:
        """(system, user) of every request, in order."""
        out = []
        for body in self.requests:
            messages = body.get("messages", [])
            system = next((m["content"] for m in messages if m["role"] == "system"), "")
            user = "\n".join(m["content"] or "" for m in messages if m["role"] == "user")
            out.append((system, user))
        return out


# Two rewrites a critic might propose: one measurable, one as vague as the row it replaces.
MEASURABLE_REWRITE = {
    "level2": "数量指标",
    "name": "深化提升行动方案印发数",
    "target": "1",
    "unit": "个",
    "comparator": "=",
    "target_detail": "2024年印发国企改革深化提升行动方案",
    "scoring": "10分；达到目标值得10分，否则不得分",
    "weight": 10,
}
VAGUE_REWRITE = {
    "level2": "服务对象满意度指标",
    "name": "满意度",
    "target": "满意",
    "unit": "%",
    "comparator": "≥",
    "scoring": "视情况扣分",
    "weight": 10,
}


def critic_reply(*items: tuple[int, str, dict]) -> Reply:
    """A critic's answer: (row number, reason, rewrite) per item, each judged "revise"."""
    answer = {
        "items": [
            {"index": n, "judgment": "revise", "reason": reason, "rewrite": rewrite} for n, reason, rewrite in items
        ]
    }
    return Reply(content=json.dumps(answer, ensure_ascii=False))
