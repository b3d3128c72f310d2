'use strict';

// End to end through a real n8n: a call comes in at a webhook, the workflow posts five fields to
// a local receiver. Ours (Nova Post-Call Trigger -> Nova API Request) against n8n's built-in
// pair (Webhook -> HTTP Request) in one n8n, with the same calls and the same receiver; and the
// built-in pair once more with the body written by string interpolation, for correctness only.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { findFreePortPair } = require('../scripts/lib/freePort');
const { DEFAULT_RELEASE, startN8n, waitForWebhook } = require('../scripts/lib/n8nRuntime');
const { CallClient, forEachConcurrently, startArrivalReceiver } = require('./callClient');
const { CALL_KINDS, callVariables } = require('./endToEndCalls');
const { CREDENTIALS, SECRET, benchContenders } = require('./endToEndWorkflows');
const {
	executionCounts,
	failedExecutionsMentioning,
	finishedCount,
	storedBytesPerExecution,
} = require('./n8nExecutions');
const { runInterleaved } = require('./lib/rounds');
const {
	judgeEndToEnd,
	summarizeBatch,
	summarizeContender,
	tally,
	tallyByKind,
} = require('./endToEndStats');

// Calls in flight at once, each counted from its send until its body reaches the receiver.
const CONCURRENCY = 16;
const ROUND_COUNT = 4;
const CALLS_PER_BATCH = 300;
const WARMUP_CALLS = 100;
const CALLS_PER_KIND = 6;
const NAIVE_CALLS = 200;
const HOSTILE_KIND = CALL_KINDS[CALL_KINDS.length - 1];

// Far longer than any call takes; a call still missing then is counted as lost.
const CALL_DEADLINE_MS = 30_000;
const SETTLE_TIMEOUT_MS = 120_000;
const REGISTRATION_TIMEOUT_MS = 30_000;
// After n8n records an execution as finished, its request has reached the receiver; the
// receiver's report of it crosses a process boundary, which this leaves time for.
const ARRIVAL_GRACE_MS = 500;
const INVALID_JSON_MESSAGE = 'JSON parameter needs to be valid JSON';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startBenchN8n(contenders) {
	const port = await findFreePortPair();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-bench-n8n-'));
	console.log(`\nStarting n8n ${DEFAULT_RELEASE} on port ${port} (fresh user folder)`);
	const startedMs = performance.now();
	const workflows = contenders.map((contender) => contender.workflow);
	const setup = { workflows, credentials: CREDENTIALS };
	const runtime = await startN8n({ port, userFolder, setup, log: console.log }).catch((error) => {
		fs.rmSync(userFolder, { recursive: true, force: true });
		throw error;
	});
	for (const contender of contenders) await waitForWebhook(runtime, contender.webhookPath);
	const seconds = Math.round((performance.now() - startedMs) / 1000);
	console.log(`n8n ready in ${seconds} s with the three workflows published`);
	return { runtime, userFolder };
}

/**
 * Waits until the contender's webhook refuses a call with a wrong secret. A refusal proves the
 * workflow is active and checks the secret; it starts no execution. n8n answers the preflight
 * that waitForWebhook sends with 500 for a while before a POST finds the webhook.
 */
async function waitUntilRefusing(client, contender) {
	const giveUpAt = Date.now() + REGISTRATION_TIMEOUT_MS;
	for (;;) {
		const answer = await client.post(contender.webhookPath, {}, 'Bearer not-the-secret');
		if (answer.status === 401 || answer.status === 403) return;
		if (answer.status === 200) throw new Error(`${contender.name} accepted a wrong secret`);
		if (Date.now() > giveUpAt) {
			throw new Error(`${contender.name} still answers ${answer.status} to a wrong secret`);
		}
		await sleep(100);
	}
}

/** Sends one call; counts it per contender when n8n accepts it, so that settling knows. */
async function sendCall(bench, contender, kind) {
	const { answer, record } = await bench.client.send(contender, kind, CALL_DEADLINE_MS);
	if (answer.status === 200) bench.accepted[contender.key]++;
	return { record };
}

/** Waits until n8n has finished an execution for every call it accepted. */
async function waitForExecutions(bench) {
	const giveUpAt = Date.now() + SETTLE_TIMEOUT_MS;
	for (;;) {
		const counts = await executionCounts(bench.runtime, bench.userFolder);
		const done = bench.contenders.every(
			({ key, workflow }) => finishedCount(counts[workflow.id]) >= bench.accepted[key],
		);
		if (done) return counts;
		if (Date.now() > giveUpAt) {
			throw new Error(`n8n did not finish its executions: ${JSON.stringify(counts)}`);
		}
		await sleep(200);
	}
}

/** Sends `jobs` ({ contender, kind }) without waiting for arrivals, then settles them all. */
async function sendAndSettle(bench, jobs) {
	const pending = [];
	await forEachConcurrently(jobs.length, CONCURRENCY, async (index) => {
		const { contender, kind } = jobs[index];
		const { record } = await sendCall(bench, contender, kind);
		pending.push(record.then((settled) => ({ ...settled, kind: kind.name })));
	});
	await waitForExecutions(bench);
	await sleep(ARRIVAL_GRACE_MS);
	bench.client.releaseAll();
	return await Promise.all(pending);
}

