import { configs as n8nCommunityConfigs } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

// Everything that ships in dist/ is held to n8n's community-node rules.
const shippedCode = ['nodes/**/*.ts', 'credentials/**/*.ts', 'shared/**/*.ts'];

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**', '**/*.js', '**/*.mjs'] },
	...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		...n8nCommunityConfigs.recommended,
		files: [...shippedCode, 'package.json'],
	},
	{
		// Both plugins read package.json as a JavaScript object expression, as n8n's starter does.
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two predate NodeConnectionTypes and want the string 'main'; the newer
			// @n8n/community-nodes rule node-connection-type-literal wants the enum. The enum wins.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// This rule is for n8n's own repository, whose docs URLs are slugs; community
			// credentials must link a full URL, as @n8n/community-nodes requires.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
);
