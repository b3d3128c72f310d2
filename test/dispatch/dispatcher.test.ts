import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import {
	dispatch,
	InvalidUrlError,
	type DispatchOptions,
	type DispatchOutcome,
	type DispatchRequest,
} from '../../shared/dispatch';
import { dispatchProbeNode } from '../support/dispatchProbeNode';
import { runNode } from '../support/n8nHarness';
import { startServer, type LoopbackServer } from '../support/servers';

// n8n's own request helper: the very function `this.helpers.httpRequest` is in a node.
const n8nTransport = { send: httpRequest };

const servers: LoopbackServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

async function server(handler: Parameters<typeof startServer>[0]): Promise<LoopbackServer> {
	const started = await startServer(handler);
	servers.push(started);
	return started;
}

async function send(request: DispatchRequest, options?: DispatchOptions) {
	return await dispatch(request, n8nTransport, options);
}

function expectKind<K extends DispatchOutcome['kind']>(
	outcome: DispatchOutcome,
	kind: K,
): Extract<DispatchOutcome, { kind: K }> {
	expect(outcome.kind).toBe(kind);
	return outcome as Extract<DispatchOutcome, { kind: K }>;
}

describe('dispatch', () => {
	it('returns status, headers, duration and a parsed JSON body', async () => {
		const target = await server((_request, response) => {
			response.writeHead(201, { 'content-type': 'application/json', 'x-trace': 'abc' });
			response.end('{"id": 7, "ok": true}');
		});

		const outcome = expectKind(
			await send({ method: 'POST', url: target.url('/calls') }),
			'response',
		);

		expect(outcome).toMatchObject({
			status: 201,
			statusText: 'Created',
			body: { id: 7, ok: true },
		});
		expect(outcome.headers['x-trace']).toBe('abc');
		expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
		expect(outcome.url).toBe(target.url('/calls'));
	});

	it('sends the method, headers and body byte for byte', async () => {
		const target = await server((_request, response) => response.end());
		const body = '{"summary": "Grüße \\"quoted\\" \\n 😀"}';

		for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
			const withBody = method === 'GET' ? undefined : body;
			await send({ method, url: target.url(), headers: { 'X-Nova': 'yes' }, body: withBody });
		}

		expect(target.received.map((request) => request.method)).toEqual([
			'GET',
			'POST',
			'PUT',
			'PATCH',
			'DELETE',
		]);
		for (const request of target.received.slice(1)) {
			expect(request.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
			expect(request.headers['x-nova']).toBe('yes');
		}
	});

	it.each([
		['auto', 'application/json', '{"a":1}', { a: 1 }],
		['auto', 'application/problem+json', '{"a":1}', { a: 1 }],
		['auto', 'text/plain', '{"a":1}', '{"a":1}'],
		['auto', 'application/json', 'not json', 'not json'],
		['json', 'text/plain', '[1,2]', [1, 2]],
		['text', 'application/json', '{"a":1}', '{"a":1}'],
		['auto', 'application/json', '', ''],
	] as const)('reads a %s response of type %s', async (format, type, text, expected) => {
		const target = await server((_request, response) => {
			response.writeHead(200, { 'content-type': type });
			response.end(text);
		});

		const outcome = await send({ method: 'GET', url: target.url() }, { responseFormat: format });

		expect(expectKind(outcome, 'response').body).toEqual(expected);
	});

	it('reports a body that is not JSON when JSON was asked for', async () => {
		const target = await server((_request, response) => response.end('<html>'));

		const outcome = await send({ method: 'GET', url: target.url() }, { responseFormat: 'json' });

		const response = expectKind(outcome, 'response');
		expect(response.body).toBe('<html>');
		expect(response.parseError).toMatch(/JSON/);
	});

	it('returns a 5xx as a response and does not retry it', async () => {
		const target = await server((_request, response) => {
			response.writeHead(503, { 'content-type': 'application/json' });
			response.end('{"error": "maintenance"}');
		});

		const outcome = await send({ method: 'POST', url: target.url(), body: '{}' });

		expect(expectKind(outcome, 'response')).toMatchObject({
			status: 503,
			body: { error: 'maintenance' },
		});
		expect(target.received).toHaveLength(1);
	});

	it('reports a connection reset as a network error, sent once', async () => {
		const target = await server((request) => request.socket.resetAndDestroy());

		const outcome = expectKind(await send({ method: 'POST', url: target.url() }), 'networkError');

		expect(outcome.code).toBe('ECONNRESET');
		expect(outcome.host).toBe(`127.0.0.1:${target.port}`);
		expect(target.received).toHaveLength(1);
	});

	it('reports a refused connection as a network error', async () => {
		const target = await server(() => undefined);
		const url = target.url();
		await target.close();
		servers.pop();

		const outcome = expectKind(await send({ method: 'GET', url }), 'networkError');

		expect(outcome.code).toBe('ECONNREFUSED');
	});

	it('refuses URLs that are not http or https before sending anything', async () => {
		await expect(send({ method: 'GET', url: 'ftp://example.com/x' })).rejects.toThrow(
			InvalidUrlError,
		);
		await expect(send({ method: 'GET', url: 'no url' })).rejects.toThrow(/not a valid URL/);
	});
});

