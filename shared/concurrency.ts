/**
 * Runs `task` over `inputs` with at most `limit` tasks in flight and returns the results in input
 * order. Once `stop` returns true no new task starts; inputs never started get `undefined`.
 * Tasks are expected to settle, not throw: a thrown error rejects the whole map.
 */
export async function mapWithConcurrency<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
	stop: () => boolean = () => false,
): Promise<Array<R | undefined>> {
	const results = new Array<R | undefined>(inputs.length).fill(undefined);
	let next = 0;

	async function worker(): Promise<void> {
		while (next < inputs.length && !stop()) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	}

	const workers = Math.max(1, Math.min(limit, inputs.length));
	await Promise.all(Array.from({ length: workers }, worker));
	return results;
}
