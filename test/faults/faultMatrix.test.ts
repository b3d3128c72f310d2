import type { IncomingHttpHeaders } from 'node:http';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { callData } from '../fixtures/callData';
import { runApiRequest } from '../support/apiRequest';
import type { TestCredentials } from '../support/n8nHarness';
import { startRawServer, writeFiller, type RawConnection } from '../support/rawServers';
import { startServer, type LoopbackServer } from '../support/servers';

// Short, so that the file stays fast; long enough for a loaded machine to connect in time.
const TIMEOUT_MS = 1_500;
// What a shared two-core machine under load may add before the node has given up.
const MARGIN_MS = 1_500;
// A hanging server is still hanging here; the execution is cancelled well before the timeout.
const CANCEL_AFTER_MS = 300;
const TRICKLE_PERIOD_MS = 100;

const FIFTY_MB = 50 * 1024 * 1024;
const MAX_RESPONSE_MB = 1;
const MAX_RESPONSE_BYTES = MAX_RESPONSE_MB * 1024 * 1024;
// Loopback socket buffers may take a few MB more than the node read; 50 MB would mean no cap.
const MAX_FLUSHED_BYTES = 16 * 1024 * 1024;
// Reading 50 MB into memory would add at least 50 MB; the cap keeps it to about 1 MB.
const MAX_MEMORY_GROWTH_BYTES = 40 * 1024 * 1024;

const SECRET = 'fault-matrix-secret-4Kq9Zt2wX';
const CREDENTIALS: Record<string, TestCredentials> = {
	bearer: { novaRequestAuthApi: { scheme: 'bearer', token: SECRET } },
	header: {
		novaRequestAuthApi: { scheme: 'header', headerName: 'X-Api-Key', headerSecret: SECRET },
	},
	query: { novaRequestAuthApi: { scheme: 'query', queryName: 'api_key', querySecret: SECRET } },
};

/** Anything a case starts, closed after it; servers and raw servers alike. */
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map(async (server) => await server.close()));
});

async function server(
	handler: Parameters<typeof startServer>[0],
	host?: string,
): Promise<LoopbackServer> {
	const started = await startServer(handler, host);
	opened.push(started);
	return started;
}

/** What a case sets up: where the node sends, and what the far side saw afterwards. */
interface Scene {
	url: string;
	/** The host the outcome must name. */
	host: string;
	options?: IDataObject;
	headers?: Array<{ name: string; value: string }>;
	credentials?: TestCredentials;
	cancelAfterMs?: number;
	/** Requests that reached the receiver, of which there must be `expectedRequests`. */
	requests?: () => number;
	/** 1 unless told otherwise: a fault is never retried. */
	expectedRequests?: number;
	/** Whether every connection the node opened is closed again. */
	closed?: () => boolean;
	/** Further promises of this case, checked once the node is done. */
	verify?: () => void;
}

type Documented =
	| { fails: 'NodeApiError' | 'NodeOperationError'; message: RegExp; description?: RegExp }
	| { sends: IDataObject };

