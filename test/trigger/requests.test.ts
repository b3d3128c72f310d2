import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { NovaPostCallTrigger } from '../../nodes/NovaPostCallTrigger/NovaPostCallTrigger.node';
import samplePayload from '../../nodes/NovaPostCallTrigger/samplePayload.json';
import { STANDARD_CALL_VARIABLE_NAMES } from '../../shared/callVariables';
import { callData, withoutVariables } from '../fixtures/callData';
import {
	startEndpoint,
	type EndpointOptions,
	type OutgoingRequest,
	type TriggerEndpoint,
} from '../support/webhookHarness';

const SECRET = 'request-suite-secret-5Vb8Nq1Wc4';
const AUTH = { Authorization: `Bearer ${SECRET}` };
const JSON_TYPE = { ...AUTH, 'Content-Type': 'application/json' };
const FORM_TYPE = { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' };

const endpoints: TriggerEndpoint[] = [];
afterEach(async () => {
	await Promise.all(endpoints.splice(0).map(async (endpoint) => await endpoint.close()));
});

async function open(
	parameters: INodeParameters = {},
	extra: Partial<EndpointOptions> = {},
): Promise<TriggerEndpoint> {
	const endpoint = await startEndpoint({
		nodeType: new NovaPostCallTrigger(),
		parameters,
		credentials: {
			novaWebhookSecretApi: { headerName: 'Authorization', format: 'bearer', secret: SECRET },
		},
		...extra,
	});
	endpoints.push(endpoint);
	return endpoint;
}

/** Sends one request and returns the only item of the only execution it started. */
async function itemFor(request: OutgoingRequest, parameters: INodeParameters = {}) {
	const endpoint = await open(parameters);
	const answer = await endpoint.send(request);
	expect(answer.status).toBe(200);
	expect(endpoint.executions).toHaveLength(1);
	const [[items]] = endpoint.executions;
	expect(items).toHaveLength(1);
	return (items[0] as INodeExecutionData).json;
}

const oneKilobyteSummary = 'x'.repeat(1024);

/** A call whose objects nest `levels` deep, the call itself being the first level. */
function nestedCall(levels: number): string {
	const opening = '{"next": '.repeat(levels - 1);
	return `{"name": "Ana", "next": ${opening}"bottom"${'}'.repeat(levels - 1)}}`;
}

/** A JSON call whose name holds a byte that cannot start a UTF-8 character. */
const NOT_UTF8 = Buffer.concat([
	Buffer.from('{"name": "Jos'),
	Buffer.from([0xe9]),
	Buffer.from('"}'),
]);

describe('NovaPostCallTrigger refuses bad input', () => {
	it.each<{ input: string; request: OutgoingRequest; status: number; error: string }>([
		{
			input: 'text that is not JSON, sent as text/plain',
			request: { headers: { ...AUTH, 'Content-Type': 'text/plain' }, body: '{"name": {{name}}}' },
			status: 400,
			error: 'invalid_json',
		},
		{
			input: 'text that is not JSON, without a content type',
			request: { headers: AUTH, body: Buffer.from('name=Ana') },
			status: 400,
			error: 'invalid_json',
		},
		{
			input: 'text that is not JSON, sent as a JSON type n8n does not parse',
			request: { headers: { ...AUTH, 'Content-Type': 'application/vnd.api+json' }, body: '{' },
			status: 400,
			error: 'invalid_json',
		},
		{
			input: 'a JSON array',
			request: { headers: JSON_TYPE, body: '[{"name": "Ana"}]' },
			status: 400,
			error: 'body_not_object',
		},
		{
			input: 'a JSON string',
			request: { headers: JSON_TYPE, body: '"Ana"' },
			status: 400,
			error: 'body_not_object',
		},
		{
			input: 'a JSON number',
			request: { headers: JSON_TYPE, body: '42' },
			status: 400,
			error: 'body_not_object',
		},
		{
			input: 'JSON null',
			request: { headers: JSON_TYPE, body: 'null' },
			status: 400,
			error: 'body_not_object',
		},
		{
			input: 'a JSON array as text/plain',
			request: { headers: { ...AUTH, 'Content-Type': 'text/plain' }, body: '[]' },
			status: 400,
			error: 'body_not_object',
		},
		{
			input: 'an empty body',
			request: { headers: JSON_TYPE },
			status: 400,
			error: 'no_variables',
		},
		{
			input: 'an empty JSON object',
			request: { headers: JSON_TYPE, body: '{}' },
			status: 400,
			error: 'no_variables',
		},
		{
			input: 'an empty form',
			request: { headers: FORM_TYPE, body: '' },
			status: 400,
			error: 'no_variables',
		},
		{
			input: 'objects nested 129 levels deep',
			request: { headers: JSON_TYPE, body: nestedCall(129) },
			status: 400,
			error: 'body_too_deep',
		},
		{
			input: 'lists nested 100,000 levels deep',
			request: {
				headers: JSON_TYPE,
				body: `{"name": "Ana", "next": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
			},
			status: 400,
			error: 'body_too_deep',
		},
		{
			input: 'JSON with a byte that is not UTF-8',
			request: { headers: JSON_TYPE, body: NOT_UTF8 },
			status: 400,
			error: 'invalid_utf8',
		},
		{
			input: 'text with a byte that is not UTF-8, declared as UTF-8',
			request: {
				headers: { ...AUTH, 'Content-Type': 'text/plain; charset=UTF-8' },
				body: NOT_UTF8,
			},
			status: 400,
			error: 'invalid_utf8',
		},
		{
			input: 'XML',
			request: {
				headers: { ...AUTH, 'Content-Type': 'application/xml' },
				body: '<name>Ana</name>',
			},
			status: 415,
			error: 'unsupported_content_type',
		},
		{
			input: 'a body over the default 1024 KB',
			request: {
				headers: JSON_TYPE,
				body: JSON.stringify(callData({ summary: oneKilobyteSummary.repeat(1025) })),
			},
			status: 413,
			error: 'body_too_large',
		},
	])('answers $input with $status and starts nothing', async ({ request, status, error }) => {
		const endpoint = await open();

		const answer = await endpoint.send(request);

		expect(answer.status).toBe(status);
		expect(answer.json).toEqual({ error, message: expect.any(String) });
		expect(endpoint.executions).toHaveLength(0);
		expect(endpoint.handled[0].result).toEqual({ noWebhookResponse: true });
	});

	it('accepts objects nested exactly 128 levels deep, keeping the innermost value', async () => {
		const item = await itemFor({ headers: JSON_TYPE, body: nestedCall(128) });

		let innermost: unknown = item.next;
		for (let level = 2; level < 128; level++) innermost = (innermost as { next: unknown }).next;
		expect(innermost).toEqual({ next: 'bottom' });
	});

	it('accepts any character sent as valid UTF-8, exactly as sent', async () => {
		const name = 'José Ñoño 名前 😀 \u2028';

		const item = await itemFor({
			headers: JSON_TYPE,
			body: Buffer.from(JSON.stringify(callData({ name })), 'utf8'),
		});

		expect(item.name).toBe(name);
	});

	it('refuses a body over the configured Max Body Size', async () => {
		const endpoint = await open({ options: { maxBodySizeKb: 2 } });
		const small = JSON.stringify(callData({ summary: oneKilobyteSummary }));
		const large = JSON.stringify(callData({ summary: oneKilobyteSummary.repeat(2) }));

		const accepted = await endpoint.send({ headers: JSON_TYPE, body: small });
		const refused = await endpoint.send({ headers: JSON_TYPE, body: large });

		expect([accepted.status, refused.status]).toEqual([200, 413]);
		expect(refused.json).toEqual({
			error: 'body_too_large',
			message: 'The body has 3 KB; at most 2 KB are accepted',
		});
		expect(endpoint.executions).toHaveLength(1);
	});

	it('never sees invalid JSON sent as application/json: n8n refuses it with 422 first', async () => {
		const endpoint = await open();

		const answer = await endpoint.send({ headers: JSON_TYPE, body: '{"name": "Ana",}' });

		expect(answer.status).toBe(422);
		expect(endpoint.handled).toEqual([expect.objectContaining({ refusedByN8n: true })]);
		expect(endpoint.executions).toHaveLength(0);
	});

	it('refuses a multipart form that carries files', async () => {
		const multipartBody = { data: { name: 'Ana' }, files: { recording: { size: 1 } } };
		const endpoint = await open({}, { multipartBody });

		const answer = await endpoint.send({
			headers: { ...AUTH, 'Content-Type': 'multipart/form-data; boundary=x' },
			body: '--x--',
		});

		expect(answer.status).toBe(415);
		expect(endpoint.executions).toHaveLength(0);
	});
});

describe('NovaPostCallTrigger reads call variables', () => {
	it('turns the sample payload into one item with every variable, types and nesting kept', async () => {
		const json = await itemFor({ headers: JSON_TYPE, body: JSON.stringify(samplePayload) });

		const { nova, ...variables } = json;
		expect(variables).toEqual(samplePayload);
		expect(Object.keys(variables).slice(0, 8)).toEqual(STANDARD_CALL_VARIABLE_NAMES);
		expect(nova).toEqual({
			receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
			method: 'POST',
			source: 'json',
			authenticatedWith: 'secret',
		});
	});

	it('sets every standard variable Nova did not send to null', async () => {
		const sent = withoutVariables(callData({ ticket: 7 }), 'email', 'appointment_date', 'summary');

		const json = await itemFor({ headers: JSON_TYPE, body: JSON.stringify(sent) });

		expect(json).toMatchObject({ email: null, appointment_date: null, summary: null, ticket: 7 });
		expect(json.name).toBe('Ana Souza');
	});

	it('reads a form body, with a repeated field as a list', async () => {
		const form = 'name=Ana+Souza&caller_number=%2B5511912345678&topic=a&topic=b';

		const json = await itemFor({ headers: FORM_TYPE, body: form });

		expect(json).toMatchObject({
			name: 'Ana Souza',
			caller_number: '+5511912345678',
			topic: ['a', 'b'],
			email: null,
		});
		expect(json.nova).toMatchObject({ source: 'form' });
	});

	it('reads the fields of a multipart form without files', async () => {
		const multipartBody = { data: { name: 'Ana', reason: 'Billing' }, files: {} };
		const endpoint = await open({}, { multipartBody });

		await endpoint.send({
			headers: { ...AUTH, 'Content-Type': 'multipart/form-data; boundary=x' },
			body: '--x--',
		});

		const [[[item]]] = endpoint.executions;
		expect(item.json).toMatchObject({ name: 'Ana', reason: 'Billing', nova: { source: 'form' } });
	});

	it('reads the query string of a GET request, nested fields included', async () => {
		const query = '?caller_number=%2B5511912345678&reason=Billing&address[city]=Recife';

		const json = await itemFor({ method: 'GET', query, headers: AUTH }, { httpMethods: ['GET'] });

		expect(json).toMatchObject({
			caller_number: '+5511912345678',
			reason: 'Billing',
			address: { city: 'Recife' },
			name: null,
			nova: { method: 'GET', source: 'query' },
		});
	});

	it('merges query and body, the body winning where both name a variable', async () => {
		const body = JSON.stringify({ name: 'From body', reason: 'Billing' });

		const json = await itemFor({
			query: '?name=From+query&campaign=spring',
			headers: JSON_TYPE,
			body,
		});

		expect(json).toMatchObject({ name: 'From body', reason: 'Billing', campaign: 'spring' });
		expect(json.nova).toMatchObject({ source: 'json+query' });
	});

	it.each([
		['text/plain', { 'Content-Type': 'text/plain' }],
		['no content type', {}],
		['a JSON type n8n does not parse', { 'Content-Type': 'application/vnd.nova+json' }],
	])('reads JSON sent as %s, as when Content-Type was forgotten in Nova', async (_c, type) => {
		const json = await itemFor({
			headers: { ...AUTH, ...type },
			body: Buffer.from(JSON.stringify(callData())),
		});

		expect(json).toMatchObject(callData());
	});

	it('keeps variables named like object internals as plain data', async () => {
		const body = '{"__proto__": {"polluted": true}, "constructor": "x", "toString": "y"}';

		const json = await itemFor({ query: '?hasOwnProperty=z', headers: JSON_TYPE, body });

		expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
		expect(Object.getOwnPropertyNames(json)).toEqual(
			expect.arrayContaining(['__proto__', 'constructor', 'toString', 'hasOwnProperty']),
		);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('keeps a variable named nova inside the metadata rather than losing either', async () => {
		const json = await itemFor({ headers: JSON_TYPE, body: '{"name": "Ana", "nova": 1}' });

		expect(json.nova).toMatchObject({ variableNamedNova: 1, source: 'json' });
	});
});

describe('NovaPostCallTrigger methods and answers', () => {
	it('listens to POST only by default', async () => {
		const endpoint = await open();

		const get = await endpoint.send({ method: 'GET', query: '?name=Ana', headers: AUTH });

		expect(endpoint.registeredMethods).toEqual(['POST']);
		expect(get.status).toBe(404);
		expect(endpoint.handled).toHaveLength(0);
	});

	it.each(['DELETE', 'GET', 'PATCH', 'POST', 'PUT'])(
		'accepts %s when it is chosen among several methods',
		async (method) => {
			const endpoint = await open({ httpMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] });

			const answer = await endpoint.send({ method, query: '?name=Ana', headers: AUTH });

			expect(answer.status).toBe(200);
			expect(endpoint.executions[0][0][0].json.nova).toMatchObject({ method });
		},
	);

	it('falls back to POST when no method is chosen', async () => {
		const endpoint = await open({ httpMethods: [] });

		expect(endpoint.registeredMethods).toEqual(['POST']);
	});

	it('has n8n answer an accepted call with a small JSON acknowledgement once it holds the execution', async () => {
		const endpoint = await open();

		const answer = await endpoint.send({ headers: JSON_TYPE, body: JSON.stringify(callData()) });

		expect(answer.status).toBe(200);
		expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(answer.json).toEqual({ received: true, accepted: true });
		expect(answer.text).not.toContain('firstEntryJson');
		expect(endpoint.handled[0].answeredWhenNodeReturned).toBe(false);
		expect(endpoint.handled[0].result).toEqual({
			webhookResponse: { received: true, accepted: true },
			workflowData: [[{ json: expect.objectContaining({ name: callData().name }) }]],
		});
		expect(endpoint.executions).toHaveLength(1);
	});

	it('works the same on the test URL that "Listen for test event" opens', async () => {
		const endpoint = await open({}, { mode: 'manual' });

		const answer = await endpoint.send({ headers: JSON_TYPE, body: JSON.stringify(callData()) });

		expect(endpoint.url()).toContain('/webhook-test/');
		expect(answer.json).toEqual({ received: true, accepted: true });
		expect(endpoint.executions).toHaveLength(1);
	});

	it('serves calls independently, keeping nothing from one call to the next', async () => {
		const endpoint = await open();
		const calls = ['first', 'second', 'third'].map((reason) => JSON.stringify({ reason }));

		await Promise.all(calls.map(async (body) => await endpoint.send({ headers: JSON_TYPE, body })));

		const reasons = endpoint.executions.map((execution) => execution[0][0].json.reason).sort();
		expect(reasons).toEqual(['first', 'second', 'third']);
		expect(endpoint.executions.every((execution) => execution[0][0].json.name === null)).toBe(true);
	});
});
