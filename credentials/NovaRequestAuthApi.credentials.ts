import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export type RequestAuthScheme = 'bearer' | 'header' | 'basic' | 'query';

/**
 * Adds the credential to a request in place. n8n hands the same options object on to its HTTP
 * helper, so mutating it keeps everything else the caller set, such as its abort signal.
 */
export function applyRequestAuth(
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): IHttpRequestOptions {
	const scheme = credentials.scheme as RequestAuthScheme;
	options.headers ??= {};
	if (scheme === 'bearer') {
		options.headers.Authorization = `Bearer ${String(credentials.token)}`;
	} else if (scheme === 'header') {
		options.headers[String(credentials.headerName)] = String(credentials.headerSecret);
	} else if (scheme === 'basic') {
		options.auth = { username: String(credentials.user), password: String(credentials.password) };
	} else if (scheme === 'query') {
		options.qs = { ...options.qs, [String(credentials.queryName)]: credentials.querySecret };
	}
	return options;
}

const showFor = (scheme: RequestAuthScheme) => ({ show: { scheme: [scheme] } });

export class NovaRequestAuthApi implements ICredentialType {
	name = 'novaRequestAuthApi';

	displayName = 'Nova Request Authentication API';

	icon = { light: 'file:novavoca.svg', dark: 'file:novavoca.dark.svg' } as const;

	documentationUrl = 'https://github.com/novavoca/n8n-nodes-novavoca#authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Type',
			name: 'scheme',
			type: 'options',
			options: [
				{ name: 'Bearer Token', value: 'bearer', description: 'Authorization: Bearer <token>' },
				{
					name: 'Header',
					value: 'header',
					description: 'A header of your choice, such as X-API-Key',
				},
				{ name: 'Basic Auth', value: 'basic', description: 'A user name and a password' },
				{ name: 'Query Parameter', value: 'query', description: 'A parameter added to the URL' },
			],
			default: 'bearer',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: showFor('bearer'),
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: '',
			placeholder: 'X-API-Key',
			required: true,
			displayOptions: showFor('header'),
		},
		{
			displayName: 'Header Value',
			name: 'headerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: showFor('header'),
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			displayOptions: showFor('basic'),
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: showFor('basic'),
		},
		{
			displayName: 'Parameter Name',
			name: 'queryName',
			type: 'string',
			default: '',
			placeholder: 'api_key',
			required: true,
			displayOptions: showFor('query'),
		},
		{
			displayName: 'Parameter Value',
			name: 'querySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: showFor('query'),
		},
	];

	authenticate: IAuthenticate = async (credentials, options) =>
		applyRequestAuth(credentials, options);
}
