'use strict';

const { formatCount, formatFixed, formatRatio, printTable } = require('./lib/table');

function formatSpread(perRound) {
	return perRound ? `${formatRatio(perRound.min)} .. ${formatRatio(perRound.max)}` : '-';
}

function printRendererReport(renderer) {
	console.log(`\n== Renderer: the 5-field body, hostile values, ${renderer.bodyBytes}-byte output`);
	console.log('JSON-safe check (output parses back to exactly the input values):');
	for (const contender of renderer.contenders) {
		const verdict = contender.jsonSafe ? 'valid JSON, values intact' : contender.problem;
		console.log(`  ${contender.name.padEnd(22)} ${verdict}`);
	}

	const ours = renderer.contenders[0];
	console.log(
		`\nMedian of ${renderer.rounds} interleaved rounds (~${renderer.batchTargetMs} ms each):`,
	);
	printTable(
		['contender', 'ns/render', 'renders/s', 'its time / ours'],
		renderer.contenders.map((contender) => [
			contender.name,
			contender.jsonSafe ? formatCount(contender.nsPerRender) : 'not timed',
			contender.jsonSafe ? formatCount(contender.rendersPerSecond) : '-',
			contender.jsonSafe ? formatRatio(contender.nsPerRender / ours.nsPerRender) : '-',
		]),
	);
}

function printDispatcherLevel(level) {
	const helper = level.results[1];
	console.log(`\nConcurrency ${level.concurrency}:`);
	printTable(
		['contender', 'req/s', 'mean ms', 'p50 ms', 'time / helper', 'requests', 'errors'],
		level.results.map((result) => [
			result.name,
			formatCount(result.requestsPerSecond),
			formatFixed(result.meanMs, 3),
			formatFixed(result.p50Ms, 3),
			formatRatio(helper.requestsPerSecond / result.requestsPerSecond),
			formatCount(result.requestCount),
			result.errorCount === 0 ? '0' : `${result.errorCount} (${result.firstError})`,
		]),
	);
}

function printDispatcherReport(dispatcher) {
	console.log(`\n== Dispatcher: POST of a ${dispatcher.requestBytes}-byte body to 127.0.0.1`);
	console.log(
		'Connection header on the first response (close = a new TCP connection per request):',
	);
	for (const { name, connection } of dispatcher.verified) {
		console.log(`  ${name.padEnd(22)} ${connection}`);
	}
	console.log(`Median of ${dispatcher.rounds} interleaved rounds (${dispatcher.batchMs} ms each);`);
	console.log('"time / helper" is the helper\'s req/s over the contender\'s (>1 = slower).');
	for (const level of dispatcher.levels) printDispatcherLevel(level);
}

function printTimedContenders(endToEnd) {
	printTable(
		['contender', 'calls/s', 'p50 ms', 'p95 ms', 'answer p50 ms', 'sent', 'delivered', 'exact'],
		endToEnd.timed.map((contender) => [
			contender.name,
			formatFixed(contender.callsPerSecond, 1),
			formatFixed(contender.p50Ms, 1),
			formatFixed(contender.p95Ms, 1),
			formatFixed(contender.answerP50Ms, 1),
			formatCount(contender.sent),
			formatCount(contender.delivered),
			formatCount(contender.exact),
		]),
	);
	const [ours, builtIn] = endToEnd.timed;
	const ratios = [
		`calls/s ${formatRatio(ours.callsPerSecond / builtIn.callsPerSecond)}`,
		`p50 ${formatRatio(ours.p50Ms / builtIn.p50Ms)}`,
		`p95 ${formatRatio(ours.p95Ms / builtIn.p95Ms)}`,
	];
	console.log(`ours / built-in: ${ratios.join(', ')}`);
	for (const contender of endToEnd.timed) {
		const rates = contender.roundsCallsPerSecond.map((rate) => formatFixed(rate, 1));
		const p95s = contender.roundsP95Ms.map((ms) => formatFixed(ms, 0));
		const label = `${contender.shortName} per round:`.padEnd(24);
		console.log(`  ${label} calls/s ${rates.join(', ')}; p95 ms ${p95s.join(', ')}`);
		if (contender.refused > 0) {
			console.log(
				`  ${contender.shortName}: ${contender.refused} refused (${contender.firstRefusal})`,
			);
		}
	}
}

/** A correctness cell: exact/sent, and what became of the others. */
function formatTally({ sent, delivered, exact }) {
	const parts = [`${exact}/${sent}`];
	if (delivered > exact) parts.push(`${delivered - exact} altered`);
	if (sent > delivered) parts.push(`${sent - delivered} not delivered`);
	return parts.join(', ');
}

