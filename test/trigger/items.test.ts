import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { NovaPostCallTrigger } from '../../nodes/NovaPostCallTrigger/NovaPostCallTrigger.node';
import { callData, HOSTILE_ROTATIONS, HOSTILE_VALUES, hostileCallData } from '../fixtures/callData';
import {
	startEndpoint,
	type OutgoingRequest,
	type TriggerEndpoint,
} from '../support/webhookHarness';

const SECRET = 'items-suite-secret-Kd82LsQ0pZ7x';
const PREVIOUS_SECRET = 'items-suite-older-Rt51MwE9vC3y';
const AUTH = { Authorization: `Bearer ${SECRET}` };
const JSON_TYPE = { ...AUTH, 'Content-Type': 'application/json' };

const endpoints: TriggerEndpoint[] = [];
afterEach(async () => {
	await Promise.all(endpoints.splice(0).map(async (endpoint) => await endpoint.close()));
});

async function open(parameters: INodeParameters = {}): Promise<TriggerEndpoint> {
	const endpoint = await startEndpoint({
		nodeType: new NovaPostCallTrigger(),
		parameters,
		credentials: {
			novaWebhookSecretApi: {
				headerName: 'Authorization',
				format: 'bearer',
				secret: SECRET,
				previousSecret: PREVIOUS_SECRET,
			},
		},
	});
	endpoints.push(endpoint);
	return endpoint;
}

function postJson(variables: Record<string, unknown>, query = ''): OutgoingRequest {
	return { query, headers: JSON_TYPE, body: JSON.stringify(variables) };
}

async function itemFor(request: OutgoingRequest, parameters: INodeParameters = {}) {
	const endpoint = await open(parameters);
	await endpoint.send(request);
	expect(endpoint.executions).toHaveLength(1);
	return endpoint.executions[0][0][0].json;
}

const ALL_NORMALIZATIONS = {
	options: {
		trimStrings: true,
		normalizePhoneNumbers: true,
		normalizeAppointmentDate: true,
		defaultCountry: 'DE',
	},
};

describe('NovaPostCallTrigger items', () => {
	it.each(HOSTILE_ROTATIONS)('carries hostile values unchanged (rotation %i)', async (rotation) => {
		const sent = hostileCallData(rotation);

		const json = await itemFor(postJson(sent));

		const { nova, ...variables } = json;
		expect(variables).toEqual(sent);
		expect(nova).toMatchObject({ source: 'json' });
	});

	it('leaves every value as received when no normalisation is chosen', async () => {
		const sent = callData({
			name: '  Ana  ',
			phone: '030 1234567',
			appointment_date: '14.03.2025',
		});

		const json = await itemFor(postJson(sent));

		expect(json).toMatchObject(sent);
		expect(json.nova).not.toHaveProperty('original');
		expect(json.nova).not.toHaveProperty('notNormalized');
	});

	it('normalises text, phone numbers and the appointment date, keeping every original', async () => {
		const sent = callData({
			name: '  Ana Souza \n',
			phone: '030 / 123 456-7',
			caller_number: '+49 (0)170 1234567',
			callee_number: '+4989123456',
			appointment_date: '14.03.2025, 15:30 Uhr',
			notes: { line: ' nested ' },
		});

		const json = await itemFor(postJson(sent), ALL_NORMALIZATIONS);

		expect(json).toMatchObject({
			name: 'Ana Souza',
			phone: '+49301234567',
			caller_number: '+491701234567',
			callee_number: '+4989123456',
			appointment_date: '2025-03-14T15:30:00',
			notes: { line: 'nested' },
		});
		expect((json.nova as IDataObject).original).toEqual({
			name: sent.name,
			phone: sent.phone,
			caller_number: sent.caller_number,
			appointment_date: sent.appointment_date,
			notes: sent.notes,
		});
	});

	it('keeps what it cannot normalise as received and says why', async () => {
		const sent = callData({ phone: 'ask for Maria', appointment_date: 'next Tuesday at 3' });

		const json = await itemFor(postJson(sent), ALL_NORMALIZATIONS);

		expect(json).toMatchObject({ phone: sent.phone, appointment_date: sent.appointment_date });
		expect((json.nova as IDataObject).notNormalized).toEqual({
			phone: expect.stringContaining('characters other than digits'),
			appointment_date: 'not a date format this node reads',
		});
	});

	it('never puts a secret in an item, even a header copy or a value that holds it', async () => {
		const endpoint = await open({ options: { includeHeaders: true } });
		const sent = callData({ note: `token ${SECRET}`, [`key-${PREVIOUS_SECRET}`]: 1 });

		await endpoint.send({
			query: `?token=${SECRET}`,
			headers: { ...JSON_TYPE, Cookie: 'n8n-auth=abc', 'X-Echo': SECRET, 'X-Trace': 'abc' },
			body: JSON.stringify(sent),
		});

		const serialized = JSON.stringify(endpoint.executions);
		expect(serialized).not.toContain(SECRET);
		expect(serialized).not.toContain(PREVIOUS_SECRET);
		const headers = (endpoint.executions[0][0][0].json.nova as IDataObject).headers;
		expect(headers).toMatchObject({ 'x-trace': 'abc', 'x-echo': '[redacted]' });
		expect(headers).not.toHaveProperty('authorization');
		expect(headers).not.toHaveProperty('cookie');
	});

	it('adds no headers unless asked to', async () => {
		const json = await itemFor(postJson(callData()));

		expect(json.nova).not.toHaveProperty('headers');
	});

	it.each(HOSTILE_VALUES.map(({ label, value }) => [label, value]))(
		'never echoes the request in an answer (%s)',
		async (_label, value) => {
			const endpoint = await open();
			const sent = JSON.stringify({ reason: value, [value]: value });

			const answers = await Promise.all([
				endpoint.send({ headers: JSON_TYPE, body: sent }),
				endpoint.send({ headers: { Authorization: 'Bearer wrong' }, body: sent }),
			]);

			expect(answers.map((answer) => answer.json)).toEqual([
				{ received: true, accepted: true },
				{ error: 'unauthorized', message: 'The request does not carry the secret' },
			]);
		},
	);
});

