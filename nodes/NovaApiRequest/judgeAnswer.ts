export type Decision = 'yes' | 'no';

export interface ParsedAnswer {
	decision: Decision;
	/** The model's reason, on one line. */
	reason: string;
}

// One line on the item is the point of the reason; a model that writes an essay is cut short.
const MAX_REASON_CHARS = 300;

// A verdict line is short; scanning a long reply for JSON costs time quadratic in its length.
const MAX_SCANNED_CHARS = 4_000;

// Enough of an unusable answer to show in the item's reason what the model said instead.
const ANSWER_EXCERPT_CHARS = 120;

/** The text of a chat model's reply: a string, or LangChain's list of content parts. */
export function answerText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part: unknown) => {
			if (typeof part === 'string') return part;
			const { text } = (part ?? {}) as { text?: unknown };
			return typeof text === 'string' ? text : '';
		})
		.join('');
}

function oneLine(text: string, maxChars: number): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > maxChars ? `${line.slice(0, maxChars)}…` : line;
}

/** Every `{...}` span of the text that parses as a JSON object, outermost first. */
function jsonObjects(text: string): Array<Record<string, unknown>> {
	const found: Array<Record<string, unknown>> = [];
	for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
		for (let end = text.lastIndexOf('}'); end > start; end = text.lastIndexOf('}', end - 1)) {
			const candidate = tryParseObject(text.slice(start, end + 1));
			if (candidate) {
				found.push(candidate);
				break;
			}
		}
	}
	return found;
}

function tryParseObject(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		return value !== null && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		// Not JSON: the caller tries the next span.
		return undefined;
	}
}

function decisionOf(value: unknown): Decision | undefined {
	const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
	return word === 'yes' || word === 'no' ? word : undefined;
}

function fromObject(object: Record<string, unknown>): ParsedAnswer | undefined {
	const key = Object.keys(object).find((name) => name.trim().toLowerCase() === 'verdict');
	const decision = key === undefined ? undefined : decisionOf(object[key]);
	if (decision === undefined) return undefined;
	const reasonKey = Object.keys(object).find((name) => name.trim().toLowerCase() === 'reason');
	const reason =
		reasonKey === undefined ? '' : oneLine(String(object[reasonKey]), MAX_REASON_CHARS);
	return { decision, reason: reason || 'The model gave no reason' };
}

/**
 * Reads the model's verdict from its reply. Accepts the JSON line asked for, also inside a code
 * fence or among other text and in any letter case, or a reply that is only "yes" or "no".
 * Returns undefined when no single verdict can be read; two different verdicts count as none.
 */
export function parseAnswer(text: string): ParsedAnswer | undefined {
	const answers = jsonObjects(text.slice(0, MAX_SCANNED_CHARS))
		.map(fromObject)
		.filter((answer): answer is ParsedAnswer => answer !== undefined);
	const decisions = new Set(answers.map((answer) => answer.decision));
	if (decisions.size === 1) return answers[0];
	if (decisions.size > 1) return undefined;

	const bare = decisionOf(text.replace(/[`."'!\s]/g, ''));
	return bare && { decision: bare, reason: `The model answered "${bare}" without a reason` };
}

/** A short, one-line excerpt of an answer that could not be read, for the item's reason. */
export function answerExcerpt(text: string): string {
	return oneLine(text, ANSWER_EXCERPT_CHARS) || '(empty)';
}