function printCorrectness(endToEnd) {
	const { contenders, correctness, callsPerKind } = endToEnd;
	console.log(
		`\nCorrectness: ${callsPerKind} calls of each kind through each workflow; ` +
			'exact = the body parses and holds exactly the values sent',
	);
	printTable(
		['kind of value', ...contenders.map((contender) => contender.shortName)],
		correctness.map(({ kind, byContender }) => [
			kind,
			...contenders.map(({ key }) => formatTally(byContender[key])),
		]),
	);
}

function printNaive(naive) {
	console.log(
		`\nBuilt-in pair, body by string interpolation, the timed calls' data (${naive.sent} calls):`,
	);
	const failed = `${naive.failedWithInvalidJson} of them with "${naive.invalidJsonMessage}"`;
	const rows = [
		['accepted by the webhook', naive.accepted],
		['reached the receiver', naive.delivered],
		['parsed as JSON', naive.parses],
		['parsed, with exact values', naive.exact],
		['n8n executions failed', `${naive.failedExecutions} (${failed})`],
	];
	for (const [label, value] of rows) console.log(`  ${label.padEnd(26)} ${value}`);
}

/** What n8n itself recorded, to show that no execution failed out of sight. */
function printExecutionRecord({ contenders, executions, storedBytesPerExecution }) {
	console.log(
		"\nn8n's own record of the executions over the whole run, and the mean size of what it " +
			'stored for a successful one:',
	);
	for (const { shortName, workflowId } of contenders) {
		const byStatus = Object.entries(executions[workflowId] ?? {});
		const counts = byStatus.map(([status, count]) => `${status} ${count}`).join(', ');
		const bytes = storedBytesPerExecution[workflowId];
		const stored = bytes === undefined ? '' : `; ${formatCount(bytes)} bytes stored each`;
		console.log(`  ${shortName.padEnd(24)} ${counts || 'none'}${stored}`);
	}
}

function printEndToEndReport(endToEnd) {
	console.log(
		`\n== End to end: n8n ${endToEnd.n8nRelease}, a ${endToEnd.callBytes}-byte hostile call in ` +
			'at a webhook, five fields out to a receiver on 127.0.0.1',
	);
	console.log(
		`Concurrency ${endToEnd.concurrency}: a call holds its slot from its send until its body ` +
			'reaches the receiver; latency is that time.',
	);
	const load = (averages) => averages[0].toFixed(2);
	const { atStart, atEnd } = endToEnd.loadAverage;
	console.log(
		`Median of ${endToEnd.rounds} interleaved rounds of ${endToEnd.callsPerBatch} calls each, ` +
			`after ${endToEnd.warmupCalls} warm-up calls per contender ` +
			`(1-minute load average ${load(atStart)} at the start, ${load(atEnd)} at the end):`,
	);
	printTimedContenders(endToEnd);
	console.log(
		'"answer" is the time until the webhook answered: for both, n8n answers once it has ' +
			'stored the execution.',
	);
	console.log(
		"n8n's engine (execution setup, saving each execution) dominates these figures: the ratio " +
			'shows what our nodes add over the built-in pair, not how fast they are on their own.',
	);
	printCorrectness(endToEnd);
	printNaive(endToEnd.naive);
	printExecutionRecord(endToEnd);
	if (endToEnd.strayArrivals > 0) {
		console.log(`\n${endToEnd.strayArrivals} bodies reached the receiver without a known call id`);
	}
}

function describeTarget(target) {
	const bound =
		target.maxRatio === undefined
			? `needs >= ${formatRatio(target.minRatio)}`
			: `needs <= ${formatRatio(target.maxRatio)}`;
	if (target.note) return `${bound}; ${target.note}`;
	const paired = `median of per-round ratios ${formatRatio(target.pairedMedian)}`;
	const spread = `single rounds ${formatSpread(target.perRound)}`;
	const borderline = target.borderline ? '; BORDERLINE: the per-round median disagrees' : '';
	return `${bound}; ${paired}, ${spread}${borderline}`;
}

function printVerdicts(targets) {
	console.log('\n== Verdicts (ratio of medians)');
	for (const target of targets) {
		const verdict = target.met ? 'MET    ' : 'NOT MET';
		console.log(`${verdict}  ${target.label}: ${formatRatio(target.ratio)}`);
		console.log(`         (${describeTarget(target)})`);
	}
}

module.exports = {
	printDispatcherReport,
	printEndToEndReport,
	printRendererReport,
	printVerdicts,
};
