import { callData, HOSTILE_ROTATIONS, hostileCallData } from '../fixtures/callData';
import { runApiRequest } from '../support/apiRequest';
import { startServer, type LoopbackServer } from '../support/servers';

let receiver: LoopbackServer;
beforeAll(async () => {
	receiver = await startServer((_request, response) => {
		response.writeHead(201, { 'content-type': 'application/json' });
		response.end('{"id": "created"}');
	});
});
afterAll(async () => await receiver.close());
beforeEach(() => receiver.received.splice(0));

const HUBSPOT_BODY = `{
  "properties": {
    "firstname": "{{name}}",
    "phone": "{{caller_number}}",
    "hs_lead_status": "NEW",
    "notes_last_contacted": "{{summary}}"
  }
}`;
const SLACK_BODY = '{"text": "New call from {{name}} ({{caller_number}}): {{reason}}"}';
const ZENDESK_BODY = `{
  "ticket": {
    "subject": "Call from {{name}}",
    "description": "{{summary}}",
    "requester": {
      "name": "{{name}}",
      "email": "{{email}}"
    }
  }
}`;

async function sendAll(path: string, body: string) {
	const items = HOSTILE_ROTATIONS.map((rotation) => hostileCallData(rotation));
	const outputs = await runApiRequest({
		parameters: { method: 'POST', url: receiver.url(path), body },
		items,
	});
	expect(outputs.sent).toHaveLength(items.length);
	const byOrder = receiver.received.map((request) => JSON.parse(request.body.toString('utf8')));
	return { items, bodies: byOrder, outputs };
}

describe("Nova API Request with the recipes from Nova's documentation", () => {
	it('creates a HubSpot contact field by field from hostile call data', async () => {
		const { items, bodies } = await sendAll('/crm/v3/objects/contacts', HUBSPOT_BODY);

		expect(receiver.received.every((request) => request.url === '/crm/v3/objects/contacts')).toBe(
			true,
		);
		for (const call of items) {
			expect(bodies).toContainEqual({
				properties: {
					firstname: call.name,
					phone: call.caller_number,
					hs_lead_status: 'NEW',
					notes_last_contacted: call.summary,
				},
			});
		}
	});

	it('posts a Slack message whose text joins three hostile values exactly', async () => {
		const { items, bodies } = await sendAll('/services/T00/B00/xxx', SLACK_BODY);

		const texts = bodies.map((body) => body.text);
		for (const call of items) {
			const expected = `New call from ${call.name} (${call.caller_number}): ${call.reason}`;
			expect(texts).toContain(expected);
		}
	});

	it('creates a Zendesk ticket with its requester from hostile call data', async () => {
		const { items, bodies } = await sendAll('/api/v2/tickets.json', ZENDESK_BODY);

		for (const call of items) {
			expect(bodies).toContainEqual({
				ticket: {
					subject: `Call from ${call.name}`,
					description: call.summary,
					requester: { name: call.name, email: call.email },
				},
			});
		}
	});

	it('sends Content-Type application/json with the JSON body', async () => {
		await runApiRequest({
			parameters: { method: 'POST', url: receiver.url('/x'), body: SLACK_BODY },
			items: [callData()],
		});

		expect(receiver.received[0].headers['content-type']).toBe('application/json');
	});
});

describe('Nova API Request with n8n expressions', () => {
	it('evaluates n8n expressions first and fills the placeholders in what remains', async () => {
		const items = [callData({ tenant: 'acme', route: 'calls/{{caller_number}}' })];

		await runApiRequest({
			parameters: {
				method: 'POST',
				url: `=${receiver.url('/')}{{ $json.tenant }}/{{ $json.route }}`,
				body: '={"who": "{{ $json.name.toUpperCase() }}"}',
			},
			items,
		});

		const [request] = receiver.received;
		expect(request.url).toBe('/acme/calls/%2B5511912345678');
		expect(JSON.parse(request.body.toString())).toEqual({ who: 'ANA SOUZA' });
	});

	it('keeps Nova placeholders in a field that n8n switched to Expression mode', async () => {
		// n8n's editor switches a field to Expression mode when `{{` is pasted into it, so Nova's
		// own examples arrive as expressions with bare names that JavaScript cannot resolve.
		const items = [callData({ customer: { id: 'C-7' } })];

		await runApiRequest({
			parameters: {
				method: 'POST',
				url: `=${receiver.url('/calls')}?caller={{caller_number}}&c={{ customer.id }}`,
				headers: { header: [{ name: 'X-Caller', value: '={{ name }} / {{ $json.email }}' }] },
				body: '={"summary": "{{summary}}", "n": {{ 1 + 1 }}, "when": "{{appointment_date}}"}',
			},
			items,
		});

		const [request] = receiver.received;
		expect(request.url).toBe('/calls?caller=%2B5511912345678&c=C-7');
		expect(request.headers['x-caller']).toBe(`${items[0].name} / ${items[0].email}`);
		expect(JSON.parse(request.body.toString())).toEqual({
			summary: items[0].summary,
			n: 2,
			when: items[0].appointment_date,
		});
	});

	it('leaves JavaScript names such as true and Math to n8n in Expression mode', async () => {
		await runApiRequest({
			parameters: {
				method: 'POST',
				url: `=${receiver.url('/')}{{ Math.max(1, 2) }}/{{ true }}`,
				body: '{}',
			},
			items: [callData()],
		});

		expect(receiver.received[0].url).toBe('/2/true');
	});
});
