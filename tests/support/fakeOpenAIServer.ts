// A fake OpenAI-compatible server on 127.0.0.1 for unit and browser tests. It speaks the real wire formats
// (chat.completion.chunk SSE, tool-call argument fragments, usage chunk, [DONE], /v1/models, Ollama's /api/tags,
// OpenAI-shaped errors, CORS with a preflight it can refuse) and records every request it receives.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body (null when there is none or it is not JSON). */
  body: Record<string, unknown> | null;
  /** True when the client went away before the reply finished (Stop / abort). */
  aborted: boolean;
  /** True when the reply finished. */
  completed: boolean;
}

export type FakeReply =
  | {
      kind: 'text';
      text: string;
      chunkSize?: number;
      delayMs?: number;
      finishReason?: string;
      usage?: FakeUsage | null;
      model?: string;
      failAfterChunks?: number;
      dropAfterChunks?: number;
      /** Answer one JSON completion even to stream:true, as some servers do. */ ignoreStream?: boolean;
    }
  | { kind: 'json'; value: unknown; chunkSize?: number; delayMs?: number; usage?: FakeUsage | null }
  | {
      kind: 'toolCalls';
      calls: Array<{ id?: string; name: string; arguments: string | Record<string, unknown> }>;
      fragmentSize?: number;
      content?: string;
      delayMs?: number;
      usage?: FakeUsage | null;
    }
  | { kind: 'error'; status: number; message?: string; type?: string; code?: string | null; retryAfterSeconds?: number }
  /** Any raw SSE text, written as is (for recorded-stream tests). */
  | { kind: 'raw'; sse: string; delayMs?: number };

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type RequestMatcher = (request: RecordedRequest) => boolean;

export interface ScriptOptions {
  times?: number;
}

export interface FakeOpenAIOptions {
  port?: number;
  models?: string[];
  /** Extra names only Ollama's /api/tags lists. */
  ollamaTags?: string[];
  /** When false, a request with response_format json_schema gets a 400 (as servers without structured output do). */
  supportsJsonSchema?: boolean;
  /** When set, every /v1 request must carry `Authorization: Bearer <key>` or gets 401. */
  requireKey?: string | null;
}

export interface FakeOpenAI {
  /** http://127.0.0.1:PORT/v1 */
  url: string;
  origin: string;
  requests: RecordedRequest[];
  /** Replies to the first chat request that matches (checked newest-script-first); `times` limits how often. */
  script(matcher: RequestMatcher, reply: FakeReply, options?: ScriptOptions): void;
  /** Behave like Ollama with OLLAMA_ORIGINS unset: 403 without CORS headers for any request from a page. */
  refuseCors(refuse: boolean): void;
  setModels(models: string[]): void;
  setSupportsJsonSchema(supported: boolean): void;
  setRequireKey(key: string | null): void;
  /** Older Ollama builds have no /v1/models; false makes it 404. */
  setOpenAIModelsEnabled(enabled: boolean): void;
  /** Chat-completion requests only. */
  chatRequests(): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export const always: RequestMatcher = () => true;

/** The last user message's text, for matchers. */
export function lastUserText(request: RecordedRequest): string {
  const messages = (request.body?.messages ?? []) as Array<{ role?: string; content?: unknown }>;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'user' && typeof message.content === 'string') return message.content;
  }
  return '';
}

const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 };

