import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

import { STANDARD_CALL_VARIABLE_NAMES } from '../../shared/callVariables';
import { PHONE_COUNTRIES } from './phoneCountries';
import { DEFAULT_MAX_BODY_KB } from './settings';

export const CREDENTIAL_TYPE = 'novaWebhookSecretApi';

/** Appended to the node's webhook ID, so a URL reads /webhook/<id>/nova-post-call. */
export const WEBHOOK_PATH = 'nova-post-call';

/** The methods of Nova's API Request action. */
export const NOVA_METHODS = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'] as const;

/**
 * The body to paste into Nova's API Request action: every standard variable under its own
 * name, each placeholder inside quotes, so that the template is valid JSON before and after
 * Nova fills it in.
 */
export const BODY_TEMPLATE = `{${STANDARD_CALL_VARIABLE_NAMES.map(
	(name) => `"${name}": "{{${name}}}"`,
).join(', ')}}`;

/**
 * One registration per chosen method. n8n splits the value on commas; an empty choice falls
 * back to POST, because a trigger without a method could never be called.
 */
export const webhookDescription: IWebhookDescription = {
	name: 'default',
	httpMethod: '={{$parameter["httpMethods"].length ? $parameter["httpMethods"] : "POST"}}',
	// n8n answers an accepted call as soon as it has stored the execution. An empty
	// responseData makes that answer the node's webhookResponse; without it n8n would send
	// the literal text "firstEntryJson". Every other request the node answers itself.
	responseMode: 'onReceived',
	responseData: '',
	path: WEBHOOK_PATH,
};

// n8n shows notices as text with links and lists only, so the steps are a list.
const setupNotice: INodeProperties = {
	displayName:
		"In Nova, open your assistant's Post-Processing tab and add an API Request action:<ul>" +
		"<li>Method and URL: the method chosen below and this node's URL above.</li>" +
		'<li>Headers: Authorization: Bearer followed by the Secret of your Nova Webhook Secret credential (or the header set there), and Content-Type: application/json.</li>' +
		`<li>Body: ${BODY_TEMPLATE}</li>` +
		'<li>Add your own extraction variables to the body the same way, such as "budget": "{{budget}}".</li></ul>',
	name: 'setupNotice',
	type: 'notice',
	default: '',
};

// None first, then the countries by name.
const countryOptions = [
	{
		name: 'None',
		value: 'none',
		description: 'Normalize only numbers that carry their country code',
	},
	...PHONE_COUNTRIES.map(({ code, name, callingCode }) => ({
		name: `${name} (+${callingCode})`,
		value: code,
	})).sort((a, b) => a.name.localeCompare(b.name)),
];

const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Default Country',
			name: 'defaultCountry',
			type: 'options',
			options: countryOptions,
			default: 'none',
			description:
				'The country of phone numbers written without a country code, such as 030 1234567. Used to normalize phone numbers and to match Only Calls To.',
		},
		{
			displayName: 'Include Headers',
			name: 'includeHeaders',
			type: 'boolean',
			default: false,
			description:
				"Whether to add the request's headers to the item, under nova.headers. The secret's header, Authorization and Cookie are always left out.",
		},
		{
			displayName: 'IP Allowlist',
			name: 'allowedIps',
			type: 'string',
			default: '',
			placeholder: 'e.g. 203.0.113.7, 198.51.100.0/24',
			description:
				"Addresses or CIDR ranges that may call, separated by commas. Others get 403 and start nothing. Leave empty to allow every address. Behind a reverse proxy, set N8N_PROXY_HOPS so that n8n sees the caller's address.",
		},
		{
			displayName: 'Max Body Size (KB)',
			name: 'maxBodySizeKb',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_BODY_KB,
			description: 'Larger requests get 413 and start nothing',
		},
		{
			displayName: 'Normalize Appointment Date',
			name: 'normalizeAppointmentDate',
			type: 'boolean',
			default: false,
			description:
				'Whether to rewrite appointment_date in ISO 8601 (2025-03-14T15:30:00) when it can be read without guessing. The received value stays in nova.original; a date that cannot be read stays as received, with the reason in nova.notNormalized.',
		},
		{
			displayName: 'Normalize Phone Numbers',
			name: 'normalizePhoneNumbers',
			type: 'boolean',
			default: false,
			description:
				'Whether to rewrite phone, caller_number and callee_number in E.164 (+4930123456). The received value stays in nova.original; a number the rules cannot settle stays as received, with the reason in nova.notNormalized.',
		},
		{
			displayName: 'Trim Text',
			name: 'trimStrings',
			type: 'boolean',
			default: false,
			description:
				'Whether to remove spaces and line breaks at the start and end of every text value, nested ones included. The received value stays in nova.original.',
		},
	],
};

export const properties: INodeProperties[] = [
	setupNotice,
	{
		displayName: 'HTTP Methods',
		name: 'httpMethods',
		type: 'multiOptions',
		options: NOVA_METHODS.map((method) => ({ name: method, value: method })),
		default: ['POST'],
		description:
			"The methods to accept: the one chosen in Nova's API Request action. POST is Nova's usual choice.",
	},
	{
		displayName: 'Only Calls To',
		name: 'calleeNumbers',
		type: 'string',
		default: '',
		placeholder: 'e.g. +49 30 1234567, +49 89 7654321',
		description:
			'The Nova numbers (callee_number) whose calls start this workflow, separated by commas. Calls to other numbers get 200 and start nothing. Leave empty for every call.',
	},
	options,
];
