// Independent reference tokenisation for GeoPigeon's tokenizer parity goldens: Hugging Face's pure-JavaScript
// tokenizers (npm @huggingface/tokenizers, Apache-2.0; a separate implementation from the Rust library that
// DJL wraps). Reads {"tokenizer": PATH, "texts": [...], "contextLength": 77} as JSON on stdin and prints
// {"ids": [[...], ...]}: each text encoded with special tokens (<|startoftext|> ... <|endoftext|>) and
// truncated as Hugging Face's CLIPTokenizer does with truncation=True, max_length=contextLength: the start
// token, the first contextLength-2 text tokens, the end token.
//
//   npm install @huggingface/tokenizers@0.2.0 && node tools/tokenize_reference.mjs < request.json
import { readFileSync } from "node:fs";
import { Tokenizer } from "@huggingface/tokenizers";

const request = JSON.parse(readFileSync(0, "utf8"));
const tokenizerJson = JSON.parse(readFileSync(request.tokenizer, "utf8"));
const tokenizer = new Tokenizer(tokenizerJson, {});
const n = request.contextLength;
const ids = request.texts.map((text) => {
  const full = tokenizer.encode(text).ids;
  if (full.length <= n) return full;
  return full.slice(0, n - 1).concat([full[full.length - 1]]);
});
process.stdout.write(JSON.stringify({ ids }) + "\n");
