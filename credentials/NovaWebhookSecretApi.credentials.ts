import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret Nova sends with its post-call request, which the Nova Post-Call Trigger checks.
 * It authenticates incoming requests only, so it adds nothing to outgoing ones.
 */
export class NovaWebhookSecretApi implements ICredentialType {
	name = 'novaWebhookSecretApi';

	displayName = 'Nova Webhook Secret API';

	icon = { light: 'file:novavoca.svg', dark: 'file:novavoca.dark.svg' } as const;

	documentationUrl = 'https://github.com/novavoca/n8n-nodes-novavoca#nova-post-call-trigger';

	properties: INodeProperties[] = [
		{
			displayName:
				"Choose a long random secret, at least 16 characters, and add it as a header to the API Request action in Nova's Post-Processing tab.",
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'Authorization',
			required: true,
			description: 'The header Nova sends the secret in, as set in its API Request action',
		},
		{
			displayName: 'Header Value',
			name: 'format',
			type: 'options',
			options: [
				{
					name: 'Bearer and the Secret',
					value: 'bearer',
					description:
						'Bearer followed by the secret, as in Nova\'s example "Authorization: Bearer …"',
				},
				{
					name: 'The Secret Alone',
					value: 'plain',
					description: 'Just the secret, for a header such as X-Nova-Secret',
				},
			],
			default: 'bearer',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While you change the secret in Nova, calls with this older one are still accepted. Clear it once Nova sends the new one; each item says which secret it came with.',
		},
	];
}
