import type { ServerResponse } from 'node:http';

import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import {
	DEFAULT_DEADLINE_MS,
	dispatch,
	type DispatchOutcome,
	type DispatchRequest,
} from '../../shared/dispatch';
import { dispatchProbeNode } from '../support/dispatchProbeNode';
import { runNode } from '../support/n8nHarness';
import { startServer, type LoopbackServer } from '../support/servers';

// The promise this suite checks: Nova's 10 s budget, plus at most 250 ms to tear down.
const GRACE_MS = 250;
const TRICKLE_PERIOD_MS = 100;

/** Each server answers slowly in its own way; none would ever finish within the deadline. */
const stallingServers: Record<string, (server: LoopbackServer, response: ServerResponse) => void> =
	{
		'hangs before sending headers': () => undefined,
		'stalls in the middle of the body': (_server, response) => {
			response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
			response.write('{"half": "');
		},
		'trickles the body': (server, response) => {
			response.writeHead(200, { 'content-type': 'text/plain' });
			server.every(TRICKLE_PERIOD_MS, () => response.write('.'));
		},
		'trickles the headers': (server, response) => {
			const socket = response.socket;
			socket?.write('HTTP/1.1 200 OK\r\n');
			server.every(TRICKLE_PERIOD_MS, () => socket?.write('X-Slow: 1\r\n'));
		},
		'redirects to a server that trickles': (server, response) => {
			if (response.req.url === '/start') {
				response.writeHead(307, { location: '/trickle' });
				response.end();
				return;
			}
			response.writeHead(200);
			server.every(TRICKLE_PERIOD_MS, () => response.write('.'));
		},
	};

interface Timed {
	name: string;
	outcome: DispatchOutcome;
	startedAt: number;
	elapsedMs: number;
	server: LoopbackServer;
}

/** The server sees a socket close a moment after the client destroys it; wait that moment out. */
async function socketsClosed(results: Timed[], expected: (timed: Timed) => number) {
	const giveUpAt = performance.now() + GRACE_MS;
	while (performance.now() < giveUpAt) {
		if (results.every((timed) => timed.server.closedSocketsAt.length >= expected(timed))) return;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

async function timeAgainst(
	name: string,
	send: (request: DispatchRequest) => Promise<DispatchOutcome>,
): Promise<Timed> {
	const server = await startServer((_request, response) => stallingServers[name](server, response));
	const startedAt = performance.now();
	const outcome = await send({ method: 'POST', url: server.url('/start'), body: '{}' });
	return { name, outcome, startedAt, elapsedMs: performance.now() - startedAt, server };
}

async function withoutCredentials(request: DispatchRequest) {
	return await dispatch(request, { send: httpRequest });
}

async function withCredentials(request: DispatchRequest) {
	const [[item]] = await runNode({
		nodeType: dispatchProbeNode('httpHeaderAuth', request),
		credentials: { httpHeaderAuth: { name: 'X-Api-Key', value: 'deadline-secret' } },
	});
	return item.json as unknown as DispatchOutcome;
}

describe('dispatch deadline, at the default of 10 000 ms', () => {
	const results: Timed[] = [];

	// Every stalling server, with and without an n8n credential, runs at once: ten 10 s waits.
	beforeAll(async () => {
		const names = Object.keys(stallingServers);
		const runs = names.flatMap((name) => [
			timeAgainst(name, withoutCredentials),
			timeAgainst(name, withCredentials).then((timed) => ({
				...timed,
				name: `${name}, with credentials`,
			})),
		]);
		results.push(...(await Promise.all(runs)));
	}, 3 * DEFAULT_DEADLINE_MS);

	afterAll(async () => {
		await Promise.all(results.map(async ({ server }) => await server.close()));
	});

	it('aborts every stalling server within 10 s + 250 ms', () => {
		expect(results).toHaveLength(10);
		for (const { name, outcome, elapsedMs } of results) {
			expect({ name, kind: outcome.kind }).toEqual({ name, kind: 'timeout' });
			expect(elapsedMs).toBeGreaterThanOrEqual(DEFAULT_DEADLINE_MS - 5);
			expect({ name, withinGrace: elapsedMs < DEFAULT_DEADLINE_MS + GRACE_MS }).toEqual({
				name,
				withinGrace: true,
			});
		}
	});

	it('says which host, after how long, and that the request was not retried', () => {
		for (const { outcome, server } of results) {
			expect(outcome).toMatchObject({
				kind: 'timeout',
				host: `127.0.0.1:${server.port}`,
				deadlineMs: DEFAULT_DEADLINE_MS,
				retried: false,
			});
			expect((outcome as { message: string }).message).toBe(
				`127.0.0.1:${server.port} did not answer completely within 10000 ms; ` +
					'the request was aborted and not retried',
			);
		}
	});

	it('closes the connection at the deadline and sends once', async () => {
		const requestsOf = ({ name }: Timed) => (name.startsWith('redirects') ? 2 : 1);
		await socketsClosed(results, requestsOf);

		for (const timed of results) {
			const { name, server, startedAt } = timed;
			expect({ name, requests: server.received.length }).toEqual({
				name,
				requests: requestsOf(timed),
			});
			const closedInTime = server.closedSocketsAt.filter(
				(closedAt) => closedAt - startedAt < DEFAULT_DEADLINE_MS + GRACE_MS,
			);
			expect({ name, closedInTime: closedInTime.length }).toEqual({
				name,
				closedInTime: requestsOf(timed),
			});
		}
	});
});