interface Fault {
	fault: string;
	/** The outcome README and the node's messages promise, in words. */
	outcome: string;
	documented: (scene: Scene) => Documented;
	arrange: () => Promise<Scene>;
	/** The least time the outcome may take, such as the whole deadline for a timeout. */
	atLeastMs?: number;
	/** The most time the outcome may take. */
	withinMs?: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const TIMEOUT_DESCRIPTION = /Nova's own request would have failed the same way.*Options > Timeout/;
const timedOut = ({ host }: Scene): Documented => ({
	fails: 'NodeApiError',
	message: new RegExp(
		`^${escape(host)} did not answer completely within ${TIMEOUT_MS} ms; the request was aborted and not retried$`,
	),
	description: TIMEOUT_DESCRIPTION,
});
const networkError =
	(code: string, reason: string) =>
	({ host }: Scene): Documented => ({
		fails: 'NodeApiError',
		message: new RegExp(`^${escape(host)}: ${reason}`),
		description: new RegExp(
			`^Nothing usable came back \\(${code}\\)\\. Check the URL and that the host is reachable from n8n\\. The request was not retried\\.$`,
		),
	});
const tooLarge = ({ host }: Scene): Documented => ({
	fails: 'NodeApiError',
	message: new RegExp(
		`^The response from ${escape(host)} is larger than the ${MAX_RESPONSE_BYTES}-byte limit; reading stopped there$`,
	),
	description: /Raise Options > Maximum Response Size/,
});

/** A loopback server that answers each request with `answer`, counted and watched for closing. */
async function misbehaving(
	answer: Parameters<typeof startServer>[0],
	options: IDataObject = {},
): Promise<Scene> {
	const target = await server(answer);
	return {
		url: target.url('/calls'),
		host: `127.0.0.1:${target.port}`,
		options,
		requests: () => target.received.length,
		closed: () => target.closedSocketsAt.length >= target.received.length,
	};
}

/** A raw server that answers with a 50 MB body, counting the bytes that really left it. */
async function fiftyMegabytes(head: string): Promise<Scene> {
	const target = await startRawServer((connection) => {
		connection.socket.write(head);
		void writeFiller(connection, FIFTY_MB).then(() => connection.socket.end());
	});
	opened.push(target);
	return {
		url: target.url('/export'),
		host: `127.0.0.1:${target.port}`,
		options: { maxResponseMb: MAX_RESPONSE_MB },
		requests: () => target.connections.length,
		closed: () => target.connections.every((connection) => connection.closedAt !== undefined),
		verify: () => {
			const flushed = target.connections.map(
				(connection: RawConnection) => connection.flushedBytes,
			);
			expect(flushed).toHaveLength(1);
			expect(flushed[0]).toBeLessThan(MAX_FLUSHED_BYTES);
		},
	};
}

/**
 * A server on `origin` that redirects to `elsewhere`, with a credential and a cookie on the
 * first request; neither may reach `elsewhere`, while an ordinary header does.
 */
async function crossOriginRedirect(elsewhereHost: string, scheme: string): Promise<Scene> {
	const elsewhere = await server((_request, response) => response.end('landed'), elsewhereHost);
	const origin = await server((_request, response) => {
		response.writeHead(307, { location: elsewhere.url('/land') });
		response.end();
	});
	return {
		url: origin.url('/jump'),
		host: `${elsewhereHost}:${elsewhere.port}`,
		options: {},
		credentials: CREDENTIALS[scheme],
		headers: [
			{ name: 'Cookie', value: `session=${SECRET}` },
			{ name: 'X-Source', value: 'nova' },
		],
		requests: () => origin.received.length + elsewhere.received.length,
		expectedRequests: 2,
		verify: () => {
			const [first] = origin.received;
			const [landed] = elsewhere.received;
			expect(first.headers.cookie).toBe(`session=${SECRET}`);
			expect(`${first.url} ${JSON.stringify(first.headers)}`).toMatch(
				new RegExp(`(Bearer |api_key=|"x-api-key":")${SECRET}`),
			);
			expect(landed.url).toBe('/land');
			expect(landed.headers['x-source']).toBe('nova');
			expect(credentialHeaders(landed.headers)).toEqual({});
			expect(`${landed.url} ${JSON.stringify(landed.headers)}`).not.toContain(SECRET);
		},
	};
}

const landed = ({ host }: Scene): Documented => ({
	sends: { status: 200, body: 'landed', redirects: 1, finalUrl: `http://${host}/land` },
});

function credentialHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
	const names = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];
	return Object.fromEntries(Object.entries(headers).filter(([name]) => names.includes(name)));
}

