import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { credentialProblem } from '../../nodes/NovaApiRequest/credentialCheck';
import { callData } from '../fixtures/callData';
import { apiRequestError, runApiRequest } from '../support/apiRequest';
import { startServer, type LoopbackServer } from '../support/servers';

const SECRET = 'sk-live-7f3a9c1e5b';
const BASIC = { scheme: 'basic', user: 'nova-bot', password: SECRET };

const SCHEMES: Array<[string, ICredentialDataDecryptedObject]> = [
	['bearer', { scheme: 'bearer', token: SECRET }],
	['header', { scheme: 'header', headerName: 'X-Api-Key', headerSecret: SECRET }],
	['basic', BASIC],
	['query', { scheme: 'query', queryName: 'api_key', querySecret: SECRET }],
];

let echo: LoopbackServer;
beforeAll(async () => {
	// Echoes everything it got, as some APIs (and every debugging endpoint) do.
	echo = await startServer((request, response, body) => {
		if (request.url?.startsWith('/hang')) return;
		const status = request.url?.startsWith('/fail') ? 401 : 200;
		response.writeHead(status, { 'content-type': 'application/json', 'set-cookie': `s=${SECRET}` });
		response.end(
			JSON.stringify({ url: request.url, headers: request.headers, body: String(body) }),
		);
	});
});
afterAll(async () => await echo.close());
beforeEach(() => echo.received.splice(0));

function credentialRun(credential: ICredentialDataDecryptedObject, path: string, options = {}) {
	return {
		parameters: {
			authentication: 'credential',
			method: 'POST',
			url: echo.url(path),
			body: '{"summary": "{{summary}}"}',
			options: { includeResponseHeaders: true, ...options },
		},
		items: [callData()],
		credentials: { novaRequestAuthApi: credential },
	};
}

describe('Nova API Request authentication', () => {
	it.each(SCHEMES)('adds a %s credential to the request', async (_scheme, credential) => {
		await runApiRequest(credentialRun(credential, '/calls'));

		const [request] = echo.received;
		const basic = `Basic ${Buffer.from(`nova-bot:${SECRET}`).toString('base64')}`;
		const expected: Record<string, () => void> = {
			bearer: () => expect(request.headers.authorization).toBe(`Bearer ${SECRET}`),
			header: () => expect(request.headers['x-api-key']).toBe(SECRET),
			basic: () => expect(request.headers.authorization).toBe(basic),
			query: () => expect(request.url).toBe(`/calls?api_key=${SECRET}`),
		};
		expected[String(credential.scheme)]();
	});

	it.each(SCHEMES)(
		'puts no %s secret in the output, even when echoed',
		async (scheme, credential) => {
			const { sent } = await runApiRequest(credentialRun(credential, '/calls'));

			const output = JSON.stringify(sent);
			expect(output).not.toContain(SECRET);
			expect(output).not.toContain(Buffer.from(`nova-bot:${SECRET}`).toString('base64'));
			expect(sent[0].json.request).toMatchObject({ authentication: scheme });
		},
	);

	it.each(SCHEMES)('puts no %s secret in the error of a failed request', async (_s, credential) => {
		const error = await apiRequestError(credentialRun(credential, '/fail'));

		const everything = JSON.stringify({ ...error, message: error.message });
		expect(error.message).toMatch(/answered 401/);
		expect(everything).not.toContain(SECRET);
	});

	it('redacts a secret typed into a header, in the record and in the echoed response', async () => {
		const { sent } = await runApiRequest({
			parameters: {
				method: 'GET',
				url: echo.url('/typed'),
				headers: { header: [{ name: 'Authorization', value: `Bearer ${SECRET}` }] },
				options: { includeResponseHeaders: true },
			},
		});

		expect(echo.received[0].headers.authorization).toBe(`Bearer ${SECRET}`);
		expect(JSON.stringify(sent)).not.toContain(SECRET);
		expect(sent[0].json.request).toMatchObject({ headers: { Authorization: '[redacted]' } });
	});

	it.each([
		['without a credential', undefined],
		['with a credential', SCHEMES[0][1]],
	])('holds the timeout %s', async (_label, credential) => {
		const run = credential
			? credentialRun(credential, '/hang', { timeoutMs: 400 })
			: { parameters: { method: 'GET', url: echo.url('/hang'), options: { timeoutMs: 400 } } };
		const startedAt = performance.now();

		const error = await apiRequestError(run);

		expect(performance.now() - startedAt).toBeLessThan(400 + 1_000);
		expect(error.message).toBe(
			`127.0.0.1:${echo.port} did not answer completely within 400 ms; ` +
				'the request was aborted and not retried',
		);
	});

	it('ends the request when the execution is cancelled', async () => {
		const execution = new AbortController();
		setTimeout(() => execution.abort(), 150);

		const error = await apiRequestError({
			parameters: { method: 'GET', url: echo.url('/hang') },
			cancelSignal: execution.signal,
		});

		expect(error.message).toMatch(/stopped because the workflow execution was cancelled/);
	});
});

describe('credentialProblem', () => {
	it.each([
		[{ scheme: 'bearer', token: 'abc' }, undefined],
		[{ scheme: 'bearer', token: '  ' }, 'Enter a Token'],
		[
			{ scheme: 'header', headerName: 'X Key', headerSecret: 'v' },
			'The Header Name may hold only letters, digits and -, such as X-API-Key',
		],
		[
			{ scheme: 'header', headerName: 'X-Key', headerSecret: 'a\nb' },
			'The Header Value must be on one line',
		],
		[{ scheme: 'basic', user: 'u' }, 'Enter a Password'],
		[{ scheme: 'query', queryName: 'k', querySecret: 'v' }, undefined],
		[{ scheme: 'nonsense' }, 'Choose a Type for the credential'],
	])('judges %j as %j', (data, problem) => {
		expect(credentialProblem(data)).toBe(problem);
	});
});
