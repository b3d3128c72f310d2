import { mapWithConcurrency } from '../../shared/concurrency';
import { callData, type CallData } from '../fixtures/callData';
import type { LoopbackServer } from '../support/servers';
import { SECRET } from './exampleWorkflows';

/** The load both suites send: calls, and how many are in flight at once. */
export const LOAD_CALLS = 1_000;
export const LOAD_CONCURRENCY = 16;

/** Sends one call to a production webhook of the examples' trigger, with SECRET. */
export async function callWebhook(
	baseUrl: string,
	webhookId: string,
	body: unknown,
	init: RequestInit = {},
): Promise<Response> {
	return await fetch(`${baseUrl}/webhook/${webhookId}/nova-post-call`, {
		method: 'POST',
		headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
		...init,
	});
}

/** The requests the receiver got under `path`. */
export function receive(receiver: LoopbackServer, path: string) {
	return receiver.received.filter((request) => request.url.startsWith(path));
}

export function bodiesAt(receiver: LoopbackServer, path: string): Array<Record<string, unknown>> {
	return receive(receiver, path).map((request) => JSON.parse(request.body.toString('utf8')));
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
	const giveUpAt = Date.now() + timeoutMs;
	while (Date.now() < giveUpAt) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`Condition not met within ${timeoutMs} ms`);
}

/**
 * Call data for the load, one call per index. The caller number, in parentheses in the Slack
 * text, tells the calls apart; quotes, an emoji and a line break test the encoding on the way.
 */
export const loadCalls = (count = LOAD_CALLS): CallData[] =>
	Array.from({ length: count }, (_, index) =>
		callData({
			name: `Caller "${index}" 😀`,
			reason: `reason\n${index}`,
			caller_number: `+1555${index}`,
		}),
	);

/** The text the Slack example renders from one call's data. */
export const slackText = (data: CallData) =>
	`New call from ${data.name} (${data.caller_number}): ${data.reason}`;

/** Sends every call with `send`, LOAD_CONCURRENCY at a time, and returns the statuses in order. */
export async function sendLoad(
	calls: readonly CallData[],
	send: (data: CallData) => Promise<Response>,
): Promise<number[]> {
	const statuses = await mapWithConcurrency(
		calls,
		LOAD_CONCURRENCY,
		async (data) => (await send(data)).status,
	);
	return statuses.map((status) => status ?? 0);
}
