'use strict';

function sorted(values) {
	return [...values].sort((left, right) => left - right);
}

/** The value below which `fraction` of the values lie, interpolating between neighbours. */
function percentile(values, fraction) {
	const ordered = sorted(values);
	if (ordered.length === 0) return NaN;
	const position = (ordered.length - 1) * fraction;
	const below = Math.floor(position);
	const above = Math.min(below + 1, ordered.length - 1);
	return ordered[below] + (ordered[above] - ordered[below]) * (position - below);
}

function median(values) {
	return percentile(values, 0.5);
}

function mean(values) {
	if (values.length === 0) return NaN;
	return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Smallest and largest value, to show how far single rounds strayed from the median. */
function range(values) {
	const ordered = sorted(values);
	return { min: ordered[0], max: ordered[ordered.length - 1] };
}

/**
 * Compares two contenders measured in the same rounds: the ratio of their medians, and the
 * median of the round-by-round ratios, which cancels drift in machine speed between rounds.
 */
function compareRounds(numeratorSamples, denominatorSamples) {
	const perRound = numeratorSamples.map((value, round) => value / denominatorSamples[round]);
	return {
		ratio: median(numeratorSamples) / median(denominatorSamples),
		pairedMedian: median(perRound),
		perRound: range(perRound),
	};
}

module.exports = { compareRounds, mean, median, percentile, range };
