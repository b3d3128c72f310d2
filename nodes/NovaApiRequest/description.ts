import type { INodeProperties } from 'n8n-workflow';

import { HTTP_METHODS } from '../../shared/dispatch';
import { NOVA_TIMEOUT_MS } from '../../shared/callVariables';

export const CREDENTIAL_TYPE = 'novaRequestAuthApi';

/** Methods whose request carries the body template. */
export const METHODS_WITH_BODY = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * How long the model may take to judge one item, in ms. Apart from the request's own timeout: a
 * chat model typically answers a one-line verdict in 1 to 3 s, and a slow one should not eat the
 * 10 s that Nova gives the request itself.
 */
export const DEFAULT_AI_TIMEOUT_MS = 8_000;

/** How many items are in flight at once unless the user says otherwise. */
export const DEFAULT_CONCURRENCY = 5;

const EXAMPLE_BODY = `{
  "caller_name": "{{name}}",
  "caller_phone": "{{caller_number}}",
  "reason": "{{reason}}",
  "summary": "{{summary}}",
  "appointment_date": "{{appointment_date}}"
}`;

const requestProperties: INodeProperties[] = [
	{
		displayName:
			'Write {{variable}} placeholders as in Nova, such as {{caller_number}}. ' +
			'They are filled from the incoming item, so every field works with the Nova Post-Call Trigger ' +
			'or any node that outputs call data. n8n expressions such as {{ $json.email }} also work, and are evaluated first.',
		name: 'placeholderNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{
				name: 'Nova Request Authentication',
				value: 'credential',
				description:
					'A bearer token, header, basic auth or query parameter kept in n8n credentials',
			},
		],
		default: 'none',
		description:
			'How the target API checks who is calling. Credentials keep secrets out of headers.',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: HTTP_METHODS.map((method) => ({ name: method, value: method })),
		default: 'POST',
		description: 'The HTTP method, as in Nova',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://api.example.com/calls?caller={{caller_number}}',
		description:
			'Where to send the request. Values of placeholders are URL-encoded; a placeholder may start the URL only if it holds a whole address, such as {{webhook_url}}.',
	},
	{
		displayName: 'Headers',
		name: 'headers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Header',
		default: {},
		options: [
			{
				displayName: 'Header',
				name: 'header',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'X-Source',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'nova-{{callee_number}}',
						description:
							'Line breaks and non-ASCII characters in values are percent-encoded, never sent raw',
					},
				],
			},
		],
		description: 'Headers to send. With a body, Content-Type is JSON unless you set it here.',
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'json',
		default: EXAMPLE_BODY,
		displayOptions: { show: { method: METHODS_WITH_BODY } },
		description:
			'A JSON template. Placeholders inside quotes are escaped into the string; a placeholder without quotes, such as {"count": {{count}}}, inserts the value as JSON. Leave empty to send no body.',
	},
	{
		displayName: 'Extra Variables',
		name: 'variables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Variable',
		default: {},
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'crm_owner',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
		description: 'Variables to add to the call data, or to override a value from the incoming item',
	},
];

const conditionProperties: INodeProperties[] = [
	{
		displayName: 'Send',
		name: 'conditionMode',
		type: 'options',
		options: [
			{ name: 'Always', value: 'always', description: 'Send a request for every item' },
			{
				name: 'Only When Rules Match',
				value: 'rules',
				description: 'Send only for items that pass the rules; the others go to Skipped',
			},
			{
				name: 'Only When the AI Agrees',
				value: 'naturalLanguage',
				description:
					'A chat model connected to the Model input judges a condition you write against each call; the others go to Skipped',
			},
		],
		default: 'always',
	},
	{
		displayName:
			'Connect a chat model to the Model input below this node. Set its temperature to 0 so that the same call gets the same verdict. The call data of each item is sent to that model.',
		name: 'naturalLanguageNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { conditionMode: ['naturalLanguage'] } },
	},
	{
		displayName: 'Condition',
		name: 'condition',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		required: true,
		placeholder: 'Only if the caller wants an appointment',
		displayOptions: { show: { conditionMode: ['naturalLanguage'] } },
		description:
			'What must be true of a call for the request to be sent, in plain language. The model reads it with all call variables, including the summary, and answers yes or no.',
	},
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'filter',
		default: {},
		typeOptions: { filter: { version: 2, caseSensitive: false, typeValidation: 'loose' } },
		displayOptions: { show: { conditionMode: ['rules'] } },
		description:
			'Compare call variables, for example the reason contains "appointment", or the email is not empty. Drag a field from the input panel into a rule.',
	},
];

const optionProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'AI Timeout (Ms)',
				name: 'aiTimeoutMs',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_AI_TIMEOUT_MS,
				displayOptions: { show: { '/conditionMode': ['naturalLanguage'] } },
				description:
					'How long the model may take to decide on one item. It comes before the request and does not count against Timeout (Ms). The model is asked once and not again.',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: DEFAULT_CONCURRENCY,
				description:
					'How many requests are in flight at once. Output order always follows input order.',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to render the exact request, with secrets redacted, without sending it. Use it to check a template before pointing it at a live system.',
			},
			{
				displayName: 'Follow Redirects',
				name: 'followRedirects',
				type: 'boolean',
				default: true,
				description:
					'Whether to follow redirects, up to Max Redirects. Credentials are never sent to another host.',
			},
			{
				displayName: 'If the AI Cannot Decide',
				name: 'aiFallback',
				type: 'options',
				options: [
					{
						name: 'Skip the Item',
						value: 'skip',
						description: 'Put it on Skipped with the reason',
					},
					{ name: 'Send Anyway', value: 'send', description: 'Send the request, noting why' },
					{ name: 'Fail', value: 'fail', description: 'Stop with an error for the item' },
				],
				default: 'skip',
				displayOptions: { show: { '/conditionMode': ['naturalLanguage'] } },
				description:
					'Where an item goes when the model does not answer in time, fails, or answers something other than yes or no. The item always records what happened.',
			},
			{
				displayName: 'Include Response Headers',
				name: 'includeResponseHeaders',
				type: 'boolean',
				default: false,
				description: 'Whether to add the response headers to the output item',
			},
			{
				displayName: 'Keep Value Types',
				name: 'keepValueTypes',
				type: 'boolean',
				default: false,
				description:
					'Whether a body string that is exactly one placeholder, such as "{{amount}}", keeps the value\'s type, so a number stays a number and an object an object',
			},
			{
				displayName: 'Max Redirects',
				name: 'maxRedirects',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 5,
				description:
					'How many redirects to follow before giving up. Has no effect when Follow Redirects is off.',
			},
			{
				displayName: 'Maximum Response Size (MB)',
				name: 'maxResponseMb',
				type: 'number',
				typeOptions: { minValue: 0.001, numberPrecision: 3 },
				default: 10,
				description: 'Responses larger than this are cut off and reported as an error',
			},
			{
				displayName: 'Missing Variables',
				name: 'missingVariables',
				type: 'options',
				options: [
					{
						name: 'Use an Empty Value',
						value: 'empty',
						description: 'As Nova does: a placeholder without a value becomes empty',
					},
					{
						name: 'Keep the Placeholder',
						value: 'keep',
						description: 'Send the placeholder text, such as {{email}}, as it is',
					},
					{
						name: 'Fail',
						value: 'error',
						description: 'Stop with an error that names every missing variable',
					},
				],
				default: 'empty',
				description: 'What a placeholder becomes when the call data has no value for it',
			},
			{
				displayName: 'Never Error',
				name: 'neverError',
				type: 'boolean',
				default: false,
				description:
					'Whether a response with a 4xx or 5xx status counts as sent instead of failing the item',
			},
			{
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				options: [
					{
						name: 'Autodetect',
						value: 'auto',
						description: 'Parse JSON when the response says it is JSON',
					},
					{ name: 'JSON', value: 'json', description: 'Parse the body as JSON, or fail' },
					{ name: 'Text', value: 'text', description: 'Keep the body as text' },
				],
				default: 'auto',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: NOVA_TIMEOUT_MS,
				hint: 'Nova aborts its own request after 10 seconds and never retries it; this node does the same',
				description:
					'The whole request, from connecting to reading the last byte, must finish within this time. It is aborted then, and not retried.',
			},
		],
	},
];

export const properties: INodeProperties[] = [
	...requestProperties,
	...conditionProperties,
	...optionProperties,
];
