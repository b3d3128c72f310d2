export {
	MissingVariablesError,
	TemplateSyntaxError,
	TemplateValueError,
	type TemplatePosition,
} from './errors';
export { encodeHeaderText, isHeaderName, renderHeaderValue } from './header';
export { parseJsonBodyTemplate, renderJsonBody } from './jsonBody';
export {
	lookupVariable,
	type MissingVariablePolicy,
	type Placeholder,
	type RenderOptions,
	type TemplateVariables,
} from './placeholders';
export { renderUrl } from './url';
