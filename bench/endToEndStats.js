'use strict';

// Turns the end-to-end bench's call records into figures: per batch, per contender over all
// rounds, per kind of call, and the verdicts against the built-in pair.
const { compareRounds, median, percentile } = require('./lib/stats');

const isDelivered = (record) => record.arrivedAtMs !== undefined;

/** One timed batch: calls/s from the first send to the last arrival, and latency percentiles. */
function summarizeBatch(records) {
	const delivered = records.filter(isDelivered);
	const latenciesMs = delivered.map((record) => record.arrivedAtMs - record.sentAtMs);
	const answerMs = records.map((record) => record.answeredAtMs - record.sentAtMs);
	const firstSentAtMs = Math.min(...records.map((record) => record.sentAtMs));
	const lastArrivedAtMs = Math.max(...delivered.map((record) => record.arrivedAtMs));
	const failed = records.find((record) => record.status !== 200);
	return {
		sent: records.length,
		delivered: delivered.length,
		exact: delivered.filter((record) => record.exact).length,
		refused: records.filter((record) => record.status !== 200).length,
		firstRefusal: failed && (failed.error ?? `status ${failed.status}`),
		callsPerSecond:
			delivered.length === 0 ? 0 : delivered.length / ((lastArrivedAtMs - firstSentAtMs) / 1000),
		p50Ms: percentile(latenciesMs, 0.5),
		p95Ms: percentile(latenciesMs, 0.95),
		answerP50Ms: percentile(answerMs, 0.5),
	};
}

const sum = (batches, field) => batches.reduce((total, batch) => total + batch[field], 0);

/** A contender over all rounds: medians of the per-round figures, totals of the counts. */
function summarizeContender(contender, batches) {
	return {
		key: contender.key,
		name: contender.name,
		shortName: contender.shortName,
		callsPerSecond: median(batches.map((batch) => batch.callsPerSecond)),
		p50Ms: median(batches.map((batch) => batch.p50Ms)),
		p95Ms: median(batches.map((batch) => batch.p95Ms)),
		answerP50Ms: median(batches.map((batch) => batch.answerP50Ms)),
		sent: sum(batches, 'sent'),
		delivered: sum(batches, 'delivered'),
		exact: sum(batches, 'exact'),
		refused: sum(batches, 'refused'),
		firstRefusal: batches.find((batch) => batch.firstRefusal)?.firstRefusal,
		roundsCallsPerSecond: batches.map((batch) => batch.callsPerSecond),
		roundsP50Ms: batches.map((batch) => batch.p50Ms),
		roundsP95Ms: batches.map((batch) => batch.p95Ms),
	};
}

/** How many calls were sent, accepted, delivered, delivered as JSON and delivered exactly. */
function tally(records) {
	const delivered = records.filter(isDelivered);
	return {
		sent: records.length,
		accepted: records.filter((record) => record.status === 200).length,
		delivered: delivered.length,
		parses: delivered.filter((record) => record.parses).length,
		exact: delivered.filter((record) => record.exact).length,
	};
}

/** Per kind of call, per contender: the tally of its calls. */
function tallyByKind(records, kinds, contenders) {
	return kinds.map((kind) => {
		const ofKind = records.filter((record) => record.kind === kind.name);
		const byContender = {};
		for (const { key } of contenders) {
			byContender[key] = tally(ofKind.filter((record) => record.contender === key));
		}
		return { kind: kind.name, byContender };
	});
}

function target(label, bound, comparison) {
	const passes = (ratio) =>
		bound.minRatio === undefined ? ratio <= bound.maxRatio : ratio >= bound.minRatio;
	const met = passes(comparison.ratio);
	return {
		label,
		...bound,
		...comparison,
		met,
		borderline: passes(comparison.pairedMedian) !== met,
	};
}

/** Ours against the built-in pair: calls/s (ours over theirs) and p95 (ours over theirs). */
function judgeEndToEnd(ours, builtIn, concurrency) {
	const throughput = compareRounds(ours.roundsCallsPerSecond, builtIn.roundsCallsPerSecond);
	const latency = compareRounds(ours.roundsP95Ms, builtIn.roundsP95Ms);
	return [
		target(
			`end to end, ours >= built-in pair in calls/s at concurrency ${concurrency}`,
			{ minRatio: 1 },
			throughput,
		),
		target('end to end, ours p95 latency <= built-in pair', { maxRatio: 1 }, latency),
	];
}

module.exports = { judgeEndToEnd, summarizeBatch, summarizeContender, tally, tallyByKind };
