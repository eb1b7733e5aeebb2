"""all-MiniLM-L6-v2 in numpy: the BERT encoder, mean pooling and normalisation of sentence-transformers.

It reads the bundled model's `model.safetensors` and `tokenizer.json` and needs neither torch nor
sentence-transformers (whose import alone takes seconds), so a command starts in a fraction of that time.
`tests/test_minilm.py` checks its vectors against the real sentence-transformers to 1e-4.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

_MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
# Abramowitz & Stegun 7.1.26: erf to 1.5e-7, below float32 resolution at these magnitudes.
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


class MiniLM:
    """A sentence encoder from a sentence-transformers BERT folder: text in, unit-length float32 vectors out."""

    def __init__(self, folder: str | Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=_max_tokens(folder))
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)), pad_token="[PAD]")
        weights = load_file(str(folder / "model.safetensors"))
        self._embeddings = _embedding_weights(weights)
        self._layers = [_layer_weights(weights, i) for i in range(int(config["num_hidden_layers"]))]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised mean-pooled vectors of one batch of texts, one row each."""
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        hidden = self._embed(ids)
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for layer in self._layers:
            hidden = self._layer(hidden, bias, layer)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _embed(self, ids: np.ndarray) -> np.ndarray:
        words, positions, types, norm_w, norm_b = self._embeddings
        x = words[ids] + positions[: ids.shape[1]][None, :, :] + types[0][None, None, :]
        return _layer_norm(x, norm_w, norm_b, self.eps)

    def _layer(self, x: np.ndarray, bias: np.ndarray, w: dict[str, np.ndarray]) -> np.ndarray:
        # Dense layers on (tokens, width) matrices: one BLAS call each instead of one per text.
        batch, length, width = x.shape
        size = width // self.heads
        flat = x.reshape(batch * length, width)
        qkv = (flat @ w["qkv"] + w["qkv_b"]).reshape(batch, length, 3, self.heads, size).transpose(2, 0, 3, 1, 4)
        scores = (qkv[0] @ qkv[1].transpose(0, 1, 3, 2)) / np.float32(np.sqrt(size)) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        context = (scores / scores.sum(axis=-1, keepdims=True)) @ qkv[2]
        context = context.transpose(0, 2, 1, 3).reshape(batch * length, width)
        flat = _layer_norm(context @ w["out"] + w["out_b"] + flat, w["norm1_w"], w["norm1_b"], self.eps)
        inner = _gelu(flat @ w["up"] + w["up_b"])
        out = _layer_norm(inner @ w["down"] + w["down_b"] + flat, w["norm2_w"], w["norm2_b"], self.eps)
        return out.reshape(batch, length, width)


def _max_tokens(folder: Path) -> int:
    config = folder / "sentence_bert_config.json"
    if config.exists():
        return int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", _MAX_TOKENS))
    return _MAX_TOKENS


def _embedding_weights(w: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    prefix = "embeddings."
    names = ("word_embeddings.weight", "position_embeddings.weight", "token_type_embeddings.weight")
    return (*(w[prefix + n] for n in names), w[prefix + "LayerNorm.weight"], w[prefix + "LayerNorm.bias"])


def _layer_weights(w: dict[str, np.ndarray], i: int) -> dict[str, np.ndarray]:
    p = f"encoder.layer.{i}."
    attention = [w[f"{p}attention.self.{n}.weight"] for n in ("query", "key", "value")]
    biases = [w[f"{p}attention.self.{n}.bias"] for n in ("query", "key", "value")]
    return {
        "qkv": np.ascontiguousarray(np.concatenate(attention).T),
        "qkv_b": np.concatenate(biases),
        "out": np.ascontiguousarray(w[f"{p}attention.output.dense.weight"].T),
        "out_b": w[f"{p}attention.output.dense.bias"],
        "norm1_w": w[f"{p}attention.output.LayerNorm.weight"],
        "norm1_b": w[f"{p}attention.output.LayerNorm.bias"],
        "up": np.ascontiguousarray(w[f"{p}intermediate.dense.weight"].T),
        "up_b": w[f"{p}intermediate.dense.bias"],
        "down": np.ascontiguousarray(w[f"{p}output.dense.weight"].T),
        "down_b": w[f"{p}output.dense.bias"],
        "norm2_w": w[f"{p}output.LayerNorm.weight"],
        "norm2_b": w[f"{p}output.LayerNorm.bias"],
    }


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + np.float32(eps)) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))


def _erf(x: np.ndarray) -> np.ndarray:
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + _ERF_P * a)
    poly = t * (_ERF_A[0] + t * (_ERF_A[1] + t * (_ERF_A[2] + t * (_ERF_A[3] + t * _ERF_A[4]))))
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)
