'use strict';

// Sends Nova's post-call requests to n8n's webhooks and pairs each one with the request n8n's
// workflow makes to the receiver, by the call id in the body.
const { fork } = require('node:child_process');
const { once } = require('node:events');
const http = require('node:http');
const path = require('node:path');

const { callIdOf, callVariables, isExactBody } = require('./endToEndCalls');

/** Milliseconds since the Unix epoch, with sub-millisecond precision, as in the receiver. */
const epochMs = () => performance.timeOrigin + performance.now();

async function startArrivalReceiver() {
	const child = fork(path.join(__dirname, 'arrivalReceiver.js'), { stdio: 'inherit' });
	const [{ port }] = await once(child, 'message');
	return { url: `http://127.0.0.1:${port}`, child, stop: () => child.disconnect() };
}

/** Runs `task(index)` for indexes 0 .. count-1, at most `concurrency` at a time. */
async function forEachConcurrently(count, concurrency, task) {
	let nextIndex = 0;
	const worker = async () => {
		while (nextIndex < count) await task(nextIndex++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function parses(text) {
	try {
		JSON.parse(text);
		return true;
	} catch {
		// Only whether it parses is asked here; the reason is in the body itself.
		return false;
	}
}

/** What became of one call: when it was sent, answered and delivered, and how it looked. */
function callRecord(sent, answer, arrival) {
	const record = { ...sent, status: answer.status, answeredAtMs: answer.answeredAtMs };
	delete record.variables;
	if (answer.error) record.error = answer.error;
	if (arrival === undefined) return record;
	return {
		...record,
		arrivedAtMs: arrival.arrivedAtMs,
		parses: parses(arrival.body),
		exact: isExactBody(arrival.body, sent.variables),
	};
}

class CallClient {
	constructor({ baseUrl, receiver, authorization, concurrency }) {
		this.baseUrl = baseUrl;
		this.authorization = authorization;
		this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
		this.nextCallId = 1;
		this.waiters = new Map();
		this.strays = [];
		receiver.child.on('message', (message) => {
			if (message.kind === 'arrival') this.onArrival(message);
		});
	}

	onArrival(arrival) {
		const waiter = this.waiters.get(callIdOf(arrival.body));
		// A body without a known id, or one that came twice, is counted, never dropped.
		if (waiter === undefined) this.strays.push(arrival);
		else waiter(arrival);
	}

	/** Resolves with the call's arrival at the receiver, or undefined after `deadlineMs`. */
	expectArrival(callId, deadlineMs) {
		return new Promise((resolve) => {
			const timer = setTimeout(() => this.release(callId), deadlineMs);
			this.waiters.set(callId, (arrival) => {
				clearTimeout(timer);
				this.waiters.delete(callId);
				resolve(arrival);
			});
		});
	}

	/** Stops waiting for a call: its arrival promise resolves with undefined. */
	release(callId) {
		this.waiters.get(callId)?.(undefined);
	}

	releaseAll() {
		for (const callId of [...this.waiters.keys()]) this.release(callId);
	}

	post(webhookPath, variables, authorization = this.authorization) {
		const body = JSON.stringify(variables);
		const headers = {
			authorization,
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(body),
		};
		const url = `${this.baseUrl}/webhook/${webhookPath}`;
		return new Promise((resolve) => {
			const request = http.request(
				url,
				{ method: 'POST', agent: this.agent, headers },
				(answer) => {
					answer.resume();
					answer.on('end', () => resolve({ status: answer.statusCode, answeredAtMs: epochMs() }));
				},
			);
			// A failed request is a result of the run, recorded with the call, not a crash.
			request.on('error', (error) =>
				resolve({ status: 0, answeredAtMs: epochMs(), error: error.message }),
			);
			request.end(body);
		});
	}

	/**
	 * Sends one call of `kind` to the contender's webhook. Returns at n8n's answer, with a promise
	 * of the call's record that settles when the call reaches the receiver or is given up.
	 */
	async send(contender, kind, deadlineMs) {
		const callId = this.nextCallId++;
		const variables = callVariables(callId, kind);
		const arrival = this.expectArrival(callId, deadlineMs);
		const sent = { callId, contender: contender.key, variables, sentAtMs: epochMs() };
		const answer = await this.post(contender.webhookPath, variables);
		if (answer.status !== 200) this.release(callId);
		return { answer, record: arrival.then((arrived) => callRecord(sent, answer, arrived)) };
	}

	/** Sends one call and waits until it reaches the receiver or `deadlineMs` has passed. */
	async deliver(contender, kind, deadlineMs) {
		const { record } = await this.send(contender, kind, deadlineMs);
		return await record;
	}

	close() {
		this.agent.destroy();
	}
}

module.exports = { CallClient, epochMs, forEachConcurrently, startArrivalReceiver };
