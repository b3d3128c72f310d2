import { NodeOperationError, type INode } from 'n8n-workflow';

import type { DispatchRequest } from '../../shared/dispatch';
import {
	MissingVariablesError,
	isHeaderName,
	renderHeaderValue,
	renderJsonBody,
	renderUrl,
	TemplateSyntaxError,
	TemplateValueError,
	type RenderOptions,
	type TemplateVariables,
} from '../../shared/template';
import type { ItemSettings } from './settings';

/** Turns a renderer error into an error that names the field and says what to do. */
function fieldError(node: INode, field: string, error: unknown, itemIndex: number) {
	if (error instanceof TemplateSyntaxError) {
		return new NodeOperationError(node, `The ${field} is not valid JSON: ${error.message}`, {
			itemIndex,
			description: `${error.hint} Placeholders may stand inside quotes, or unquoted where a value goes.`,
		});
	}
	if (error instanceof MissingVariablesError) {
		return new NodeOperationError(node, `${error.message} in the ${field}`, {
			itemIndex,
			description:
				'"Missing Variables" is set to "Fail". Add the variables to the incoming item or under "Extra Variables", or choose another policy under Options.',
		});
	}
	if (error instanceof TemplateValueError) {
		return new NodeOperationError(node, `The ${field} cannot be built: ${error.message}`, {
			itemIndex,
			description:
				'The value comes from the incoming item or "Extra Variables". Change it there, or move the placeholder to a place that can carry it.',
		});
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

function renderField<T>(node: INode, field: string, itemIndex: number, render: () => T): T {
	try {
		return render();
	} catch (error) {
		throw fieldError(node, field, error, itemIndex);
	}
}

function renderHeaders(
	node: INode,
	settings: ItemSettings,
	variables: TemplateVariables,
	itemIndex: number,
): Record<string, string> {
	const options: RenderOptions = { missing: settings.options.missingVariables };
	const headers: Record<string, string> = {};
	for (const { name, value } of settings.headers) {
		if (!isHeaderName(name)) {
			throw new NodeOperationError(node, `"${name}" is not a valid header name`, {
				itemIndex,
				description: 'Header names are letters, digits and - only, such as X-Source.',
			});
		}
		const field = `value of the header "${name}"`;
		headers[name] = renderField(node, field, itemIndex, () =>
			renderHeaderValue(value, variables, options),
		);
	}
	return headers;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
	return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/**
 * Renders the URL, the header values and the body of one item.
 *
 * @throws NodeOperationError naming the field, for invalid templates and missing variables.
 */
export function renderRequest(
	node: INode,
	settings: ItemSettings,
	variables: TemplateVariables,
	itemIndex: number,
): DispatchRequest {
	const { options } = settings;
	const renderOptions: RenderOptions = {
		missing: options.missingVariables,
		keepTypes: options.keepValueTypes,
	};

	const url = renderField(node, 'URL', itemIndex, () =>
		renderUrl(settings.url, variables, renderOptions),
	);
	const headers = renderHeaders(node, settings, variables, itemIndex);
	if (settings.body === '') return { method: settings.method, url, headers };

	const body = renderField(node, 'body', itemIndex, () =>
		renderJsonBody(settings.body, variables, renderOptions),
	);
	if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
	return { method: settings.method, url, headers, body };
}
