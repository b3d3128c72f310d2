// Workflows reuse a handful of templates for every item, so compiled templates are kept.
// The bound stops a workflow that builds templates from call data from growing memory.
const MAX_CACHED_TEMPLATES = 256;

/** A small map that forgets its oldest entry once it holds MAX_CACHED_TEMPLATES. */
export function memoize<T>(compile: (template: string) => T): (template: string) => T {
	const cache = new Map<string, T>();
	return (template) => {
		let compiled = cache.get(template);
		if (compiled === undefined) {
			compiled = compile(template);
			if (cache.size >= MAX_CACHED_TEMPLATES) {
				cache.delete(cache.keys().next().value as string);
			}
			cache.set(template, compiled);
		}
		return compiled;
	};
}
