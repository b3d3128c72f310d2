import type { CallData } from '../fixtures/callData';
import { startServer, type LoopbackServer } from '../support/servers';
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
import { example, pointedAt, SECRET_CREDENTIAL } from '../e2e/exampleWorkflows';
import { waitForWebhook } from '../e2e/realN8n';
import {
	connectTo,
	ensureServicePackages,
	startPostgres,
	startQueueCluster,
	startRedis,
	type Postgres,
	type QueueCluster,
	type Server,
} from './queueCluster';

const RELEASE = '2.8.4';
const WORKERS = 2;
const WORKFLOW_ID = 'novaExampleSlack';
const WEBHOOK_PATH = 'nova-slack/nova-post-call';

// A fresh machine installs Redis, PostgreSQL and n8n first: n8n alone takes about five minutes.
const START_TIMEOUT_MS = 15 * 60_000;
// Here the load takes well under a minute; the bound leaves room for a slow CI machine.
const LOAD_TIMEOUT_MS = 4 * 60_000;
const DELIVERY_TIMEOUT_MS = 3 * 60_000;
// A job Bull would hand out a second time is one whose worker missed a lock renewal (10 s);
// waiting a few seconds after the last request gives such a duplicate a chance to show.
const SETTLE_MS = 3_000;

// The caller number, in parentheses in the rendered text, is each call's unique marker.
const MARKER = /\(\+1555(\d+)\)/g;

/** What the Slack example must send for one call, to the byte. */
const expectedBody = (data: CallData) => JSON.stringify({ text: slackText(data) }, null, 2);

/** Execution ids a worker's log says it finished. */
const finishedBy = (worker: { output(): string }) =>
	[...worker.output().matchAll(/Worker finished execution (\d+) \(job \d+\)/g)].map(([, id]) => id);

describe(`n8n ${RELEASE} in queue mode with ${WORKERS} workers`, () => {
	let redis: Server | undefined;
	let postgres: Postgres | undefined;
	let cluster: QueueCluster | undefined;
	let database: Awaited<ReturnType<typeof connectTo>> | undefined;
	let receiver: LoopbackServer;
	const receivedAt: number[] = [];

	beforeAll(async () => {
		// Fails, rather than skips, when the packages cannot be installed: the suite proves nothing
		// without them.
		await ensureServicePackages();
		[redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
		receiver = await startServer((_request, response) => {
			receivedAt.push(performance.now());
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"ok": true}');
		});
		const workflows = [pointedAt(example('slack-message.json'), receiver, '/slack')];
		const setup = { workflows, credentials: [SECRET_CREDENTIAL] };
		cluster = await startQueueCluster({
			release: RELEASE,
			redis,
			postgres,
			workers: WORKERS,
			setup,
		});
		await waitForWebhook(cluster.webhook, WEBHOOK_PATH);
		database = await connectTo(RELEASE, postgres);
	}, START_TIMEOUT_MS);

	afterAll(async () => {
		await database?.close();
		await cluster?.stop();
		await Promise.all([redis?.stop(), postgres?.stop(), receiver?.close()]);
	}, 2 * 60_000);

	it('leaves production webhooks to the webhook processor', async () => {
		const { main } = cluster as QueueCluster;

		const answer = await callWebhook(main.baseUrl, 'nova-slack', loadCalls(1)[0]);

		expect(answer.status).toBe(404);
		expect(await database?.executions(WORKFLOW_ID)).toEqual([]);
	});

	it(
		`delivers ${LOAD_CALLS} calls at concurrency ${LOAD_CONCURRENCY} exactly once, with exact bodies`,
		async () => {
			const { webhook, workers } = cluster as QueueCluster;
			const calls = loadCalls();
			receiver.received.splice(0);
			receivedAt.splice(0);

			const startedAt = performance.now();
			const statuses = await sendLoad(calls, (data) =>
				callWebhook(webhook.baseUrl, 'nova-slack', data),
			);
			const answeredAt = performance.now();
			await until(() => receive(receiver, '/slack').length >= LOAD_CALLS, DELIVERY_TIMEOUT_MS);
			const deliveredAt = Math.max(...receivedAt);
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

			expect(statuses.filter((status) => status !== 200)).toEqual([]);
			const bodies = receiver.received.map((request) => request.body.toString('utf8'));
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
			const split = workers.map((worker) => `${worker.name} ${finishedBy(worker).length}`);
			process.stdout.write(
				`Queue mode: ${LOAD_CALLS} calls answered in ${((answeredAt - startedAt) / 1000).toFixed(1)} s, ` +
					`delivered in ${seconds.toFixed(1)} s (${(LOAD_CALLS / seconds).toFixed(1)} calls/s); ` +
					`executions finished so far: ${split.join(', ')}\n`,
			);
		},
		LOAD_TIMEOUT_MS,
	);

	it('records every call as one successful webhook execution that a worker ran', async () => {
		const { workers } = cluster as QueueCluster;
		const finishedByAll = () => workers.flatMap(finishedBy);
		await until(() => finishedByAll().length >= LOAD_CALLS, DELIVERY_TIMEOUT_MS);

		const rows = (await database?.executions(WORKFLOW_ID)) ?? [];
		expect(rows).toHaveLength(LOAD_CALLS);
		expect(rows.filter((row) => row.status !== 'success' || !row.finished)).toEqual([]);
		expect(new Set(rows.map((row) => row.mode))).toEqual(new Set(['webhook']));
		// Each execution is in exactly one worker's log, and every worker took a share: only a
		// worker's job processor writes that line, so main and the webhook processor ran none.
		const ids = rows.map((row) => row.id).sort();
		expect(finishedByAll().sort()).toEqual(ids);
		for (const worker of workers) expect(finishedBy(worker).length).toBeGreaterThan(0);
		// Still one request a call, now that every execution has ended.
		expect(receiver.received).toHaveLength(LOAD_CALLS);
	});
});
