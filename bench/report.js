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

module.exports = { printDispatcherReport, printRendererReport, printVerdicts };
