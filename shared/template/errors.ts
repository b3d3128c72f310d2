/** Where in a template something went wrong. Lines and columns count from 1. */
export interface TemplatePosition {
	offset: number;
	line: number;
	column: number;
}

export function positionAt(text: string, offset: number): TemplatePosition {
	let line = 1;
	let lineStart = 0;
	for (let index = 0; index < offset && index < text.length; index++) {
		if (text.charCodeAt(index) === 10) {
			line++;
			lineStart = index + 1;
		}
	}
	return { offset, line, column: offset - lineStart + 1 };
}

/** A template that cannot be rendered as written, such as a body that is not valid JSON. */
export class TemplateSyntaxError extends Error {
	readonly position: TemplatePosition;
	readonly hint: string;

	constructor(problem: string, position: TemplatePosition, hint: string) {
		super(`${problem} at line ${position.line}, column ${position.column}`);
		this.name = 'TemplateSyntaxError';
		this.position = position;
		this.hint = hint;
	}
}

/** One or more placeholders named variables that the call data does not hold. */
export class MissingVariablesError extends Error {
	readonly variables: readonly string[];

	constructor(variables: readonly string[]) {
		const list = variables.map((name) => `{{${name}}}`).join(', ');
		super(`No value for ${list}`);
		this.name = 'MissingVariablesError';
		this.variables = variables;
	}
}

/** A rendered value that the target (URL, header or JSON body) cannot carry as it is. */
export class TemplateValueError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TemplateValueError';
	}
}
