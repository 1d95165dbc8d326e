import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { App } from '../app.js';
import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import type { McpServerDeps } from './server.js';
import { StartupIndexWatch } from './startup-index.js';
import { bearerMatches, HTTP_TOKEN_ENV, resolveHttpToken } from '../infra/http-token.js';
import { agentOsVersion } from '../infra/package-info.js';
import type { IndexReport } from '../services/index-standards.js';

/** Path of the Streamable HTTP endpoint. */
export const MCP_HTTP_PATH = '/mcp';
const HTTP_HOST = '127.0.0.1';
/** How long a search waits for the start-up index before it answers from what is already indexed. */
const FIRST_SEARCH_WAIT_MS = 30_000;
/** How long close() waits for a running start-up index before it lets the app close anyway. */
const INDEX_DRAIN_MS = 10_000;

export interface ServeOptions {
  /** Serve Streamable HTTP on 127.0.0.1:<port> instead of stdio; 0 picks a free port. */
  httpPort?: number;
  /** Version reported in the MCP handshake (default: agent-os's package.json). */
  version?: string;
  /** Status lines for a person, on stderr (default: logger.info). Never stdout. */
  note?: (line: string) => void;
  /** Run an incremental index in the background once the server is up (default true). */
  indexOnStart?: boolean;
  /** Watch the standards directory and re-index on change (default true). */
  watch?: boolean;
  /** How long a search waits for the start-up index before answering from what is indexed (default 30 s). */
  firstSearchWaitMs?: number;
  /** Where AGENT_OS_HTTP_TOKEN is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** stdio transport streams (default process.stdin / process.stdout). */
  stdin?: Readable;
  stdout?: Writable;
}

export interface ServeHandle {
  transport: 'stdio' | 'http';
  /** http: the endpoint, e.g. `http://127.0.0.1:41234/mcp`; stdio: null. */
  url: string | null;
  /** The start-up index: its report, or null when skipped, cancelled or failed (failures are logged). */
  indexed: Promise<IndexReport | null>;
  /** Tell connected clients the set of standards changed (the watcher calls this on add/remove). */
  standardsChanged(): void;
  /** Register clean-up that runs when the server closes, before `closed` resolves (e.g. stop a watcher). */
  onClose(fn: () => unknown): void;
  /** Stop serving (idempotent). Does not close the app: its owner does, after `closed`. */
  close(reason?: string): Promise<void>;
  /** Resolves once the server has closed: close(), stdin ending (stdio), or the transport closing. */
  closed: Promise<void>;
}


function indexSummary(r: IndexReport): string {
  const s = `agent-os: index up to date: ${r.files} standard file(s), ${r.added.length} added, ${r.changed.length} changed, ${r.removed.length} removed in ${(r.durationMs / 1000).toFixed(2)} s (${r.mode}${r.embedder ? `, ${r.embedder}` : ''}).`;
  return [s, ...r.skipped.map((k) => `agent-os:   skipped ${k.file}: ${k.reason}`), ...r.warnings.map((w) => `agent-os:   warning: ${w}`)].join('\n');
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * DNS-rebinding / cross-site guard on top of the SDK's host-name check: the Host header must be
 * exactly 127.0.0.1:<port> or localhost:<port>, and a browser Origin, when sent, must be one of those.
 */
function localOnly(port: () => number): Middleware {
  return (req, res, next) => {
    const p = port();
    const hosts = [`${HTTP_HOST}:${p}`, `localhost:${p}`];
    const host = req.headers.host ?? '';
    if (!hosts.includes(host)) return jsonRpcError(res, 403, -32000, `Invalid Host header: ${host || '(none)'}`);
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) return jsonRpcError(res, 403, -32000, `Invalid Origin header: ${origin}`);
    next();
  };
}

/**
 * Start the MCP server for an app: connects first (stdio or HTTP), then indexes in the background.
 * Nothing slow runs before the client can talk to the server: the embedding model loads lazily, on
 * the first search or in the background index.
 */
