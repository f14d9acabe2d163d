// The client side of serve-concurrency.bench.ts, in its own process so that sending requests does not share the
// server's event loop (in one process, the client's socket work lets only about one request reach the server per step).
// Usage: node load-client.mjs <baseURL> <requests> <maxTokens>; prints one JSON line.
const [url, n, maxTokens] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const latencies = [];
let tokens = 0;
const started = performance.now();
const texts = await Promise.all(Array.from({ length: n }, async (_, i) => {
  const t = performance.now();
  const r = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: `Request ${i}: say something.` }], max_tokens: maxTokens, temperature: 0 }),
  });
  const body = await r.json();
  if (r.status !== 200) throw new Error(`request ${i}: HTTP ${r.status} ${JSON.stringify(body)}`);
  latencies.push(performance.now() - t);
  tokens += body.usage.completion_tokens;
  return body.choices[0].message.content;
}));
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000, latencies, tokens, texts })}\n`);