/** Every kind of call through every contender: which ones arrive as JSON, exactly. */
async function checkCorrectness(bench) {
	const jobs = CALL_KINDS.flatMap((kind) =>
		bench.contenders.flatMap((contender) =>
			Array.from({ length: CALLS_PER_KIND }, () => ({ contender, kind })),
		),
	);
	const records = await sendAndSettle(bench, jobs);
	const byKind = tallyByKind(records, CALL_KINDS, bench.contenders);
	for (const contender of bench.contenders.slice(0, 2)) {
		if (records.some((record) => record.contender === contender.key && record.arrivedAtMs)) {
			continue;
		}
		const output = bench.runtime.output().slice(-3000);
		throw new Error(`${contender.name} delivered no call at all; n8n said:\n${output}`);
	}
	return byKind;
}

/** One timed batch: `callCount` hostile calls, each slot waiting for its call's arrival. */
async function runBatch(bench, contender, callCount) {
	const records = [];
	await forEachConcurrently(callCount, CONCURRENCY, async () => {
		const { record } = await sendCall(bench, contender, HOSTILE_KIND);
		records.push(await record);
	});
	await waitForExecutions(bench);
	return summarizeBatch(records);
}

async function timeContenders(bench, contenders) {
	for (const contender of contenders) await runBatch(bench, contender, WARMUP_CALLS);
	const batchesByName = await runInterleaved(contenders, ROUND_COUNT, (contender) =>
		runBatch(bench, contender, CALLS_PER_BATCH),
	);
	return contenders.map((contender) =>
		summarizeContender(contender, batchesByName.get(contender.name)),
	);
}

/** How many executions of the workflow failed so far, and how many over invalid JSON. */
async function failures(bench, workflowId) {
	const { runtime, userFolder } = bench;
	const counts = await executionCounts(runtime, userFolder);
	return {
		failed: counts[workflowId]?.error ?? 0,
		invalidJson: await failedExecutionsMentioning(
			runtime,
			userFolder,
			workflowId,
			INVALID_JSON_MESSAGE,
		),
	};
}

/** The naive body with the timed calls' data: how many arrive as JSON, and how many fail. */
async function runNaive(bench, naive) {
	const before = await failures(bench, naive.workflow.id);
	const jobs = Array.from({ length: NAIVE_CALLS }, () => ({
		contender: naive,
		kind: HOSTILE_KIND,
	}));
	const records = await sendAndSettle(bench, jobs);

	const after = await failures(bench, naive.workflow.id);
	return {
		...tally(records),
		failedExecutions: after.failed - before.failed,
		failedWithInvalidJson: after.invalidJson - before.invalidJson,
		invalidJsonMessage: INVALID_JSON_MESSAGE,
	};
}

function describeSetup(bench) {
	const hostile = callVariables(0, HOSTILE_KIND);
	return {
		n8nRelease: bench.runtime.release,
		concurrency: CONCURRENCY,
		rounds: ROUND_COUNT,
		callsPerBatch: CALLS_PER_BATCH,
		warmupCalls: WARMUP_CALLS,
		callsPerKind: CALLS_PER_KIND,
		callBytes: Buffer.byteLength(JSON.stringify(hostile)),
		contenders: bench.contenders.map(({ key, name, shortName, workflow }) => ({
			key,
			name,
			shortName,
			workflowId: workflow.id,
		})),
	};
}

async function measure(bench) {
	const loadAverageAtStart = os.loadavg();
	const [ours, builtIn, naive] = bench.contenders;
	const correctness = await checkCorrectness(bench);
	const timed = await timeContenders(bench, [ours, builtIn]);
	const naiveRun = await runNaive(bench, naive);
	return {
		...describeSetup(bench),
		correctness,
		timed,
		naive: naiveRun,
		strayArrivals: bench.client.strays.length,
		executions: await executionCounts(bench.runtime, bench.userFolder),
		storedBytesPerExecution: await storedBytesPerExecution(bench.runtime, bench.userFolder),
		targets: judgeEndToEnd(timed[0], timed[1], CONCURRENCY),
		loadAverage: { atStart: loadAverageAtStart, atEnd: os.loadavg() },
	};
}

/** Starts the receiver and one n8n with all three workflows, measures, and stops both. */
async function runEndToEndBench() {
	const receiver = await startArrivalReceiver();
	const contenders = benchContenders(receiver.url);
	let n8n;
	try {
		n8n = await startBenchN8n(contenders);
		const client = new CallClient({
			baseUrl: n8n.runtime.baseUrl,
			receiver,
			authorization: `Bearer ${SECRET}`,
			concurrency: CONCURRENCY,
		});
		const accepted = Object.fromEntries(contenders.map(({ key }) => [key, 0]));
		const bench = { ...n8n, client, contenders, accepted };
		try {
			for (const contender of contenders) await waitUntilRefusing(client, contender);
			console.log('Each webhook is registered: it refuses a call with a wrong secret');
			return await measure(bench);
		} finally {
			client.close();
		}
	} finally {
		await n8n?.runtime.stop();
		if (n8n) fs.rmSync(n8n.userFolder, { recursive: true, force: true });
		receiver.stop();
	}
}

module.exports = { runEndToEndBench };
