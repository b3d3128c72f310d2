'use strict';

const { fork } = require('node:child_process');
const { once } = require('node:events');
const http = require('node:http');
const path = require('node:path');
const {
	httpRequest,
} = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions');

const { dispatch } = require('../dist/shared/dispatch');
const { renderJsonBody } = require('../dist/shared/template');
const { BODY_TEMPLATE, HOSTILE_VARIABLES } = require('./hostileCall');
const { runInterleaved } = require('./lib/rounds');
const { compareRounds, mean, median, percentile } = require('./lib/stats');

const CONCURRENCY_LEVELS = [1, 16];
const ROUND_COUNT = 14;
const BATCH_MS = 700;
const WARMUP_MS = 500;

// "adds at most 10%": our time per request over the helper's.
const MAX_OVERHEAD_RATIO = 1.1;

// The request every contender sends: Nova's rendered post-call body.
const REQUEST_BODY = renderJsonBody(BODY_TEMPLATE, HOSTILE_VARIABLES);
const requestHeaders = () => ({ 'content-type': 'application/json' });

async function startServer() {
	const child = fork(path.join(__dirname, 'loopbackServer.js'), { stdio: 'inherit' });
	const [{ port }] = await once(child, 'message');
	return { url: `http://127.0.0.1:${port}/calls`, stop: () => child.disconnect() };
}

/** A plain answer every contender is reduced to, so one check fits all. */
function answer(status, body, connection) {
	if (status !== 200) throw new Error(`status ${status}`);
	return { status, body, connection };
}

function readJson(response) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		response.on('data', (chunk) => chunks.push(chunk));
		response.on('error', reject);
		response.on('end', () => {
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			resolve(answer(response.statusCode, body, response.headers.connection));
		});
	});
}

function rawPost(url, agent) {
	const headers = { ...requestHeaders(), 'content-length': Buffer.byteLength(REQUEST_BODY) };
	return new Promise((resolve, reject) => {
		const request = http.request(url, { method: 'POST', agent, headers }, (response) =>
			readJson(response).then(resolve, reject),
		);
		request.on('error', reject);
		request.end(REQUEST_BODY);
	});
}

async function helperPost(url) {
	const response = await httpRequest({
		method: 'POST',
		url,
		body: REQUEST_BODY,
		headers: requestHeaders(),
		returnFullResponse: true,
	});
	return answer(response.statusCode, response.body, response.headers.connection);
}

const ourTransport = { send: httpRequest };

async function ourPost(url) {
	const request = { method: 'POST', url, headers: requestHeaders(), body: REQUEST_BODY };
	const outcome = await dispatch(request, ourTransport);
	if (outcome.kind !== 'response') throw new Error(`${outcome.kind}: ${outcome.message}`);
	return answer(outcome.status, outcome.body, outcome.headers.connection);
}

function makeContenders(url) {
	const keepAliveAgent = new http.Agent({ keepAlive: true });
	return [
		{ name: 'node:http keep-alive', send: () => rawPost(url, keepAliveAgent) },
		{ name: 'n8n httpRequest', send: () => helperPost(url) },
		{ name: 'ours dispatch()', send: () => ourPost(url) },
	];
}

/** One request per contender before timing: it must come back 200 with the server's JSON. */
async function verifyContender(contender) {
	const { body, connection } = await contender.send();
	if (body?.ok !== true) throw new Error(`${contender.name} read back ${JSON.stringify(body)}`);
	return { name: contender.name, connection: connection ?? '(none)' };
}

/** Keeps `concurrency` requests in flight for `durationMs` and measures each one. */
async function runLoad(send, concurrency, durationMs) {
	const latenciesMs = [];
	const errors = [];
	const startMs = performance.now();
	const endMs = startMs + durationMs;
	const worker = async () => {
		while (performance.now() < endMs) {
			const requestStartMs = performance.now();
			try {
				await send();
				latenciesMs.push(performance.now() - requestStartMs);
			} catch (error) {
				errors.push(error instanceof Error ? error.message : String(error));
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));

	const elapsedSeconds = (performance.now() - startMs) / 1000;
	return {
		requestsPerSecond: latenciesMs.length / elapsedSeconds,
		meanMs: mean(latenciesMs),
		p50Ms: percentile(latenciesMs, 0.5),
		requestCount: latenciesMs.length,
		errors,
	};
}

function summarize(name, batches) {
	const errors = batches.flatMap((batch) => batch.errors);
	return {
		name,
		requestsPerSecond: median(batches.map((batch) => batch.requestsPerSecond)),
		meanMs: median(batches.map((batch) => batch.meanMs)),
		p50Ms: median(batches.map((batch) => batch.p50Ms)),
		requestCount: batches.reduce((sum, batch) => sum + batch.requestCount, 0),
		errorCount: errors.length,
		firstError: errors[0],
		roundsRequestsPerSecond: batches.map((batch) => batch.requestsPerSecond),
	};
}

/** Our time per request over the helper's (>1 means ours is slower), from req/s medians. */
function judgeOverhead(concurrency, ours, helper) {
	const comparison = compareRounds(helper.roundsRequestsPerSecond, ours.roundsRequestsPerSecond);
	const met = comparison.ratio <= MAX_OVERHEAD_RATIO;
	return {
		label: `ours adds <= 10% over n8n httpRequest, concurrency ${concurrency}`,
		concurrency,
		maxRatio: MAX_OVERHEAD_RATIO,
		...comparison,
		meanLatencyRatio: ours.meanMs / helper.meanMs,
		met,
		borderline: comparison.pairedMedian <= MAX_OVERHEAD_RATIO !== met,
	};
}

async function benchConcurrency(contenders, concurrency) {
	// Warm-up figures are dropped; a contender that fails here fails in the timed rounds too,
	// where its errors are counted and printed.
	for (const contender of contenders) await runLoad(contender.send, concurrency, WARMUP_MS);
	const batchesByName = await runInterleaved(contenders, ROUND_COUNT, (contender) =>
		runLoad(contender.send, concurrency, BATCH_MS),
	);
	const results = contenders.map(({ name }) => summarize(name, batchesByName.get(name)));
	const [, helper, ours] = results;
	return { concurrency, results, target: judgeOverhead(concurrency, ours, helper) };
}

/** Starts the loopback server, verifies each contender once, then times them. */
async function runDispatcherBench() {
	const server = await startServer();
	try {
		const contenders = makeContenders(server.url);
		const verified = [];
		for (const contender of contenders) verified.push(await verifyContender(contender));
		const levels = [];
		for (const concurrency of CONCURRENCY_LEVELS) {
			levels.push(await benchConcurrency(contenders, concurrency));
		}
		const requestBytes = Buffer.byteLength(REQUEST_BODY);
		return { rounds: ROUND_COUNT, batchMs: BATCH_MS, requestBytes, verified, levels };
	} finally {
		server.stop();
	}
}

module.exports = { runDispatcherBench };
