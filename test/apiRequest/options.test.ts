import type { IncomingMessage, ServerResponse } from 'node:http';

import type { INodeParameters } from 'n8n-workflow';

import { callData } from '../fixtures/callData';
import { apiRequestError, runApiRequest } from '../support/apiRequest';
import { startServer, type LoopbackServer } from '../support/servers';

type Route = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;
const routes = new Map<string, Route>();
let server: LoopbackServer;

beforeAll(async () => {
	server = await startServer((request, response, body) => {
		const route = routes.get(new URL(request.url ?? '/', 'http://x').pathname);
		if (route) return route(request, response, body);
		response.writeHead(200, { 'content-type': 'application/json', 'x-answer': 'yes' });
		response.end('{"ok": true}');
	});
	routes.set('/hang', () => undefined);
	routes.set('/status/500', (_request, response) => {
		response.writeHead(500, { 'content-type': 'application/json' });
		response.end('{"error": "database down"}');
	});
	routes.set('/redirect', (_request, response) => {
		response.writeHead(302, { location: '/landed' });
		response.end();
	});
	routes.set('/loop', (_request, response) => {
		response.writeHead(302, { location: '/loop' });
		response.end();
	});
	routes.set('/big', (_request, response) => response.end('x'.repeat(5_000)));
	routes.set('/text', (_request, response) => {
		response.writeHead(200, { 'content-type': 'text/plain' });
		response.end('{"looks": "like json"}');
	});
});
afterAll(async () => await server.close());
beforeEach(() => server.received.splice(0));

const post = (
	path: string,
	options: INodeParameters = {},
	body = '{"name": "{{name}}"}',
): INodeParameters => ({
	method: 'POST',
	url: server.url(path),
	body,
	options,
});

