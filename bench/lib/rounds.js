'use strict';

/**
 * The contenders in round `roundIndex` order: each round starts one later, so that no contender
 * always runs first (cold caches) or last (after the others filled the heap).
 */
function rotate(contenders, roundIndex) {
	const shift = roundIndex % contenders.length;
	return [...contenders.slice(shift), ...contenders.slice(0, shift)];
}

/**
 * Runs `measure(contender)` for every contender in every round, in rotating order, so that a
 * burst of noise on this shared machine hits all contenders alike. Returns, per contender name,
 * the list of per-round measurements.
 */
async function runInterleaved(contenders, roundCount, measure) {
	const samplesByName = new Map(contenders.map((contender) => [contender.name, []]));
	for (let roundIndex = 0; roundIndex < roundCount; roundIndex++) {
		for (const contender of rotate(contenders, roundIndex)) {
			samplesByName.get(contender.name).push(await measure(contender));
		}
	}
	return samplesByName;
}

module.exports = { runInterleaved };