describe('NovaPostCallTrigger callee filter', () => {
	it.each([
		{ to: 'the listed number', callee: '+4930123456', executions: 1 },
		{ to: 'the listed number formatted otherwise', callee: '+49 30 123-456', executions: 1 },
		{ to: 'the listed number in national form', callee: '030 123456', executions: 1 },
		{ to: 'the second listed number', callee: '+4989654321', executions: 1 },
		{ to: 'another number', callee: '+4940111222', executions: 0 },
		{ to: 'no callee_number at all', callee: undefined, executions: 0 },
	])('starts $executions executions for a call to $to', async ({ callee, executions }) => {
		const endpoint = await open({
			calleeNumbers: '+49 30 123456, +49 89 654321',
			options: { defaultCountry: 'DE' },
		});
		const sent = { ...callData(), callee_number: callee };

		const answer = await endpoint.send(postJson(sent));

		expect(answer.status).toBe(200);
		expect(endpoint.executions).toHaveLength(executions);
		if (executions === 0) {
			expect(answer.json).toEqual({
				received: true,
				accepted: false,
				reason: 'This workflow handles calls to other numbers',
			});
			expect(endpoint.handled[0].result).toEqual({ noWebhookResponse: true });
		}
	});

	it('lets every call through when no number is given', async () => {
		const endpoint = await open({ calleeNumbers: '' });

		await endpoint.send(postJson(callData({ callee_number: '+19995550100' })));

		expect(endpoint.executions).toHaveLength(1);
	});
});

describe('NovaPostCallTrigger misconfiguration', () => {
	it('starts nothing when the IP allowlist cannot be read, and names the entry', async () => {
		const endpoint = await open({ options: { allowedIps: '127.0.0.1, 300.1.1.1' } });

		const answer = await endpoint.send(postJson(callData()));

		expect(answer.status).toBe(500);
		expect(endpoint.executions).toHaveLength(0);
		expect(endpoint.handled[0].error).toMatchObject({
			message: '"IP Allowlist" holds entries that are not addresses or ranges: 300.1.1.1',
		});
	});
});