const FAULTS: Fault[] = [
	{
		fault: 'the receiver hangs before answering',
		outcome: 'fails with the timeout message at the deadline, not retried',
		documented: timedOut,
		arrange: async () => await misbehaving(() => undefined),
		atLeastMs: TIMEOUT_MS,
	},
	{
		fault: 'the receiver stalls in the middle of the body',
		outcome: 'fails with the timeout message at the deadline, not retried',
		documented: timedOut,
		arrange: async () =>
			await misbehaving((_request, response) => {
				response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
				response.write('{"half": "');
			}),
		atLeastMs: TIMEOUT_MS,
	},
	{
		fault: 'the receiver trickles the body a byte at a time',
		outcome: 'fails with the timeout message at the deadline, not retried',
		documented: timedOut,
		arrange: async () =>
			await misbehaving((_request, response) => {
				response.writeHead(200, { 'content-type': 'text/plain' });
				const timer = setInterval(() => {
					if (response.destroyed) clearInterval(timer);
					else response.write('.');
				}, TRICKLE_PERIOD_MS);
			}),
		atLeastMs: TIMEOUT_MS,
	},
	{
		fault: 'the receiver resets the connection',
		outcome: 'fails naming the host and ECONNRESET, not retried',
		documented: networkError('ECONNRESET', ''),
		arrange: async () => await misbehaving((request) => request.socket.resetAndDestroy()),
	},
	{
		fault: 'the receiver answers 503',
		outcome: 'fails with the status and an excerpt of the body, not retried',
		documented: ({ host }) => ({
			fails: 'NodeApiError',
			message: new RegExp(`^${escape(host)} answered 503 Service Unavailable$`),
			description: /^Response: \{"error":"maintenance"\}\nTurn on Options > Never Error/,
		}),
		arrange: async () =>
			await misbehaving((_request, response) => {
				response.writeHead(503, { 'content-type': 'application/json' });
				response.end('{"error": "maintenance"}');
			}),
	},
	{
		fault: 'the receiver answers 503, with Never Error on',
		outcome: 'is sent on the Sent output with status 503 and the body',
		documented: () => ({ sends: { status: 503, body: { error: 'maintenance' } } }),
		arrange: async () =>
			await misbehaving(
				(_request, response) => {
					response.writeHead(503, { 'content-type': 'application/json' });
					response.end('{"error": "maintenance"}');
				},
				{ neverError: true },
			),
	},
	{
		fault: 'the receiver streams a 50 MB body without a length',
		outcome: 'fails as too large once Maximum Response Size is read; the rest is never sent',
		documented: tooLarge,
		arrange: async () =>
			await fiftyMegabytes(
				'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n',
			),
	},
	{
		fault: 'the receiver declares and sends a 50 MB body',
		outcome: 'fails as too large from the Content-Length alone; the rest is never sent',
		documented: tooLarge,
		arrange: async () =>
			await fiftyMegabytes(
				`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${FIFTY_MB}\r\n\r\n`,
			),
	},
	{
		fault: 'the receiver redirects in a loop',
		outcome: 'fails after Max Redirects (5) with the last target, within the deadline',
		documented: networkError(
			'ERR_TOO_MANY_REDIRECTS',
			'Stopped after 5 redirects; the last one pointed to /loop',
		),
		arrange: async () => {
			const scene = await misbehaving((_request, response) => {
				response.writeHead(302, { location: '/loop' });
				response.end();
			});
			return { ...scene, expectedRequests: 6 };
		},
	},
	{
		fault: 'the receiver redirects to another port (another origin), with a bearer credential',
		outcome: 'is sent; the redirect target gets neither the credential nor the cookie',
		documented: landed,
		arrange: async () => await crossOriginRedirect('127.0.0.1', 'bearer'),
	},
	{
		fault: 'the receiver redirects to 127.0.0.2, with a header credential',
		outcome: 'is sent; the redirect target gets neither the credential nor the cookie',
		documented: landed,
		arrange: async () => await crossOriginRedirect('127.0.0.2', 'header'),
	},
	{
		fault: 'the receiver redirects to 127.0.0.2, with a query credential',
		outcome: 'is sent; the redirect target gets neither the credential nor the cookie',
		documented: landed,
		arrange: async () => await crossOriginRedirect('127.0.0.2', 'query'),
	},
	{
		fault: 'the host name does not resolve (.invalid)',
		outcome: 'fails naming the host and ENOTFOUND, not retried',
		documented: networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND nova-fault-matrix\\.invalid'),
		arrange: async () => ({
			url: 'http://nova-fault-matrix.invalid/calls',
			host: 'nova-fault-matrix.invalid',
			// A slow resolver must not turn this case into a timeout.
			options: { timeoutMs: 4 * TIMEOUT_MS },
		}),
		withinMs: 4 * TIMEOUT_MS + MARGIN_MS,
	},
	{
		fault: 'the port was just closed (connection refused)',
		outcome: 'fails naming the host and ECONNREFUSED, not retried',
		documented: networkError('ECONNREFUSED', 'connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+'),
		arrange: async () => {
			const target = await startServer(() => undefined);
			const [url, host] = [target.url('/calls'), `127.0.0.1:${target.port}`];
			await target.close();
			return { url, host };
		},
	},
	{
		fault: 'the n8n execution is cancelled mid-request',
		outcome: 'fails at once saying the execution was cancelled, long before the timeout',
		documented: ({ host }) => ({
			fails: 'NodeOperationError',
			message: new RegExp(
				`^The request to ${escape(host)} was stopped because the workflow execution was cancelled$`,
			),
		}),
		arrange: async () => ({
			...(await misbehaving(() => undefined, { timeoutMs: 10 * TIMEOUT_MS })),
			cancelAfterMs: CANCEL_AFTER_MS,
		}),
		atLeastMs: CANCEL_AFTER_MS,
		withinMs: CANCEL_AFTER_MS + MARGIN_MS,
	},
];

