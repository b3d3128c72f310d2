import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

/**
 * A `{{name}}` or `{{customer.id}}` whose inside is a bare name. n8n's editor switches a field to
 * Expression mode as soon as `{{` is typed or pasted, and n8n would then evaluate `{{caller_number}}`
 * as JavaScript, where the name means nothing and renders as an empty string. Nothing in n8n's
 * own expression language is a bare name (its variables start with `$`), so such a placeholder is
 * Nova's, and it is kept for our renderer.
 */
const BARE_PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

/** Bare names that do mean something in an expression, left for n8n to evaluate. */
const EXPRESSION_NAMES = new Set([
	'true',
	'false',
	'null',
	'undefined',
	'NaN',
	'Infinity',
	'Array',
	'Boolean',
	'Date',
	'DateTime',
	'Duration',
	'Interval',
	'JSON',
	'Math',
	'Number',
	'Object',
	'String',
]);

/**
 * Rewrites each Nova placeholder in an n8n expression into an expression that evaluates to the
 * placeholder itself. The braces are written as JavaScript escapes, because n8n's template parser
 * ends an expression at the first `}}` it meets.
 */
export function keepNovaPlaceholders(expression: string): string {
	return expression.replace(BARE_PLACEHOLDER, (whole, path: string) => {
		if (EXPRESSION_NAMES.has(path.split('.')[0])) return whole;
		return `{{ '\\u007b\\u007b${path}\\u007d\\u007d' }}`;
	});
}

function isExpression(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith('=');
}

/** Evaluates a raw expression parameter; evaluateExpression adds the leading `=` itself. */
function evaluate(ctx: IExecuteFunctions, raw: string, itemIndex: number): NodeParameterValueType {
	return ctx.evaluateExpression(keepNovaPlaceholders(raw.slice(1)), itemIndex);
}

/**
 * A template parameter as the user meant it: n8n expressions evaluated, Nova placeholders kept,
 * whether the field is in Fixed or in Expression mode.
 */
export function templateParameter(
	ctx: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
	fallback: string,
): NodeParameterValueType {
	const raw = ctx.getNodeParameter(parameter, itemIndex, fallback, {
		rawExpressions: true,
	}) as NodeParameterValueType;
	if (!isExpression(raw)) return raw;
	return evaluate(ctx, raw, itemIndex);
}

/** Name/value pairs whose values are templates; the names are evaluated by n8n as usual. */
export function templateValues<Entry extends { value?: unknown }>(
	ctx: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
): Entry[] {
	const evaluated = ctx.getNodeParameter(parameter, itemIndex, []) as Entry[];
	const raw = ctx.getNodeParameter(parameter, itemIndex, [], { rawExpressions: true }) as Entry[];
	return evaluated.map((entry, index) => {
		const rawValue = raw[index]?.value;
		if (!isExpression(rawValue)) return entry;
		return { ...entry, value: evaluate(ctx, rawValue, itemIndex) };
	});
}