describe('Nova API Request options', () => {
	it('Timeout aborts at the deadline and says so, not retried', async () => {
		const startedAt = performance.now();
		const error = await apiRequestError({ parameters: post('/hang', { timeoutMs: 300 }) });

		expect(performance.now() - startedAt).toBeLessThan(3_000);
		expect(error.message).toBe(
			`127.0.0.1:${server.port} did not answer completely within 300 ms; ` +
				'the request was aborted and not retried',
		);
		expect(error.description).toMatch(/Nova's own request would have failed the same way/);
		expect(server.received).toHaveLength(1);
	});

	it('Never Error passes a 5xx on as sent', async () => {
		const { sent } = await runApiRequest({ parameters: post('/status/500', { neverError: true }) });

		expect(sent[0].json).toMatchObject({ status: 500, body: { error: 'database down' } });
	});

	it('without Never Error a 5xx fails with the status and an excerpt of the body', async () => {
		const error = await apiRequestError({ parameters: post('/status/500') });

		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toBe(`127.0.0.1:${server.port} answered 500 Internal Server Error`);
		expect(error.description).toContain('{"error":"database down"}');
		expect(error.httpCode).toBe('500');
	});

	it('Include Response Headers adds them to the item', async () => {
		const { sent: without } = await runApiRequest({ parameters: post('/') });
		const { sent } = await runApiRequest({
			parameters: post('/', { includeResponseHeaders: true }),
		});

		expect(without[0].json.headers).toBeUndefined();
		expect(sent[0].json.headers).toMatchObject({ 'x-answer': 'yes' });
	});

	it.each([
		['auto', '/text', '{"looks": "like json"}'],
		['text', '/', '{"ok": true}'],
		['json', '/text', { looks: 'like json' }],
	])('Response Format %s reads %s as %j', async (responseFormat, path, expected) => {
		const { sent } = await runApiRequest({ parameters: post(path, { responseFormat }) });

		expect(sent[0].json.body).toEqual(expected);
	});

	it('Response Format JSON fails on a body that is not JSON', async () => {
		routes.set('/html', (_request, response) => response.end('<html>oops</html>'));

		const error = await apiRequestError({ parameters: post('/html', { responseFormat: 'json' }) });

		expect(error.message).toMatch(/answered with a body that is not JSON/);
		expect(error.description).toContain('<html>oops</html>');
	});

	it('Follow Redirects follows by default and reports the final URL', async () => {
		routes.set('/landed', (_request, response) => response.end('here'));

		const { sent } = await runApiRequest({ parameters: post('/redirect') });

		expect(sent[0].json).toMatchObject({ status: 200, body: 'here', redirects: 1 });
		expect(sent[0].json.finalUrl).toBe(server.url('/landed'));
	});

	it('Follow Redirects off returns the 3xx itself', async () => {
		const { sent } = await runApiRequest({
			parameters: post('/redirect', { followRedirects: false }),
		});

		expect(sent[0].json.status).toBe(302);
		expect(server.received).toHaveLength(1);
	});

	it('Max Redirects stops a loop', async () => {
		const error = await apiRequestError({ parameters: post('/loop', { maxRedirects: 2 }) });

		expect(error.message).toMatch(/Stopped after 2 redirects/);
		expect(server.received).toHaveLength(3);
	});

	it('Maximum Response Size cuts off a larger body', async () => {
		const error = await apiRequestError({ parameters: post('/big', { maxResponseMb: 0.001 }) });

		expect(error.message).toMatch(/larger than the 1049-byte limit/);
		expect(error.description).toMatch(/Maximum Response Size/);
	});

	it.each([
		['empty', { who: '' }],
		['keep', { who: '{{nickname}}' }],
	])('Missing Variables %s renders an absent variable as %j', async (missingVariables, body) => {
		await runApiRequest({
			parameters: post('/', { missingVariables }, '{"who": "{{nickname}}"}'),
			items: [callData()],
		});

		expect(JSON.parse(server.received[0].body.toString())).toEqual(body);
	});

	it('Missing Variables Fail names every missing variable and sends nothing', async () => {
		const error = await apiRequestError({
			parameters: post('/', { missingVariables: 'error' }, '{"a": "{{nickname}}", "b": "{{vip}}"}'),
			items: [callData()],
		});

		expect(error.message).toBe('No value for {{nickname}}, {{vip}} in the body');
		expect(server.received).toHaveLength(0);
	});

	it('Keep Value Types keeps numbers and objects that fill a whole string', async () => {
		const body = '{"amount": "{{amount}}", "customer": "{{customer}}", "label": "#{{amount}}"}';
		const items = [callData({ amount: 42.5, customer: { id: 7, vip: true } })];

		await runApiRequest({ parameters: post('/', {}, body), items });
		await runApiRequest({ parameters: post('/', { keepValueTypes: true }, body), items });

		const [plain, typed] = server.received.map((request) => JSON.parse(request.body.toString()));
		expect(plain).toEqual({ amount: '42.5', customer: '{"id":7,"vip":true}', label: '#42.5' });
		expect(typed).toEqual({ amount: 42.5, customer: { id: 7, vip: true }, label: '#42.5' });
	});

	it('Dry Run renders the exact request without sending it', async () => {
		const { sent } = await runApiRequest({
			parameters: {
				...post('/calls?c={{caller_number}}', { dryRun: true }),
				headers: { header: [{ name: 'X-Line', value: '{{callee_number}}' }] },
			},
			items: [callData({ caller_number: '+49 30 1234' })],
		});

		expect(server.received).toHaveLength(0);
		expect(sent[0].json).toEqual({
			dryRun: true,
			request: {
				method: 'POST',
				url: server.url('/calls?c=%2B49%2030%201234'),
				headers: { 'X-Line': '+14155550100', 'Content-Type': 'application/json' },
				body: '{"name": "Ana Souza"}',
				authentication: 'none',
			},
		});
	});

	it('Concurrency bounds the requests in flight and keeps the input order', async () => {
		let inFlight = 0;
		let mostInFlight = 0;
		routes.set('/slow', (request, response) => {
			inFlight++;
			mostInFlight = Math.max(mostInFlight, inFlight);
			const delayMs =
				20 + (Number(new URL(request.url ?? '', 'http://x').searchParams.get('n')) % 3) * 15;
			setTimeout(() => {
				inFlight--;
				response.end(new URL(request.url ?? '', 'http://x').searchParams.get('n') ?? '');
			}, delayMs);
		});
		const items = Array.from({ length: 12 }, (_, n) => callData({ n }));

		const { sent } = await runApiRequest({
			parameters: { method: 'GET', url: server.url('/slow?n={{n}}'), options: { concurrency: 3 } },
			items,
		});

		expect(mostInFlight).toBe(3);
		expect(sent.map((item) => item.json.body)).toEqual(items.map((item) => String(item.n)));
		expect(sent.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	});
});