describe('dispatch with redirects', () => {
	it('follows a 302 from POST as a GET without the body', async () => {
		const target = await server((request, response) => {
			if (request.url === '/old') response.writeHead(302, { location: '/new' });
			response.end(request.url === '/new' ? 'arrived' : '');
		});

		const outcome = await send({
			method: 'POST',
			url: target.url('/old'),
			headers: { 'content-type': 'application/json' },
			body: '{"a":1}',
		});

		expect(expectKind(outcome, 'response')).toMatchObject({ body: 'arrived', redirects: 1 });
		const [, followed] = target.received;
		expect(followed).toMatchObject({ method: 'GET', url: '/new' });
		expect(followed.body).toHaveLength(0);
		expect(followed.headers['content-type']).toBeUndefined();
	});

	it('keeps the method and body across a 307', async () => {
		const target = await server((request, response) => {
			if (request.url === '/old') response.writeHead(307, { location: '/new' });
			response.end();
		});

		await send({ method: 'PUT', url: target.url('/old'), body: '{"a":1}' });

		expect(target.received[1]).toMatchObject({ method: 'PUT', url: '/new' });
		expect(target.received[1].body.toString()).toBe('{"a":1}');
	});

	it('stops a redirect loop at the redirect limit', async () => {
		const target = await server((_request, response) => {
			response.writeHead(302, { location: '/again' });
			response.end();
		});

		const outcome = await send({ method: 'GET', url: target.url() }, { maxRedirects: 3 });

		expect(expectKind(outcome, 'networkError').code).toBe('ERR_TOO_MANY_REDIRECTS');
		expect(target.received).toHaveLength(4);
	});

	it('returns the 3xx itself when redirects are off', async () => {
		const target = await server((_request, response) => {
			response.writeHead(301, { location: '/elsewhere' });
			response.end();
		});

		const outcome = await send({ method: 'GET', url: target.url() }, { maxRedirects: 0 });

		expect(expectKind(outcome, 'response')).toMatchObject({ status: 301, redirects: 0 });
		expect(target.received).toHaveLength(1);
	});

	it('does not follow a redirect to a scheme other than http or https', async () => {
		const target = await server((_request, response) => {
			response.writeHead(302, { location: 'file:///etc/passwd' });
			response.end();
		});

		const outcome = await send({ method: 'GET', url: target.url() });

		expect(expectKind(outcome, 'networkError').code).toBe('ERR_UNSUPPORTED_REDIRECT');
	});

	it('sends no credentials to another origin after a redirect', async () => {
		const elsewhere = await server((_request, response) => response.end('elsewhere'));
		const origin = await server((request, response) => {
			if (request.url === '/jump') response.writeHead(302, { location: elsewhere.url('/land') });
			response.end('origin');
		});
		const request: DispatchRequest = {
			method: 'GET',
			url: origin.url('/jump'),
			headers: { Cookie: 'session=1', 'X-Keep': 'kept' },
		};
		const probe = dispatchProbeNode('httpHeaderAuth', request);

		const [[item]] = await runNode({
			nodeType: probe,
			credentials: { httpHeaderAuth: { name: 'Authorization', value: 'Bearer top-secret' } },
		});

		expect(item.json).toMatchObject({ kind: 'response', body: 'elsewhere', redirects: 1 });
		expect(origin.received[0].headers.authorization).toBe('Bearer top-secret');
		expect(origin.received[0].headers.cookie).toBe('session=1');
		const landed = elsewhere.received[0].headers;
		expect(landed.authorization).toBeUndefined();
		expect(landed.cookie).toBeUndefined();
		expect(landed['x-keep']).toBe('kept');
	});

	it('keeps credentials on a redirect within the same origin', async () => {
		const target = await server((request, response) => {
			if (request.url === '/jump') response.writeHead(307, { location: '/land' });
			response.end();
		});
		const probe = dispatchProbeNode('httpBearerAuth', { method: 'GET', url: target.url('/jump') });

		await runNode({ nodeType: probe, credentials: { httpBearerAuth: { token: 'same-origin' } } });

		expect(target.received.map((request) => request.headers.authorization)).toEqual([
			'Bearer same-origin',
			'Bearer same-origin',
		]);
	});
});

describe('dispatch size limit', () => {
	const maxResponseBytes = 64 * 1024;

	it('aborts a declared body over the cap without reading it', async () => {
		const target = await server((_request, response) => {
			response.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
			response.write(Buffer.alloc(1024));
		});

		const outcome = await send({ method: 'GET', url: target.url() }, { maxResponseBytes });

		expect(expectKind(outcome, 'tooLarge')).toMatchObject({ maxResponseBytes, status: 200 });
	});

	it('aborts a chunked body once it passes the cap', async () => {
		let sentBytes = 0;
		const target = await server((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/octet-stream' });
			const chunk = Buffer.alloc(16 * 1024, 120);
			target.every(1, () => {
				if (!response.destroyed) sentBytes += response.write(chunk) ? chunk.length : 0;
			});
		});

		const outcome = await send({ method: 'GET', url: target.url() }, { maxResponseBytes });

		expect(expectKind(outcome, 'tooLarge').message).toContain(`${maxResponseBytes}-byte limit`);
		expect(sentBytes).toBeLessThan(50 * 1024 * 1024);
	});

	it('reads a body exactly at the cap', async () => {
		const target = await server((_request, response) => response.end(Buffer.alloc(1000, 97)));

		const outcome = await send({ method: 'GET', url: target.url() }, { maxResponseBytes: 1000 });

		expect(expectKind(outcome, 'response').body).toBe('a'.repeat(1000));
	});
});

describe('dispatch cancellation', () => {
	it('ends the request when the execution is cancelled', async () => {
		const target = await server(() => undefined);
		const execution = new AbortController();
		const cancelAfterMs = 200;

		const pending = send({ method: 'GET', url: target.url() }, { cancelSignal: execution.signal });
		await new Promise((resolve) => setTimeout(resolve, cancelAfterMs));
		execution.abort();
		const outcome = expectKind(await pending, 'cancelled');

		expect(outcome.message).toMatch(/cancelled/);
		expect(outcome.durationMs).toBeLessThan(5_000);
	});
});
