import type { INodeParameters } from 'n8n-workflow';

import { NovaPostCallTrigger } from '../../nodes/NovaPostCallTrigger/NovaPostCallTrigger.node';
import { callData } from '../fixtures/callData';
import { startEndpoint, type TriggerEndpoint } from '../support/webhookHarness';

const SECRET = 'current-secret-7Qm2vX9pL4tR8wZ1';
const PREVIOUS_SECRET = 'previous-secret-3Hk6nB0sD5fJ2gY8';

const endpoints: TriggerEndpoint[] = [];
afterEach(async () => {
	await Promise.all(endpoints.splice(0).map(async (endpoint) => await endpoint.close()));
});

async function open(
	credential: Record<string, string> = {},
	parameters: INodeParameters = {},
): Promise<TriggerEndpoint> {
	const secret = { headerName: 'Authorization', format: 'bearer', secret: SECRET, ...credential };
	const endpoint = await startEndpoint({
		nodeType: new NovaPostCallTrigger(),
		parameters,
		credentials: { novaWebhookSecretApi: secret },
	});
	endpoints.push(endpoint);
	return endpoint;
}

const JSON_BODY = { 'Content-Type': 'application/json' };
const body = JSON.stringify(callData());

describe('NovaPostCallTrigger authentication', () => {
	it.each([
		['the secret as Authorization: Bearer', { Authorization: `Bearer ${SECRET}` }, 'secret'],
		['a lower-case bearer scheme', { Authorization: `bearer ${SECRET}` }, 'secret'],
		['spaces around the secret', { Authorization: `Bearer   ${SECRET}  ` }, 'secret'],
		['the previous secret', { Authorization: `Bearer ${PREVIOUS_SECRET}` }, 'previousSecret'],
	])('accepts %s and says which secret it was', async (_case, headers, secretName) => {
		const endpoint = await open({ previousSecret: PREVIOUS_SECRET });

		const answer = await endpoint.send({ headers: { ...JSON_BODY, ...headers }, body });

		expect(answer.status).toBe(200);
		expect(endpoint.executions).toHaveLength(1);
		const [[[item]]] = endpoint.executions;
		expect((item.json.nova as Record<string, unknown>).authenticatedWith).toBe(secretName);
	});

	it.each([
		['no header', {}],
		['a wrong secret', { Authorization: 'Bearer not-the-secret-at-all-000000' }],
		['the secret without Bearer', { Authorization: SECRET }],
		['Basic instead of Bearer', { Authorization: `Basic ${SECRET}` }],
		['only the first part of the secret', { Authorization: `Bearer ${SECRET.slice(0, -1)}` }],
		['the secret and more', { Authorization: `Bearer ${SECRET}0` }],
		['Bearer and nothing else', { Authorization: 'Bearer ' }],
		['the secret in another header', { 'X-Nova-Secret': SECRET }],
		['a previous secret that is not configured', { Authorization: `Bearer ${PREVIOUS_SECRET}` }],
	])('refuses %s with 401, a challenge and no execution', async (_case, headers) => {
		const endpoint = await open();

		const answer = await endpoint.send({ headers: { ...JSON_BODY, ...headers }, body });

		expect(answer.status).toBe(401);
		expect(answer.headers['www-authenticate']).toMatch(/^Bearer /);
		expect(answer.json).toEqual({
			error: 'unauthorized',
			message: 'The request does not carry the secret',
		});
		expect(endpoint.executions).toHaveLength(0);
		expect(endpoint.handled[0].result).toEqual({ noWebhookResponse: true });
	});

	it('reads the secret alone from a header of the credential’s choosing', async () => {
		const endpoint = await open({ headerName: 'X-Nova-Secret', format: 'plain' });

		const right = await endpoint.send({ headers: { ...JSON_BODY, 'x-nova-secret': SECRET }, body });
		const asBearer = await endpoint.send({
			headers: { ...JSON_BODY, Authorization: `Bearer ${SECRET}` },
			body,
		});

		expect(right.status).toBe(200);
		expect(asBearer.status).toBe(401);
		expect(asBearer.headers['www-authenticate']).toBeUndefined();
		expect(endpoint.executions).toHaveLength(1);
	});

	it('checks the secret before the body, so a stranger learns nothing about body rules', async () => {
		const endpoint = await open();

		const answer = await endpoint.send({
			headers: { 'Content-Type': 'text/plain' },
			body: 'not json',
		});

		expect(answer.status).toBe(401);
	});

	it.each([
		{ holding: 'the exact address', allowedIps: '127.0.0.1', status: 200 },
		{ holding: 'a range with it', allowedIps: '10.0.0.0/8, 127.0.0.0/8', status: 200 },
		{
			holding: 'an IPv4-mapped IPv6 range with it',
			allowedIps: '::ffff:127.0.0.0/104',
			status: 200,
		},
		{ holding: 'only others', allowedIps: '10.0.0.0/8, 2001:db8::/32, 192.0.2.1', status: 403 },
	])('answers $status when the IP allowlist holds $holding', async ({ allowedIps, status }) => {
		const endpoint = await open({}, { options: { allowedIps } });

		const answer = await endpoint.send({
			headers: { ...JSON_BODY, Authorization: `Bearer ${SECRET}` },
			body,
		});

		expect(answer.status).toBe(status);
		expect(endpoint.executions).toHaveLength(status === 200 ? 1 : 0);
	});

	it('refuses a caller outside the allowlist with 403 even when it has the secret', async () => {
		const endpoint = await open({}, { options: { allowedIps: '192.0.2.0/24' } });

		const answer = await endpoint.send({
			headers: { ...JSON_BODY, Authorization: `Bearer ${SECRET}` },
			body,
		});

		expect(answer.json).toEqual({
			error: 'forbidden',
			message: 'This address may not call this webhook',
		});
		expect(answer.text).not.toContain('127.0.0.1');
	});
});
