import { MissingVariablesError, TemplateValueError } from './errors';

/**
 * What a placeholder renders to when its variable is absent or null:
 * - `empty`: an empty string, as Nova itself does;
 * - `keep`: the placeholder text, such as `{{email}}`, unchanged;
 * - `error`: nothing is rendered; a MissingVariablesError names every missing variable.
 */
export type MissingVariablePolicy = 'empty' | 'keep' | 'error';

export type TemplateVariables = Readonly<Record<string, unknown>>;

export interface RenderOptions {
	/** Defaults to `empty`. */
	missing?: MissingVariablePolicy;
	/**
	 * JSON bodies only: a JSON string that is exactly one placeholder, such as `"{{amount}}"`,
	 * takes the variable's own JSON type, so a number stays a number and an object an object.
	 */
	keepTypes?: boolean;
}

export interface Placeholder {
	/** The variable path between the braces, such as `customer.id`. */
	path: string;
	/** The placeholder as written in the template, such as `{{ customer.id }}`. */
	source: string;
}

/** Literal text and placeholders, in template order. */
export type TemplatePart = string | Placeholder;

// Letters and digits of any script, `_` and `-`, with dots between path segments. `$` is left
// out on purpose: `{{ $json.x }}` is an n8n expression that was not evaluated, not a variable.
const PLACEHOLDER = /\{\{\s*([\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*)\s*\}\}/gu;

// Keys that would reach an object's prototype machinery rather than call data.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function splitPlaceholders(text: string): TemplatePart[] {
	const parts: TemplatePart[] = [];
	let last = 0;
	for (const match of text.matchAll(PLACEHOLDER)) {
		const start = match.index;
		if (start > last) parts.push(text.slice(last, start));
		parts.push({ path: match[1], source: match[0] });
		last = start + match[0].length;
	}
	if (last < text.length) parts.push(text.slice(last));
	return parts;
}

function hasOwn(target: object, key: string): boolean {
	return !UNSAFE_KEYS.has(key) && Object.prototype.hasOwnProperty.call(target, key);
}

/**
 * Looks a placeholder path up in the call variables. A key that contains a dot itself wins over
 * a nested path; only own properties count. Absent and null both come back as `undefined`.
 */
export function lookupVariable(variables: TemplateVariables, path: string): unknown {
	if (hasOwn(variables, path)) return variables[path] ?? undefined;
	if (!path.includes('.')) return undefined;

	let current: unknown = variables;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object' || !hasOwn(current, key)) {
			return undefined;
		}
		current = (current as Record<string, unknown>)[key];
	}
	return current ?? undefined;
}

/**
 * A value as JSON text. JSON.stringify runs out of stack on a value nested some thousands of
 * levels deep, and refuses cycles and nested bigints; each becomes a TemplateValueError that
 * names the placeholder, instead of an error that says nothing about the template.
 */
export function stringifyValue(value: unknown, path = 'value'): string | undefined {
	let reason: string;
	try {
		return JSON.stringify(value);
	} catch (error) {
		reason = error instanceof RangeError ? 'it is nested too deeply' : (error as Error).message;
	}
	throw new TemplateValueError(`{{${path}}} cannot be written as JSON: ${reason}`);
}

/** How a value reads inside text: strings as they are, objects and arrays as JSON. */
export function valueAsText(value: unknown, path?: string): string | undefined {
	switch (typeof value) {
		case 'string':
			return value;
		case 'number':
		case 'boolean':
		case 'bigint':
			return String(value);
		case 'object':
			return value === null ? undefined : stringifyValue(value, path);
		default:
			return undefined;
	}
}

/** Throws when the policy is `error` and any placeholder in `parts` has no value. */
export function assertNoneMissing(
	placeholders: readonly Placeholder[],
	variables: TemplateVariables,
	policy: MissingVariablePolicy,
): void {
	if (policy !== 'error') return;
	const missing = new Set<string>();
	for (const placeholder of placeholders) {
		if (valueAsText(lookupVariable(variables, placeholder.path), placeholder.path) === undefined) {
			missing.add(placeholder.path);
		}
	}
	if (missing.size > 0) throw new MissingVariablesError([...missing]);
}

/** The text a placeholder stands for, with the missing-variable policy applied. */
export function placeholderText(
	placeholder: Placeholder,
	variables: TemplateVariables,
	policy: MissingVariablePolicy,
): string {
	const text = valueAsText(lookupVariable(variables, placeholder.path), placeholder.path);
	if (text !== undefined) return text;
	if (policy === 'keep') return placeholder.source;
	if (policy === 'error') throw new MissingVariablesError([placeholder.path]);
	return '';
}

export function placeholdersOf(parts: readonly TemplatePart[]): Placeholder[] {
	return parts.filter((part): part is Placeholder => typeof part !== 'string');
}
