import type { CallData } from '../fixtures/callData';
import {
	callWebhook,
	LOAD_CALLS,
	LOAD_CONCURRENCY,
	loadCalls,
	receive,
	sendLoad,
	slackText,
	until,
} from '../e2e/calls';
import { executionsIn, reportOutputs, startDeployment, type Deployment } from './deployment';

const RELEASE = '2.8.4';
const WORKERS = 2;
const WORKFLOW_ID = 'novaExampleSlack';

// A fresh machine installs Redis, PostgreSQL and n8n first: n8n alone takes about five minutes.
const START_TIMEOUT_MS = 15 * 60_000;
// Here the load takes well under a minute; the bound leaves room for a slow CI machine.
const LOAD_TIMEOUT_MS = 5 * 60_000;
const DELIVERY_TIMEOUT_MS = 3 * 60_000;
// A second request for a call would come from a retry still in flight: a few seconds after the
// last request give one time to arrive. Bull hands a job out again only once its worker has been
// unresponsive for its 60 s lock, found at a check every 30 s; the suite does not wait for that.
const SETTLE_MS = 3_000;

// The caller number, in parentheses in the rendered text, is each call's unique marker.
const MARKER = /\(\+1555(\d+)\)/g;

/** What the Slack example must send for one call, to the byte. */
const expectedBody = (data: CallData) => JSON.stringify({ text: slackText(data) }, null, 2);

/** How often each value occurs: a failure then shows what happened instead, and how often. */
function countOf(values: ReadonlyArray<string | number>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

describe(`n8n ${RELEASE} in queue mode with ${WORKERS} workers`, () => {
	// Kept so that afterAll can stop a start that beforeAll's timeout left running.
	let starting: Promise<Deployment> | undefined;
	let deployment: Deployment;

	beforeAll(async () => {
		starting = startDeployment(RELEASE, WORKERS);
		deployment = await starting;
	}, START_TIMEOUT_MS);

	afterAll(async () => {
		const started = await starting?.catch(() => undefined);
		await started?.stop();
	}, START_TIMEOUT_MS);

	it('leaves production webhooks to the webhook processor', async () => {
		const { cluster, database } = deployment;

		const answer = await callWebhook(cluster.main.baseUrl, 'nova-slack', loadCalls(1)[0]);

		expect(answer.status).toBe(404);
		expect(await database.executions(WORKFLOW_ID)).toEqual([]);
	});

	it(
		`delivers ${LOAD_CALLS} calls at concurrency ${LOAD_CONCURRENCY} exactly once, with exact bodies`,
		async () => {
			const { receiver, receivedAt, cluster } = deployment;
			const { webhook, workers } = cluster;
			const calls = loadCalls();
			receiver.received.splice(0);
			receivedAt.splice(0);

			const startedAt = performance.now();
			const statuses = await sendLoad(calls, (data) =>
				callWebhook(webhook.baseUrl, 'nova-slack', data),
			);
			const answeredAt = performance.now();
			expect(countOf(statuses)).toEqual({ 200: LOAD_CALLS });
			// A shortfall is reported by the count below, which says how many arrived.
			await until(
				() => receive(receiver, '/slack').length >= LOAD_CALLS,
				DELIVERY_TIMEOUT_MS,
			).catch(() => undefined);
			const deliveredAt = Math.max(...receivedAt);
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

			const bodies = receiver.received.map((request) => request.body.toString('utf8'));
			if (bodies.length !== LOAD_CALLS) reportOutputs(cluster);
			expect(bodies).toHaveLength(LOAD_CALLS);
			const markers = bodies.map((body) => [...body.matchAll(MARKER)].map(([, index]) => index));
			// One marker in each body, and each call's marker in exactly one body.
			expect(markers.filter((found) => found.length !== 1)).toEqual([]);
			expect(new Set(markers.flat()).size).toBe(LOAD_CALLS);
			const wrong = bodies.filter(
				(body, at) => body !== expectedBody(calls[Number(markers[at][0])]),
			);
			expect(wrong).toEqual([]);

			const seconds = (deliveredAt - startedAt) / 1000;
			const split = workers.map(
				(worker) => `${worker.name} ${executionsIn(worker, 'finished').length}`,
			);
			process.stdout.write(
				`Queue mode: ${LOAD_CALLS} calls answered in ${((answeredAt - startedAt) / 1000).toFixed(1)} s, ` +
					`delivered in ${seconds.toFixed(1)} s (${(LOAD_CALLS / seconds).toFixed(1)} calls/s); ` +
					`executions finished so far: ${split.join(', ')}\n`,
			);
		},
		LOAD_TIMEOUT_MS,
	);

	it(
		'records every call as one successful webhook execution that a worker ran',
		async () => {
			const { receiver, database, cluster } = deployment;
			const { workers } = cluster;
			const inLogs = (what: 'started' | 'finished') =>
				workers.flatMap((worker) => executionsIn(worker, what)).sort();
			// A shortfall is reported by the counts below.
			await until(() => inLogs('finished').length >= LOAD_CALLS, DELIVERY_TIMEOUT_MS).catch(
				() => undefined,
			);

			const rows = await database.executions(WORKFLOW_ID);
			const outcomes = rows.map((row) => `${row.mode} ${row.status} finished: ${row.finished}`);
			expect(countOf(outcomes)).toEqual({ 'webhook success finished: true': LOAD_CALLS });
			// Each execution was started and finished once, by one worker, and every worker took a
			// share: only a worker's job processor writes these lines, so main and the webhook
			// processor ran none.
			const ids = rows.map((row) => row.id).sort();
			expect(inLogs('started')).toEqual(ids);
			expect(inLogs('finished')).toEqual(ids);
			for (const worker of workers) {
				expect(executionsIn(worker, 'finished').length).toBeGreaterThan(0);
			}
			// Still one request a call, now that every execution has ended.
			expect(receiver.received).toHaveLength(LOAD_CALLS);
		},
		DELIVERY_TIMEOUT_MS + 30_000,
	);
});