export async function serve(app: App, opts: ServeOptions = {}): Promise<ServeHandle> {
  const logger = app.logger;
  const note = opts.note ?? ((line: string) => logger.info(line));
  let indexing = false;
  const startup = new StartupIndexWatch();
  const firstSearchWaitMs = opts.firstSearchWaitMs ?? FIRST_SEARCH_WAIT_MS;
  const deps: McpServerDeps = {
    search: async (input, ctx) => {
      // A client's first question usually arrives while the start-up index runs: wait for it
      // (bounded, with progress) rather than fail or answer from a half-built index.
      let partial = false;
      if (indexing) partial = !(await startup.wait(firstSearchWaitMs, ctx?.progress, ctx?.signal));
      try {
        const out = await app.search(input);
        if (!partial) return out;
        return {
          ...out,
          warnings: [
            ...out.warnings,
            `The standards are still being indexed (agent-os serve indexes when it starts; waited ${Math.round(firstSearchWaitMs / 1000)} s): these results come from what was indexed before; search again shortly for complete results.`,
          ],
        };
      } catch (e) {
        // While the start-up index builds a table, the store can see it half-created (INDEX_CORRUPT):
        // that is "not ready yet", not a reason to tell the user to rebuild.
        if (indexing && isAgentOsError(e) && (e.code === 'NOT_INITIALIZED' || e.code === 'INDEX_CORRUPT')) {
          logger.debug('search during the start-up index', { error: e.message });
          throw new AgentOsError('NOT_INITIALIZED', 'The standards are being indexed right now (agent-os serve indexes when it starts).', {
            cause: e,
            hint: 'Search again in a few seconds.',
          });
        }
        throw e;
      }
    },
    listStandards: () => app.indexDeps.repo.list(),
    standardsDir: app.paths.standardsDir,
    logger,
    version: opts.version ?? agentOsVersion(),
  };
  if (app.config.personas.enabled) {
    const loaded = await app.personas();
    for (const err of loaded.errors) logger.warn('persona file skipped', { file: err.file, error: err.message });
    const jobs = app.jobs();
    const recovered = jobs.start();
    if (recovered.requeued || recovered.failed) logger.info('persona jobs interrupted by the last stop', { requeued: recovered.requeued, failed: recovered.failed });
    deps.personas = { personas: loaded.personas, jobs, logger, taskTtlMs: app.config.personas.retentionDays * 86_400_000 };
    // Proposals belong to the persona system: `personas.enabled: false` leaves search alone.
    deps.proposals = {
      propose: app.proposals.propose,
      revise: app.proposals.revise,
      list: app.proposals.list,
      logger,
    };
  }

  const closeHooks: Array<() => unknown> = [];
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let closing: Promise<void> | null = null;
  const abortIndex = new AbortController();
  let indexed: Promise<IndexReport | null> = Promise.resolve(null);
  let stopTransport: () => Promise<void> = async () => {};
  let notifyChanged: () => void = () => {};

  const close = (reason = 'closed'): Promise<void> => {
    closing ??= (async () => {
      logger.debug('stopping MCP server', { reason });
      abortIndex.abort();
      for (const fn of closeHooks.splice(0)) {
        try {
          await fn();
        } catch (e) {
          logger.warn('clean-up on close failed', { error: messageOf(e) });
        }
      }
      try {
        await stopTransport();
      } catch (e) {
        logger.warn('closing the MCP transport failed', { error: messageOf(e) });
      }
      // The app's stores must not close under a running index: wait for it, within bounds.
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        indexed.then(() => true),
        new Promise<false>((r) => (timer = setTimeout(() => r(false), INDEX_DRAIN_MS))),
      ]);
      clearTimeout(timer);
      if (!drained) logger.warn('the start-up index is still running; closing anyway');
      resolveClosed();
    })();
    return closing;
  };

  let transport: ServeHandle['transport'];
  let url: string | null = null;
  if (opts.httpPort === undefined) {
    transport = 'stdio';
    const stdin = opts.stdin ?? process.stdin;
    const stdout = opts.stdout ?? process.stdout;
    // Imported here, not at the top: every other command would pay for loading the MCP SDK.
    const [{ createMcpServer }, { StdioServerTransport }] = await Promise.all([import('./server.js'), import('@modelcontextprotocol/sdk/server/stdio.js')]);
    const mcp = createMcpServer(deps);
    mcp.server.onclose = () => void close('transport closed');
    mcp.server.onerror = (e) => logger.warn('MCP transport error', { error: messageOf(e) });
    await mcp.connect(new StdioServerTransport(stdin, stdout));
    // The client went away: end of input, or a broken stdout pipe.
    stdin.once('end', () => void close('stdin closed'));
    stdin.once('close', () => void close('stdin closed'));
    stdout.on('error', (e: NodeJS.ErrnoException) => {
      logger.debug('stdout error', { error: e.message, code: e.code });
      void close('stdout closed');
    });
    stopTransport = () => mcp.close();
    // Only after the client has initialized may the server send it notifications.
    notifyChanged = () => {
      if (mcp.isConnected() && mcp.server.getClientVersion()) mcp.sendResourceListChanged();
    };
    note(`agent-os: MCP server ready on stdio (standards: ${app.paths.standardsDir})`);
  } else {
    transport = 'http';
    const auth = resolveHttpToken(opts.env ?? process.env, app.paths.cacheDir);
    const started = await startHttp(deps, opts.httpPort, auth.token, logger);
    url = started.url;
    stopTransport = started.close;
    note(`agent-os: MCP server listening on ${url} (standards: ${app.paths.standardsDir})`);
    note(
      auth.source === 'env'
        ? `agent-os: clients must send "Authorization: Bearer $${HTTP_TOKEN_ENV}".`
        : `agent-os: clients must send "Authorization: Bearer ${auth.token}" (this start's token, also in ${auth.file}; set ${HTTP_TOKEN_ENV} for a fixed one).`,
    );
  }

  if (opts.indexOnStart !== false) {
    // From now on a search waits for this index, even before it has begun.
    indexing = true;
    indexed = (async () => {
      try {
        // Let the handshake go first; the index loads the embedding model.
        await new Promise((r) => setImmediate(r));
        if (abortIndex.signal.aborted) return null;
        const report = await app.index({ signal: abortIndex.signal, onProgress: (p) => startup.progress(p) });
        note(indexSummary(report));
        return report;
      } finally {
        indexing = false;
        startup.finish();
      }
    })().catch((e: unknown) => {
      if (abortIndex.signal.aborted) return null;
      const msg = isAgentOsError(e) ? e.describe() : messageOf(e);
      logger.error('background index failed; search answers from the previous index', { error: msg });
      return null;
    });
  }

  if (opts.watch !== false) {
    // The watcher starts once the start-up index is done (its catch-up run covers saves made meanwhile),
    // so the two never queue on the writer lock against each other.
    const watching = indexed
      .then(async () => {
        if (abortIndex.signal.aborted) return null;
        const w = await app.watch({
          catchUp: true,
          onIndexed: (r) => {
            if (r.added.length + r.removed.length > 0) notifyChanged();
          },
        });
        logger.debug('watching standards', { dir: app.paths.standardsDir });
        return w;
      })
      .catch((e: unknown) => {
        logger.warn('the file watcher could not start; run `agent-os index` after editing standards', { error: messageOf(e) });
        return null;
      });
    closeHooks.push(async () => (await watching)?.close());
  }

  return {
    transport,
    url,
    indexed,
    standardsChanged: () => notifyChanged(),
    onClose: (fn) => void closeHooks.push(fn),
    close,
    closed,
  };
}