interface Result {
	sent?: INodeExecutionData[];
	error?: Error & IDataObject;
	elapsedMs: number;
	/** The most heap and buffer memory above the start, sampled while the node ran. */
	memoryGrowthBytes: number;
}

function memoryInUse(): number {
	const { heapUsed, arrayBuffers } = process.memoryUsage();
	return heapUsed + arrayBuffers;
}

async function runAgainst(scene: Scene): Promise<Result> {
	const parameters: INodeParameters = {
		authentication: scene.credentials ? 'credential' : 'none',
		method: 'POST',
		url: scene.url,
		headers: { header: scene.headers ?? [] },
		body: '{"caller": "{{caller_number}}", "summary": "{{summary}}"}',
		options: { timeoutMs: TIMEOUT_MS, ...scene.options },
	};
	const execution = new AbortController();
	const cancel = scene.cancelAfterMs
		? setTimeout(() => execution.abort(), scene.cancelAfterMs)
		: undefined;
	const baseline = memoryInUse();
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, memoryInUse())), 5);
	const startedAt = performance.now();

	const result: Omit<Result, 'elapsedMs' | 'memoryGrowthBytes'> = {};
	try {
		const { sent } = await runApiRequest({
			parameters,
			items: [callData()],
			credentials: scene.credentials,
			cancelSignal: execution.signal,
		});
		result.sent = sent;
	} catch (error) {
		result.error = error as Error & IDataObject;
	}

	const elapsedMs = performance.now() - startedAt;
	clearInterval(sampler);
	clearTimeout(cancel);
	peak = Math.max(peak, memoryInUse());
	return { ...result, elapsedMs, memoryGrowthBytes: peak - baseline };
}

/** The receiver sees a socket close a moment after the node destroys it; wait that moment. */
async function settled(condition: () => boolean): Promise<boolean> {
	const giveUpAt = performance.now() + MARGIN_MS;
	while (!condition() && performance.now() < giveUpAt) {
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	return condition();
}

function expectDocumented(result: Result, documented: Documented): void {
	if ('sends' in documented) {
		expect(result.error).toBeUndefined();
		expect(result.sent).toHaveLength(1);
		expect(result.sent?.[0].json).toMatchObject(documented.sends);
		return;
	}
	expect(result.sent).toBeUndefined();
	expect(result.error?.constructor.name).toBe(documented.fails);
	expect(result.error?.message).toMatch(documented.message);
	if (documented.description) expect(result.error?.description).toMatch(documented.description);
	expect(JSON.stringify({ ...result.error, message: result.error?.message })).not.toContain(SECRET);
}

describe('Nova API Request under faults', () => {
	it.each(FAULTS)('when $fault, $outcome', async (fault) => {
		const scene = await fault.arrange();

		const result = await runAgainst(scene);

		expectDocumented(result, fault.documented(scene));
		expect(result.elapsedMs).toBeGreaterThanOrEqual((fault.atLeastMs ?? 0) - 50);
		expect(result.elapsedMs).toBeLessThan(fault.withinMs ?? TIMEOUT_MS + MARGIN_MS);
		expect(result.memoryGrowthBytes).toBeLessThan(MAX_MEMORY_GROWTH_BYTES);
		if (scene.requests) expect(scene.requests()).toBe(scene.expectedRequests ?? 1);
		if (scene.closed) expect(await settled(scene.closed)).toBe(true);
		scene.verify?.();
	});
});