function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  const characters = [...text];
  for (let index = 0; index < characters.length; index += size) pieces.push(characters.slice(index, index + size).join(''));
  return pieces.length ? pieces : [''];
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let models = options.models ?? ['fake-small', 'fake-large'];
  const ollamaTags = options.ollamaTags ?? [];
  let supportsJsonSchema = options.supportsJsonSchema ?? true;
  let requireKey = options.requireKey ?? null;
  let refusingCors = false;
  let openAIModelsEnabled = true;
  const requests: RecordedRequest[] = [];
  let scripts: Array<{ matcher: RequestMatcher; reply: FakeReply; remaining: number }> = [];
  let completionCounter = 0;

  function corsHeaders(request: IncomingMessage): Record<string, string> {
    const origin = request.headers.origin;
    if (!origin) return {};
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Authorization',
      'Access-Control-Max-Age': '0',
      Vary: 'Origin',
    };
  }

  function sendJson(
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    payload: unknown,
    extra: Record<string, string> = {},
  ) {
    response.writeHead(status, { 'Content-Type': 'application/json', ...corsHeaders(request), ...extra });
    response.end(JSON.stringify(payload));
  }

  function sendError(request: IncomingMessage, response: ServerResponse, reply: Extract<FakeReply, { kind: 'error' }>) {
    const extra: Record<string, string> = {};
    if (reply.retryAfterSeconds !== undefined) extra['Retry-After'] = String(reply.retryAfterSeconds);
    const type =
      reply.type ??
      (reply.status === 401
        ? 'invalid_request_error'
        : reply.status === 429
          ? 'rate_limit_error'
          : reply.status >= 500
            ? 'server_error'
            : 'invalid_request_error');
    sendJson(
      request,
      response,
      reply.status,
      { error: { message: reply.message ?? `Fake error ${reply.status}`, type, code: reply.code ?? null } },
      extra,
    );
  }

  function chooseReply(recorded: RecordedRequest): FakeReply {
    for (let index = scripts.length - 1; index >= 0; index--) {
      const entry = scripts[index]!;
      if (entry.remaining > 0 && entry.matcher(recorded)) {
        entry.remaining -= 1;
        return entry.reply;
      }
    }
    return { kind: 'text', text: 'Fake reply.' };
  }

  async function streamChunks(
    request: IncomingMessage,
    response: ServerResponse,
    recorded: RecordedRequest,
    chunks: Array<Record<string, unknown>>,
    delayMs: number,
    usage: FakeUsage | null,
    model: string,
    cut?: { failAfter?: number; dropAfter?: number },
  ) {
    const id = `chatcmpl-fake-${++completionCounter}`;
    const created = Math.floor(Date.now() / 1000);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      ...corsHeaders(request),
    });
    response.flushHeaders();
    const includeUsage = (recorded.body?.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const write = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
    for (let index = 0; index < chunks.length; index++) {
      if (recorded.aborted) return;
      if (cut?.failAfter !== undefined && index === cut.failAfter) {
        write({ error: { message: 'Fake failure in the middle of the stream', type: 'server_error', code: 500 } });
        response.end();
        recorded.completed = true;
        return;
      }
      if (cut?.dropAfter !== undefined && index === cut.dropAfter) {
        response.socket?.destroy();
        return;
      }
      write({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [{ index: 0, ...chunks[index] }],
      });
      if (delayMs > 0) await wait(delayMs);
    }
    if (recorded.aborted) return;
    if (includeUsage && usage) write({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    response.write('data: [DONE]\n\n');
    response.end();
    recorded.completed = true;
  }

  function textChunks(text: string, size: number, finishReason: string): Array<Record<string, unknown>> {
    const pieces = splitText(text, size);
    return [
      ...pieces.map((piece, index) => ({
        delta: index === 0 ? { role: 'assistant', content: piece } : { content: piece },
        logprobs: null,
        finish_reason: null,
      })),
      { delta: {}, logprobs: null, finish_reason: finishReason },
    ];
  }

  async function answerChat(request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest) {
    const body = recorded.body ?? {};
    const model = typeof body.model === 'string' ? body.model : 'fake-small';
    if (!models.includes(model)) {
      sendError(request, response, {
        kind: 'error',
        status: 404,
        message: `model "${model}" not found, try pulling it first`,
        type: 'invalid_request_error',
        code: 'model_not_found',
      });
      recorded.completed = true;
      return;
    }
    const format = body.response_format as { type?: string } | undefined;
    if (format?.type === 'json_schema' && !supportsJsonSchema) {
      sendError(request, response, {
        kind: 'error',
        status: 400,
        message: 'response_format type json_schema is not supported',
        code: 'unsupported_response_format',
      });
      recorded.completed = true;
      return;
    }
    const reply = chooseReply(recorded);
    if (reply.kind === 'error') {
      sendError(request, response, reply);
      recorded.completed = true;
      return;
    }
    const stream = body.stream === true && !(reply.kind === 'text' && reply.ignoreStream);
    if (reply.kind === 'raw') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', ...corsHeaders(request) });
      if (reply.delayMs) await wait(reply.delayMs);
      response.end(reply.sse);
      recorded.completed = true;
      return;
    }
    const usage = reply.usage === undefined ? DEFAULT_USAGE : reply.usage;
    if (reply.kind === 'text' || reply.kind === 'json') {
      const text = reply.kind === 'json' ? JSON.stringify(reply.value) : reply.text;
      const finishReason = reply.kind === 'text' ? (reply.finishReason ?? 'stop') : 'stop';
      const replyModel = reply.kind === 'text' && reply.model ? reply.model : model;
      if (!stream) {
        sendJson(request, response, 200, {
          id: `chatcmpl-fake-${++completionCounter}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: replyModel,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
          usage,
        });
        recorded.completed = true;
        return;
      }
      const cut = reply.kind === 'text' ? { failAfter: reply.failAfterChunks, dropAfter: reply.dropAfterChunks } : undefined;
      await streamChunks(
        request,
        response,
        recorded,
        textChunks(text, reply.chunkSize ?? 4, finishReason),
        reply.delayMs ?? 0,
        usage,
        replyModel,
        cut,
      );
      return;
    }
    // Tool calls: the id, type and name come first, then the arguments in fragments, as OpenAI streams them.
    const calls = reply.calls.map((call, index) => ({
      id: call.id ?? `call_fake_${completionCounter}_${index}`,
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    }));
    if (!stream) {
      sendJson(request, response, 200, {
        id: `chatcmpl-fake-${++completionCounter}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: reply.content ?? null,
              tool_calls: calls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments },
              })),
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage,
      });
      recorded.completed = true;
      return;
    }
    const chunks: Array<Record<string, unknown>> = [];
    if (reply.content) chunks.push(...textChunks(reply.content, 8, 'x').slice(0, -1));
    calls.forEach((call, index) => {
      chunks.push({
        delta: {
          role: 'assistant',
          content: null,
          tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
        },
        logprobs: null,
        finish_reason: null,
      });
      for (const piece of splitText(call.arguments, reply.fragmentSize ?? 5)) {
        chunks.push({ delta: { tool_calls: [{ index, function: { arguments: piece } }] }, logprobs: null, finish_reason: null });
      }
    });
    chunks.push({ delta: {}, logprobs: null, finish_reason: 'tool_calls' });
    await streamChunks(request, response, recorded, chunks, reply.delayMs ?? 0, usage, model);
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | null = null;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        headers,
        body,
        aborted: false,
        completed: false,
      };
      requests.push(recorded);
      response.on('close', () => {
        if (!recorded.completed) recorded.aborted = true;
      });
      void route(request, response, recorded, url.pathname).catch((error: unknown) => {
        if (!response.headersSent)
          sendJson(request, response, 500, { error: { message: String(error), type: 'server_error', code: null } });
        else response.end();
      });
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest, path: string) {
    if (refusingCors && request.headers.origin) {
      // Ollama answers a page it does not allow with a bare 403: no CORS headers, so the browser sees a network error.
      response.writeHead(403, { 'Content-Type': 'text/plain' });
      response.end('Forbidden');
      recorded.completed = true;
      return;
    }
    if (request.method === 'OPTIONS') {
      response.writeHead(204, corsHeaders(request));
      response.end();
      recorded.completed = true;
      return;
    }
    if (path === '/' && request.method === 'GET') {
      response.writeHead(200, { 'Content-Type': 'text/plain', ...corsHeaders(request) });
      response.end('Fake OpenAI-compatible server is running');
      recorded.completed = true;
      return;
    }
    if (path === '/api/tags' && request.method === 'GET') {
      sendJson(request, response, 200, {
        models: [...new Set([...models, ...ollamaTags])].map((name) => ({
          name,
          model: name,
          modified_at: '2026-01-01T00:00:00Z',
          size: 1234,
          digest: 'sha256:fake',
          details: { format: 'gguf', family: 'fake', parameter_size: '1B', quantization_level: 'Q4_0' },
        })),
      });
      recorded.completed = true;
      return;
    }
    if (path.startsWith('/v1/')) {
      if (requireKey && recorded.headers.authorization !== `Bearer ${requireKey}`) {
        sendError(request, response, {
          kind: 'error',
          status: 401,
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        });
        recorded.completed = true;
        return;
      }
      if (path === '/v1/models' && request.method === 'GET' && openAIModelsEnabled) {
        sendJson(request, response, 200, {
          object: 'list',
          data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' })),
        });
        recorded.completed = true;
        return;
      }
      if (path === '/v1/chat/completions' && request.method === 'POST') {
        await answerChat(request, response, recorded);
        return;
      }
    }
    sendJson(request, response, 404, {
      error: { message: `${request.method} ${path} not found`, type: 'invalid_request_error', code: null },
    });
    recorded.completed = true;
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    requests,
    script(matcher, reply, scriptOptions = {}) {
      scripts.push({ matcher, reply, remaining: scriptOptions.times ?? Number.POSITIVE_INFINITY });
    },
    refuseCors(refuse) {
      refusingCors = refuse;
    },
    setModels(next) {
      models = next;
    },
    setSupportsJsonSchema(supported) {
      supportsJsonSchema = supported;
    },
    setRequireKey(key) {
      requireKey = key;
    },
    setOpenAIModelsEnabled(enabled) {
      openAIModelsEnabled = enabled;
    },
    chatRequests() {
      return requests.filter((request) => request.path === '/v1/chat/completions' && request.method === 'POST');
    },
    reset() {
      requests.length = 0;
      scripts = [];
      refusingCors = false;
      openAIModelsEnabled = true;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