/**
 * The largest request body: the biggest documented tool input (a persona's 20,000-character task with
 * its 200,000-character context) even when every character is JSON-escaped (`\\uXXXX`, 6 bytes),
 * plus the JSON-RPC envelope. Anything larger is refused with 413 before it is parsed.
 */
export const MAX_HTTP_BODY_BYTES = 2 * 1024 * 1024;

/** The request body, or null after answering 413 when it passes the limit. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const tooLarge = (): void => {
      // The rest of the body is read and dropped, so the client finishes sending and reads the 413
      // (closing at once makes its write fail instead); a client that keeps sending far past the
      // limit is cut off.
      let dropped = 0;
      req.on('data', (c: Buffer) => {
        dropped += c.length;
        if (dropped > 8 * limit) req.destroy();
      });
      req.resume();
      jsonRpcError(res, 413, -32600, `Request body too large: the limit is ${limit} bytes.`);
      resolve(null);
    };
    if (Number.isFinite(declared) && declared > limit) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        tooLarge();
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => size <= limit && resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Streamable HTTP, stateless: every POST gets a fresh McpServer + transport over the same app.
 * No session state to leak or to lose on restart; every tool is request/response (persona jobs are
 * polled), so nothing needs a server-to-client stream. GET/DELETE (SSE stream, session end) are 405.
 * Every request must come with the Host of this server (DNS rebinding) and `Authorization: Bearer
 * <token>`: any local process or user could otherwise spend the LLM budget, read job results and push
 * branches with the user's GitHub token.
 */
