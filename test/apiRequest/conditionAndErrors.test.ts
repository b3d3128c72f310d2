import type { INodeParameters } from 'n8n-workflow';

import { callData } from '../fixtures/callData';
import { apiRequestError, runApiRequest } from '../support/apiRequest';
import { startServer, type LoopbackServer } from '../support/servers';

let receiver: LoopbackServer;
beforeAll(async () => {
	receiver = await startServer((request, response) => {
		if (request.url === '/fail') response.writeHead(422);
		response.end(request.url === '/fail' ? 'rejected' : 'ok');
	});
});
afterAll(async () => await receiver.close());
beforeEach(() => receiver.received.splice(0));

/** n8n's filter rule: the call's reason contains "appointment", ignoring case. */
function reasonContains(word: string): INodeParameters {
	return {
		conditionMode: 'rules',
		rules: {
			options: { caseSensitive: false, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: [
				{
					id: 'reason-rule',
					leftValue: '={{ $json.reason }}',
					rightValue: word,
					operator: { type: 'string', operation: 'contains' },
				},
			],
			combinator: 'and',
		},
	};
}

describe('Nova API Request condition', () => {
	it('sends the items whose rules hold and skips the others with the reason', async () => {
		const items = [
			callData({ reason: 'Wants an Appointment on Friday' }),
			callData({ reason: 'Billing question' }),
		];

		const { sent, skipped } = await runApiRequest({
			parameters: { method: 'GET', url: receiver.url('/'), ...reasonContains('appointment') },
			items,
		});

		expect(receiver.received).toHaveLength(1);
		expect(sent).toHaveLength(1);
		expect(sent[0].pairedItem).toEqual({ item: 0 });
		expect(sent[0].json.novaCondition).toEqual({
			mode: 'rules',
			send: true,
			reason: 'The rules match this call',
		});
		expect(skipped).toEqual([
			{
				json: {
					...items[1],
					novaCondition: { mode: 'rules', send: false, reason: 'The rules do not match this call' },
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('sends every item when Send is Always', async () => {
		const { sent, skipped } = await runApiRequest({
			parameters: { method: 'GET', url: receiver.url('/') },
			items: [callData(), callData({ reason: '' })],
		});

		expect(sent).toHaveLength(2);
		expect(skipped).toHaveLength(0);
		expect(sent[0].json.novaCondition).toBeUndefined();
	});
});

describe('Nova API Request errors', () => {
	it('names the body and the position of a template that is not JSON', async () => {
		const error = await apiRequestError({
			parameters: { method: 'POST', url: receiver.url('/'), body: '{\n  "a": "{{name}}",\n}' },
			items: [callData()],
		});

		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toBe(
			'The body is not valid JSON: Expected a property name in double quotes at line 3, column 1',
		);
		expect(receiver.received).toHaveLength(0);
	});

	it('names the header whose template cannot be built', async () => {
		const error = await apiRequestError({
			parameters: {
				method: 'GET',
				url: receiver.url('/'),
				headers: { header: [{ name: 'X-Note', value: 'Grüße {{name}}' }] },
			},
		});

		expect(error.message).toMatch(/^The value of the header "X-Note" cannot be built: /);
	});

	it('refuses a URL that is not http or https', async () => {
		const error = await apiRequestError({
			parameters: { method: 'GET', url: 'ftp://files.example.com/{{name}}' },
			items: [callData()],
		});

		expect(error.message).toBe(
			'The URL cannot be called: Only http:// and https:// URLs can be called, not ftp:',
		);
	});

	it('with Continue On Fail outputs the error on the item and goes on', async () => {
		const { sent } = await runApiRequest({
			parameters: { method: 'GET', url: receiver.url('/{{path}}') },
			items: [callData({ path: 'fail' }), callData({ path: 'fine' })],
			onError: 'continueRegularOutput',
		});

		expect(sent.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(sent[0].json.error).toBe(`127.0.0.1:${receiver.port} answered 422 Unprocessable Entity`);
		expect(sent[0].error?.constructor.name).toBe('NodeApiError');
		expect(sent[1].json).toMatchObject({ status: 200, body: 'ok' });
	});

	it('marks failed items so that n8n can route them to the error output', async () => {
		const { sent } = await runApiRequest({
			parameters: { method: 'GET', url: receiver.url('/fail') },
			onError: 'continueErrorOutput',
		});

		expect(sent).toHaveLength(1);
		expect(sent[0].error).toBeDefined();
		expect(sent[0].pairedItem).toEqual({ item: 0 });
	});

	it('stops at the first failure without Continue On Fail, sending no later item', async () => {
		const items = Array.from({ length: 6 }, (_, n) => callData({ path: n === 0 ? 'fail' : 'x' }));

		await expect(
			runApiRequest({
				parameters: { method: 'GET', url: receiver.url('/{{path}}'), options: { concurrency: 1 } },
				items,
			}),
		).rejects.toThrow('answered 422');
		expect(receiver.received).toHaveLength(1);
	});
});
