"""Chat-model backends behind LangChain's `BaseChatModel`, chosen by `Settings.backend`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr, SecretStr

from advisor.settings import Settings, SettingsError

logger = logging.getLogger(__name__)

LOCAL_EXTRA_HINT = "the llamacpp backend needs llama-cpp-python: pip install -e .[local]"
_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model for the configured backend, or None for the extractive (no-LLM) backend."""
    if settings.backend == "extractive":
        return None
    if settings.backend == "openai":
        return _openai(settings)
    if settings.backend == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=settings.ollama_model,
            base_url=settings.ollama_url,
            temperature=settings.llm_temperature,
            num_predict=settings.llm_max_tokens,
        )
    path = settings.resolved_llamacpp_model_path
    logger.info("event=load_gguf path=%s", path)
    return LlamaCppChatModel(
        model_path=str(path), temperature=settings.llm_temperature, max_tokens=settings.llm_max_tokens
    )


def _openai(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key
    if key is None and settings.openai_base_url is None:
        raise SettingsError("ADVISOR_OPENAI_API_KEY: required for the hosted OpenAI API")
    # Local OpenAI-compatible servers (llama.cpp, vLLM, LM Studio) accept any key, and some know only the
    # older `max_tokens` field, which LangChain now renames to `max_completion_tokens`.
    extra_body = {"max_tokens": settings.llm_max_tokens} if settings.openai_base_url else None
    return ChatOpenAI(
        base_url=settings.openai_base_url,
        model=settings.openai_model,
        api_key=key or SecretStr("not-needed"),
        temperature=settings.llm_temperature,
        max_completion_tokens=settings.llm_max_tokens,
        streaming=True,
        extra_body=extra_body,
    )


class LlamaCppChatModel(BaseChatModel):
    """A GGUF model run in-process by llama-cpp-python, using the chat template stored in the file."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    temperature: float = 0.0
    max_tokens: int = 256
    n_ctx: int = 4096
    n_threads: int | None = None
    seed: int = 0
    _llama: Any = PrivateAttr(default=None)

    def model_post_init(self, context: Any, /) -> None:
        """Load the model file once, when the chat model is built."""
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ImportError(LOCAL_EXTRA_HINT) from exc
        self._llama = Llama(
            model_path=self.model_path,
            n_ctx=self.n_ctx,
            n_threads=self.n_threads,
            seed=self.seed,
            verbose=False,
        )

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "temperature": self.temperature, "max_tokens": self.max_tokens}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        response = self._llama.create_chat_completion(messages=_dicts(messages), stop=stop, **self._params())
        text = response["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        parts = self._llama.create_chat_completion(messages=_dicts(messages), stop=stop, stream=True, **self._params())
        for part in parts:
            token = part["choices"][0]["delta"].get("content")
            if not token:
                continue
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
            if run_manager:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk

    def _params(self) -> dict[str, Any]:
        return {"temperature": self.temperature, "max_tokens": self.max_tokens}


def _dicts(messages: list[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