async function startHttp(deps: McpServerDeps, port: number, token: string, logger: McpServerDeps['logger']): Promise<{ url: string; close(): Promise<void> }> {
  const [{ createMcpServer }, { StreamableHTTPServerTransport }] = await Promise.all([
    import('./server.js'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
  ]);
  let boundPort = port;
  const guard = localOnly(() => boundPort);
  const live = new Set<McpServer>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const pathname = (req.url ?? '').split('?')[0];
    if (pathname !== MCP_HTTP_PATH) return jsonRpcError(res, 404, -32000, `Not found: the MCP endpoint is ${MCP_HTTP_PATH}.`);
    if (!bearerMatches(req.headers.authorization, token)) {
      return jsonRpcError(res, 401, -32001, 'Unauthorized: send the header "Authorization: Bearer <token>" (AGENT_OS_HTTP_TOKEN, or the token in .agent-os/.cache/http-token).', {
        'www-authenticate': 'Bearer realm="agent-os"',
      });
    }
    if (req.method !== 'POST') {
      return jsonRpcError(res, 405, -32000, 'Method not allowed: this server is stateless; send JSON-RPC requests with POST.', { allow: 'POST' });
    }
    const body = await readBody(req, res, MAX_HTTP_BODY_BYTES);
    if (body === null) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return jsonRpcError(res, 400, -32700, 'Parse error: invalid JSON');
    }
    const mcp = createMcpServer(deps);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    live.add(mcp);
    res.on('close', () => {
      live.delete(mcp);
      transport.close().catch(() => undefined);
      mcp.close().catch(() => undefined);
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, parsed);
  };

  const server = http.createServer((req, res) => {
    guard(req, res, () => {
      handle(req, res).catch((e: unknown) => {
        logger.error('MCP HTTP request failed', { error: messageOf(e) });
        jsonRpcError(res, 500, -32603, 'Internal server error');
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new AgentOsError('IO', `Cannot listen on ${HTTP_HOST}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}.`, {
          cause: e,
          hint: 'Pick another port with --http <port>, or 0 for any free port.',
        }),
      ),
    );
    server.listen(port, HTTP_HOST, () => resolve());
  });
  boundPort = (server.address() as AddressInfo).port;
  server.on('error', (e) => logger.error('MCP HTTP server error', { error: messageOf(e) }));
  return {
    url: `http://${HTTP_HOST}:${boundPort}${MCP_HTTP_PATH}`,
    async close() {
      await Promise.allSettled([...live].map((m) => m.close()));
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
}
