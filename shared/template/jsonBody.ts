import { memoize } from './cache';
import { positionAt, TemplateSyntaxError } from './errors';
import {
	assertNoneMissing,
	lookupVariable,
	placeholdersOf,
	placeholderText,
	splitPlaceholders,
	stringifyValue,
	type Placeholder,
	type RenderOptions,
	type TemplatePart,
	type TemplateVariables,
} from './placeholders';

/**
 * A body template, parsed once. `raw` chunks are copied verbatim; `string` chunks are JSON
 * strings that hold placeholders; `value` chunks are placeholders written where a JSON value goes.
 */
type Chunk =
	| { kind: 'raw'; text: string }
	| { kind: 'string'; parts: TemplatePart[]; sole: Placeholder | undefined }
	| { kind: 'value'; placeholder: Placeholder };

interface CompiledBody {
	chunks: Chunk[];
	placeholders: Placeholder[];
}

// Far deeper than any API's body, far shallower than the ~5,000 levels at which the recursive
// parser would run out of stack: a deeper template gets a TemplateSyntaxError instead.
const MAX_NESTING_DEPTH = 256;

const VALUE_PLACEHOLDER = /\{\{\s*[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*\s*\}\}/uy;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

class BodyParser {
	private offset = 0;
	private rawStart = 0;
	private depth = 0;
	private readonly chunks: Chunk[] = [];

	constructor(private readonly text: string) {}

	compile(): CompiledBody {
		this.skipWhitespace();
		if (this.offset === this.text.length) {
			this.fail(
				'The body template is empty',
				'Write a JSON object, such as {"text": "{{summary}}"}.',
			);
		}
		this.value();
		this.skipWhitespace();
		if (this.offset < this.text.length) {
			this.fail(
				'Unexpected text after the end of the JSON body',
				'A body holds one JSON value. Remove what follows its closing bracket.',
			);
		}
		this.flushRaw(this.text.length);
		const placeholders = this.chunks.flatMap((chunk) => {
			if (chunk.kind === 'value') return [chunk.placeholder];
			return chunk.kind === 'string' ? placeholdersOf(chunk.parts) : [];
		});
		return { chunks: this.chunks, placeholders };
	}

	private value(): void {
		const char = this.text[this.offset];
		if (char === '{' && this.placeholderValue()) return;
		if (char === '{' || char === '[') {
			this.descend();
			if (char === '{') this.object();
			else this.array();
			this.depth--;
		} else if (char === '"') {
			this.string('value');
		} else if (!this.literal()) {
			this.fail(
				char === "'" ? 'Single quotes are not JSON' : 'Expected a JSON value',
				'Use double quotes around text, and write numbers, true, false, null, or a {{variable}}.',
			);
		}
	}

	private descend(): void {
		this.depth++;
		if (this.depth > MAX_NESTING_DEPTH) {
			this.fail(
				`The body nests objects and lists more than ${MAX_NESTING_DEPTH} levels deep`,
				'Flatten the template; no API expects a body nested this deeply.',
			);
		}
	}

	private object(): void {
		this.offset++;
		this.skipWhitespace();
		if (this.text[this.offset] === '}') {
			this.offset++;
			return;
		}
		for (;;) {
			if (this.text[this.offset] !== '"') {
				this.fail(
					'Expected a property name in double quotes',
					'Write keys as "key", and leave no comma before a closing }.',
				);
			}
			this.string('key');
			this.skipWhitespace();
			this.expect(':', 'Expected a colon after the property name');
			this.skipWhitespace();
			this.value();
			this.skipWhitespace();
			if (this.text[this.offset] === '}') {
				this.offset++;
				return;
			}
			this.expect(',', "Expected ',' or '}' after a property value");
			this.skipWhitespace();
		}
	}

	private array(): void {
		this.offset++;
		this.skipWhitespace();
		if (this.text[this.offset] === ']') {
			this.offset++;
			return;
		}
		for (;;) {
			this.value();
			this.skipWhitespace();
			if (this.text[this.offset] === ']') {
				this.offset++;
				return;
			}
			this.expect(',', "Expected ',' or ']' after an array element");
			this.skipWhitespace();
			if (this.text[this.offset] === ']') {
				this.fail('Trailing comma before ]', 'Remove the comma after the last element.');
			}
		}
	}

	/** Keys stay strings even with keepTypes, or `{"{{id}}": 1}` could render as `{5: 1}`. */
	private string(role: 'key' | 'value'): void {
		STRING.lastIndex = this.offset;
		const match = STRING.exec(this.text);
		if (match === null) this.failString();
		const start = this.offset;
		this.offset += match[0].length;

		const decoded = JSON.parse(match[0]) as string;
		const parts = splitPlaceholders(decoded);
		if (parts.every((part) => typeof part === 'string')) return;

		this.flushRaw(start);
		const isSole = role === 'value' && parts.length === 1 && typeof parts[0] !== 'string';
		const sole = isSole ? (parts[0] as Placeholder) : undefined;
		this.chunks.push({ kind: 'string', parts, sole });
		this.rawStart = this.offset;
	}

	private placeholderValue(): boolean {
		VALUE_PLACEHOLDER.lastIndex = this.offset;
		const match = VALUE_PLACEHOLDER.exec(this.text);
		if (match === null) return false;
		const [placeholder] = splitPlaceholders(match[0]) as Placeholder[];
		this.flushRaw(this.offset);
		this.chunks.push({ kind: 'value', placeholder });
		this.offset += match[0].length;
		this.rawStart = this.offset;
		return true;
	}

	private literal(): boolean {
		for (const word of ['true', 'false', 'null']) {
			if (this.text.startsWith(word, this.offset)) {
				this.offset += word.length;
				return true;
			}
		}
		NUMBER.lastIndex = this.offset;
		const match = NUMBER.exec(this.text);
		if (match === null) return false;
		this.offset += match[0].length;
		return true;
	}

	private failString(): never {
		let index = this.offset + 1;
		while (index < this.text.length) {
			const code = this.text.charCodeAt(index);
			if (code === 0x22) break;
			if (code < 0x20) {
				this.offset = index;
				this.fail(
					'A line break or control character inside a string',
					'Keep each string on one line; write a line break as \\n.',
				);
			}
			if (code === 0x5c) {
				if (!/^\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(this.text.slice(index, index + 6))) {
					this.offset = index;
					this.fail('An invalid escape inside a string', 'Write a backslash itself as \\\\.');
				}
				index++;
			}
			index++;
		}
		this.fail('A string that is never closed', 'Add the closing double quote.');
	}

	private expect(char: string, problem: string): void {
		if (this.text[this.offset] !== char) {
			const trailingComma = char === ':' ? false : this.text[this.offset - 1] === ',';
			this.fail(
				problem,
				trailingComma ? 'Remove the trailing comma.' : 'Check the JSON near here.',
			);
		}
		this.offset++;
	}

	private skipWhitespace(): void {
		WHITESPACE.lastIndex = this.offset;
		WHITESPACE.exec(this.text);
		this.offset = WHITESPACE.lastIndex;
	}

	private flushRaw(end: number): void {
		if (end > this.rawStart) {
			this.chunks.push({ kind: 'raw', text: this.text.slice(this.rawStart, end) });
		}
		this.rawStart = end;
	}

	private fail(problem: string, hint: string): never {
		throw new TemplateSyntaxError(problem, positionAt(this.text, this.offset), hint);
	}
}

const compileBody = memoize((template: string) => new BodyParser(template).compile());

/** Checks a body template and returns the placeholders it uses, without rendering it. */
export function parseJsonBodyTemplate(template: string): readonly Placeholder[] {
	return compileBody(template).placeholders;
}

function valueAsJson(
	placeholder: Placeholder,
	variables: TemplateVariables,
	missing: NonNullable<RenderOptions['missing']>,
): string {
	const value = lookupVariable(variables, placeholder.path);
	// JSON.stringify cannot write a bigint, but its digits are a valid JSON number.
	const json = typeof value === 'bigint' ? String(value) : stringifyValue(value, placeholder.path);
	if (json !== undefined) return json;
	return JSON.stringify(placeholderText(placeholder, variables, missing));
}

function stringAsJson(
	parts: readonly TemplatePart[],
	variables: TemplateVariables,
	missing: NonNullable<RenderOptions['missing']>,
): string {
	let text = '';
	for (const part of parts) {
		text += typeof part === 'string' ? part : placeholderText(part, variables, missing);
	}
	return JSON.stringify(text);
}

/**
 * Renders a JSON body template. The result is always valid JSON: placeholders inside strings are
 * escaped into the string, placeholders in value position become JSON values, and nothing a value
 * contains is ever read as template syntax.
 *
 * @throws TemplateSyntaxError when the template is not valid JSON.
 * @throws MissingVariablesError under the `error` policy.
 * @throws TemplateValueError when a value cannot be written as JSON (nested too deeply).
 */
export function renderJsonBody(
	template: string,
	variables: TemplateVariables,
	options: RenderOptions = {},
): string {
	const { chunks, placeholders } = compileBody(template);
	const missing = options.missing ?? 'empty';
	assertNoneMissing(placeholders, variables, missing);

	let body = '';
	for (const chunk of chunks) {
		if (chunk.kind === 'raw') {
			body += chunk.text;
		} else if (chunk.kind === 'value') {
			body += valueAsJson(chunk.placeholder, variables, missing);
		} else if (options.keepTypes === true && chunk.sole !== undefined) {
			body += valueAsJson(chunk.sole, variables, missing);
		} else {
			body += stringAsJson(chunk.parts, variables, missing);
		}
	}
	return body;
}
